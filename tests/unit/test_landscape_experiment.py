"""The ``landscape`` experiment kind: tables with exact theory, figures remade from tables alone."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import pandas as pd

from saddlesim.experiment import KINDS
from saddlesim.landscapes.experiment import plot_experiment, run_experiment


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
    np.testing.assert_allclose(pmin["seed"], [0.25, 0.125])
    sat = pd.read_csv(tmp_path / "ps" / "saturation.csv")
    # counts can only grow with the number of starts
    assert (sat.groupby("N")["mean_total"].diff().dropna() >= 0).all()
    shutil.rmtree(tmp_path / "ps" / "runs")
    for f in (tmp_path / "ps").glob("*.png"):
        f.unlink()
    paths = plot_experiment(tmp_path / "ps")
    assert {p.name for p in paths} >= {"pspin_counts.png", "pspin_energy_index.png", "pspin_pmin.pdf"}


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
