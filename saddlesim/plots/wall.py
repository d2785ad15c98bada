"""Figures of the exact-wall experiment: Dean–Majumdar's Φ₋ and the semicircle index fraction.

Read the tables of :mod:`saddlesim.kinds.exact_wall`; never compute a probability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.plots.style import COLUMN_WIDTH, MARKERS, PALETTE, figure_style, new_figure

__all__ = ["plot_rate_convergence", "plot_mean_index"]

_KEYS = {1: ("GOE", "goe"), 2: ("GUE", "gue"), 4: ("GSE", "gse")}


def plot_rate_convergence(rate: pd.DataFrame, fits: pd.DataFrame, *, fig=None):
    """Exact -ln P(λ_min > t)/(βn²) over Φ₋(ζ), against 1/n, at walls t = -ζ√(βn); one panel per β.

    Every curve must reach 1 at 1/n = 0 if Dean & Majumdar's Φ₋ is right:
    exact values (markers), the fitted ``Φ + a/n + c ln n/n² + b/n²`` over
    Φ₋ (line), and its intercept (filled marker at 1/n = 0).

    Parameters
    ----------
    rate : DataFrame
        ``rate.csv``: ``beta, zeta, n, f, phi_dm``.
    fits : DataFrame
        ``rate_fits.csv``: ``beta, zeta, phi_fit, a, c, b, phi_dm``.
    fig : Figure, optional

    Returns
    -------
    Figure

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. E 77 (2008) 041108.
    """
    betas = sorted(int(b) for b in rate["beta"].unique())
    zetas = sorted(rate["zeta"].unique())
    shades = dict(zip(zetas, np.linspace(1.0, 0.4, len(zetas))))
    with figure_style():
        if fig is None:
            fig, axes = new_figure(1, len(betas), width=COLUMN_WIDTH * len(betas), aspect=0.8,
                                   layout="constrained", squeeze=False)
            axes = axes[0]
        else:
            axes = fig.axes
        for ax, b in zip(axes, betas):
            name, key = _KEYS.get(b, (f"β={b}", "beta"))
            marker = MARKERS.get(key, "o")
            for z in zetas:
                part = rate[(rate["beta"] == b) & (rate["zeta"] == z)].sort_values("n")
                phi = float(part["phi_dm"].iloc[0])
                f = fits[(fits["beta"] == b) & (fits["zeta"] == z)]
                alpha = shades[z]
                inv = 1 / part["n"].to_numpy(float)
                label = rf"$\zeta={z:g}$, $\Phi_-={phi:.4g}$"
                ax.plot(inv, part["f"] / phi, marker, color=PALETTE[key], alpha=alpha, mfc="white", label=label)
                if len(f) and np.isfinite(f["phi_fit"].iloc[0]):
                    r = f.iloc[0]
                    grid = np.linspace(0, inv.max(), 101)[1:]
                    n = 1 / grid
                    curve = r.phi_fit + r.a / n + r.c * np.log(n) / n**2 + r.b / n**2
                    ax.plot(np.r_[0, grid], np.r_[r.phi_fit, curve] / phi, "-", lw=0.8, color=PALETTE[key],
                            alpha=alpha)
                    ax.plot([0], [r.phi_fit / phi], marker, color=PALETTE[key], alpha=alpha, ms=5)
            ax.axhline(1.0, color="black", lw=0.6, ls="--")
            ax.set_xlim(left=-0.004)
            ax.set_xlabel(r"$1/n$")
            ax.set_ylabel(r"$-\ln P(\lambda_{\min} > -\zeta\sqrt{\beta n})\,/\,(\beta n^2\,\Phi_-(\zeta))$")
            ax.set_title(rf"({'abc'[betas.index(b)]}) {name} ($\beta={b}$): exact, fit and intercept", loc="left")
            ax.legend(loc="best", fontsize=5.5)
    return fig


def plot_mean_index(index: pd.DataFrame, *, fig=None):
    """Mean index fraction of G + s·I against x = s/√(2βn): exact finite n and the semicircle.

    Top row: the fractions; bottom row: exact minus semicircle, which shrinks
    like 1/n for the GOE and much faster for the GUE.

    Parameters
    ----------
    index : DataFrame
        ``mean_index.csv``: ``beta, n, x, fraction_exact, fraction_semicircle``.
    fig : Figure, optional

    Returns
    -------
    Figure

    References
    ----------
    E. P. Wigner, Ann. Math. 67 (1958) 325-327; A. J. Bray and D. S. Dean,
    Phys. Rev. Lett. 98 (2007) 150201.
    """
    betas = sorted(int(b) for b in index["beta"].unique())
    ns = sorted(index["n"].unique())
    shades = dict(zip(ns, np.linspace(0.35, 1.0, len(ns))))
    with figure_style():
        if fig is None:
            fig, axes = new_figure(2, len(betas), width=COLUMN_WIDTH * len(betas), aspect=0.7,
                                   layout="constrained", squeeze=False, sharex=True,
                                   gridspec_kw={"height_ratios": [2, 1]})
        else:
            axes = np.asarray(fig.axes).reshape(2, -1)
        for col, b in enumerate(betas):
            ax, dax = axes[0][col], axes[1][col]
            name, key = _KEYS.get(b, (f"β={b}", "beta"))
            part = index[index["beta"] == b]
            sc = part.drop_duplicates("x").sort_values("x")
            ax.plot(sc["x"], sc["fraction_semicircle"], "-", lw=1.6, color=PALETTE["asymptote"],
                    label=r"semicircle $n\to\infty$")
            dax.axhline(0.0, lw=1.6, color=PALETTE["asymptote"])
            for n in ns:
                p = part[part["n"] == n].sort_values("x")
                style = dict(marker=MARKERS.get(key, "o"), ms=2.5, lw=0.8, color=PALETTE[key], alpha=shades[n])
                ax.plot(p["x"], p["fraction_exact"], "-", label=f"exact $n={n}$", **style)
                dax.plot(p["x"], p["fraction_exact"] - p["fraction_semicircle"], "-", **style)
            ax.set_ylabel("mean index fraction E[index]/n")
            ax.set_title(rf"({'abcd'[col]}) {name} ($\beta={b}$)", loc="left")
            ax.legend(loc="upper right", fontsize=6)
            dax.set_xlabel(r"scaled shift $x = s/\sqrt{2\beta n}$  ($H = G + sI$)")
            dax.set_ylabel("exact − semicircle")
    return fig
