"""Exact mean index of G + s·I against independent oracles.

GUE: the integral of the Hermite-kernel one-point density ρ_n = Σ_k φ_k²,
computed here by quadrature (an oracle that shares no code with the
Pfaffian/determinant route). n = 2, every β: quadrature of the 2 x 2 joint
density. These catch a wrong sign in the reflected moments (l_k = (-1)^k ν_k),
a dropped factor ½ in the Pfaffian derivative, or a missing border term.
"""

import math

import numpy as np
import pytest
from scipy import integrate, special
from scipy.stats import norm

from saddlesim.theory import mean_index, mean_index_fraction, semicircle_index_fraction


def _hermite_density(x: float, n: int) -> float:
    """Σ_{k<n} φ_k(x)², φ_k orthonormal for the weight e^{-x²/2}, by the stable recurrence."""
    p0 = math.exp(-x * x / 4) / (2 * math.pi) ** 0.25
    p1 = x * p0
    total = p0 * p0 + (p1 * p1 if n > 1 else 0.0)
    for k in range(1, n - 1):
        p0, p1 = p1, (x * p1 - math.sqrt(k) * p0) / math.sqrt(k + 1)
        total += p1 * p1
    return total


@pytest.mark.parametrize("n", [3, 8])
@pytest.mark.parametrize("shift", [-2.5, -0.4, 1.1])
def test_gue_is_the_integral_of_the_hermite_kernel(n, shift):
    truth = integrate.quad(_hermite_density, -np.inf, -shift, args=(n,), epsabs=1e-13, limit=200)[0]
    assert mean_index(n, shift, 2) == pytest.approx(truth, abs=1e-10)


def _p_above_2x2(t: float, beta: int) -> float:
    num = integrate.quad(lambda r: r**beta * math.exp(-r * r / 2) * norm.sf(math.sqrt(2) * t + r),
                         0, np.inf, epsabs=0, epsrel=1e-13, limit=200)[0]
    return num / (2 ** ((beta - 1) / 2) * special.gamma((beta + 1) / 2))


@pytest.mark.parametrize("beta", [1, 2, 4])
@pytest.mark.parametrize("shift", [-1.5, 0.3, 2.0])
def test_n2_against_the_joint_density(beta, shift):
    y = -shift
    # #{λ < y} = [λ_min < y] + [λ_max < y], and P(λ_max < y) = P(λ_min > -y).
    truth = 1 - _p_above_2x2(y, beta) + _p_above_2x2(-y, beta)
    assert mean_index(2, shift, beta) == pytest.approx(truth, abs=1e-10)


@pytest.mark.parametrize("beta", [1, 2, 4])
def test_n1_symmetry_and_centre(beta):
    assert mean_index(1, 0.8, beta) == pytest.approx(norm.cdf(-0.8), rel=1e-12)
    assert mean_index(7, 0.0, beta) == pytest.approx(3.5, abs=1e-10)
    assert mean_index(7, 1.3, beta) + mean_index(7, -1.3, beta) == pytest.approx(7, abs=1e-10)
    m = [mean_index(5, s, beta) for s in (-3, -1, 0.5, 2)]
    assert all(b < a for a, b in zip(m, m[1:]))


@pytest.mark.parametrize("beta", [1, 2])
def test_large_n_approaches_the_semicircle(beta):
    n = 40
    for x in (0.3, 0.7):
        s = x * math.sqrt(2 * beta * n)
        gap = abs(mean_index_fraction(n, s, beta) - semicircle_index_fraction(x))
        assert gap < 0.01, (beta, x, gap)


def test_goe_finite_n_correction_is_order_one_over_n():
    # GOE's mean density has a 1/n edge/correction term; halving it from n = 20 to 40.
    x = 0.7
    gaps = [mean_index_fraction(n, x * math.sqrt(2 * n), 1) - semicircle_index_fraction(x) for n in (20, 40)]
    assert gaps[0] > 0 and gaps[0] / gaps[1] == pytest.approx(2.0, rel=0.15)


def test_out_of_range():
    with pytest.raises(ValueError, match="n <= 100"):
        mean_index(101, 0.0, 1)
    with pytest.raises(ValueError, match="shift must be finite"):
        mean_index(3, math.nan, 1)
