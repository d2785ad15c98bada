"""Where chunks run: in this process, in a pool of worker processes, or on a Dask cluster.

An executor takes ``(plan, chunks)`` and yields ``(chunk, counts, seconds)``
as chunks finish, in whatever order they finish. Because every chunk owns its
random stream (:meth:`SweepPlan.seed_sequence`) and counts add, the order
does not change the result. The machinery is generic
(:func:`saddlesim.parallel.map_unordered`); this module binds it to chunks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from functools import partial

import numpy as np

from saddlesim.parallel import default_workers, map_unordered, process_map
from saddlesim.sampling import index_histogram, sample_index
from saddlesim.sweep.plan import Chunk, SweepPlan

__all__ = ["run_chunk", "serial_executor", "process_executor", "dask_executor", "default_workers"]


def run_chunk(plan: SweepPlan, chunk: Chunk) -> tuple[np.ndarray, float]:
    """Draw one chunk and histogram its indices.

    Returns
    -------
    counts : ndarray of int64, shape (n + 2,)
        Index 0..n then degenerate, as :func:`saddlesim.sampling.index_histogram`.
    seconds : float
        Time spent.
    """
    cell = plan.cells[chunk.cell]
    t0 = time.perf_counter()
    rng = np.random.default_rng(plan.seed_sequence(chunk))
    index = sample_index(cell.model, cell.n, chunk.size, rng, method=plan.method, tol=plan.tol)
    return index_histogram(index, cell.n), time.perf_counter() - t0


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

    See :func:`saddlesim.parallel.process_map`: the pool starts when this is
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
    cluster : str or saddlesim.cluster.DaskCluster
        An open cluster (stays open), or an address / ``"local"`` to open one
        for this call.
    """
    return _flatten(map_unordered(partial(run_chunk, plan), chunks, scheduler=cluster))
