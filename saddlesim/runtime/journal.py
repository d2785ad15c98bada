"""A resumable run into a results folder: the journal of finished items, and the steps around it.

Sweeps (chunks) and landscape searches (instances) run the same way:

1. :func:`check_resumable` — the folder is writable and holds either
   nothing, this very run (resume), or another run (an error unless
   ``overwrite``); nothing is created yet;
2. :func:`executor` — connect to a Dask scheduler if one is asked for,
   still before anything is created, so an unreachable scheduler leaves no
   folder behind;
3. :func:`create_folder` — create the folder (removing a stale table set of
   another run) and open the journal; on failure remove whatever was created;
4. finished items go to the journal one file each (atomically, fsync'd:
   :meth:`Journal.write`), so an interrupted run resumes where it stopped;
   the tables are written last and the journal discarded.

A :class:`Journal` subclass says what an item is (its ``save``/``load``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from saddlesim.runtime.io import atomic_path, atomic_write_json, check_writable_dir

__all__ = ["Journal", "check_resumable", "executor", "create_folder", "differences"]


class Journal:
    """Finished items of one run in ``out/<dirname>``, keyed by the plan's fingerprint.

    Parameters
    ----------
    out : Path
        The results folder.
    plan : object with ``fingerprint()``
    dirname : str
        The journal's folder inside ``out`` (hidden: ``.chunks``, ``.instances``).
    what : str
        What an unfinished run is called in messages ("sweep", "landscape run").
    """

    def __init__(self, out: Path, plan, dirname: str, what: str):
        self.out = Path(out)
        self.dir = self.out / dirname
        self.plan = plan
        self.what = what
        self._fingerprint = plan.fingerprint()

    def conflict(self) -> str | None:
        """Why ``out`` holds a different run, or None if it may be (re)used (no side effects)."""
        plan_file = self.dir / "plan.json"
        for path, holds in ((plan_file, f"an unfinished {self.what} with different arguments"),
                            (self.out / "meta.json", "results of a different run")):
            if not path.exists():
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                return f"{path} is unreadable"
            fingerprint = data if path == plan_file else data.get("fingerprint")
            if fingerprint != self._fingerprint:
                return f"{self.out} holds {holds}{differences(fingerprint, self._fingerprint)}"
            return None
        return None

    def open(self, *, overwrite: bool = False) -> None:
        """Create the journal with this plan's fingerprint (discarding a different one if ``overwrite``)."""
        if self.conflict() is not None and overwrite:
            shutil.rmtree(self.dir, ignore_errors=True)
        plan_file = self.dir / "plan.json"
        if not plan_file.exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            atomic_write_json(plan_file, self._fingerprint)

    def write(self, name: str, **arrays) -> None:
        """Persist one finished item as ``name`` (.npz) atomically and durably (fsync before rename)."""
        with atomic_path(self.dir / name) as tmp:
            with open(tmp, "wb") as f:
                np.savez(f, **arrays)
                f.flush()
                os.fsync(f.fileno())

    def files(self) -> Iterator[Path]:
        """The journal's files (none before :meth:`open`)."""
        if self.dir.is_dir():
            yield from self.dir.iterdir()

    def discard(self) -> None:
        """Remove the journal once the tables are written."""
        shutil.rmtree(self.dir, ignore_errors=True)


def differences(held, wanted) -> str:
    """``" (seed: 12 there, 7 here; ...)"``: which settings of two fingerprints differ, for a message.

    When only the random seed differs the message says which ``--seed`` resumes the
    run that is there (a fresh seed is the usual reason a rerun does not match).
    """
    if not isinstance(held, dict) or not isinstance(wanted, dict):
        return ""
    keys = [k for k in dict.fromkeys([*held, *wanted]) if held.get(k) != wanted.get(k)]
    if not keys:
        return ""
    name = {"entropy": "seed"}
    parts = [f"{name.get(k, k)}: {_short(held.get(k))} there, {_short(wanted.get(k))} here" for k in keys]
    hint = f"; the run there used --seed {held['entropy']}" if keys == ["entropy"] else ""
    return f" ({'; '.join(parts)}{hint})"


def _short(value, width: int = 60) -> str:
    text = json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def check_resumable(out: Path, journal: Journal, *, workers, overwrite: bool) -> str | None:
    """Validate before creating anything; return the conflict that ``overwrite`` allows, if any.

    Raises
    ------
    ValueError
        Bad ``workers``, ``out`` not writable, or holding a different run without ``overwrite``.
    """
    if workers is not None and (isinstance(workers, bool) or int(workers) < 1):
        raise ValueError(f"workers must be >= 1, got {workers}")
    check_writable_dir(out)
    conflict = journal.conflict()
    if conflict and not overwrite:
        raise ValueError(
            f"{conflict}; rerun with the same arguments (and seed) to resume, "
            f"choose another output folder, or overwrite it (--overwrite)"
        )
    return conflict


@contextlib.contextmanager
def executor(scheduler, workers):
    """The Dask cluster for ``scheduler`` (an address: connected here, closed after), or it as given.

    Yields
    ------
    None, or a :class:`saddlesim.runtime.cluster.DaskCluster`
    """
    cluster = None
    if isinstance(scheduler, str):
        from saddlesim.runtime.cluster import connect

        cluster = scheduler = connect(scheduler, workers=workers)
    try:
        yield scheduler
    finally:
        if cluster is not None:
            cluster.close()


def create_folder(out: Path, journal: Journal, conflict, stale: Sequence[str], *, overwrite: bool) -> None:
    """Create ``out`` and open the journal; on any failure remove the folders this call created.

    ``stale`` names the tables of a finished run: with a conflict they are
    removed first, because ``meta.json`` marks a complete folder and must
    never stand beside a new run's journal.
    """
    created, probe = None, out.absolute()
    while not probe.exists():
        created, probe = probe, probe.parent
    try:
        out.mkdir(parents=True, exist_ok=True)
        if conflict:
            for name in stale:
                (out / name).unlink(missing_ok=True)
        journal.open(overwrite=overwrite)
    except BaseException as exc:
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        if isinstance(exc, OSError):
            raise ValueError(f"cannot create output {out}: {exc.strerror or exc}") from None
        raise
