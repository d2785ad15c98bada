"""Figures of the exact results: how fast P(min) really falls, against the coin-flip 2^-n.

Each function reads the table written by :mod:`saddlesim.kinds.exact`
(columns of :func:`saddlesim.theory.exact_table`) and returns a Figure; none
computes a probability.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from saddlesim.plots.style import PALETTE, figure_style, new_figure

__all__ = ["plot_theta", "plot_log10_p_min"]

_NAMES = {1: ("GOE", "goe"), 2: ("GUE", "gue"), 4: ("GSE", "gse")}
#: (ln 3)/4, Dean & Majumdar's exponent per unit beta (kept literal here so a
#: plot never imports the code that produced the numbers it checks).
_THETA = math.log(3.0) / 4.0
#: log10 of the smallest positive double (subnormal): below this a float is 0.
_LOG10_FLOAT_MIN = math.log10(5e-324)


def _axes(ax):
    if ax is None:
        return new_figure()
    return ax.figure, ax


def _betas(df: pd.DataFrame) -> list[int]:
    return sorted(int(b) for b in df["beta"].unique())


def plot_theta(df: pd.DataFrame, ax=None):
    """Exponent θ_n = -ln P(min) / n² against n, converging to β (ln 3)/4.

    Parameters
    ----------
    df : DataFrame
        Columns ``n``, ``beta``, ``log_p_min`` (natural log), one row per (β, n).
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : Figure

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. Lett. 97 (2006) 160201.
    """
    with figure_style():
        fig, ax = _axes(ax)
        n_all = np.sort(df["n"].unique())
        for b in _betas(df):
            name, key = _NAMES.get(b, (f"β={b}", "beta"))
            part = df[df["beta"] == b].sort_values("n")
            theta = -part["log_p_min"].to_numpy() / part["n"].to_numpy() ** 2
            ax.plot(part["n"], theta, "-", color=PALETTE[key], label=rf"{name} ($\beta={b}$) exact")
            ax.axhline(b * _THETA, ls="--", lw=0.9, color=PALETTE[key])
            # Value written under the right end of its asymptote, where the
            # exact curve (always above it) leaves room.
            coef = "" if b == 1 else f"{b}\\,"
            ax.annotate(rf"${coef}(\ln 3)/4 = {b * _THETA:.4f}$", (n_all[-1], b * _THETA),
                        xytext=(0, -3), textcoords="offset points", ha="right", va="top",
                        fontsize=6, color=PALETTE[key])
        ax.plot([], [], "--", lw=0.9, color=PALETTE["asymptote"],
                label=r"large-$n$ limit $\beta (\ln 3)/4$")
        ax.plot(n_all, math.log(2.0) / n_all, ":", color=PALETTE["coinflip"],
                label=r"coin flips $2^{-n}$: $\ln 2/n$")
        ax.set_xscale("log")
        ticks = [t for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if n_all[0] <= t <= n_all[-1]]
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.minorticks_off()
        ax.set_xlabel(r"dimension $n$")
        ax.set_ylabel(r"$\theta_n = -\ln P(\mathrm{min})\,/\,n^2$")
        # Headroom above the curves and the largest limit (each limit's value is written under its right
        # end) for a two-column legend: every lower region is crossed by a curve or a limit label.
        top = max(0.7, float(np.nanmax(-df["log_p_min"] / df["n"] ** 2)), max(_betas(df)) * _THETA)
        ax.set_ylim(0, 1.62 * top)
        ax.legend(loc="upper left", ncol=2, handlelength=1.8, fontsize=6, columnspacing=1.0, borderaxespad=0.3)
    return fig


def plot_log10_p_min(df: pd.DataFrame, ax=None):
    """log10 P(min) against n: the coin-flip 2^-n, and the exact GOE and GUE values.

    The coin-flip line falls linearly in n; the exact values fall like n², which
    is the claim failing. A dotted line marks where a double underflows to 0.

    Parameters
    ----------
    df : DataFrame
        Columns ``n``, ``beta``, ``log10_p_min``, ``log10_coinflip_p_min``.
    ax : matplotlib Axes, optional

    Returns
    -------
    fig : Figure
    """
    with figure_style():
        fig, ax = _axes(ax)
        coin = df.drop_duplicates("n").sort_values("n")
        ax.plot(coin["n"], coin["log10_coinflip_p_min"], "-", color=PALETTE["coinflip"],
                label=r"coin flips: $2^{-n}$")
        for b in _betas(df):
            name, key = _NAMES.get(b, (f"β={b}", "beta"))
            part = df[df["beta"] == b].sort_values("n")
            ax.plot(part["n"], part["log10_p_min"], "-", color=PALETTE[key],
                    label=rf"{name} ($\beta={b}$) exact")
        lowest = df["log10_p_min"].min()
        if lowest < _LOG10_FLOAT_MIN:
            ax.axhline(_LOG10_FLOAT_MIN, ls=":", lw=0.8, color=PALETTE["asymptote"])
            # Label at the right end, between the coin-flip line and the exact curves.
            ax.annotate(r"float64 underflow ($10^{-324}$)", (coin["n"].max(), _LOG10_FLOAT_MIN),
                        xytext=(0, 2), textcoords="offset points", fontsize=6,
                        color=PALETTE["asymptote"], ha="right", va="bottom")
        ax.set_xlabel(r"dimension $n$")
        ax.set_ylabel(r"$\log_{10} P(\mathrm{min})$")
        ax.legend(loc="lower left")
    return fig
