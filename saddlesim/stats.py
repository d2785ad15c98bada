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


_LN_TINY = float(np.log(np.finfo(float).tiny))


def _log_tail(k: float, N: float, ln_p: float) -> float:
    """ln P(X >= k) (k above the mean N p) or ln P(X <= k) (otherwise), X ~ Binomial(N, p), in log space.

    The pmf is log-concave, so in the far tail the ratio r of successive terms
    only shrinks moving away from the mean: K terms with r₀^K / (1 − r₀) ≤ 1e-17
    (r₀ the first ratio) leave a remainder below 1e-17 of the sum, however
    close to the mean k is (K grows like √N near the bulk instead of a fixed count).
    """
    up = k > N * np.exp(ln_p)
    step = 1.0 if up else -1.0
    ln_r0 = float(_binom_logpmf(k + step, N, ln_p) - _binom_logpmf(k, N, ln_p)) if 0 <= k + step <= N else -np.inf
    if ln_r0 >= 0:   # k at the mode: the tail holds about half the mass, far from underflow
        ln_r0 = -1e-3
    K = int(min(N + 1, np.ceil((np.log(1e-17) + np.log1p(-np.exp(ln_r0))) / ln_r0) + 1 if np.isfinite(ln_r0) else 1))
    j = k + step * np.arange(K, dtype=float)
    j = j[(j >= 0) & (j <= N)]
    return float(special.logsumexp(_binom_logpmf(j, N, ln_p)))


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
    # Where scipy underflowed, its tail is subnormal (log of a number with only a few
    # significant bits left), or p itself is subnormal, sum the far tail's pmf terms in
    # log space (_log_tail).
    bad = ~np.isfinite(tail) | (tail < _LN_TINY) | ((p > 0) & (p < np.finfo(float).tiny))
    flat, kf, Nf, lf = tail.reshape(-1), k.reshape(-1), N.reshape(-1), ln_p.reshape(-1)
    for i in np.flatnonzero(bad.reshape(-1)):
        flat[i] = _log_tail(kf[i], Nf[i], lf[i])
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
