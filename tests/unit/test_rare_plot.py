"""The rare-event figure reads tables only and draws what they say."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from saddlesim.plots.rare import plot_rare_events
from saddlesim.kinds.rare import fit_table


def _table():
    rows = []
    for model, beta in (("goe", 1.0), ("gue", 2.0), ("gse", 4.0)):
        for n in (2, 4, 8, 10, 12, 16, 20):
            lp = -beta * math.log(3) / 4 * n * n / math.log(10) - 0.1 * n
            rows.append({"model": model, "beta": beta, "n": n, "log10_p": lp, "log10_p_lo": lp - 0.05,
                         "log10_p_hi": lp + 0.05, "log10_exact": lp if beta < 4 else np.nan})
    return pd.DataFrame(rows)


def test_figure_has_two_panels_with_the_data_and_reference_curves():
    df = _table()
    fits = fit_table(df, n_min=8)
    assert set(fits["source"]) == {"estimate", "exact"} and len(fits) == 5
    fig = plot_rare_events(df, fits)
    ax1, ax2 = fig.axes[:2]
    seed = [line for line in ax1.get_lines() if line.get_linestyle() == "--"][0]
    x, y = seed.get_data()
    np.testing.assert_allclose(y, -np.asarray(x) * math.log10(2))
    labels = [t.get_text() for t in ax1.get_legend().get_texts()]
    assert any("GOE" in t for t in labels) and any("GSE" in t for t in labels)
    assert any("Dean" in t for t in labels)
    # Panel (b) plots θ_n = -ln P / n² of the GUE points.
    gue = df[df["model"] == "gue"]
    theta = (-gue["log10_p"] * math.log(10) / gue["n"] ** 2).to_numpy()
    plotted = [np.asarray(line.get_ydata()) for line in ax2.get_lines()]
    assert any(p.shape == theta.shape and np.allclose(p, theta) for p in plotted)
    assert "θ" in " ".join(t.get_text() for t in ax2.texts)
