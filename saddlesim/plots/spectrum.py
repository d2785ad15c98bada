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

    Where the negative eigenvalues span a small part of the axis (a trained network: a bulk at 0, a few
    large outliers), a second panel below redraws [λ_min, |λ_min|] on its own scale so the negative side
    can be read (not when ``ax`` is given).
    The title should name the method that made the density (SLQ or dense eigenvalues).

    Returns the Figure (a new one unless ``ax`` is given).
    """
    with figure_style():
        lo, hi = float(density["node"].min()), float(density["node"].max())
        span = max(hi - lo, 1e-300)
        zoom = None
        if ax is None:
            if lo < 0 and -lo < 0.25 * span:
                fig, (ax, zoom) = new_figure(2, 1, width=COLUMN_WIDTH, aspect=0.68, layout="constrained",
                                             gridspec_kw={"height_ratios": [3, 2]})
            else:
                fig, ax = new_figure(width=COLUMN_WIDTH, aspect=0.8, layout="constrained")
        else:
            fig = ax.figure
        pad = 0.05 * span
        grid = np.linspace(lo - pad, hi + pad, 2000)
        width = span / 400
        groups = [(None, density)] if by is None else list(density.groupby(by))
        import matplotlib

        cmap = matplotlib.colormaps["viridis"]
        curves = []
        for i, (key, g) in enumerate(groups):
            color = PALETTE["goe"] if by is None else cmap(0.9 * i / max(len(groups) - 1, 1))
            rho = broadened_density(g["node"], g["weight"], grid, width)
            ax.plot(grid, np.maximum(rho, 1e-12), color=color, lw=0.9,
                    label=None if by is None else f"{by} {key}")
            curves.append((g, color))
        if tol is not None and tol > 0:
            ax.axvline(-tol, color=PALETTE["asymptote"], lw=0.7, ls="--", label="±τ (null band)")
            ax.axvline(tol, color=PALETTE["asymptote"], lw=0.7, ls="--")
        ax.set_yscale("log")
        ax.set_ylim(bottom=max(1e-8, ax.get_ylim()[0]))
        ax.set_xlabel("Hessian eigenvalue λ")
        ax.set_ylabel("spectral density (Gaussian-broadened)")
        if zoom is not None:
            # the negative side: its own grid and kernel width, so it is not one blurred bump at 0
            inset = zoom
            zgrid = np.linspace(1.15 * lo, -1.15 * lo, 800)
            for g, color in curves:
                near = g[g["node"] <= -1.15 * lo]
                if len(near):
                    rho = broadened_density(near["node"], near["weight"], zgrid, -lo / 60)
                    inset.plot(zgrid, rho * near["weight"].sum() / g["weight"].sum(), color=color, lw=0.8)
            if tol is not None and tol > 0 and tol < -1.15 * lo:
                inset.axvline(-tol, color=PALETTE["asymptote"], lw=0.6, ls="--")
                inset.axvline(tol, color=PALETTE["asymptote"], lw=0.6, ls="--")
            inset.axvline(0, color=PALETTE["coinflip"], lw=0.5)
            inset.set_yscale("log")
            inset.set_ylim(bottom=max(1e-6, inset.get_ylim()[0]))
            inset.set_xlabel("Hessian eigenvalue λ, from λ_min to |λ_min|")
            inset.set_ylabel("density")
            inset.set_title("the negative side, on its own scale", fontsize=6.5)
        if title:
            ax.set_title(title, fontsize=6.5)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="lower left", fontsize=5.5)
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
    """Negative mass #{λ < −τ}/n with its 95 % interval along training, against the coin-flip ½; and |∇L|.

    Estimates of 0 cannot sit on a log axis: they are drawn as open downward triangles on the floor of the
    axis, named in the legend. The legend sits below the panels, off the data.
    """
    with figure_style():
        fig, (ax, bx) = new_figure(1, 2, width=2 * COLUMN_WIDTH, aspect=0.72, layout="constrained")
        nets = list(dict.fromkeys(points["network"]))
        taus = sorted(points["tau"].unique(), reverse=True)
        colors = [PALETTE["goe"], PALETTE["independent"], PALETTE["gue"], PALETTE["gse"]]
        positive = points.loc[points["negative_mass_lo"] > 0, "negative_mass_lo"]
        positive = pd.concat([positive, points.loc[points["negative_mass"] > 0, "negative_mass"]])
        floor = 10.0 ** (np.floor(np.log10(positive.min())) - 1) if len(positive) else 1e-6
        zero_drawn = False
        for (net, tau), g in points.groupby(["network", "tau"], sort=False):
            g = g.sort_values("step")
            color = colors[nets.index(net) % len(colors)]
            filled = taus.index(tau) == 0
            mass = g["negative_mass"].to_numpy()
            lo = np.maximum(g["negative_mass_lo"].to_numpy(), floor)
            hi = g["negative_mass_hi"].to_numpy()
            shown = np.maximum(mass, floor)
            err = np.vstack([shown - np.minimum(lo, shown), np.maximum(hi, shown) - shown])
            zero = mass <= 0
            # a 0 is not a value on a log axis: no line or bar through it, a triangle on the floor instead
            ax.errorbar(g["step"], np.where(zero, np.nan, shown), yerr=np.where(zero, 0.0, err), marker="o" if filled else "s", ms=3.5, capsize=2, lw=0.9,
                        color=color, mfc=color if filled else "white", ls="-" if filled else "--",
                        label=f"{net} (n = {int(g['n'].iloc[0]):,}), τ = {tau:g}")
            if zero.any():
                ax.plot(g["step"].to_numpy()[zero], np.full(zero.sum(), floor), "v", ms=6, mfc="white",
                        color=color, zorder=5)
                zero_drawn = True
        ax.axhline(0.5, color=PALETTE["coinflip"], lw=1.0, ls=":", label="coin-flip claim: ½ (independent fair signs)")
        if zero_drawn:
            ax.plot([], [], "v", ms=6, mfc="white", color=PALETTE["asymptote"], label="estimate 0, drawn at the floor")
        ax.set_yscale("log")
        ax.set_ylim(floor / 2, 3.0)  # the ½ line well inside the axis
        ax.set_xlabel("Adam step")
        ax.set_ylabel("negative mass #{λ < −τ} / n")
        ax.set_title("negative mass with 95 % interval (SLQ)")
        for i, (net, g) in enumerate(points.groupby("network", sort=False)):
            g = g.drop_duplicates("step").sort_values("step")
            bx.plot(g["step"], g["grad_norm"], marker="o", ms=3, color=colors[nets.index(net) % len(colors)],
                    label=f"{net} network")
        bx.set_yscale("log")
        bx.set_xlabel("Adam step")
        bx.set_ylabel("|∇L| at the checkpoint")
        bx.set_title("not critical points: |∇L| > 0 at every checkpoint")
        bx.legend(loc="upper right")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3, fontsize=6)
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
    """Checkable network: SLQ 95 % intervals over independent probe sets against the dense count; coverage.

    Readable without the README: the title says what is checked, every panel names τ, and the legends sit
    below the panels, off the data.
    """
    taus = sorted(checks["tau"].unique(), reverse=True)
    tau_colors = {tau: c for tau, c in zip(taus, [PALETTE["goe"], PALETTE["independent"], PALETTE["gue"],
                                                  PALETTE["gse"]])}
    with figure_style():
        fig, axes = new_figure(1, len(taus) + 1, width=2 * COLUMN_WIDTH, aspect=0.75 * (len(taus) + 1) / 2,
                               layout="constrained", squeeze=False)
        axes = axes[0]
        for ax, tau in zip(axes, taus):
            cv = coverage[coverage["tau"] == tau]
            steps = sorted(cv["step"].unique())
            for j, step in enumerate(steps):
                g = cv[cv["step"] == step].reset_index(drop=True)
                xs = j + np.linspace(-0.3, 0.3, len(g))
                ax.errorbar(xs, g["index"], yerr=np.vstack([g["index"] - g["index_lo"], g["index_hi"] - g["index"]]),
                            fmt="o", ms=1.5, lw=0.5, color=tau_colors[tau], alpha=0.8,
                            label="SLQ estimate and 95 % interval, one per probe set" if j == 0 else None)
                ax.hlines(g["dense_index"].iloc[0], j - 0.42, j + 0.42, color=PALETTE["coinflip"], lw=1.4, zorder=5,
                          label="exact count from the dense spectrum" if j == 0 else None)
            ax.set_xticks(range(len(steps)), [str(s) for s in steps])
            ax.set_xlim(-0.6, len(steps) - 0.4)
            ax.set_xlabel("Adam step")
            ax.set_ylabel("#{λ < −τ}")
            ax.set_title(f"index at τ = {tau:g}")
            ax.set_yscale("symlog", linthresh=10)
            ax.set_ylim(0, 3.0 * max(float(cv["index_hi"].max()), 10.0))  # headroom: no interval cut at the top
        bx = axes[-1]
        for tau in taus:
            c = checks[checks["tau"] == tau].sort_values("step")
            color = tau_colors[tau]
            bx.plot(c["step"], c["index_coverage"], marker="o", color=color,
                    label=f"τ = {tau:g}: interval with quadrature bounds")
            bx.plot(c["step"], c["index_probe_coverage"], marker="^", ls="--", color=color, mfc="white",
                    label=f"τ = {tau:g}: probe noise only")
        bx.axhline(0.95, color=PALETTE["asymptote"], ls=":", lw=0.8, label="nominal 95 %")
        bx.set_ylim(-0.03, 1.05)
        bx.set_xlabel("Adam step")
        bx.set_ylabel("share of probe sets covering")
        bx.set_title("coverage of the exact count")
        n = int(checks["n"].max())
        sets = int(checks["coverage_seeds"].max()) if "coverage_seeds" in checks else len(coverage)
        fig.suptitle(f"Does SLQ's 95 % interval for the index cover the exact count? Network with n = {n:,} "
                     f"parameters, {sets} independent probe sets per checkpoint", fontsize=7)
        handles, labels = axes[0].get_legend_handles_labels()
        h2, l2 = bx.get_legend_handles_labels()
        fig.legend(handles + h2, labels + l2, loc="outside lower center", ncol=3, fontsize=6)
    return fig
