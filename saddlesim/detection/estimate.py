"""Estimated Hessians: what a practitioner has instead of the exact H at a critical point.

Two estimators, each a pure function of the exact Hessians and ``rng``:

- **additive noise**: Ĥ = H + σ‖H‖_F · G/‖G‖_F with G a GOE draw, so the
  error is isotropic and exactly σ relative to ‖H‖_F (a stochastic Hessian
  estimate at relative accuracy σ);
- **finite differences** of function values with step h on the model loss

      f(x) = f₀ + ½ xᵀHx + (κ/24) Σ_r (w_r · x)⁴,

  whose exact Hessian at the critical point x = 0 is H. Central differences
  have truncation bias O(κh²) from the quartic term and rounding error
  O(ε_mach f₀ / h²) from the loss offset f₀, the textbook trade-off in h.

Labels from an estimate use a *relative* degeneracy tolerance τ·‖Ĥ‖_F:
minimum iff every eigenvalue exceeds it, maximum iff every eigenvalue is
below minus it, degenerate if any lies within it, saddle otherwise.

References
----------
Nocedal & Wright (2006), *Numerical Optimization*, 2nd ed., §8.1 (finite-
difference Hessians and the choice of h).
Mehta (2004), *Random Matrices*, ch. 3 (GOE).
"""

from __future__ import annotations

import numpy as np

from saddlesim.index.classify import labels_from_index
from saddlesim.models import goe_matrices

__all__ = [
    "noisy_hessians",
    "finite_difference_hessians",
    "relative_tol_labels",
    "labels_from_spectra",
    "quartic_directions",
]


def noisy_hessians(H: np.ndarray, sigma: float, rng=None) -> np.ndarray:
    """Ĥ = H + σ‖H‖_F · G/‖G‖_F, G GOE: isotropic noise of relative Frobenius size exactly σ.

    Parameters
    ----------
    H : ndarray, shape (size, n, n)
        Exact symmetric Hessians.
    sigma : float
        Relative noise level, >= 0.
    rng : None, int, SeedSequence or Generator

    Returns
    -------
    ndarray, shape (size, n, n)
    """
    H = np.asarray(H, dtype=float)
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"sigma must be a finite number >= 0, got {sigma!r}")
    size, n = H.shape[0], H.shape[-1]
    G = goe_matrices(n, size, np.random.default_rng(rng))
    scale = sigma * np.linalg.norm(H, axis=(1, 2)) / np.linalg.norm(G, axis=(1, 2))
    return H + scale[:, None, None] * G


def quartic_directions(size: int, n: int, rng=None) -> np.ndarray:
    """Directions w_r of the quartic term, shape (size, n, n): n per matrix, entries N(0, 1/n)."""
    return np.random.default_rng(rng).standard_normal((size, n, n)) / np.sqrt(n)


def _model_loss(H, W, kappa, f0, P):
    """f at the same points P, shape (k, n), for every matrix; returns (size, k)."""
    # tensordot makes each contraction one BLAS call instead of `size` tiny matmuls
    PH = np.tensordot(P, H, axes=([1], [1]))  # (k, size, n)
    quad = 0.5 * np.sum(PH * P[:, None, :], axis=-1)
    proj = np.tensordot(P, W, axes=([1], [2]))  # (k, size, r)
    p2 = proj * proj  # squaring twice: ``**4`` goes through pow(), ten times slower
    return (f0 + quad + kappa / 24 * np.sum(p2 * p2, axis=-1)).T


def finite_difference_hessians(
    H: np.ndarray, h: float, W: np.ndarray, *, kappa: float = 1.0, f0: float = 1.0
) -> np.ndarray:
    """Central-difference Hessians of the model loss at its critical point x = 0.

    Diagonal: [f(h eᵢ) − 2f(0) + f(−h eᵢ)] / h²; off-diagonal:
    [f(h(eᵢ+eⱼ)) − f(h(eᵢ−eⱼ)) − f(h(−eᵢ+eⱼ)) + f(−h(eᵢ+eⱼ))] / (4h²).

    Parameters
    ----------
    H : ndarray, shape (size, n, n)
        Exact Hessians (the quadratic part of the loss).
    h : float
        Step, > 0.
    W : ndarray, shape (size, r, n)
        Quartic directions (:func:`quartic_directions`).
    kappa, f0 : float
        Quartic strength and the loss offset f₀ that rounding acts on.

    Returns
    -------
    ndarray, shape (size, n, n), symmetric

    Notes
    -----
    The truncation bias is exact: (κh²/12) Σ_r w_ri⁴ on the diagonal and
    (κh²/6) Σ_r (w_ri³ w_rj + w_ri w_rj³) off it.

    References
    ----------
    Nocedal & Wright (2006), eq. (8.9) (central-difference Hessian from function values).
    """
    H = np.asarray(H, dtype=float)
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite number > 0, got {h!r}")
    size, n = H.shape[0], H.shape[-1]
    E = np.eye(n)
    iu, ju = np.triu_indices(n, 1)
    # every point the stencils need, evaluated in one batch per matrix
    pts = [h * E, -h * E]
    pp = E[iu] + E[ju]
    pm = E[iu] - E[ju]
    pts += [h * pp, h * pm, -h * pm, -h * pp]
    f = _model_loss(H, W, kappa, f0, np.concatenate(pts))
    fz = _model_loss(H, W, kappa, f0, np.zeros((1, n)))[:, 0]
    m = len(iu)
    fp, fm = f[:, :n], f[:, n : 2 * n]
    fpp, fpm, fmp, fmm = (f[:, 2 * n + k * m : 2 * n + (k + 1) * m] for k in range(4))
    out = np.empty((size, n, n))
    out[:, np.arange(n), np.arange(n)] = (fp - 2 * fz[:, None] + fm) / h**2
    off = (fpp - fpm - fmp + fmm) / (4 * h**2)
    out[:, iu, ju] = off
    out[:, ju, iu] = off
    return out


def relative_tol_labels(H: np.ndarray, tau: float) -> np.ndarray:
    """Labels with degeneracy threshold τ·‖H‖_F per matrix.

    Parameters
    ----------
    H : ndarray, shape (size, n, n)
    tau : float
        Relative tolerance, >= 0 (0: only exact zeros are degenerate).

    Returns
    -------
    ndarray of str, shape (size,)
    """
    return labels_from_spectra(np.linalg.eigvalsh(H), np.linalg.norm(H, axis=(1, 2)), tau)


def labels_from_spectra(lam: np.ndarray, fro: np.ndarray, tau: float) -> np.ndarray:
    """:func:`relative_tol_labels` from eigenvalues ``lam`` (size, n) and norms ``fro`` (size,)."""
    if not (np.isfinite(tau) and tau >= 0):
        raise ValueError(f"tau must be a finite number >= 0, got {tau!r}")
    tol = tau * np.asarray(fro, dtype=float)[:, None]
    n = lam.shape[-1]
    index = np.count_nonzero(lam < -tol, axis=1)
    index[np.any(np.abs(lam) <= tol, axis=1)] = -1
    return labels_from_index(index, n)
