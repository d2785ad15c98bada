"""The independent-sign model: the coin-flip assumption made literal.

Eigenvalues are i.i.d. with a law symmetric about 0, so each is negative with
probability 1/2 independently of the others. Under this model, and only under
it, the coin-flip argument is exact: P(min) = P(max) = 2^-n and the index is
Binomial(n, 1/2).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from saddlesim.runtime.validate import check_n, check_size

__all__ = ["independent_sign_spectra", "independent_sign_matrices", "haar_orthogonal"]

Magnitude = Callable[[np.random.Generator, tuple], np.ndarray]


def _half_normal(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    return np.abs(rng.standard_normal(shape))


def independent_sign_spectra(
    n: int, size: int, rng=None, *, magnitude: Magnitude | None = None
) -> np.ndarray:
    """Draw spectra with i.i.d. magnitudes and independent fair signs.

    Parameters
    ----------
    n : int
        Dimension (number of eigenvalues), ``n >= 1``.
    size : int
        Number of spectra, ``size >= 0``.
    rng : None, int, SeedSequence or Generator
        Anything :func:`numpy.random.default_rng` accepts.
    magnitude : callable ``(rng, shape) -> ndarray``, optional
        Law of ``|lambda|``; must return non-negative values of ``shape``.
        Default: ``|N(0, 1)|`` (so each eigenvalue is exactly N(0, 1)).

    Returns
    -------
    lam : ndarray, shape (size, n)
        Eigenvalues, unsorted.
    """
    n, size = check_n(n), check_size(size)
    rng = np.random.default_rng(rng)
    mag = (magnitude or _half_normal)(rng, (size, n))
    mag = np.asarray(mag, dtype=float)
    if mag.shape != (size, n) or np.any(mag < 0):
        raise ValueError("magnitude must return non-negative values of the requested shape")
    sign = rng.integers(0, 2, size=(size, n), dtype=np.int8) * 2 - 1
    return mag * sign


def haar_orthogonal(n: int, size: int, rng=None) -> np.ndarray:
    """Draw Haar-distributed orthogonal matrices.

    QR of a Gaussian matrix, with the signs of ``R``'s diagonal moved into
    ``Q`` so that the law is exactly Haar (Mezzadri 2007; without the sign fix
    the law depends on the QR implementation).

    Returns
    -------
    Q : ndarray, shape (size, n, n)

    References
    ----------
    F. Mezzadri, "How to generate random matrices from the classical compact
    groups", Notices AMS 54 (2007) 592-604.
    """
    n, size = check_n(n), check_size(size)
    rng = np.random.default_rng(rng)
    Z = rng.standard_normal((size, n, n))
    Q, R = np.linalg.qr(Z)
    s = np.sign(np.diagonal(R, axis1=1, axis2=2))
    s[s == 0] = 1.0
    return Q * s[:, None, :]


def independent_sign_matrices(
    n: int, size: int, rng=None, *, magnitude: Magnitude | None = None
) -> np.ndarray:
    """Dense symmetric matrices ``Q diag(lambda) Q^T`` of the independent-sign model.

    ``lambda`` is drawn by :func:`independent_sign_spectra` and ``Q`` is
    Haar-random orthogonal (:func:`haar_orthogonal`), so the matrix law is
    orthogonally invariant and its spectrum is the independent-sign one.

    Returns
    -------
    H : ndarray, shape (size, n, n)
    """
    n, size = check_n(n), check_size(size)
    rng = np.random.default_rng(rng)
    lam = independent_sign_spectra(n, size, rng, magnitude=magnitude)
    Q = haar_orthogonal(n, size, rng)
    H = (Q * lam[:, None, :]) @ np.swapaxes(Q, 1, 2)
    # Q diag(l) Q^T is symmetric in exact arithmetic; symmetrise the rounding.
    return 0.5 * (H + np.swapaxes(H, 1, 2))
