"""Polish one point with Newton-MR and say what it reached (``saddlesim point --polish``).

:func:`polish_point` moves ``x`` to the nearby critical point Newton-MR
converges to (dense :func:`~saddlesim.critical.solve.newton_mr` up to
:data:`~saddlesim.critical.newton_hvp.DENSE_LIMIT` tangent dimensions,
matrix-free :func:`~saddlesim.critical.newton_hvp.newton_mr_hvp` beyond)
and labels the end point with :func:`~saddlesim.critical.verdict.point_verdict`.
Acceptance is scale-free, as the verdict's: ``|∇L| ≤ 10⁻⁸ · max|λ| · max(1, |x|)``
with ``max|λ|`` the curvature scale at the start, so a loss multiplied by
any constant is polished to the same point.

References
----------
Roosta et al. (2018), arXiv:1810.00303 (Newton-MR); Frye et al. (2021),
Neural Computation 33(6) (gradient-flat end points).
"""

from __future__ import annotations

import numpy as np

from saddlesim.critical.newton_hvp import DENSE_LIMIT, newton_mr_hvp
from saddlesim.critical.solve import newton_mr
from saddlesim.critical.verdict import RTOL_GRAD, RTOL_NULL, point_verdict

__all__ = ["polish_point", "POLISHED_KEYS"]

#: Keys of the ``polished`` object.
POLISHED_KEYS = ("distance", "loss", "grad_norm", "index", "nullity", "positive", "label", "verdict",
                 "iterations", "solver")


def polish_point(landscape, x, *, max_iter: int = 100, matrix_free: bool | None = None, callback=None,
                 rtol_null: float = RTOL_NULL) -> tuple[np.ndarray, dict]:
    """Newton-MR from ``x``; the end point and what it is.

    Parameters
    ----------
    landscape : Landscape
    x : array_like, shape (dim,)
    max_iter : int
        Newton steps at most.
    matrix_free : bool, optional
        Force the solver; default by size (dense up to ``DENSE_LIMIT``).
    callback : callable, optional
        ``callback(iteration, x, |∇L|²)`` after each Newton step; a true
        return stops there (a budget) and the verdict is that of the last iterate.
    rtol_null : float
        The verdict's relative curvature threshold at the end point.

    Returns
    -------
    x_polished : ndarray, shape (dim,)
    polished : dict
        :data:`POLISHED_KEYS`: ``distance`` |x_polished − x|, ``loss``,
        ``grad_norm``, ``index``, ``nullity``, ``positive``, ``label`` and
        ``verdict`` of :func:`~saddlesim.critical.verdict.point_verdict` at
        the end point, the Newton ``iterations`` and the ``solver``
        (``dense`` or ``hvp``).
    """
    x = np.asarray(x, dtype=float)
    if matrix_free is None:
        matrix_free = landscape.manifold_dim > DENSE_LIMIT
    if matrix_free:
        r = newton_mr_hvp(landscape, x, grad_tol=None, max_iter=max_iter, polish=3, callback=callback)
    else:
        lam = np.linalg.eigvalsh(landscape.hessian(x))
        scale = float(np.abs(lam).max(initial=0.0))
        tol = (RTOL_GRAD * scale * max(1.0, float(np.linalg.norm(x)))) ** 2
        r = newton_mr(landscape, x, grad_tol=tol if tol > 0 else 1e-30, max_iter=max_iter, polish=3,
                      callback=callback)
    if not np.all(np.isfinite(r.x)):
        raise ValueError("polishing diverged (non-finite coordinates); the point is not near a critical point")
    v = point_verdict(landscape, r.x, rtol_null=rtol_null)
    polished = {
        "distance": float(np.linalg.norm(r.x - x)),
        **{k: v[k] for k in ("loss", "grad_norm", "index", "nullity", "positive", "label", "verdict")},
        "iterations": int(r.iterations),
        "solver": "hvp" if matrix_free else "dense",
    }
    return r.x, polished
