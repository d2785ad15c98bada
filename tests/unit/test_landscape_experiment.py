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
