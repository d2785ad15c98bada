"""Gaussian beta-ensembles: dense GOE/GUE/GSE and the beta-Hermite tridiagonal form.

Normalisation (every sampler here): the joint eigenvalue density is

    p(lambda) ∝ |Δ(lambda)|^beta exp(-Σ lambda_i^2 / 2),

i.e. dense matrices have density ∝ exp(-tr H^2 / 2): real diagonal N(0, 1)
and each real component of an off-diagonal entry N(0, 1/2). Tridiagonal and
dense forms of the same beta therefore have the *same* spectrum law, which the
statistical tests check through small-n index probabilities.
"""

from __future__ import annotations

import numpy as np

from saddlesim.runtime.validate import check_beta, check_n, check_size

__all__ = ["draw_tridiagonal_rows", 
    "goe_matrices",
    "gue_matrices",
    "gse_matrices",
    "beta_hermite_tridiagonal",
    "beta_hermite_spectra",
    "tridiagonal_to_dense",
]

_HALF = np.sqrt(0.5)


def goe_matrices(n: int, size: int, rng=None) -> np.ndarray:
    """Draw GOE matrices with density ∝ exp(-tr H^2 / 2).

    Diagonal N(0, 1), off-diagonal N(0, 1/2). Copying an i.i.d. N(0, 1) upper
    triangle is *not* this law (its off-diagonal variance is twice too large;
    at n=2 it gives P(min) ≈ 0.1159 instead of (2 - √2)/4 ≈ 0.1464).

    Returns
    -------
    H : ndarray, shape (size, n, n)
        Real symmetric.

    References
    ----------
    M. L. Mehta, *Random Matrices*, 3rd ed. (2004), ch. 2.
    """
    n, size = check_n(n), check_size(size)
    rng = np.random.default_rng(rng)
    # (G + G^T)/2 with G i.i.d. N(0,1): off-diagonal variance 1/2, but the
    # diagonal would be N(0,1) too -- exactly the law wanted.
    G = rng.standard_normal((size, n, n))
    return 0.5 * (G + np.swapaxes(G, 1, 2))


def gue_matrices(n: int, size: int, rng=None) -> np.ndarray:
    """Draw GUE matrices with density ∝ exp(-tr H^2 / 2).

    Diagonal real N(0, 1); off-diagonal complex with real and imaginary parts
    N(0, 1/2) each, so that ``|H_ij|^2`` has mean 1 and the spectrum is the
    beta = 2 Hermite ensemble.

    Returns
    -------
    H : ndarray, shape (size, n, n), complex
        Hermitian.
    """
    n, size = check_n(n), check_size(size)
    rng = np.random.default_rng(rng)
    G = rng.standard_normal((size, n, n)) + 1j * rng.standard_normal((size, n, n))
    # (G + G^H)/2: diagonal Re G_ii ~ N(0,1); off-diagonal components
    # (G_ij ± G_ji)/2 have variance 1/2 each.
    return 0.5 * (G + np.conj(np.swapaxes(G, 1, 2)))


def gse_matrices(n: int, size: int, rng=None) -> np.ndarray:
    """Draw GSE matrices (quaternion self-dual) as 2n x 2n complex Hermitian matrices.

    The n x n quaternion Hermitian matrix with real diagonal N(0, 1) and four
    real components N(0, 1/2) per off-diagonal entry is represented as
    ``[[A, B], [-conj(B), conj(A)]]`` with ``A`` Hermitian and ``B`` complex
    antisymmetric. Each eigenvalue appears twice (Kramers degeneracy); the n
    distinct ones follow the beta = 4 Hermite law.

    Returns
    -------
    H : ndarray, shape (size, 2n, 2n), complex
        Hermitian; count negative eigenvalues and halve for the index.
    """
    n, size = check_n(n), check_size(size)
    rng = np.random.default_rng(rng)
    A = gue_matrices(n, size, rng)
    C = rng.standard_normal((size, n, n)) + 1j * rng.standard_normal((size, n, n))
    # (C - C^T)/2: antisymmetric, components of variance 1/2 each.
    B = 0.5 * (C - np.swapaxes(C, 1, 2))
    top = np.concatenate([A, B], axis=2)
    bottom = np.concatenate([-np.conj(B), np.conj(A)], axis=2)
    return np.concatenate([top, bottom], axis=1)


