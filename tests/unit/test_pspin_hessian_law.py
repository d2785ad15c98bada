"""The stated Hessian law of the p-spin, checked on the `losses` landscape itself.

Theory (saddlesim.theory.pspin): in an orthonormal tangent basis the
Riemannian Hessian of H is ``P ∇²H P - p u I`` exactly, and ``P ∇²H P`` at a
fixed σ is ``√(2p(p-1)/N)`` times a saddlesim GOE. Here the Euclidean Hessian
is rebuilt from the couplings J independently of the landscape code.
"""

import itertools
import math

import numpy as np
import pytest

from saddlesim.landscapes import PSpin, pspin
from saddlesim.theory.pspin import pspin_hessian_law


def _ehess_H(J, x):
    """∇²H from J directly: N^{-(p-1)/2} Σ over the p(p-1) ordered slot pairs."""
    N, p = J.shape[0], J.ndim
    out = np.zeros((N, N))
    for a, b in itertools.permutations(range(p), 2):
        T = np.moveaxis(J, (a, b), (0, 1))
        for _ in range(p - 2):
            T = T @ x
        out += T
    return out * N ** (-(p - 1) / 2)


def _newton_critical_point(land, x, iters=60):
    for _ in range(iters):
        U = land.tangent_basis(x)
        g = U.T @ land.gradient(x)
        if g @ g < 1e-26:
            return x
        step = np.linalg.solve(land.hessian(x), -g)
        x = land.retract(x, U @ step)
    return None


@pytest.mark.parametrize("N,p", [(6, 3), (5, 4)])
def test_hessian_at_critical_points_is_tangent_block_shifted_by_minus_p_u(N, p):
    """Catches a wrong radial term (e.g. -u or -(p-1)u instead of -p u) or scale N."""
    rng = np.random.default_rng(np.random.SeedSequence(3, spawn_key=(N, p)))
    J = rng.standard_normal((N,) * p)
    land = PSpin(J)
    found = 0
    for _ in range(20):
        x = _newton_critical_point(land, land.random_point(rng))
        if x is None:
            continue
        found += 1
        u = land.value(x)
        scale, shift = pspin_hessian_law(N, p, u)
        U = land.tangent_basis(x)
        E = _ehess_H(J, x)
        riem = N * land.hessian(x)  # Hess H = N Hess u
        np.testing.assert_allclose(riem, U.T @ E @ U + shift * np.eye(N - 1), atol=1e-9)
        # mean eigenvalue: (tr ∇²H - p(p-1)u)/(N-1) - p u, since σᵀ∇²Hσ = p(p-1)H
        mean_eig = np.linalg.eigvalsh(riem).mean()
        assert mean_eig == pytest.approx((np.trace(E) - p * (p - 1) * u) / (N - 1) - p * u, abs=1e-9)
        assert x @ E @ x / N == pytest.approx(p * (p - 1) * u, abs=1e-9)
    assert found >= 10


def test_tangent_block_is_scaled_goe():
    """Var of the tangent block of ∇²H at a fixed σ: scale² on the diagonal, scale²/2 off it.

    M = 4000 instances, 3 diagonal + 3 off-diagonal entries pooled: the sample
    variance has relative s.e. √(2/(3M)) ≈ 1.3 %, so 6σ ≈ 8 % — catches N-1
    for N (33 %) or a missing √2 (factor 2) in the scale.
    """
    N, p, M = 4, 3, 4000
    root = np.random.SeedSequence(11)
    x = np.ones(N)  # |x|² = N
    land0 = PSpin(np.zeros((N,) * p))
    U = land0.tangent_basis(x)
    diag, off = [], []
    for child in root.spawn(M):
        land = pspin(N, p, rng=child)
        B = U.T @ (N * land.ehess(x)) @ U
        diag.extend(np.diag(B))
        off.extend(B[np.triu_indices(N - 1, 1)])
    scale, _ = pspin_hessian_law(N, p, 0.0)
    for vals, var in ((np.array(diag), scale**2), (np.array(off), scale**2 / 2)):
        n = vals.size
        est = vals.var()
        assert abs(est - var) < 6 * var * math.sqrt(2 / n), (est, var)
        # negative control: the (N-1) normalisation is out of the band
        wrong = var * N / (N - 1)
        assert abs(est - wrong) > 6 * wrong * math.sqrt(2 / n)
