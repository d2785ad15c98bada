"""From index histograms to the tables a reader gets: ``results.csv`` and ``index_counts.csv``.

``results.csv`` has one row per cell: counts of minima (index 0), maxima
(index n), saddles (the rest) and degenerate draws; the estimated
probabilities with 95 % Wilson intervals; the seed's predictions
(P(min) = P(max) = 2^-n, P(saddle) = 1 - 2^(1-n)) and how far the counts are
from them. Probabilities are over *all* draws, degenerate ones included (they
are none of min/max/saddle), so the three estimates sum to 1 - P(degenerate).

``index_counts.csv`` is the tidy histogram: one row per (cell, index) with
``index`` = 0..n, and degenerate draws as their own row with ``index = -1``
and ``label = 'degenerate'``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.classify import labels_from_index
from saddlesim.inertia import DEGENERATE
from saddlesim.stats import binomial_log10_pvalue, binomial_zscore, wilson_interval
from saddlesim.sweep.plan import SweepPlan
from saddlesim.models.spec import Model
from saddlesim.theory.models import model_log_p_min
from saddlesim.theory.seed import seed_log_p_min, seed_p_saddle

__all__ = ["CELL_COLUMNS", "results_table", "index_counts_table", "add_theory_columns"]

#: Columns identifying a cell in every table.
CELL_COLUMNS = ["model", "beta", "n"]

_LN10 = np.log(10.0)


def _cell_rows(plan: SweepPlan) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "model": [c.model.name for c in plan.cells],
            "beta": [np.nan if c.model.beta is None else c.model.beta for c in plan.cells],
            "n": [c.n for c in plan.cells],
        }
    )
    if any(c.model.phi is not None for c in plan.cells):
        # only sweeps with a parametrised model carry its parameters
        for key in ("phi", "eps"):
            df[key] = [np.nan if getattr(c.model, key) is None else getattr(c.model, key) for c in plan.cells]
    return df


def results_table(plan: SweepPlan, counts: list[np.ndarray], confidence: float = 0.95) -> pd.DataFrame:
    """One row per cell with counts, estimates, intervals and the seed's predictions.

    Parameters
    ----------
    plan : SweepPlan
    counts : list of ndarray of int64, shape (n_i + 2,) each
        The summed index histogram of each cell, in ``plan.cells`` order.
    confidence : float
        Level of the Wilson intervals.

    Returns
    -------
    DataFrame
        Columns ``model, beta, n, samples, minima, maxima, saddles, degenerate,
        p_min, p_min_lo, p_min_hi, p_max…, p_saddle…, p_degenerate``, then the
        columns of :func:`add_theory_columns`.
    """
    df = _cell_rows(plan)
    minima, maxima, saddles, degenerate, samples = [], [], [], [], []
    for c in counts:
        c = np.asarray(c, dtype=np.int64)
        n = len(c) - 2
        minima.append(int(c[0]))
        # at n = 1 index 0 is the minimum and index 1 the maximum: no saddles
        maxima.append(int(c[n]) if n >= 1 else 0)
        saddles.append(int(c[1:n].sum()))
        degenerate.append(int(c[n + 1]))
        samples.append(int(c.sum()))
    df["samples"] = samples
    df["minima"], df["maxima"], df["saddles"], df["degenerate"] = minima, maxima, saddles, degenerate
    for what, col in (("min", "minima"), ("max", "maxima"), ("saddle", "saddles")):
        k, N = df[col].to_numpy(), df["samples"].to_numpy()
        lo, hi = wilson_interval(k, N, confidence)
        df[f"p_{what}"] = k / N
        df[f"p_{what}_lo"] = lo
        df[f"p_{what}_hi"] = hi
    df["p_degenerate"] = df["degenerate"] / df["samples"]
    return add_theory_columns(df)


def add_theory_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Add the seed's and exact predictions and the deviation of the counts from them.

    The one place theory meets the sweep tables:

    - the seed's claim: ``seed_p_min = seed_p_max = 2^-n``,
      ``seed_log10_p_min = -n log10 2``, ``seed_p_saddle = 1 - 2^(1-n)``, and
      for minima and saddles the z-score (``z_min_seed``, ``z_saddle_seed``)
      and log10 two-sided binomial p-value (``log10_pvalue_min_seed``,
      ``log10_pvalue_saddle_seed``) of the counts under it;
    - exact results where theory has them (:mod:`saddlesim.theory`: GOE and
      GUE at any n, GSE for n <= 50; the independent-sign model, where the seed is exact):
      ``exact_p_min`` (= exact P(max)), ``exact_log10_p_min`` (finite even
      where ``exact_p_min`` underflows), ``exact_p_saddle``, the gap to the
      seed as a ratio ``exact_over_seed_p_min`` = P_exact(min) / 2^-n (and its
      log10), and the z-score of the minima count under the exact value
      (``z_min_exact``). NaN where no exact result exists (GSE n > 50, general beta).

    Parameters
    ----------
    df : DataFrame
        With at least ``model, beta, n, samples, minima, saddles``.

    Returns
    -------
    DataFrame
        A copy with the columns added.
    """
    df = df.copy()
    ns = df["n"].to_numpy(dtype=np.int64)
    N = df["samples"].to_numpy(dtype=float)
    seed_lp = np.array([seed_log_p_min(int(n)) for n in ns])
    df["seed_p_min"] = np.exp(seed_lp)
    df["seed_p_max"] = df["seed_p_min"]
    df["seed_log10_p_min"] = seed_lp / _LN10
    df["seed_p_saddle"] = [seed_p_saddle(int(n)) for n in ns]
    df["z_min_seed"] = binomial_zscore(df["minima"], N, df["seed_p_min"])
    df["log10_pvalue_min_seed"] = binomial_log10_pvalue(df["minima"], N, df["seed_log10_p_min"])
    df["z_saddle_seed"] = binomial_zscore(df["saddles"], N, df["seed_p_saddle"])
    # P(saddle) = 0 exactly at n = 1: log10 of 0 is -inf, which the p-value handles as
    # "any saddle is impossible" (p = 0 if seen, 1 if not).
    with np.errstate(divide="ignore"):
        log10_saddle = np.log10(df["seed_p_saddle"].to_numpy())
    df["log10_pvalue_saddle_seed"] = np.where(
        df["seed_p_saddle"] > 0,
        binomial_log10_pvalue(df["saddles"], N, np.where(np.isfinite(log10_saddle), log10_saddle, -1.0)),
        np.where(df["saddles"] > 0, -np.inf, 0.0),
    )
    exact_lp = np.array(
        [np.nan if m == "wishart-wigner" else model_log_p_min(Model(m, None if m == "independent" else b), int(n))
         for m, b, n in zip(df["model"], df["beta"], ns)],
        dtype=float,
    )
    df["exact_p_min"] = np.exp(exact_lp)
    df["exact_log10_p_min"] = exact_lp / _LN10
    # 1 - 2 P(min) without cancellation when P(min) is tiny
    df["exact_p_saddle"] = -np.expm1(np.log(2.0) + exact_lp)
    df["exact_over_seed_p_min"] = np.exp(exact_lp - seed_lp)
    df["log10_exact_over_seed_p_min"] = (exact_lp - seed_lp) / _LN10
    df["z_min_exact"] = np.where(
        np.isnan(exact_lp), np.nan, binomial_zscore(df["minima"], N, np.nan_to_num(df["exact_p_min"]))
    )
    return df


def index_counts_table(plan: SweepPlan, counts: list[np.ndarray]) -> pd.DataFrame:
    """Tidy index histogram: ``model, beta, n, index, label, count``; degenerate as ``index = -1``."""
    cells = _cell_rows(plan)
    frames = []
    for i, c in enumerate(counts):
        n = int(cells.at[i, "n"])
        index = np.concatenate([np.arange(n + 1), [DEGENERATE]])
        frame = pd.DataFrame(
            {
                "model": cells.at[i, "model"],
                "beta": cells.at[i, "beta"],
                "n": n,
                "index": index,
                "label": labels_from_index(index, n),
                "count": np.asarray(c, dtype=np.int64),
            }
        )
        for key in ("phi", "eps"):
            if key in cells:
                frame.insert(frame.columns.get_loc("index"), key, cells.at[i, key])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
