"""The coin-flip answer at one point: is its index what independent fair signs would give?

The coin-flip claim says each of the n Hessian eigenvalues at a critical
point is negative with probability ½, independently, so the index is
Binomial(n, ½): mean n/2, standard deviation √n/2, and a minimum has
probability 2⁻ⁿ. :func:`coin_flip` puts one observed index against that:
its z-score and the exact two-sided binomial p-value, in log10 so that
p-values far below 10⁻³⁰⁸ stay finite (:func:`saddlesim.stats.binomial_log10_pvalue`).
For an index known only up to an interval [lo, hi] (SLQ), the same numbers
for the interval's least extreme integer — the count in the interval that is
closest to n/2 — say how strong the evidence is whatever the exact count.
"""

from __future__ import annotations

import math

import numpy as np

from saddlesim.stats import binomial_log10_pvalue

__all__ = ["coin_flip", "COIN_KEYS", "coin_sentence"]

#: Keys of :func:`coin_flip` (and of the ``point``/``spectrum`` outputs).
COIN_KEYS = ("coin_mean", "coin_sd", "coin_z", "coin_log10_p", "coin_least_index", "coin_least_z",
             "coin_least_log10_p", "coin_log10_p_min")

_LOG10_HALF = math.log10(0.5)


def _z(k, n) -> float:
    return float((k - n / 2) / (math.sqrt(n) / 2))


def _log10_p(k, n) -> float:
    return float(binomial_log10_pvalue(k, n, _LOG10_HALF))


def coin_flip(n: int, index, lo=None, hi=None) -> dict:
    """The coin-flip model's numbers for ``index`` negative eigenvalues of ``n``.

    Parameters
    ----------
    n : int
        Number of eigenvalues (parameters, or the tangent dimension), ≥ 1.
    index : float
        Observed index (an SLQ estimate may be fractional: z uses it as is,
        the p-value its nearest integer).
    lo, hi : float, optional
        An interval for the index; ``coin_least_*`` are then those of its
        least extreme integer: n/2's nearest integer if the interval holds n/2,
        else ⌊hi⌋ below n/2 or ⌈lo⌉ above.

    Returns
    -------
    dict
        ``coin_mean`` = n/2, ``coin_sd`` = √n/2, ``coin_z`` = (index − n/2)/(√n/2),
        ``coin_log10_p`` (two-sided, exact, log10), ``coin_least_index``,
        ``coin_least_z``, ``coin_least_log10_p`` (None without a proper
        interval), ``coin_log10_p_min`` = log10 2⁻ⁿ (the probability of a
        minimum).
    """
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    n = int(n)
    index = float(index)
    if not 0 <= index <= n:
        raise ValueError(f"index must lie in [0, {n}], got {index}")
    out = {"coin_mean": n / 2, "coin_sd": math.sqrt(n) / 2, "coin_z": _z(index, n),
           "coin_log10_p": _log10_p(round(index), n), "coin_least_index": None, "coin_least_z": None,
           "coin_least_log10_p": None, "coin_log10_p_min": n * _LOG10_HALF}
    if lo is not None and hi is not None and hi > lo:
        lo, hi = float(lo), float(hi)
        if lo <= n / 2 <= hi:
            least = n // 2 if lo <= n // 2 else n // 2 + 1   # n/2, or for odd n the nearer side inside
        elif hi < n / 2:
            least = int(np.floor(hi))
        else:
            least = int(np.ceil(lo))
        out.update(coin_least_index=least, coin_least_z=_z(least, n), coin_least_log10_p=_log10_p(least, n))
    return out


def coin_sentence(r: dict) -> str:
    """One sentence saying what the coin-flip numbers in ``r`` mean (for the text output)."""
    n = r["n"]
    if r["index"] == 0:
        return (f"coin-flip claim (each eigenvalue's sign a fair coin): a minimum has probability 2^-{n} = "
                f"10^{r['coin_log10_p_min']:.1f}; index 0 lies {abs(r['coin_z']):.1f} sd below n/2.")
    s = (f"coin-flip claim (each eigenvalue's sign a fair coin): index ~ Binomial({n}, 1/2), mean {r['coin_mean']:g}, "
         f"sd {r['coin_sd']:.3g}; this index is z = {r['coin_z']:+.1f} sd from it, two-sided p = "
         f"10^{r['coin_log10_p']:.1f}")
    if r.get("coin_least_index") is not None:
        s += (f" (at the interval's least extreme count {r['coin_least_index']}: z = {r['coin_least_z']:+.1f}, "
              f"p = 10^{r['coin_least_log10_p']:.1f})")
    return s + ". A p far below 0.05 means these signs are not fair coins."
