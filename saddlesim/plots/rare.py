"""Figure of the rare-event experiment: P(min) against n, and the exponent θ_n.

Reads the tables written by :mod:`saddlesim.kinds.rare`; never simulates.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from saddlesim.plots.style import COLUMN_WIDTH, MARKERS, PALETTE, figure_style, new_figure
from saddlesim.theory.asymptotics import THETA as _THETA

__all__ = ["plot_rare_events"]

_LN10 = math.log(10.0)


def _label(model: str, beta: float) -> str:
    return f"{model.upper()} (β={beta:g})" if model in ("goe", "gue", "gse") else f"β={beta:g}"


def plot_rare_events(df: pd.DataFrame, fits: pd.DataFrame | None = None, *, fig=None):
    """Two panels: log10 P(min) against n, and θ_n = -ln P(min) / n² against n.

    Parameters
    ----------
    df : DataFrame
        ``results.csv`` of the rare experiment (columns ``model, beta, n,
        log10_p, log10_p_lo, log10_p_hi, log10_exact``).
    fits : DataFrame, optional
        ``fits.csv``; fitted θ with its interval is drawn at the right of
        panel (b), against β (ln 3)/4.
    fig : Figure, optional
        A figure with two axes to draw into.

    Returns
    -------
    Figure

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. Lett. 97 (2006) 160201.
    """
    with figure_style():
        if fig is None:
            fig, (ax1, ax2) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.78, layout="constrained")
        else:
            ax1, ax2 = fig.axes[:2]
        n_max = int(df["n"].max())
        grid = np.linspace(1, n_max, 200)
        ax1.plot(grid, -grid * math.log10(2), ls="--", color=PALETTE["coinflip"], lw=1.0,
                 label=r"coin flips $2^{-n}$")
        ax2.plot(grid, math.log(2) / grid, ls="--", color=PALETTE["coinflip"], lw=1.0)
        for (beta, model), part in df.groupby(["beta", "model"], sort=True):
            part = part.sort_values("n")
            colour = PALETTE.get(model, PALETTE["beta"])
            marker = MARKERS.get(model, "v")
            n = part["n"].to_numpy(float)
            y, lo, hi = (part[c].to_numpy(float) for c in ("log10_p", "log10_p_lo", "log10_p_hi"))
            exact = part["log10_exact"].to_numpy(float)
            # Dean-Majumdar leading order, in each β's colour.
            ax1.plot(grid, -beta * _THETA * grid**2 / _LN10, ls=":", color=colour, lw=1.0)
            ax2.axhline(beta * _THETA, ls=":", color=colour, lw=1.0)
            if np.isfinite(exact).any():
                ax1.plot(n, exact, "-", color=colour, lw=0.9, alpha=0.8)
                ax2.plot(n, -exact * _LN10 / n**2, "-", color=colour, lw=0.9, alpha=0.8)
            ax1.errorbar(n, y, yerr=[y - lo, hi - y], fmt=marker, color=colour, mfc="white",
                         mew=1.0, capsize=0, label=_label(model, beta) + ", rare-event estimate")
            th, th_lo, th_hi = (-v * _LN10 / n**2 for v in (y, hi, lo))
            ax2.errorbar(n, th, yerr=[th - th_lo, th_hi - th], fmt=marker, color=colour,
                         mfc="white", mew=1.0, capsize=1.5)
            if fits is not None:
                f = fits[(fits["beta"] == beta) & (fits["source"] == "estimate")]
                if len(f):
                    r = f.iloc[0]
                    err = [[r.theta - r.theta_lo], [r.theta_hi - r.theta]]
                    ax2.errorbar([n_max + 3], [r.theta], yerr=err, fmt=marker, color=colour, mfc=colour,
                                 ms=4, capsize=2)
        ax1.set_xlabel("dimension $n$")
        ax1.set_ylabel(r"$\log_{10} P(\mathrm{min})$")
        ax1.set_title("(a) probability that a critical point is a minimum", loc="left")
        # Legend entries for the line styles shared by every β.
        ax1.plot([], [], "-", color="0.3", lw=0.9, label="exact (β = 1, 2, 4)")
        ax1.plot([], [], ":", color="0.3", lw=1.0, label=r"Dean–Majumdar $-\beta\frac{\ln 3}{4}n^2$")
        ax1.legend(loc="lower left")
        ax1.set_xlim(0, n_max + 1)
        ax2.set_xlabel("dimension $n$")
        ax2.set_ylabel(r"$\theta_n = -\ln P(\mathrm{min})\,/\,n^2$")
        ax2.set_title(r"(b) exponent $\theta_n \to \beta\,(\ln 3)/4$", loc="left")
        ax2.set_xlim(0, n_max + 5)
        top = max(float(np.nanmax(-df["log10_p_lo"] * _LN10 / df["n"] ** 2)), df["beta"].max() * _THETA)
        ax2.set_ylim(0, 1.15 * top)
        if fits is not None and len(fits):
            ax2.axvline(n_max + 1.5, color="0.6", lw=0.5)
            ax2.annotate("fit", (n_max + 3, 0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                         textcoords="offset points", ha="center", va="bottom", fontsize=6, color="0.3")
            est = fits[fits["source"] == "estimate"].sort_values("beta")
            lines = [r"fit $\ln P = -\theta n^2 + an + c\ln n + b$, $n \geq %d$:" % est["n_min"].min()]
            lines += [
                rf"β={r.beta:g}: θ = {r.theta:.4f} [{r.theta_lo:.4f}, {r.theta_hi:.4f}];"
                rf" β (ln 3)/4 = {r.theta_dm:.4f}"
                for r in est.itertuples()
            ]
            # In the gap between the two largest β's limits, where no data sit.
            dm = sorted(df["beta"].unique() * _THETA)
            y_text = (0.5 * (dm[-1] + dm[-2]) / ax2.get_ylim()[1] + 0.02) if len(dm) > 1 else 0.9
            ax2.text(0.97, y_text, "\n".join(lines),
                     transform=ax2.transAxes, ha="right", va="center", fontsize=5.5, color="0.2")
    return fig
