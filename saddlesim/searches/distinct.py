"""Distinct critical points of a network search, and the coin-flip test at each of them.

Many starts of Newton-MR end at copies of one critical point (hidden units permuted or, for
tanh, sign-flipped: :mod:`saddlesim.critical.symmetry`). Statistics over end points would weigh
each point by its basin, so the tables of a network search count symmetry classes: two end
points are one critical point when their canonical parameters agree.

At every critical point the coin-flip claim predicts index ~ Binomial(n, ½); :func:`coin_flip`
gives each point's z-score and exact two-sided log10 p-value of its index under that law.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from saddlesim.critical.symmetry import canonical_parameters
from saddlesim.stats import binomial_log10_pvalue, binomial_zscore

__all__ = ["symmetry_classes", "coin_flip"]


def symmetry_classes(ends, sizes, activation: str, *, critical=None, rtol: float = 1e-4) -> np.ndarray:
    """A class label per end point: equal labels ⇔ one point up to the network's symmetries.

    Parameters
    ----------
    ends : ndarray, shape (B, dim)
        End points of the solves.
    sizes : sequence of int
        Layer widths (inputs, *hidden, outputs).
    activation : str
    critical : array_like of bool, shape (B,), optional
        Only these points get a class; the others get −1.
    rtol : float
        Canonical forms closer than ``rtol``·max(|x|, 1) are one point (Newton-MR ends agree to
        far better than this; distinct critical points differ by far more).

    Returns
    -------
    ndarray of int, shape (B,)
        0, 1, … in order of first appearance; −1 for non-critical points.
    """
    ends = np.asarray(ends, dtype=np.float64)
    mask = np.ones(len(ends), bool) if critical is None else np.asarray(critical, bool)
    labels = np.full(len(ends), -1, dtype=int)
    reps: list[np.ndarray] = []
    for i in np.flatnonzero(mask):
        c = canonical_parameters(ends[i], sizes, activation)
        scale = max(float(np.linalg.norm(c)), 1.0)
        for k, r in enumerate(reps):
            if np.linalg.norm(c - r) <= rtol * scale:
                labels[i] = k
                break
        else:
            labels[i] = len(reps)
            reps.append(c)
    return labels


def coin_flip(index, n) -> pd.DataFrame:
    """Each point's index against the coin-flip claim's Binomial(n, ½).

    Parameters
    ----------
    index, n : array_like of int, shape (m,)

    Returns
    -------
    DataFrame
        ``coin_z`` = (index − n/2)/(√n/2) and ``coin_log10_p``, the log10 two-sided binomial
        p-value (exact, in log space, finite far below 10⁻³⁰⁸).
    """
    index = np.asarray(index, dtype=float)
    n = np.asarray(n, dtype=float)
    return pd.DataFrame({"coin_z": binomial_zscore(index, n, 0.5),
                         "coin_log10_p": binomial_log10_pvalue(index, n, np.log10(0.5))})
