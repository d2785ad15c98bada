"""The compiled (numba) kernels behind :mod:`saddlesim.index.sturm`, for many points at once.

Same recurrence, same IEEE operations in the same order and the same
zero-pivot rule as the numpy loop in :mod:`saddlesim.index.sturm`, so counts and
pivots are bit-identical; the loop runs over a 64-draw block of every point
with the pivots in L1 (0.9 ns per position and point at n = 20, against
3.4 ns for the numpy loop). Imported only when a call counts at more than a
couple of points: importing numba costs ~128 MB resident and ~0.3 s per
process, which one- and two-point counts (plain sweeps) do not repay.
"""

from __future__ import annotations

import numba
import numpy as np

from saddlesim.index.ieee import PIVMIN

__all__ = ["count_below_into", "pivots_into"]

# Draws per block: the pivots and counts of a block for every point stay in
# L1 while the recurrence runs (64 measured best at n = 20, 1 to 40 points).
_BLOCK = 64


@numba.njit(nogil=True, error_model="numpy", cache=True)
def _safe_count(a, b2, x, j):
    v = (a[0, j] - x) + 0.0
    count = 0
    for i in range(1, a.shape[0]):
        if v == 0.0:
            v = PIVMIN
        count += v < 0.0
        v = ((a[i, j] - x) + 0.0) - b2[i - 1, j] / v
    return count + (v < 0.0)


@numba.njit(nogil=True, error_model="numpy", cache=True)
def count_below_into(a, b2, x, out):
    n, m = a.shape
    k = x.shape[0]
    d = np.empty((k, _BLOCK))
    c = np.empty((k, _BLOCK), np.int64)
    for j0 in range(0, m, _BLOCK):
        w = min(m, j0 + _BLOCK) - j0
        a0 = a[0, j0 : j0 + w]
        for p in range(k):
            xp, dp, cp = x[p, j0 : j0 + w], d[p], c[p]
            for j in range(w):
                v = (a0[j] - xp[j]) + 0.0
                dp[j] = v
                cp[j] = v < 0.0
        for i in range(1, n):
            ai, bi = a[i, j0 : j0 + w], b2[i - 1, j0 : j0 + w]
            for p in range(k):
                xp, dp, cp = x[p, j0 : j0 + w], d[p], c[p]
                for j in range(w):
                    v = ((ai[j] - xp[j]) + 0.0) - bi[j] / dp[j]
                    dp[j] = v
                    cp[j] += v < 0.0
        for p in range(k):
            for j in range(w):
                if np.isnan(d[p, j]):
                    out[p, j0 + j] = _safe_count(a, b2, x[p, j0 + j], j0 + j)
                else:
                    out[p, j0 + j] = c[p, j]


@numba.njit(nogil=True, error_model="numpy", cache=True)
def pivots_into(a, b2, x, out):
    n, m = a.shape
    for j in range(m):
        # LAPACK's pivmin scaled by max(1, max b^2) (as dstebz): b^2 / pivmin
        # then stays finite, so a pivot replaced by pivmin and the next one,
        # ~ -b^2 / pivmin, multiply to ~ -b^2, the limit; with the bare
        # smallest normal, b^2 > 1 overflowed to inf and log|det| with it.
        big = 1.0
        for i in range(n - 1):
            big = max(big, b2[i, j])
        pm = PIVMIN * big
        for p in range(x.shape[0]):
            v = (a[0, j] - x[p, j]) + 0.0
            for i in range(1, n):
                # only where b^2 / v would overflow (or be 0/0): a tiny pivot
                # with nothing to divide keeps its exact value
                if v == 0.0 or (abs(v) < pm and b2[i - 1, j] != 0.0):
                    v = pm
                out[i - 1, p, j] = v
                v = ((a[i, j] - x[p, j]) + 0.0) - b2[i - 1, j] / v
            out[n - 1, p, j] = pm if v == 0.0 else v
