"""Figures of the minimum-detection experiment, from ``metrics.csv`` alone.

Each figure states the prevalence of minima it was measured at (exact GOE
P(min)), because precision for a rare class means nothing without it.
"""

from __future__ import annotations

import pandas as pd

from saddlesim.plots.style import PALETTE, figure_style, new_figure

__all__ = ["plot_pr_minimum", "plot_f1_vs_noise", "plot_fd_step", "plot_pspin_noise", "plot_mlp_batch"]

_CYCLE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999"]


def _largest_n(df: pd.DataFrame) -> int:
    return int(df.loc[df["estimator"] == "noise", "n"].max())


def _prevalence(df: pd.DataFrame, n: int) -> str:
    lg = float(df.loc[df["n"] == n, "log10_p_min_exact"].iloc[0])
    p = f"{10.0**lg:.2e}" if lg > -300 else f"10^{lg:.1f}"  # the log survives where the float underflows
    return f"GOE n = {n}: P(min) = {p} (exact)"


def plot_pr_minimum(df: pd.DataFrame, n: int | None = None):
    """Precision against recall for the label "minimum" as the tolerance τ varies, one curve per σ.

    Points where precision is undefined (no point predicted a minimum) are left out, not drawn at 0.
    """
    n = _largest_n(df) if n is None else n
    part = df[(df["n"] == n) & (df["estimator"] == "noise")]
    fig, ax = new_figure()
    with figure_style():
        for color, (sigma, g) in zip(_CYCLE, part.groupby("level")):
            g = g.sort_values("tol")
            ok = g["precision_minimum"].notna() & g["recall_minimum"].notna()
            ax.plot(g.loc[ok, "recall_minimum"], g.loc[ok, "precision_minimum"], "o-", color=color,
                    label=f"σ = {sigma:g}")
        prev = float(part["p_min_exact"].iloc[0])
        ax.axhline(prev, color=PALETTE["asymptote"], ls=":", label="prevalence (chance precision)")
        ax.set_xlabel("recall of 'minimum'")
        ax.set_ylabel("precision of 'minimum'")
        ax.set_yscale("log")
        ax.set_xlim(-0.02, 1.02)
        ax.set_title(f"Minimum detection from noisy Hessians, τ varied\n{_prevalence(df, n)}")
        ax.legend(loc="lower left", ncols=2)
    return fig


def plot_f1_vs_noise(df: pd.DataFrame, n: int | None = None):
    """(a) F1 of 'minimum', macro-F1 and accuracy against σ at τ = 0 and at the F1-optimal τ, with the
    always-saddle baseline; (b) the F1-optimal τ against σ."""
    n = _largest_n(df) if n is None else n
    part = df[(df["n"] == n) & (df["estimator"] == "noise")]
    fig, (ax, bx) = new_figure(1, 2, width=6.8, aspect=0.7)
    with figure_style():
        zero = part[part["tol"] == 0].sort_values("level")
        # ties in F1 (common at small σ) go to the smallest τ
        best = (
            part.dropna(subset=["f1_minimum"])
            .sort_values(["level", "f1_minimum", "tol"], ascending=[True, False, True])
            .groupby("level")
            .head(1)
        )
        positive = zero.loc[zero["level"] > 0, "level"]
        lin = float(positive.min()) if len(positive) else 1e-2  # σ = 0 sits on the linear part
        x0 = zero["level"]
        ax.plot(x0, zero["f1_minimum"], "o-", color=PALETTE["goe"], label="F1(minimum), τ = 0")
        ax.plot(best["level"], best["f1_minimum"], "s--", color=PALETTE["goe"], label="F1(minimum), best τ")
        ax.plot(x0, zero["macro_f1"], "^-", color=PALETTE["gse"], label="macro-F1, τ = 0")
        ax.plot(x0, zero["accuracy"], "v-", color=PALETTE["gue"], label="accuracy, τ = 0")
        ax.axhline(float(zero["baseline_accuracy"].iloc[0]), color=PALETTE["coinflip"], ls=":",
                   label="always 'saddle': accuracy")
        ax.axhline(float(zero["baseline_macro_f1"].iloc[0]), color=PALETTE["asymptote"], ls=":",
                   label="always 'saddle': macro-F1")
        ax.set_xscale("symlog", linthresh=lin)
        ax.set_xlim(left=-0.1 * lin)
        ax.set_xlabel("relative Hessian noise σ")
        ax.set_ylabel("score")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(f"(a) {_prevalence(df, n)}")
        ax.legend(loc="lower left", fontsize=6)
        bx.plot(best["level"], best["tol"], "o-", color=PALETTE["goe"])
        bx.set_xscale("symlog", linthresh=lin)
        bx.set_xlim(left=-0.1 * lin)
        bx.set_yscale("symlog", linthresh=1e-3)
        bx.set_xlabel("relative Hessian noise σ")
        bx.set_ylabel("F1-optimal relative tolerance τ")
        bx.set_title("(b) best degeneracy tolerance for 'minimum'")
        fig.tight_layout()
    return fig


def plot_fd_step(df: pd.DataFrame):
    """F1 of 'minimum' and accuracy against the finite-difference step h at τ = 0, one line per n."""
    part = df[(df["estimator"] == "fd") & (df["tol"] == 0)]
    fig, ax = new_figure()
    with figure_style():
        for color, (n, g) in zip(_CYCLE, part.groupby("n")):
            g = g.sort_values("level")
            p = float(g["p_min_exact"].iloc[0])
            ax.plot(g["level"], g["f1_minimum"], "o-", color=color, label=f"F1(minimum), n = {n} (P(min) = {p:.1e})")
            ax.plot(g["level"], g["accuracy"], "s:", color=color, label=f"accuracy, n = {n}")
        ax.set_xscale("log")
        ax.set_xlabel("finite-difference step h (loss offset f₀ = 1)")
        ax.set_ylabel("score")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title("Finite-difference Hessians: rounding (small h) vs truncation (large h)")
        ax.legend(loc="lower center", fontsize=6)
    return fig


