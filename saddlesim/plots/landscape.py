"""Figures of the landscape experiments, from their tables only (never simulates).

References
----------
Auffinger, Ben Arous & Černý (2013), arXiv:1003.1129 (p-spin counts, E_∞, E₀).
Frye et al. (2019), arXiv:1901.10603 (autoencoder critical points).
Dauphin et al. (2014), arXiv:1406.2572, Fig. 1; Pennington & Bahri (2017), ICML (index vs loss).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.plots.style import COLUMN_WIDTH, PALETTE, figure_style, new_figure

__all__ = ["plot_pspin_counts", "plot_pspin_energy_index", "plot_pspin_pmin", "plot_autoencoder",
           "plot_mlp_index_vs_loss", "plot_index_summary", "plot_autoencoder_cutoffs"]


# one colour per N, Okabe & Ito without the pale yellow, strongest last (the largest N have the
# fewest instances and the widest intervals); beyond eight N the markers change too
_N_COLOURS = ["#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#999999", "#0072B2", "#D55E00", "#000000"]
_N_MARKERS = ["o", "s", "^", "D", "v"]


def _instance_totals(points: pd.DataFrame) -> pd.DataFrame:
    """Per N: mean critical points per instance and its 95 % t-interval half-width (from ``points.csv``)."""
    from scipy.stats import t as student_t

    per = points.groupby(["N", "instance"]).size().groupby("N")
    out = per.agg(["mean", "std", "count"])
    dof = np.maximum(out["count"] - 1, 1)
    out["half"] = np.where(out["count"] > 1, student_t.ppf(0.975, dof) * out["std"] / np.sqrt(out["count"]), np.nan)
    return out


def plot_pspin_counts(counts: pd.DataFrame, saturation: pd.DataFrame, fig=None, *, points: pd.DataFrame | None = None):
    """(a) Mean count per index against E Crt_{N,k}; right: found/exact as the starts double.

    With ``points`` (``points.csv``: one row per critical point, columns
    ``N, instance``), the right panel's last point for each N carries the 95 %
    t-interval over instances: the exact count is a mean over instances, so
    found/exact above 1 is instance spread, not points found twice.
    """
    with figure_style():
        if fig is None:
            fig, (ax, bx) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.6, layout="constrained")
        else:
            ax, bx = fig.axes[:2]
        Ns = sorted(counts["N"].unique())
        colors = {N: _N_COLOURS[i % len(_N_COLOURS)] for i, N in enumerate(Ns)}
        markers = {N: _N_MARKERS[(i // len(_N_COLOURS)) % len(_N_MARKERS)] for i, N in enumerate(Ns)}
        for N, g in counts.groupby("N"):
            c = colors[N]
            ax.plot(g["index"], g["theory_mean"], "-", color=c, lw=0.9)
            err = np.vstack([g["mean_count"] - g["mean_count_lo"], g["mean_count_hi"] - g["mean_count"]])
            ax.errorbar(g["index"], g["mean_count"], yerr=np.nan_to_num(err), fmt=markers[N], color=c, ms=3,
                        capsize=1.5, label=f"N = {N}")
        ax.set_yscale("log")
        ax.set_xlabel("index k")
        ax.set_ylabel("mean number of critical points")
        ax.set_title("found (points, 95% CI) vs exact Kac–Rice (lines)")
        ax.set_ylim(top=ax.get_ylim()[1] * 6)
        ax.legend(ncol=4, fontsize=5.5, loc="upper center")
        spread = _instance_totals(points) if points is not None and len(points) else None
        for N, g in saturation.groupby("N"):
            # colours as in the left panel, whose legend names them
            g = g.sort_values("starts")
            c, m = colors.get(N), markers.get(N, "o")
            bx.plot(g["starts"], g["fraction"], "-", marker=m, ms=3, color=c)
            if spread is not None and N in spread.index and np.isfinite(spread.at[N, "half"]):
                last = g.iloc[-1]
                half = spread.at[N, "half"] / last["theory_total"]
                bx.errorbar([last["starts"]], [last["fraction"]], yerr=[[half], [half]], fmt="none", ecolor=c,
                            elinewidth=0.9, capsize=2)
        bx.axhline(1.0, color=PALETTE["coinflip"], lw=0.8, label="found = exact mean")
        bx.axhline(0.97, color=PALETTE["asymptote"], lw=0.8, ls="--", label="97 %")
        bx.set_xscale("log", base=2)
        bx.set_xlabel("starts per instance")
        bx.set_ylabel("found / exact (all indices)")
        bx.set_title("saturation as the starts double")
        if spread is not None:
            bx.errorbar([], [], yerr=[], fmt="none", ecolor="0.3", elinewidth=0.9, capsize=2,
                        label="95% interval over\ninstances: above 1 =\ninstances holding more\npoints than the\nexact mean")
        # beside the panel: inside, it would cover the curves it explains
        bx.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=5.5)
    return fig


def plot_pspin_energy_index(points: pd.DataFrame, p: int, fig=None):
    """(b) Index against energy per spin for every point found, with −E₀ and ±E_∞."""
    from saddlesim.theory.pspin import pspin_e0, pspin_e_inf

    with figure_style():
        if fig is None:
            fig, ax = new_figure()
        else:
            ax = fig.axes[0]
        Ns = sorted(points["N"].unique())
        for i, N in enumerate(Ns):
            g = points[points["N"] == N]
            # index / (N - 1): every N on one scale
            ax.scatter(g["energy"], g["index"] / max(N - 1, 1), s=3, alpha=0.5, label=f"N = {N}",
                       color=[PALETTE["goe"], PALETTE["gue"], PALETTE["gse"], PALETTE["beta"],
                              PALETTE["independent"], PALETTE["extra"]][i % 6])
        e_inf = pspin_e_inf(p)
        ax.axvline(-e_inf, color=PALETTE["asymptote"], ls="--", lw=0.8, label=r"$\pm E_\infty$")
        ax.axvline(e_inf, color=PALETTE["asymptote"], ls="--", lw=0.8)
        if p >= 3:
            ax.axvline(-pspin_e0(p), color=PALETTE["coinflip"], ls=":", lw=0.8, label=r"$-E_0$")
        ax.set_xlabel("energy per spin u = H/N")
        ax.set_ylabel("index / (N − 1)")
        ax.set_title(f"p-spin, p = {p}: index against energy")
        ax.legend(markerscale=2, fontsize=6)
    return fig


def plot_pspin_pmin(pmin: pd.DataFrame, fig=None):
    """(c) P(min) against N: exact, enumerated, the coin-flip 2^-(N-1), GOE at dimension N − 1."""
    with figure_style():
        if fig is None:
            fig, ax = new_figure()
        else:
            ax = fig.axes[0]
        ax.plot(pmin["N"], pmin["exact"], "-", color=PALETTE["goe"], label="p-spin exact (Kac–Rice)")
        ax.plot(pmin["N"], pmin["enumerated"], "o", color=PALETTE["goe"], label="p-spin enumerated")
        ax.plot(pmin["N"], pmin["coinflip"], "--", color=PALETTE["coinflip"], label=r"coin-flip claim $2^{-(N-1)}$")
        ax.plot(pmin["N"], pmin["goe"], "-.", color=PALETTE["gue"], label="GOE P(min), n = N − 1")
        ax.set_yscale("log")
        ax.set_xticks(pmin["N"])
        ax.set_xlabel("number of spins N")
        ax.set_ylabel("P(min) = minima / critical points")
        ax.legend()
    return fig


def plot_autoencoder(classes: pd.DataFrame, points: pd.DataFrame, rejected: pd.DataFrame,
                     recovery: pd.DataFrame, fig=None):
    """Recovered (loss, index) against the exact set; rejected gradient-flat points in their own panel."""
    with figure_style():
        if fig is None:
            fig, (ax, bx) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.55, sharey=True, layout="constrained")
        else:
            ax, bx = fig.axes[:2]
        miss = classes[~classes["recovered"]]
        hit = classes[classes["recovered"]]
        # recovered first, the missing ones on top in a contrasting marker: they are the point of the panel
        ax.scatter(hit["loss"], hit["index"], s=5, color=PALETTE["goe"], alpha=0.5, lw=0,
                   label=f"exact class, recovered ({len(hit)})", zorder=2)
        ax.scatter(miss["loss"], miss["index"], s=9, marker="x", color=PALETTE["gue"], lw=0.7,
                   label=f"exact class, not recovered ({len(miss)})", zorder=3)
        off = points[~points["matches_exact"]]
        if len(off):
            ax.scatter(off["loss"], off["index"], s=12, marker="+", color=PALETTE["coinflip"], label="accepted, off the set",
                       zorder=4)
        r = recovery.iloc[0]
        ax.set_title(f"k = {int(r['k'])}, p = {int(r['width'])}: {int(r['recovered'])} of {int(r['classes'])} "
                     f"classes ({100 * r['fraction']:.1f} %)")
        ax.set_xlabel("loss")
        ax.set_ylabel("index")
        ax.legend(fontsize=6)
        if len(rejected):
            sc = bx.scatter(rejected["loss"], rejected["index"], s=5, c=np.log10(rejected["grad_norm2"]),
                            cmap="viridis")
            fig.colorbar(sc, ax=bx, label=r"$\log_{10}|\nabla L|^2$")
        bx.set_title(f"rejected end points ({len(rejected)}), |∇L|² > 1e-10: gradient-flat")
        bx.set_xlabel("loss")
    return fig


def plot_mlp_index_vs_loss(points: pd.DataFrame, bins: pd.DataFrame, fit: dict, fig=None):
    """Index fraction against ε = c·L/g (Dauphin et al. 2014, Fig. 1) with Wishart + Wigner α and 3/2 laws.

    The x axis is the loss in Pennington–Bahri units: L divided by the mean
    eigenvalue g of the Gauss–Newton part at each point, times the one fitted
    constant c (``fit["c"]``). Drawn from ``points.csv``, ``bins.csv`` and
    ``fit.json`` alone.

    References
    ----------
    Dauphin et al. (2014), arXiv:1406.2572, Fig. 1; Pennington & Bahri (2017), ICML, Figs. 3–4.
    """
    from saddlesim.theory.wishart_wigner import ww_alpha

    c, phi = float(fit["c"]), float(fit["phi"])
    with figure_style():
        if fig is None:
            fig, ax = new_figure()
        else:
            ax = fig.axes[0]
        eps_pts = c * points["eps_loss"]
        ax.scatter(eps_pts, points["index_fraction"], s=3, alpha=0.4, color=PALETTE["asymptote"],
                   label="critical points")
        ax.errorbar(bins["eps"], bins["alpha"], yerr=2 * bins["se"], fmt="o", color=PALETTE["goe"], ms=3,
                    capsize=1.5, label="binned mean ± 2 SE")
        if len(points):
            x = np.linspace(max(float(eps_pts.min()), 1e-6), float(eps_pts.max()), 120)
            ax.plot(x, [ww_alpha(float(e), phi) for e in x], "-", color=PALETTE["gue"],
                    label=f"Wishart+Wigner α(ε, φ = {phi:.2f})")
            ec = float(fit.get("eps_c_theory", 0.0))
            if phi < 1 and ec > 0:
                ax.axvline(ec, color=PALETTE["gue"], lw=0.6, ls=":", label=f"$ε_c(φ)$ = {ec:.3g}")
                a0 = fit.get("alpha0_at_eps_c", np.nan)
                if np.isfinite(a0):
                    ax.plot(x, a0 * np.maximum(0.0, (x - ec) / ec) ** 1.5, "--", color=PALETTE["coinflip"],
                            label=f"3/2 law at $ε_c$ (effective fit, all bins), $α_0$ = {a0:.3g}")
                if not fit.get("fit_degenerate", True):
                    xc, a1 = fit["eps_c_fit"], fit["alpha0_fit"]
                    ax.plot(x, a1 * np.maximum(0.0, (x - xc) / xc) ** 1.5, "-.", color=PALETTE["asymptote"],
                            label=f"free 3/2 fit, $ε_c$ = {xc:.3g}")
        rms = fit.get("rms_alpha_residual")
        if rms is not None and np.isfinite(rms):
            # the finding of the figure, in the figure: the bins follow neither theory line
            ax.text(0.98, 0.62, f"data follow neither line:\nbinned α misses α(ε) by {rms:.2g} rms\n"
                    f"({len(bins)} bins, {len(points)} points, n = {fit.get('params', '?')})",
                    transform=ax.transAxes, ha="right", va="top", fontsize=6,
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.6", lw=0.5))
        ax.set_xlabel(f"ε = c·L / g   (g: mean Gauss–Newton eigenvalue, c = {c:.3g})")
        ax.set_ylabel("index fraction α")
        ax.set_ylim(-0.02, 0.6)
        ax.legend(fontsize=6)
    return fig


def plot_index_summary(summary: pd.DataFrame, title: str = "", fig=None):
    """Mean number of critical points per index over instances, with the 95 % interval.

    The figure of a ``saddlesim landscape`` run (its ``summary.csv``), with the
    theory's mean counts where the loss has them (p-spin: Auffinger, Ben Arous
    & Černý 2013).
    """
    with figure_style():
        if fig is None:
            fig, ax = new_figure()
        else:
            ax = fig.axes[0]
        k = summary["index"].to_numpy()
        mean = summary["mean_count"].to_numpy(dtype=float)
        lo = summary["mean_count_lo"].to_numpy(dtype=float)
        hi = summary["mean_count_hi"].to_numpy(dtype=float)
        has_ci = np.isfinite(lo) & np.isfinite(hi)
        ax.bar(k, mean, width=0.7, color=PALETTE["goe"], alpha=0.6, label="found, mean per instance")
        if has_ci.any():
            ax.errorbar(k[has_ci], mean[has_ci], yerr=[mean[has_ci] - lo[has_ci], hi[has_ci] - mean[has_ci]],
                        fmt="none", ecolor="black", elinewidth=0.8, capsize=2, label="95 % t-interval")
        theory = summary["theory_mean"].to_numpy(dtype=float)
        if np.isfinite(theory).any():
            ax.plot(k, theory, "o", mfc="none", color=PALETTE["coinflip"], label="theory mean")
        ax.set_xlabel("index (number of negative Hessian eigenvalues)")
        ax.set_ylabel("critical points per instance")
        if title:
            ax.set_title(title)
        top = np.nanmax(np.concatenate([hi[has_ci], mean, theory[np.isfinite(theory)], [1.0]]))
        ax.set_ylim(0, 1.45 * top)  # headroom so the legend never covers a bar
        ax.set_xticks(k)
        ax.legend(loc="upper left", ncols=2)
    return fig


def plot_autoencoder_cutoffs(classes: pd.DataFrame, points: pd.DataFrame, rejected: pd.DataFrame,
                             cutoffs: pd.DataFrame, fig=None):
    """Loss against index of the end points each |∇L|² cutoff keeps, over the exact classes.

    One panel per cutoff of ``cutoffs.csv`` (1e-10, 1e-6, none; Frye et al.
    2019, Fig. 2): the exact classes in grey, the kept end points in colour,
    and the least-squares quadratic of each (exact: dashed).
    """
    ends = pd.concat([points[["loss", "index", "grad_norm2"]], rejected[["loss", "index", "grad_norm2"]]],
                     ignore_index=True)
    rows = cutoffs.set_index(cutoffs["cutoff"].astype(str))
    panels = [c for c in rows.index if c != "exact"]
    with figure_style():
        if fig is None:
            fig, axes = new_figure(1, len(panels), width=2 * COLUMN_WIDTH, aspect=0.85, sharey=True,
                                   layout="constrained")
        else:
            axes = fig.axes[:len(panels)]
        axes = np.atleast_1d(axes)
        grid = np.linspace(0, float(classes["index"].max()), 100)
        ex = rows.loc["exact"]
        for ax, c in zip(axes, panels):
            limit = np.inf if c == "none" else float(c)
            kept = ends[ends["grad_norm2"] <= limit]
            ax.scatter(classes["index"], classes["loss"], s=4, color=PALETTE["asymptote"], alpha=0.35,
                       label="exact classes")
            tight = kept["grad_norm2"] <= 1e-10
            ax.scatter(kept["index"][tight], kept["loss"][tight], s=4, color=PALETTE["goe"],
                       label="kept, |∇L|² ≤ 1e-10")
            if (~tight).any():
                ax.scatter(kept["index"][~tight], kept["loss"][~tight], s=5, color=PALETTE["gue"], marker="^",
                           label="kept, |∇L|² > 1e-10")
            r = rows.loc[c]
            for row, style, who in ((ex, "--", "exact fit"), (r, "-", "fit to kept points")):
                if np.isfinite(row["curvature"]):
                    ax.plot(grid, row["intercept"] + row["slope"] * grid + row["curvature"] * grid**2, style,
                            color=PALETTE["independent"] if style == "-" else "k", lw=0.9, label=who)
            name = "no cutoff" if c == "none" else f"|∇L|² ≤ {c}"
            ax.set_title(f"{name}\n{int(r['points'])} end points, {int(r['off_exact'])} off the exact set", fontsize=7)
            ax.set_xlabel("index")
        axes[0].set_ylabel("loss")
        handles = {h.get_label(): h for ax in axes for h in ax.get_legend_handles_labels()[0]}
        axes[0].legend(handles.values(), handles.keys(), fontsize=6, loc="upper left", markerscale=2)
    return fig
