"""How much parallel work to run at once: workers per machine, items in flight per worker.

Shared by the local executors (:mod:`saddlesim.runtime.parallel`) and the Dask one
(:mod:`saddlesim.runtime.cluster`), which therefore need not import each other.
"""

from __future__ import annotations

import os

__all__ = ["default_workers", "IN_FLIGHT_PER_WORKER"]

#: Items in flight per worker: enough that a worker never waits for its next
#: item, few enough that a sweep of 10^11 draws never holds millions of futures.
IN_FLIGHT_PER_WORKER = 2


def default_workers() -> int:
    """Cores this process may use (affinity-aware where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
