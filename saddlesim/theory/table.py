"""The exact-results table: one row per n, the one the CLI prints and experiments store."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from saddlesim.runtime.validate import check_n
from saddlesim.theory.asymptotics import dean_majumdar_log_p_above
from saddlesim.theory.exact import LN10, check_exact_beta, log_p_above, log_p_min, log_p_saddle
from saddlesim.theory.coin_flip import coinflip_log_p_min

__all__ = ["exact_table", "TABLE_COLUMNS", "wall_table", "WALL_COLUMNS"]

#: Columns of :func:`exact_table`, in order.
TABLE_COLUMNS = (
    "n",
    "beta",
    "log_p_min",
    "log10_p_min",
    "p_min",
    "p_max",
    "p_saddle",
    "log10_p_saddle",
    "log10_coinflip_p_min",
    "log10_ratio_to_coinflip",
    "theta_n",
)


def exact_table(beta, ns: Iterable[int]) -> pd.DataFrame:
    """Exact P(min), P(max), P(saddle) and the comparison with the coin-flip 2^-n.

    Parameters
    ----------
    beta : {1, 2, 4}
        Dyson index (GOE, GUE or GSE; GSE for ``n <= MAX_GSE_N``).
    ns : iterable of int
        Dimensions, each ``>= 1``; rows follow this order.

    Returns
    -------
    table : DataFrame, one row per n
        ``n``, ``beta``; ``log_p_min`` (natural log) and ``log10_p_min``,
        always finite; ``p_min`` = ``p_max`` as floats (0.0 only below the
        float range, ~1e-308); ``p_saddle`` = 1 - 2 P(min) and its log10
        (``-inf`` at n = 1); ``log10_coinflip_p_min`` = -n log10 2;
        ``log10_ratio_to_coinflip`` = log10(P(min) / 2^-n); ``theta_n`` =
        -ln P(min) / n², which tends to β (ln 3)/4 (Dean & Majumdar 2006).

    Raises
    ------
    ValueError
        A beta without exact results, or an invalid n (``n > MAX_GSE_N`` for β = 4).
    """
    ns = [check_n(n) for n in ns]
    b = check_exact_beta(beta, max(ns, default=None))
    rows = []
    for n in ns:
        lp = log_p_min(n, b)
        ls = log_p_saddle(n, b)
        coin = coinflip_log_p_min(n)
        rows.append(
            {
                "n": n,
                "beta": float(b),
                "log_p_min": lp,
                "log10_p_min": lp / LN10,
                "p_min": math.exp(lp),
                "p_max": math.exp(lp),
                "p_saddle": math.exp(ls),
                "log10_p_saddle": ls / LN10,
                "log10_coinflip_p_min": coin / LN10,
                "log10_ratio_to_coinflip": (lp - coin) / LN10,
                "theta_n": -lp / n**2,
            }
        )
    df = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return df.astype({"n": np.int64})


#: Columns of :func:`wall_table`, in order.
WALL_COLUMNS = (
    "n",
    "beta",
    "shift",
    "wall",
    "log_p_min",
    "log10_p_min",
    "p_min",
    "log10_dean_majumdar",
)


def wall_table(beta, ns: Iterable[int], shifts: Iterable[float]) -> pd.DataFrame:
    """Exact P(min) of the shifted Hessian ``H = G + s·I``, one row per (n, shift).

    ``H`` is a minimum when every eigenvalue of ``G`` exceeds the wall
    ``t = -s``: a shift ``s > 0`` favours minima, ``s < 0`` saddles.

    Parameters
    ----------
    beta : {1, 2, 4}
    ns : iterable of int
    shifts : iterable of float
        Rows follow ``ns`` then ``shifts``, in the order given.

    Returns
    -------
    table : DataFrame, one row per (n, shift)
        ``n``, ``beta``, ``shift`` = s, ``wall`` = -s; ``log_p_min`` = ln
        P(λ_min(G) > -s) and its log10, always finite; ``p_min`` as a float;
        ``log10_dean_majumdar``: the large-n leading order
        ``-β n² Φ₋(s/√(βn)) / ln 10`` (Dean & Majumdar 2008).

    Raises
    ------
    ValueError
        A beta without exact results, an invalid n, a non-finite shift.
    """
    ns = [check_n(n) for n in ns]
    shifts = [float(s) for s in shifts]
    b = check_exact_beta(beta, max(ns, default=None))
    rows = []
    for n in ns:
        for s in shifts:
            lp = log_p_above(n, -s, b)
            rows.append(
                {
                    "n": n,
                    "beta": float(b),
                    "shift": s,
                    "wall": -s + 0.0,
                    "log_p_min": lp,
                    "log10_p_min": lp / LN10,
                    "p_min": math.exp(lp),
                    "log10_dean_majumdar": dean_majumdar_log_p_above(n, -s, b) / LN10,
                }
            )
    df = pd.DataFrame(rows, columns=list(WALL_COLUMNS))
    return df.astype({"n": np.int64})
