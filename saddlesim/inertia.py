"""Inertia: the index (number of negative eigenvalues) of symmetric matrices.

Three routes to the same number: from eigenvalues, from dense matrices
(LAPACK ``eigvalsh``), and from symmetric tridiagonal matrices by the Sturm /
LDLᵀ pivot recurrence, which needs no eigenvalues and costs O(n) per matrix.

The degeneracy rule (shared by every route)
-------------------------------------------
A matrix is *degenerate* when some eigenvalue satisfies ``|lambda| <= tol``.
By default ``tol = n * eps * ||H||_F`` with ``eps`` the float64 machine
epsilon and ``||H||_F`` the Frobenius norm of that matrix (computable from the
eigenvalues, the dense entries or the tridiagonal entries alike). This is the
rounding error a backward-stable eigensolver or LDLᵀ factorisation can make,
so an eigenvalue inside the band has no reliable sign. A user ``tol`` is an
absolute threshold. The band is closed on every route, so ``tol = 0`` flags
exactly the matrices with an exactly zero eigenvalue (or zero pivot).
Degenerate matrices get index :data:`DEGENERATE` (-1).
"""

from __future__ import annotations

import numpy as np

from saddlesim._validate import check_finite, check_square_symmetric, check_tol

__all__ = [
    "DEGENERATE",
    "default_tol",
    "index_from_eigenvalues",
    "index_dense",
    "index_tridiagonal",
    "sturm_count",
]

#: Index value marking a degenerate matrix (an eigenvalue within ``tol`` of 0).
DEGENERATE = -1

_EPS = np.finfo(np.float64).eps
# Replaces an exactly-zero pivot in the safe recurrence: smallest normal float,
# so b^2 / pivot overflows to inf cleanly instead of giving 0/0.
_PIVMIN = np.finfo(np.float64).tiny


def default_tol(n: int, fro_norm) -> np.ndarray:
    """Default degeneracy threshold ``n * eps * ||H||_F``.

    Parameters
    ----------
    n : int
        Matrix dimension.
    fro_norm : array_like, shape (size,)
        Frobenius norm of each matrix.

    Returns
    -------
    tol : ndarray, shape (size,)
    """
    return n * _EPS * np.asarray(fro_norm, dtype=float)


def _resolve_tol(tol, n: int, fro_norm) -> np.ndarray:
    tol = check_tol(tol)
    if tol is None:
        return default_tol(n, fro_norm)
    return np.full(np.shape(fro_norm), tol)


def index_from_eigenvalues(lam, tol=None) -> np.ndarray:
    """Index of each spectrum, or :data:`DEGENERATE`.

    Parameters
    ----------
    lam : array_like, shape (size, n) or (n,)
        Eigenvalues (any order).
    tol : float, optional
        Absolute degeneracy threshold; default ``n * eps * ||lam||_2``
        (see the module docstring).

    Returns
    -------
    index : ndarray of int64, shape (size,)
        Number of negative eigenvalues, or -1 where some ``|lambda| <= tol``.
    """
    lam = np.atleast_2d(np.asarray(lam, dtype=float))
    if lam.ndim != 2 or lam.shape[1] < 1:
        raise ValueError(f"eigenvalues must have shape (size, n) with n >= 1, got {lam.shape}")
    check_finite(lam, "eigenvalues")
    n = lam.shape[1]
    t = _resolve_tol(tol, n, np.linalg.norm(lam, axis=1))
    index = np.count_nonzero(lam < 0, axis=1).astype(np.int64)
    index[np.any(np.abs(lam) <= t[:, None], axis=1)] = DEGENERATE
    return index


def index_dense(H, tol=None) -> np.ndarray:
    """Index of dense real symmetric or complex Hermitian matrices.

    Parameters
    ----------
    H : array_like, shape (n, n) or (size, n, n)
        Symmetric/Hermitian within a relative ``1e-10`` of the largest entry.
    tol : float, optional
        Absolute degeneracy threshold (see the module docstring).

    Returns
    -------
    index : ndarray of int64, shape (size,)

    Raises
    ------
    ValueError
        Non-square, ragged, non-numeric, NaN/inf or asymmetric input.
    """
    H = check_square_symmetric(H)
    return index_from_eigenvalues(np.linalg.eigvalsh(H), tol)


def _check_tridiagonal(diag, offdiag) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(diag, dtype=float)
    e = np.asarray(offdiag, dtype=float)
    if d.ndim == 1:
        d, e = d[None], e.reshape(1, -1)
    if d.ndim != 2 or d.shape[1] < 1:
        raise ValueError(f"diag must have shape (size, n) with n >= 1, got {d.shape}")
    if e.shape != (d.shape[0], d.shape[1] - 1):
        raise ValueError(
            f"offdiag must have shape {(d.shape[0], d.shape[1] - 1)} to match diag {d.shape}, got {e.shape}"
        )
    check_finite(d, "diag")
    check_finite(e, "offdiag")
    return d, e


