"""Energy experiment: spec parsing, tables against exact small cases, figures from tables, semicircle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from saddlesim.kinds.energy import index_fraction_table, plot_experiment, run_experiment
from saddlesim.kinds.registry import KINDS
from saddlesim.sweep import make_plan, sweep_counts
from saddlesim.theory.asymptotics import semicircle_index_fraction
from saddlesim.theory.shifted import semicircle_radius

SPEC = {"kind": "energy", "name": "energy", "models": ["goe"], "n": [1, 3], "x": "-0.5:1:4",
        "samples": 4_000, "seed": 3}


@pytest.mark.slow
def test_energy_kind_writes_tables_figures_and_rare_points_where_monte_carlo_is_blind(tmp_path):
    assert "energy" in KINDS
    spec = {**SPEC, "n": [1, 6], "x": [-0.2, 0.0, 0.3, 1.0], "samples": 2_000,
            "rare": {"walkers": 20, "replicates": 2, "below": 50},
            "wishart_wigner": {"phi": [0.5], "n": 40, "samples": 6, "excess": [1.0, 10.0]}}
    out = run_experiment(spec, tmp_path / "r", workers=1, progress=False)
    names = {q.name for q in out.iterdir()}
    assert {"p_min_vs_shift.png", "p_min_vs_shift.pdf", "index_fraction_vs_shift.png", "meta.json",
            "wishart_wigner_index.png", "wishart_wigner_index.pdf"} <= names
    ww = pd.read_csv(out / "ww_index.csv")
    from saddlesim.theory.wishart_wigner import ww_alpha, ww_epsilon_c

    np.testing.assert_allclose(ww["eps"], ww_epsilon_c(0.5) * (1 + np.array([1.0, 10.0])))
    np.testing.assert_allclose(ww["alpha_theory"], [ww_alpha(e, 0.5) for e in ww["eps"]])
    # n = 40 already sits near the large-n theory well above threshold (finite-n edge effects aside)
    assert abs(ww["mean_index_fraction"].iloc[1] - ww["alpha_theory"].iloc[1]) < 0.05
    assert ww["mean_index_fraction"].iloc[1] > ww["mean_index_fraction"].iloc[0]
    p = pd.read_csv(out / "p_min.csv")
    f = pd.read_csv(out / "index_fraction.csv")
    assert len(p) == len(f) == 8
    # shift = x * sqrt(2 n): the table's two axes agree
    np.testing.assert_allclose(p["shift"], p["x"] * np.sqrt(2 * p["n"]))
    # n = 1: exact P(min) = Phi(s) is carried through to the table
    one = p[p["n"] == 1]
    np.testing.assert_allclose(10 ** one["exact_log10_p_min"], norm.cdf(one["shift"]), rtol=1e-12)
    # Monte Carlo mean index against the exact finite-n mean (6 sigma), and the Dean–Majumdar column
    e = f[f["exact_mean_index_fraction"].notna()]
    assert len(e) == 8
    z = (e["mean_index_fraction"] - e["exact_mean_index_fraction"]) / e["mean_index_fraction_se"].clip(lower=1e-12)
    assert np.all(np.abs(z[e["mean_index_fraction_se"] > 0]) < 6)
    assert p.loc[p["n"] == 6, "dm_log10_p_min"].is_monotonic_increasing
    r = pd.read_csv(out / "rare.csv")
    blind = p[(p["x"] >= 0) & (p["minima"] < 50)]
    assert len(blind) >= 2 and set(blind["n"]) == {6}
    np.testing.assert_allclose(r["x"], blind["x"])
    np.testing.assert_allclose(r["shift"], blind["shift"])
    assert np.all(r["log10_p_min_lo"] <= r["log10_p_min"]) and np.all(r["log10_p_min"] <= r["log10_p_min_hi"])
    # P(min) rises with the shift; at x = 0 the exact log10 P(min) of GOE n = 6 is about -5.1
    assert r["log10_p_min"].is_monotonic_increasing
    exact0 = float(p.loc[(p["n"] == 6) & (p["x"] == 0.0), "exact_log10_p_min"].iloc[0])
    assert abs(float(r.loc[r["x"] == 0.0, "log10_p_min"].iloc[0]) - exact0) < 1.0
    with pytest.raises(ValueError, match="rare"):
        run_experiment({**spec, "rare": {"walkers": 0}}, tmp_path / "bad", workers=1, progress=False)
    with pytest.raises(ValueError, match="wishart_wigner"):
        run_experiment({**spec, "wishart_wigner": {"phi": [1.5]}}, tmp_path / "bad", workers=1, progress=False)


@pytest.mark.slow
def test_plots_read_tables_only(tmp_path):
    """The plotter needs nothing but the two CSVs (no simulation, no meta.json)."""
    rows = []
    for n in (5, 10):
        for x in (0.0, 0.5, 1.0):
            rows.append({"model": "goe", "n": n, "x": x, "minima": 10 * (x + 0.1), "p_min": 0.1 * (x + 0.1),
                         "p_min_lo": 0.05 * (x + 0.1), "p_min_hi": 0.2 * (x + 0.1), "coinflip_p_min": 2.0 ** -n,
                         "exact_log10_p_min": np.nan, "mean_index_fraction": semicircle_index_fraction(x),
                         "mean_index_fraction_se": 0.001, "semicircle_index_fraction": semicircle_index_fraction(x)})
    df = pd.DataFrame(rows)
    df.to_csv(tmp_path / "p_min.csv", index=False)
    df.to_csv(tmp_path / "index_fraction.csv", index=False)
    names = {q.name for q in plot_experiment(tmp_path)}
    assert names == {"p_min_vs_shift.png", "p_min_vs_shift.pdf", "index_fraction_vs_shift.png",
                     "index_fraction_vs_shift.pdf"}
    with pytest.raises(ValueError, match="cannot read"):
        plot_experiment(tmp_path / "missing")


def test_energy_spec_errors_name_the_key(tmp_path):
    with pytest.raises(ValueError, match="unknown key"):
        run_experiment({**SPEC, "shifts": [1]}, tmp_path / "a", workers=1, progress=False)
    with pytest.raises(ValueError, match="missing key 'x'"):
        run_experiment({k: v for k, v in SPEC.items() if k != "x"}, tmp_path / "b", workers=1, progress=False)
    with pytest.raises(ValueError, match="x"):
        run_experiment({**SPEC, "x": "1:2"}, tmp_path / "c", workers=1, progress=False)
    assert not (tmp_path / "a").exists()


def test_index_fraction_table_matches_phi_at_n1():
    """Catches a mean index not divided by n, or the degenerate bin counted as index n + 1.

    n = 1: index of N(0,1) + s is 1 with probability Phi(-s); 6 sigma at 40 000 draws.
    """
    shifts = [-1.0, 0.0, 0.7]
    plan = make_plan(["goe"], [1, 2], 40_000, entropy=9, shifts=shifts)
    counts, _ = sweep_counts(plan)
    t = index_fraction_table(plan, counts)
    one = t[t["n"] == 1]
    z = (one["mean_index_fraction"] - norm.cdf(-one["shift"])) / one["mean_index_fraction_se"]
    assert np.all(np.abs(z) < 6)
    two = t[t["n"] == 2]
    assert np.all(two["mean_index_fraction"].between(0, 1)) and two["mean_index_fraction"].is_monotonic_decreasing


def test_semicircle_index_fraction_closed_form_and_large_n():
    """Catches the edge sqrt(2n) (vs 2 sqrt(n)) in the energy scale x: MC at n = 400 within 0.01."""
    a = semicircle_index_fraction([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0])
    np.testing.assert_allclose(a, [1, 1, 0.5, 0.5 - (0.5 * np.sqrt(0.75) + np.pi / 6) / np.pi, 0, 0], atol=1e-15)
    assert semicircle_radius(50) == pytest.approx(10.0)
    from saddlesim.index.shifted import sample_index_shifted

    n = 400
    xs = [-0.5, 0.3, 0.7]
    index, _ = sample_index_shifted("goe", n, 200, 4, shifts=[x * semicircle_radius(n) for x in xs])
    np.testing.assert_allclose(index.mean(axis=1) / n, semicircle_index_fraction(xs), atol=0.01)
