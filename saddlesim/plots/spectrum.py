"""Figures of Hessian spectra from SLQ or dense eigenvalues, from their tables only.

The density is drawn as Gaussian-broadened quadrature nodes (Ghorbani,
Krishnan & Xiao 2019, ICML, §3: each Gauss node spread by a kernel of width
σ), on a logarithmic axis so the outliers and the bulk show together.

References
----------
Ghorbani, Krishnan & Xiao (2019), An investigation into neural net optimization
via Hessian eigenvalue density, ICML, arXiv:1901.10159.
Papyan (2020), Traces of class/cross-class structure pervade deep learning
spectra, JMLR 21(252), arXiv:2008.11865 (outliers ≈ number of classes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.plots.style import COLUMN_WIDTH, PALETTE, figure_style, new_figure

__all__ = ["broadened_density", "plot_density", "plot_training_densities", "plot_index_along_training",
           "plot_outliers", "plot_checks"]


def broadened_density(nodes, weights, grid, width: float) -> np.ndarray:
    """Σ_k w_k N(t; θ_k, width²) / Σ_k w_k on ``grid`` (shape (g,)): a probability density."""
    nodes, weights, grid = (np.asarray(a, dtype=float) for a in (nodes, weights, grid))
    z = (grid[:, None] - nodes[None, :]) / width
    return (np.exp(-0.5 * z**2) @ weights) / (np.sqrt(2 * np.pi) * width * weights.sum())


def plot_density(density: pd.DataFrame, *, tol: float | None = None, title: str | None = None,
                 by: str | None = None, ax=None):
    """Spectral density (columns ``node``, ``weight``; optionally one curve per value of ``by``).

    Returns the Figure (a new one unless ``ax`` is given).
    """
    with figure_style():
        if ax is None:
            fig, ax = new_figure(width=COLUMN_WIDTH, aspect=0.7, layout="constrained")
        else:
            fig = ax.figure
        lo, hi = float(density["node"].min()), float(density["node"].max())
        span = max(hi - lo, 1e-300)
        pad = 0.05 * span
        grid = np.linspace(lo - pad, hi + pad, 2000)
        width = span / 400
        groups = [(None, density)] if by is None else list(density.groupby(by))
        import matplotlib

        cmap = matplotlib.colormaps["viridis"]
        for i, (key, g) in enumerate(groups):
            color = PALETTE["goe"] if by is None else cmap(0.9 * i / max(len(groups) - 1, 1))
            rho = broadened_density(g["node"], g["weight"], grid, width)
            ax.plot(grid, np.maximum(rho, 1e-12), color=color, lw=0.9,
                    label=None if by is None else f"{by} {key}")
        if tol is not None and tol > 0:
            ax.axvline(-tol, color=PALETTE["asymptote"], lw=0.7, ls="--", label="±τ (null band)")
            ax.axvline(tol, color=PALETTE["asymptote"], lw=0.7, ls="--")
        ax.set_yscale("log")
        ax.set_ylim(bottom=max(1e-8, ax.get_ylim()[0]))
        ax.set_xlabel("Hessian eigenvalue λ")
        ax.set_ylabel("spectral density (Gaussian-broadened)")
        if title:
            ax.set_title(title)
        ax.legend(loc="upper right")
    return fig


def _step_colors(steps):
    import matplotlib

    cmap = matplotlib.colormaps["viridis"]
    steps = sorted(steps)
    return {s: cmap(0.9 * i / max(len(steps) - 1, 1)) for i, s in enumerate(steps)}


def _net_label(points, net) -> str:
    row = points[points["network"] == net].iloc[0]
    return f"{net} network, 64-{row['hidden']}-10, n = {int(row['n'])}"


def plot_training_densities(density: pd.DataFrame, points: pd.DataFrame):
    """One panel per network: the SLQ density at each checkpoint (Gaussian-broadened, log scale)."""
    nets = list(dict.fromkeys(density["network"]))
    with figure_style():
        fig, axes = new_figure(1, len(nets), width=COLUMN_WIDTH * len(nets), aspect=0.65 * len(nets) / max(len(nets), 1),
                               layout="constrained", squeeze=False)
        for ax, net in zip(axes[0], nets):
            d = density[density["network"] == net]
            colors = _step_colors(d["step"].unique())
            lo, hi = float(d["node"].min()), float(d["node"].max())
            grid = np.linspace(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo), 2000)
            for step, g in d.groupby("step"):
                rho = broadened_density(g["node"], g["weight"], grid, (hi - lo) / 400)
                ax.plot(grid, np.maximum(rho, 1e-10), color=colors[step], lw=0.9, label=f"step {step}")
            ax.set_yscale("log")
            ax.set_ylim(1e-6, None)
            ax.set_xlabel("Hessian eigenvalue λ")
            ax.set_ylabel("density (SLQ, broadened)")
            ax.set_title(_net_label(points, net))
            ax.legend(loc="upper right")
    return fig


def plot_index_along_training(points: pd.DataFrame):
    """Negative mass #{λ < −τ}/n with its 95 % interval along training, against the coin-flip ½; and |∇L|."""
    with figure_style():
        fig, (ax, bx) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.45, layout="constrained")
        markers = ["o", "s", "^", "D"]
        for i, ((net, tau), g) in enumerate(points.groupby(["network", "tau"], sort=False)):
            g = g.sort_values("step")
            err = np.vstack([g["negative_mass"] - g["negative_mass_lo"], g["negative_mass_hi"] - g["negative_mass"]])
            ax.errorbar(g["step"], np.maximum(g["negative_mass"], 1e-6), yerr=np.clip(err, 0, None),
                        marker=markers[i % 4], ms=3, capsize=2, lw=0.8,
                        label=f"{net} (n = {int(g['n'].iloc[0])}), τ = {tau:g}")
        ax.axhline(0.5, color=PALETTE["coinflip"], lw=1.0, ls="--", label="coin-flip claim: each sign a fair coin (½)")
        ax.set_yscale("log")
        ax.text(0.99, 0.02, "an estimate of 0 is drawn at 10⁻⁶", transform=ax.transAxes, ha="right",
                va="bottom", fontsize=5, color=PALETTE["asymptote"])
        ax.set_xlabel("Adam step")
        ax.set_ylabel("negative mass #{λ < −τ} / n")
        ax.set_title("Index fraction with 95 % interval (SLQ)")
        ax.legend(loc="center right", fontsize=5)
        for net, g in points.groupby("network", sort=False):
            g = g.drop_duplicates("step").sort_values("step")
            bx.plot(g["step"], g["grad_norm"], marker="o", ms=3, label=f"{net} network")
        bx.set_yscale("log")
        bx.set_xlabel("Adam step")
        bx.set_ylabel("|∇L| at the checkpoint")
        bx.set_title("Not critical points: |∇L| > 0 at every checkpoint")
        bx.legend()
    return fig


