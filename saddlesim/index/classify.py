"""Labels for critical points: minimum, maximum, saddle or degenerate.

A critical point with Hessian H is a minimum when every eigenvalue is
positive (index 0), a maximum when every eigenvalue is negative (index n),
a saddle otherwise, and degenerate when some eigenvalue is numerically zero
(``|lambda| <= tol``; the rule and its default are in :mod:`saddlesim.index.inertia`),
where the second-order test says nothing.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from saddlesim.runtime.validate import check_square_symmetric
from saddlesim.index.inertia import DEGENERATE, index_dense, index_from_eigenvalues, index_tridiagonal

#: ``label_with_nullity`` names, in table order (flat = every eigenvalue null).
NULLITY_LABELS = (
    "minimum", "saddle", "maximum",
    "degenerate minimum", "degenerate saddle", "degenerate maximum", "flat",
)

__all__ = [
    "Label",
    "LABELS",
    "labels_from_index",
    "classify_eigenvalues",
    "classify_matrices",
    "classify_tridiagonal",
    "label_with_nullity",
    "NULLITY_LABELS",
    "symmetric_part",
]


class Label(StrEnum):
    """What a critical point is, by the signs of its Hessian's eigenvalues."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    SADDLE = "saddle"
    DEGENERATE = "degenerate"


#: Label names in table order.
LABELS = tuple(label.value for label in Label)


def labels_from_index(index, n: int) -> np.ndarray:
    """Map indices to labels.

    Parameters
    ----------
    index : array_like of int, shape (size,)
        Number of negative eigenvalues, or -1 for degenerate.
    n : int
        Dimension. At n = 1 every non-degenerate point is a minimum or a maximum.

    Returns
    -------
    labels : ndarray of str, shape (size,)
        Values from :class:`Label`.
    """
    index = np.asarray(index)
    out = np.full(index.shape, Label.SADDLE.value, dtype="<U10")
    out[index == 0] = Label.MINIMUM.value
    out[index == n] = Label.MAXIMUM.value
    out[index == DEGENERATE] = Label.DEGENERATE.value
    return out


def classify_eigenvalues(lam, tol=None) -> np.ndarray:
    """Label spectra ``lam`` of shape (size, n) or (n,); see :func:`labels_from_index`."""
    lam = np.atleast_2d(np.asarray(lam, dtype=float))
    return labels_from_index(index_from_eigenvalues(lam, tol), lam.shape[-1])


def classify_matrices(H, tol=None) -> np.ndarray:
    """Label dense symmetric/Hermitian Hessians of shape (n, n) or (size, n, n).

    Raises
    ------
    ValueError
        Non-square, ragged, NaN/inf or asymmetric input (message says which).
    """
    index = index_dense(H, tol)
    return labels_from_index(index, np.shape(H)[-1])


def classify_tridiagonal(diag, offdiag, tol=None) -> np.ndarray:
    """Label symmetric tridiagonal Hessians by Sturm counts (no eigenvalues)."""
    index = index_tridiagonal(diag, offdiag, tol)
    return labels_from_index(index, np.atleast_2d(diag).shape[-1])


def label_with_nullity(neg, zero, pos) -> np.ndarray:
    """Label critical points by their inertia, naming degenerate ones by their non-null part.

    The rule: with nullity 0, index 0 is a *minimum*, no positive eigenvalue a
    *maximum*, both signs a *saddle*. With nullity > 0 the same test is applied to
    the non-null eigenvalues and prefixed *degenerate*: "degenerate minimum" =
    nullity > 0 and index 0 (and some positive eigenvalue), "degenerate maximum" =
    nullity > 0 and no positive eigenvalue, "degenerate saddle" = nullity > 0
    with both signs. A point whose eigenvalues are all null is "flat". A
    degenerate minimum need not be a local minimum (the second-order test says
    nothing along null directions), but in a landscape whose zero modes are an
    exact symmetry (the autoencoder's gauge) it is one.

    Parameters
    ----------
    neg, zero, pos : array_like of int, shape (size,)
        Index, nullity and positive count, as from
        :func:`saddlesim.index.inertia.inertia_from_eigenvalues`.

    Returns
    -------
    labels : ndarray of str, shape (size,)
        Values from :data:`NULLITY_LABELS`.
    """
    neg, zero, pos = (np.asarray(a) for a in (neg, zero, pos))
    base = np.full(np.broadcast(neg, zero, pos).shape, "saddle", dtype="<U18")
    base[(neg == 0) & (pos > 0)] = "minimum"
    base[(pos == 0) & (neg > 0)] = "maximum"
    out = np.where(zero > 0, np.char.add("degenerate ", base), base).astype("<U18")
    out[(neg == 0) & (pos == 0)] = "flat"
    return out
def symmetric_part(H) -> tuple[np.ndarray, np.ndarray]:
    """The symmetric (Hermitian) part ``(H + Hᴴ)/2`` of each matrix, and how asymmetric it was.

    For Hessians from finite differences or automatic differentiation, which
    are symmetric only up to rounding (typically 1e-9 relative): the
    symmetric part is the Hessian of the same quadratic form, and the
    asymmetry says how much was discarded.

    Parameters
    ----------
    H : array_like, shape (n, n) or (size, n, n)
        Square, finite, real or complex.

    Returns
    -------
    S : ndarray, shape (size, n, n)
        ``(H + Hᴴ) / 2``.
    asymmetry : ndarray, shape (size,)
        ``max |H - Hᴴ|`` of each matrix.

    Raises
    ------
    ValueError
        Non-square, ragged, non-numeric or non-finite input.
    """
    H = check_square_symmetric(H, rtol=np.inf)
    Ht = np.conj(np.swapaxes(H, 1, 2))
    return 0.5 * (H + Ht), np.abs(H - Ht).max(axis=(1, 2))
