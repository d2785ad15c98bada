"""Exact P(λ_min > t) at any wall, for β = 1, 2, 4, against independent oracles.

The oracles are written here, not taken from the library: Φ(-t) at n = 1, and
at n = 2 a one-dimensional quadrature of the 2 x 2 joint density in rotated
coordinates. Each catches a wrong constant in the moments (erfc argument,
e^{-t²/2} factor), a wrong centre shift, or a dropped border column.
"""

import math

import mpmath
import numpy as np
import pytest
from scipy import integrate, special
from scipy.stats import norm

from saddlesim.theory import exact as ex
from saddlesim.theory import log_p_above, log_p_min

WALLS = [-4.0, -1.3, -0.2, 0.0, 0.35, 1.7, 4.5]


@pytest.mark.parametrize("beta", [1, 2, 4])
@pytest.mark.parametrize("t", WALLS + [9.0])
def test_n1_is_the_gaussian_tail(beta, t):
    # One eigenvalue = the N(0,1) diagonal entry, whatever β.
    assert log_p_above(1, t, beta) == pytest.approx(norm.logsf(t), rel=1e-12, abs=1e-14)


def _two_by_two(t: float, beta: int) -> float:
    """P(λ_1, λ_2 > t) for the density ∝ |x - y|^β e^{-(x²+y²)/2}, by quadrature.

    With u = (x + y)/√2, v = (y - x)/√2 the density factorises into
    e^{-u²/2} and |v|^β e^{-v²/2}; the region is u > √2 t + |v|, so
    P = ∫_0^∞ r^β e^{-r²/2} Φ̄(√2 t + r) dr / ∫_0^∞ r^β e^{-r²/2} dr.
    """
    num = integrate.quad(lambda r: r**beta * math.exp(-r * r / 2) * norm.sf(math.sqrt(2) * t + r),
                         0, np.inf, epsabs=0, epsrel=1e-13, limit=200)[0]
    den = 2 ** ((beta - 1) / 2) * special.gamma((beta + 1) / 2)
    return num / den


@pytest.mark.parametrize("beta", [1, 2, 4])
@pytest.mark.parametrize("t", WALLS)
def test_n2_against_quadrature_of_the_joint_density(beta, t):
    truth = _two_by_two(t, beta)
    assert math.exp(log_p_above(2, t, beta)) == pytest.approx(truth, rel=1e-9)


def test_gse_n2_closed_form_at_zero():
    # Polar coordinates: ∫(1 - sin 2φ)² over the quadrant / over the circle.
    assert math.exp(log_p_min(2, 4)) == pytest.approx(0.25 - 2 / (3 * math.pi), rel=1e-12)


@pytest.mark.parametrize("beta", [1, 2, 4])
def test_far_below_the_bulk_probability_is_one(beta):
    # t = -40 is ~10 bulk radii below the spectrum at n = 6: ln P = 0 to 1e-12.
    assert abs(log_p_above(6, -40.0, beta)) < 1e-12
    # and t → -∞ is approached from below, monotonically
    assert log_p_above(6, -8.0, beta) < log_p_above(6, -12.0, beta) <= 0.0


@pytest.mark.parametrize("beta", [1, 2, 4])
def test_strictly_decreasing_in_the_wall(beta):
    ts = np.linspace(-6, 6, 13)
    logs = [log_p_above(7, float(t), beta) for t in ts]
    assert all(b < a for a, b in zip(logs, logs[1:])), logs


@pytest.mark.parametrize("beta", [1, 2, 4])
def test_shift_zero_is_p_min(beta):
    assert log_p_above(5, 0.0, beta) == log_p_min(5, beta)


@pytest.mark.parametrize(("n", "t", "beta"), [(40, 2.5, 1), (40, -3.0, 2), (20, 1.0, 4), (21, 6.0, 1)])
def test_two_precisions_agree_at_a_wall(n, t, beta):
    low, high = ex.working_precisions(n, t, beta)
    a = ex.log_p_above_mp(n, t, beta, low)
    b = ex.log_p_above_mp(n, t, beta, high)
    assert a is not None and b is not None
    assert abs(a - b) < mpmath.mpf("1e-12")
    assert float(b) == log_p_above(n, t, beta)


def test_centre_does_not_change_the_value_only_the_digits():
    # Same integral in powers of x and in powers of x - t; at t = 2 and
    # n = 12 the x basis needs many more digits, but both agree when given them.
    n, t = 12, 2.0
    with mpmath.workdps(200):
        for beta in (1, 2, 4):
            shifted = ex._integral(n, t, beta, 200)
            original = ex._centre
            try:
                ex._centre = lambda t: 0.0
                plain = ex._integral(n, t, beta, 200)
            finally:
                ex._centre = original
            assert abs(shifted / plain - 1) < mpmath.mpf("1e-40")


def test_gse_too_little_precision_is_visible():
    # The GSE matrix is 2n x 2n: precisions sized for n (not 2n) give a wrong
    # value, which the two-precision check must not accept.
    n = 30
    truth = log_p_min(n, 4)
    bad = ex.log_p_above_mp(n, 0.0, 4, 40)
    assert bad is None or abs(float(bad) - truth) > 1e-6


@pytest.mark.parametrize("t", [math.inf, -math.inf, math.nan, "x"])
def test_bad_wall(t):
    with pytest.raises(ValueError, match="wall t"):
        log_p_above(3, t, 1)

