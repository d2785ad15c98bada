"""Spherical p-spin: exact finite-N mean counts (ABC 2013) and complexities."""

import math

import numpy as np
import pytest
from scipy import integrate

from saddlesim.theory.pspin import (
    pspin_complexity,
    pspin_count_density,
    pspin_e0,
    pspin_e_inf,
    pspin_hessian_law,
    pspin_index_complexity,
    pspin_mean_counts,
    pspin_p_min,
)


@pytest.mark.parametrize("N", [2, 3, 7])
def test_p2_exactly_two_per_index(N):
    # p = 2: ±√N times each eigenvector of the couplings, index k for the k-th.
    np.testing.assert_array_equal(pspin_mean_counts(N, 2), np.full(N, 2.0))
    assert pspin_p_min(N, 2) == pytest.approx(1 / N, rel=1e-15)


def test_p2_energy_windows_split_the_two():
    # Windows cover each index's GOE eigenvalue law: the parts add to 2.
    a = pspin_mean_counts(3, 2, energy=(-np.inf, 0.1))
    b = pspin_mean_counts(3, 2, energy=(0.1, np.inf))
    np.testing.assert_allclose(a + b, 2.0, rtol=1e-12)
    assert a[0] > b[0] and a[2] < b[2]


def test_p2_energy_scale_is_the_coupling_spectrum():
    """p = 2: the critical points ±√N v_k have u = μ_k/√N with μ_k the k-th eigenvalue
    of S = (J + Jᵀ)/2, a saddlesim GOE. So E Crt_{N,k}((-∞, u]) = 2 P(μ_k ≤ √N u),
    independent of the quadrature. Catches a wrong energy scale √(Np/(2(p-1))).
    """
    from saddlesim.theory.goe_order import goe_counting_law

    N, u = 3, 0.25
    law = goe_counting_law(N, np.sqrt(N) * u)
    below = np.cumsum(law[::-1])[::-1][1:]  # P(#{μ < s} >= k+1) = P(μ_k < s)
    np.testing.assert_allclose(pspin_mean_counts(N, 2, energy=(-np.inf, u)), 2 * below, rtol=1e-10)


def _n2_expectation(p):
    # Independent of de Bruijn: E f(x_k) for the 2x2 GOE by scipy over x < y.
    c = (p - 2) / (2 * p)
    Z = 2 * math.sqrt(math.pi)  # half of Mehta's 4√π: ordered region only

    def joint(y, x):
        return (y - x) * math.exp(-(x * x + y * y) / 2) / Z

    e0 = integrate.dblquad(lambda y, x: joint(y, x) * math.exp(-c * x * x), -np.inf, np.inf, lambda x: x, np.inf)
    e1 = integrate.dblquad(lambda y, x: joint(y, x) * math.exp(-c * y * y), -np.inf, np.inf, lambda x: x, np.inf)
    return np.array([e0[0], e1[0]])


@pytest.mark.parametrize("p", [3, 5])
def test_N2_against_direct_integration(p):
    """E Crt_{2,k} = 2√(2/p)(p-1) E exp(-(p-2) x_k²/(2p)), x the saddlesim GOE.

    Catches a wrong prefactor (√(2/p), (p-1)^{N/2}), a wrong exponent constant
    (e.g. N(p-2)/p), or the GOE scale (E M² = 1/(2N) ↔ x = √N λ).
    """
    expected = 2 * math.sqrt(2 / p) * (p - 1) * _n2_expectation(p)
    np.testing.assert_allclose(pspin_mean_counts(2, p), expected, rtol=1e-8)


def test_quadrature_converged():
    a = pspin_mean_counts(5, 3)
    b = pspin_mean_counts(5, 3, nodes=160)
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_windows_add_up_and_density_integrates():
    N, p = 3, 3
    total = pspin_mean_counts(N, p)
    full = pspin_mean_counts(N, p, energy=(-np.inf, np.inf))
    np.testing.assert_allclose(full, total, rtol=1e-12)
    lo = pspin_mean_counts(N, p, energy=(-np.inf, -0.8))
    hi = pspin_mean_counts(N, p, energy=(-0.8, np.inf))
    np.testing.assert_allclose(lo + hi, total, rtol=1e-12)
    # the energy density integrates to the windowed counts
    t, w = np.polynomial.legendre.leggauss(64)
    u, w = -1.4 + 0.6 * (t + 1) / 2, 0.6 / 2 * w  # [-1.4, -0.8]
    direct = pspin_mean_counts(N, p, energy=(-1.4, -0.8))
    np.testing.assert_allclose(w @ pspin_count_density(N, p, u), direct, rtol=1e-10)
    # minima sit at low energy, maxima (index N-1) at high energy (odd p: u → -u)
    assert lo[0] > lo[N - 1]


