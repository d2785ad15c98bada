"""Wishart + Wigner Hessians (Pennington & Bahri 2017): a Gauss–Newton part plus a noise part.

``H = X Xᵀ / m + W`` with X ∈ ℝ^{n×m} i.i.d. N(0, 1) (the positive
semidefinite Wishart part, mean eigenvalue 1, ratio ``φ = n/m``) and W a
Wigner matrix whose semicircle has radius ``2√(2ε)``. This is the model of a
loss Hessian near a critical point whose loss sets ε; its index fraction has
an exact large-n theory in :mod:`saddlesim.theory.wishart_wigner`.
"""

from __future__ import annotations

import math

import numpy as np

from saddlesim.runtime.validate import check_n, check_size
from saddlesim.models.gaussian import goe_matrices

__all__ = ["wishart_wigner_matrices", "wishart_columns"]


def wishart_columns(n: int, phi: float) -> int:
    """Columns m of X for ratio φ: ``max(1, round(n/φ))``; the realised ratio is n/m."""
    return max(1, int(round(n / float(phi))))


def wishart_wigner_matrices(n: int, size: int, phi: float, eps: float, rng=None) -> np.ndarray:
    """Draw ``H = X Xᵀ/m + W``.

    Parameters
    ----------
    n : int
        Dimension.
    size : int
        Number of matrices.
    phi : float
        ``n/m > 0``; m is :func:`wishart_columns`.
    eps : float
        ``>= 0``. W has off-diagonal variance ``2ε/n`` and diagonal ``4ε/n``
        (``2√(ε/n)`` times a saddlesim GOE), so its semicircle radius is ``2√(2ε)``.
    rng : None, int, SeedSequence or Generator

    Returns
    -------
    H : ndarray, shape (size, n, n)
        Real symmetric.

    References
    ----------
    J. Pennington and Y. Bahri, ICML 2017, §3.
    """
    n, size = check_n(n), check_size(size)
    phi, eps = float(phi), float(eps)
    if not (math.isfinite(phi) and phi > 0):
        raise ValueError(f"phi must be a positive number, got {phi!r}")
    if not (math.isfinite(eps) and eps >= 0):
        raise ValueError(f"eps must be a number >= 0, got {eps!r}")
    rng = np.random.default_rng(rng)
    m = wishart_columns(n, phi)
    X = rng.standard_normal((size, n, m))
    H = X @ X.transpose(0, 2, 1) / m
    # GOE off-diagonal variance 1/2 has semicircle radius √(2n); 2√(ε/n) rescales it to 2√(2ε).
    H += 2.0 * math.sqrt(eps / n) * goe_matrices(n, size, rng)
    return H
