"""The ``landscape`` experiment kind: tables with exact theory, figures remade from tables alone."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import pandas as pd

from saddlesim.kinds.registry import KINDS
from saddlesim.kinds.landscape import plot_experiment, run_experiment


@pytest.mark.slow
def test_pspin_study_tables_carry_exact_theory_and_replot_without_simulating(tmp_path):
    """Catches theory columns that are not the exact Kac–Rice counts / P(min), and a plotter that
    needs the raw runs (it must work from the tables alone)."""
    from saddlesim.theory.pspin import pspin_mean_counts, pspin_p_min

    assert "landscape" in KINDS
    spec = {"kind": "landscape", "study": "pspin", "name": "ps", "seed": 3, "p": 3, "N": [3, 4],
            "instances": 2, "starts": 40}
    run_experiment(spec, tmp_path / "ps", workers=1, quick=False, progress=False)
    counts = pd.read_csv(tmp_path / "ps" / "counts.csv")
    for N in (3, 4):
        np.testing.assert_allclose(counts.loc[counts["N"] == N, "theory_mean"], pspin_mean_counts(N, 3))
    pmin = pd.read_csv(tmp_path / "ps" / "pmin.csv")
    np.testing.assert_allclose(pmin["exact"], [pspin_p_min(3, 3), pspin_p_min(4, 3)])
    np.testing.assert_allclose(pmin["coinflip"], [0.25, 0.125])
    sat = pd.read_csv(tmp_path / "ps" / "saturation.csv")
    # counts can only grow with the number of starts
    assert (sat.groupby("N")["mean_total"].diff().dropna() >= 0).all()
    shutil.rmtree(tmp_path / "ps" / "runs")
    for f in (tmp_path / "ps").glob("*.png"):
        f.unlink()
    paths = plot_experiment(tmp_path / "ps")
    assert {p.name for p in paths} >= {"pspin_counts.png", "pspin_energy_index.png", "pspin_pmin.pdf"}


@pytest.mark.slow
def test_mlp_study_puts_points_in_gauss_newton_units_and_replots_from_tables(tmp_path):
    """Catches an x axis that is not c·L/g (g the mean Gauss–Newton eigenvalue recomputed at each point
    of the right instance), a departures statement missing from meta.json, and a plotter needing the runs."""
    from saddlesim.landscapes.gauss_newton import hessian_split
    from saddlesim.searches.plan import make_landscape_plan
    from saddlesim.searches.run import instance_landscape

    spec = {"kind": "landscape", "study": "mlp", "name": "mlp", "seed": 4, "d": 2, "h": 2, "m": 12,
            "outputs": 1, "instances": 2, "starts": 20, "descent_fraction": 0.5, "bins": 4}
    out = tmp_path / "mlp"
    run_experiment(spec, out, workers=1, progress=False)
    pts = pd.read_csv(out / "points.csv")
    coords = pd.read_csv(next((out / "runs").iterdir()) / "coordinates.csv")
    plan = make_landscape_plan("mlp", {"d": 2, "h": 2, "m": 12, "outputs": 1}, instances=2, starts=20, entropy=4,
                               descent_fraction=0.5)
    row = len(pts) - 1  # last instance: a mix-up of instances would show here
    net = instance_landscape(plan, int(pts["instance"].iloc[row]))
    x = coords[[c for c in coords.columns if c.startswith("x")]].to_numpy()[row]
    want = hessian_split(net, x)
    assert pts["loss"].iloc[row] == pytest.approx(net.value(x), rel=1e-9, abs=1e-15)
    for key in ("gn_mean", "eps_loss", "eps_hessian"):
        assert pts[key].iloc[row] == pytest.approx(want[key], rel=1e-9, abs=1e-15), key
    import json

    meta = json.loads((out / "meta.json").read_text())
    fit = meta["summary"]["fit"]
    bins = pd.read_csv(out / "bins.csv")
    np.testing.assert_allclose(bins["eps"], fit["c"] * bins["eps_loss"], rtol=1e-12)
    assert fit["departures"] and all(isinstance(s, str) for s in fit["departures"])
    shutil.rmtree(out / "runs")
    assert {p.name for p in plot_experiment(out)} >= {"mlp_index_vs_loss.png", "mlp_index_vs_loss.pdf"}


def test_autoencoder_study_recovers_every_class_with_hops_and_counts_the_solves(tmp_path):
    """k = 5, p = 2 (16 classes) with 2 chains × (10 starts + 60 hops): every class recovered,
    none off the exact set, and ``solves`` counts the hops.

    Catches the spec's ``hops`` not reaching the plan (far fewer classes), and a
    recovery table that counts only the starts."""
    spec = {"name": "ae", "kind": "landscape", "study": "linear_autoencoder", "seed": 3, "k": 5, "width": 2,
            "instances": 2, "starts": 10, "hops": 60, "descent_fraction": 0.0}
    run_experiment(spec, tmp_path / "ae", workers=1, quick=False, progress=False)
    rec = pd.read_csv(tmp_path / "ae" / "recovery.csv").iloc[0]
    assert rec["classes"] == 16 and rec["accepted_off_exact_set"] == 0
    assert rec["recovered"] == 16
    assert rec["solves"] == 2 * 70


def test_autoencoder_on_digits_matches_the_exact_classes_of_the_digits_spectrum(tmp_path):
    """sigma = "digits", k = 5, p = 2: the exact set is built from the digits' five leading
    principal variances (ascending), every accepted point lies on it, and cutoffs.csv keeps
    nested sets of end points (1e-10 ⊂ 1e-6 ⊂ none) with the exact set's own fit as a row.

    Catches exact classes computed from diag(1…k) instead of the data (every loss off), the
    variances in descending order (indices and losses swapped), and a cutoff table that
    ignores the rejected end points."""
    pytest.importorskip("sklearn")
    from saddlesim.landscapes.linear_ae import digits_variances

    spec = {"name": "aed", "kind": "landscape", "study": "linear_autoencoder", "seed": 4, "k": 5, "width": 2,
            "sigma": "digits", "instances": 2, "starts": 10, "hops": 60, "descent_fraction": 0.0}
    run_experiment(spec, tmp_path / "aed", workers=1, quick=False, progress=False)
    out = tmp_path / "aed"
    rec = pd.read_csv(out / "recovery.csv").iloc[0]
    assert rec["classes"] == 16 and rec["recovered"] == 16 and rec["accepted_off_exact_set"] == 0
    lam = digits_variances(5)
    assert np.all(np.diff(lam) > 0)
    classes = pd.read_csv(out / "classes.csv")
    best = classes.iloc[0]
    assert best["key"] == "4,5" and best["loss"] == pytest.approx(lam[:3].sum() / 5, rel=1e-12)
    cut = pd.read_csv(out / "cutoffs.csv", keep_default_na=False).set_index("cutoff")
    assert list(cut.index) == ["exact", "1e-10", "1e-06", "none"]
    rej = pd.read_csv(out / "rejected.csv")
    pts = pd.read_csv(out / "points.csv")
    assert cut.loc["none", "points"] == len(pts) + len(rej)
    assert cut.loc["1e-10", "points"] == (pts["grad_norm2"] <= 1e-10).sum() + (rej["grad_norm2"] <= 1e-10).sum()
    assert cut.loc["1e-10", "points"] <= cut.loc["1e-06", "points"] <= cut.loc["none", "points"]
    assert cut.loc["exact", "points"] == 16 and cut.loc["1e-10", "off_exact"] == 0
    names = {p.name for p in plot_experiment(out)}
    assert {"autoencoder_critical_points.png", "loss_index_cutoffs.png", "loss_index_cutoffs.pdf"} <= names
