"""Dean–Majumdar's Φ₋ against the exact finite-n values at walls, and the semicircle.

The exact -ln P/(βn²) at the wall t = -ζ√(βn), extrapolated in 1/n, must
land on Φ₋(ζ): this checks Φ₋ (a wrong constant such as 27 ln 18 → 27 ln 6,
or the scaling ζ = -t/√n without β, moves Φ by ≥ 1e-2) and the exact values
together, since neither is derived from the other.
"""

import math

import numpy as np
import pytest

from saddlesim.theory import (
    THETA,
    dean_majumdar_log_p_above,
    dean_majumdar_rate,
    fit_rate,
    log_p_above,
    semicircle_index_fraction,
)


@pytest.mark.parametrize("zeta", [-0.5, 0.0, 0.5, 1.0])
def test_gue_extrapolates_to_phi_minus(zeta):
    fit = fit_rate(2, zeta, range(10, 31, 4))
    # measured: agreement to < 3e-6 at n <= 30 (GUE has no O(n) term)
    assert fit["phi"] == pytest.approx(dean_majumdar_rate(zeta), abs=2e-5)
    # and the raw values approach from above: the extrapolation is doing work
    assert fit["f"][-1] - fit["phi_dm"] > 10 * abs(fit["phi"] - fit["phi_dm"])
    assert abs(fit["a"]) < 1e-2


def test_goe_at_zero_reproduces_ln3_over_4():
    fit = fit_rate(1, 0.0, range(10, 41, 5))
    assert fit["phi"] == pytest.approx(THETA, abs=2e-4)
    assert fit["a"] > 0.1  # β = 1 has an O(n) term, unlike β = 2


def test_gse_trend_towards_phi_minus():
    fit = fit_rate(4, 0.5, range(4, 19, 2))
    assert fit["phi"] == pytest.approx(dean_majumdar_rate(0.5), abs=2e-3)


def test_dean_majumdar_scaling_in_our_units():
    # The wall at the GOE semicircle edge -√(2n) costs nothing at order n²;
    # t = 0 gives -β n² (ln 3)/4; β enters through ζ = -t/√(βn).
    assert dean_majumdar_log_p_above(50, -math.sqrt(100), 1) == 0.0
    assert dean_majumdar_log_p_above(10, 0.0, 4) == pytest.approx(-4 * 100 * THETA)
    t = np.array([-2.0, 1.0])
    np.testing.assert_allclose(dean_majumdar_log_p_above(20, t, 2),
                               -2 * 400 * dean_majumdar_rate(-t / math.sqrt(40)))
    # and the exact value sits within its O(n) correction
    assert log_p_above(30, 1.0, 1) == pytest.approx(dean_majumdar_log_p_above(30, 1.0, 1), rel=0.1)


def test_semicircle_index_fraction():
    assert semicircle_index_fraction(0.0) == 0.5
    assert semicircle_index_fraction(1.0) == 0.0 and semicircle_index_fraction(-2.0) == 1.0
    # ∫_{-1}^{-1/2} (2/π)√(1 - x²) dx = 1/3 - √3/(4π)
    assert semicircle_index_fraction(0.5) == pytest.approx(1 / 3 - math.sqrt(3) / (4 * math.pi), rel=1e-14)
    x = np.linspace(-1.2, 1.2, 25)
    a = semicircle_index_fraction(x)
    assert a.shape == x.shape and np.all(np.diff(a) <= 0)
    np.testing.assert_allclose(a + semicircle_index_fraction(-x), 1.0)


def test_order_n_term_scales_like_beta_over_2_minus_1():
    """The log-gas expansion -ln P = βn²Φ + (1 - β/2) n F₁ + ... makes the fitted 1/n
    coefficient a_β = (1/β - 1/2) F₁: zero for the GUE and a₁ = -2 a₄. This ties
    the β = 4 Pfaffian and its normaliser to GOE and GUE beyond leading order (a
    wrong n-dependent factor in Z_n(4) or a dropped ψ column would break it)."""
    a1 = fit_rate(1, 0.0, range(10, 41, 5))["a"]
    a2 = fit_rate(2, 0.0, range(10, 31, 4))["a"]
    a4 = fit_rate(4, 0.0, range(4, 19, 2))["a"]
    assert abs(a2) < 1e-4
    assert a1 / a4 == pytest.approx(-2.0, rel=1e-3)
