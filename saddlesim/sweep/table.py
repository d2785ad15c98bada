"""From index histograms to the tables a reader gets: ``results.csv`` and ``index_counts.csv``.

``results.csv`` has one row per cell: counts of minima (index 0), maxima
(index n), saddles (the rest) and degenerate draws; the estimated
probabilities with 95 % Wilson intervals; the coin-flip predictions
(P(min) = P(max) = 2^-n, P(saddle) = 1 - 2^(1-n)) and how far the counts are
from them. Probabilities are over *all* draws, degenerate ones included (they
are none of min/max/saddle), so the three estimates sum to 1 - P(degenerate).

``index_counts.csv`` is the tidy histogram: one row per (cell, index) with
``index`` = 0..n, and degenerate draws as their own row with ``index = -1``
and ``label = 'degenerate'``.

A sweep over shifts (H = G + s·I) has a ``shift`` column after ``n`` in both
tables, one row per (model, n, shift); a sweep without shifts has no such
column, so its tables are exactly those of an unshifted sweep. With the
Kac–Rice weight (``weight = 'det'``) ``results.csv`` also has ``w_p_min``,
``w_p_min_lo``, ``w_p_min_hi``, ``w_p_min_se`` (and the same for max and
saddle), ``n_eff`` (Kish) and ``log_mean_w`` (ln of the mean |det H|), and
``index_counts.csv`` a ``w_fraction`` column (:mod:`saddlesim.index.weights`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.index.classify import labels_from_index
from saddlesim.index.inertia import DEGENERATE
from saddlesim.stats import binomial_log10_pvalue, binomial_zscore, wilson_interval
from saddlesim.sweep.plan import SweepPlan
from saddlesim.models.spec import Model
from saddlesim.theory.coin_flip import coinflip_log_p_min, coinflip_p_saddle
from saddlesim.theory.shifted import model_log_p_min_shifted
from saddlesim.index.weights import weighted_proportion

__all__ = ["CELL_COLUMNS", "SHIFT_ONLY_COLUMNS", "results_table", "index_counts_table", "add_theory_columns"]

#: Columns identifying a cell in every table.
CELL_COLUMNS = ["model", "beta", "n"]

#: Columns only a sweep over shifts has; without them its shift-0 rows are an unshifted sweep's table.
SHIFT_ONLY_COLUMNS = ["shift", "exact_log10_p_max"]

_LN10 = np.log(10.0)


def _cell_rows(plan: SweepPlan) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "model": [c.model.name for c in plan.cells],
            "beta": [np.nan if c.model.beta is None else c.model.beta for c in plan.cells],
            "n": [c.n for c in plan.cells],
        }
    )
    if plan.shifted:
        df["shift"] = [c.shift for c in plan.cells]
    if any(c.model.phi is not None for c in plan.cells):
        # only sweeps with a parametrised model carry its parameters
        for key in ("phi", "eps"):
            df[key] = [np.nan if getattr(c.model, key) is None else getattr(c.model, key) for c in plan.cells]
    return df


def _weighted_columns(df: pd.DataFrame, tallies, confidence: float) -> None:
    for what in ("min", "max", "saddle"):
        cols = {k: [] for k in ("p", "lo", "hi", "se")}
        for t in tallies:
            n = t.shape[1] - 2
            bins = {"min": [0], "max": [n], "saddle": list(range(1, n))}[what]
            r = weighted_proportion(t, bins, confidence)
            for k in cols:
                cols[k].append(r[k])
        df[f"w_p_{what}"] = cols["p"]
        for k in ("lo", "hi", "se"):
            df[f"w_p_{what}_{k}"] = cols[k]
    whole = [weighted_proportion(t, [0], confidence) for t in tallies]
    df["n_eff"] = [r["n_eff"] for r in whole]
    df["log_mean_w"] = [r["log_mean_w"] for r in whole]


def results_table(plan: SweepPlan, counts: list[np.ndarray], confidence: float = 0.95) -> pd.DataFrame:
    """One row per cell with counts, estimates, intervals and the coin-flip predictions.

    Parameters
    ----------
    plan : SweepPlan
    counts : list of ndarray of int64, shape (n_i + 2,) each
        The summed index histogram of each cell, in ``plan.cells`` order; or
        weighted tallies of shape (3, n_i + 2) (:mod:`saddlesim.index.weights`).
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
    tallies = [np.asarray(c, dtype=float) for c in counts] if plan.weight is not None else None
    if tallies is not None:
        counts = [t[0] for t in tallies]
    minima, maxima, saddles, degenerate, samples = [], [], [], [], []
    for c in counts:
        c = np.asarray(c).astype(np.int64)
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
    if tallies is not None:
        _weighted_columns(df, tallies, confidence)
    return add_theory_columns(df)


def _exact_log_p_min(model: str, beta, n: int, shift: float) -> float:
    """Exact ln P(min) of a table row's model at ``shift``; NaN for models without theory here."""
    if model == "wishart-wigner":
        return np.nan
    return model_log_p_min_shifted(Model(model, None if model == "independent" else beta), n, shift)


