"""The trained_spectrum kind's coverage bookkeeping and summary, recomputed from its own tables.

``_check`` runs on a stand-in landscape whose Hessian is a rotated diagonal
matrix with chosen eigenvalues (eigenvalues between the two τ's, inside
±τ and on both sides), so the dense counts are known without eigvalsh; every
coverage row is rebuilt from an SLQ run on its own probe stream and every
checks.csv column from the coverage rows. ``run_experiment``'s summary is
checked on hand-made checks rows (the networks themselves are replaced).

Smallest slips caught: the dense nullity with < for ≤ or the index at +τ;
"covered" read off the probe-noise interval (or the nullity's off the
index's); a coverage fraction over the wrong count, of the wrong column, or
of the nullity where the index belongs; the bias's sign; widths of the
probe interval where the covering one belongs; a probe stream shared across
seeds or checkpoints; the Lanczos relative error divided by the wrong
eigenvalue; the summary's min/max swapped, a column read for another
(nullity coverage for index coverage), a certified index 0 not counted as
certified, None counted as agreeing with the dense count.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from saddlesim.curvature.operators import matrix_operator
from saddlesim.curvature.slq import slq
from saddlesim.kinds import trained_spectrum as ts

TAUS = [1e-3, 1e-4]


def _lam():
    """25 eigenvalues straddling ±τ (few Lanczos steps leave a quadrature bias there: probe-only misses)."""
    rng = np.random.default_rng(4)
    return np.r_[-1.0, -0.5, -0.2, rng.uniform(-3e-3, 3e-3, 25), rng.uniform(0.05, 3.0, 32)]


class Stand:
    """A landscape seen only through its Hessian-vector products, Hessian Q diag(λ) Qᵀ."""

    def __init__(self, lam):
        rng = np.random.default_rng(8)
        Q, _ = np.linalg.qr(rng.standard_normal((len(lam), len(lam))))
        self.H = (Q * lam) @ Q.T
        self.dim = len(lam)

    def hvp(self, x, v):
        return self.H @ v

    def hessian(self, x):
        return self.H


CFG = {"seed": 5, "taus": TAUS, "coverage_seeds": 5, "certify_max_steps": 200}
NET = {"probes": 3, "lanczos_steps": 4}


@pytest.fixture(scope="module")
def checked():
    land = Stand(_lam())
    rows, cover = ts._check(CFG, land, np.zeros(land.dim), matrix_operator(land.H), NET, 0, 2, 40)
    return land, pd.DataFrame(rows), pd.DataFrame(cover)


def test_dense_counts_are_the_chosen_eigenvalues(checked):
    _, checks, cover = checked
    lam = _lam()
    assert checks["tau"].tolist() == TAUS and (checks["step"] == 40).all() and (checks["n"] == 60).all()
    for tau, row in zip(TAUS, checks.itertuples()):
        assert row.dense_index == int(np.sum(lam < -tau))
        assert row.dense_nullity == int(np.sum(np.abs(lam) <= tau))
        part = cover[cover["tau"] == tau]
        assert (part["dense_index"] == row.dense_index).all() and (part["dense_nullity"] == row.dense_nullity).all()
    assert checks["dense_index"].tolist() == [7, 11] and checks["dense_nullity"].tolist() == [10, 2]
    assert checks["eig_min"].iloc[0] == pytest.approx(-1.0, rel=1e-12)
    assert checks["eig_max"].iloc[0] == pytest.approx(lam.max(), rel=1e-12)


def test_coverage_rows_are_slq_runs_on_their_own_streams(checked):
    """Row s at checkpoint 2 is SLQ from SeedSequence(seed, spawn_key=(0, 5, 2)).spawn(S)[s], read at each τ."""
    land, _, cover = checked
    seeds = np.random.SeedSequence(CFG["seed"], spawn_key=(0, 5, 2)).spawn(CFG["coverage_seeds"])
    assert sorted(set(cover["probe_seed"])) == list(range(5)) and len(cover) == 10
    for s, child in enumerate(seeds):
        r = slq(matrix_operator(land.H), probes=3, steps=4, rng=np.random.default_rng(child))
        for tau in TAUS:
            row = cover[(cover["tau"] == tau) & (cover["probe_seed"] == s)].iloc[0]
            b, z = r.count_below(-tau), r.count_within(tau)
            assert (row["index"], row["index_lo"], row["index_hi"]) == pytest.approx((b["estimate"], b["lo"], b["hi"]))
            assert (row["index_probe_lo"], row["index_probe_hi"]) == pytest.approx((b["probe_lo"], b["probe_hi"]))
            assert (row["nullity"], row["nullity_lo"], row["nullity_hi"]) == pytest.approx(
                (z["estimate"], z["lo"], z["hi"]))


def test_covered_flags_and_coverage_fractions_recomputed(checked):
    _, checks, cover = checked
    assert (cover["covered"] == ((cover["index_lo"] <= cover["dense_index"])
                                 & (cover["dense_index"] <= cover["index_hi"]))).all()
    assert (cover["probe_covered"] == ((cover["index_probe_lo"] <= cover["dense_index"])
                                       & (cover["dense_index"] <= cover["index_probe_hi"]))).all()
    assert (cover["nullity_covered"] == ((cover["nullity_lo"] <= cover["dense_nullity"])
                                         & (cover["dense_nullity"] <= cover["nullity_hi"]))).all()
    # the case is informative: the probe-only interval misses in some probe sets, differently at the two τ
    by_tau = cover.groupby("tau")["probe_covered"].mean()
    assert 0 < by_tau.min() < by_tau.max() < 1 and cover["covered"].all()
    for tau, row in zip(TAUS, checks.itertuples()):
        part = cover[cover["tau"] == tau]
        assert row.coverage_seeds == len(part) == 5
        assert row.index_coverage == pytest.approx(part["covered"].mean())
        assert row.nullity_coverage == pytest.approx(part["nullity_covered"].mean())
        assert row.index_probe_coverage == pytest.approx(part["probe_covered"].mean())
        assert row.index_mean_width == pytest.approx((part["index_hi"] - part["index_lo"]).mean())
        assert row.nullity_mean_width == pytest.approx((part["nullity_hi"] - part["nullity_lo"]).mean())
        assert row.index_probe_mean_width == pytest.approx((part["index_probe_hi"] - part["index_probe_lo"]).mean())
        assert row.index_bias == pytest.approx(part["index"].mean() - row.dense_index)


def test_certified_and_lanczos_columns(checked):
    _, checks, _ = checked
    for row in checks.itertuples():
        if row.certified_index >= 0:
            assert row.certified_equals_dense == (row.certified_index == row.dense_index)
        else:
            assert row.certified_equals_dense is None
        assert 0 <= row.certified_lower <= row.dense_index
        assert row.lanczos_min_relerr == pytest.approx(abs(row.lanczos_min - row.eig_min) / abs(row.eig_min))
        assert row.lanczos_max_relerr == pytest.approx(abs(row.lanczos_max - row.eig_max) / abs(row.eig_max))
        assert row.lanczos_min_relerr < 1e-8 and row.hvp_vs_dense < 1e-12
    assert (checks["certified_index"] == checks["dense_index"]).any()


def _fake_network(cfg, name, progress):
    if name != "checkable":
        return [], [pd.DataFrame({"network": [], "step": [], "node": [], "weight": []})], [], [], [], ({}, {})
    checks = [
        {"index_coverage": 0.95, "nullity_coverage": 0.60, "index_probe_coverage": 0.30, "lanczos_max_relerr": 1e-9,
         "lanczos_min_relerr": 4e-9, "certified_index": 0, "certified_equals_dense": True},
        {"index_coverage": 0.85, "nullity_coverage": 0.90, "index_probe_coverage": 0.50, "lanczos_max_relerr": 3e-9,
         "lanczos_min_relerr": 2e-9, "certified_index": -1, "certified_equals_dense": None},
        {"index_coverage": 1.00, "nullity_coverage": 0.70, "index_probe_coverage": 0.10, "lanczos_max_relerr": 2e-9,
         "lanczos_min_relerr": 1e-9, "certified_index": 3, "certified_equals_dense": False},
    ]
    dens = [pd.DataFrame({"network": name, "step": 0, "node": [0.0, 1.0], "weight": [1.0, 2.0]})]
    tops = [pd.DataFrame({"network": name, "step": 0, "rank": [1], "value": [1.0], "bound": [0.0]})]
    rows = [{"network": name, "step": 0, "tau": 1e-3}, {"network": name, "step": 0, "tau": 1e-4}]
    cover = [{"step": 0, "tau": 1e-3, "probe_seed": s} for s in range(4)]
    return rows, dens, tops, checks, cover, ({"dim": 2}, {f"{name}_step0": np.zeros(2)})


def test_summary_is_the_checks_table(tmp_path, monkeypatch):
    monkeypatch.setattr(ts, "_network", _fake_network)
    monkeypatch.setattr(ts, "plot_experiment", lambda out: [])
    out = ts.run_experiment({}, tmp_path, progress=False)
    s = json.loads((out / "meta.json").read_text())["summary"]
    assert s["rows"] == {"checkpoints.csv": 2, "density.csv": 2, "top_eigenvalues.csv": 1, "checks.csv": 3,
                         "coverage.csv": 4}
    assert s["min_index_coverage"] == 0.85 and s["min_nullity_coverage"] == 0.60
    assert s["min_index_probe_coverage"] == 0.10
    assert s["max_lanczos_max_relerr"] == 3e-9 and s["max_lanczos_min_relerr"] == 4e-9
    assert s["certified"] == 2 and s["certified_equal_dense"] == 1 and s["checks"] == 3
    checks = pd.read_csv(out / "checks.csv")
    assert s["min_index_coverage"] == checks["index_coverage"].min()


# --- checkpoints.csv rows: _network with the classifier, its data and its training replaced -----------------

OUTLIERS = np.r_[30.0, 20.0, 10.0]        # three outliers, then a bulk ≤ 1: the largest gap is after the 3rd


class FakeModel:
    """Stands in for MLPClassifier: Hessian (1 + x₀) H₀ at x, gradient 2x, accuracy 0.5 + x₀/10."""

    def __init__(self, data, hidden, weight_decay):
        rng = np.random.default_rng(9)
        lam = np.r_[-0.8, -0.3, rng.uniform(-2e-3, 2e-3, 10), rng.uniform(0.05, 1.0, 25), OUTLIERS]
        Q, _ = np.linalg.qr(rng.standard_normal((40, 40)))
        self.lam, self.H0 = lam, (Q * lam) @ Q.T
        self.dim, self.data = 40, data

    def landscape(self):
        model = self

        class Land:
            dim, name = 40, "fake"

            def hvp(self, x, v):
                return (1 + x[0]) * (model.H0 @ v)

            def gradient(self, x):
                return 2 * np.asarray(x)

        return Land()

    def accuracy(self, x):
        return 0.5 + x[0] / 10

    def describe(self):
        return {"dim": self.dim}


def _fake_train(model, rng, **kw):
    from types import SimpleNamespace

    pts = np.zeros((2, 40))
    pts[1, 0], pts[1, 1] = 1.0, 3.0
    return SimpleNamespace(steps=np.array([0, 5]), points=pts, losses=np.array([2.0, 1.0]))


def test_checkpoint_rows_are_slq_and_lanczos_on_their_streams(monkeypatch):
    from types import SimpleNamespace

    from saddlesim.curvature.lanczos import extreme_eigenpairs
    from saddlesim.curvature.operators import landscape_operator
    from saddlesim.landscapes import classifier, datasets

    monkeypatch.setattr(classifier, "MLPClassifier", FakeModel)
    monkeypatch.setattr(classifier, "train", _fake_train)
    monkeypatch.setattr(datasets, "load_dataset", lambda name: SimpleNamespace(n_classes=10))
    net = {"hidden": [3], "steps": 5, "checkpoints": 2, "probes": 3, "lanczos_steps": 10, "top": 5, "check": False}
    cfg = {**CFG, "dataset": "digits", "weight_decay": 1e-3, "lr": 1e-2, "networks": {"large": net}}
    rows, dens, tops, checks, cover, _ = ts._network(cfg, "large", progress=False)
    assert checks == [] and cover == [] and len(rows) == 2 * len(TAUS)
    model = FakeModel(None, None, None)
    land = model.landscape()
    for c, x in enumerate(_fake_train(None, None).points):
        op = landscape_operator(land, x)
        res = slq(op, probes=3, steps=10, rng=ts._rng(cfg, 1, 1, c))
        top = extreme_eigenpairs(op, 5, which="largest", rtol=1e-6, max_steps=300, rng=ts._rng(cfg, 1, 2, c))
        mine = [r for r in rows if r["step"] == [0, 5][c]]
        for tau, r in zip(TAUS, mine):
            b, z = res.count_below(-tau), res.count_within(tau)
            assert r["tau"] == tau and r["n"] == 40 and r["hidden"] == "3" and r["classes"] == 10
            assert (r["index"], r["index_lo"], r["index_hi"]) == (b["estimate"], b["lo"], b["hi"])
            assert (r["index_probe_lo"], r["index_probe_hi"]) == (b["probe_lo"], b["probe_hi"])
            assert (r["nullity"], r["nullity_lo"], r["nullity_hi"]) == (z["estimate"], z["lo"], z["hi"])
            assert r["negative_mass"] == pytest.approx(b["estimate"] / 40, rel=1e-15)
            assert r["negative_mass_lo"] == pytest.approx(b["lo"] / 40, rel=1e-15, abs=0)
            assert r["negative_mass_hi"] == pytest.approx(b["hi"] / 40, rel=1e-15)
            assert r["loss"] == [2.0, 1.0][c] and r["accuracy"] == pytest.approx(0.5 + x[0] / 10)
            assert r["grad_norm"] == pytest.approx(2 * np.linalg.norm(x), rel=1e-15)
            assert r["lambda_max"] == pytest.approx(30.0 * (1 + x[0]), rel=1e-6)
            assert r["lambda_max"] == top["largest"][0]
            assert r["lambda_min_slq"] == res.extremes[0]
            assert r["outliers_by_gap"] == 3
            assert (r["probes"], r["lanczos_steps"]) == (3, 10)
        nodes, weights = res.density()
        d = dens[c]
        np.testing.assert_array_equal(d["node"], nodes)
        np.testing.assert_array_equal(d["weight"], weights)
        assert d["weight"].sum() == pytest.approx(40, rel=1e-12)
        t = tops[c]
        assert t["rank"].tolist() == [1, 2, 3, 4, 5]
        np.testing.assert_allclose(t["value"].to_numpy()[:3], OUTLIERS * (1 + x[0]), rtol=1e-6)
    # the index at τ = 10⁻⁴ holds more eigenvalues than at 10⁻³ (the bulk straddling ±τ): the two rows differ
    assert rows[0]["index_hi"] <= rows[1]["index_hi"]
