"""A small Newton solver for ∇L = 0, enough to put the descent experiment at exact saddles.

Newton's step d solves H d = −g (in the tangent basis; least squares where H
is singular), so it is attracted to critical points of every index, not only
minima. A backtracking line search on ½|g|² keeps it stable: along d,
d/dt ½|g(x + t d)|² = gᵀH d = −|g|² < 0. A point is accepted only when
|g|² ≤ ``gtol2`` (default 1e-20: the escape experiment perturbs saddles by
δ ≈ 1e-4, so a residual gradient must be far below δ·|λ|).

References
----------
Nocedal & Wright (2006), *Numerical Optimization*, 2nd ed., §11.2 (Newton's
method for nonlinear equations with a line search on the merit ½|F|²).
Frye et al. (2019), arXiv:1901.10603 (why the cut-off on |g|² matters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NewtonResult", "newton_critical_point"]


@dataclass(frozen=True)
class NewtonResult:
    """Outcome of :func:`newton_critical_point` (in the manner of scipy's ``OptimizeResult``).

    Attributes
    ----------
    x : ndarray, shape (dim,)
        Last iterate.
    value, grad_norm2 : float
        L(x) and |grad L(x)|².
    nit : int
        Newton steps taken.
    success : bool
        ``grad_norm2 <= gtol2``.
    message : str
        Why it stopped.
    """

    x: np.ndarray
    value: float
    grad_norm2: float
    nit: int
    success: bool
    message: str


def newton_critical_point(L, x0, *, gtol2: float = 1e-20, max_iter: int = 100, max_step: float = 1.0) -> NewtonResult:
    """Newton's method on grad L = 0 from ``x0``, with a line search on ½|g|² and a step cap.

    Parameters
    ----------
    L : Landscape
    x0 : ndarray, shape (dim,)
    gtol2 : float
        Accept when |g|² ≤ gtol2.
    max_iter : int
        Newton steps at most.
    max_step : float
        Largest step length (a trust radius: far from a critical point a raw
        Newton step can be huge).

    Returns
    -------
    NewtonResult
    """
    x = np.asarray(x0, dtype=float)
    g = L.gradient(x)
    g2 = float(g @ g)
    for it in range(max_iter):
        if g2 <= gtol2:
            return NewtonResult(x, L.value(x), g2, it, True, f"|grad|^2 = {g2:.2e} <= {gtol2:g}")
        U = L.tangent_basis(x)
        d = -np.linalg.lstsq(L.hessian(x), U.T @ g, rcond=1e-13)[0]
        norm = np.linalg.norm(d)
        if norm > max_step:
            d *= max_step / norm
        t = 1.0
        for _ in range(40):
            y = L.retract(x, t * (U @ d))
            gy = L.gradient(y)
            gy2 = float(gy @ gy)
            if gy2 < g2:
                break
            t /= 2
        else:
            return NewtonResult(x, L.value(x), g2, it, False, "line search found no decrease of |grad|^2")
        x, g, g2 = y, gy, gy2
    ok = g2 <= gtol2
    return NewtonResult(x, L.value(x), g2, max_iter, ok, "converged" if ok else f"no convergence in {max_iter} steps")
