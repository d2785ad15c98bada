"""All critical points of one landscape instance: starts → Newton-MR → dedup → labels.

:func:`find_critical_points` is the per-instance work: solve from every start,
split the end points into *accepted* (``|∇L|² ≤ grad_tol``) and *rejected*
(everything else, gradient-flat points included, kept and reported), merge
accepted points found more than once, and label each distinct point by the
inertia of its Riemannian Hessian with nullity. With ``hops > 0`` the starts
are followed by solves from found points stepped along their Hessian
eigenvectors (:mod:`saddlesim.critical.hop`), and a landscape with a
``balance`` method (the autoencoder) has its end points moved to a
well-conditioned gauge and re-polished before they are labelled.

The nullity rule
----------------
An eigenvalue ``λ`` of the Hessian at a found point is *null* when
``|λ| ≤ null_tol``, by default ``√eps · max(1, max|λ|) + 10·|∇L|``. A point
found at distance δ from an exact critical point has ``|∇L| ≈ |λ_min|·δ``
and eigenvalues off by O(δ), so an exact zero mode (a gauge direction) shows
up at O(|∇L|): the first term covers rounding at a well-polished point, the
second a point on a non-isolated critical set (the autoencoder's
rank-deficient classes), where Newton converges only linearly. The
LAPACK-rounding default of :func:`saddlesim.index.inertia.default_tol`
(``n·eps·‖H‖``) would miss both. The label
is then :func:`saddlesim.index.classify.label_with_nullity` of (index, nullity,
positive count).

References
----------
Frye et al. (2019), arXiv:1901.10603 (acceptance at ``|∇L|² ≤ 1e-10``;
gradient-flat points); Dauphin et al. (2014), arXiv:1406.2572 (index vs loss).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from saddlesim.index.classify import label_with_nullity
from saddlesim.index.inertia import inertia_from_eigenvalues
from saddlesim.critical.batch import batch_derivatives, newton_mr_batch
from saddlesim.critical.dedup import DEFAULT_RTOL, deduplicate
from saddlesim.critical.hop import HOP_SCALE, ClassBook, hop_starts
from saddlesim.critical.newton_hvp import DENSE_LIMIT, end_verdict, newton_mr_hvp
from saddlesim.critical.solve import DIVERGED, newton_mr
from saddlesim.critical.verdict import RTOL_NULL

__all__ = ["FoundPoints", "find_critical_points", "default_null_tol", "flat_residual", "end_counts",
           "POINT_COLUMNS", "REJECTED_COLUMNS"]

#: Starts solved together by the batched solver (bounds its memory).
_BATCH = 1024
_SQRT_EPS = float(np.sqrt(np.finfo(np.float64).eps))

#: Columns of the per-point table (before the runner adds instance and loss name).
POINT_COLUMNS = ("loss", "index", "nullity", "positive", "label", "grad_norm2", "times_found", "first_start",
                 "min_abs_eig")
#: Columns of the rejected-end-point table.
REJECTED_COLUMNS = ("loss", "grad_norm2", "index", "nullity", "positive", "status", "iterations", "verdict",
                    "flat_residual")


def default_null_tol(lam, grad_norm2=0.0) -> np.ndarray:
    """Null threshold ``√eps · max(1, max|λ|) + 10·|∇L|`` per spectrum.

    Parameters
    ----------
    lam : array_like, shape (size, n)
    grad_norm2 : array_like, shape (size,)
        ``|∇L|²`` at each point.

    Returns
    -------
    tol : ndarray, shape (size,)
    """
    lam = np.atleast_2d(np.asarray(lam, dtype=float))
    g = np.sqrt(np.broadcast_to(np.asarray(grad_norm2, dtype=float), lam.shape[:1]))
    return _SQRT_EPS * np.maximum(1.0, np.abs(lam).max(axis=1, initial=0.0)) + 10.0 * g


@dataclass
class FoundPoints:
    """The distinct accepted critical points of one instance, and the rejected end points.

    Attributes
    ----------
    points : DataFrame
        One row per distinct point, columns :data:`POINT_COLUMNS`, in order of discovery.
    coords : ndarray, shape (K, dim)
        Each distinct point (the best-polished of its copies), ambient coordinates.
    rejected : DataFrame
        One row per non-accepted end point, columns :data:`REJECTED_COLUMNS`.
    starts : int
        Number of solves.
    """

    points: pd.DataFrame
    coords: np.ndarray
    rejected: pd.DataFrame
    starts: int


def flat_residual(landscape, x) -> float:
    """Relative residual ``|H s + g| / |g|`` of the least-squares Newton step at ``x``, from the dense Hessian.

    Curvatures ``|λ| ≤ √eps · max|λ|`` count as null (the threshold of
    :mod:`saddlesim.critical.verdict`); a value above 0.9 marks a
    gradient-flat point (Frye et al. 2021).
    """
    U = landscape.tangent_basis(x)
    g = U.T @ np.asarray(landscape.gradient(x), dtype=float)
    gn = float(np.linalg.norm(g))
    if gn == 0.0:
        return 0.0
    lam, Q = np.linalg.eigh(landscape.hessian(x))
    c = Q.T @ g
    null = np.abs(lam) <= RTOL_NULL * np.abs(lam).max(initial=0.0)
    return float(np.linalg.norm(c[null]) / gn)


def _inertia(landscape, X, null_tol, grad_norm2):
    if len(X) == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z, z, np.zeros(0)
    lam = np.array([np.linalg.eigvalsh(landscape.hessian(x)) for x in X])
    tol = default_null_tol(lam, grad_norm2) if null_tol is None else float(null_tol)
    neg, zero, pos = inertia_from_eigenvalues(lam, tol)
    return neg, zero, pos, np.abs(lam).min(axis=1)


def _eigh_ok(landscape, r) -> bool:
    """False for a diverged end point whose Hessian LAPACK cannot diagonalise (it is dropped)."""
    if r.status != DIVERGED:
        return True
    try:
        H = landscape.hessian(r.x)
        np.linalg.eigvalsh(H)
    except (np.linalg.LinAlgError, ValueError):
        return False
    return bool(np.all(np.isfinite(H)))


def find_critical_points(
    landscape,
    starts,
    *,
    grad_tol: float = 1e-10,
    null_tol: float | None = None,
    dedup_rtol: float = DEFAULT_RTOL,
    max_iter: int = 100,
    polish: int = 3,
    hops: int = 0,
    rng=None,
    hop_scale=HOP_SCALE,
    hop_round: int = 64,
    matrix_free: bool | None = None,
) -> FoundPoints:
    """Solve from every start and return the distinct critical points with labels.

    Parameters
    ----------
    landscape : Landscape
    starts : sequence of ndarray, shape (dim,)
    grad_tol : float
        Acceptance threshold on ``|∇L|²``.
    null_tol : float, optional
        Absolute null threshold on Hessian eigenvalues; default
        :func:`default_null_tol` (module docstring).
    dedup_rtol : float
        Relative tolerance of :func:`saddlesim.critical.dedup.deduplicate`.
    max_iter, polish : int
        Passed to :func:`saddlesim.critical.solve.newton_mr`, or to
        :func:`saddlesim.critical.batch.newton_mr_batch` when the landscape
        has vectorised derivatives (the p-spin) (3 polishing
        steps: enough to reach rounding level where convergence is quadratic,
        and to shrink |∇L| where it is only linear).
    hops : int
        Further solves after the starts, each from a point already found
        displaced along one of its Hessian eigenvectors
        (:mod:`saddlesim.critical.hop`); 0 (default) solves the starts only.
    rng : None, int, SeedSequence or Generator
        Draws the hops (parents, directions, lengths); unused when ``hops == 0``.
    hop_scale : (float, float)
        Range of the log-uniform hop length relative to ``max(1, |x|)``.
    hop_round : int
        Hops solved together (batched where possible) before the parents are
        chosen again.
    matrix_free : bool, optional
        Solve with :func:`saddlesim.critical.newton_hvp.newton_mr_hvp`
        (Hessian-vector products, MINRES-type least squares) instead of the
        dense :func:`~saddlesim.critical.solve.newton_mr`; default: when the
        tangent dimension exceeds :data:`~saddlesim.critical.newton_hvp.DENSE_LIMIT`.
        Labels still come from one dense Hessian per distinct point.

    Returns
    -------
    FoundPoints
    """
    # one BLAS thread: these matrices are tiny, and a threaded BLAS on shared
    # cores made every eigendecomposition ~16x slower (see pyproject.toml)
    hops = int(hops)
    if hops < 0:
        raise ValueError(f"hops must be >= 0, got {hops}")
    if matrix_free is None:
        matrix_free = landscape.manifold_dim > DENSE_LIMIT
    solver = newton_mr_hvp if matrix_free else newton_mr
    with threadpool_limits(1):
        results = _solve(landscape, list(starts), grad_tol, max_iter, polish, solver)
        results = _balanced(landscape, results, grad_tol, polish, solver=solver)
        if hops:
            results += _hop(landscape, results, hops, np.random.default_rng(rng), hop_scale, int(hop_round),
                            dedup_rtol, grad_tol, max_iter, polish, solver)
        return _collect(landscape, results, null_tol, dedup_rtol)


def _solve(landscape, starts, grad_tol, max_iter, polish, solver=newton_mr):
    if solver is newton_mr and batch_derivatives(landscape) is not None and len(starts) > 1:
        # all starts at once: same rules, ~8x faster for small sphere problems
        results = []
        for lo in range(0, len(starts), _BATCH):
            results += newton_mr_batch(landscape, np.array(starts[lo:lo + _BATCH]), grad_tol=grad_tol,
                                       max_iter=max_iter, polish=polish)
        return results
    return [solver(landscape, x0, grad_tol=grad_tol, max_iter=max_iter, polish=polish) for x0 in starts]


def _balanced(landscape, results, grad_tol, polish, max_iter=20, solver=newton_mr):
    """Accepted points moved to the landscape's balanced gauge (if it has one) and polished there.

    A landscape with a continuous symmetry may offer ``balance(x)``: a point
    of the same symmetry class with well-scaled coordinates (the autoencoder's
    W₁, W₂ of equal singular values). Labels are computed there, because the
    nullity threshold assumes the Hessian's nonzero eigenvalues are not
    crushed by a badly conditioned gauge. The balanced point is re-solved
    (a few Newton-MR steps; at a slowly converged degenerate point this also
    removes the O(|∇L|) loss error) and kept only if it is accepted too.
    """
    balance = getattr(landscape, "balance", None)
    if balance is None:
        return results
    out = []
    for r in results:
        if r.success:
            b = solver(landscape, balance(r.x), grad_tol=grad_tol, max_iter=max_iter, polish=polish)
            if b.success:
                r = b
        out.append(r)
    return out


def _hop(landscape, results, hops, rng, hop_scale, hop_round, dedup_rtol, grad_tol, max_iter, polish, solver):
    """``hops`` solves from displaced found points, in rounds (see :mod:`saddlesim.critical.hop`)."""
    book = ClassBook(dedup_rtol)
    for r in results:
        if r.success:
            book.add(landscape.canonical(r.x), r.x)
    out = []
    while len(out) < hops:
        n = min(hop_round, hops - len(out))
        if len(book):
            x0 = hop_starts(landscape, book, book.parents(n, rng), rng, hop_scale=hop_scale)
        else:
            # nothing found yet to hop from: random starts instead
            x0 = [landscape.random_point(rng) for _ in range(n)]
        new = _balanced(landscape, _solve(landscape, x0, grad_tol, max_iter, polish, solver), grad_tol, polish,
                        solver=solver)
        for r in new:
            if r.success:
                book.add(landscape.canonical(r.x), r.x)
        out += new
    return out


def _collect(landscape, results, null_tol, dedup_rtol) -> FoundPoints:
    ok_start = np.array([i for i, r in enumerate(results) if r.success], dtype=np.int64)
    ok = [results[i] for i in ok_start]
    bad = [r for r in results if not r.success]

    if ok:
        canon = np.array([np.ravel(landscape.canonical(r.x)) for r in ok])
        first, group = deduplicate(canon, dedup_rtol)
        g2 = np.array([r.grad_norm2 for r in ok])
        # represent each class by its best-converged copy
        best = first.copy()
        for i, k in enumerate(group):
            if g2[i] < g2[best[k]]:
                best[k] = i
        times = np.bincount(group, minlength=len(first))
        chosen = [ok[i] for i in best]
        first_start = ok_start[first]
    else:
        chosen, times = [], np.zeros(0, dtype=np.int64)
        first_start = np.zeros(0, dtype=np.int64)
    coords = np.array([r.x for r in chosen]).reshape(len(chosen), landscape.dim)
    neg, zero, pos, min_abs = _inertia(landscape, coords, null_tol, [r.grad_norm2 for r in chosen])
    points = pd.DataFrame({
        "loss": [r.value for r in chosen],
        "index": neg,
        "nullity": zero,
        "positive": pos,
        "label": label_with_nullity(neg, zero, pos) if len(chosen) else np.zeros(0, dtype="<U18"),
        "grad_norm2": [r.grad_norm2 for r in chosen],
        "times_found": np.asarray(times, dtype=np.int64),
        # which start (0-based, in start order) found it first: counts for any
        # prefix of the starts follow, so saturation as starts double is free
        "first_start": first_start,
        "min_abs_eig": min_abs,
    }, columns=list(POINT_COLUMNS))

    finite = [r for r in bad if np.all(np.isfinite(r.x)) and np.isfinite(r.grad_norm2) and _eigh_ok(landscape, r)]
    rneg, rzero, rpos, _ = _inertia(landscape, np.array([r.x for r in finite]).reshape(len(finite), landscape.dim), null_tol,
                                   [r.grad_norm2 for r in finite])
    # Frye et al. (2021): is the end point's gradient in the Hessian's near-kernel?
    flat = [r.flat_residual if np.isfinite(r.flat_residual) else flat_residual(landscape, r.x) for r in finite]
    rejected = pd.DataFrame({
        "loss": [r.value for r in finite],
        "grad_norm2": [r.grad_norm2 for r in finite],
        "index": rneg,
        "nullity": rzero,
        "positive": rpos,
        "status": [r.message for r in finite],
        "iterations": [r.iterations for r in finite],
        "verdict": [end_verdict(False, f) for f in flat],
        "flat_residual": flat,
    }, columns=list(REJECTED_COLUMNS))
    return FoundPoints(points, coords, rejected, len(results))


def end_counts(found: FoundPoints) -> dict:
    """How the solves ended: ``critical`` (accepted), ``gradient-flat`` and ``failed`` (the rest).

    Critical solves are the accepted copies (``times_found`` summed over the
    distinct points); gradient-flat ones the rejected end points with
    residual > 0.9; everything else failed, diverged end points included.
    """
    critical = int(found.points["times_found"].sum()) if len(found.points) else 0
    flat = int((found.rejected["verdict"] == "gradient-flat").sum()) if len(found.rejected) else 0
    return {"critical": critical, "gradient-flat": flat, "failed": int(found.starts) - critical - flat}
