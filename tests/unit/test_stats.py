import numpy as np
import pytest
from scipy import stats

from saddlesim.stats import (
    binomial_log10_pvalue,
    binomial_zscore,
    chisquare_gof,
    clopper_pearson_interval,
    multinomial_max_zscore,
    wilson_interval,
)


def test_wilson_matches_scipy():
    for k, N in [(0, 10), (3, 10), (50, 100), (10, 10), (7, 1_000_000)]:
        ci = stats.binomtest(k, N).proportion_ci(0.95, method="wilson")
        lo, hi = wilson_interval(k, N)
        assert np.isclose(lo, ci.low, atol=1e-12) and np.isclose(hi, ci.high, atol=1e-12)


def test_clopper_pearson_matches_scipy():
    for k, N in [(0, 10), (3, 10), (10, 10), (5, 100_000)]:
        ci = stats.binomtest(k, N).proportion_ci(0.95, method="exact")
        lo, hi = clopper_pearson_interval(k, N)
        assert np.isclose(lo, ci.low, rtol=1e-9, atol=1e-15) and np.isclose(hi, ci.high, rtol=1e-9)


def test_zscores():
    assert binomial_zscore(60, 100, 0.5) == pytest.approx(2.0)
    assert binomial_zscore(0, 100, 0.0) == 0.0
    assert multinomial_max_zscore([60, 40], [0.5, 0.5]) == pytest.approx(2.0)
    with pytest.raises(ValueError):
        multinomial_max_zscore([1, 2], [1.0])


def test_log10_pvalue_stays_finite_in_the_far_tail():
    # moderate tail agrees with scipy's two-sided test
    assert 10 ** binomial_log10_pvalue(3, 1_000_000, -5) == pytest.approx(2 * stats.binom.cdf(3, 1e6, 1e-5))
    # seeing minima where theory says 1e-300: finite, and equal to the exact value
    for k, N, lp in [(3, 1_000_000, -300), (2, 10, -400), (7, 10**9, -40), (1, 50, -320)]:
        got = binomial_log10_pvalue(k, N, lp)
        assert np.isfinite(got)
        assert got == pytest.approx(_exact_log10_pvalue(k, N, lp), abs=1e-9)
    assert binomial_log10_pvalue(0, 1_000_000, -300) == 0.0


def _exact_log10_pvalue(k: int, N: int, log10_p: int) -> float:
    """log10 of 2 P(X >= k), X ~ Binomial(N, 10**log10_p), summed exactly in 60-digit arithmetic."""
    import mpmath

    with mpmath.workdps(60):
        p = mpmath.mpf(10) ** log10_p
        j = k
        term = mpmath.binomial(N, j) * p**j * (1 - p) ** (N - j)
        tail = mpmath.mpf(0)
        while term > tail * mpmath.mpf(10) ** -40 and j <= N:
            tail += term
            term *= mpmath.mpf(N - j) / (j + 1) * p / (1 - p)
            j += 1
        return float(min(0, mpmath.log10(2 * tail)))


def test_far_tail_pvalue_is_exact_not_just_finite():
    """The far tail agrees with an exact sum to 1e-9 in log10, so a dropped factor shows.

    The smallest error this catches is any factor off by more than
    10^(1e-9): a dropped 1/k! (log10 3! = 0.78 at k = 3), a one-sided tail
    (log10 2 = 0.30) or a tail starting at k + 1 (about log10 of 1e294).
    The old band (-900, -870) for k = 3, p = 1e-300, N = 1e6 passed a
    dropped binomial coefficient C(N, 3): -900 + log10 2 = -899.7.
    """
    got = binomial_log10_pvalue(3, 1_000_000, -300)
    exact = _exact_log10_pvalue(3, 1_000_000, -300)
    assert -883 < exact < -882  # log10(2 C(10^6, 3) 10^-900) = -882.48
    assert got == pytest.approx(exact, abs=1e-9)


def test_chisquare_gof_pools_sparse_categories():
    law = stats.binom.pmf(np.arange(11), 10, 0.5)
    counts = np.round(law * 10_000)
    assert chisquare_gof(counts, law) > 0.5
    assert chisquare_gof(np.roll(counts, 1), law) < 1e-10
