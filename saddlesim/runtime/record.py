"""The one record format: how every results folder says how it was made (``meta.json``).

Every kind of run, from ``make experiments`` or a command, writes the same
top-level keys (documented in ``docs/record.md``; checked by
:func:`check_record` on every committed ``results/*/meta.json``):

``kind``          what ran: ``sweep``, ``rare``, ``landscape``, ``exact`` …
``spec``          the settings as validated, defaults filled in (``quick`` among them)
``seed_entropy``  root seed entropy as a decimal string (None: nothing random)
``provenance``    saddlesim, python, numpy, scipy, git revision, platform, created
                  (and ``experiment``: the spec/code stamp of ``saddlesim run``)
``timings``       ``wall_seconds``, ``cpu_seconds`` and, where a kind has parts, per part
``fingerprint``   what a resumed run must match (None for kinds that do not resume)
``summary``       what the run found, and what its files hold

The record is written last, atomically: its presence means the tables are complete.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

from saddlesim.runtime.io import atomic_write_json, provenance

__all__ = ["RECORD_KEYS", "PROVENANCE_KEYS", "TIMING_KEYS", "Stopwatch", "make_record", "write_record",
           "check_record", "resolved_spec"]

RECORD_KEYS = ("kind", "spec", "seed_entropy", "provenance", "timings", "fingerprint", "summary")
PROVENANCE_KEYS = ("saddlesim", "python", "numpy", "scipy", "git_revision", "platform", "created")
TIMING_KEYS = ("wall_seconds", "cpu_seconds")


class Stopwatch:
    """Wall and CPU time since construction.

    CPU time is this process's plus that of its finished child processes
    (a process pool's workers count once the pool has shut down), so a
    parallel run reports the work it did, not just the parent's waiting.
    """

    def __init__(self):
        self._wall = time.perf_counter()
        self._cpu = _cpu()

    def timings(self, **parts) -> dict:
        """``{"wall_seconds", "cpu_seconds", **parts}``, seconds rounded to milliseconds."""
        return {"wall_seconds": round(time.perf_counter() - self._wall, 3),
                "cpu_seconds": round(_cpu() - self._cpu, 3), **parts}


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def resolved_spec(spec: dict, settings: dict | None = None, *, quick: bool) -> dict:
    """An experiment's spec as it ran: the spec, the values its run used over it, ``quick_run``.

    ``settings`` are what the kind resolved (defaults, ``[quick]`` overrides);
    ``quick_run`` says whether the quick budget applied (a spec's own
    ``quick`` key is its table of overrides, kept as given).
    """
    return {**spec, **(settings or {}), "quick_run": bool(quick)}


def make_record(kind: str, spec: dict, *, seed_entropy, timings: dict, summary: dict | None = None,
                fingerprint: dict | None = None, **provenance_extra) -> dict:
    """The ``meta.json`` of one run, with every key of :data:`RECORD_KEYS` in order.

    Parameters
    ----------
    kind : str
    spec : dict
        As validated, defaults filled in.
    seed_entropy : int or str or None
        Stored as a decimal string (JSON numbers lose digits past 2^53).
    timings : dict
        Must hold ``wall_seconds`` and ``cpu_seconds`` (see :class:`Stopwatch`).
    summary, fingerprint : dict, optional
    **provenance_extra
        Added to ``provenance`` (e.g. ``command="saddlesim rare"``).

    Raises
    ------
    ValueError
        Timings without ``wall_seconds`` or ``cpu_seconds``.
    """
    missing = [k for k in TIMING_KEYS if k not in timings]
    if missing:
        raise ValueError(f"timings lack {', '.join(missing)}")
    return _json_safe({
        "kind": str(kind),
        "spec": dict(spec),
        "seed_entropy": None if seed_entropy is None else str(int(seed_entropy)),
        "provenance": {**provenance(), **provenance_extra},
        "timings": dict(timings),
        "fingerprint": fingerprint,
        "summary": dict(summary or {}),
    })


def split_caller_meta(meta_extra: dict | None, default_spec: dict) -> tuple[dict, dict]:
    """Split what a caller adds to a run's record into its ``spec`` and summary keys.

    The resumable runs (sweeps, landscape searches) take one ``meta_extra``
    dict from the kind or the CLI that called them: its ``spec`` (the spec as
    the caller validated it) becomes the record's spec, ``kind`` is dropped
    (the run knows its own), every other key (``title`` …) goes into the
    summary.

    Returns
    -------
    spec, summary_extra : dict, dict
    """
    extra = dict(meta_extra or {})
    spec = extra.pop("spec", None) or default_spec
    extra.pop("kind", None)
    return spec, extra


def _json_safe(value):
    # NaN and inf are not JSON: a quantity that does not exist is null
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_record(out, record: dict) -> Path:
    """Write a record (:func:`make_record`) to ``out/meta.json`` atomically; return its path.

    Raises
    ------
    ValueError
        The record breaks the format (:func:`check_record`); nothing is written.
    """
    problems = check_record(record)
    if problems:
        raise ValueError(f"not a saddlesim record: {'; '.join(problems)}")
    path = Path(out) / "meta.json"
    atomic_write_json(path, record)
    return path


def check_record(meta) -> list[str]:
    """What is wrong with a ``meta.json`` against the record format (empty list: nothing).

    Parameters
    ----------
    meta : dict
        A parsed ``meta.json``.
    """
    if not isinstance(meta, dict):
        return ["not a JSON object"]
    problems = []
    keys = list(meta)
    if keys != list(RECORD_KEYS):
        problems.append(f"top-level keys {keys}, expected {list(RECORD_KEYS)}")
    if not isinstance(meta.get("kind"), str):
        problems.append("kind is not a string")
    for key in ("spec", "provenance", "timings", "summary"):
        if not isinstance(meta.get(key), dict):
            problems.append(f"{key} is not an object")
    seed = meta.get("seed_entropy")
    if seed is not None and not (isinstance(seed, str) and seed.isdigit()):
        problems.append(f"seed_entropy {seed!r} is not a decimal string or null")
    if meta.get("fingerprint") is not None and not isinstance(meta["fingerprint"], dict):
        problems.append("fingerprint is neither an object nor null")
    prov = meta.get("provenance") if isinstance(meta.get("provenance"), dict) else {}
    problems += [f"provenance lacks {k}" for k in PROVENANCE_KEYS if k not in prov]
    tim = meta.get("timings") if isinstance(meta.get("timings"), dict) else {}
    for k in TIMING_KEYS:
        if not isinstance(tim.get(k), (int, float)) or isinstance(tim.get(k), bool) or tim.get(k) < 0:
            problems.append(f"timings.{k} is not a number >= 0")
    return problems
