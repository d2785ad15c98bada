"""The coin-flip predictions: independent eigenvalue signs.

The course argument: each of the n Hessian eigenvalues is positive or negative
with probability 1/2, independently, so a critical point is a minimum (all
positive) with probability 2^-n, a maximum likewise, and a saddle otherwise;
the index (number of negative eigenvalues) is Binomial(n, 1/2). This is exact
for the independent-sign model (:mod:`saddlesim.models.independent`) and wrong
for Gaussian ensembles, where eigenvalues repel (see
:mod:`saddlesim.theory.exact`).

Every probability is also given as a natural log, so n in the thousands never
underflows.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

from saddlesim.runtime.validate import check_n

__all__ = [
    "coinflip_log_p_min",
    "coinflip_log10_p_min",
    "coinflip_p_min",
    "coinflip_p_max",
    "coinflip_p_saddle",
    "coinflip_log_p_saddle",
    "coinflip_log_index_law",
    "coinflip_index_law",
]

_LN2 = math.log(2.0)


def coinflip_log_p_min(n: int) -> float:
    """ln P(min) = -n ln 2 under independent signs (also ln P(max))."""
    return -check_n(n) * _LN2


def coinflip_log10_p_min(n: int) -> float:
    """log10 P(min) = -n log10 2 under independent signs."""
    return -check_n(n) * math.log10(2.0)


def coinflip_p_min(n: int) -> float:
    """P(min) = 2^-n (0.0 only beyond n ≈ 1074; use :func:`coinflip_log_p_min`)."""
    return math.ldexp(1.0, -check_n(n))


def coinflip_p_max(n: int) -> float:
    """P(max) = 2^-n, by the sign-flip symmetry."""
    return coinflip_p_min(n)


def coinflip_p_saddle(n: int) -> float:
    """P(saddle) = 1 - 2^(1-n) (exactly 0 at n = 1)."""
    return 1.0 - math.ldexp(1.0, 1 - check_n(n))


def coinflip_log_p_saddle(n: int) -> float:
    """ln P(saddle) = ln(1 - 2^(1-n)), via log1p; ``-inf`` at n = 1."""
    n = check_n(n)
    return -math.inf if n == 1 else math.log1p(-math.ldexp(1.0, 1 - n))


def coinflip_log_index_law(n: int) -> np.ndarray:
    """ln P(index = k), k = 0..n, for Binomial(n, 1/2).

    Returns
    -------
    logp : ndarray, shape (n + 1,)
        ``ln C(n, k) - n ln 2``; finite for every k and n.
    """
    n = check_n(n)
    k = np.arange(n + 1)
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) - n * _LN2


def coinflip_index_law(n: int) -> np.ndarray:
    """P(index = k), k = 0..n, for Binomial(n, 1/2).

    Returns
    -------
    p : ndarray, shape (n + 1,)
        Sums to 1; symmetric, ``p[k] == p[n - k]``.
    """
    return np.exp(coinflip_log_index_law(n))
