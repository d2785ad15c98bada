"""GSE (β = 4) exact values reach every table that carries exact columns, and the rare-event figure."""

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from saddlesim.plots.rare import plot_rare_events
from saddlesim.plots.style import PALETTE
from saddlesim.theory import MAX_GSE_N, model_log_p_min


def test_model_log_p_min_fills_gse_up_to_its_limit():
    assert math.exp(model_log_p_min("gse", 2)) == pytest.approx(0.25 - 2 / (3 * math.pi), rel=1e-12)
    assert math.isnan(model_log_p_min("gse", MAX_GSE_N + 1))
    # GSE repels harder than GUE: P(min) is smaller at every n
    assert model_log_p_min("gse", 6) < model_log_p_min("gue", 6) < model_log_p_min("goe", 6)


def test_rare_figure_draws_the_exact_gse_line():
    rows = []
    for n in (2, 3, 4, 5):
        exact = model_log_p_min("gse", n) / math.log(10)
        rows.append({"model": "gse", "beta": 4.0, "n": n, "log10_p": exact, "log10_p_lo": exact - 0.05,
                     "log10_p_hi": exact + 0.05, "log10_exact": exact})
    df = pd.DataFrame(rows)
    fig = plot_rare_events(df)
    ax1 = fig.axes[0]
    solid = [ln for ln in ax1.get_lines()
             if ln.get_linestyle() == "-" and to_hex(ln.get_color()) == PALETTE["gse"].lower()]
    assert any(np.allclose(ln.get_ydata(), df["log10_exact"]) for ln in solid)
    labels = [t.get_text() for t in ax1.get_legend().get_texts()]
    assert any("exact" in t and "4" in t for t in labels)
