"""The fast index path: indices of many random Hessians, as cheaply as exactness allows.

This is what sweeps call. For the Gaussian beta-ensembles it draws the
Dumitriu-Edelman tridiagonal model and counts negative eigenvalues by the
Sturm / LDLᵀ recurrence (O(n) per matrix, no eigenvalues); for the
independent-sign model it draws the spectra (O(n) per matrix, no
diagonalisation: the eigenvalues are what the model draws) and counts their
signs with the same degeneracy rule as every other route. ``method='dense'``
instead builds full matrices and diagonalises them, for cross-checks.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from saddlesim.runtime.validate import check_n, check_size, check_tol
from saddlesim.index.inertia import DEGENERATE, index_rows, index_dense, index_from_eigenvalues
from saddlesim.models.gaussian import (
    draw_tridiagonal_rows,
    goe_matrices,
    gse_matrices,
    gue_matrices,
)
from saddlesim.models.independent import independent_sign_matrices, independent_sign_spectra
from saddlesim.models.spec import Model, check_dense
from saddlesim.models.wishart_wigner import wishart_wigner_matrices

__all__ = ["BLOCK_ELEMENTS", "DENSE_BLOCK_ELEMENTS", "METHODS", "sample_index", "index_histogram"]

#: Ways to compute indices: ``tridiagonal`` (fast path) or ``dense`` (full matrices + eigvalsh).
METHODS = ("tridiagonal", "dense")

# Elements (n x batch) per block of the Sturm recurrence: large enough to
# amortise numpy's per-call overhead, small enough that one row of pivots
# stays in cache.
BLOCK_ELEMENTS = 1 << 20
# Matrices per block on the dense path (bounds the (block, n, n) arrays).
DENSE_BLOCK_ELEMENTS = 1 << 22


def _as_model(model) -> Model:
    return model if isinstance(model, Model) else Model(model)


def sample_index(
    model: Model | str,
    n: int,
    size: int,
    rng=None,
    *,
    method: Literal["tridiagonal", "dense"] = "tridiagonal",
    tol: float | None = None,
) -> np.ndarray:
    """Indices (number of negative eigenvalues) of ``size`` random Hessians.

    Parameters
    ----------
    model : Model or str
        The Hessian law; a name is read as ``Model(name)``.
    n : int
        Dimension, ``n >= 1``.
    size : int
        Number of draws, ``size >= 0``.
    rng : None, int, SeedSequence or Generator
        Anything :func:`numpy.random.default_rng` accepts.
    method : {'tridiagonal', 'dense'}
        ``tridiagonal`` (default) is the fast exact path: beta-Hermite
        tridiagonal + Sturm counts for the Gaussian ensembles, signs of the
        drawn spectra for the independent model. ``dense`` draws full matrices
        (GOE, GUE, GSE, or ``Q diag(lambda) Qᵀ``) and diagonalises them; it
        exists for beta in {1, 2, 4} and the independent model.
    tol : float, optional
        Absolute degeneracy threshold; default relative (see
        :mod:`saddlesim.index.inertia`).

    Returns
    -------
    index : ndarray of int64, shape (size,)
        Values in 0..n, or :data:`~saddlesim.index.inertia.DEGENERATE` (-1).

    Notes
    -----
    The independent-sign fast path draws the eigenvalues themselves
    (:func:`~saddlesim.models.independent_sign_spectra`) rather than a
    Binomial(n, 1/2) index: the index law is then a property of the sampler
    that the tests can check, not of numpy's binomial generator, and ``tol``
    (default or absolute) marks degenerate draws exactly as the dense and
    eigenvalue routes do. Its cost is still O(n) per draw.
    """
    model = _as_model(model)
    n, size = check_n(n), check_size(size)
    tol = check_tol(tol)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    rng = np.random.default_rng(rng)
    if model.name == "wishart-wigner" and method != "dense":
        raise ValueError("model 'wishart-wigner' has no tridiagonal form; use method 'dense'")
    if method == "dense":
        return _dense_index(model, n, size, rng, tol)
    if not model.is_gaussian:
        return _independent_index(n, size, rng, tol)
    out = np.empty(size, dtype=np.int64)
    block = max(1, BLOCK_ELEMENTS // n)
    for start in range(0, size, block):
        m = min(block, size - start)
        a, b2 = draw_tridiagonal_rows(n, m, model.beta, rng)
        out[start : start + m] = index_rows(a, b2, tol)
    return out


def _independent_index(n: int, size: int, rng: np.random.Generator, tol) -> np.ndarray:
    out = np.empty(size, dtype=np.int64)
    block = max(1, BLOCK_ELEMENTS // n)
    for start in range(0, size, block):
        m = min(block, size - start)
        out[start : start + m] = index_from_eigenvalues(independent_sign_spectra(n, m, rng), tol)
    return out


def _dense_index(model: Model, n: int, size: int, rng: np.random.Generator, tol) -> np.ndarray:
    if model.name == "wishart-wigner":
        def draw(n, m, rng):
            return wishart_wigner_matrices(n, m, model.phi, model.eps, rng)
    elif not check_dense(model).is_gaussian:
        draw = independent_sign_matrices
    else:
        draw = {1.0: goe_matrices, 2.0: gue_matrices, 4.0: gse_matrices}[model.beta]
    out = np.empty(size, dtype=np.int64)
    block = max(1, DENSE_BLOCK_ELEMENTS // (n * n))
    for start in range(0, size, block):
        m = min(block, size - start)
        H = draw(n, m, rng)
        if draw is gse_matrices:
            # Kramers pairs: every eigenvalue of the 2n x 2n form appears twice.
            idx = index_from_eigenvalues(np.linalg.eigvalsh(H), tol)
            out[start : start + m] = np.where(idx == DEGENERATE, DEGENERATE, idx // 2)
        else:
            out[start : start + m] = index_dense(H, tol)
    return out


def index_histogram(index, n: int) -> np.ndarray:
    """Counts of each index and of degenerate draws.

    Parameters
    ----------
    index : array_like of int, shape (size,)
        From :func:`sample_index`.
    n : int
        Dimension.

    Returns
    -------
    counts : ndarray of int64, shape (n + 2,)
        ``counts[k]`` for index k = 0..n, and ``counts[n + 1]`` degenerate.
        Histograms of independent batches add.
    """
    index = np.asarray(index, dtype=np.int64)
    if np.any((index < DEGENERATE) | (index > n)):
        raise ValueError(f"indices must lie in 0..{n} or be {DEGENERATE} (degenerate)")
    # shift by one so DEGENERATE lands in bin 0, then rotate it to the end
    c = np.bincount(index + 1, minlength=n + 2)
    return np.concatenate([c[1:], c[:1]]).astype(np.int64)
