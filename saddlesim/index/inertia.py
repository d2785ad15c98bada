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

from saddlesim.index.sturm import count_below
from saddlesim.runtime.validate import check_finite, check_square_symmetric, check_tol

__all__ = ["index_rows", 
    "DEGENERATE",
    "default_tol",
    "index_from_eigenvalues",
    "index_dense",
    "index_tridiagonal",
    "sturm_count",
    "inertia_from_eigenvalues",
    "inertia_dense",
]

#: Index value marking a degenerate matrix (an eigenvalue within ``tol`` of 0).
DEGENERATE = -1

_EPS = np.finfo(np.float64).eps


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
    return count_below(np.ascontiguousarray(d.T), np.ascontiguousarray((e * e).T), shift)


def index_rows(a: np.ndarray, b2: np.ndarray, tol) -> np.ndarray:
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
    index = count_below(a, b2, -t)
    above = count_below(np.negative(a), b2, -t)
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
    return index_rows(np.ascontiguousarray(d.T), np.ascontiguousarray((e * e).T), tol)


def inertia_from_eigenvalues(lam, tol=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inertia (negative, null, positive counts) of each spectrum.

    Unlike :func:`index_from_eigenvalues`, a near-zero eigenvalue does not
    hide the rest: it is counted as null and the others keep their signs, as
    the critical points of a symmetric landscape need (their zero modes are
    exact, e.g. a gauge symmetry).

    Parameters
    ----------
    lam : array_like, shape (size, n) or (n,)
        Eigenvalues (any order).
    tol : float or array_like of shape (size,), optional
        Absolute null threshold, ``|lambda| <= tol`` is null; default
        ``n * eps * ||lam||_2`` as in the module docstring.

    Returns
    -------
    neg, zero, pos : ndarray of int64, shape (size,)
        The index, the nullity and the number of positive eigenvalues;
        ``neg + zero + pos == n``.

    References
    ----------
    Sylvester's law of inertia; e.g. Horn & Johnson (2013), *Matrix Analysis*, §4.5.
    """
    lam = np.atleast_2d(np.asarray(lam, dtype=float))
    if lam.ndim != 2 or lam.shape[1] < 1:
        raise ValueError(f"eigenvalues must have shape (size, n) with n >= 1, got {lam.shape}")
    check_finite(lam, "eigenvalues")
    n = lam.shape[1]
    if tol is None or np.ndim(tol) == 0:
        t = _resolve_tol(tol, n, np.linalg.norm(lam, axis=1))
    else:
        t = np.asarray(tol, dtype=float)
        if t.shape != (lam.shape[0],) or not np.all(np.isfinite(t)) or np.any(t < 0):
            raise ValueError(f"tol must be a finite number >= 0 or one per spectrum, got shape {t.shape}")
    null = np.abs(lam) <= t[:, None]
    zero = np.count_nonzero(null, axis=1).astype(np.int64)
    neg = np.count_nonzero((lam < 0) & ~null, axis=1).astype(np.int64)
    return neg, zero, n - neg - zero


def inertia_dense(H, tol=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inertia (negative, null, positive counts) of dense symmetric/Hermitian matrices.

    The counts behind :func:`index_dense`: where it reports a singular matrix
    only as :data:`DEGENERATE`, these keep the index and nullity apart (same
    validation, same default ``tol``).

    Parameters
    ----------
    H : array_like, shape (n, n) or (size, n, n)
    tol : float, optional
        Absolute null threshold (see the module docstring).

    Returns
    -------
    neg, zero, pos : ndarray of int64, shape (size,)
    """
    H = check_square_symmetric(H)
    return inertia_from_eigenvalues(np.linalg.eigvalsh(H), tol)
