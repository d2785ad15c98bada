"""Experiment kind 'exact-wall': tables, fits that land on Φ₋, figures remade from tables."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from saddlesim.kinds.registry import KINDS, load_spec, plot_results
from saddlesim.theory import dean_majumdar_rate, semicircle_index_fraction
from saddlesim.kinds.exact_wall import _parse_spec, fit_rows, run_experiment

SPEC_FILE = Path(__file__).resolve().parents[2] / "experiments" / "exact_wall.toml"


def test_spec_file_parses_and_quick_caps_dimensions():
    spec = load_spec(SPEC_FILE)
    assert KINDS[spec["kind"]].module == "saddlesim.kinds.exact_wall"
    zetas, rate_ns, index_ns, betas, xs = _parse_spec(spec, quick=True)
    assert 0.0 in zetas and set(rate_ns) == {1, 2, 4}
    assert max(max(ns) for ns in rate_ns.values()) <= 20 and max(index_ns) <= 20
    full = _parse_spec(spec, quick=False)
    assert max(full[1][1]) == 100 and max(full[2]) == 50


@pytest.mark.slow  # ~6 s CPU, mostly the PDF figures
def test_small_run_writes_tables_fits_and_figures(tmp_path):
    spec = {"kind": "exact-wall", "zetas": [0.0, 0.5], "rate_ns": {"2": [6, 9, 12, 15, 18]},
            "index_ns": [4, 8], "index_betas": [2], "index_x": [-1.0, 1.0, 5]}
    out = run_experiment(spec, tmp_path / "w", workers=1, progress=False)
    rate = pd.read_csv(out / "rate.csv")
    assert len(rate) == 10 and (rate["f"] > 0).all()
    fits = pd.read_csv(out / "rate_fits.csv")
    # GUE n = 6..18 already extrapolates to Φ₋ within 1e-4; at ζ = 0 that is (ln 3)/4.
    for r in fits.itertuples():
        assert r.phi_fit == pytest.approx(dean_majumdar_rate(r.zeta), abs=1e-4)
    assert fits.loc[fits["zeta"] == 0.0, "phi_dm"].iloc[0] == pytest.approx(math.log(3) / 4)
    index = pd.read_csv(out / "mean_index.csv")
    assert len(index) == 10
    assert index["fraction_semicircle"].tolist() == pytest.approx(
        semicircle_index_fraction(index["x"].to_numpy()).tolist())
    assert (abs(index["fraction_exact"] - index["fraction_semicircle"]) < 0.02).all()
    meta = json.loads((out / "meta.json").read_text())
    assert meta["kind"] == "exact-wall" and "git_revision" in meta["provenance"]
    for p in out.glob("*.png"):
        p.unlink()
    paths = plot_results(out)
    assert sorted(p.name for p in paths) == sorted(
        f"{s}.{e}" for s in ("rate_convergence", "mean_index") for e in ("png", "pdf"))


def test_fit_rows_needs_four_dimensions():
    rate = pd.DataFrame({"beta": 1.0, "zeta": 0.0, "n": [5, 6, 7], "f": [0.3, 0.29, 0.285], "phi_dm": 0.27})
    assert math.isnan(fit_rows(rate)["phi_fit"].iloc[0])


@pytest.mark.parametrize("bad", [{"zetas": [1.5]}, {"rate_ns": {"4": [60]}}, {"index_ns": [101]},
                                 {"index_betas": [3]}])
def test_bad_specs(bad, tmp_path):
    with pytest.raises(ValueError, match="spec"):
        run_experiment({"kind": "exact-wall", **bad}, tmp_path, workers=1, progress=False)
