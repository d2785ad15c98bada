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


def test_p_min_on_log_axis_with_seed_curve_and_bounds():
    df = _table()
    fig = plot_p_min(df)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() and ax.get_ylabel() == "P(minimum)"
    seed = [l for l in ax.get_lines() if l.get_label().startswith("seed")]
    assert len(seed) == 1 and seed[0].get_color() in ("#000000", "k", "black")
    np.testing.assert_allclose(seed[0].get_ydata(), 2.0 ** -np.arange(1, 5))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("GOE" in t for t in labels) and any("upper bound" in t for t in labels)
    assert "10" in ax.get_legend().get_title().get_text()  # sample size stated


def test_exact_curve_drawn_when_table_has_exact_column():
    df = _table()
    df["exact_p_min"] = np.where(df["model"] == "goe", 0.1, np.nan)
    ax = plot_p_min(df).axes[0]
    assert any(l.get_label().endswith("exact") for l in ax.get_lines())
    ax = plot_p_min(_table()).axes[0]
    assert not any(l.get_label().endswith("exact") for l in ax.get_lines())


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