def _sturm_rows(
    a: np.ndarray, b2: np.ndarray, shift: np.ndarray, work: np.ndarray | None = None
) -> np.ndarray:
    """Count eigenvalues ``< shift`` of many tridiagonal matrices (internal, unchecked).

    Parameters
    ----------
    a : ndarray, shape (n, m)
        Diagonals, one row per position (contiguous rows for speed).
    b2 : ndarray, shape (n - 1, m)
        Squared off-diagonals.
    shift : ndarray, shape (m,) or (k, m)
        Shifts; a leading axis counts at several shifts of the same matrices.
    work : ndarray, shape (n,) + shift.shape, optional
        Scratch space for the pivots (reusing it saves fresh-page faults).

    Returns
    -------
    count : ndarray of int64, shape of ``shift``

    Notes
    -----
    The pivots of T - sigma I = L D Lᵀ are d_1 = a_1 - sigma,
    d_i = (a_i - sigma) - b_{i-1}^2 / d_{i-1}, and (Sylvester) the number of
    negative pivots is the number of eigenvalues below sigma. The loop over
    positions is the recurrence; every step is vectorised over the batch.

    Zero pivots are handled as LAPACK's dlaneg does: the fast loop runs without
    checks, then columns that produced NaN (0/0 from a zero pivot next to a
    zero off-diagonal) are recomputed by a safe loop that replaces zero pivots
    by +pivmin. A zero pivot is taken as +0 (signed zeros are cleared first),
    i.e. as the limit sigma -> sigma⁻, so the count is strict: eigenvalues
    exactly at sigma are not counted. An exactly zero pivot followed by a
    non-zero b^2 gives -inf, counted negative, and the next pivot a_i - 0:
    that is the correct limit, so only NaN needs the slow path.

    References
    ----------
    W. Kahan, "Accurate eigenvalues of a symmetric tri-diagonal matrix" (1966);
    LAPACK ``dlaneg`` (Marques, Parlett, Vömel & Dhillon, LAPACK Working Note 172).
    """
    shift = np.asarray(shift, dtype=float)
    n = a.shape[0]
    D = np.empty((n,) + shift.shape) if work is None else work
    np.subtract(a.reshape((n,) + (1,) * (shift.ndim - 1) + a.shape[1:]), shift, out=D)
    if not np.all(shift != 0.0):
        # -0.0 - (+0.0) = -0.0 is the only way to get a negative zero here;
        # "+ 0.0" makes every zero pivot +0, the limit sigma -> sigma⁻.
        D += 0.0
    q = np.empty(shift.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(1, n):
            np.divide(b2[i - 1], D[i - 1], out=q)
            np.subtract(D[i], q, out=D[i])
        bad = np.isnan(D[n - 1])
        if np.any(bad):
            cols = np.nonzero(bad)
            Db = D[(slice(None),) + cols]
            # recompute from the shifted diagonal, which the loop overwrote
            Db[:] = np.subtract(a[(slice(None),) + cols[-1:]], shift[cols]) + 0.0
            bb = b2[(slice(None),) + cols[-1:]]
            for i in range(1, n):
                prev = Db[i - 1]
                prev[prev == 0.0] = _PIVMIN
                Db[i] -= bb[i - 1] / prev
            D[(slice(None),) + cols] = Db
    return np.count_nonzero(D < 0, axis=0).astype(np.int64)


def sturm_count(diag, offdiag, shift=0.0) -> np.ndarray:
    """Number of eigenvalues ``< shift`` of symmetric tridiagonal matrices, without eigenvalues.

    Parameters
    ----------
    diag : array_like, shape (size, n) or (n,)
    offdiag : array_like, shape (size, n - 1) or (n - 1,)
    shift : float or array_like, shape (size,)

    Returns
    -------
    count : ndarray of int64, shape (size,)
        Exact (strict) count for a matrix within O(n eps ||T||) of the input
        (the LDLᵀ recurrence is backward stable; Kahan 1966).
    """
    d, e = _check_tridiagonal(diag, offdiag)
    shift = np.broadcast_to(np.asarray(shift, dtype=float), (d.shape[0],))
    check_finite(shift, "shift")
    return _sturm_rows(np.ascontiguousarray(d.T), np.ascontiguousarray((e * e).T), shift)


def _index_rows(a: np.ndarray, b2: np.ndarray, tol) -> np.ndarray:
    """Index from Sturm counts at ``-tol`` of ``T`` and of ``-T`` (internal; position-major layout).

    ``count_T(< -tol)`` eigenvalues lie below ``-tol`` and ``count_{-T}(< -tol)``
    above ``+tol``; if they add up to n, none lies in the closed band
    ``[-tol, tol]`` and the first count is the index; otherwise the matrix is
    degenerate. Counting above ``+tol`` through ``-T`` keeps both ends of the
    band closed exactly, as in the eigenvalue route's ``|lambda| <= tol``, even
    at ``tol = 0`` (a shift of ``+tol`` nudged up by one ulp is lost to
    rounding next to O(1) entries).
    """
    n, m = a.shape
    if tol is None:
        fro = np.sqrt(np.einsum("ij,ij->j", a, a) + 2.0 * b2.sum(axis=0))
        t = default_tol(n, fro)
    else:
        t = np.full(m, check_tol(tol))
    work = np.empty((n, m))
    index = _sturm_rows(a, b2, -t, work)
    above = _sturm_rows(np.negative(a), b2, -t, work)
    index[index + above != n] = DEGENERATE
    return index


def index_tridiagonal(diag, offdiag, tol=None) -> np.ndarray:
    """Index of symmetric tridiagonal matrices by Sturm counts; O(n) per matrix.

    Parameters
    ----------
    diag : array_like, shape (size, n) or (n,)
    offdiag : array_like, shape (size, n - 1) or (n - 1,)
    tol : float, optional
        Absolute degeneracy threshold; default ``n * eps * ||T||_F``
        (see the module docstring).

    Returns
    -------
    index : ndarray of int64, shape (size,)
        Number of negative eigenvalues, or :data:`DEGENERATE` (-1).
    """
    d, e = _check_tridiagonal(diag, offdiag)
    return _index_rows(np.ascontiguousarray(d.T), np.ascontiguousarray((e * e).T), tol)
