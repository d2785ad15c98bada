"""LDLᵀ (Sturm) recurrences for many tridiagonal matrices at one or many points.

The pivots of ``T - x I = L D Lᵀ`` are ``d_1 = a_1 - x`` and
``d_i = (a_i - x) - b_{i-1}^2 / d_{i-1}``; by Sylvester's law of inertia the
number of negative pivots is the number of eigenvalues of T below x
(Kahan 1966). The recurrence is sequential along the positions, so numpy can
only vectorise it across matrices and points: one pass through memory per
position and operation, ~3.4 ns per position and point at n = 20. That is
what a plain sweep's one or two counts per draw use. Counts at many points
at once (a sweep over shifts) go to the compiled kernel of
:mod:`saddlesim.index.sturm_jit` (numba; 0.9 ns), bit-identical, which is only
imported then: numba costs ~128 MB resident per process.

Zero pivots follow LAPACK's ``dlaneg``: the fast loop runs without checks;
a (point, matrix) pair whose last pivot is NaN (0/0: a zero pivot next to a
zero off-diagonal) is recomputed with zero pivots replaced by ``+pivmin``,
the limit ``x -> x⁻``. A pivot that is exactly zero is not negative: the
count is strict, eigenvalues exactly at x are not counted below it. A zero
pivot followed by a non-zero b² gives ``-inf``, counted negative, and the
next pivot is ``a_i - x``: the right limit, so only NaN needs the slow path.
Every ``a_i - x`` gets ``+ 0.0`` so that a signed zero is always ``+0``.

References
----------
W. Kahan, "Accurate eigenvalues of a symmetric tri-diagonal matrix" (1966);
O. Marques, B. Parlett, C. Vömel and I. Dhillon, LAPACK Working Note 172
(``dlaneg``).
"""

from __future__ import annotations

import numpy as np

from saddlesim.index.ieee import PIVMIN

__all__ = ["PIVMIN", "count_below", "pivots"]

# Points per call above which the compiled kernel pays for numba's import.
_NUMPY_POINTS = 2
# Elements (positions x points x draws) per numpy sub-block: the pivots of a
# sub-block stay in cache while the recurrence runs (2^17 measured best at n = 20).
_NUMPY_ELEMENTS = 1 << 17
# ... but at least this many per ufunc call, or the per-call overhead (~1 µs)
# dominates at large n (measured: n = 100, one point).
_NUMPY_ROW = 1 << 13


def _prepare(a, b2, points):
    a = np.ascontiguousarray(a, dtype=np.float64)
    b2 = np.ascontiguousarray(b2, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64)
    flat = np.ascontiguousarray(np.broadcast_to(points, points.shape[:-1] + a.shape[1:]))
    return a, b2, flat.reshape(-1, a.shape[1])


def _count_below_numpy(a, b2, x, out) -> None:
    n, m = a.shape
    k = x.shape[0]
    step = max(_NUMPY_ROW // k, _NUMPY_ELEMENTS // (n * k), 1)
    D = np.empty((n, k, min(step, m)))
    q = np.empty((k, min(step, m)))
    # summing bools in a narrow integer along the position axis is ~2x faster
    # than count_nonzero(axis=0), which widens to intp first
    acc = np.int16 if n < np.iinfo(np.int16).max else np.int64
    for lo in range(0, m, step):
        hi = min(m, lo + step)
        d, qq = D[:, :, : hi - lo], q[:, : hi - lo]
        np.subtract(a[:, None, lo:hi], x[:, lo:hi], out=d)
        if not np.all(x[:, lo:hi] != 0.0):
            # -0.0 - (+0.0) is the only way to a negative zero here
            d += 0.0
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for i in range(1, n):
                np.divide(b2[i - 1, lo:hi], d[i - 1], out=qq)
                np.subtract(d[i], qq, out=d[i])
        bad = np.isnan(d[n - 1])
        if np.any(bad):
            p, j = np.nonzero(bad)
            d[:, p, j] = _safe_pivots(a[:, lo:hi][:, j], b2[:, lo:hi][:, j], x[p, lo + j])
        out[:, lo:hi] = np.less(d, 0.0).sum(axis=0, dtype=acc)


def _safe_pivots(a, b2, x) -> np.ndarray:
    """Pivots with zero pivots replaced by ``+pivmin``, shape (n, c), for c (matrix, point) pairs."""
    d = np.empty(a.shape)
    d[0] = (a[0] - x) + 0.0
    with np.errstate(over="ignore"):  # b^2 / pivmin -> inf is the intended limit
        for i in range(1, a.shape[0]):
            prev = d[i - 1]
            prev[prev == 0.0] = PIVMIN
            d[i] = ((a[i] - x) + 0.0) - b2[i - 1] / prev
    return d


def count_below(a: np.ndarray, b2: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Number of eigenvalues ``< points`` of many symmetric tridiagonal matrices.

    Parameters
    ----------
    a : ndarray, shape (n, m)
        Diagonals, one row per position (position-major).
    b2 : ndarray, shape (n - 1, m)
        Squared off-diagonals.
    points : ndarray, shape (m,) or (k, m)
        Where to count; a leading axis counts at several points of the same matrices.

    Returns
    -------
    count : ndarray of int64, shape of ``points``
        Exact (strict) count for a matrix within O(n eps ||T||) of the input:
        the recurrence is backward stable (Kahan 1966).
    """
    shape = np.shape(points)
    a, b2, x = _prepare(a, b2, points)
    out = np.empty(x.shape, dtype=np.int64)
    if x.shape[0] <= _NUMPY_POINTS:
        _count_below_numpy(a, b2, x, out)
    else:
        from saddlesim.index.sturm_jit import count_below_into

        count_below_into(a, b2, x, out)
    return out.reshape(shape)


def pivots(a: np.ndarray, b2: np.ndarray, points: np.ndarray) -> np.ndarray:
    """LDLᵀ pivots of ``T - x I``; a zero pivot, or one below ``pivmin`` before a b² ≠ 0, is ``+pivmin``.

    ``pivmin = tiny · max(1, max b²)`` per matrix (LAPACK ``dstebz``), so the
    pivot after a replaced one, ~ -b²/pivmin, is finite and the pair
    multiplies to ~ -b², the limit: log|det| stays right through a zero pivot.

    Parameters
    ----------
    a, b2 : as :func:`count_below`
    points : ndarray, shape (k, m)

    Returns
    -------
    d : ndarray, shape (n, k, m)
        ``prod_i d_i = det(T - x I)`` (exactly, for a matrix within O(n eps ||T||));
        a singular matrix keeps a pivot of order pivmin, so ``sum log|d_i|`` is
        near -700 rather than -inf (weight 0 in effect).
    """
    from saddlesim.index.sturm_jit import pivots_into

    a, b2, x = _prepare(a, b2, points)
    out = np.empty((a.shape[0],) + x.shape)
    pivots_into(a, b2, x, out)
    return out.reshape((a.shape[0],) + np.shape(points))
