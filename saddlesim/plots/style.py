"""House style for figures: colour-blind-safe colours, column-width sizes, PNG + PDF output.

Plot functions read result tables and return a Figure; they never simulate.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files; never need a display

import matplotlib.pyplot as plt  # noqa: E402

from saddlesim.runtime.io import atomic_path  # noqa: E402

__all__ = ["PALETTE", "MARKERS", "COLUMN_WIDTH", "figure_style", "new_figure", "save_figure"]

#: Okabe & Ito (2008) colour-blind-safe palette, by role.
PALETTE = {
    "coinflip": "#000000",     # the coin-flip claim 1/2^n: black
    "independent": "#E69F00",  # orange
    "goe": "#0072B2",          # blue
    "gue": "#D55E00",          # vermillion
    "gse": "#009E73",          # bluish green
    "beta": "#CC79A7",         # reddish purple
    "asymptote": "#999999",    # grey
    "extra": "#56B4E9",        # sky blue
}
MARKERS = {"independent": "s", "goe": "o", "gue": "^", "gse": "D", "beta": "v"}

#: One column of a two-column paper, in inches.
COLUMN_WIDTH = 3.4

_RC = {
    "font.size": 8,
    "axes.labelsize": 8,
    "axes.titlesize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "lines.linewidth": 1.2,
    "lines.markersize": 3.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,  # embed TrueType: editable text in the PDF
}


@contextlib.contextmanager
def figure_style():
    """Apply the house rcParams inside a ``with`` block."""
    with plt.rc_context(_RC):
        yield


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = COLUMN_WIDTH, aspect: float = 0.75, **kw):
    """A Figure and Axes at column width in the house style."""
    with figure_style():
        fig, ax = plt.subplots(nrows, ncols, figsize=(width, width * aspect * nrows / ncols), **kw)
    return fig, ax


def save_figure(fig, stem: str | Path) -> list[Path]:
    """Write ``fig`` to ``stem.png`` and ``stem.pdf`` atomically; return the paths.

    The PDF carries no creation date, so the same tables give byte-identical
    figures (a rerun of ``make experiments`` changes no file it need not).
    """
    stem = Path(stem)
    paths = []
    with figure_style():
        for ext in ("png", "pdf"):
            path = stem.with_suffix(f".{ext}")
            with atomic_path(path) as tmp:
                fig.savefig(tmp, format=ext, metadata={"CreationDate": None} if ext == "pdf" else None)
            paths.append(path)
    plt.close(fig)
    return paths
