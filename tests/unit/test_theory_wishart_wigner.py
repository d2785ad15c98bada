"""Wishart + Wigner free-convolution theory (Pennington & Bahri 2017)."""

import math

import numpy as np
import pytest
from scipy import integrate, optimize

from saddlesim.theory.wishart_wigner import (
    fit_three_halves_law,
    ww_alpha,
    ww_alpha0,
    ww_density,
    ww_epsilon_c,
    ww_support,
    ww_three_halves_law,
)


def _moment(k, phi, eps):
    return sum(
        integrate.quad(lambda t: t**k * ww_density(t, phi, eps)[0], lo, hi, limit=200)[0]
        for lo, hi in ww_support(phi, eps)
    )


@pytest.mark.parametrize("phi,eps", [(0.5, 0.1), (0.3, 0.5), (2.0, 0.01), (0.9, 0.003)])
def test_density_normalised_with_free_moments(phi, eps):
    """Mass 1, mean 1 (tr H₀/n), second moment 1 + φ + 2ε (free variances add).

    Catches a semicircle variance ε instead of 2ε, or an MP ratio 1/φ.
    """
    assert _moment(0, phi, eps) == pytest.approx(1.0, abs=1e-8)
    assert _moment(1, phi, eps) == pytest.approx(1.0, abs=1e-8)
    assert _moment(2, phi, eps) == pytest.approx(1 + phi + 2 * eps, abs=1e-7)


@pytest.mark.parametrize("phi", [0.1, 0.25, 0.5, 0.75])
def test_epsilon_c_is_where_the_lower_edge_crosses_zero(phi):
    # Independent of the closed form: solve lower edge(ε) = 0 from the cubic's discriminant.
    edge = lambda e: ww_support(phi, e)[0][0]  # noqa: E731
    root = optimize.brentq(edge, 1e-6, 0.2, xtol=1e-14)
    assert root == pytest.approx(ww_epsilon_c(phi), rel=1e-8)


@pytest.mark.parametrize("phi", [0.25, 0.5, 0.75])
def test_alpha_zero_below_and_positive_above(phi):
    e = ww_epsilon_c(phi)
    assert ww_alpha(0.99 * e, phi) == 0.0
    assert ww_alpha(1.01 * e, phi) > 0
    assert ww_alpha(0.0, phi) == 0.0


@pytest.mark.parametrize("phi", [0.25, 0.5, 0.75])
def test_three_halves_law_prefactor(phi):
    """α / (α₀ δ^{3/2}) → 1 as δ = (ε-ε_c)/ε_c → 0, with an O(δ) correction."""
    e = ww_epsilon_c(phi)
    for d in (1e-3, 1e-4):
        ratio = ww_alpha(e * (1 + d), phi) / ww_three_halves_law(e * (1 + d), phi)
        assert abs(ratio - 1) < 2 * d


def test_alpha0_semicircle_limit():
    # φ → 0: H = I + semicircle(radius R = √(8ε)); the edge gives α₀ = 2/(3π).
    assert ww_alpha0(1e-7) == pytest.approx(2 / (3 * math.pi), rel=1e-5)
    assert ww_epsilon_c(1e-12) == pytest.approx(1 / 8, rel=1e-9)


def _semicircle_cdf(x, R):
    return 0.5 + (x * math.sqrt(R * R - x * x)) / (math.pi * R * R) + math.asin(x / R) / math.pi


@pytest.mark.parametrize("eps", [0.2, 0.5, 2.0])
def test_small_phi_is_shifted_semicircle(eps):
    R = 2 * math.sqrt(2 * eps)
    assert ww_alpha(eps, 1e-8) == pytest.approx(_semicircle_cdf(-1.0, R), abs=1e-3)


def test_large_eps_is_half():
    assert ww_alpha(1e6, 0.5) == pytest.approx(0.5, abs=1e-3)
    assert ww_alpha(10.0, 0.5) < ww_alpha(100.0, 0.5) < 0.5


def test_phi_at_least_one_has_no_threshold():
    assert ww_epsilon_c(1.0) == 0.0 and ww_epsilon_c(2.0) == 0.0
    # the atom of H₀ at 0 (mass 1 - 1/φ) spreads evenly: α → (1 - 1/φ)/2 as ε → 0
    assert ww_alpha(1e-6, 2.0) == pytest.approx(0.25, abs=2e-3)
    assert ww_alpha(1e-4, 1.0) > 0


def test_bad_input():
    with pytest.raises(ValueError):
        ww_alpha(-0.1, 0.5)
    with pytest.raises(ValueError):
        ww_alpha(0.1, 0.0)
    with pytest.raises(ValueError):
        ww_alpha0(1.5)
    with pytest.raises(ValueError):
        ww_density([0.0], 0.5, 0.0)
    assert np.all(ww_density(np.linspace(-3, -1, 5), 0.5, 0.01) == 0)


def test_fit_three_halves_law_recovers_parameters():
    x = np.linspace(0.5, 3.0, 30)
    a = 0.07 * np.maximum(0, (x - 1.2) / 1.2) ** 1.5
    xc, a0 = fit_three_halves_law(x, a)
    assert xc == pytest.approx(1.2, rel=1e-6) and a0 == pytest.approx(0.07, rel=1e-6)


def test_fit_on_exact_alpha_near_threshold_finds_eps_c():
    # Close to ε_c the exact α follows the 3/2 law; a fit on it recovers ε_c and α₀.
    phi = 0.5
    e = ww_epsilon_c(phi)
    eps = e * (1 + np.linspace(-0.02, 0.02, 21))
    alpha = np.array([ww_alpha(v, phi) for v in eps])
    xc, a0 = fit_three_halves_law(eps, alpha)
    assert xc == pytest.approx(e, rel=1e-3)
    assert a0 == pytest.approx(ww_alpha0(phi), rel=0.05)
    with pytest.raises(ValueError):
        fit_three_halves_law(eps, np.zeros_like(eps))