def plot_outliers(top: pd.DataFrame, points: pd.DataFrame):
    """Top Hessian eigenvalues against rank (Lanczos), one panel per network, with the number of classes."""
    nets = list(dict.fromkeys(top["network"]))
    classes = int(points["classes"].iloc[0])
    with figure_style():
        fig, axes = new_figure(1, len(nets), width=COLUMN_WIDTH * len(nets), aspect=0.65 * len(nets) / max(len(nets), 1),
                               layout="constrained", squeeze=False)
        for ax, net in zip(axes[0], nets):
            t = top[top["network"] == net]
            colors = _step_colors(t["step"].unique())
            for step, g in t.groupby("step"):
                ax.plot(g["rank"], g["value"], marker="o", ms=2.5, lw=0.8, color=colors[step], label=f"step {step}")
            ax.axvline(classes + 0.5, color=PALETTE["coinflip"], ls="--", lw=0.8, label=f"{classes} classes")
            ax.set_yscale("log")
            ax.set_xlabel("rank k")
            ax.set_ylabel("k-th largest eigenvalue")
            ax.set_title(_net_label(points, net))
            ax.legend(loc="upper right")
    return fig


def plot_checks(checks: pd.DataFrame, coverage: pd.DataFrame):
    """Checkable network: SLQ 95 % intervals over independent probe sets against the dense count; coverage."""
    taus = sorted(checks["tau"].unique(), reverse=True)
    with figure_style():
        fig, axes = new_figure(1, len(taus) + 1, width=2 * COLUMN_WIDTH, aspect=0.6 * (len(taus) + 1) / 2,
                               layout="constrained", squeeze=False)
        axes = axes[0]
        for ax, tau in zip(axes, taus):
            cv = coverage[coverage["tau"] == tau]
            steps = sorted(cv["step"].unique())
            for j, step in enumerate(steps):
                g = cv[cv["step"] == step].reset_index(drop=True)
                xs = j + np.linspace(-0.3, 0.3, len(g))
                ax.errorbar(xs, g["index"], yerr=np.vstack([g["index"] - g["index_lo"], g["index_hi"] - g["index"]]),
                            fmt="o", ms=1.5, lw=0.5, color=PALETTE["goe"], label="SLQ, one probe set" if j == 0 else None)
                ax.hlines(g["dense_index"].iloc[0], j - 0.4, j + 0.4, color=PALETTE["coinflip"], lw=1.2,
                          label="dense count" if j == 0 else None)
            ax.set_xticks(range(len(steps)), [str(s) for s in steps])
            ax.set_xlabel("Adam step")
            ax.set_ylabel("#{λ < −τ}")
            ax.set_title(f"τ = {tau:g}")
            ax.set_yscale("symlog", linthresh=10)
            ax.set_ylim(bottom=0)
            ax.legend(loc="upper right", fontsize=5)
        bx = axes[-1]
        for tau in taus:
            c = checks[checks["tau"] == tau].sort_values("step")
            bx.plot(c["step"], c["index_coverage"], marker="o", label=f"index, τ = {tau:g}")
            bx.plot(c["step"], c["index_probe_coverage"], marker="^", ls="--",
                    label=f"index, probe noise only, τ = {tau:g}")
            bx.plot(c["step"], c["nullity_coverage"], marker="s", ls=":", label=f"near-kernel, τ = {tau:g}")
        bx.axhline(0.95, color=PALETTE["asymptote"], ls="--", lw=0.8, label="nominal 95 %")
        bx.set_ylim(0, 1.05)
        bx.set_xlabel("Adam step")
        bx.set_ylabel("coverage of the dense count")
        bx.set_title("Coverage over probe sets")
        bx.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=5)
    return fig