def test_known_values_p3():
    c = pspin_mean_counts(3, 3)
    np.testing.assert_allclose(c, c[::-1], rtol=1e-12)  # H → -H for odd p
    # P(min) beats the coin-flip 2^-(N-1) on this landscape at N = 3 (0.297 vs 0.25)
    assert pspin_p_min(3, 3) == pytest.approx(c[0] / c.sum())
    assert pspin_p_min(3, 3) > 0.25


@pytest.mark.slow
def test_total_count_large_N_constant():
    """ln Σ_k E Crt_{N,k} = (N/2) ln(p-1) + ½ ln N + ln(2√(2/p)·√(2/(πc))) + O(1/N).

    The constant uses the semicircle density √2/(π√N) at 0 and ∫e^{-cx²} = √(π/c).
    Catches an error of ln √2 (0.35) or more in the prefactor or exponent.
    """
    p = 3
    c = (p - 2) / (2 * p)
    limit = math.log(2 * math.sqrt(2 / p) * math.sqrt(2 / (math.pi * c)))
    res = []
    for N in (5, 8):
        tot = pspin_mean_counts(N, p).sum()
        res.append(math.log(tot) - N / 2 * math.log(p - 1) - 0.5 * math.log(N))
    assert res[0] < res[1] < limit  # approached from below, like 1/N
    assert limit - res[1] < 0.2


def test_thresholds_p3():
    assert pspin_e_inf(3) == pytest.approx(2 * math.sqrt(2 / 3))
    # ABC 2013, §2: E_0(3) ≈ 1.657, E_∞(3) ≈ 1.633
    assert pspin_e0(3) == pytest.approx(1.657, abs=5e-4)
    for p in (3, 4, 6):
        assert pspin_e0(p) > pspin_e_inf(p)
        assert pspin_index_complexity(-pspin_e0(p), p, 0) == pytest.approx(0, abs=1e-12)
    with pytest.raises(ValueError):
        pspin_e0(2)


def test_i1_is_the_goe_lambda_min_rate():
    """I_1(u) = ∫_x^{-√2} √(t²-2) dt at x = √(p/(2(p-1))) u (semicircle on [-√2, √2]).

    Checked through Θ_{p,0} - Θ_{p,1} = I_1; catches a wrong sign or factor in I_1.
    """
    p = 3
    for u in (-1.7, -2.0, -2.6):
        x = u * math.sqrt(p / (2 * (p - 1)))
        rate = integrate.quad(lambda t: math.sqrt(t * t - 2), x, -math.sqrt(2))[0]
        diff = pspin_index_complexity(u, p, 0) - pspin_index_complexity(u, p, 1)
        assert diff == pytest.approx(rate, rel=1e-10)


def test_complexity_shape():
    p = 3
    e = pspin_e_inf(p)
    base = 0.5 * math.log(p - 1)
    assert pspin_complexity(0.3, p) == base  # total complexity ½ ln(p-1)
    assert pspin_index_complexity(0.0, p, 4) == pytest.approx(base - (p - 2) / p)
    # continuous at -E_∞; below it minima dominate: Θ_p = Θ_{p,0}
    assert pspin_index_complexity(-e - 1e-9, p, 0) == pytest.approx(base - (p - 2) / p, abs=1e-6)
    assert pspin_complexity(-1.8, p) == pytest.approx(pspin_index_complexity(-1.8, p, 0))
    assert pspin_index_complexity(-1.8, p, 1) < pspin_index_complexity(-1.8, p, 0)


@pytest.mark.slow
def test_finite_N_complexity_approaches_theta():
    # (1/N) ln E Crt_{N,0}((-∞, u]) rises towards Θ_{p,0}(u); corrections O(ln N / N).
    p, u = 3, -1.75
    theta = pspin_index_complexity(u, p, 0)
    vals = [math.log(pspin_mean_counts(N, p, energy=(-np.inf, u))[0]) / N for N in (3, 6)]
    assert vals[0] < vals[1] < theta


def test_hessian_law():
    scale, shift = pspin_hessian_law(10, 3, -1.5)
    assert scale == pytest.approx(math.sqrt(2 * 3 * 2 / 10))
    assert shift == pytest.approx(4.5)


def test_bad_input():
    for bad in [(1, 3), (3, 1), (3.0, 3), (True, 3)]:
        with pytest.raises(ValueError):
            pspin_mean_counts(*bad)
    with pytest.raises(ValueError):
        pspin_mean_counts(3, 3, energy=(1.0, 0.0))
