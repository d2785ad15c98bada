"""A verdict for one point: is it critical, and if so a minimum, a maximum or a saddle of which index?

The point is not moved. Both thresholds are relative to the loss's own
scales, so a loss multiplied by 10⁻⁶ or 10⁶ gets the same verdict:

- curvature: ``null_tol = rtol_null · max|λ|`` (λ the Hessian's eigenvalues);
  index = #{λ < −null_tol}, nullity = #{|λ| ≤ null_tol};
- gradient: ``grad_tol = rtol_grad · max|λ| · max(1, |x|)``, a gradient
  small against what the curvature makes of a step of the point's own size.

The verdict, in this order:

``critical``       |∇L| ≤ grad_tol;
``gradient-flat``  the gradient lies in the near-kernel: the Newton system
                   H p = −∇L has relative least-squares residual
                   r = |H p + ∇L| / |∇L| > 0.9 (Frye et al. 2021), so no step
                   along the curved directions removes it;
``near-critical``  the Newton step |p| is at most ``rtol_step · max(1, |x|)``:
                   a critical point is a tiny step away;
``not-critical``   otherwise.

References
----------
Frye, Simon, Wadia, Ligeralde, DeWeese & Bouchard (2021), Critical point-finding
methods reveal gradient-flat regions of deep network losses, Neural Computation
33(6), 1469–1497 (arXiv:2003.10397), §2.3 (gradient-flat points, r > 0.9).
"""

from __future__ import annotations

import numpy as np

from saddlesim.index.classify import label_with_nullity

__all__ = ["point_verdict", "matrix_free_verdict", "VERDICTS", "RTOL_NULL", "RTOL_GRAD", "RTOL_STEP",
           "FLAT_RESIDUAL", "DENSE_LIMIT"]

VERDICTS = ("critical", "gradient-flat", "near-critical", "not-critical")
#: Relative curvature threshold: √ε, the accuracy of eigenvalues of a Hessian whose entries
#: carry rounding error of order ε·|H| (the loss's own rounding propagates at least this far).
RTOL_NULL = float(np.sqrt(np.finfo(float).eps))
#: Relative gradient threshold for "critical".
RTOL_GRAD = 1e-8
#: Newton step, relative to max(1, |x|), below which a point is "near-critical".
RTOL_STEP = 1e-3
#: Frye et al.'s residual threshold for "gradient-flat".
FLAT_RESIDUAL = 0.9
#: Above this many parameters the Hessian is not formed: :func:`matrix_free_verdict`.
DENSE_LIMIT = 3000


def point_verdict(landscape, x, *, rtol_null: float = RTOL_NULL, rtol_grad: float = RTOL_GRAD,
                  rtol_step: float = RTOL_STEP, eigh=None) -> dict:
    """Label the point ``x`` of ``landscape`` from its dense Hessian, without moving it.

    Parameters
    ----------
    landscape : Landscape
        Anything with ``value``, ``gradient``, ``hessian``, ``tangent_basis``
        (see :mod:`saddlesim.landscapes.base`).
    x : array_like, shape (dim,)
    rtol_null, rtol_grad, rtol_step : float
        The relative thresholds of the module docstring.
    eigh : tuple of ndarray, optional
        ``(λ (n,), V (n, n))``, the caller's eigendecomposition of this
        point's Hessian (one decomposition shared with other uses of it).

    Returns
    -------
    dict
        ``n`` (tangent dimension), ``loss``, ``grad_norm``, ``index``,
        ``nullity``, ``positive``, ``label`` (minimum / maximum / saddle /
        degenerate), ``verdict`` (one of :data:`VERDICTS`), ``lambda_min``,
        ``lambda_max``, ``grad_tol``, ``null_tol``, ``newton_step``,
        ``flat_residual``.

    Raises
    ------
    ValueError
        ``x`` of the wrong shape or not finite, or a loss, gradient or Hessian
        that is not finite there.
    """
    x = np.asarray(x, dtype=float)
    if x.shape != (landscape.dim,):
        raise ValueError(f"the point has shape {x.shape}; {landscape.name} needs ({landscape.dim},)")
    if not np.all(np.isfinite(x)):
        raise ValueError("the point has non-finite coordinates")
    if landscape.dim > DENSE_LIMIT and callable(getattr(landscape, "hvp", None)):
        return matrix_free_verdict(landscape, x, rtol_null=rtol_null, rtol_grad=rtol_grad, rtol_step=rtol_step)
    loss = float(landscape.value(x))
    U = landscape.tangent_basis(x)
    g = U.T @ np.asarray(landscape.gradient(x), dtype=float)   # tangent coordinates
    H = np.asarray(landscape.hessian(x), dtype=float)
    if not (np.isfinite(loss) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))):
        raise ValueError("the loss, gradient or Hessian is not finite at this point")
    if eigh is None:
        H = H + H.T             # symmetrised with one n × n copy (46 MB at 2410 parameters), not two
        H *= 0.5
        lam, V = np.linalg.eigh(H)
    else:
        lam, V = eigh
    scale = float(np.max(np.abs(lam))) if lam.size else 0.0
    null_tol = rtol_null * scale
    grad_tol = _grad_tol(rtol_grad, scale, x)
    neg = int(np.sum(lam < -null_tol))
    zero = int(np.sum(np.abs(lam) <= null_tol))
    pos = lam.size - neg - zero
    grad_norm = float(np.linalg.norm(g))
    # least squares H p = -g on the curved directions; the kernel part of g is the residual
    c = V.T @ g
    curved = np.abs(lam) > null_tol
    step = float(np.linalg.norm(c[curved] / lam[curved])) if curved.any() else np.inf
    residual = float(np.linalg.norm(c[~curved]) / grad_norm) if grad_norm > 0 else 0.0
    verdict = _verdict(grad_norm, grad_tol, residual, step, rtol_step * max(1.0, float(np.linalg.norm(x))))
    return {
        "n": int(lam.size), "loss": loss, "grad_norm": grad_norm,
        "index": neg, "nullity": zero, "positive": int(pos),
        "label": str(label_with_nullity([neg], [zero], [pos])[0]),
        "verdict": verdict,
        "lambda_min": float(lam[0]), "lambda_max": float(lam[-1]),
        "grad_tol": grad_tol, "null_tol": null_tol,
        "newton_step": step, "flat_residual": residual,
    }


