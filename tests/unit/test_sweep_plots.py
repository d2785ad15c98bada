"""Sweep figures read tables (no simulation) and draw what the table says."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from saddlesim.plots.sweep import plot_p_min, plot_p_saddle, plot_probability, sweep_figures
from saddlesim.sweep import make_plan, results_table

matplotlib.use("Agg")


def _table():
    plan = make_plan(["independent", "goe"], [1, 2, 3, 4], 10, entropy=1)
    counts = []
    for cell in plan.cells:
        c = np.zeros(cell.n + 2, dtype=np.int64)
        c[0] = 0 if cell.n == 4 else 2  # one cell with no minima → upper-bound marker
        c[cell.n] = 2
        c[1] += 10 - c.sum()
        counts.append(c)
    return results_table(plan, counts)


def test_p_min_on_log_axis_with_coinflip_curve_and_bounds():
    df = _table()
    fig = plot_p_min(df)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() and ax.get_ylabel() == "P(minimum)"
    seed = [l for l in ax.get_lines() if l.get_label().startswith("coin flips")]
    assert len(seed) == 1 and seed[0].get_color() in ("#000000", "k", "black")
    np.testing.assert_allclose(seed[0].get_ydata(), 2.0 ** -np.arange(1, 5))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("GOE" in t for t in labels) and any("upper bound" in t for t in labels)
    assert "10" in ax.get_legend().get_title().get_text()  # sample size stated


def test_exact_curve_drawn_when_table_has_exact_column():
    bare = _table()
    bare = bare.drop(columns=[c for c in bare if c.startswith("exact_")])
    df = bare.copy()
    df["exact_p_min"] = np.where(df["model"] == "goe", 0.1, np.nan)
    ax = plot_p_min(df).axes[0]
    exact = [l for l in ax.get_lines() if l.get_label().endswith("exact")]
    assert len(exact) == 1 and "GOE" in exact[0].get_label()
    np.testing.assert_allclose(exact[0].get_ydata(), 0.1)
    ax = plot_p_min(bare).axes[0]
    assert not any(l.get_label().endswith("exact") for l in ax.get_lines())


def test_results_table_carries_exact_goe_values():
    df = _table()
    goe = df[df["model"] == "goe"].set_index("n")
    assert goe.at[2, "exact_p_min"] == pytest.approx((2 - np.sqrt(2)) / 4, rel=1e-12)
    assert goe.at[3, "exact_p_min"] == pytest.approx(0.25 - np.sqrt(2) / (2 * np.pi), rel=1e-12)
    assert goe.at[2, "exact_over_coinflip_p_min"] == pytest.approx((2 - np.sqrt(2)) / 4 / 0.25, rel=1e-12)
    ind = df[df["model"] == "independent"]
    np.testing.assert_allclose(ind["exact_p_min"], 2.0 ** -ind["n"].to_numpy())
    # the exact curve is drawn for GOE; for the independent model it is the coin-flip line
    labels = [l.get_label() for l in plot_p_min(df).axes[0].get_lines()]
    assert any(lab.startswith("GOE") and lab.endswith("exact") for lab in labels)
    assert not any(lab.startswith("independent") and lab.endswith("exact") for lab in labels)


def test_saddle_linear_and_ax_argument():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    out = plot_p_saddle(_table(), ax=ax)
    assert out is fig and ax.get_yscale() == "linear"
    with pytest.raises(ValueError):
        plot_probability(_table(), "median")


def test_sweep_figures_writes_png_and_pdf(tmp_path):
    paths = sweep_figures(_table(), tmp_path)
    assert {p.name for p in paths} == {f"p_{w}.{e}" for w in ("min", "max", "saddle") for e in ("png", "pdf")}
    assert all(p.stat().st_size > 1000 for p in paths)


def test_plots_roundtrip_through_csv(tmp_path):
    _table().to_csv(tmp_path / "r.csv", index=False)
    df = pd.read_csv(tmp_path / "r.csv")
    assert plot_p_min(df).axes[0].get_yscale() == "log"


def test_saved_figures_are_byte_identical_across_runs(tmp_path):
    """The same figure saved twice (a second apart) gives the same PNG and PDF bytes. Catches a
    creation date (or any clock) in the files, which made every rerun rewrite every PDF."""
    import time

    import matplotlib.pyplot as plt

    from saddlesim.plots.style import save_figure

    def draw(stem):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        return save_figure(fig, stem)

    a = draw(tmp_path / "a")
    time.sleep(1.1)
    b = draw(tmp_path / "b")
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.suffix
