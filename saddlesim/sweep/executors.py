"""Where chunks run: in this process, in a pool of worker processes, or on a Dask cluster.

An executor takes ``(plan, chunks)`` and yields ``(chunk, counts, seconds)``
as chunks finish, in whatever order they finish. Because every chunk owns its
random stream (:meth:`SweepPlan.seed_sequence`) and counts add, the order
does not change the result. The machinery is generic
(:func:`saddlesim.runtime.parallel.map_unordered`); this module binds it to chunks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from functools import partial

import numpy as np

from saddlesim.runtime.parallel import default_workers, map_unordered, process_map
from saddlesim.index.sampling import index_histogram
from saddlesim.index.shifted import sample_index_shifted
from saddlesim.sweep.plan import Chunk, SweepPlan
from saddlesim.index.weights import weighted_tally

__all__ = ["run_chunk", "serial_executor", "process_executor", "dask_executor", "default_workers"]


def run_chunk(plan: SweepPlan, chunk: Chunk) -> tuple[np.ndarray, float]:
    """Draw one chunk and histogram its indices at every shift of its group.

    Returns
    -------
    counts : ndarray of int64, shape (k, n + 2) -- (n + 2,) when k = 1 --; or of float64, shape (k, 3, n + 2)
        One row per cell of the chunk's group (:meth:`SweepPlan.group_of`):
        index 0..n then degenerate, as :func:`saddlesim.index.sampling.index_histogram`.
        With ``plan.weight == 'det'`` each row is a weighted tally
        (:func:`saddlesim.index.weights.weighted_tally`).
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
        if len(group) == 1:
            # an unshifted cell keeps the plain (n + 2,) histogram of every other executor
            counts = counts[0]
    else:
        counts = np.stack([weighted_tally(row, lw, cell.n) for row, lw in zip(index, log_w)])
    return counts, time.perf_counter() - t0


def serial_executor(plan: SweepPlan, chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, np.ndarray, float]]:
    """Run chunks one after another in this process."""
    for chunk in chunks:
        counts, seconds = run_chunk(plan, chunk)
        yield chunk, counts, seconds


def _flatten(results) -> Iterator[tuple[Chunk, np.ndarray, float]]:
    try:
        for chunk, (counts, seconds) in results:
            yield chunk, counts, seconds
    finally:
        results.close()


def process_executor(
    plan: SweepPlan, chunks: Sequence[Chunk], workers: int
) -> Iterator[tuple[Chunk, np.ndarray, float]]:
    """Run chunks on ``workers`` processes, yielding each as it finishes.

    See :func:`saddlesim.runtime.parallel.process_map`: the pool starts when this is
    called, at most ``2 * workers`` chunks are in flight, and stopping early
    cancels queued chunks.
    """
    return _flatten(process_map(partial(run_chunk, plan), chunks, workers))


def dask_executor(plan: SweepPlan, chunks: Sequence[Chunk], cluster) -> Iterator[tuple[Chunk, np.ndarray, float]]:
    """Run chunks on a Dask cluster, yielding each as it finishes (results come back here).

    Parameters
    ----------
    plan : SweepPlan
    chunks : sequence of Chunk
    cluster : str or saddlesim.runtime.cluster.DaskCluster
        An open cluster (stays open), or an address / ``"local"`` to open one
        for this call.
    """
    return _flatten(map_unordered(partial(run_chunk, plan), chunks, scheduler=cluster))
