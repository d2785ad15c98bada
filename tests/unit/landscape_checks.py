"""Finite-difference oracles shared by the landscape tests (derivatives are checked here, never in solvers)."""

from __future__ import annotations

import numpy as np

__all__ = ["fd_euclidean", "fd_riemannian"]


def fd_euclidean(L, x, h=1e-5):
    """Central differences of value (→ gradient) and of gradient (→ Hessian), shapes (dim,), (dim, dim)."""
    E = np.eye(L.dim)
    g = np.array([(L.value(x + h * e) - L.value(x - h * e)) / (2 * h) for e in E])
    H = np.array([(L.gradient(x + h * e) - L.gradient(x - h * e)) / (2 * h) for e in E])
    return g, (H + H.T) / 2


def fd_riemannian(L, x, h=1e-4):
    """Derivatives along the retraction in the tangent basis U = L.tangent_basis(x).

    g_i = d/dt f(R(x, t u_i)) and H_ij from second differences of f(R(x, t(u_i ± u_j))):
    the metric-projection retraction on the sphere is second order, so the second
    derivative of f along it is the Riemannian Hessian's quadratic form (Absil et al. 2008, §5.5).
    """
    U = L.tangent_basis(x)
    n = U.shape[1]
    f0 = L.value(x)

    def second(v):
        return (L.value(L.retract(x, h * v)) - 2 * f0 + L.value(L.retract(x, -h * v))) / h**2

    g = np.array([(L.value(L.retract(x, h * u)) - L.value(L.retract(x, -h * u))) / (2 * h) for u in U.T])
    q = np.array([second(u) for u in U.T])
    H = np.diag(q)
    for i in range(n):
        for j in range(i + 1, n):
            H[i, j] = H[j, i] = (second(U[:, i] + U[:, j]) - q[i] - q[j]) / 2
    return U, g, H
