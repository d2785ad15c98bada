"""Recognise a critical point found twice, under the landscape's counting convention.

Two end points are the same critical point when their canonical forms
(``landscape.canonical(x)``, one representative per symmetry class: the
identity for the p-spin, where σ and −σ are distinct, a gauge-fixed form for
the autoencoder) agree to a relative tolerance. The comparison is against
every distinct point kept so far, vectorised: O(K·D) per point for K distinct
points of D coordinates, which stays cheap for the few thousand classes a
dense-Hessian landscape has.
"""

from __future__ import annotations

import numpy as np

__all__ = ["deduplicate", "DEFAULT_RTOL"]

#: Relative distance below which two canonical points are one. Newton end
#: points agree to ~1e-12; distinct critical points of an instance differ at O(1).
DEFAULT_RTOL = 1e-6


def deduplicate(canonical, rtol: float = DEFAULT_RTOL) -> tuple[np.ndarray, np.ndarray]:
    """Group points whose canonical forms agree within ``rtol·max(1, |x|)``.

    Parameters
    ----------
    canonical : array_like, shape (size, D)
        Canonical forms of the end points, in the order they were found.
    rtol : float
        Relative tolerance.

    Returns
    -------
    first : ndarray of int64, shape (K,)
        Row of the first occurrence of each distinct point, in order of discovery.
    group : ndarray of int64, shape (size,)
        For each row, the number (0 … K−1) of its distinct point.
    """
    X = np.asarray(canonical, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"canonical points must have shape (size, D), got {X.shape}")
    size = X.shape[0]
    group = np.empty(size, dtype=np.int64)
    kept = np.empty_like(X)
    first = []
    for i in range(size):
        x = X[i]
        k = len(first)
        if k:
            d2 = np.einsum("ij,ij->i", kept[:k] - x, kept[:k] - x)
            j = int(np.argmin(d2))
            if d2[j] <= (rtol * max(1.0, float(np.sqrt(x @ x)))) ** 2:
                group[i] = j
                continue
        kept[k] = x
        first.append(i)
        group[i] = k
    return np.asarray(first, dtype=np.int64), group