def plot_pspin_noise(df: pd.DataFrame):
    """Scores against σ at τ = 0 for labels of noisy Hessians at p-spin critical points (exact truth from
    the Riemannian Hessian), with the always-saddle baseline and the observed prevalence of minima."""
    part = df[(df["estimator"] == "pspin-noise") & (df["tol"] == 0)].sort_values("level")
    fig, ax = new_figure()
    with figure_style():
        if part.empty:
            ax.text(0.5, 0.5, "no p-spin rows in this run", ha="center", transform=ax.transAxes)
            return fig
        x = part["level"]
        ax.plot(x, part["f1_minimum"], "o-", color=PALETTE["goe"], label="F1(minimum)")
        ax.plot(x, part["macro_f1"], "^-", color=PALETTE["gse"], label="macro-F1")
        ax.plot(x, part["accuracy"], "v-", color=PALETTE["gue"], label="accuracy")
        ax.axhline(float(part["baseline_accuracy"].iloc[0]), color=PALETTE["coinflip"], ls=":", label="always 'saddle': accuracy")
        ax.axhline(float(part["baseline_macro_f1"].iloc[0]), color=PALETTE["asymptote"], ls=":", label="always 'saddle': macro-F1")
        positive = x[x > 0]
        lin = float(positive.min()) if len(positive) else 1e-2
        ax.set_xscale("symlog", linthresh=lin)
        ax.set_xlim(left=-0.1 * lin)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("relative Hessian noise σ")
        ax.set_ylabel("score")
        n, total, prev = int(part["n"].iloc[0]), int(part["samples"].iloc[0]), float(part["prevalence_min"].iloc[0])
        k = round(prev * total)
        ax.set_title(f"p-spin critical points ({total}, sphere dim {n}):\n"
                     f"observed P(min) = {prev:.3f} ({k} minim{'um' if k == 1 else 'a'})")
        ax.legend(loc="lower left", fontsize=6)
    return fig


def plot_mlp_batch(df: pd.DataFrame, m: int | None = None):
    """(a) F1 of 'minimum' and (b) macro-F1 against the minibatch size b at tanh-network critical points,
    at τ = 0 and at the τ that maximises each score per b, with the always-saddle baseline; the observed
    prevalence of each class at the true points is in the title.

    ``m`` (the network's data rows) labels the largest b as the full batch; default: the largest level.
    """
    part = df[df["estimator"] == "mlp-batch"].sort_values(["level", "tol"])
    fig, (ax, bx) = new_figure(1, 2, width=6.8, aspect=0.7)
    with figure_style():
        if part.empty:
            ax.text(0.5, 0.5, "no tanh-network rows in this run", ha="center", transform=ax.transAxes)
            return fig
        m = int(part["level"].max()) if m is None else int(m)
        n = int(part["n"].iloc[0])
        zero = part[part["tol"] == 0]
        for axis, col, name in ((ax, "f1_minimum", "F1(minimum)"), (bx, "macro_f1", "macro-F1")):
            # ties go to the smallest τ; undefined scores (no point of the class predicted) are left out
            best = (part.dropna(subset=[col]).sort_values(["level", col, "tol"], ascending=[True, False, True])
                    .groupby("level").head(1))
            axis.plot(zero["level"], zero[col], "o-", color=PALETTE["goe"], label=f"{name}, τ = 0")
            axis.plot(best["level"], best[col], "s--", color=PALETTE["gse"], label=f"{name}, best τ per b")
            if col == "macro_f1":
                axis.axhline(float(part["baseline_macro_f1"].iloc[0]), color=PALETTE["asymptote"], ls=":",
                             label="always 'saddle': macro-F1")
            axis.axvline(n, color=PALETTE["coinflip"], lw=0.8, ls="-.", label=f"b = {n} parameters")
            axis.set_xscale("log", base=2)
            levels = sorted(part["level"].unique())
            axis.set_xticks(levels, [f"{b:g}" if b != m else f"{b:g}\n(full)" for b in levels])
            axis.minorticks_off()
            axis.set_xlabel("minibatch size b (data rows)")
            axis.set_ylabel(name)
            axis.set_ylim(-0.02, 1.02)
        total = int(part["samples"].iloc[0])
        cols = {"minimum": "prevalence_min", "saddle": "prevalence_saddle", "maximum": "prevalence_maximum",
                "degenerate": "prevalence_degenerate"}
        prev = ", ".join(f"{c} {float(part[k].iloc[0]):.3f}" for c, k in cols.items() if k in part)
        ax.set_title("(a) 'minimum' (always 'saddle': F1 undefined)", fontsize=7)
        bx.set_title("(b) all four classes", fontsize=7)
        ax.legend(loc="center right", fontsize=6)
        bx.set_ylim(-0.02, 1.25)  # room for the legend above the curves
        bx.legend(loc="upper center", ncols=2, fontsize=6)
        fig.suptitle(f"Tanh-network critical points ({n} parameters, m = {m} rows; {total} labels = points × minibatches): "
                     f"minibatch Hessians\nprevalence at the true points: {prev}", fontsize=8)
        fig.tight_layout()
    return fig