def draw_tridiagonal_rows(
    n: int, size: int, beta: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Diagonal and *squared* off-diagonal of beta-Hermite matrices, one row per position.

    Returns ``a`` of shape (n, size) and ``b2`` of shape (n-1, size). Row-major
    by position so that a Sturm recurrence over positions touches contiguous
    memory; squared because the recurrence only needs b^2, and
    chi_k^2 / 2 = Gamma(k/2, 1) saves a square root per entry.
    """
    a = rng.standard_normal((n, size))
    shape = (beta / 2.0) * np.arange(n - 1, 0, -1, dtype=float)
    b2 = np.empty((n - 1, size))
    half = shape == 0.5
    # Gamma(1/2, 1) = N(0,1)^2 / 2 exactly, and numpy's gamma sampler is ~3x
    # slower for shape < 1 than a squared normal; other shapes go to gamma.
    if np.any(half):
        b2[half] = 0.5 * np.square(rng.standard_normal((int(half.sum()), size)))
    rest = ~half
    b2[rest] = rng.standard_gamma(shape[rest, None], size=(int(rest.sum()), size))
    return a, b2


def beta_hermite_tridiagonal(
    n: int, size: int, beta: float, rng=None
) -> tuple[np.ndarray, np.ndarray]:
    """Draw the Dumitriu-Edelman tridiagonal model of the Gaussian beta-ensemble.

    Diagonal N(0, 1); k-th off-diagonal chi_{beta (n-k)} / sqrt(2),
    k = 1..n-1. The eigenvalue density is ∝ |Δ(lambda)|^beta exp(-Σ lambda^2/2),
    the same law as :func:`goe_matrices` (beta=1), :func:`gue_matrices` (beta=2)
    and :func:`gse_matrices` (beta=4).

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    size : int
        Number of matrices, ``size >= 0``.
    beta : float
        Dyson index, ``beta > 0``.
    rng : None, int, SeedSequence or Generator

    Returns
    -------
    diag : ndarray, shape (size, n)
    offdiag : ndarray, shape (size, n - 1)
        Non-negative.

    References
    ----------
    I. Dumitriu and A. Edelman, "Matrix models for beta ensembles",
    J. Math. Phys. 43 (2002) 5830-5847, Theorem 2.12.
    """
    n, size, beta = check_n(n), check_size(size), check_beta(beta)
    rng = np.random.default_rng(rng)
    a, b2 = draw_tridiagonal_rows(n, size, beta, rng)
    return np.ascontiguousarray(a.T), np.ascontiguousarray(np.sqrt(b2).T)


def tridiagonal_to_dense(diag, offdiag) -> np.ndarray:
    """Assemble symmetric tridiagonal matrices.

    Parameters
    ----------
    diag : array_like, shape (size, n) or (n,)
    offdiag : array_like, shape (size, n - 1) or (n - 1,)

    Returns
    -------
    T : ndarray, shape (size, n, n)
    """
    d = np.atleast_2d(np.asarray(diag, dtype=float))
    e = np.asarray(offdiag, dtype=float).reshape(d.shape[0], d.shape[1] - 1)
    size, n = d.shape
    T = np.zeros((size, n, n))
    i = np.arange(n)
    T[:, i, i] = d
    T[:, i[:-1], i[1:]] = e
    T[:, i[1:], i[:-1]] = e
    return T


def beta_hermite_spectra(n: int, size: int, beta: float, rng=None) -> np.ndarray:
    """Draw eigenvalues of the Gaussian beta-ensemble.

    Diagonalises :func:`beta_hermite_tridiagonal` draws (batched LAPACK on
    the assembled tridiagonal matrices).

    Returns
    -------
    lam : ndarray, shape (size, n)
        Sorted ascending in each row.
    """
    d, e = beta_hermite_tridiagonal(n, size, beta, rng)
    return np.linalg.eigvalsh(tridiagonal_to_dense(d, e))
