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
from saddlesim.rare.estimate import plan_cell, run_cells
from saddlesim.theory.asymptotics import asymptotic_log10_p_min
from saddlesim.theory.exact import has_exact, log_p_above
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
    "log10_coinflip",
    "log10_exact",
    "log10_asymptote",
    "log10_sd_replicate",
    "replicates",
    "walkers",
    "sweeps",
    "levels_mean",
    "shift",
    "mixing_flag",
)

_LN10 = math.log(10.0)


def cell_seed(entropy: int, model: Model, n: int) -> np.random.SeedSequence:
    """The SeedSequence of cell (model, n); see the module docstring."""
    beta_key = 0 if model.beta is None else int(round(1000 * model.beta))
    return np.random.SeedSequence(entropy, spawn_key=(int(n), beta_key))


def exact_log10_p_min(model: Model, n: int, shift: float = 0.0) -> float:
    """Exact log10 P(λ_min > −shift) where theory has it, else NaN.

    Shift 0 is :func:`saddlesim.theory.model_log_p_min`; other shifts use
    :func:`saddlesim.theory.log_p_above` at the wall ``−shift`` for the
    Gaussian ensembles that have it (GOE, GUE, GSE n ≤ 50), else NaN.
    """
    if shift == 0:
        return model_log_p_min(model, n) / _LN10
    if model.is_gaussian and has_exact(model.beta, n):
        return log_p_above(n, -shift, model.beta) / _LN10
    return math.nan


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
    shifts=(),
    scheduler=None,
    journal=None,
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
    scheduler : str or saddlesim.runtime.cluster.DaskCluster, optional
        Run the replicates on Dask (:func:`saddlesim.rare.run_replicates`); same numbers.
    journal : saddlesim.rare.store.ReplicateStore, optional
        Keep finished jobs and reuse those of an interrupted run
        (:func:`saddlesim.rare.run_cells`); the table is the same.
    shifts : sequence of float, optional
        Extra rows per cell for the shifted ensemble ``H = G + s·I``:
        ``log10 P(λ_min > −s)`` from the same runs (see
        :func:`saddlesim.rare.estimate_p_min`). The ``shift = 0`` row, P(min)
        itself, is always there; ``log10_exact`` at every shift where exact
        theory has it.

    Returns
    -------
    table : DataFrame, one row per cell, columns :data:`RARE_COLUMNS`
        ``log10_p`` with its 95 % interval ``[log10_p_lo, log10_p_hi]``;
        ``log10_coinflip`` = -n log10 2; ``log10_exact`` (NaN where unknown);
        ``log10_asymptote`` = -β ((ln 3)/4) n² / ln 10. No timings: the
        same seed gives a byte-identical table; the summed compute time of each
        cell's pilot and replicates is in ``table.attrs["cell_seconds"]``
        (a list of ``{"model", "beta", "n", "seconds"}``, for ``meta.json``).
    """
    cells = list(cells)
    shifts = sorted({float(v) for v in shifts} - {0.0})
    plans = [
        plan_cell(n, model, walkers=walkers, replicates=replicates, sweeps=sweeps,
                  rng=cell_seed(entropy, model, n), walls=[0.0 - v for v in shifts])
        for model, n in cells
    ]
    # per-cell time is summed compute time of its pilot and replicates: wall
    # time of a cell is not defined when cells share a pool
    estimates = run_cells(plans, workers, progress, scheduler=scheduler, journal=journal)
    rows = []
    for plan, est in zip(plans, estimates):
        model, n = plan.model, plan.n
        common = {
            "model": model.name,
            "beta": model.beta if model.beta is not None else math.nan,
            "n": n,
            "log10_coinflip": -n * math.log10(2.0),
            "log10_sd_replicate": est.log10_sd,
            "replicates": replicates,
            "walkers": walkers,
            "sweeps": plan.sweeps,  # 0: exact Gibbs kernel, no sweeps
            "levels_mean": float(np.mean(est.n_levels)),
            "mixing_flag": est.mixing_flag,
        }
        by_shift = {0.0: (est.log10_p, est.log10_p_lo, est.log10_p_hi)}
        by_shift.update({s: tuple(r) for s, r in zip(est.shifts, est.log10_shifts)})
        for s in sorted(by_shift):
            p, lo, hi = by_shift[s]
            rows.append({
                **common, "log10_p": p, "log10_p_lo": lo, "log10_p_hi": hi, "shift": s,
                "log10_exact": exact_log10_p_min(model, n, s),
                "log10_asymptote": asymptote_log10_p_min(model, n) if s == 0 else math.nan,
            })
    table = pd.DataFrame(rows, columns=list(RARE_COLUMNS))
    table.attrs["cell_seconds"] = [
        {"model": p.model.name, "beta": p.model.beta, "n": p.n, "seconds": round(float(e.seconds), 3)}
        for p, e in zip(plans, estimates)
    ]
    return table
