"""Newton-MR on HVPs: the Krylov least-squares step against the pseudo-inverse, and the convergence rate.

Oracles: rotated diagonal matrices with chosen (some exactly zero) eigenvalues
and ``numpy.linalg.pinv``; a quadratic (Newton lands in one step) and a
strictly convex quartic (Newton's local rate is quadratic:
|g_{k+1}| ≤ C |g_k|²).

Smallest slips caught in :func:`krylov_lstsq` / :class:`KrylovLstsq`: the
stopping tests absolute instead of relative to |g| and σ_max (a gradient
or a Hessian scaled by 10⁻⁸ stops after the first check with a wrong step);
the three-term recurrence's β_{j−1} term dropped or taken from the wrong
entry; the breakdown test on an invariant subspace reversed; P's first
column instead of its first row in c = Pᵀβe₁; the residual's square
dropped; the minimum-norm cut applied to the damped step. In
:func:`newton_mr_hvp`: the polish count off by one (a quadratic takes
exactly 1 + polish steps), the forcing term constant (linear, not
quadratic, rate), the Armijo slope's sign.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes.base import Euclidean
from saddlesim.critical.newton_hvp import krylov_lstsq, newton_mr_hvp
from saddlesim.critical.solve import CONVERGED


def _rotated(seed, lam):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((len(lam), len(lam))))
    return Q, (Q * np.asarray(lam)) @ Q.T


class CountingOp:
    def __init__(self, A):
        self.A, self.calls = A, 0

    def __call__(self, v):
        self.calls += 1
        return self.A @ v


LAM = np.r_[np.zeros(3), -3.0, -1.0, -0.2, 0.4, 1.5, np.linspace(0.7, 2.5, 22)]    # n = 30, kernel 3


@pytest.mark.parametrize("hscale", [1e-8, 1.0, 1e8])
@pytest.mark.parametrize("gscale", [1e-8, 1.0, 1e8])
def test_step_is_the_pseudo_inverse_step_on_a_singular_compatible_system(hscale, gscale):
    """g in range(H): the residual is zero and s = −H⁺g, whatever the scale of H and of g."""
    Q, A = _rotated(0, LAM)
    A = hscale * A
    g = gscale * (Q[:, 3:] @ np.random.default_rng(1).standard_normal(27))
    K = krylov_lstsq(lambda v: A @ v, g, maxiter=100, rtol=1e-12)
    s = K.step()
    want = -np.linalg.pinv(A, rcond=1e-10) @ g
    assert np.linalg.norm(s - want) <= 1e-8 * np.linalg.norm(want)
    assert np.linalg.norm(A @ s + g) <= 1e-10 * np.linalg.norm(g)
    assert K.residual() < 1e-6                       # √(1 − |c|²/β²): rounding of order √eps at most
    assert K.beta == pytest.approx(np.linalg.norm(g), rel=1e-14)
    assert K.scale == pytest.approx(3.0 * hscale, rel=1e-10)


@pytest.mark.parametrize("hscale", [1e-8, 1.0, 1e8])
@pytest.mark.parametrize("gscale", [1e-8, 1e8])
def test_step_is_the_pseudo_inverse_step_on_a_singular_incompatible_system(hscale, gscale):
    """g with a kernel share: s = −H⁺g (least squares, minimum norm), residual = the kernel share exactly."""
    Q, A = _rotated(2, LAM)
    A = hscale * A
    rng = np.random.default_rng(3)
    g = gscale * (0.3 * Q[:, :3] @ rng.standard_normal(3) + Q[:, 3:] @ rng.standard_normal(27))
    K = krylov_lstsq(lambda v: A @ v, g, maxiter=100, rtol=1e-12)
    s = K.step()
    want = -np.linalg.pinv(A, rcond=1e-10) @ g
    assert np.linalg.norm(s - want) <= 1e-8 * np.linalg.norm(want)
    share = np.linalg.norm(Q[:, :3].T @ g) / np.linalg.norm(g)
    assert 0.05 < share < 0.9
    assert K.residual() == pytest.approx(share, rel=1e-8)
    assert np.linalg.norm(A @ s + g) / np.linalg.norm(g) == pytest.approx(share, rel=1e-8)
    assert K.slope() == pytest.approx(g @ A @ s, rel=1e-8)
    assert K.slope() == pytest.approx(-(1 - share**2) * (g @ g), rel=1e-8)


@pytest.mark.parametrize("hscale", [1e-8, 1.0, 1e8])
def test_invariant_krylov_space_stops_at_its_dimension_with_the_exact_step(hscale):
    """g in a 4-dimensional invariant subspace: 4 products and a breakdown (relative to |H|), the step exact."""
    Q, A = _rotated(4, LAM)
    A = hscale * A
    g = Q[:, [3, 5, 7, 9]] @ np.array([1.0, -2.0, 0.5, 1.5])
    op = CountingOp(A)
    K = krylov_lstsq(op, g, maxiter=30, rtol=0.0, ls_rtol=0.0)
    assert op.calls == 4 and K.V.shape == (30, 4)
    want = -np.linalg.pinv(A, rcond=1e-10) @ g
    np.testing.assert_allclose(K.step(), want, rtol=1e-10, atol=1e-12 * np.abs(want).max())
    np.testing.assert_allclose(K.V.T @ K.V, np.eye(4), atol=1e-12)


def test_lanczos_basis_and_damped_step_on_the_full_space():
    """maxiter = n: Vᵀ H V is the tridiagonal the SVD factors, and the damped step is (H² + μ)⁻¹ H g."""
    _, A = _rotated(5, np.r_[-2.0, -0.5, 0.3, np.linspace(0.5, 3.0, 9)])
    g = np.random.default_rng(6).standard_normal(12)
    K = krylov_lstsq(lambda v: A @ v, g, maxiter=12, rtol=0.0, ls_rtol=0.0)
    T = K.P[:K.V.shape[1]] @ np.diag(K.sigma) @ K.Wt
    np.testing.assert_allclose(K.V.T @ A @ K.V, T, atol=1e-12)
    np.testing.assert_allclose(K.V[:, 0], g / np.linalg.norm(g), atol=1e-14)
    for mu in (1e-3, 0.7):
        want = -np.linalg.solve(A @ A + mu * np.eye(12), A @ g)
        np.testing.assert_allclose(K.step(mu=mu), want, rtol=1e-9, atol=1e-12)


class Quartic(Euclidean):
    """½ xᵀAx + bᵀx + (κ/4) Σ x⁴ (κ = 0: a quadratic), with an HVP."""

    name = "quartic"

    def __init__(self, A, b, kappa):
        self.A, self.b, self.kappa = A, b, kappa
        self.dim = len(b)
        self.hvps = 0

    def value(self, x):
        return float(0.5 * x @ self.A @ x + self.b @ x + 0.25 * self.kappa * np.sum(x**4))

    def gradient(self, x):
        return self.A @ x + self.b + self.kappa * x**3

    def hessian(self, x):
        return self.A + np.diag(3 * self.kappa * x**2)

    def hvp(self, x, v):
        self.hvps += 1
        return self.A @ v + 3 * self.kappa * x**2 * v


@pytest.mark.parametrize("polish", [0, 1, 3])
def test_a_quadratic_is_solved_in_one_step_then_polished(polish):
    """Exact inner solves: one Newton step reaches the critical point; ``polish`` more steps follow."""
    _, A = _rotated(7, np.r_[-1.0, -0.5, np.linspace(0.5, 2.0, 10)])
    b = np.random.default_rng(8).standard_normal(12)
    land = Quartic(A, b, 0.0)
    r = newton_mr_hvp(land, np.zeros(12), grad_tol=1e-20, inner_rtol=1e-14, polish=polish)
    assert r.status == CONVERGED and r.verdict == "critical"
    assert r.iterations == 1 + polish
    np.testing.assert_allclose(r.x, -np.linalg.solve(A, b), rtol=1e-10)


def _grad_norms(land, x0, steps, **kw):
    return [np.sqrt(newton_mr_hvp(land, x0, grad_tol=0.0, max_iter=k, kicks=0, **kw).grad_norm2)
            for k in range(steps)]


@pytest.mark.parametrize("inner_rtol", [None, 1e-14])
def test_local_rate_on_a_convex_quartic_is_quadratic(inner_rtol):
    """|g_{k+1}| ≤ C |g_k|² with C from the first steps, down to 1e-10 (η = |g|/|g₀| keeps it quadratic)."""
    rng = np.random.default_rng(9)
    _, A = _rotated(10, np.linspace(0.5, 2.0, 16))
    land = Quartic(A, rng.standard_normal(16), 1.0)
    g = _grad_norms(land, rng.standard_normal(16) * 0.3, 8, inner_rtol=inner_rtol)
    assert all(b < a for a, b in zip(g, g[1:]) if a > 1e-12)
    pairs = [(a, b) for a, b in zip(g, g[1:]) if 1e-10 < a < 1e-1]
    assert len(pairs) >= 2
    # quadratic: the ratio |g_{k+1}|/|g_k|² stays bounded (a linear rate 1e-2 gives ratios ≥ 1e-2/|g_k| → ∞)
    ratios = [b / a**2 for a, b in pairs]
    assert max(ratios) < 10.0
    assert g[-1] < 1e-12 * g[0]


def test_flat_residual_counts_curvatures_below_sqrt_eps_as_null():
    """An eigenvalue 10⁻¹⁰ · max|λ| is null for the gradient-flat residual (cut √ε·σ_max) though the step keeps it."""
    lam = np.r_[3e-10, np.linspace(0.5, 3.0, 11)]
    Q, A = _rotated(11, lam)
    g = 0.95 * Q[:, 0] + np.sqrt(1 - 0.95**2) * Q[:, 5]
    K = krylov_lstsq(lambda v: A @ v, g, maxiter=12, rtol=0.0, ls_rtol=0.0)
    assert K.residual() == pytest.approx(0.95, rel=1e-6)
    assert K.residual(cut=1e-12) < 1e-4                # with the step's cut the tiny curvature is "curved"


def test_inexact_steps_meet_the_forcing_term_on_a_quadratic():
    """|g_{k+1}| = |g_k + H s_k| ≤ η_k |g_k|, η_k = min(10⁻², |g_k|/|g_0|) (Dembo et al.), with curvatures down to 10⁻⁴."""
    _, A = _rotated(12, np.geomspace(1e-4, 1.0, 30))
    land = Quartic(A, np.random.default_rng(13).standard_normal(30), 0.0)
    g = _grad_norms(land, np.zeros(30), 4)
    for k in range(3):
        if g[k] > 1e-13 * g[0]:
            eta = min(1e-2, g[k] / g[0])
            assert g[k + 1] <= eta * g[k] * (1 + 1e-6), k
