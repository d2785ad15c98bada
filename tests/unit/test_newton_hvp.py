"""Newton-MR on Hessian-vector products against exact answers and the dense solver.

Smallest bugs caught: the Krylov least-squares step that is not the minimum-norm
one (plain MINRES on a singular system: the kernel part of the step explodes);
a wrong sign of the step or of the Armijo slope (no convergence, or ascent);
the gradient-flat residual computed over the curved directions instead of the
null ones, or compared the wrong way with 0.9; a matrix-free route that is
never taken beyond the dense size.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes import make_landscape
from saddlesim.landscapes.autodiff import import_jax, jax_landscape
from saddlesim.critical.find import end_counts, find_critical_points, flat_residual
from saddlesim.critical.newton_hvp import DENSE_LIMIT, end_verdict, krylov_lstsq, newton_mr_hvp
from saddlesim.critical.solve import CONVERGED, newton_mr

jax = import_jax()
jnp = jax.numpy


def _rotated(rng, lam):
    n = len(lam)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Q, Q @ np.diag(lam) @ Q.T


def test_krylov_step_is_the_pseudo_inverse_step_on_a_singular_incompatible_system():
    """min|g + H s| with three exact zero eigenvalues: the minimum-norm solution −H⁺g, residual = kernel share."""
    rng = np.random.default_rng(0)
    lam = np.r_[np.zeros(3), rng.uniform(-3, 3, 17)]
    Q, A = _rotated(rng, lam)
    g = rng.standard_normal(20)
    K = krylov_lstsq(lambda v: A @ v, g, maxiter=100, rtol=1e-12)
    s = K.step()
    assert np.linalg.norm(s + np.linalg.pinv(A, rcond=1e-10) @ g) < 1e-10 * np.linalg.norm(s)
    kernel_share = np.linalg.norm(Q[:, :3].T @ g) / np.linalg.norm(g)
    assert K.residual() == pytest.approx(kernel_share, rel=1e-10)
    assert K.slope() == pytest.approx(g @ A @ s, rel=1e-10)
    assert K.scale == pytest.approx(np.abs(lam).max(), rel=1e-10)


def test_damped_krylov_step_equals_the_levenberg_marquardt_step():
    rng = np.random.default_rng(1)
    _, A = _rotated(rng, rng.uniform(-2, 2, 12))
    g = rng.standard_normal(12)
    K = krylov_lstsq(lambda v: A @ v, g, maxiter=12, rtol=1e-14)
    mu = 0.3
    want = -np.linalg.solve(A @ A + mu * np.eye(12), A @ g)
    assert np.allclose(K.step(mu=mu), want, rtol=1e-10, atol=1e-12)


def test_quadratic_saddle_of_known_index_is_found_from_hvps_alone():
    """A JAX quartic-plus-quadratic with its one critical point at c, index 2 (the Hessian there is A)."""
    rng = np.random.default_rng(2)
    n = 20
    _, A = _rotated(rng, np.r_[-2.0, -1.0, rng.uniform(0.5, 3.0, n - 2)])
    c = rng.standard_normal(n)
    Aj, cj = jnp.asarray(A), jnp.asarray(c)
    land = jax_landscape(lambda x: 0.5 * (x - cj) @ Aj @ (x - cj) + 0.05 * jnp.sum((x - cj) ** 4), n)

    def no_dense(x):
        raise AssertionError("the matrix-free solver formed the Hessian")

    land.hessian = no_dense
    r = newton_mr_hvp(land, c + 0.3 * rng.standard_normal(n))
    assert r.status == CONVERGED and r.verdict == "critical"
    assert np.linalg.norm(r.x - c) < 1e-10
    assert np.sum(np.linalg.eigvalsh(A) < 0) == 2


def test_rotated_diagonal_with_zero_eigenvalues_ends_gradient_flat():
    """L = ½xᵀAx + bᵀx with b partly in ker A has no critical point: the gradient ends in the kernel (r = 1)."""
    rng = np.random.default_rng(3)
    n = 16
    Q, A = _rotated(rng, np.r_[np.zeros(2), rng.uniform(-3, 3, n - 2)])
    b = rng.standard_normal(n)
    Aj, bj = jnp.asarray(A), jnp.asarray(b)
    land = jax_landscape(lambda x: 0.5 * x @ Aj @ x + bj @ x, n)
    r = newton_mr_hvp(land, np.zeros(n))
    assert r.status != CONVERGED and r.verdict == "gradient-flat"
    assert r.flat_residual == pytest.approx(1.0, abs=1e-8)
    # the least |∇L| possible is the kernel part of b, and Newton-MR reaches it
    assert np.sqrt(r.grad_norm2) == pytest.approx(np.linalg.norm(Q[:, :2].T @ b), rel=1e-8)
    assert flat_residual(land, r.x) == pytest.approx(1.0, abs=1e-8)
    # control: with b out of the kernel the same loss has critical points, found and called critical
    b_r = b - Q[:, :2] @ (Q[:, :2].T @ b)
    land2 = jax_landscape(lambda x: 0.5 * x @ Aj @ x + jnp.asarray(b_r) @ x, n)
    r2 = newton_mr_hvp(land2, np.zeros(n))
    assert r2.verdict == "critical" and r2.flat_residual < 0.9


def test_end_verdict_threshold():
    assert end_verdict(True, 1.0) == "critical"
    assert end_verdict(False, 0.95) == "gradient-flat"
    assert end_verdict(False, 0.9) == "failed"
    assert end_verdict(False, 0.5) == "failed"


def test_agrees_with_dense_newton_mr_on_a_small_tanh_network():
    """Solved to rounding, the Krylov step is the dense step: same path, same end, same iteration count."""
    net = make_landscape("mlp", rng=4, d=2, h=3, m=12, outputs=1)
    rng = np.random.default_rng(5)
    for _ in range(6):
        x0 = net.random_point(rng)
        a = newton_mr(net, x0, max_iter=100, polish=3)
        b = newton_mr_hvp(net, x0, max_iter=100, polish=3, inner_rtol=1e-14)
        assert (a.status, a.iterations) == (b.status, b.iterations)
        assert b.value == pytest.approx(a.value, rel=1e-10)
        # degenerate (non-isolated) end points agree only to the rate Newton approaches them at
        assert np.linalg.norm(a.x - b.x) <= 1e-4 * np.linalg.norm(a.x)


def test_scale_free_acceptance_stops_alike_at_any_loss_scale():
    rng = np.random.default_rng(6)
    _, A = _rotated(rng, np.r_[-1.0, rng.uniform(0.5, 2.0, 7)])
    c = rng.standard_normal(8)
    x0 = c + 0.2 * rng.standard_normal(8)
    ends = []
    for scale in (1e-6, 1.0, 1e6):
        Aj, cj = jnp.asarray(scale * A), jnp.asarray(c)
        land = jax_landscape(lambda x, Aj=Aj, cj=cj, s=scale: 0.5 * (x - cj) @ Aj @ (x - cj)
                             + s * 0.1 * jnp.sum((x - cj) ** 4), 8)
        r = newton_mr_hvp(land, x0, grad_tol=None)
        assert r.verdict == "critical"
        ends.append(r.x)
    assert np.allclose(ends[0], c, atol=1e-9) and np.allclose(ends[2], c, atol=1e-9)


def test_finder_counts_ends_on_the_matrix_free_route():
    net = make_landscape("mlp", rng=7, d=2, h=2, m=10, outputs=1)
    starts = [net.random_point(np.random.default_rng(i)) for i in range(6)]
    free = find_critical_points(net, starts, matrix_free=True)
    c = end_counts(free)
    assert sum(c.values()) == 6 and c["critical"] == int(free.points["times_found"].sum())
    assert set(free.rejected["verdict"]) <= {"gradient-flat", "failed"}
    for x in free.coords:   # every accepted point is critical by the hand-written gradient
        assert np.sum(net.gradient(x) ** 2) <= 1e-10


def test_finder_picks_the_matrix_free_solver_beyond_the_dense_limit(monkeypatch):
    import saddlesim.critical.find as find

    calls = []
    real = find.newton_mr_hvp

    def spy(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(find, "newton_mr_hvp", spy)
    for n, expect in ((8, 0), (DENSE_LIMIT + 1, 2)):
        land = jax_landscape(lambda x: 0.25 * jnp.sum((x**2 - 1.0) ** 2), n)
        calls.clear()
        found = find_critical_points(land, [np.full(n, 0.9), np.full(n, -1.1)])
        assert len(calls) == expect
        assert sorted(found.points["label"]) == ["minimum", "minimum"]


def test_mlp_beyond_a_thousand_parameters_builds():
    net = make_landscape("mlp", rng=8, d=40, h=30, m=5, outputs=2)
    assert net.dim > 1000
