"""The network kind end to end on a tiny classifier: counts add up, distinct points are symmetry
classes, the coin-flip numbers and the index-law fits are those of the kind's own tables.

Smallest slips caught: a class assigned to a non-critical point, distinct points counted by end
point (or by raw parameters: symmetric copies counted twice), coin-flip columns on the wrong
rows or with a wrong sd, the fits table not from the distinct points, a summary number that its
table does not give back.
"""

import json

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("jax")

from saddlesim.critical.symmetry import canonical_parameters  # noqa: E402
from saddlesim.kinds.network import distinct_critical, index_law_fits  # noqa: E402
from saddlesim.stats import binomial_log10_pvalue  # noqa: E402

from tests.shared_runs import NETWORK_SPEC as SPEC  # noqa: E402


@pytest.fixture(scope="module")
def run(tiny_network_run):
    """The shared tiny run (tests/shared_runs.py): iris, hidden [3], 12 starts; also read by test_network_summary."""
    return tiny_network_run


def test_counts_add_up_and_classes_are_symmetry_classes(run):
    points = pd.read_csv(run / "points.csv")
    ends = pd.read_csv(run / "coordinates.csv").to_numpy()
    counts = pd.read_csv(run / "counts.csv")
    assert counts["count"].sum() == len(points) == SPEC["starts"]
    for st, c in zip(counts["status"], counts["count"]):
        assert (points["status"] == st).sum() == c
    crit = points["status"] == "critical"
    assert crit.sum() >= 3
    assert (points.loc[~crit, "class"] == -1).all() and (points.loc[crit, "class"] >= 0).all()
    sizes = (4, 3, 3)
    canon = {}
    for i in np.flatnonzero(crit):
        c = canonical_parameters(ends[i], sizes, "tanh")
        k = int(points.loc[i, "class"])
        if k in canon:   # one class: one point up to symmetry, same loss and index
            assert np.linalg.norm(c - canon[k]) <= 1e-4 * max(np.linalg.norm(c), 1.0)
        else:
            assert all(np.linalg.norm(c - o) > 1e-4 * max(np.linalg.norm(c), 1.0) for o in canon.values())
            canon[k] = c
    same = points[crit].groupby("class")
    assert (same["index"].nunique() == 1).all() and (same["loss"].agg(np.ptp) < 1e-8).all()
    assert len(distinct_critical(points)) == len(canon)


def test_coin_flip_columns_and_summary_come_from_the_tables(run):
    points = pd.read_csv(run / "points.csv")
    crit = points[points["status"] == "critical"]
    assert points.loc[points["status"] != "critical", ["coin_z", "coin_log10_p"]].isna().all().all()
    n = crit["n"].to_numpy()
    np.testing.assert_allclose(crit["coin_z"], (crit["index"] - n / 2) / (np.sqrt(n) / 2), rtol=1e-12)
    np.testing.assert_allclose(crit["coin_log10_p"], binomial_log10_pvalue(crit["index"], n, np.log10(0.5)),
                               rtol=1e-12)
    f = json.loads((run / "meta.json").read_text())["summary"]["findings"]
    distinct = distinct_critical(points)
    assert f["distinct_critical"] == len(distinct)
    assert f["distinct_coin_z_median"] == pytest.approx(distinct["coin_z"].median(), rel=1e-12)
    assert f["distinct_coin_log10_p_max"] == pytest.approx(distinct["coin_log10_p"].max(), rel=1e-12)
    fits = pd.read_csv(run / "fits.csv")
    if len(fits):
        again = index_law_fits(points)
        np.testing.assert_allclose(fits["eps_c"], again["eps_c"], rtol=1e-9)
        assert f["index_law_fits"]["three_halves"]["eps_c"] == pytest.approx(fits["eps_c"].iloc[0], rel=1e-12)


def test_index_law_fits_use_distinct_points_and_recover_the_law():
    """Synthetic search: 30 distinct points on α = 0.2(ε − 0.3)^{3/2} (n = 1000), each found 1–3 times."""
    rng = np.random.default_rng(3)
    loss = np.sort(rng.uniform(0.35, 2.0, 30))
    index = np.round(1000 * 0.2 * (loss - 0.3) ** 1.5).astype(int)
    copies = rng.integers(1, 4, 30)
    points = pd.DataFrame({"status": "critical", "loss": np.repeat(loss, copies), "index": np.repeat(index, copies),
                           "n": 1000, "class": np.repeat(np.arange(30), copies)})
    fits = index_law_fits(points).set_index("law")
    assert fits.loc["three_halves", "m"] == 30                 # distinct points, not end points
    assert fits.loc["three_halves", "eps_c"] == pytest.approx(0.3, abs=0.01)   # indices are rounded counts
    assert fits.loc["three_halves", "c"] == pytest.approx(0.2, rel=0.02)
    assert fits.loc["three_halves", "aic"] < fits.loc["linear", "aic"]
    assert fits.loc["free", "exponent"] == pytest.approx(1.5, abs=0.05)


@pytest.mark.parametrize("name", ["network_critical_points_wide", "network_critical_points_overparameterised"])
def test_long_network_specs_are_valid_and_sized_as_stated(name):
    """The specs `make experiments-long` runs: known keys, and the parameter counts their titles state."""
    from pathlib import Path

    from saddlesim.kinds.network import _settings
    from saddlesim.kinds.registry import load_spec

    spec = load_spec(Path(__file__).parents[2] / "experiments" / "long" / f"{name}.toml")
    s = _settings(spec, quick=False)
    dim = sum((a + 1) * b for a, b in zip([64, *s["hidden"]], [*s["hidden"], 10]))
    assert f"{dim:,}".replace(",", " ") in spec["title"] or str(dim) in spec["title"]
    assert s["starts"] >= 200 and dim >= 2000
    _settings(spec, quick=True)
