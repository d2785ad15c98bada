"""Binomial estimates: confidence intervals, z-scores and goodness of fit.

Every Monte Carlo frequency in saddlesim is a binomial proportion (or, for the
index histogram, a multinomial vector); these are the tools to put intervals
on them and to test them against exact probabilities.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

__all__ = [
    "wilson_interval",
    "clopper_pearson_interval",
    "binomial_zscore",
    "binomial_log10_pvalue",
    "multinomial_max_zscore",
    "chisquare_gof",
]


def wilson_interval(k, N, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    k, N : array_like of int
        Successes and trials (broadcast together); ``N >= 1``.
    confidence : float
        Two-sided level.

    Returns
    -------
    lo, hi : ndarray
        Bounds in [0, 1]; for ``k = 0`` the lower bound is exactly 0.

    References
    ----------
    E. B. Wilson, J. Am. Stat. Assoc. 22 (1927) 209-212; Brown, Cai &
    DasGupta, Statist. Sci. 16 (2001) 101-133.
    """
    k, N = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(N, dtype=float))
    z = stats.norm.isf((1 - confidence) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / N
        denom = 1 + z * z / N
        centre = (p + z * z / (2 * N)) / denom
        half = z * np.sqrt(p * (1 - p) / N + z * z / (4 * N * N)) / denom
    lo = np.where(k == 0, 0.0, np.clip(centre - half, 0, 1))
    hi = np.where(k == N, 1.0, np.clip(centre + half, 0, 1))
    return lo, hi


def clopper_pearson_interval(k, N, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Clopper-Pearson) interval from beta quantiles; conservative."""
    k, N = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(N, dtype=float))
    alpha = 1 - confidence
    lo = np.where(k == 0, 0.0, special.betaincinv(k, N - k + 1, alpha / 2))
    hi = np.where(k == N, 1.0, special.betaincinv(k + 1, N - k, 1 - alpha / 2))
    return lo, hi


def binomial_zscore(k, N, p) -> np.ndarray:
    """``(k - N p) / sqrt(N p (1 - p))``: the deviation of a count from probability ``p``.

    Returns ``inf``/``-inf`` (or 0 when ``k == N p``) where ``p`` is 0 or 1.
    """
    k, N, p = (np.asarray(x, dtype=float) for x in (k, N, p))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (k - N * p) / np.sqrt(N * p * (1 - p))
    return np.where(np.isnan(z), 0.0, z)


def _binom_logpmf(j, N, ln_p):
    """log Binomial(N, p) pmf at j from ln p (finite even where p underflows)."""
    ln_q = np.log1p(-np.exp(ln_p))
    return (special.gammaln(N + 1) - special.gammaln(j + 1) - special.gammaln(N - j + 1)
            + j * ln_p + (N - j) * ln_q)


def binomial_log10_pvalue(k, N, log10_p) -> np.ndarray:
    """log10 of the two-sided binomial p-value of ``k`` successes in ``N`` at ``p = 10**log10_p``.

    The tail is ``P(X >= k)`` when ``k > N p`` and ``P(X <= k)`` otherwise,
    doubled and capped at 1. It is computed in log space so that
    probabilities like 2^-200 or 1e-300 give a finite answer: seeing 3 minima
    in 10^6 draws where theory says 1e-300 has log10 p-value about -885, not
    -inf.
    """
    k, N, lp = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (k, N, log10_p)))
    ln_p = lp * np.log(10.0)
    p = np.exp(ln_p)
    with np.errstate(divide="ignore"):
        upper = stats.binom.logsf(k - 1, N, p)  # P(X >= k)
        lower = stats.binom.logcdf(k, N, p)  # P(X <= k)
    tail = np.where(k > N * p, upper, lower)
    # Where scipy underflowed, or p itself is subnormal (only a few significant
    # digits left, so scipy's tail is off in the 5th digit), sum the leading
    # pmf terms of the far tail in log space; beyond a few hundred terms they
    # are negligible.
    bad = ~np.isfinite(tail) | ((p > 0) & (p < np.finfo(float).tiny))
    if np.any(bad):
        kb, Nb, lb = k[bad], N[bad], ln_p[bad]
        up = kb > Nb * np.exp(lb)
        steps = np.arange(400.0)
        j = np.where(up[:, None], kb[:, None] + steps, kb[:, None] - steps)
        j = np.clip(j, 0, Nb[:, None])
        terms = _binom_logpmf(j, Nb[:, None], lb[:, None])
        # clipped duplicates must count once
        first = np.concatenate([np.ones((len(kb), 1), bool), np.diff(j, axis=1) != 0], axis=1)
        tail[bad] = special.logsumexp(np.where(first, terms, -np.inf), axis=1)
    return np.minimum(0.0, (tail + np.log(2.0)) / np.log(10.0))


def multinomial_max_zscore(counts, probs) -> float:
    """Largest ``|z|`` over categories of a histogram against exact probabilities.

    Parameters
    ----------
    counts : array_like of int, shape (k,)
    probs : array_like of float, shape (k,)
        Exact probabilities of the same categories.

    Each category's count is binomial, so ``|z| > 6`` anywhere is evidence
    against ``probs`` (a union bound over ``k`` categories keeps the false
    alarm rate below ``k * 2e-9``).
    """
    counts = np.asarray(counts, dtype=float)
    probs = np.asarray(probs, dtype=float)
    if counts.shape != probs.shape:
        raise ValueError(f"counts {counts.shape} and probs {probs.shape} differ in shape")
    z = binomial_zscore(counts, counts.sum(), probs)
    return float(np.max(np.abs(z)))


def chisquare_gof(counts, probs, *, min_expected: float = 5.0) -> float:
    """Pearson chi-square goodness-of-fit p-value, pooling sparse tail categories.

    Categories with expected count below ``min_expected`` are merged from the
    ends inwards (so the chi-square approximation holds).

    Returns
    -------
    pvalue : float
    """
    counts = np.asarray(counts, dtype=float)
    probs = np.asarray(probs, dtype=float)
    N = counts.sum()
    exp = probs * N
    obs = list(counts)
    ex = list(exp)
    # merge small categories into their neighbour, from both ends
    for _ in range(2):
        while len(ex) > 2 and ex[0] < min_expected:
            ex[1] += ex.pop(0)
            obs[1] += obs.pop(0)
        ex.reverse()
        obs.reverse()
    res = stats.chisquare(np.array(obs), np.array(ex) * (sum(obs) / sum(ex)))
    return float(res.pvalue)
