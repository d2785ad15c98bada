"""Wishart/Wigner split of a network Hessian (P&B units) and the fit of ε = c·L/g."""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes.gauss_newton import (fit_epsilon_scale, gauss_newton, hessian_split, output_jacobian,
                                               wigner_epsilon)
from saddlesim.landscapes.mlp import tanh_mlp
from saddlesim.theory.wishart_wigner import ww_alpha


@pytest.mark.parametrize("bias", [True, False])
def test_gauss_newton_is_the_whole_hessian_at_the_teacher(bias):
    """At zero residual H₁ = 0, so JᵀJ/(m o) must equal the exact Hessian.

    Catches a dropped or doubled 1/(m o), a Jacobian with a wrong block or missing tanh′ factor,
    and a nonzero eps at zero loss.
    """
    net = tanh_mlp(3, 4, 20, 2, bias=bias, rng=11)
    x = net.teacher
    H = net.hessian(x)
    np.testing.assert_allclose(gauss_newton(net, x), H, atol=1e-13 * np.abs(H).max())
    s = hessian_split(net, x)
    assert s["eps_loss"] == 0.0 and s["eps_hessian"] < 1e-25
    np.testing.assert_allclose(s["gn_mean"], np.trace(H) / net.dim, rtol=1e-12)


def test_output_jacobian_matches_central_differences():
    """Finite differences as an oracle, at a random (non-critical) point; catches a wrong row order."""
    net = tanh_mlp(2, 3, 7, 2, rng=4)
    x = net.random_point(np.random.default_rng(5))
    J = output_jacobian(net, x)
    e = 1e-6
    fd = np.stack([(net.forward(x + e * v) - net.forward(x - e * v)).ravel() / (2 * e) for v in np.eye(net.dim)], 1)
    np.testing.assert_allclose(J, fd, atol=1e-8)


def test_wigner_epsilon_exact_on_a_known_split():
    """H₀ = s·I, H = H₀ + W: g = s and ε = ‖W‖²_F/(2 n s²) exactly.

    Catches dividing by g instead of g², a missing 1/2 (σ² = 2ε), and a trace over H instead of H − H₀.
    """
    rng = np.random.default_rng(1)
    n, s = 7, 3.5
    A = rng.standard_normal((n, n))
    W = A + A.T
    g, eps = wigner_epsilon(s * np.eye(n), s * np.eye(n) + W)
    assert g == pytest.approx(s, rel=1e-14)
    assert eps == pytest.approx(np.sum(W * W) / (2 * n * s * s), rel=1e-12)
    # units: scaling the whole Hessian leaves ε alone
    assert wigner_epsilon(9 * s * np.eye(n), 9 * (s * np.eye(n) + W))[1] == pytest.approx(eps, rel=1e-12)


def test_planted_wishart_plus_wigner_recovers_eps_and_the_theory_index():
    """H = s(XXᵀ/m + W), W GOE with semicircle variance 2ε: ε̂ is ε(1 + 1/n) to within 6σ ≈ 6·2/n,
    and the fraction of negative eigenvalues agrees with α(ε̂, φ).

    The second check ties the convention to the theory module: with ε off by a factor 2 (σ² = ε),
    α(ε̂, φ) moves by > 0.05 here, well outside the 0.02 allowed.
    """
    rng = np.random.default_rng(20261126)
    n, m, eps, s = 400, 800, 0.08, 0.3
    X = rng.standard_normal((n, m))
    A = rng.standard_normal((n, n))
    W = (A + A.T) / np.sqrt(2 * n) * np.sqrt(2 * eps)  # off-diagonal variance 2ε/n: semicircle variance 2ε
    H0 = s * (X @ X.T / m)
    H = H0 + s * W
    g, e = wigner_epsilon(H0, H)
    assert abs(g / s - 1) < 6 * np.sqrt(2 / (n * m))
    assert abs(e / eps - (1 + 1 / n)) < 6 * 2 / n + 4 * 6 * np.sqrt(2 / (n * m))
    alpha = np.mean(np.linalg.eigvalsh(H) < 0)
    phi = n / m
    assert abs(alpha - ww_alpha(e, phi)) < 0.02
    assert abs(ww_alpha(2 * e, phi) - ww_alpha(e, phi)) > 0.05  # the factor-2 bug would be seen


def test_fit_epsilon_scale_recovers_a_planted_constant():
    """α exactly α(c·u, φ) with c = 0.7: c back to 1e-4, residual ~0. Catches fitting 1/c or a wrong φ."""
    u = np.array([0.02, 0.05, 0.1, 0.2, 0.4])
    phi = 0.5
    alpha = np.array([ww_alpha(0.7 * t, phi) for t in u])
    c, rms = fit_epsilon_scale(u, alpha, phi)
    assert c == pytest.approx(0.7, rel=1e-4)
    assert rms < 1e-6
    with pytest.raises(ValueError):
        fit_epsilon_scale([0.0, 1.0], [0.0, 0.1], phi)
