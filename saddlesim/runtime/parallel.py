"""Where per-item pure work runs: this process, a local process pool, or a Dask cluster.

:func:`map_unordered` is the one entry point. It takes a function and a list
of items and yields ``(item, func(item))`` as items finish, in whatever order
they finish. Callers that need results not to depend on where or in which
order items run (sweep chunks, rare-event replicates, landscape instances)
give every item its own random stream keyed by what the item *is*, so the
executor is a choice of speed, never of numbers.

Three executors sit behind it, with one contract:

* serial -- ``workers=1`` (or a single item): in this process;
* process pool -- ``workers > 1``: forked workers on this machine;
* Dask -- ``scheduler`` given: an address ``tcp://host:8786``, ``"local"``
  (a :class:`distributed.LocalCluster` started here) or an open
  :class:`saddlesim.runtime.cluster.DaskCluster`. Dask is imported only on this path.

Every executor keeps at most a few items per worker in flight, so memory is
bounded by one item's result whatever the number of items.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from saddlesim.runtime.cores import IN_FLIGHT_PER_WORKER, default_workers

__all__ = ["map_unordered", "map_all", "serial_map", "process_map", "ProcessPool", "default_workers",
           "IN_FLIGHT_PER_WORKER"]

def serial_map(func: Callable[[Any], Any], items: Iterable) -> Iterator[tuple[Any, Any]]:
    """Yield ``(item, func(item))`` one after another in this process."""
    for item in items:
        yield item, func(item)


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; only the parent should react
    # (stop submitting, keep what finished), not every worker with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context():
    # fork on Linux: workers inherit the imported modules instead of paying
    # seconds of numpy/scipy imports each. Safe here because the pool forks
    # all its workers at the first submit, before any progress-display
    # thread exists (see process_map). Not once JAX is loaded: its runtime
    # threads are already running and a forked child can deadlock on their
    # locks (JAX warns so at fork), so then workers are spawned. Elsewhere: spawn.
    if sys.platform.startswith("linux") and "jax" not in sys.modules:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class ProcessPool:
    """A local process pool kept open across several maps: pass it as ``scheduler``.

    For a computation that maps in rounds (SLQ rounds, the certificate's
    stages): the workers start once, and whatever a worker built and cached
    (a loss rebuilt from its file and compiled) serves every later round,
    instead of a new pool — Python, JAX, the data, the compile: seconds — per round.
    Closed on ``close()`` or at the end of a ``with`` block.
    """

    def __init__(self, workers: int):
        self.workers = int(workers)
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self._pool = None

    def map_unordered(self, func: Callable[[Any], Any], items: Iterable) -> Iterator[tuple[Any, Any]]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_pool_context(),
                                             initializer=_ignore_sigint)
        return _results(self._pool, func, items, self.workers, shutdown=False)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _results(pool, func, items, workers: int, *, shutdown: bool) -> Iterator[tuple[Any, Any]]:
    """Submit ``items`` to ``pool`` (a few per worker in flight) now; yield ``(item, result)`` as each finishes.

    ``shutdown``: the pool is this map's own, shut down when the iterator ends
    (early too); else only the items not yet started are cancelled.
    """
    pending = list(reversed(list(items)))
    in_flight = {}

    def fill():
        while pending and len(in_flight) < IN_FLIGHT_PER_WORKER * workers:
            item = pending.pop()
            in_flight[pool.submit(func, item)] = item

    try:
        fill()
    except BaseException:
        if shutdown:
            pool.shutdown(wait=False, cancel_futures=True)
        raise

    def results():
        try:
            while in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in done:
                    item = in_flight.pop(fut)
                    yield item, fut.result()
                fill()
        finally:
            if shutdown:
                pool.shutdown(wait=not in_flight, cancel_futures=True)
            else:
                for fut in in_flight:          # a kept pool: drop what has not started, let the rest finish
                    fut.cancel()

    return results()


def process_map(func: Callable[[Any], Any], items: Iterable, workers: int) -> Iterator[tuple[Any, Any]]:
    """Run ``func`` over ``items`` on ``workers`` processes, yielding ``(item, result)`` as each finishes.

    The pool and its first tasks start when this function is called (not on
    first iteration), so worker processes exist before the caller starts any
    thread. At most ``IN_FLIGHT_PER_WORKER * workers`` items are in flight.
    If the consumer stops early (an exception, Ctrl-C), queued items are
    cancelled and running ones are left to finish on their own.
    """
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_ignore_sigint)
    return _results(pool, func, items, workers, shutdown=True)


def map_unordered(
    func: Callable[[Any], Any],
    items: Iterable,
    *,
    workers: int | None = 1,
    scheduler=None,
) -> Iterator[tuple[Any, Any]]:
    """Yield ``(item, func(item))`` for every item, as each finishes.

    Parameters
    ----------
    func : callable
        A pure function of one item, importable by name (a module-level
        function or a :func:`functools.partial` of one), so that worker
        processes and Dask workers can unpickle it.
    items : iterable
        Picklable work items (Dask pulls them lazily as workers free up).
    workers : int or None
        Local processes (1: run here; None: one per core). With a
        ``scheduler`` it only sizes a ``"local"`` cluster.
    scheduler : str, DaskCluster or ProcessPool, optional
        Run on Dask instead: ``"tcp://host:8786"``, ``"local"``, or an open
        :class:`saddlesim.runtime.cluster.DaskCluster` (left open afterwards; a
        cluster opened here from an address is closed when the iterator
        ends); or on an open :class:`ProcessPool` (left open).

    Returns
    -------
    iterator of (item, result)
        Work has already been submitted when this returns. Closing the
        iterator early cancels what has not started.

    Raises
    ------
    saddlesim.runtime.cluster.SchedulerUnreachableError, saddlesim.runtime.cluster.DaskMissingError
        With a ``scheduler`` that cannot be reached or without dask installed
        (both ``OSError``, so the CLI reports them as one line).
    """
    if isinstance(scheduler, ProcessPool):
        return scheduler.map_unordered(func, items)
    if scheduler is not None:
        from saddlesim.runtime.cluster import DaskCluster, connect

        if isinstance(scheduler, DaskCluster):
            return scheduler.map_unordered(func, items)
        cluster = connect(str(scheduler), workers=workers)
        try:
            inner = cluster.map_unordered(func, items)
        except BaseException:
            cluster.close()
            raise
        return _closing(inner, cluster)
    items = list(items)
    workers = default_workers() if workers is None else int(workers)
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    # Few items are not worth a pool's start-up (about a second).
    if workers == 1 or len(items) <= 1:
        return serial_map(func, items)
    return process_map(func, items, min(workers, len(items)))


def map_all(func: Callable[[Any], Any], items: Iterable, *, workers: int | None = 1, scheduler=None,
            progress: bool = False, label: str = "work") -> dict:
    """``{item: func(item)}`` for every (hashable) item, by :func:`map_unordered`, with a progress bar.

    For kinds whose work items are independent and whose tables are sorted
    afterwards (exact theory), so completion order never shows.
    """
    from saddlesim.runtime.progress import progress_bar

    items = list(items)
    stream = map_unordered(func, items, workers=workers, scheduler=scheduler)
    bar, task = progress_bar(progress, len(items), 0, label)
    done = {}
    try:
        with bar:
            for item, result in stream:
                done[item] = result
                bar.advance(task, 1)
    finally:
        stream.close()
    return done


def _closing(inner: Iterator, resource) -> Iterator:
    try:
        yield from inner
    finally:
        inner.close()
        resource.close()
