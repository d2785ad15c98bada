"""Where chunks run: in this process, or in a pool of worker processes.

An executor takes ``(plan, chunks)`` and yields ``(chunk, counts, seconds)``
as chunks finish, in whatever order they finish. Because every chunk owns its
random stream (:meth:`SweepPlan.seed_sequence`) and counts add, the order
does not change the result.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

import numpy as np

from saddlesim.sampling import index_histogram
from saddlesim.shifted import sample_index_shifted
from saddlesim.sweep.plan import Chunk, SweepPlan
from saddlesim.weights import weighted_tally

__all__ = ["run_chunk", "serial_executor", "process_executor", "default_workers"]


def default_workers() -> int:
    """Cores this process may use (affinity-aware where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_chunk(plan: SweepPlan, chunk: Chunk) -> tuple[np.ndarray, float]:
    """Draw one chunk and histogram its indices at every shift of its group.

    Returns
    -------
    counts : ndarray of int64, shape (k, n + 2); or of float64, shape (k, 3, n + 2)
        One row per cell of the chunk's group (:meth:`SweepPlan.group_of`):
        index 0..n then degenerate, as :func:`saddlesim.sampling.index_histogram`.
        With ``plan.weight == 'det'`` each row is a weighted tally
        (:func:`saddlesim.weights.weighted_tally`).
    seconds : float
        Time spent.
    """
    group = plan.group_of(chunk.cell)
    cell = plan.cells[chunk.cell]
    t0 = time.perf_counter()
    rng = np.random.default_rng(plan.seed_sequence(chunk))
    index, log_w = sample_index_shifted(
        cell.model, cell.n, chunk.size, rng, shifts=[plan.cells[i].shift for i in group],
        method=plan.method, tol=plan.tol, weight=plan.weight,
    )
    if log_w is None:
        counts = np.stack([index_histogram(row, cell.n) for row in index])
    else:
        counts = np.stack([weighted_tally(row, lw, cell.n) for row, lw in zip(index, log_w)])
    return counts, time.perf_counter() - t0


def serial_executor(plan: SweepPlan, chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, np.ndarray, float]]:
    """Run chunks one after another in this process."""
    for chunk in chunks:
        counts, seconds = run_chunk(plan, chunk)
        yield chunk, counts, seconds


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; only the parent should react
    # (stop submitting, keep what finished), not every worker with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context():
    # fork on Linux: workers inherit the imported modules instead of paying
    # seconds of numpy/scipy imports each. Safe here because the pool forks
    # all its workers at the first submit, before any progress-display
    # thread exists (see process_executor). Elsewhere: spawn.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def process_executor(
    plan: SweepPlan, chunks: Sequence[Chunk], workers: int
) -> Iterator[tuple[Chunk, np.ndarray, float]]:
    """Run chunks on ``workers`` processes, yielding each as it finishes.

    The pool and its first tasks start when this function is called (not on
    first iteration), so worker processes exist before the caller starts any
    thread. At most ``2 * workers`` chunks are in flight, so memory stays
    bounded by the chunk size whatever the length of the sweep. If the
    consumer stops early (an exception, Ctrl-C), queued chunks are cancelled
    and running ones are left to finish on their own.
    """
    pending = list(reversed(chunks))
    in_flight = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_ignore_sigint)

    def fill():
        while pending and len(in_flight) < 2 * workers:
            chunk = pending.pop()
            in_flight[pool.submit(run_chunk, plan, chunk)] = chunk

    try:
        fill()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise

    def results():
        try:
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in done:
                    chunk = in_flight.pop(fut)
                    counts, seconds = fut.result()
                    yield chunk, counts, seconds
                fill()
        finally:
            pool.shutdown(wait=not in_flight, cancel_futures=True)

    return results()
