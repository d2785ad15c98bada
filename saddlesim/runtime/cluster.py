"""A Dask cluster as one more executor: connect, map pure items, report faults in one line.

Only this module imports ``dask``/``distributed``, and only when a scheduler
is asked for (``--scheduler``, ``SADDLESIM_SCHEDULER``), so a plain install
without the ``[dask]`` extra behaves exactly as before.

What the cluster may and may not do:

* items travel to workers pickled, results come back to this process (the
  *client*); workers never touch the results folder, so no shared
  filesystem is assumed and only the client writes the journal;
* a worker that dies (SIGKILL, OOM, a preempted node) costs only the items
  it was running: the scheduler reruns them elsewhere, and because items are
  pure functions of their seed key the results are unchanged;
* losing the scheduler cancels every future; :meth:`DaskCluster.map_unordered`
  then raises :class:`SchedulerLostError`, after which the caller's journal
  holds every item that finished.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import time
from collections.abc import Callable, Iterator
from typing import Any

from saddlesim.runtime.cores import IN_FLIGHT_PER_WORKER, default_workers

__all__ = [
    "DaskCluster",
    "connect",
    "DaskMissingError",
    "SchedulerUnreachableError",
    "SchedulerLostError",
    "CONNECT_TIMEOUT",
    "ENV_VAR",
]

#: Environment variable the CLI reads when ``--scheduler`` is not given.
ENV_VAR = "SADDLESIM_SCHEDULER"
#: Seconds to wait for a scheduler at start before giving up.
CONNECT_TIMEOUT = 10.0
#: How often the in-flight bound re-reads the number of worker threads
#: (workers may join later, e.g. SLURM jobs leaving the queue).
_RESIZE_SECONDS = 2.0
#: How often a wait for results checks that the scheduler is still there.
_POLL_SECONDS = 1.0


class DaskMissingError(OSError):
    """``--scheduler`` was asked for but ``dask[distributed]`` is not installed."""


class SchedulerUnreachableError(ConnectionError):
    """No Dask scheduler answered at the given address within the connect timeout."""


class SchedulerLostError(ConnectionError):
    """The connection to the Dask scheduler dropped while work was in flight."""


def _versions() -> dict:
    import numpy

    import saddlesim

    return {"saddlesim": saddlesim.__version__, "numpy": numpy.__version__}


def _worker_versions() -> dict:
    # a name of its own, run by workers from their own installation
    return _versions()


def _describe(versions: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))


def _distributed():
    try:
        import distributed
    except ImportError:
        raise DaskMissingError(
            "--scheduler needs Dask: pip install 'saddlesim[dask]' (dask[distributed])"
        ) from None
    return distributed


# glibc mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_malloc_tuned = False


def _tune_malloc() -> None:
    """Give numpy's large temporaries glibc's heap back, once per worker process.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which
    also freezes glibc's mmap threshold at 128 KiB: every multi-megabyte
    temporary of a sampler block is then a fresh mmap, page-faulted and
    unmapped. Measured on GOE n = 10 chunks of 838 860 draws: 16 % slower
    (median of 10 interleaved pairs) than with glibc's own dynamic limits,
    which this restores at their maxima (mmap 32 MiB, trim 64 MiB). A chunk's
    memory is bounded by its block size, so the retained heap is too.
    Not glibc (macOS, musl): nothing to do.
    """
    global _malloc_tuned
    if _malloc_tuned:
        return
    _malloc_tuned = True
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    except (OSError, AttributeError):
        pass


def _on_worker(func: Callable[[Any], Any], item):
    # the task as a worker runs it: malloc limits first (see _tune_malloc)
    _tune_malloc()
    return func(item)


class DaskCluster:
    """A :class:`distributed.Client` plus, for ``"local"``, the LocalCluster it started.

    Parameters
    ----------
    address : str
        ``tcp://host:8786`` (any address ``distributed.Client`` accepts) or
        ``"local"``: start a :class:`distributed.LocalCluster` of ``workers``
        single-threaded worker processes here (its dashboard shows progress).
    workers : int, optional
        Worker processes of a ``"local"`` cluster; default one per core.
        Ignored for a remote scheduler, whose workers are whatever joined it.
    timeout : float, optional
        Seconds to wait for the scheduler before :class:`SchedulerUnreachableError`;
        default :data:`CONNECT_TIMEOUT`.

    Raises
    ------
    DaskMissingError, SchedulerUnreachableError
    """

    def __init__(self, address: str, *, workers: int | None = None, timeout: float | None = None):
        distributed = _distributed()
        timeout = CONNECT_TIMEOUT if timeout is None else float(timeout)
        self.address = address
        self._local = None
        if address == "local":
            n = default_workers() if workers is None else int(workers)
            if n < 1:
                raise ValueError(f"workers must be >= 1, got {n}")
            # Processes with one thread each: the samplers hold the GIL, and a
            # killed worker process then takes down only its own chunks.
            self._local = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
            )
            self.client = distributed.Client(self._local, set_as_default=False)
        else:
            try:
                self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise SchedulerUnreachableError(
                    f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
                    f"({exc.__class__.__name__}); is `dask scheduler` running there?"
                ) from None
        self._threads = 0
        self._threads_read = float("-inf")
        self._lost = False
        try:
            self._check_versions()
        except BaseException:
            self.close()
            raise

    def _check_versions(self) -> None:
        # Streams depend on numpy's generators and on our sampling code: a
        # worker with other versions would silently give other numbers.
        mine = _versions()
        theirs = self.client.run(_worker_versions)
        for worker, versions in theirs.items():
            if versions != mine:
                raise ValueError(
                    f"Dask worker {worker} runs {_describe(versions)}, this client {_describe(mine)}; "
                    f"install the same versions everywhere so results match"
                )

    @property
    def dashboard_link(self) -> str | None:
        """The scheduler's dashboard URL, when it serves one."""
        try:
            if "dashboard" not in self.client.scheduler_info().get("services", {}):
                return None
            return self.client.dashboard_link
        except Exception:  # no bokeh, or no dashboard: nothing to show
            return None

    def worker_threads(self) -> int:
        """Total threads of the workers now connected (re-read at most every 2 s)."""
        now = time.monotonic()
        if now - self._threads_read > _RESIZE_SECONDS:
            try:
                self._threads = sum(self.client.nthreads().values())
            except Exception:
                pass  # a lost scheduler shows up as cancelled futures, reported there
            self._threads_read = now
        return self._threads

    def map_unordered(self, func: Callable[[Any], Any], items) -> Iterator[tuple[Any, Any]]:
        """Run ``func`` over ``items`` on the cluster; yield ``(item, result)`` as each finishes.

        Submission is bounded: at most ``IN_FLIGHT_PER_WORKER`` items per
        worker thread (at least 4) are submitted at a time, and every result
        is gathered to this process as it completes. Work starts when this
        method is called. Closing the iterator early cancels what is queued.

        Raises
        ------
        SchedulerLostError
            When the scheduler connection drops (every future is cancelled).
        """
        distributed = _distributed()
        # pulled lazily: a 10^12-draw sweep's millions of chunks are never copied here
        pending = iter(items)
        exhausted = False
        in_flight: dict = {}
        finished: queue.SimpleQueue = queue.SimpleQueue()

        def lost() -> SchedulerLostError:
            self._lost = True
            return SchedulerLostError(f"lost the Dask scheduler at {self.address}")

        def fill():
            nonlocal exhausted
            limit = max(4, IN_FLIGHT_PER_WORKER * self.worker_threads())
            while not exhausted and len(in_flight) < limit:
                if self.client.status != "running":
                    raise lost()
                try:
                    item = next(pending)
                except StopIteration:
                    exhausted = True
                    break
                # pure=False: no hashing of arguments into the key; reruns of
                # a lost item are the scheduler's business, not deduplication's
                fut = self.client.submit(_on_worker, func, item, pure=False)
                in_flight[fut.key] = (fut, item)
                fut.add_done_callback(finished.put)

        fill()

        def results():
            try:
                while in_flight:
                    try:
                        fut = finished.get(timeout=_POLL_SECONDS)
                    except queue.Empty:
                        # Futures submitted while the client is reconnecting
                        # never finish: poll the connection instead.
                        if self.client.status != "running":
                            raise lost() from None
                        continue
                    if fut.key not in in_flight:
                        continue
                    _, item = in_flight.pop(fut.key)
                    if fut.status == "cancelled":
                        raise lost()
                    try:
                        value = fut.result()
                    except distributed.client.FutureCancelledError:
                        raise lost() from None
                    fut.release()
                    yield item, value
                    fill()
            finally:
                if in_flight and not self._lost:
                    try:
                        self.client.cancel([f for f, _ in in_flight.values()])
                    except Exception:
                        pass  # nothing left to cancel on a scheduler that is gone
                in_flight.clear()

        return results()

    def close(self) -> None:
        """Close the client (and stop a LocalCluster started here)."""
        quiet = _Quiet("distributed.client", "distributed.core") if self._lost else contextlib.nullcontext()
        with quiet:
            try:
                self.client.close(timeout=5)
            except Exception:
                pass  # closing after a lost scheduler may time out; nothing to keep
        if self._local is not None:
            try:
                self._local.close(timeout=10)
            except Exception:
                pass

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Quiet:
    """Silence loggers: after a lost scheduler, the one-line error says it all
    (distributed would add tracebacks of its failed reconnection)."""

    def __init__(self, *names: str):
        self.loggers = [logging.getLogger(n) for n in names]

    def __enter__(self):
        self.levels = [lg.level for lg in self.loggers]
        for lg in self.loggers:
            lg.setLevel(logging.CRITICAL + 1)

    def __exit__(self, *exc):
        for lg, level in zip(self.loggers, self.levels):
            lg.setLevel(level)


def connect(address: str, *, workers: int | None = None, timeout: float | None = None) -> DaskCluster:
    """Open a :class:`DaskCluster` (see there); close it, or use it as a context manager."""
    return DaskCluster(address, workers=workers, timeout=timeout)
