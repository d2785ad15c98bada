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

__all__ = ["broadened_density", "plot_density"]


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
