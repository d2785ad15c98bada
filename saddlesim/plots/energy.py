"""Figures of the energy experiment: P(min) and the mean index fraction against the shift.

Both read the experiment's tables (``p_min.csv``, ``index_fraction.csv``) and
return a Figure; neither simulates. The x axis is the scaled shift
x = s / sqrt(2 beta n): the semicircle edge of G moves to 0 at x = 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.plots.style import COLUMN_WIDTH, PALETTE, figure_style, new_figure

__all__ = ["plot_p_min_vs_shift", "plot_index_fraction_vs_shift", "plot_wishart_wigner"]

# Okabe & Ito colours, one per dimension n (model colours are per model; here n varies)
_N_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
_XLABEL = r"shift $x = s/\sqrt{2\beta n}$  ($H = G + s\,I$)"


def _series(df: pd.DataFrame):
    for i, ((model, n), g) in enumerate(df.groupby(["model", "n"], sort=True)):
        yield i, model, int(n), g.sort_values("x")


def plot_p_min_vs_shift(df: pd.DataFrame, ax=None, *, rare: pd.DataFrame | None = None, title: str | None = None):
    """log10 P(min) against the scaled shift, one panel per (model, n), each on its own y range:
    Monte Carlo (95 % Wilson), rare events, exact, the Dean–Majumdar leading order
    (``dm_log10_p_min``, dashed) and the coin-flip 2^-n.

    One panel per n because the curves span hundreds of decades (down to
    10^-565 at n = 50) while n = 5 spans seven: on one axis the small n and the
    coin-flip lines are flat. A log10 axis, not a log scale: rare-event values
    reach 1e-300 and below. The dashed vertical line is x = 1, where the
    semicircle's lower edge reaches 0.

    Parameters
    ----------
    df : DataFrame
        ``p_min.csv``: ``model, n, x, minima, p_min, p_min_lo, p_min_hi,
        coinflip_p_min`` and, where known, ``exact_log10_p_min``.
    ax : Axes or array of Axes, optional
        One per (model, n) series; default a new figure, two panels a row.
    rare : DataFrame, optional
        ``rare.csv``: ``model, n, x, log10_p_min, log10_p_min_lo, log10_p_min_hi``,
        drawn as open squares with their 95 % intervals.
    title : str, optional
        Recorded as the figure's label (captions belong to the paper).

    Returns
    -------
    Figure
    """
    with figure_style():
        return _plot_p_min_vs_shift(df, ax, rare, title)


def _plot_p_min_vs_shift(df, ax, rare, title):
    series = list(_series(df))
    if ax is None:
        cols = 2 if len(series) > 1 else 1
        rows = -(-len(series) // cols)
        # height per row about 2.2 in: new_figure makes it width * aspect * rows / cols
        fig, axes = new_figure(rows, cols, width=cols * COLUMN_WIDTH, aspect=0.65,
                               sharex=True, squeeze=False, layout="constrained")
        axes = list(axes.ravel())
        for extra in axes[len(series):]:
            extra.set_visible(False)
    else:
        axes = list(np.atleast_1d(ax).ravel())
        if len(axes) < len(series):
            raise ValueError(f"{len(series)} series need {len(series)} axes, got {len(axes)}")
        fig = axes[0].figure
    several_models = df["model"].nunique() > 1
    coinflip_drawn = exact_drawn = rare_drawn = dm_drawn = False
    for (i, model, n, g), a in zip(series, axes):
        colour = _N_COLOURS[i % len(_N_COLOURS)]
        seen = g[g["minima"] > 0]
        mid = np.log10(seen["p_min"])
        a.errorbar(seen["x"], mid, yerr=[mid - np.log10(seen["p_min_lo"]), np.log10(seen["p_min_hi"]) - mid],
                   fmt="o", ms=2.5, color=colour, elinewidth=0.8, capsize=0, zorder=4)
        if rare is not None:
            r = rare[(rare["model"] == model) & (rare["n"] == n)].sort_values("x")
            if len(r):
                a.errorbar(r["x"], r["log10_p_min"],
                           yerr=[r["log10_p_min"] - r["log10_p_min_lo"], r["log10_p_min_hi"] - r["log10_p_min"]],
                           fmt="s", mfc="none", ms=3, color=colour, elinewidth=0.8, capsize=0, zorder=3)
                rare_drawn = True
        if "exact_log10_p_min" in g and g["exact_log10_p_min"].notna().any():
            e = g[g["exact_log10_p_min"].notna()]
            a.plot(e["x"], e["exact_log10_p_min"], "-x", ms=4, color=PALETTE["coinflip"], lw=0.7, alpha=0.8, zorder=2)
            exact_drawn = True
        if "dm_log10_p_min" in g and g["dm_log10_p_min"].notna().any():
            a.plot(g["x"], g["dm_log10_p_min"], "--", color=colour, lw=0.8, alpha=0.7)
            dm_drawn = True
        a.axhline(float(np.log10(g["coinflip_p_min"].iloc[0])), color=PALETTE["coinflip"], ls=":", lw=1.0)
        coinflip_drawn = True
        a.axvline(1.0, color=PALETTE["asymptote"], lw=0.6, ls="--")
        a.text(1.0, 0.04, "  x = 1: semicircle\n  edge at 0", transform=a.get_xaxis_transform(), fontsize=5.5,
               color="0.35", ha="left", va="bottom")
        a.set_title(f"{model}, n = {n}" if several_models else f"n = {n}", loc="left", fontsize=7)
        a.set_ylabel(r"$\log_{10}$ P(minimum)")
        bottom = a.get_ylim()[0]
        a.set_ylim(bottom, max(0.5, 0.04 * abs(bottom)))
    for a in axes[max(len(series) - 2, 0):len(series)]:
        a.set_xlabel(_XLABEL)
    # what the marker and line styles mean, in black, whatever the n (empty plots = legend entries)
    ink = PALETTE["coinflip"]
    handles = [axes[0].errorbar([], [], yerr=[], fmt="o", ms=2.5, color=ink, elinewidth=0.8, capsize=0,
                                label="Monte Carlo, 95% Wilson")]
    if rare_drawn:
        handles += axes[0].plot([], [], ls="none", marker="s", mfc="none", ms=3, color=ink, label="rare-event estimate")
    if exact_drawn:
        handles += axes[0].plot([], [], "-x", ms=4, lw=0.7, color=ink, label="exact")
    if dm_drawn:
        handles += axes[0].plot([], [], ls="--", lw=0.8, color=ink, label=r"Dean–Majumdar $-\beta n^2\Phi_-$")
    if coinflip_drawn:
        handles += axes[0].plot([], [], ls=":", lw=1.0, color=ink, label=r"coin flips: $2^{-n}$")
    fig.legend(handles=handles, loc="outside lower center" if ax is None else "lower center",
               ncol=len(handles), fontsize=6.5)
    if title:
        fig.set_label(title)
    return fig


def plot_index_fraction_vs_shift(df: pd.DataFrame, ax=None):
    """Mean index fraction against the scaled shift, with the semicircle alpha(x) (n -> ∞).

    Parameters
    ----------
    df : DataFrame
        ``index_fraction.csv``: ``model, n, x, mean_index_fraction,
        mean_index_fraction_se, semicircle_index_fraction`` and optionally
        ``exact_mean_index_fraction`` (crosses in the colour of n).
    ax : Axes, optional

    Returns
    -------
    Figure
        Error bars are ±6 standard errors (mostly smaller than the markers).
    """
    with figure_style():
        return _plot_index_fraction_vs_shift(df, ax)


def _plot_index_fraction_vs_shift(df, ax):
    fig, ax = new_figure(aspect=0.8) if ax is None else (ax.figure, ax)
    exact_drawn = False
    several_models = df["model"].nunique() > 1
    for i, model, n, g in _series(df):
        colour = _N_COLOURS[i % len(_N_COLOURS)]
        ax.errorbar(g["x"], g["mean_index_fraction"], yerr=6 * g["mean_index_fraction_se"], fmt="o",
                    ms=2.5, color=colour, elinewidth=0.8, capsize=0,
                    label=f"{model} n={n}" if several_models else f"n = {n}")
        if "exact_mean_index_fraction" in g and g["exact_mean_index_fraction"].notna().any():
            e = g[g["exact_mean_index_fraction"].notna()]
            # markers only: the exact points are sparser than the grid, a line would interpolate
            ax.plot(e["x"], e["exact_mean_index_fraction"], "x", ms=4.5, color=colour)
            exact_drawn = True
    curve = df.drop_duplicates("x").sort_values("x")
    ax.plot(curve["x"], curve["semicircle_index_fraction"], "-", color=PALETTE["coinflip"], lw=1.0,
            label=r"semicircle $\alpha(x)$, $n\to\infty$")
    if exact_drawn:
        ax.plot([], [], "x", ms=4.5, color=PALETTE["coinflip"], label="exact, finite n")
    ax.set_xlabel(_XLABEL)
    ax.set_ylabel("mean index / n")
    ax.set_ylim(-0.02, float(np.nanmax(df["mean_index_fraction"])) + 0.3)
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_wishart_wigner(mc: pd.DataFrame, theory: pd.DataFrame):
    """Wishart + Wigner index fraction against eps for each phi: Monte Carlo, free-convolution theory, 3/2 law.

    Left: alpha against eps (theory solid, Monte Carlo points with ±2 s.e.).
    Right: the same against (eps - eps_c)/eps_c on log-log axes, where the
    3/2 law alpha_0 ((eps - eps_c)/eps_c)^{3/2} is a dashed straight line.

    Parameters
    ----------
    mc : DataFrame
        ``ww_index.csv``: ``phi, eps, excess, n, mean_index_fraction, mean_index_fraction_se``.
    theory : DataFrame
        ``ww_theory.csv``: ``phi, eps, excess, eps_c, alpha_theory, alpha_three_halves``.

    Returns
    -------
    Figure
    """
    with figure_style():
        fig, (left, right) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.75)
        for i, (phi, th) in enumerate(theory.groupby("phi", sort=True)):
            colour = _N_COLOURS[i % len(_N_COLOURS)]
            th = th.sort_values("eps")
            m = mc[mc["phi"] == phi].sort_values("eps")
            n = int(m["n"].iloc[0]) if len(m) else None
            for ax, x, xm in ((left, th["eps"], m["eps"]), (right, th["excess"], m["excess"])):
                ax.plot(x, th["alpha_theory"], "-", color=colour, lw=1.0,
                        label=rf"$\phi = {phi:g}$ ($\epsilon_c = {th['eps_c'].iloc[0]:.3g}$)")
                ax.errorbar(xm, m["mean_index_fraction"], yerr=2 * m["mean_index_fraction_se"], fmt="o", ms=2.5,
                            color=colour, elinewidth=0.8, capsize=0)
            near = th[th["excess"] <= 1.0]
            right.plot(near["excess"], near["alpha_three_halves"], "--", color=colour, lw=0.9)
        left.set_xlabel(r"$\epsilon$ (Wigner part: semicircle radius $2\sqrt{2\epsilon}$)")
        left.set_ylabel("index fraction α")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel(r"$(\epsilon - \epsilon_c)/\epsilon_c$")
        positive = mc.loc[mc["mean_index_fraction"] > 0, "mean_index_fraction"]
        floor = min(float(positive.min()) if len(positive) else 1e-3, float(theory["alpha_three_halves"][theory["alpha_three_halves"] > 0].min()))
        right.set_ylim(max(floor / 3, 1e-6), 1.0)
        left.plot([], [], "o", ms=2.5, color=PALETTE["coinflip"], label=f"Monte Carlo, n = {n}")
        right.plot([], [], "-", color=PALETTE["coinflip"], label="free convolution")
        right.plot([], [], "--", color=PALETTE["coinflip"], label=r"3/2 law $\alpha_0 (\cdot)^{3/2}$")
        left.legend(loc="lower right")
        right.legend(loc="lower right")
        fig.tight_layout()
    return fig