def _grad_tol(rtol_grad, scale, x) -> float:
    """rtol_grad · max|λ| · max(1, |x|): relative to the curvature scale, so the verdict ignores the loss's units."""
    return rtol_grad * scale * max(1.0, float(np.linalg.norm(x)))


def _verdict(grad_norm, grad_tol, residual, step, step_tol) -> str:
    """The four verdicts, shared by the dense and matrix-free routes (see :func:`point_verdict`)."""
    if grad_norm <= grad_tol:
        return "critical"
    if residual > FLAT_RESIDUAL:
        return "gradient-flat"
    return "near-critical" if step <= step_tol else "not-critical"


def matrix_free_verdict(landscape, x, *, rtol_null: float = RTOL_NULL, rtol_grad: float = RTOL_GRAD,
                        rtol_step: float = RTOL_STEP, rng=0) -> dict:
    """:func:`point_verdict` from Hessian-vector products only (Euclidean landscapes with ``hvp``).

    Index and nullity (threshold ``rtol_null`` · max|λ|, max|λ| from Lanczos) come from :func:`saddlesim.curvature.spectrum.spectrum`
    (certified count, else stochastic Lanczos quadrature, rounded, with its
    95 % interval in ``index_lo``/``index_hi``); the Newton step and the
    gradient-flat residual from MINRES on H p = −∇L (Paige & Saunders 1975),
    whose iterates minimise |H p + ∇L| over the Krylov space, the
    least-squares residual of the dense route when it converges.
    Same keys as :func:`point_verdict`, plus ``method``, ``index_lo``,
    ``index_hi``, ``index_status``, ``hvps``, ``lambda_min_bound``/``lambda_max_bound``
    (residual bounds of the extreme Ritz values: each lies within its bound of an eigenvalue) and
    ``slq`` (the SLQ run, for counts at other thresholds; not JSON).
    """
    from scipy.sparse.linalg import LinearOperator, minres

    from saddlesim.curvature.lanczos import extreme_eigenpairs
    from saddlesim.curvature.operators import landscape_operator
    from saddlesim.curvature.spectrum import spectrum

    x = np.asarray(x, dtype=float)
    loss = float(landscape.value(x))
    g = np.asarray(landscape.gradient(x), dtype=float)
    if not (np.isfinite(loss) and np.all(np.isfinite(g))):
        raise ValueError("the loss or gradient is not finite at this point")
    ext = extreme_eigenpairs(landscape_operator(landscape, x), 1, rtol=1e-6, max_steps=150, rng=rng)
    null_tol = rtol_null * max(abs(float(ext["smallest"][0])), abs(float(ext["largest"][0])))
    # certified count, else SLQ's estimate with its interval (dense_limit 0: never form H)
    s = spectrum(landscape, x, method="auto", dense_limit=0, tol=null_tol, rng=rng)
    # the extremes: the most extreme Ritz values seen, each with its residual bound (never shown as exact)
    lmin, bmin = min((float(ext["smallest"][0]), float(ext["smallest_bounds"][0])),
                     (float(s["lambda_min"]), float(s["lambda_min_bound"])))
    lmax, bmax = max((float(ext["largest"][0]), float(ext["largest_bounds"][0])),
                     (float(s["lambda_max"]), float(s["lambda_max_bound"])))
    scale = max(abs(lmin), abs(lmax))
    n = landscape.dim
    index, nullity = int(round(s["index"])), int(round(s["nullity"]))
    pos = n - index - nullity
    grad_norm = float(np.linalg.norm(g))
    grad_tol = _grad_tol(rtol_grad, scale, x)
    H = LinearOperator((n, n), matvec=lambda v: landscape.hvp(x, v), dtype=float)
    p, _ = minres(H, -g, maxiter=200)
    step = float(np.linalg.norm(p))
    residual = float(np.linalg.norm(landscape.hvp(x, p) + g) / grad_norm) if grad_norm > 0 else 0.0
    verdict = _verdict(grad_norm, grad_tol, residual, step, rtol_step * max(1.0, float(np.linalg.norm(x))))
    return {
        "n": n, "loss": loss, "grad_norm": grad_norm, "index": index, "nullity": nullity, "positive": int(pos),
        "label": str(label_with_nullity([index], [nullity], [pos])[0]), "verdict": verdict,
        "lambda_min": lmin, "lambda_max": lmax, "lambda_min_bound": bmin, "lambda_max_bound": bmax,
        "grad_tol": grad_tol, "null_tol": null_tol, "newton_step": step, "flat_residual": residual,
        "method": s["method"], "index_lo": s["index_lo"], "index_hi": s["index_hi"],
        "index_status": s["index_status"], "hvps": s["hvps"], "slq": s["slq"],
    }
