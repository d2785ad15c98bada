"""Weighted tallies: log-space sums that add over chunks, the ratio estimator and its interval."""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.stats import wilson_interval
from saddlesim.index.weights import add_tallies, empty_tally, weighted_proportion, weighted_tally


def _sample(rng, size=500, n=3):
    index = rng.integers(-1, n + 1, size=size)
    log_w = rng.normal(0.0, 2.0, size=size)
    return index, log_w


def test_ratio_estimator_and_delta_method_match_direct_sums():
    """Catches S2 used where S1 belongs, a dropped (1 - p)^2, or Kish n_eff inverted."""
    rng = np.random.default_rng(1)
    index, log_w = _sample(rng)
    w = np.exp(log_w)
    y = (index == 0).astype(float)
    p = (w * y).sum() / w.sum()
    se = np.sqrt((w * w * (y - p) ** 2).sum()) / w.sum()
    r = weighted_proportion(weighted_tally(index, log_w, 3), [0])
    assert r["p"] == pytest.approx(p, rel=1e-12)
    assert r["se"] == pytest.approx(se, rel=1e-10)
    assert r["n_eff"] == pytest.approx(w.sum() ** 2 / (w * w).sum(), rel=1e-10)
    assert r["log_mean_w"] == pytest.approx(np.log(w.mean()), rel=1e-12)
    assert r["lo"] < p < r["hi"]
    # saddles: bins 1..n-1 together
    ys = ((index >= 1) & (index <= 2)).astype(float)
    assert weighted_proportion(weighted_tally(index, log_w, 3), [1, 2])["p"] == pytest.approx(
        (w * ys).sum() / w.sum(), rel=1e-12)


def test_equal_weights_reduce_to_the_binomial_wilson_interval():
    """Catches an interval that does not reduce to Wilson(k, N) when every weight is 1."""
    rng = np.random.default_rng(2)
    index, _ = _sample(rng, size=1000)
    t = weighted_tally(index, np.zeros(1000), 3)
    r = weighted_proportion(t, [0])
    k = int((index == 0).sum())
    lo, hi = wilson_interval(k, 1000)
    assert r["p"] == pytest.approx(k / 1000) and r["n_eff"] == pytest.approx(1000)
    assert (r["lo"], r["hi"]) == pytest.approx((float(lo), float(hi)), rel=1e-9)
    # a common factor in every weight changes nothing but the mean weight
    r2 = weighted_proportion(weighted_tally(index, np.full(1000, 300.0), 3), [0])
    assert (r2["p"], r2["lo"], r2["hi"]) == pytest.approx((r["p"], r["lo"], r["hi"]), rel=1e-9)
    assert r2["log_mean_w"] == pytest.approx(300.0)


def test_tallies_add_like_the_whole_and_survive_huge_log_weights():
    """Catches chunk merging by plain addition of logs, and overflow of exp(log w) at large n."""
    rng = np.random.default_rng(3)
    index, log_w = _sample(rng, size=800)
    log_w = log_w + 2_000.0  # |det| = e^2000 overflows float64; its log does not
    whole = weighted_tally(index, log_w, 3)
    halves = add_tallies(weighted_tally(index[:300], log_w[:300], 3), weighted_tally(index[300:], log_w[300:], 3))
    np.testing.assert_allclose(halves, whole, rtol=1e-12)
    np.testing.assert_allclose(add_tallies(empty_tally(3), whole), whole)
    r = weighted_proportion(whole, [0])
    assert np.isfinite([r["p"], r["lo"], r["hi"], r["se"], r["n_eff"]]).all()
    assert whole[0].sum() == 800


def test_no_event_gives_zero_with_a_kish_interval():
    index = np.ones(50, dtype=int)
    r = weighted_proportion(weighted_tally(index, np.zeros(50), 3), [0])
    assert r["p"] == 0 and r["lo"] == 0 and 0 < r["hi"] < 0.1
    with pytest.raises(ValueError):
        weighted_tally(index, np.zeros(49), 3)
