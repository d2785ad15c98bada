"""Every number the network kind writes to its summary, recomputed here from its own tables (kinds/network.py).

Two oracles: a synthetic points table whose answers are written out by hand
(``_findings``, ``loss_bins``, ``distinct_critical``), and a tiny real run
(iris, 27 parameters, 12 starts: the run tests/shared_runs.py makes once for this
module and test_network_kind.py) whose meta.json, counts.csv and bins.csv are recomputed
from its points.csv and checkpoints.csv. The coin-flip claim's log10 P(min) = −n log10 2 is checked exactly (10^v = 2^−n).

Smallest slips caught: a summary number taken over all end points instead of
the critical ones, or over the critical ones instead of the distinct ones
(and back); index/n replaced by index/(n − nullity) or positive/n; the
nullity max of the wrong column; the within-bin sd's median replaced by the
mean; log10 P(min) with log2, +n, or n − 1; minima counted at index ≤ 1;
the distinct key's rounding or its index dropped; equal-count bins built
on all points or on end points; a bin's ``se`` without √count; counts.csv
or the summary counts off the status column; the starts' losses not the
checkpoints' (a wrong row of checkpoints.csv).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from saddlesim.kinds.network import _findings, distinct_critical, loss_bins
from tests.shared_runs import NETWORK_SPEC as SPEC


def _points():
    """12 end points, n = 10: 8 critical (6 distinct), 2 flat, 2 failed."""
    rows = [
        # status, loss, index, nullity
        ("critical", 0.5, 0, 0), ("critical", 0.5 + 1e-12, 0, 0),      # one minimum reached twice
        ("critical", 0.7, 1, 1), ("critical", 0.7, 3, 0),              # same loss, other index: two points
        ("critical", 0.9, 4, 2), ("critical", 1.1, 5, 0), ("critical", 1.1 + 4e-12, 5, 0),
        ("critical", 1.3, 7, 0),
        ("flat", 0.2, 0, 9), ("flat", 0.3, 1, 8),
        ("failed", 2.0, 9, 0), ("failed", 0.1, 0, 3),
    ]
    df = pd.DataFrame(rows, columns=["status", "loss", "index", "nullity"])
    df["n"] = 10
    df["positive"] = 10 - df["index"] - df["nullity"]
    return df


def test_distinct_critical_points_by_loss_and_index():
    d = distinct_critical(_points())
    assert sorted(zip(d["loss"].round(6), d["index"])) == [(0.5, 0), (0.7, 1), (0.7, 3), (0.9, 4), (1.1, 5), (1.3, 7)]


def test_findings_recomputed_by_hand():
    pts = _points()
    bins = loss_bins(pts, 2)
    f = _findings(pts, bins)
    crit_index = np.array([0, 0, 1, 3, 4, 5, 5, 7])
    crit_pos = np.array([10, 10, 8, 7, 4, 5, 5, 3])
    assert f["end_points"] == 12 and f["counts"] == {"critical": 8, "flat": 2, "failed": 2}
    assert f["n"] == 10 and f["distinct_critical"] == 6 and f["distinct_minima"] == 1
    # averages over the distinct points; end-point averages keep the endpoint_ prefix
    assert f["index_fraction_mean"] == pytest.approx(np.mean([0, 1, 3, 4, 5, 7]) / 10, rel=1e-12)
    assert f["endpoint_index_fraction_mean"] == pytest.approx(crit_index.mean() / 10, rel=1e-12)
    assert f["index_fraction_max"] == pytest.approx(0.7, rel=1e-12)
    assert f["index_max"] == 7 and f["index_max_loss"] == pytest.approx(1.3)
    assert f["positive_fraction_mean"] == pytest.approx(np.mean([10, 8, 7, 4, 5, 3]) / 10, rel=1e-12)
    assert f["endpoint_positive_fraction_mean"] == pytest.approx(crit_pos.mean() / 10, rel=1e-12)
    assert f["nullity_max"] == 2                                 # the flat points' 9 is not a critical nullity
    assert f["endpoint_minima"] == 2 and f["minima_loss_range"] == pytest.approx([0.5, 0.5])
    assert f["critical_loss_range"] == pytest.approx([0.5, 1.3])
    assert f["binomial_sd"] == pytest.approx(0.5 / math.sqrt(10), rel=1e-15)
    assert f["within_bin_sd_median"] == pytest.approx(float(np.median(bins["sd"])), rel=1e-12)
    # the median, not the mean, of the bins' spreads (three bins whose mean differs)
    three = pd.DataFrame({"sd": [0.1, 0.2, 0.9]})
    assert _findings(pts, three)["within_bin_sd_median"] == pytest.approx(0.2)
    # the coin-flip claim: P(min) = 2^-n exactly
    assert f["coinflip_log10_p_min"] == pytest.approx(-10 * math.log10(2.0), rel=1e-15)
    assert 10 ** f["coinflip_log10_p_min"] == pytest.approx(2.0 ** -10, rel=1e-13)


def test_loss_bins_recomputed_by_hand():
    """Two equal-count bins of the 6 distinct critical points: {0.5, 0.7, 0.7} and {0.9, 1.1, 1.3}."""
    b = loss_bins(_points(), 2)
    assert b["count"].tolist() == [3, 3]
    lo = np.array([0, 1, 3]) / 10
    hi = np.array([4, 5, 7]) / 10
    assert b["mean"].tolist() == pytest.approx([lo.mean(), hi.mean()], rel=1e-12)
    assert b["sd"].tolist() == pytest.approx([lo.std(ddof=1), hi.std(ddof=1)], rel=1e-12)
    assert b["se"].tolist() == pytest.approx([lo.std(ddof=1) / np.sqrt(3), hi.std(ddof=1) / np.sqrt(3)], rel=1e-12)
    assert b["minima"].tolist() == [1, 0]             # index 1 is not a minimum
    assert b["positive_fraction"].tolist() == pytest.approx([np.mean([10, 8, 7]) / 10, np.mean([4, 5, 3]) / 10])
    assert b["loss_mid"].tolist() == pytest.approx([0.7, 1.1])
    assert b["loss_lo"].iloc[0] == pytest.approx(0.5) and b["loss_hi"].iloc[-1] == pytest.approx(1.3)
    assert b["binomial_sd"].tolist() == pytest.approx([0.5 / np.sqrt(10)] * 2)


@pytest.mark.parametrize("n", [1, 19, 610, 5000])
def test_coin_flip_log10_p_min_is_minus_n_log10_2(n):
    pts = pd.DataFrame({"status": ["critical"], "loss": [1.0], "index": [1], "nullity": [0], "n": [n],
                        "positive": [n - 1]})
    f = _findings(pts, loss_bins(pts, 1))
    assert f["coinflip_log10_p_min"] == pytest.approx(-n * math.log10(2.0), rel=1e-15)
    assert f["coinflip_log10_p_min"] == pytest.approx(-n * 0.30102999566398120, rel=1e-15)


@pytest.fixture(scope="module")
def tiny_run(tiny_network_run):
    """The shared tiny run (tests/shared_runs.py), also read by test_network_kind: one run for both modules."""
    return tiny_network_run


def test_tiny_run_summary_is_its_tables(tiny_run):
    out = tiny_run
    meta = json.loads((out / "meta.json").read_text())
    f = meta["summary"]["findings"]
    pts = pd.read_csv(out / "points.csv")
    ckpt = pd.read_csv(out / "checkpoints.csv")
    bins = pd.read_csv(out / "bins.csv")
    counts = pd.read_csv(out / "counts.csv")
    assert len(pts) == SPEC["starts"] and len(ckpt) == SPEC["runs"] * SPEC["checkpoints"]
    assert f["end_points"] == SPEC["starts"]
    for st in ("critical", "flat", "failed"):
        assert f["counts"][st] == int((pts["status"] == st).sum()) == int(counts.set_index("status")["count"][st])
    crit = pts[pts["status"] == "critical"]
    assert len(crit) > 0
    n = int(crit["n"].iloc[0])
    assert SPEC["hidden"] == [3]
    assert n == (4 + 1) * 3 + (3 + 1) * 3 == meta["summary"]["model"]["dim"]
    distinct = crit.drop_duplicates("class")           # one row per symmetry class
    assert f["distinct_critical"] == len(distinct)
    assert f["distinct_minima"] == int((distinct["index"] == 0).sum())
    assert f["index_fraction_mean"] == pytest.approx((distinct["index"] / n).mean(), rel=1e-12)
    assert f["endpoint_index_fraction_mean"] == pytest.approx((crit["index"] / n).mean(), rel=1e-12)
    assert f["index_fraction_max"] == pytest.approx((distinct["index"] / n).max(), rel=1e-12)
    assert f["positive_fraction_mean"] == pytest.approx((distinct["positive"] / n).mean(), rel=1e-12)
    assert f["nullity_max"] == int(distinct["nullity"].max())
    assert f["endpoint_minima"] == int((crit["index"] == 0).sum())
    assert f["critical_loss_range"] == pytest.approx([distinct["loss"].min(), distinct["loss"].max()], rel=1e-12)
    assert f["coinflip_log10_p_min"] == pytest.approx(-n * math.log10(2.0), rel=1e-15)
    assert f["binomial_sd"] == pytest.approx(0.5 / math.sqrt(n), rel=1e-15)
    if len(bins):
        assert bins["count"].sum() == len(distinct)
        assert f["within_bin_sd_median"] == pytest.approx(float(bins["sd"].median()), rel=1e-12, nan_ok=True)


def test_tiny_run_starts_are_checkpoints_uniform_in_loss(tiny_run):
    """Each start is a checkpoint row (run, step, loss), and the starts are loss_uniform's picks of them."""
    pts = pd.read_csv(tiny_run / "points.csv")
    ckpt = pd.read_csv(tiny_run / "checkpoints.csv")
    merged = pts.merge(ckpt, on=["run", "step"], how="left", validate="one_to_one")
    np.testing.assert_allclose(merged["start_loss"], merged["loss_y"], rtol=1e-12)
    targets = np.linspace(ckpt["loss"].min(), ckpt["loss"].max(), len(pts))
    # greedy nearest-unused: each start is at least as close to its target as every checkpoint not yet used
    used = set()
    for t, (run, step, loss) in zip(targets, pts[["run", "step", "start_loss"]].itertuples(index=False)):
        free = ckpt[[(r, s) not in used for r, s in zip(ckpt["run"], ckpt["step"])]]
        assert abs(loss - t) <= np.abs(free["loss"] - t).min() + 1e-12
        used.add((run, step))
