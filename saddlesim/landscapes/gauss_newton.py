"""Split a network's Hessian into Wishart (Gauss–Newton) and Wigner (residual) parts, in P&B units.

For the squared loss ``L = ‖Y − T‖²_F / (2 m o)`` the Hessian is

    H = H₀ + H₁,   H₀ = JᵀJ / (m o),   H₁ = (1/(m o)) Σ_i (y_i − t_i) ∇²y_i,

with J = ∂vec(Y)/∂x the output Jacobian. Pennington & Bahri (2017) model H₀
as Wishart and H₁ as Wigner, in units where H₀ has mean eigenvalue 1; the
Wigner part's semicircle then has variance ``σ² = 2ε`` and ``ε`` grows with
the loss (H₁ is linear in the residuals). At a critical point x this module
measures, with ``g = tr(H₀)/n`` the Gauss–Newton mean eigenvalue:

``eps_loss = L / g``
    the loss in units of H₀'s scale (P&B's ε up to one constant c that
    depends on the network's output curvature; :func:`fit_epsilon_scale`
    fits c);
``eps_hessian = tr(H₁²) / (2 n g²)``
    ε read off the Hessian itself: the second moment of ``H₁/g``, which for
    a semicircle of variance 2ε is 2ε. No free constant.

References
----------
J. Pennington and Y. Bahri, "Geometry of neural network loss surfaces via
random matrix theory", ICML 2017, §3 (the decomposition and the units).
B. A. Pearlmutter, "Fast exact multiplication by the Hessian", Neural
Computation 6 (1994) (the forward R-operator that gives J exactly).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["output_jacobian", "gauss_newton", "wigner_epsilon", "hessian_split", "fit_epsilon_scale"]


def output_jacobian(net, x: np.ndarray) -> np.ndarray:
    """Exact Jacobian of the network outputs, shape (m·o, dim), rows in ``Y.ravel()`` order.

    The forward R-operator (Pearlmutter 1994) along every basis vector at once.

    Parameters
    ----------
    net : saddlesim.landscapes.mlp.TanhMLP
    x : ndarray, shape (dim,)
    """
    W1, b1, W2, _ = net.split(x)
    V1, c1, V2, c2 = net.split(np.eye(net.dim))
    Z = np.tanh(net.X @ W1.T + b1)
    RA = net.X @ np.swapaxes(V1, -1, -2) + c1[:, None, :]
    RY = ((1 - Z**2) * RA) @ W2.T + Z @ np.swapaxes(V2, -1, -2) + c2[:, None, :]  # (dim, m, o)
    return RY.reshape(net.dim, -1).T


def gauss_newton(net, x: np.ndarray) -> np.ndarray:
    """The Gauss–Newton (Wishart) part ``JᵀJ/(m o)`` of the loss Hessian, shape (dim, dim)."""
    J = output_jacobian(net, x)
    return J.T @ J / (net.m * net.outputs)


def wigner_epsilon(H0: np.ndarray, H: np.ndarray) -> tuple[float, float]:
    """Scale of ``H₀`` and ε of the residual ``H − H₀`` in units where ``H₀`` has mean eigenvalue 1.

    Parameters
    ----------
    H0 : ndarray, shape (n, n)
        The positive semidefinite (Wishart) part.
    H : ndarray, shape (n, n)
        The whole matrix.

    Returns
    -------
    g : float
        ``tr(H₀)/n``.
    eps : float
        ``tr((H − H₀)²) / (2 n g²)``: a Wigner matrix whose semicircle has
        variance σ² has ``tr(W²)/n → σ²``, and Pennington & Bahri's model
        sets σ² = 2ε.

    References
    ----------
    Pennington & Bahri, ICML 2017, §3.
    """
    H0 = np.asarray(H0, dtype=float)
    H = np.asarray(H, dtype=float)
    if H0.ndim != 2 or H0.shape[0] != H0.shape[1] or H.shape != H0.shape:
        raise ValueError(f"need two square matrices of one shape, got {H0.shape} and {H.shape}")
    n = H0.shape[0]
    g = float(np.trace(H0)) / n
    if not g > 0:
        raise ValueError(f"the Wishart part has mean eigenvalue {g}; need > 0")
    R = H - H0
    return g, float(np.sum(R * R)) / (2 * n * g * g)


def hessian_split(net, x: np.ndarray) -> dict:
    """P&B coordinates of the point ``x`` of a tanh network: ``gn_mean``, ``eps_loss``, ``eps_hessian``.

    Returns
    -------
    dict
        ``gn_mean = tr(H₀)/n``, ``eps_loss = L/gn_mean``,
        ``eps_hessian = tr(H₁²)/(2 n gn_mean²)`` (see the module docstring).
    """
    g, eps = wigner_epsilon(gauss_newton(net, x), net.hessian(x))
    return {"gn_mean": g, "eps_loss": net.value(x) / g, "eps_hessian": eps}


def fit_epsilon_scale(u, alpha, phi: float, weights=None, *, bounds=(1e-3, 1e3)) -> tuple[float, float]:
    """Fit the single constant c of ``ε = c·u`` so that α(c·u, φ) matches measured index fractions.

    Parameters
    ----------
    u : array_like, shape (k,)
        Loss in Gauss–Newton units (``eps_loss``), > 0.
    alpha : array_like, shape (k,)
        Measured index fractions.
    phi : float
    weights : array_like, shape (k,), optional
        Inverse standard errors (default equal).
    bounds : (float, float)
        Search interval for c (log-uniform golden section).

    Returns
    -------
    c : float
    rms : float
        Root-mean-square (unweighted) residual α − α(c·u, φ) at the optimum.

    References
    ----------
    Pennington & Bahri, ICML 2017, §4 (ε proportional to the loss).
    """
    from scipy.optimize import minimize_scalar

    from saddlesim.theory.wishart_wigner import ww_alpha

    u = np.asarray(u, dtype=float)
    a = np.asarray(alpha, dtype=float)
    if u.ndim != 1 or u.shape != a.shape or u.size < 1:
        raise ValueError("u and alpha must be 1-d arrays of one length >= 1")
    if np.any(~np.isfinite(u)) or np.any(u <= 0) or np.any(~np.isfinite(a)):
        raise ValueError("u must be positive and finite, alpha finite")
    w = np.ones_like(u) if weights is None else np.asarray(weights, dtype=float)

    def model(c):
        return np.array([ww_alpha(float(c * t), phi) for t in u])

    def cost(logc):
        return float(np.sum((w * (a - model(math.exp(logc)))) ** 2))

    lo, hi = math.log(bounds[0]), math.log(bounds[1])
    # a coarse scan first: the cost is flat (α = 0) below threshold, so a local search alone can stall
    grid = np.linspace(lo, hi, 25)
    best = int(np.argmin([cost(t) for t in grid]))
    res = minimize_scalar(cost, bounds=(grid[max(0, best - 1)], grid[min(len(grid) - 1, best + 1)]),
                          method="bounded", options={"xatol": 1e-6})
    c = math.exp(float(res.x))
    return c, float(np.sqrt(np.mean((a - model(c)) ** 2)))
