"""One row per (model, n): the table the ``rare`` command and experiment write.

Seeding: cell (model, n) uses ``SeedSequence(entropy, spawn_key=(n, round(1000 β)))``
(β = 0 for the independent model), keyed by *what the cell is*, so the
estimate for GOE n = 20 is the same whether it ran alone or in a sweep, and
whatever the order or number of workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from saddlesim.models import Model
from saddlesim.rare.estimate import replicate_jobs, run_replicates, summarise
from saddlesim.theory.asymptotics import asymptotic_log10_p_min
from saddlesim.theory.models import model_log_p_min

__all__ = ["RARE_COLUMNS", "cell_seed", "exact_log10_p_min", "asymptote_log10_p_min", "estimate_table"]

#: Columns of :func:`estimate_table`, in order.
RARE_COLUMNS = (
    "model",
    "beta",
    "n",
    "log10_p",
    "log10_p_lo",
    "log10_p_hi",
    "log10_seed",
    "log10_exact",
    "log10_asymptote",
    "log10_sd_replicate",
    "replicates",
    "walkers",
    "sweeps",
    "levels_mean",
    "seconds",
)

_LN10 = math.log(10.0)


def cell_seed(entropy: int, model: Model, n: int) -> np.random.SeedSequence:
    """The seed sequence of cell (model, n); see the module docstring."""
    beta_key = 0 if model.beta is None else int(round(1000 * model.beta))
    return np.random.SeedSequence(entropy, spawn_key=(int(n), beta_key))


def exact_log10_p_min(model: Model, n: int) -> float:
    """Exact log10 P(min) where theory has it (:func:`saddlesim.theory.model_log_p_min`), else NaN."""
    return model_log_p_min(model, n) / _LN10


def asymptote_log10_p_min(model: Model, n: int) -> float:
    """Dean-Majumdar leading order -β ((ln 3)/4) n² / ln 10 (NaN for the independent model)."""
    return asymptotic_log10_p_min(n, model.beta) if model.is_gaussian else math.nan


def estimate_table(
    cells: Iterable[tuple[Model, int]],
    *,
    entropy: int,
    walkers: int = 1000,
    replicates: int = 16,
    sweeps: int | None = None,
    workers: int | None = 1,
    progress: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """Rare-event estimates of log10 P(min) for each cell, with reference columns.

    Parameters
    ----------
    cells : iterable of (Model, int)
    entropy : int
        Root seed entropy (recorded in ``meta.json``).
    walkers, replicates, sweeps, workers
        See :func:`saddlesim.rare.estimate_p_min`.
    progress : callable, optional
        Called once per finished replicate.

    Returns
    -------
    table : DataFrame, one row per cell, columns :data:`RARE_COLUMNS`
        ``log10_p`` with its 95 % interval ``[log10_p_lo, log10_p_hi]``;
        ``log10_seed`` = -n log10 2; ``log10_exact`` (NaN where unknown);
        ``log10_asymptote`` = -β ((ln 3)/4) n² / ln 10; ``seconds``: summed
        compute time of the cell's replicates.
    """
    cells = list(cells)
    jobs, spans = [], []
    for model, n in cells:
        m, cell_jobs = replicate_jobs(n, model, walkers=walkers, replicates=replicates, sweeps=sweeps,
                                      rng=cell_seed(entropy, model, n))
        # The splitting model rides along to report its (possibly default) sweeps.
        spans.append((m, n, len(jobs), len(jobs) + len(cell_jobs), cell_jobs[0][0]))
        jobs.extend(cell_jobs)
    results = run_replicates(jobs, workers, progress)
    rows = []
    for model, n, a, b, split in spans:
        # seconds: summed replicate compute time; wall time of a cell is not
        # defined when its replicates share a pool with other cells.
        est = summarise(model, n, results[a:b])
        rows.append({
            "model": model.name,
            "beta": model.beta if model.beta is not None else math.nan,
            "n": n,
            "log10_p": est.log10_p,
            "log10_p_lo": est.log10_p_lo,
            "log10_p_hi": est.log10_p_hi,
            "log10_seed": -n * math.log10(2.0),
            "log10_exact": exact_log10_p_min(model, n),
            "log10_asymptote": asymptote_log10_p_min(model, n),
            "log10_sd_replicate": est.log10_sd,
            "replicates": replicates,
            "walkers": walkers,
            "sweeps": getattr(split, "sweeps", 0),  # 0: exact Gibbs kernel, no sweeps
            "levels_mean": float(np.mean(est.n_levels)),
            "seconds": est.seconds,
        })
    return pd.DataFrame(rows, columns=list(RARE_COLUMNS))
