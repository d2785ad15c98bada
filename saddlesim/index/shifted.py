"""Shifted ensembles: indices of H = G + s·I for many shifts s from one set of draws.

A shift s > 0 moves the whole spectrum right (favours minima): the index of
G + s·I is the number of eigenvalues of G below -s, so
P(min) = P(lambda_min(G) > -s). In a random landscape the Hessian at a
critical point of lower energy is such a right-shifted matrix (Bray & Dean
2007; Auffinger, Ben Arous & Černý 2013).

Every shift of one batch uses the *same* draws of G:

- ``tridiagonal`` (Gaussian ensembles): one Dumitriu–Edelman draw, then per
  shift the Sturm/LDLᵀ count at -s and the degeneracy test (counts at
  -s ∓ tol), i.e. O(n) per extra shift, no eigenvalues;
- ``dense``: eigenvalues once, compared against -s;
- the independent-sign model's fast path: the spectra are drawn exactly as
  :func:`saddlesim.index.sampling.sample_index` draws them (|N(0, 1)| magnitudes,
  fair signs: i.i.d. N(0, 1) eigenvalues) and compared against -s. Under a
  shift s each eigenvalue is N(s, 1): the index is Binomial(n, Phi(-s)) and
  P(min) = Phi(s)^n.

Because the random stream is consumed exactly as by
:func:`~saddlesim.index.sampling.sample_index` (extra variates only after it),
shift 0 reproduces the unshifted indices draw for draw.

Degeneracy at a shift follows :mod:`saddlesim.index.inertia` for the matrix
G + s·I itself: some ``|lambda + s| <= tol``, default
``tol = n eps ||G + s I||_F``.

With ``weight='det'`` each draw also gets ``log|det(G + s I)|``: the sum of
``log|pivot|`` of the LDLᵀ recurrence at exactly -s (tridiagonal), or
``sum log|lambda + s|`` (dense, independent). That is the Kac–Rice weight of
a critical point (see :mod:`saddlesim.index.weights`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from saddlesim.runtime.validate import check_n, check_size, check_tol
from saddlesim.index.inertia import DEGENERATE, default_tol, index_from_eigenvalues
from saddlesim.models.gaussian import draw_tridiagonal_rows, goe_matrices, gse_matrices, gue_matrices
from saddlesim.models.independent import independent_sign_matrices, independent_sign_spectra
from saddlesim.models.spec import Model
from saddlesim.models.wishart_wigner import wishart_wigner_matrices
from saddlesim.index.sampling import BLOCK_ELEMENTS, DENSE_BLOCK_ELEMENTS, METHODS
from saddlesim.index.sturm import count_below, pivots

__all__ = [
    "WEIGHTS",
    "check_shifts",
    "sample_index_shifted",
]

#: Per-draw weights a sweep can apply: none, or the Kac–Rice ``|det H|``.
WEIGHTS = (None, "det")


def check_shifts(shifts) -> tuple[float, ...]:
    """Validate shifts: a non-empty sequence of finite floats, without repeats (order kept).

    ``-0.0`` is read as ``0.0`` so that it names the same cell.
    """
    if np.isscalar(shifts):
        shifts = [shifts]
    try:
        values = [float(s) + 0.0 for s in shifts]
    except (TypeError, ValueError):
        raise ValueError(f"shifts must be numbers, got {shifts!r}") from None
    if not values:
        raise ValueError("give at least one shift")
    if not all(np.isfinite(values)):
        raise ValueError(f"shifts must be finite, got {values}")
    if len(set(values)) != len(values):
        raise ValueError(f"shifts must not repeat, got {values}")
    return tuple(values)


def _check_weight(weight):
    if weight not in WEIGHTS:
        raise ValueError(f"unknown weight {weight!r}; choose 'det' or none")
    return weight


# Draws per sub-block: thresholds and count points of every shift of a
# sub-block stay in cache between being made and being counted at.
_SUB_BLOCK = 4096


def _tolerances(n, shifts, tol, sq_a, sum_a, sum_b2) -> np.ndarray:
    """Degeneracy thresholds, shape (k, m): ``n eps ||T + s I||_F`` per shift, or ``tol``."""
    s = np.asarray(shifts, dtype=float)[:, None]
    if tol is not None:
        return np.full((s.shape[0], sq_a.shape[0]), tol)
    # ||T + s I||_F^2 = sum a^2 + 2 s sum a + n s^2 + 2 sum b^2; at s = 0 this is
    # bit-for-bit the unshifted norm (the added terms are exact zeros).
    fro2 = sq_a + 2.0 * s * sum_a + n * s * s + 2.0 * sum_b2
    return default_tol(n, np.sqrt(np.maximum(fro2, 0.0)))


def _tridiagonal_shifts(a, b2, shifts, tol, want_logdet: bool):
    """Indices of T + s I for every shift (and log|det|), from position-major rows.

    Per shift the index is the Sturm count below -s - tol, and the draw is
    degenerate where the count below -s + tol differs (as inertia.index_rows
    at s = 0). All 2k counts of a sub-block of draws run in one compiled
    recurrence (:func:`saddlesim.index.sturm.count_below`; compiled for k > 1).
    """
    n, m = a.shape
    k = len(shifts)
    s = np.asarray(shifts, dtype=float)[:, None]
    sq_a, sum_a, sum_b2 = np.einsum("ij,ij->j", a, a), a.sum(axis=0), b2.sum(axis=0)
    index = np.empty((k, m), dtype=np.int64)
    logdet = np.empty((k, m)) if want_logdet else None
    buffer = np.empty((2 * k, min(_SUB_BLOCK, m)))
    for lo in range(0, m, _SUB_BLOCK):
        hi = min(m, lo + _SUB_BLOCK)
        t = _tolerances(n, shifts, tol, sq_a[lo:hi], sum_a[lo:hi], sum_b2[lo:hi])
        points = buffer[:, : hi - lo]
        np.subtract(-s, t, out=points[:k])
        np.add(-s, t, out=points[k:])
        # nextafter: the count below the upper point must include lambda + s == tol
        np.nextafter(points[k:], np.inf, out=points[k:])
        counts = count_below(a[:, lo:hi], b2[:, lo:hi], points)
        lower, upper = counts[:k], counts[k:]
        index[:, lo:hi] = np.where(lower == upper, lower, DEGENERATE)
        if want_logdet:
            # zero pivots -> pivmin (dlaneg): a singular draw gets log|det| ~ -700, weight 0 in effect
            d = pivots(a[:, lo:hi], b2[:, lo:hi], np.broadcast_to(-s, (k, hi - lo)))
            logdet[:, lo:hi] = np.log(np.abs(d)).sum(axis=0)
    return index, logdet


def _tridiagonal_at_shift(a, b2, s: float, tol, want_logdet: bool):
    """Index of T + s·I (and log|det(T + s I)|) for one shift; see :func:`_tridiagonal_shifts`."""
    index, logdet = _tridiagonal_shifts(a, b2, [s], tol, want_logdet)
    return index[0], None if logdet is None else logdet[0]


def _from_eigenvalues(lam, s: float, tol, halve: bool, want_logdet: bool):
    shifted = lam + s
    index = index_from_eigenvalues(shifted, tol)
    logdet = None
    if want_logdet:
        with np.errstate(divide="ignore"):
            logdet = np.log(np.abs(shifted)).sum(axis=1)
    if halve:
        # GSE as 2n x 2n complex: Kramers pairs count every eigenvalue twice
        index = np.where(index == DEGENERATE, DEGENERATE, index // 2)
        logdet = None if logdet is None else 0.5 * logdet
    return index, logdet


def sample_index_shifted(
    model: Model | str,
    n: int,
    size: int,
    rng=None,
    *,
    shifts: Sequence[float] = (0.0,),
    method: str = "tridiagonal",
    tol: float | None = None,
    weight: str | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Indices of ``G + s I`` for every shift ``s``, all from the same ``size`` draws of G.

    Parameters
    ----------
    model : Model or str
    n : int
        Dimension ``>= 1``.
    size : int
        Number of draws ``>= 0``.
    rng : None, int, SeedSequence or Generator
        Normalised once with :func:`numpy.random.default_rng`.
    shifts : sequence of float, length k
        Additive shifts (``s > 0`` favours minima).
    method : {'tridiagonal', 'dense'}
        As :func:`saddlesim.index.sampling.sample_index`.
    tol : float, optional
        Absolute degeneracy threshold; default ``n eps ||G + s I||_F`` per shift.
    weight : {None, 'det'}
        ``'det'`` also returns ``log|det(G + s I)|``.

    Returns
    -------
    index : ndarray of int64, shape (k, size)
        Number of eigenvalues of G below ``-s``, or -1 (degenerate at that shift).
    log_abs_det : ndarray, shape (k, size), or None
        ``log|det(G + s I)|`` (``-inf`` for a singular draw) when ``weight='det'``.

    Notes
    -----
    The random stream is consumed exactly as by
    :func:`saddlesim.index.sampling.sample_index`, so ``index[j]`` at ``shifts[j] = 0``
    equals ``sample_index(model, n, size, rng)`` for the same generator state.

    References
    ----------
    I. Dumitriu and A. Edelman, J. Math. Phys. 43 (2002) 5830 (tridiagonal model);
    W. Kahan (1966), LAPACK ``dlaneg`` (Sturm counts by LDLᵀ pivots);
    A. J. Bray and D. S. Dean, Phys. Rev. Lett. 98 (2007) 150201 (shifted Hessians).
    """
    model = model if isinstance(model, Model) else Model(model)
    n, size = check_n(n), check_size(size)
    shifts = check_shifts(shifts)
    tol = check_tol(tol)
    want = _check_weight(weight) == "det"
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    rng = np.random.default_rng(rng)
    if model.name == "wishart-wigner" and method != "dense":
        raise ValueError("model 'wishart-wigner' has no tridiagonal form; use method 'dense'")
    k = len(shifts)
    index = np.empty((k, size), dtype=np.int64)
    logdet = np.empty((k, size)) if want else None
    if method == "dense":
        _dense(model, n, size, rng, shifts, tol, index, logdet)
    elif not model.is_gaussian:
        _independent(n, size, rng, shifts, tol, index, logdet)
    else:
        block = max(1, BLOCK_ELEMENTS // n)
        for start in range(0, size, block):
            m = min(block, size - start)
            a, b2 = draw_tridiagonal_rows(n, m, model.beta, rng)
            idx, ld = _tridiagonal_shifts(a, b2, shifts, tol, want)
            index[:, start : start + m] = idx
            if want:
                logdet[:, start : start + m] = ld
    return index, logdet


def _independent(n, size, rng, shifts, tol, index, logdet) -> None:
    # the spectra exactly as sample_index draws them (same blocks), then every shift
    block = max(1, BLOCK_ELEMENTS // n)
    for start in range(0, size, block):
        m = min(block, size - start)
        lam = independent_sign_spectra(n, m, rng)
        for j, s in enumerate(shifts):
            idx, ld = _from_eigenvalues(lam, s, tol, False, logdet is not None)
            index[j, start : start + m] = idx
            if logdet is not None:
                logdet[j, start : start + m] = ld


def _dense(model, n, size, rng, shifts, tol, index, logdet) -> None:
    if model.name == "wishart-wigner":
        def draw(n, m, rng):
            return wishart_wigner_matrices(n, m, model.phi, model.eps, rng)
    elif model.name == "independent":
        draw = independent_sign_matrices
    elif model.beta in (1.0, 2.0, 4.0):
        draw = {1.0: goe_matrices, 2.0: gue_matrices, 4.0: gse_matrices}[model.beta]
    else:
        raise ValueError(
            f"method 'dense' exists for beta in 1, 2, 4 and the independent model, "
            f"not beta={model.beta:g}; use method 'tridiagonal'"
        )
    block = max(1, DENSE_BLOCK_ELEMENTS // (n * n))
    for start in range(0, size, block):
        m = min(block, size - start)
        lam = np.linalg.eigvalsh(draw(n, m, rng))
        for j, s in enumerate(shifts):
            idx, ld = _from_eigenvalues(lam, s, tol, draw is gse_matrices, logdet is not None)
            index[j, start : start + m] = idx
            if logdet is not None:
                logdet[j, start : start + m] = ld

