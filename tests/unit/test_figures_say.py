"""Figures that say what they show: the axes follow the measured points, legends in plain words,
the missing classes drawn on top, the figure states its finding. Drawn from the committed tables."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

from saddlesim.runtime.io import current_columns
import pytest

matplotlib.use("Agg")



def _read(path):
    """A committed table, under the current column names (it may predate the coin-flip names)."""
    return current_columns(pd.read_csv(path))


RESULTS = Path(__file__).resolve().parents[2] / "results"


def _need(*names):
    paths = [RESULTS / n for n in names]
    if not all(p.is_file() for p in paths):
        pytest.skip("committed results missing")
    return paths


def test_p_min_axis_follows_the_measured_points():
    from saddlesim.plots.sweep import plot_p_min

    (path,) = _need("index_probabilities/results.csv")
    df = _read(path)
    ax = plot_p_min(df).axes[0]
    seen = df[df["minima"] > 0]
    lowest = min(seen.loc[seen["p_min_lo"] > 0, "p_min_lo"].min(), df.loc[df["minima"] == 0, "p_min_hi"].min())
    bottom = ax.get_ylim()[0]
    assert lowest / 100 < bottom < lowest  # within two decades of the lowest measured bound, not 10^-64
    assert df["exact_p_min"].min() < bottom  # so the exact curves are clipped ...
    title = ax.get_legend().get_title().get_text()
    assert "below the axis" in title  # ... and the figure says where they go
    gse = df[(df["model"] == "gse")].sort_values("n").iloc[-1]
    assert f"{np.log10(gse['exact_p_min']):.1f}" in title


def test_p_min_vs_shift_one_panel_per_n_each_on_its_own_scale():
    from saddlesim.plots.energy import plot_p_min_vs_shift

    p_min, rare = _need("energy/p_min.csv", "energy/rare.csv")
    df = _read(p_min)
    fig = plot_p_min_vs_shift(df, rare=_read(rare))
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == df["n"].nunique()
    bottoms = [a.get_ylim()[0] for a in axes]
    assert max(bottoms) > -10 and min(bottoms) < -500  # n = 5 is not squashed by n = 50
    for a in axes:
        assert any("x = 1" in t.get_text() for t in a.texts)  # the vertical line is labelled
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert not any("splitting" in lab for lab in labels)


def test_pspin_counts_error_bars_and_visible_colours():
    from matplotlib.colors import to_rgb

    from saddlesim.plots.landscape import plot_pspin_counts

    counts, sat, points = _need("pspin/counts.csv", "pspin/saturation.csv", "pspin/points.csv")
    counts, sat = _read(counts), _read(sat)
    fig = plot_pspin_counts(counts, sat, points=_read(points))
    right = fig.axes[1]
    bars = [c for c in right.containers if type(c).__name__ == "ErrorbarContainer" and len(c.lines[2])]
    assert len(bars) >= sat["N"].nunique()
    colours = {to_rgb(l.get_color()) for l in right.get_lines() if len(l.get_xdata()) > 1}
    assert len(colours) == sat["N"].nunique()
    # no pale colour: every curve is darker than the pale yellow end of viridis
    assert all(sum(c) / 3 < 0.8 for c in colours)
    assert any("instances" in t.get_text() for t in right.get_legend().get_texts())


def test_autoencoder_missing_classes_on_top():
    from saddlesim.plots.landscape import plot_autoencoder

    names = ("classes.csv", "points.csv", "rejected.csv", "recovery.csv")
    frames = [_read(p) for p in _need(*(f"linear_autoencoder/{n}" for n in names))]
    ax = plot_autoencoder(*frames).axes[0]
    by_label = {c.get_label(): c for c in ax.collections}
    (miss,) = [c for lab, c in by_label.items() if "not recovered" in lab]
    (hit,) = [c for lab, c in by_label.items() if "recovered" in lab and "not" not in lab]
    assert miss.get_zorder() > hit.get_zorder()
    assert len(miss.get_offsets()) == int((~frames[0]["recovered"].astype(bool)).sum())


def test_mlp_figure_says_the_data_follow_neither_line():
    from saddlesim.plots.landscape import plot_mlp_index_vs_loss

    points, bins, fit = _need("mlp_landscape/points.csv", "mlp_landscape/bins.csv", "mlp_landscape/fit.json")
    fit = json.loads(fit.read_text(encoding="utf-8"))
    ax = plot_mlp_index_vs_loss(_read(points), _read(bins), fit).axes[0]
    (text,) = [t.get_text() for t in ax.texts if "neither" in t.get_text()]
    assert f"{fit['rms_alpha_residual']:.2g}" in text


def test_rare_legend_in_plain_words():
    from saddlesim.plots.rare import plot_rare_events

    res, fits = _need("rare_events/results.csv", "rare_events/fits.csv")
    fig = plot_rare_events(_read(res), _read(fits))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels and not any("splitting" in lab for lab in labels)
    assert any("rare-event estimate" in lab for lab in labels)
