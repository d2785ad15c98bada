"""End to end: the quick rare-events experiment through the experiment registry."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from saddlesim.kinds.registry import plot_results, run_experiment

SPEC = Path(__file__).resolve().parents[2] / "experiments" / "rare_events.toml"


@pytest.mark.slow
def test_quick_experiment_writes_tables_meta_and_figure(tmp_path):
    out = run_experiment(SPEC, tmp_path, workers=2, quick=True, progress=False)
    df = pd.read_csv(out / "results.csv")
    assert set(df["beta"]) == {1.0, 2.0, 4.0}
    exact = df.dropna(subset=["log10_exact"])
    inside = (exact["log10_p_lo"] <= exact["log10_exact"]) & (exact["log10_exact"] <= exact["log10_p_hi"])
    assert inside.mean() >= 0.75  # 95 % intervals; a handful of cells
    fits = pd.read_csv(out / "fits.csv")
    assert {"estimate", "exact"} <= set(fits["source"])
    meta = json.loads((out / "meta.json").read_text())
    assert meta["kind"] == "rare" and meta["spec"]["quick_run"] and meta["seed_entropy"] == "20261126"
    paths = plot_results(out)
    assert {p.suffix for p in paths} == {".png", ".pdf"} and all(p.stat().st_size > 10_000 for p in paths)
