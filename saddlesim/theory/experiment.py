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

import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from saddlesim.io import atomic_write_csv, atomic_write_json, provenance, read_tables
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


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True) -> Path:
    """Compute the exact table and write ``exact.csv``, ``meta.json`` and figures.

    Parameters
    ----------
    spec : dict
        Parsed spec; keys ``n_max`` and ``betas`` (see module docstring).
    out : Path
        Results folder (created).
    workers : int, optional
        Processes; default ``os.cpu_count()``. 1 runs in this process.
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
    workers = workers or os.cpu_count() or 1
    t0 = time.perf_counter()
    if workers == 1:
        results = map(_cell, tasks)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        results = pool.map(_cell, tasks)
    try:
        if progress:
            from rich.progress import track

            results = track(results, total=len(tasks), description="exact P(min)", transient=True)
        done = list(results)
    finally:
        if pool is not None:
            pool.shutdown()
    elapsed = time.perf_counter() - t0
    df = pd.concat([row for row, _ in done], ignore_index=True).sort_values(["beta", "n"])
    seconds = {f"beta={b},n={n}": round(s, 4) for (b, n), (_, s) in zip(tasks, done)}
    atomic_write_csv(out / "exact.csv", df)
    atomic_write_json(
        out / "meta.json",
        {
            "kind": "exact",
            "spec": spec,
            "quick": bool(quick),
            "n_max": n_max,
            "betas": betas,
            **provenance(),
            "timings": {
                "total_seconds": round(elapsed, 3),
                "workers": workers,
                "seconds_by_cell": seconds,
            },
        },
    )
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake the figures from ``out/exact.csv`` alone; return their paths.

    ``theta.{png,pdf}``: θ_n = -ln P(min)/n² against n with the Dean-Majumdar
    limits; ``log10_p_min.{png,pdf}``: log10 P(min) for the seed, GOE, GUE
    (and GSE up to n = MAX_GSE_N).
    """
    from saddlesim.plots.style import save_figure
    from saddlesim.plots.theory import plot_log10_p_min, plot_theta

    out = Path(out)
    (df,) = read_tables(out, "exact.csv")
    paths = save_figure(plot_theta(df), out / "theta")
    paths += save_figure(plot_log10_p_min(df), out / "log10_p_min")
    return paths
