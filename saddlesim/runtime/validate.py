"""Argument checks shared by every public entry point.

Each check raises ``ValueError`` with a message that names the argument and
the problem, so the CLI can print it as a one-line error.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "check_n",
    "check_size",
    "check_beta",
    "check_tol",
    "check_finite",
    "check_square_symmetric",
]


def check_n(n) -> int:
    """Return ``n`` as an int, requiring an integer dimension ``n >= 1``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f"n must be an integer dimension >= 1, got {n!r}")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    return int(n)


def check_size(size) -> int:
    """Return ``size`` as an int, requiring an integer sample count ``size >= 0``."""
    if isinstance(size, bool) or not isinstance(size, numbers.Integral):
        raise ValueError(f"size must be an integer >= 0, got {size!r}")
    if size < 0:
        raise ValueError(f"size must be >= 0, got {size}")
    return int(size)


def check_beta(beta) -> float:
    """Return ``beta`` as a float, requiring a finite Dyson index ``beta > 0``."""
    try:
        b = float(beta)
    except (TypeError, ValueError):
        raise ValueError(f"beta must be a positive number, got {beta!r}") from None
    if not np.isfinite(b) or b <= 0:
        raise ValueError(f"beta must be a finite number > 0, got {beta!r}")
    return b


def check_tol(tol) -> float | None:
    """Return ``tol`` as a float or None, requiring ``tol >= 0`` when given."""
    if tol is None:
        return None
    t = float(tol)
    if not np.isfinite(t) or t < 0:
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    return t


def check_finite(x: np.ndarray, what: str) -> None:
    """Raise if ``x`` holds NaN or infinity."""
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what} contains NaN or infinite entries")


def check_square_symmetric(H, *, rtol: float = 1e-10) -> np.ndarray:
    """Validate a stack of symmetric (or Hermitian) matrices.

    Parameters
    ----------
    H : array_like, shape (n, n) or (size, n, n)
        Real symmetric or complex Hermitian matrices.
    rtol : float
        Asymmetry allowed, relative to the largest entry of each matrix:
        ``max|H - H^H| <= rtol * max(max|H|, tiny)``.

    Returns
    -------
    H : ndarray, shape (size, n, n)
        The input as a float or complex array, with a leading batch axis.
    """
    try:
        H = np.asarray(H)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"matrices must form a regular array: {exc}") from None
    if H.dtype == object or not (
        np.issubdtype(H.dtype, np.number) or H.dtype == np.bool_
    ):
        raise ValueError(f"matrices must be numeric, got dtype {H.dtype}")
    if not np.iscomplexobj(H):
        H = H.astype(np.float64, copy=False)
    if H.ndim == 2:
        H = H[None]
    if H.ndim != 3:
        raise ValueError(
            f"expected one matrix of shape (n, n) or a stack (size, n, n), got shape {H.shape}"
        )
    if H.shape[1] != H.shape[2]:
        raise ValueError(f"matrices must be square, got shape {H.shape[1:]}")
    if H.shape[1] < 1:
        raise ValueError("matrices must have n >= 1")
    check_finite(H, "matrices")
    scale = np.abs(H).max(axis=(1, 2))
    asym = np.abs(H - np.conj(np.swapaxes(H, 1, 2))).max(axis=(1, 2))
    bad = asym > rtol * np.maximum(scale, np.finfo(float).tiny)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"matrix {i} is not symmetric/Hermitian: max|H - H^T| = {asym[i]:.3g} "
            f"exceeds {rtol:g} x max|H| = {rtol * scale[i]:.3g}"
        )
    return H
