"""The trained_spectrum kind: spec validation, and figures redrawn from the committed tables alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from saddlesim.kinds.trained_spectrum import DEFAULTS, plot_experiment, run_experiment

RESULTS = Path(__file__).resolve().parents[2] / "results" / "trained_spectrum"


@pytest.mark.parametrize("change, message", [
    ({"networks": {"huge": DEFAULTS["networks"]["large"]}}, "unknown huge"),
    ({"taus": []}, "taus"),
    ({"taus": [-1e-3]}, "taus"),
    ({"networks": {"large": {**DEFAULTS["networks"]["large"], "probes": 1}}}, "probes"),
])
def test_bad_specs_are_refused(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        run_experiment({**DEFAULTS, **change}, tmp_path / "o", progress=False)
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(not (RESULTS / "checks.csv").exists(), reason="results not committed")
def test_committed_checks_hold_and_figures_redraw(tmp_path):
    """Lanczos extremes vs eigvalsh to 1e-8, certified counts equal the dense ones, figures from tables."""
    checks = pd.read_csv(RESULTS / "checks.csv")
    assert (checks["lanczos_max_relerr"] <= 1e-8).all() and (checks["lanczos_min_relerr"] <= 1e-8).all()
    certified = checks[checks["certified_index"] >= 0]
    assert (certified["certified_index"] == certified["dense_index"]).all()
    assert (checks["certified_lower"] <= checks["dense_index"]).all()
    assert (checks["index_coverage"] >= 0.9).all()
    for f in ("checkpoints.csv", "density.csv", "top_eigenvalues.csv", "checks.csv", "coverage.csv"):
        shutil.copy(RESULTS / f, tmp_path / f)
    paths = plot_experiment(tmp_path)
    assert {p.name for p in paths} >= {"density.png", "index_along_training.pdf", "outliers.png", "checks.pdf"}
