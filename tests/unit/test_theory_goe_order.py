"""Exact GOE counting law and k-th eigenvalue densities at any point."""

import math

import numpy as np
import pytest
from scipy import integrate, special

from saddlesim.theory import goe_index_law, log_p_min
from saddlesim.theory.goe_order import goe_counting_law, goe_kth_density


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_counting_law_at_zero_is_the_index_law(n):
    # Different moment tables (incomplete moments at s = 0 vs half-line closed forms).
    np.testing.assert_allclose(goe_counting_law(n, 0.0), goe_index_law(n), rtol=0, atol=1e-14)


def test_n1_closed_forms():
    for s in (-2.5, -0.3, 0.0, 1.7):
        Phi = 0.5 * special.erfc(-s / math.sqrt(2))
        np.testing.assert_allclose(goe_counting_law(1, s), [1 - Phi, Phi], atol=1e-15)
        phi = math.exp(-s * s / 2) / math.sqrt(2 * math.pi)
        np.testing.assert_allclose(goe_kth_density(1, s), [phi], rtol=1e-14)


def _n2_joint(x, y):
    # GOE n = 2: density |x - y| e^{-(x²+y²)/2} / Z with Z = 4√π (Mehta's integral).
    return abs(x - y) * math.exp(-(x * x + y * y) / 2) / (4 * math.sqrt(math.pi))


@pytest.mark.parametrize("s", [-1.3, 0.4, 2.0])
def test_n2_against_direct_integration(s):
    """Independent of de Bruijn: the n = 2 joint density integrated by scipy.

    Catches a wrong sign in the reflected (right-of-wall) moments, a wrong
    |y - s| factor, or a wrong normalisation (each an O(1) error).
    """
    # density of the smaller eigenvalue at s: 2 ∫_s^∞ joint(s, y) dy
    p0 = 2 * integrate.quad(lambda y: _n2_joint(s, y), s, np.inf)[0]
    p1 = 2 * integrate.quad(lambda y: _n2_joint(s, y), -np.inf, s)[0]
    np.testing.assert_allclose(goe_kth_density(2, s), [p0, p1], rtol=1e-9)
    # P(both below s), P(none below s)
    both = integrate.dblquad(lambda y, x: _n2_joint(x, y), -np.inf, s, -np.inf, s)[0]
    none = integrate.dblquad(lambda y, x: _n2_joint(x, y), s, np.inf, s, np.inf)[0]
    law = goe_counting_law(2, s)
    # dblquad meets the |x - y| kink: good to ~1e-8, far below the O(1) bugs targeted
    np.testing.assert_allclose([law[0], law[2]], [none, both], atol=1e-7)


def test_p_min_at_zero():
    for n in (3, 7, 10):
        assert math.log(goe_counting_law(n, 0.0)[0]) == pytest.approx(log_p_min(n, 1), rel=1e-10)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_density_integrates_to_the_counting_law(n):
    """∫_{-∞}^s p_k = P(λ_k < s) = P(#{λ < s} ≥ k + 1): ties density to counting law.

    A density off by any factor, or shifted in k, fails at 1e-10.
    """
    s = 0.7
    X = math.sqrt(2 * n) + 9
    t, w = np.polynomial.legendre.leggauss(96)
    x, w = (s - X) / 2 + (s + X) / 2 * t, (s + X) / 2 * w
    F = w @ np.array([goe_kth_density(n, float(v)) for v in x])
    law = goe_counting_law(n, s)
    tail = np.cumsum(law[::-1])[::-1]  # tail[j] = P(count >= j)
    np.testing.assert_allclose(F, tail[1:], atol=1e-10)


def test_reflection_symmetry_and_sums():
    n = 6
    for s in (-0.9, 1.4):
        np.testing.assert_allclose(goe_kth_density(n, s), goe_kth_density(n, -s)[::-1], rtol=1e-12)
        law = goe_counting_law(n, s)
        assert law.sum() == pytest.approx(1.0, abs=1e-14)
        assert np.all(law > 0)
        np.testing.assert_allclose(law, goe_counting_law(n, -s)[::-1], atol=1e-14)


def test_far_wall_limits():
    law = goe_counting_law(4, -12.0)
    assert law[0] == pytest.approx(1.0, abs=1e-14)
    law = goe_counting_law(4, 12.0)
    assert law[4] == pytest.approx(1.0, abs=1e-14)
