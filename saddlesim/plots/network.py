"""Figures of the network experiment, from its tables only (never simulates).

References
----------
Dauphin et al. (2014), arXiv:1406.2572, Fig. 1 (index against loss of a network's critical points).
Frye et al. (2021), arXiv:2003.10397 (gradient-flat points).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.plots.style import COLUMN_WIDTH, PALETTE, figure_style, new_figure

__all__ = ["plot_index_vs_loss"]


def plot_index_vs_loss(points: pd.DataFrame, bins: pd.DataFrame, *, title: str = "", fig=None):
    """Left: index fraction against loss (critical points; flat end points apart) with the coin-flip
    ½ ± 2/(2√n) band. Right: the histogram of the index fraction against Binomial(n, ½)/n."""
    from scipy.stats import binom

    crit = points[points["status"] == "critical"]
    flat = points[points["status"] == "flat"]
    with figure_style():
        if fig is None:
            fig, (ax, bx) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.75, layout="constrained")
        else:
            ax, bx = fig.axes[:2]
        n = int(points["n"].iloc[0]) if len(points) else 1
        sd = 0.5 / np.sqrt(n)
        # the axis spans the critical and flat points; failed solves can end far up the loss
        shown = points[points["status"] != "failed"]
        shown = shown if len(shown) else points
        lo, hi = (float(shown["loss"].min()), float(shown["loss"].max())) if len(shown) else (0.0, 1.0)
        pad = 0.03 * (hi - lo) if hi > lo else 0.05
        failed = int((points["status"] == "failed").sum())
        ax.axhspan(0.5 - 2 * sd, 0.5 + 2 * sd, color=PALETTE["coinflip"], alpha=0.12, lw=0,
                   label="coin-flip claim: ½ ± 2 sd (independent fair signs)")
        ax.axhline(0.5, color=PALETTE["coinflip"], lw=0.8)
        if len(flat):
            ax.scatter(flat["loss"], flat["index"] / flat["n"], s=6, marker="^", color=PALETTE["gue"], alpha=0.6,
                       label=f"gradient-flat end points ({len(flat)}; not critical)")
        ax.scatter(crit["loss"], crit["index"] / crit["n"], s=6, color=PALETTE["goe"], alpha=0.6,
                   label=f"critical end points ({len(crit)})")
        if len(bins):
            ax.errorbar(bins["loss_mid"], bins["mean"], yerr=bins["sd"], fmt="o", ms=3, capsize=2,
                        color=PALETTE["independent"], label="distinct points: binned mean ± sd")
        ax.set_xlim(lo - pad, hi + pad)
        # headroom above the coin-flip band for the legend
        ax.set_ylim(-0.02, max(0.95, float((crit["index"] / crit["n"]).max()) + 0.05 if len(crit) else 0.95))
        ax.set_xlabel("loss at the end point" + (f" ({failed} failed solves not shown)" if failed else ""))
        ax.set_ylabel("index / n")
        ax.legend(fontsize=6, loc="upper left", framealpha=0.9)
        ax.set_title("index fraction against loss", fontsize=7)
        if title:
            fig.suptitle(title, fontsize=7)
        frac = (crit["index"] / crit["n"]).to_numpy()
        edges = np.arange(-0.5, n + 1.5) / n
        if len(frac):
            width = max(1, int(np.ceil((frac.max() + 0.02) * n / 40)))
            edges = (np.arange(-0.5, n + 1.5, width)) / n
            bx.hist(frac, bins=edges, density=True, color=PALETTE["goe"], alpha=0.7,
                    label="critical points, measured")
        k = np.arange(n + 1)
        bx.plot(k / n, binom.pmf(k, n, 0.5) * n, color=PALETTE["coinflip"], lw=1,
                label=f"coin-flip Binomial(n = {n}, ½) / n")
        bx.set_xlim(-0.02, 0.6)
        bx.set_xlabel("index / n")
        bx.set_ylabel("density")
        bx.legend(fontsize=6)
        bx.set_title("index of critical end points against independent fair signs", fontsize=7)
    return fig
