"""Figures of a sweep's ``results.csv``: P(min), P(max), P(saddle) against n.

Each function reads the results table (one row per model x n, as written by
:func:`saddlesim.sweep.results_table`) and returns a Figure; none simulates.
Estimates are drawn as points with 95 % Wilson error bars; cells where no
event was seen (estimate 0, invisible on a log axis) as an open downward
triangle at the interval's upper bound. The coin-flip prediction is a black
line; an exact random-matrix curve is drawn, dashed in the model's colour,
wherever the table carries ``exact_p_<what>`` (or ``exact_log10_p_<what>``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.models.spec import Model
from saddlesim.plots.style import MARKERS, PALETTE, figure_style, new_figure, save_figure

__all__ = ["plot_probability", "plot_p_min", "plot_p_max", "plot_p_saddle", "sweep_figures"]

_YLABEL = {
    "min": "P(minimum)",
    "max": "P(maximum)",
    "saddle": "P(saddle)",
}
_SEED_LABEL = {
    "min": r"coin flips: $2^{-n}$",
    "max": r"coin flips: $2^{-n}$",
    "saddle": r"coin flips: $1-2^{1-n}$",
}


def _model_of(row) -> Model:
    if row["model"] == "wishart-wigner":
        return Model("wishart-wigner", phi=float(row["phi"]), eps=float(row["eps"]))
    beta = row["beta"]
    if row["model"] == "independent" or pd.isna(beta):
        return Model(row["model"])
    return Model(row["model"], float(beta))


def _sci(x: int) -> str:
    """10000000 → '10^7' style mathtext; other numbers with thousands separators."""
    e = int(np.floor(np.log10(x))) if x > 0 else 0
    m = x / 10**e
    if x >= 10_000 and abs(m - round(m)) < 1e-9:
        m = int(round(m))
        return rf"$10^{{{e}}}$" if m == 1 else rf"${m}\times10^{{{e}}}$"
    return f"{x:,}"


def _exact_curve(group: pd.DataFrame, what: str):
    # the models here are symmetric under H -> -H, so P(max) = P(min) where only min is given
    names = [what] + (["min"] if what == "max" else [])
    for name in names:
        if f"exact_log10_p_{name}" in group and group[f"exact_log10_p_{name}"].notna().any():
            return 10.0 ** group[f"exact_log10_p_{name}"].to_numpy(dtype=float)
        if f"exact_p_{name}" in group and group[f"exact_p_{name}"].notna().any():
            return group[f"exact_p_{name}"].to_numpy(dtype=float)
    return None


def plot_probability(df: pd.DataFrame, what: str = "min", ax=None):
    """P(``what``) against n for every model in ``df``, with the coin-flip curve.

    Parameters
    ----------
    df : DataFrame
        ``results.csv``: columns ``model, beta, n, samples, p_<what>,
        p_<what>_lo, p_<what>_hi, coinflip_p_<what>``, optionally ``exact_p_<what>``.
    what : {'min', 'max', 'saddle'}
    ax : matplotlib Axes, optional
        Draw into it; default a new column-width figure.

    Returns
    -------
    fig : matplotlib Figure
    """
    if what not in _YLABEL:
        raise ValueError(f"what must be one of {', '.join(_YLABEL)}, got {what!r}")
    with figure_style():
        if ax is None:
            fig, ax = new_figure()
        else:
            fig = ax.figure
        log = what != "saddle"
        keys = ["model", "beta"] + [k for k in ("phi", "eps") if k in df]
        groups = list(df.groupby(keys, dropna=False, sort=False))
        sample_sizes = sorted(df["samples"].unique())
        # dodge models sideways so error bars at the same n do not hide each other
        offsets = np.linspace(-0.12, 0.12, len(groups)) if len(groups) > 1 else [0.0]
        ns = np.sort(df["n"].unique())
        coin = df.drop_duplicates("n").sort_values("n")
        ax.plot(coin["n"], coin[f"coinflip_p_{what}"], color=PALETTE["coinflip"], lw=1.2,
                label=_SEED_LABEL[what], zorder=3)
        any_bound = False
        measured = []  # lower ends of every interval drawn, and the upper bounds: they set the y range
        below = []     # (label, n, exact value) where an exact curve leaves the measured range
        for (key, group), dx in zip(groups, offsets):
            group = group.sort_values("n")
            model = _model_of(group.iloc[0])
            color = PALETTE.get(model.name, PALETTE["extra"])
            marker = MARKERS.get(model.name, "o")
            label = model.label
            if len(sample_sizes) > 1:
                label += f", N={_sci(int(group['samples'].iloc[0]))}"
            x = group["n"].to_numpy(dtype=float) + dx
            p = group[f"p_{what}"].to_numpy(dtype=float)
            lo = group[f"p_{what}_lo"].to_numpy(dtype=float)
            hi = group[f"p_{what}_hi"].to_numpy(dtype=float)
            seen = p > 0 if log else np.ones_like(p, dtype=bool)
            ax.errorbar(x[seen], p[seen], yerr=[p[seen] - lo[seen], hi[seen] - p[seen]],
                        fmt=marker, color=color, ms=3.5, capsize=1.5, elinewidth=0.8,
                        label=label, zorder=4)
            if log:
                measured += list(lo[seen & (lo > 0)]) + list(p[seen]) + list(hi[~seen & (hi > 0)])
            if log and (~seen).any():
                any_bound = True
                ax.plot(x[~seen], hi[~seen], marker="v", ls="none", mfc="none", mec=color,
                        ms=4, zorder=4)
            exact = _exact_curve(group, what)
            # the independent model's exact law *is* the coin-flip line, drawn already;
            # a single exact point (n = 1) is not a curve
            if exact is not None and model.is_gaussian and np.isfinite(exact).sum() >= 2:
                ok = np.isfinite(exact)
                ax.plot(group["n"].to_numpy()[ok], exact[ok], ls="--", color=color, lw=1.0,
                        label=f"{model.label}, exact", zorder=2)
                if log:
                    below.append((model.label, int(group["n"].to_numpy()[ok][-1]), float(exact[ok][-1]), color))
        if any_bound:
            ax.plot([], [], marker="v", ls="none", mfc="none", mec="0.3", ms=4,
                    label="none seen: 95% upper bound")
        clipped = ""
        if log:
            ax.set_yscale("log")
            if measured:
                # the axis follows the measured points; exact curves that span tens of decades
                # more are clipped, and where they end is written at the bottom of the axes
                floor = min(measured) / 20.0
                ax.set_ylim(floor, 2.0 * max(max(measured), float(np.nanmax(coin[f"coinflip_p_{what}"]))))
                gone = [(lab, n, v) for lab, n, v, c in below if v < floor]
                if gone:
                    ends = sorted({n for _, n, _ in gone})
                    where = f"n = {ends[0]}" if len(ends) == 1 else "the largest n"
                    clipped = f"\nexact curves continue below the axis; at {where}:\n" + ", ".join(
                        f"{lab.split(' ')[0]} $10^{{{np.log10(v):.1f}}}$" + ("" if len(ends) == 1 else f" (n = {n})")
                        for lab, n, v in gone)
        else:
            ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("dimension $n$")
        ax.set_ylabel(_YLABEL[what])
        if len(ns) <= 20:
            ax.set_xticks(ns)
        n_text = (f"$N$ = {_sci(int(sample_sizes[0]))} draws per point; 95% Wilson intervals"
                  if len(sample_sizes) == 1 else "95% Wilson intervals") + clipped
        # below the axes: inside, it would hide the points it explains
        ax.legend(title=n_text, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
                  title_fontsize=6.5, fontsize=6.5, handlelength=1.6, columnspacing=1.0)
    return fig


def plot_p_min(df: pd.DataFrame, ax=None):
    """P(minimum) = P(index 0) against n on a log axis; see :func:`plot_probability`."""
    return plot_probability(df, "min", ax)


def plot_p_max(df: pd.DataFrame, ax=None):
    """P(maximum) = P(index n) against n on a log axis; see :func:`plot_probability`."""
    return plot_probability(df, "max", ax)


def plot_p_saddle(df: pd.DataFrame, ax=None):
    """P(saddle) against n on a linear axis; see :func:`plot_probability`."""
    return plot_probability(df, "saddle", ax)


def sweep_figures(df: pd.DataFrame, out: str | Path, *, title: str | None = None) -> list[Path]:
    """Write ``p_min``, ``p_max`` and ``p_saddle`` figures (PNG + PDF) into ``out``; return the paths.

    ``title`` is recorded in the PDF metadata (not drawn: captions belong to the paper).
    """
    out = Path(out)
    paths = []
    for what in ("min", "max", "saddle"):
        fig = plot_probability(df, what)
        if title:
            fig.set_label(title)
        paths += save_figure(fig, out / f"p_{what}")
    return paths
