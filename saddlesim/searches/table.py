"""The summary table of a landscape run: mean number of critical points per index, with theory.

One row per index k = 0 … manifold_dim: the mean over instances of the number
of distinct accepted points with index k (points with nullity > 0 counted
by their index, i.e. their number of strictly negative eigenvalues), a 95 %
Student-t interval over instances, and ``theory_mean`` where the landscape
has an exact mean count (the p-spin's finite-N Kac–Rice formula, Auffinger,
Ben Arous & Černý 2013), else NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["summary_table", "theory_mean_counts", "SUMMARY_COLUMNS"]

SUMMARY_COLUMNS = ("index", "mean_count", "mean_count_lo", "mean_count_hi", "std", "instances",
                   "mean_degenerate", "theory_mean")


def theory_mean_counts(loss: str, params: dict, manifold_dim: int) -> np.ndarray:
    """Exact mean number of critical points per index 0 … manifold_dim, or NaN where unknown.

    References
    ----------
    Auffinger, Ben Arous & Černý (2013), arXiv:1003.1129, Theorem 2.5 (p-spin, finite N).
    """
    out = np.full(manifold_dim + 1, np.nan)
    if loss == "pspin":
        from saddlesim.theory.pspin import pspin_mean_counts

        # the sphere S^(N-1) has dimension N - 1: N is known even when the
        # run left it at the factory's default (params hold only what was given)
        N, p = manifold_dim + 1, int(params.get("p", 3))
        counts = np.asarray(pspin_mean_counts(N, p), dtype=float)
        out[: len(counts)] = counts[: manifold_dim + 1]
    return out


def summary_table(points: pd.DataFrame, instances: int, manifold_dim: int, loss: str = "",
                  params: dict | None = None) -> pd.DataFrame:
    """Per-index mean counts over instances with a 95 % t-interval.

    Parameters
    ----------
    points : DataFrame
        ``critical_points.csv``: columns ``instance``, ``index``, ``nullity``.
    instances : int
        Number of instances (those with no point count as zeros).
    manifold_dim : int
    loss, params
        For :func:`theory_mean_counts`.

    Returns
    -------
    DataFrame with columns :data:`SUMMARY_COLUMNS`; the interval is NaN with one instance.
    """
    K = int(instances)
    counts = np.zeros((K, manifold_dim + 1))
    degenerate = np.zeros((K, manifold_dim + 1))
    inst = points["instance"].to_numpy(dtype=np.int64)
    idx = points["index"].to_numpy(dtype=np.int64)
    np.add.at(counts, (inst, idx), 1)
    np.add.at(degenerate, (inst, idx), (points["nullity"].to_numpy() > 0).astype(float))
    mean = counts.mean(axis=0)
    std = counts.std(axis=0, ddof=1) if K > 1 else np.full(manifold_dim + 1, np.nan)
    half = stats.t.ppf(0.975, K - 1) * std / np.sqrt(K) if K > 1 else np.full(manifold_dim + 1, np.nan)
    return pd.DataFrame({
        "index": np.arange(manifold_dim + 1),
        "mean_count": mean,
        "mean_count_lo": np.maximum(mean - half, 0.0),
        "mean_count_hi": mean + half,
        "std": std,
        "instances": K,
        "mean_degenerate": degenerate.mean(axis=0),
        "theory_mean": theory_mean_counts(loss, params or {}, manifold_dim),
    }, columns=list(SUMMARY_COLUMNS))
