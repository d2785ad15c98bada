"""Critical-point weighting: index frequencies under the Kac–Rice weight |det H|.

At a critical point of a smooth Gaussian random function the Hessian does not
follow its law at a fixed point: the Kac–Rice formula counts critical points
with the weight |det H| (conditioned on a zero gradient), so the law of the
Hessian *at a critical point* is the fixed-point law reweighted by |det H|.
For a draw i with weight w_i = |det H_i| the estimate of P(index in A) is the
ratio estimator

    p_A = sum_i w_i 1{i in A} / sum_i w_i.

Weights are kept as logs (``log|det|`` is a sum of ``log|pivot|`` and is of
order n log n: |det| itself overflows float64 near n = 150), and every sum as
a log-sum-exp, so nothing overflows.

A *tally* of one cell is an array of shape (3, n + 2): the raw index
histogram (index 0..n, then degenerate), ``log sum w`` and ``log sum w^2``
per index bin. Tallies of independent batches add with :func:`add_tallies`.

Interval
--------
The delta-method (linearisation) variance of the ratio estimator,

    V = sum_i w_i^2 (y_i - p)^2 / (sum_i w_i)^2
      = [(1 - p)^2 S2_A + p^2 (S2 - S2_A)] / S1^2,

needs only the per-bin sums of w and w^2, so it survives chunking. It turns
into a Wilson interval with the effective sample size of this proportion,
``n* = p (1 - p) / V`` (Korn & Graubard 1998), which keeps the interval inside
[0, 1] and behaves at small counts; where p is 0 or 1 (V = 0) Kish's
``n_eff = S1^2 / S2`` stands in. Unlike a Wilson interval with Kish's n_eff
alone, n* accounts for the weights being correlated with the event (|det H|
is larger at minima for right-shifted H).

References
----------
S. O. Rice (1944); M. Kac (1943) — the counting formula; A. Auffinger,
G. Ben Arous and J. Černý, Comm. Pure Appl. Math. 66 (2013) 165–201 (Kac–Rice
for spherical spin glasses); L. Kish, *Survey Sampling* (1965) (effective
sample size); E. L. Korn and B. I. Graubard, Survey Methodology 24 (1998)
193–201 (intervals for proportions with an effective sample size);
W. G. Cochran, *Sampling Techniques* (1977) §6.4 (ratio-estimator variance).
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from saddlesim.index.inertia import DEGENERATE
from saddlesim.index.sampling import index_histogram
from saddlesim.stats import wilson_interval

__all__ = [
    "weighted_tally",
    "empty_tally",
    "add_tallies",
    "weighted_proportion",
]


def empty_tally(n: int) -> np.ndarray:
    """Tally of no draws: zero counts, log-sums ``-inf``; shape (3, n + 2)."""
    t = np.full((3, n + 2), -np.inf)
    t[0] = 0.0
    return t


def weighted_tally(index, log_w, n: int) -> np.ndarray:
    """Histogram of indices with per-bin ``log sum w`` and ``log sum w^2``.

    Parameters
    ----------
    index : array_like of int, shape (size,)
        Indices 0..n or -1 (degenerate).
    log_w : array_like of float, shape (size,)
        Log weights (``-inf`` allowed: weight 0).
    n : int

    Returns
    -------
    tally : ndarray of float64, shape (3, n + 2)
        Rows: counts (exact integers up to 2^53), ``log S1``, ``log S2``; bins
        index 0..n then degenerate.
    """
    index = np.asarray(index, dtype=np.int64)
    log_w = np.asarray(log_w, dtype=float)
    if log_w.shape != index.shape:
        raise ValueError(f"log_w must have the shape of index {index.shape}, got {log_w.shape}")
    t = empty_tally(n)
    t[0] = index_histogram(index, n)
    bins = np.where(index == DEGENERATE, n + 1, index)
    order = np.argsort(bins, kind="stable")
    b, lw = bins[order], log_w[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if b.size else np.array([], dtype=int)
    for s, e in zip(starts, np.r_[starts[1:], b.size]):
        t[1, b[s]] = logsumexp(lw[s:e])
        t[2, b[s]] = logsumexp(2.0 * lw[s:e])
    return t


def add_tallies(a, b) -> np.ndarray:
    """Tally of the union of two independent batches (counts add, log-sums log-add)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.stack([a[0] + b[0], np.logaddexp(a[1], b[1]), np.logaddexp(a[2], b[2])])


def weighted_proportion(tally, bins, confidence: float = 0.95) -> dict:
    """Weighted frequency of the index bins ``bins`` with its interval.

    Parameters
    ----------
    tally : array_like, shape (3, n + 2)
    bins : sequence of int or slice
        Which bins make the event (e.g. ``[0]`` for minima).
    confidence : float

    Returns
    -------
    dict
        ``p`` (weighted frequency), ``lo``, ``hi`` (Wilson with n*; see the
        module docstring), ``se`` (delta-method standard error), ``n_eff``
        (Kish, of the whole cell) and ``log_mean_w`` (ln of the mean weight,
        ``ln E|det H|`` estimated).
    """
    t = np.asarray(tally, dtype=float)
    l1, l2 = t[1], t[2]
    total1, total2 = logsumexp(l1), logsumexp(l2)
    samples = t[0].sum()
    out = {"p": np.nan, "lo": np.nan, "hi": np.nan, "se": np.nan, "n_eff": 0.0,
           "log_mean_w": total1 - np.log(samples) if samples > 0 else np.nan}
    if not np.isfinite(total1):
        return out
    sel = np.zeros(l1.shape, dtype=bool)
    sel[bins] = True
    a1 = logsumexp(l1[sel]) if sel.any() else -np.inf
    a2 = logsumexp(l2[sel]) if sel.any() else -np.inf
    p = float(np.exp(a1 - total1))
    # ratios of sums taken in log space: S2_A / S1^2 and S2 / S1^2 never overflow
    r_a, r_all = np.exp(a2 - 2 * total1), np.exp(total2 - 2 * total1)
    var = max((1 - p) ** 2 * r_a + p * p * (r_all - r_a), 0.0)
    n_eff = 1.0 / r_all
    n_star = p * (1 - p) / var if var > 0 and 0 < p < 1 else n_eff
    lo, hi = wilson_interval(p * n_star, n_star, confidence)
    out.update(p=p, lo=float(lo), hi=float(hi), se=float(np.sqrt(var)), n_eff=float(n_eff))
    return out
