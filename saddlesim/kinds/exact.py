"""Experiment kind ``"exact"``: tabulate exact P(min) for GOE, GUE (and GSE), n = 1..n_max.

Spec keys (``experiments/exact_theory.toml``):

``n_max``  largest dimension (default 100); the GSE stops at ``MAX_GSE_N``
``betas``  Dyson indices with exact results (default ``[1, 2]``; 4 allowed)

Writes ``exact.csv`` (columns of :func:`saddlesim.theory.exact_table`, one row
per (beta, n)), ``meta.json`` (spec, provenance, timings) and the figures of
:func:`plot_experiment`. Results are deterministic, so ``workers`` only
changes the wall time.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from saddlesim.runtime.io import atomic_write_csv, read_tables
from saddlesim.runtime.parallel import map_all
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.theory.exact import has_exact
from saddlesim.theory.table import exact_table

__all__ = ["run_experiment", "plot_experiment", "QUICK_N_MAX"]

#: ``quick=True`` caps n_max here (the whole run then takes well under a second).
QUICK_N_MAX = 20


def _cell(task: tuple[int, int]) -> tuple[pd.DataFrame, float]:
    beta, n = task
    t0 = time.perf_counter()
    row = exact_table(beta, [n])
    return row, time.perf_counter() - t0


def _parse_spec(spec: dict, quick: bool) -> tuple[int, list[int]]:
    n_max = spec.get("n_max", 100)
    if isinstance(n_max, bool) or not isinstance(n_max, int) or n_max < 1:
        raise ValueError(f"spec 'n_max' must be an integer >= 1, got {n_max!r}")
    betas = spec.get("betas", [1, 2])
    if not isinstance(betas, list) or not betas:
        raise ValueError(f"spec 'betas' must be a non-empty list, got {betas!r}")
    bad = [b for b in betas if not has_exact(b)]
    if bad:
        raise ValueError(f"spec 'betas': exact results exist for beta = 1, 2 and 4 only, got {bad}")
    if quick:
        n_max = min(n_max, QUICK_N_MAX)
    return n_max, sorted({int(b) for b in betas})


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True,
                   scheduler=None) -> Path:
    """Compute the exact table and write ``exact.csv``, ``meta.json`` and figures.

    Parameters
    ----------
    spec : dict
        Parsed spec; keys ``n_max`` and ``betas`` (see module docstring).
    out : Path
        Results folder (created).
    workers : int, optional
        Processes; default one per core; 1 runs in this process.
    scheduler : str or saddlesim.runtime.cluster.DaskCluster, optional
        Run the cells on Dask instead (:func:`saddlesim.runtime.parallel.map_unordered`).
    quick : bool
        Cap ``n_max`` at :data:`QUICK_N_MAX` (smoke runs, tests).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    out : Path
    """
    out = Path(out)
    n_max, betas = _parse_spec(spec, quick)
    # Largest n first: cost grows like n^3, so the long tasks start early.
    tasks = [(b, n) for n in range(n_max, 0, -1) for b in betas if has_exact(b, n)]
    watch = Stopwatch()
    done = map_all(_cell, tasks, workers=workers, scheduler=scheduler, progress=progress, label="exact P(min)")
    df = pd.concat([done[t][0] for t in tasks], ignore_index=True).sort_values(["beta", "n"])
    seconds = {f"beta={b},n={n}": round(done[(b, n)][1], 4) for b, n in tasks}
    atomic_write_csv(out / "exact.csv", df)
    last = df.groupby("beta").tail(1)
    summary = {"rows": int(len(df)),
               "log10_p_min_at_largest_n": {f"beta={int(r.beta)},n={int(r.n)}": float(r.log10_p_min)
                                            for r in last.itertuples(index=False)},
               "files": {"exact.csv": "exact P(min) per (beta, n); see saddlesim.theory.exact_table"}}
    write_record(out, make_record(
        "exact", resolved_spec(spec, {"n_max": n_max, "betas": betas}, quick=quick), seed_entropy=None,
        timings={**watch.timings(workers=workers), "cpu_seconds": round(sum(seconds.values()), 3),
                 "seconds_by_cell": seconds},
        summary=summary))
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake the figures from ``out/exact.csv`` alone; return their paths.

    ``theta.{png,pdf}``: θ_n = -ln P(min)/n² against n with the Dean-Majumdar
    limits; ``log10_p_min.{png,pdf}``: log10 P(min) for the coin-flip claim, GOE, GUE
    (and GSE up to n = MAX_GSE_N).
    """
    from saddlesim.plots.style import save_figure
    from saddlesim.plots.theory import plot_log10_p_min, plot_theta

    out = Path(out)
    (df,) = read_tables(out, "exact.csv")
    paths = save_figure(plot_theta(df), out / "theta")
    paths += save_figure(plot_log10_p_min(df), out / "log10_p_min")
    return paths
