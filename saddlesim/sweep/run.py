"""Run a sweep end to end: plan → chunks → executor → journal → tables + ``meta.json``.

:func:`run_sweep` is what the CLI, ``make experiments`` and the tests call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.runtime.io import atomic_write_csv
from saddlesim.runtime.progress import progress_bar
from saddlesim.runtime.record import Stopwatch, make_record, split_caller_meta, write_record
from saddlesim.sweep.executors import dask_executor, default_workers, process_executor, serial_executor
from saddlesim.sweep.plan import Chunk, SweepPlan
from saddlesim.runtime.journal import check_resumable, create_folder, executor
from saddlesim.sweep.store import CHUNKS_DIR, ChunkStore
from saddlesim.sweep.table import index_counts_table, results_table
from saddlesim.index.weights import add_tallies, empty_tally

__all__ = ["SweepResult", "run_sweep", "sweep_counts"]


@dataclass
class SweepResult:
    """What a finished sweep wrote.

    Attributes
    ----------
    results : DataFrame
        ``results.csv``, one row per cell.
    index_counts : DataFrame
        ``index_counts.csv``, tidy histogram.
    meta : dict
        ``meta.json``.
    out : Path or None
    """

    results: pd.DataFrame
    index_counts: pd.DataFrame
    meta: dict
    out: Path | None


def sweep_counts(
    plan: SweepPlan,
    *,
    workers: int | None = 1,
    done: dict | None = None,
    on_chunk: Callable[[Chunk, np.ndarray, float], None] | None = None,
    progress: bool = False,
    scheduler=None,
) -> tuple[list[np.ndarray], list[float]]:
    """Summed index histogram and compute time of every cell (no files).

    Parameters
    ----------
    plan : SweepPlan
    workers : int, optional
        1 runs in this process; more use a process pool; None means one per core.
    done : dict, optional
        Already finished chunks ``{(cell, chunk index): (counts, seconds)}``; skipped.
    on_chunk : callable, optional
        Called as ``on_chunk(chunk, counts, seconds)`` in this process after
        each chunk finishes (the store persists chunks through it).
    progress : bool
        Show a rich progress bar (on stderr) over samples.
    scheduler : str or saddlesim.runtime.cluster.DaskCluster, optional
        Run on Dask instead of local processes (see
        :func:`saddlesim.runtime.parallel.map_unordered`); the counts are the same.

    Returns
    -------
    counts : list of ndarray of int64, shape (n_i + 2,)
        Per cell; with ``plan.weight`` a weighted tally of shape (3, n_i + 2)
        (:mod:`saddlesim.index.weights`).
    seconds : list of float
        Per cell, in ``plan.cells`` order (a chunk's time is split evenly
        over the shifts that share its draws).
    """
    workers = default_workers() if workers is None else int(workers)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    done = dict(done or {})
    if plan.weight is None:
        counts = [np.zeros(c.n + 2, dtype=np.int64) for c in plan.cells]
    else:
        counts = [empty_tally(c.n) for c in plan.cells]
    seconds = [0.0] * len(plan.cells)

    def add(chunk, c, s):
        group = plan.group_of(chunk.cell)
        if plan.weight is None and np.ndim(c) == 1:
            c = np.asarray(c)[None]  # a one-shift group's plain histogram
        for j, i in enumerate(group):
            counts[i] = counts[i] + c[j] if plan.weight is None else add_tallies(counts[i], c[j])
            seconds[i] += s / len(group)

    chunks = plan.chunks()
    todo = []
    for chunk in chunks:
        if (chunk.cell, chunk.index) in done:
            add(chunk, *done[(chunk.cell, chunk.index)])
        else:
            todo.append(chunk)
    total = sum(c.size for c in chunks)
    bar, task = progress_bar(progress, total, total - sum(c.size for c in todo), "samples")
    # Small sweeps are not worth a pool's start-up (about a second).
    if scheduler is not None and todo:
        results = dask_executor(plan, todo, scheduler)
    elif workers == 1 or len(todo) <= 1:
        results = serial_executor(plan, todo)
    else:
        results = process_executor(plan, todo, min(workers, len(todo)))
    with bar:
        try:
            for chunk, c, s in results:
                if on_chunk is not None:
                    on_chunk(chunk, c, s)
                add(chunk, c, s)
                bar.advance(task, chunk.size)
        finally:
            results.close()
    return counts, seconds


def run_sweep(
    plan: SweepPlan,
    out: str | Path,
    *,
    workers: int | None = None,
    progress: bool = False,
    overwrite: bool = False,
    meta_extra: dict | None = None,
    on_chunk: Callable[[Chunk, np.ndarray, float], None] | None = None,
    scheduler=None,
) -> SweepResult:
    """Run (or resume) ``plan`` into folder ``out`` and write its tables.

    Parameters
    ----------
    plan : SweepPlan
    out : path
        Results folder; created only once everything is validated.
    workers : int, optional
        Processes; default one per core. Results do not depend on it.
    progress : bool
        Progress bar on stderr.
    overwrite : bool
        If ``out`` holds a different sweep (finished or not), replace it
        instead of raising.
    meta_extra : dict, optional
        For ``meta.json`` (:mod:`saddlesim.runtime.record`): its ``spec`` is the
        record's spec (default: the plan's fingerprint), every other key
        (``title`` …) goes into the record's summary.
    on_chunk : callable, optional
        Called after each chunk is persisted (tests use it to interrupt).
    scheduler : str or saddlesim.runtime.cluster.DaskCluster, optional
        Run the chunks on Dask: ``tcp://host:8786``, ``"local"`` (a
        LocalCluster of ``workers`` processes) or an open cluster. The tables
        are byte-identical to a local run, and either resumes the other.

    Returns
    -------
    SweepResult

    Raises
    ------
    ValueError
        ``out`` not writable, or holding a different sweep without ``overwrite``.
    saddlesim.runtime.cluster.SchedulerUnreachableError
        No scheduler at ``scheduler`` (nothing is written).
    saddlesim.runtime.cluster.SchedulerLostError
        The scheduler went away mid-run; the message names the folder whose
        journal keeps the finished chunks.
    """
    out = Path(out)
    store = ChunkStore(out, plan)
    conflict = check_resumable(out, store, workers=workers, overwrite=overwrite)
    with executor(scheduler, workers) as scheduler:
        return _run_sweep(plan, out, store, conflict, workers=workers, progress=progress,
                          overwrite=overwrite, meta_extra=meta_extra, on_chunk=on_chunk,
                          scheduler=scheduler)


def _run_sweep(plan, out, store, conflict, *, workers, progress, overwrite, meta_extra, on_chunk,
               scheduler) -> SweepResult:
    create_folder(out, store, conflict, ("meta.json", "results.csv", "index_counts.csv"), overwrite=overwrite)
    done = store.load()

    def persist(chunk, counts, seconds):
        store.save(chunk, counts, seconds)
        if on_chunk is not None:
            on_chunk(chunk, counts, seconds)

    watch = Stopwatch()
    workers_used = default_workers() if workers is None else int(workers)
    try:
        counts, seconds = sweep_counts(plan, workers=workers_used, done=done, on_chunk=persist,
                                       progress=progress, scheduler=scheduler)
    except ConnectionError as exc:
        from saddlesim.runtime.cluster import SchedulerLostError

        if not isinstance(exc, SchedulerLostError):
            raise
        raise SchedulerLostError(
            f"{exc}; finished chunks are kept in {out}/{CHUNKS_DIR}: rerun with the same "
            f"arguments and seed {plan.entropy} to resume (on any executor)"
        ) from None
    executor = {}
    if scheduler is not None:
        workers_used = scheduler.worker_threads()
        executor = {"executor": "dask", "scheduler": scheduler.address}

    results = results_table(plan, counts)
    index_counts = index_counts_table(plan, counts)
    spec, extra = split_caller_meta(meta_extra, plan.fingerprint())
    meta = make_record(
        "sweep", spec,
        seed_entropy=plan.entropy,
        fingerprint=plan.fingerprint(),
        # cpu_seconds: the chunks' own compute time, wherever they ran (Dask workers included)
        timings={**watch.timings(), "cpu_seconds": round(sum(seconds), 3),
                 "cell_compute_seconds": [round(s, 3) for s in seconds],
                 "workers": workers_used, **executor,
                 "chunks_total": len(plan.chunks()), "chunks_resumed": len(done)},
        summary={**extra,
                 "cells": len(plan.cells), "draws": int(plan.samples * len(plan.groups)),
                 "minima_all_cells": int(results["minima"].sum()),
                 "degenerate_all_cells": int(results["degenerate"].sum()),
                 "files": {
                     "results.csv": "one row per (model, beta, n) cell; see saddlesim.sweep.table",
                     "index_counts.csv": "tidy index histogram; index -1 = degenerate",
                 }},
    )
    atomic_write_csv(out / "results.csv", results)
    atomic_write_csv(out / "index_counts.csv", index_counts)
    # meta.json last: its presence (make's target) means the tables are complete
    write_record(out, meta)
    store.discard()
    return SweepResult(results, index_counts, meta, out)
