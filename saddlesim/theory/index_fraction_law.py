"""The index fraction of critical points against their loss: Pennington & Bahri's 3/2 law and its fit.

Random-matrix theory of the Hessian (Wishart Gauss–Newton part plus a Wigner residual) predicts
that near the loss ε_c where critical points become minima, the index fraction grows as

    α(ε) = c · (ε − ε_c)^{3/2}   for ε > ε_c,   α = 0 below,

(Pennington & Bahri 2017, eq. 9: α ≈ α₀ |(ε − ε_c)/ε_c|^{3/2}; c absorbs α₀/ε_c^{3/2}).
The coin-flip claim instead puts α = ½ at every loss. :func:`fit_index_law` fits c and ε_c
(exponent 3/2), the linear law (exponent 1) and a free exponent to measured (loss, index
fraction) pairs by least squares, with standard errors from the Jacobian at the optimum, so a
results table can say which law the points follow.

References
----------
Pennington & Bahri (2017), Geometry of neural network loss surfaces via random matrix theory,
ICML, PMLR 70:2798–2806.
"""

from __future__ import annotations

import numpy as np

__all__ = ["index_fraction_law", "fit_index_law"]


def index_fraction_law(loss, c: float, eps_c: float, exponent: float = 1.5) -> np.ndarray:
    """α(ε) = c·max(ε − ε_c, 0)^exponent.

    Parameters
    ----------
    loss : array_like, shape (m,)
    c, eps_c, exponent : float

    Returns
    -------
    ndarray, shape (m,)
    """
    gap = np.maximum(np.asarray(loss, dtype=float) - eps_c, 0.0)
    return c * gap ** exponent


def fit_index_law(loss, alpha, *, exponent: float | None = 1.5) -> dict:
    """Least-squares fit of α = c·(ε − ε_c)₊^p to points (ε_i, α_i).

    Parameters
    ----------
    loss : array_like, shape (m,)
        Loss of each distinct critical point.
    alpha : array_like, shape (m,)
        Its index fraction (index / n).
    exponent : float or None
        p held fixed (1.5: Pennington–Bahri; 1.0: linear), or None to fit it too.

    Returns
    -------
    dict
        ``c``, ``eps_c``, ``exponent`` and their standard errors (``*_se``; 0 for a fixed
        exponent), the 95 % intervals ``eps_c_lo/hi`` and ``c_lo/hi`` (±1.96 se),
        ``rss`` (residual sum of squares), ``rmse``, ``m`` (points), ``dof`` (m − fitted
        parameters) and ``aic`` (m·log(rss/m) + 2·parameters) for comparing laws.
    """
    from scipy.optimize import least_squares

    eps = np.asarray(loss, dtype=float)
    a = np.asarray(alpha, dtype=float)
    if eps.shape != a.shape or eps.ndim != 1:
        raise ValueError(f"loss and alpha must be 1-D of one length, got {eps.shape} and {a.shape}")
    free = exponent is None
    k = 3 if free else 2
    if eps.size <= k:
        raise ValueError(f"need more than {k} points to fit {k} parameters, got {eps.size}")
    if np.ptp(eps) <= 0:
        raise ValueError("all points have one loss: the law's shape cannot be fitted")
    span = np.ptp(eps)

    def unpack(theta):
        return (theta[0], theta[1], theta[2] if free else exponent)

    def residual(theta):
        c, ec, p = unpack(theta)
        return index_fraction_law(eps, c, ec, p) - a

    best = None
    # ε_c is where α leaves 0: start it below, at and beyond the smallest loss (the fit is not convex)
    for ec0 in eps.min() - span * np.array([0.5, 0.1, 0.0]) + np.array([0.0, 0.0, 1e-3 * span]):
        p0 = 1.5 if free else exponent
        gap = max(np.median(eps) - ec0, 1e-12)
        c0 = max(np.median(a), 1e-6) / gap ** p0
        theta0 = [c0, ec0, p0] if free else [c0, ec0]
        lower = [0.0, -np.inf, 0.1] if free else [0.0, -np.inf]
        upper = [np.inf, eps.max(), 10.0] if free else [np.inf, eps.max()]
        res = least_squares(residual, theta0, bounds=(lower, upper), x_scale="jac", method="trf")
        if best is None or res.cost < best.cost:
            best = res
    c, ec, p = unpack(best.x)
    rss = float(2.0 * best.cost)
    m = int(eps.size)
    dof = m - k
    J = best.jac
    try:
        cov = np.linalg.pinv(J.T @ J) * (rss / dof if dof > 0 else np.nan)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    except np.linalg.LinAlgError:  # pragma: no cover - pinv does not raise on finite input
        se = np.full(k, np.nan)
    out = {"c": float(c), "eps_c": float(ec), "exponent": float(p),
           "c_se": float(se[0]), "eps_c_se": float(se[1]), "exponent_se": float(se[2]) if free else 0.0,
           "rss": rss, "rmse": float(np.sqrt(rss / m)), "m": m, "dof": dof,
           "aic": float(m * np.log(max(rss, 1e-300) / m) + 2 * k)}
    out.update({"c_lo": out["c"] - 1.96 * out["c_se"], "c_hi": out["c"] + 1.96 * out["c_se"],
                "eps_c_lo": out["eps_c"] - 1.96 * out["eps_c_se"],
                "eps_c_hi": out["eps_c"] + 1.96 * out["eps_c_se"]})
    return out
