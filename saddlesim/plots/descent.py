"""Figures of the gradient-descent-near-saddles experiment, from its tables alone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.plots.style import PALETTE, figure_style, new_figure

__all__ = ["plot_raise_fraction", "plot_escape", "plot_plateau", "C_BINS"]

#: Bin edges of the local step ratio c_t = ε·λ_max(H(x_t)).
C_BINS = [0.0, 0.5, 1.0, 1.5, 1.8, 1.95, 2.05, 2.2, 2.5, 3.0, 4.0, 6.0, 10.0]
_STYLE = {"quadratic": (PALETTE["coinflip"], "s"), "pspin": (PALETTE["goe"], "o"), "mlp": (PALETTE["gue"], "^")}
_NAMES = {"quadratic": "GOE quadratic saddle", "pspin": "p-spin (sphere)", "mlp": "tanh network"}


def plot_raise_fraction(df: pd.DataFrame):
    """Fraction of gradient steps that raised the loss against c_t = ε·λ_max at the step, per landscape,
    beside the fraction the second-order condition ½ε²gᵀHg > εgᵀg predicts."""
    fig, ax = new_figure(aspect=0.8)
    with figure_style():
        d = df[(df["c_local"] > 0) & (df["c_local"] <= C_BINS[-1])].copy()
        d["bin"] = pd.cut(d["c_local"], C_BINS)
        for name, g in d.groupby("landscape", sort=False):
            color, marker = _STYLE.get(name, (PALETTE["extra"], "v"))
            agg = g.groupby("bin", observed=True).agg(c=("c_local", "mean"), raised=("raised", "mean"),
                                                      predicted=("predicted", "mean"), count=("raised", "size"))
            agg = agg[agg["count"] >= 10]  # fewer steps than this make a fraction mostly noise
            ax.plot(agg["c"], agg["raised"], marker=marker, color=color, ls="-", label=f"{_NAMES.get(name, name)}: measured")
            ax.plot(agg["c"], agg["predicted"], marker=marker, color=color, ls="--", mfc="none",
                    label="  second-order prediction")
        ax.axvline(2.0, color=PALETTE["asymptote"], ls=":", lw=1)
        ax.set_xlim(0, C_BINS[-1])
        ax.set_xlabel("ε·λ_max(H) at the step (binned)")
        ax.set_ylabel("fraction of steps that raise the loss")
        ax.set_ylim(-0.03, 1.03)
        ax.set_title("Gradient steps that raise the loss (the second-order argument)")
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.08), fontsize=5.5)
    return fig


def plot_escape(df: pd.DataFrame):
    """(a) steps to escape against ε|λ_min| with ⌈ln(r/δ)/ln(1+ε|λ_min|)⌉; (b) measured against the
    prediction that uses the perturbation's component along e_min; (c) steps against the index."""
    fig, (ax, bx, cx) = new_figure(1, 3, width=7.0, aspect=0.9)
    ok = df[df["steps"] >= 0]
    with figure_style():
        x = np.geomspace(max(ok["eps_abs_lam_min"].min() * 0.8, 1e-4), ok["eps_abs_lam_min"].max() * 1.2, 200)
        delta, r = float(df["delta"].iloc[0]), float(df["r"].iloc[0])
        ax.plot(x, np.ceil(np.log(r / delta) / np.log1p(x)), color=PALETTE["asymptote"],
                label="⌈ln(r/δ)/ln(1+ε|λ_min|)⌉")
        for name, g in ok.groupby("landscape", sort=False):
            color, marker = _STYLE.get(name, (PALETTE["extra"], "v"))
            ax.plot(g["eps_abs_lam_min"], g["steps"], marker, color=color, mfc="none", label=_NAMES.get(name, name))
            gp = g[g["predicted_projected"] > 0]
            bx.plot(gp["predicted_projected"], gp["steps"], marker, color=color, mfc="none", label=_NAMES.get(name, name))
            cx.plot(g["index"] / g["dim"], g["steps"], marker, color=color, mfc="none", label=_NAMES.get(name, name))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("ε|λ_min| at the saddle")
        ax.set_ylabel("steps to escape")
        ax.set_title(f"(a) escape δ = {delta:g} → r = {r:g} vs |λ_min|")
        ax.legend(loc="upper right", fontsize=5.5)
        lim = [max(1, ok["steps"].min() * 0.8), ok["steps"].max() * 1.2]
        bx.plot(lim, lim, color=PALETTE["asymptote"], lw=1, label="measured = predicted")
        bx.set_xscale("log")
        bx.set_yscale("log")
        bx.set_xlabel("predicted with δ·|⟨u, e_min⟩|")
        bx.set_ylabel("measured steps")
        bx.set_title("(b) linear prediction, projected start")
        cx.set_yscale("log")
        cx.set_xlabel("index / dimension of the saddle")
        cx.set_ylabel("measured steps")
        cx.set_title("(c) escape time vs index")
        fig.tight_layout()
    return fig


def plot_plateau(curve: pd.DataFrame, points: pd.DataFrame):
    """Loss of one gradient-descent training run of the tanh network (top), and along it the index and
    λ_min of the Hessian at the iterate and of the critical point Newton's method reached (bottom)."""
    fig, (ax, bx) = new_figure(2, 1, width=3.4, aspect=0.65, sharex=True)
    with figure_style():
        c = curve[curve["step"] >= 1]
        ax.plot(c["step"], c["loss"], color=PALETTE["goe"], label="training loss")
        found = points[points["newton_success"].astype(bool) & (points["step"] >= 1)]
        ax.plot(found["step"], found["critical_loss"], "o", color=PALETTE["gue"], mfc="none",
                label="loss of the critical point reached by Newton")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylabel("loss")
        ax.set_title("tanh network: plateaus of gradient descent")
        ax.legend(loc="lower left", fontsize=5.5)
        p = points[points["step"] >= 1]
        bx.plot(p["step"], p["index_here"], "s-", color=PALETTE["goe"], label="negative eigenvalues at the iterate")
        bx.plot(found["step"], found["critical_index"], "o", color=PALETTE["gue"], mfc="none",
                label="index of that critical point")
        bx.set_ylabel("index")
        bx.set_xlabel("gradient-descent step")
        tx = bx.twinx()
        tx.plot(p["step"], -p["lam_min_here"], "^:", color=PALETTE["gse"], label="|λ_min| at the iterate")
        tx.set_yscale("log")
        tx.set_ylabel("|λ_min| at the iterate")
        h1, l1 = bx.get_legend_handles_labels()
        h2, l2 = tx.get_legend_handles_labels()
        bx.legend(h1 + h2, l1 + l2, loc="upper right", fontsize=5.5)
        fig.tight_layout()
    return fig
