"""The headline table of a results folder: a few rows and columns of one of its CSVs.

Known kinds pick the table and columns that carry their result; any other
folder shows its smallest table, first rows and columns, and says how much
it left out. Values are printed, never computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from saddlesim.report.findings import finder_key
from saddlesim.report.folders import Folder

__all__ = ["Headline", "headline", "MAX_ROWS", "MAX_COLUMNS"]

MAX_ROWS = 14
MAX_COLUMNS = 8


@dataclass
class Headline:
    """A table to show: its data, the CSV it came from and what was left out."""

    frame: pd.DataFrame
    source: str
    note: str = ""


def _pick(df: pd.DataFrame, columns) -> pd.DataFrame:
    return df[[c for c in columns if c in df.columns]]


def _sweep(f):
    df = f.table("results.csv")
    wide = df.pivot_table(index="n", columns="model", values="p_min", sort=False)
    wide.columns = [f"P(min) {c}" for c in wide.columns]
    wide.insert(0, "coin flips 2^-n", df.drop_duplicates("n").set_index("n")["coinflip_p_min"])
    return Headline(wide.reset_index(), "results.csv", "measured P(min) by model (column p_min); 0: none seen")


def _exact(f):
    df = f.table("exact.csv")
    ns = [n for n in (1, 2, 5, 10, 20, 50, 100) if n in set(df["n"])]
    wide = df[df["n"].isin(ns)].pivot_table(index="n", columns="beta", values="log10_p_min")
    wide.columns = [f"log10 P(min) β={b:g}" for b in wide.columns]
    coin = df.drop_duplicates("n").set_index("n")["log10_coinflip_p_min"]
    wide.insert(0, "log10 coin flips", coin.loc[wide.index])
    return Headline(wide.reset_index(), "exact.csv", "selected n (column log10_p_min)")


KNOWN = {
    "sweep": _sweep,
    "exact": _exact,
    "rare": lambda f: Headline(_pick(f.table("fits.csv"), ["beta", "source", "n_min", "n_max", "theta", "theta_lo",
                                                            "theta_hi", "theta_dm"]), "fits.csv"),
    "exact-wall": lambda f: Headline(_pick(f.table("rate_fits.csv"), ["beta", "zeta", "phi_fit", "phi_dm", "n_min",
                                                                       "n_max", "f_at_n_max"]), "rate_fits.csv"),
    "landscape/pspin": lambda f: Headline(f.table("pmin.csv"), "pmin.csv"),
    "landscape/linear_autoencoder": lambda f: Headline(f.table("recovery.csv"), "recovery.csv"),
    "landscape/mlp": lambda f: Headline(_pick(f.table("bins.csv"), ["bin", "loss", "eps", "alpha", "se", "count",
                                                                     "theory_alpha"]), "bins.csv"),
    "min_detection": lambda f: Headline(
        _pick(f.table("metrics.csv").query("estimator == 'noise' and tol == 0"),
              ["n", "level", "accuracy", "macro_f1", "f1_minimum", "recall_minimum", "baseline_accuracy"]),
        "metrics.csv", "noise estimator, tol = 0"),
    "energy": lambda f: Headline(
        _pick(f.table("p_min.csv").iloc[::6], ["n", "x", "shift", "samples", "minima", "p_min", "exact_log10_p_min",
                                                "coinflip_p_min"]), "p_min.csv", "every 6th row"),
    "gd_saddles": lambda f: Headline(_pick(f.table("plateau_points.csv"), ["step", "loss", "index_here", "critical_loss",
                                                                            "critical_index", "distance"]),
                                     "plateau_points.csv"),
}


def _generic(f: Folder) -> Headline | None:
    sized = [(len(f.table(t)), t) for t in f.tables]
    sized = [(n, t) for n, t in sized if n > 0]
    if not sized:
        return None
    _, name = min(sized)
    return Headline(f.table(name), name)


def headline(f: Folder) -> Headline | None:
    """The folder's headline table, cut to :data:`MAX_ROWS` × :data:`MAX_COLUMNS` (None: no tables)."""
    h = None
    build = KNOWN.get(finder_key(f))
    if build is not None:
        try:
            h = build(f)
        except (KeyError, ValueError, IndexError, OSError, TypeError):
            h = None
    if h is None:
        h = _generic(f)
    if h is None:
        return None
    rows, cols = h.frame.shape
    cut = h.frame.iloc[:MAX_ROWS, :MAX_COLUMNS]
    left = []
    if rows > MAX_ROWS:
        left.append(f"first {MAX_ROWS} of {rows} rows")
    if cols > MAX_COLUMNS:
        left.append(f"first {MAX_COLUMNS} of {cols} columns")
    note = "; ".join([n for n in [h.note] if n] + left)
    return Headline(cut, h.source, note)
