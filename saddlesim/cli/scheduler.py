"""The ``--scheduler`` option shared by ``sweep``, ``run``, ``rare`` and ``landscape``: where a Dask cluster is.

Without ``--scheduler`` and without ``SADDLESIM_SCHEDULER`` nothing here
imports Dask; work runs on the local process pool as always.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated

import typer

__all__ = ["SCHEDULER_HELP", "SchedulerOpt", "open_scheduler"]

SCHEDULER_HELP = (
    "Run on a Dask cluster: a scheduler address such as tcp://host:8786, or 'local' to start a "
    "LocalCluster of --workers processes here (with a dashboard). Results are identical to a "
    "local run. Needs the dask extra: pip install saddlesim\\[dask]."
)

#: ``--scheduler ADDRESS``, read from ``SADDLESIM_SCHEDULER`` when absent.
SchedulerOpt = Annotated[str | None, typer.Option("--scheduler", envvar="SADDLESIM_SCHEDULER",
                                                  metavar="ADDRESS|local", help=SCHEDULER_HELP)]


@contextlib.contextmanager
def open_scheduler(address: str | None, workers: int | None, *, quiet: bool = False) -> Iterator:
    """Yield an open :class:`saddlesim.runtime.cluster.DaskCluster` for ``address``, or None without one.

    Unreachable scheduler or missing dask: ``OSError`` subclasses with a
    one-line message, raised before anything is written.
    """
    address = (address or "").strip()
    if not address:
        yield None
        return
    from saddlesim.runtime.cluster import connect

    with connect(address, workers=workers) as cluster:
        link = cluster.dashboard_link
        if not quiet:
            where = f"; dashboard {link}" if link else ""
            typer.echo(f"Dask scheduler {address}: {cluster.worker_threads()} worker threads{where}", err=True)
        yield cluster