def add_theory_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Add the coin-flip and exact predictions and the deviation of the counts from them.

    The one place theory meets the sweep tables:

    - the coin-flip claim: ``coinflip_p_min = coinflip_p_max = 2^-n``,
      ``coinflip_log10_p_min = -n log10 2``, ``coinflip_p_saddle = 1 - 2^(1-n)``, and
      for minima and saddles the z-score (``z_min_coinflip``, ``z_saddle_coinflip``)
      and log10 two-sided binomial p-value (``log10_pvalue_min_coinflip``,
      ``log10_pvalue_saddle_coinflip``) of the counts under it;
    - exact results where theory has them (:mod:`saddlesim.theory`: GOE and
      GUE at any n, GSE for n <= 50; the independent-sign model, where the coin-flip claim is exact):
      ``exact_p_min`` (= exact P(max)), ``exact_log10_p_min`` (finite even
      where ``exact_p_min`` underflows), ``exact_p_saddle``, the gap to the
      coin-flip claim as a ratio ``exact_over_coinflip_p_min`` = P_exact(min) / 2^-n (and its
      log10), and the z-score of the minima count under the exact value
      (``z_min_exact``). NaN where no exact result exists (GSE n > 50, general beta).
      With a ``shift`` column the exact values are those of G + shift·I
      (:func:`saddlesim.theory.shifted.model_log_p_min_shifted`); the coin-flip
      columns stay 2^-n, the claim being tested.

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
    coinflip_lp = np.array([coinflip_log_p_min(int(n)) for n in ns])
    df["coinflip_p_min"] = np.exp(coinflip_lp)
    df["coinflip_p_max"] = df["coinflip_p_min"]
    df["coinflip_log10_p_min"] = coinflip_lp / _LN10
    df["coinflip_p_saddle"] = [coinflip_p_saddle(int(n)) for n in ns]
    df["z_min_coinflip"] = binomial_zscore(df["minima"], N, df["coinflip_p_min"])
    df["log10_pvalue_min_coinflip"] = binomial_log10_pvalue(df["minima"], N, df["coinflip_log10_p_min"])
    df["z_saddle_coinflip"] = binomial_zscore(df["saddles"], N, df["coinflip_p_saddle"])
    # P(saddle) = 0 exactly at n = 1: log10 of 0 is -inf, which the p-value handles as
    # "any saddle is impossible" (p = 0 if seen, 1 if not).
    with np.errstate(divide="ignore"):
        log10_saddle = np.log10(df["coinflip_p_saddle"].to_numpy())
    df["log10_pvalue_saddle_coinflip"] = np.where(
        df["coinflip_p_saddle"] > 0,
        binomial_log10_pvalue(df["saddles"], N, np.where(np.isfinite(log10_saddle), log10_saddle, -1.0)),
        np.where(df["saddles"] > 0, -np.inf, 0.0),
    )
    shifts = df["shift"].to_numpy(dtype=float) if "shift" in df else np.zeros(len(df))
    exact_lp = np.array(
        [_exact_log_p_min(m, b, int(n), s) for m, b, n, s in zip(df["model"], df["beta"], ns, shifts)],
        dtype=float,
    )
    df["exact_p_min"] = np.exp(exact_lp)
    df["exact_log10_p_min"] = exact_lp / _LN10
    # 1 - 2 P(min) without cancellation when P(min) is tiny
    df["exact_p_saddle"] = -np.expm1(np.log(2.0) + exact_lp)
    if "shift" in df:
        # a shift breaks H -> -H: P(max at s) = P(min at -s)
        exact_lp_max = np.array(
            [_exact_log_p_min(m, b, int(n), -s) for m, b, n, s in zip(df["model"], df["beta"], ns, shifts)],
            dtype=float,
        )
        df["exact_log10_p_max"] = exact_lp_max / _LN10
        df["exact_p_saddle"] = np.where(
            shifts == 0.0, df["exact_p_saddle"], 1.0 - np.exp(exact_lp) - np.exp(exact_lp_max)
        )
    df["exact_over_coinflip_p_min"] = np.exp(exact_lp - coinflip_lp)
    df["log10_exact_over_coinflip_p_min"] = (exact_lp - coinflip_lp) / _LN10
    df["z_min_exact"] = np.where(
        np.isnan(exact_lp), np.nan, binomial_zscore(df["minima"], N, np.nan_to_num(df["exact_p_min"]))
    )
    return df


def index_counts_table(plan: SweepPlan, counts: list[np.ndarray]) -> pd.DataFrame:
    """Tidy index histogram: ``model, beta, n, [shift,] index, label, count[, w_fraction]``.

    Degenerate draws are the row ``index = -1``. ``w_fraction`` (weighted
    sweeps only) is each bin's share of the total weight sum w.
    """
    cells = _cell_rows(plan)
    frames = []
    for i, c in enumerate(counts):
        n = int(cells.at[i, "n"])
        index = np.concatenate([np.arange(n + 1), [DEGENERATE]])
        c = np.asarray(c)
        cols = {"model": cells.at[i, "model"], "beta": cells.at[i, "beta"], "n": n}
        if plan.shifted:
            cols["shift"] = cells.at[i, "shift"]
        for key in ("phi", "eps"):
            if key in cells:
                cols[key] = cells.at[i, key]
        cols.update(index=index, label=labels_from_index(index, n))
        if plan.weight is None:
            cols["count"] = c.astype(np.int64)
        else:
            cols["count"] = c[0].astype(np.int64)
            top = np.max(c[1])
            w = np.exp(c[1] - top) if np.isfinite(top) else np.zeros(n + 2)
            cols["w_fraction"] = w / w.sum() if w.sum() > 0 else np.nan
        frames.append(pd.DataFrame(cols))
    return pd.concat(frames, ignore_index=True)
