"""The sweep's tables against exact small-n probabilities, with 6-sigma tolerances from the sample size.

Exact values:
* independent signs: P(min) = P(max) = 2^-n, P(saddle) = 1 - 2^(1-n) (the coin-flip claim is exact here);
* GOE n = 2: P(min) = (2 - sqrt 2) / 4;
* GOE n = 3: P(min) = 1/4 - sqrt 2 / (2 pi);
* every model at n = 1: P(min) = P(max) = 1/2;
* every model here is symmetric under H -> -H: P(max) = P(min).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from saddlesim.stats import wilson_interval
from saddlesim.sweep import make_plan, results_table, sweep_counts

N = 400_000
SEED = 20261126


def within_6_sigma(k: int, N: int, p: float) -> bool:
    """``|k/N - p| < 6 sqrt(p(1-p)/N)``, insisting the bound is informative (below p itself)."""
    sigma = math.sqrt(p * (1 - p) / N)
    assert 6 * sigma < min(p, 1 - p) / 2, "sample too small for a meaningful 6-sigma test"
    return abs(k / N - p) < 6 * sigma


@pytest.fixture(scope="module")
def table():
    plan = make_plan(["independent", "goe", "gue"], [1, 2, 3, 4, 5], N, entropy=SEED)
    counts, _ = sweep_counts(plan, workers=2)
    return results_table(plan, counts)


def _row(table, model, n):
    return table[(table["model"] == model) & (table["n"] == n)].iloc[0]


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_independent_model_matches_the_coinflip_claim_exactly(table, n):
    """Sure to catch (12σ at N = 4·10⁵) P(min) or P(max) off by 1.9 % (n = 1) to 10.6 % (n = 5) relative."""
    r = _row(table, "independent", n)
    assert within_6_sigma(r.minima, r.samples, 2.0**-n)
    assert within_6_sigma(r.maxima, r.samples, 2.0**-n)
    if n > 1:
        assert within_6_sigma(r.saddles, r.samples, 1 - 2.0 ** (1 - n))
    # the table's interval is the Wilson interval of its own counts (deterministic wiring check)
    lo, hi = wilson_interval(r.minima, r.samples)
    assert (r.p_min_lo, r.p_min_hi) == (float(lo), float(hi))


def test_pooled_over_n_catches_a_same_sign_bias(table):
    """Pooled z over n = 1..5 of minima and of maxima of the independent model, and of GOE minima at n = 1..3.

    Pooled sd ≈ √(Σ N p(1−p)) ≈ 504 for the independent cells (Σ N p ≈ 387 500
    expected minima): sure to catch (6σ threshold + 6σ margin) a relative bias
    of 1.6 % of P(min) in every cell, where a single cell at n = 5 (12 500
    expected) needs 11 %.
    """
    from tests.statistical.helpers import pooled_zscore

    ns = [1, 2, 3, 4, 5]
    rows = [_row(table, "independent", n) for n in ns]
    p = [2.0**-n for n in ns]
    assert abs(pooled_zscore([r.minima for r in rows], N, p)) < 6
    assert abs(pooled_zscore([r.maxima for r in rows], N, p)) < 6
    exact = [0.5, (2 - math.sqrt(2)) / 4, 0.25 - math.sqrt(2) / (2 * math.pi)]
    goe = [_row(table, "goe", n).minima for n in (1, 2, 3)]
    assert abs(pooled_zscore(goe, N, exact)) < 6
    # negative control: the coin-flip 2^-n for the GOE, pooled, is far off
    assert abs(pooled_zscore(goe, N, [0.5, 0.25, 0.125])) > 6


@pytest.mark.parametrize(
    "n, exact",
    [(1, 0.5), (2, (2 - math.sqrt(2)) / 4), (3, 0.25 - math.sqrt(2) / (2 * math.pi))],
)
def test_goe_p_min_matches_exact_small_n(table, n, exact):
    """Sure to catch (12σ at N = 4·10⁵) a relative error of 1.9 % (n = 1), 4.6 % (n = 2), 12 % (n = 3)."""
    r = _row(table, "goe", n)
    assert within_6_sigma(r.minima, r.samples, exact)
    assert within_6_sigma(r.maxima, r.samples, exact)  # H -> -H symmetry
    # the table's exact columns: P(saddle) = 1 - P(min) - P(max), to the last digits
    assert r.exact_p_min == pytest.approx(exact, rel=1e-12)
    assert r.exact_p_saddle == pytest.approx(1 - 2 * exact, rel=1e-12, abs=1e-15)
    if n > 1:
        assert within_6_sigma(r.saddles, r.samples, 1 - 2 * exact)


def test_negative_control_the_coinflip_claim_is_rejected_for_goe(table):
    # the same helper must fail when given the coin-flip (wrong) value for GOE: the test has teeth
    for n in (2, 3):
        r = _row(table, "goe", n)
        assert not within_6_sigma(r.minima, r.samples, 2.0**-n)
        assert r.log10_pvalue_min_coinflip < -100


@pytest.mark.parametrize("model", ["goe", "gue"])
def test_minima_rarer_than_coin_flips_and_decreasing(table, model):
    rows = table[table["model"] == model].sort_values("n")
    assert (rows["p_min"].diff().dropna() < 0).all()
    r = rows[rows["n"] >= 2]
    assert (r["p_min_hi"] < r["coinflip_p_min"]).all()


@pytest.mark.slow
def test_dense_and_tridiagonal_paths_agree():
    """Two-sample 6σ per index, 6·10⁴ draws each: sure to catch a difference of 12√2 σ, about 0.03
    absolute in the larger categories at n = 4."""
    # two independent implementations of the same law: histograms must agree within 6 sigma per index
    M = 60_000
    plans = [make_plan(["goe"], [4], M, entropy=SEED + i, method=m) for i, m in enumerate(("tridiagonal", "dense"))]
    (a,), (b,) = (sweep_counts(p, workers=1)[0] for p in plans)
    pooled = (a + b) / (2 * M)
    for ka, kb, p in zip(a[:-1], b[:-1], pooled[:-1]):
        if p > 0:
            assert abs(ka - kb) / M < 6 * np.sqrt(2 * p * (1 - p) / M)
