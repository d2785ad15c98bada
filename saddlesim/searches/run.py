"""Run a landscape search end to end: plan → instances → executor → journal → tables + ``meta.json``.

Layout of ``OUT/``::

    critical_points.csv  one row per distinct accepted critical point
    coordinates.csv      the same points' coordinates (instance, point, x0 … x{dim-1})
    rejected.csv         end points that failed |∇L|² ≤ grad_tol (gradient-flat points among them)
    summary.csv          one row per index k: mean count over instances, its interval, theory
    meta.json            plan, seed entropy, provenance, timings; written LAST
    .instances/          while running: plan.json and one .npz per finished instance

:func:`run_landscape` is what the CLI, the experiment runner and the tests
call; :func:`run_instance` is the pure per-instance work any executor maps.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.index.classify import label_with_nullity
from saddlesim.runtime.io import atomic_write_csv
from saddlesim.runtime.progress import progress_bar
from saddlesim.runtime.record import Stopwatch, make_record, split_caller_meta, write_record
from saddlesim.critical.completeness import completeness
from saddlesim.critical.find import POINT_COLUMNS, REJECTED_COLUMNS, FoundPoints, end_counts, find_critical_points
from saddlesim.searches.plan import LandscapePlan, build_landscape
from saddlesim.searches.rebuild import loss_source
from saddlesim.critical.starts import make_starts
from saddlesim.searches.table import summary_table
from saddlesim.runtime.parallel import default_workers, map_unordered
from saddlesim.runtime.journal import Journal, check_resumable, create_folder, executor

__all__ = ["InstanceResult", "LandscapeResult", "run_instance", "instance_landscape", "run_landscape", "INSTANCES_DIR"]

INSTANCES_DIR = ".instances"
_NAME = re.compile(r"^instance(\d+)\.npz$")
_NUMERIC = ("loss", "index", "nullity", "positive", "grad_norm2", "times_found", "first_start", "min_abs_eig")
_REJ_NUMERIC = ("loss", "grad_norm2", "index", "nullity", "positive", "iterations", "flat_residual")


@dataclass
class InstanceResult:
    """What one instance produced (picklable, so it crosses process boundaries).

    Attributes
    ----------
    instance : int
    found : FoundPoints
    manifold_dim : int
        Size of the Hessian (index runs 0 … manifold_dim).
    seconds : float
    """

    instance: int
    found: FoundPoints
    manifold_dim: int
    seconds: float


def run_instance(plan: LandscapePlan, instance: int) -> InstanceResult:
    """Draw instance ``instance`` of ``plan`` and find its critical points (pure function).

    The instance's :meth:`~LandscapePlan.seed_sequence` spawns three streams:
    the first draws the disorder, the second the starts, the third the hops
    (spawning a third child leaves the first two unchanged, so runs without
    hops draw exactly what they drew before hops existed).
    """
    t0 = time.perf_counter()
    disorder, starts_ss, hops_ss = plan.seed_sequence(instance).spawn(3)
    landscape = _build(plan, disorder)
    starts = make_starts(landscape, plan.starts, np.random.default_rng(starts_ss),
                         descent_fraction=plan.descent_fraction)
    found = find_critical_points(landscape, starts, grad_tol=plan.grad_tol, null_tol=plan.null_tol,
                                 max_iter=plan.max_iter, hops=plan.hops, rng=np.random.default_rng(hops_ss))
    return InstanceResult(int(instance), found, int(landscape.manifold_dim), time.perf_counter() - t0)


def _build(plan: LandscapePlan, disorder: np.random.SeedSequence):
    return build_landscape(plan.loss, plan.param_dict, np.random.default_rng(disorder))


def instance_landscape(plan: LandscapePlan, instance: int):
    """The loss of instance ``instance``, drawn exactly as :func:`run_instance` draws it.

    For analyses of the found points that need the loss itself (e.g. its
    Hessian's Gauss–Newton part); the tables keep only coordinates.
    """
    disorder, _ = plan.seed_sequence(instance).spawn(2)
    return _build(plan, disorder)


# -- journal -----------------------------------------------------------------------


class InstanceStore(Journal):
    """Finished instances of one run in ``out/.instances``, for resuming."""

    def __init__(self, out: Path, plan: LandscapePlan):
        super().__init__(out, plan, INSTANCES_DIR, "landscape run")

    def save(self, r: InstanceResult) -> None:
        """Persist one instance atomically and durably (fsync before rename)."""
        pts, rej = r.found.points, r.found.rejected
        arrays = {f"p_{c}": pts[c].to_numpy() for c in _NUMERIC}
        arrays.update({f"r_{c}": rej[c].to_numpy() for c in _REJ_NUMERIC})
        arrays["r_status"] = rej["status"].to_numpy().astype(str)
        arrays["r_verdict"] = rej["verdict"].to_numpy().astype(str)
        self.write(f"instance{r.instance:07d}.npz", coords=r.found.coords, starts=r.found.starts,
                   manifold_dim=r.manifold_dim, seconds=r.seconds, **arrays)

    def load(self) -> dict[int, InstanceResult]:
        """Finished instances; an unreadable file is ignored (its instance reruns)."""
        done = {}
        for path in self.files():
            m = _NAME.match(path.name)
            if not m or int(m.group(1)) >= self.plan.instances:
                continue
            try:
                with np.load(path, allow_pickle=False) as z:
                    pts = pd.DataFrame({c: z[f"p_{c}"] for c in _NUMERIC})
                    rej = pd.DataFrame({c: z[f"r_{c}"] for c in _REJ_NUMERIC})
                    rej["status"] = z["r_status"].astype(str)
                    rej["verdict"] = z["r_verdict"].astype(str)
                    coords, starts = z["coords"], int(z["starts"])
                    mdim, seconds = int(z["manifold_dim"]), float(z["seconds"])
            except (OSError, ValueError, KeyError):
                continue
            pts["label"] = label_with_nullity(pts["index"], pts["nullity"], pts["positive"]) if len(pts) else ""
            pts = pts[list(POINT_COLUMNS)]
            rej = rej[list(REJECTED_COLUMNS)]
            i = int(m.group(1))
            done[i] = InstanceResult(i, FoundPoints(pts, coords, rej, starts), mdim, seconds)
        return done



# -- tables ------------------------------------------------------------------------


@dataclass
class LandscapeResult:
    """What a finished run wrote: ``critical_points``, ``rejected``, ``summary`` tables and ``meta``."""

    critical_points: pd.DataFrame
    coordinates: pd.DataFrame
    rejected: pd.DataFrame
    summary: pd.DataFrame
    meta: dict
    out: Path | None


def _tables(plan: LandscapePlan, results: list[InstanceResult]):
    results = sorted(results, key=lambda r: r.instance)
    pts, rej, coords = [], [], []
    for r in results:
        p = r.found.points.copy()
        p.insert(0, "instance", r.instance)
        p.insert(1, "point", np.arange(len(p)))
        p.insert(2, "landscape", plan.loss)
        pts.append(p)
        q = r.found.rejected.copy()
        q.insert(0, "instance", r.instance)
        q.insert(1, "landscape", plan.loss)
        rej.append(q)
        c = pd.DataFrame(r.found.coords, columns=[f"x{j}" for j in range(r.found.coords.shape[1])])
        c.insert(0, "instance", r.instance)
        c.insert(1, "point", np.arange(len(c)))
        coords.append(c)
    points = pd.concat(pts, ignore_index=True)
    rejected = pd.concat(rej, ignore_index=True)
    coordinates = pd.concat(coords, ignore_index=True)
    summary = summary_table(points, plan.instances, results[0].manifold_dim, plan.loss, plan.param_dict)
    return points, coordinates, rejected, summary


def run_landscape(
    plan: LandscapePlan,
    out: str | Path,
    *,
    workers: int | None = None,
    progress: bool = False,
    overwrite: bool = False,
    meta_extra: dict | None = None,
    on_instance: Callable[[InstanceResult], None] | None = None,
    scheduler=None,
) -> LandscapeResult:
    """Run (or resume) ``plan`` into folder ``out`` and write its tables.

    Parameters
    ----------
    plan : LandscapePlan
    out : path
        Results folder; created only once everything is validated.
    workers : int, optional
        Processes; default one per core. Results do not depend on it.
    progress : bool
        Progress bar over instances on stderr.
    overwrite : bool
        Replace a different run in ``out`` instead of raising.
    meta_extra : dict, optional
        For ``meta.json``, split by :func:`saddlesim.runtime.record.split_caller_meta`:
        its ``spec`` is the record's spec (default: the plan's fingerprint),
        every other key goes into the summary.
    on_instance : callable, optional
        Called after each instance is persisted (tests use it to interrupt).
    scheduler : str or saddlesim.runtime.cluster.DaskCluster, optional
        Run the instances on Dask: ``tcp://host:8786``, ``"local"`` (a
        LocalCluster of ``workers`` processes) or an open cluster (left
        open). Results come back here, so the tables are identical to a
        local run's and either executor resumes the other.

    Returns
    -------
    LandscapeResult

    Raises
    ------
    ValueError
        ``out`` not writable, or holding a different run without ``overwrite``.
    saddlesim.runtime.cluster.SchedulerUnreachableError
        No scheduler at ``scheduler`` (nothing is written).
    saddlesim.runtime.cluster.SchedulerLostError
        The scheduler went away mid-run; the message names the folder whose
        journal keeps the finished instances.
    """
    out = Path(out)
    store = InstanceStore(out, plan)
    conflict = check_resumable(out, store, workers=workers, overwrite=overwrite)
    with executor(scheduler, workers) as scheduler:
        return _run_landscape(plan, out, store, conflict, workers=workers, progress=progress,
                              overwrite=overwrite, meta_extra=meta_extra, on_instance=on_instance,
                              scheduler=scheduler)


def _run_landscape(plan, out, store, conflict, *, workers, progress, overwrite, meta_extra, on_instance,
                   scheduler) -> LandscapeResult:
    create_folder(out, store, conflict,
                  ("meta.json", "critical_points.csv", "coordinates.csv", "rejected.csv", "summary.csv"),
                  overwrite=overwrite)
    done = store.load()
    todo = [i for i in range(plan.instances) if i not in done]
    workers_used = default_workers() if workers is None else int(workers)
    watch = Stopwatch()
    bar, task = progress_bar(progress, plan.instances, len(done), "instances")
    # One code path for every executor: this process, a local pool or Dask
    # all map the same pure run_instance; only this (client) process writes the journal.
    stream = map_unordered(partial(run_instance, plan), todo, workers=workers_used,
                           scheduler=scheduler if todo else None)
    finished = dict(done)
    try:
        with bar:
            try:
                for _, r in stream:
                    store.save(r)
                    finished[r.instance] = r
                    bar.advance(task, 1)
                    if on_instance is not None:
                        on_instance(r)
            finally:
                stream.close()
    except ConnectionError as exc:
        from saddlesim.runtime.cluster import SchedulerLostError

        if not isinstance(exc, SchedulerLostError):
            raise
        raise SchedulerLostError(
            f"{exc}; finished instances are kept in {out}/{INSTANCES_DIR}: rerun with the same "
            f"arguments and seed {plan.entropy} to resume (on any executor)"
        ) from None
    executor = {}
    if scheduler is not None:
        workers_used = scheduler.worker_threads()
        executor = {"executor": "dask", "scheduler": scheduler.address}
    results = [finished[i] for i in range(plan.instances)]
    points, coordinates, rejected, summary = _tables(plan, results)
    spec, extra = split_caller_meta(meta_extra, plan.fingerprint())
    meta = make_record(
        "landscape", spec,
        seed_entropy=plan.entropy,
        fingerprint=plan.fingerprint(),
        # cpu_seconds: the instances' own compute time, wherever they ran
        timings={**watch.timings(), "cpu_seconds": round(sum(r.seconds for r in results), 3),
                 "instance_seconds": [round(r.seconds, 3) for r in results],
                 "workers": workers_used, "instances_resumed": len(done), **executor},
        summary={
            **extra,
            "landscape": {"loss": plan.loss, "params": plan.param_dict,
                          "convention": _convention(plan), "manifold_dim": results[0].manifold_dim,
                          # where a user loss came from, so saddlesim.searches.from_run finds it anywhere
                          "source": loss_source(plan.loss)},
            "counts": {
                "solves": int(sum(r.found.starts for r in results)),
                "accepted_distinct": int(len(points)),
                "rejected": int(len(rejected)),
                # every solve's end: accepted, gradient-flat (Frye et al. 2021: r > 0.9), or failed
                "ends": _sum_counts([end_counts(r.found) for r in results]),
            },
            # Chao1 (Chao 1984) from times_found: how many critical points each instance did not see
            "completeness": completeness(points, plan.instances),
            "files": {
                "critical_points.csv": "one row per distinct accepted point (|grad|^2 <= grad_tol); "
                                       "label from index/nullity/positive, see saddlesim.index.classify.label_with_nullity",
                "coordinates.csv": "coordinates of the same points (instance, point)",
                "rejected.csv": "end points with |grad|^2 > grad_tol, never counted; verdict gradient-flat when "
                                "flat_residual = |H s + g|/|g| > 0.9 (Frye et al. 2021), else failed",
                "summary.csv": "mean count per index over instances, 95% t-interval, theory_mean where known",
            },
        },
    )
    atomic_write_csv(out / "critical_points.csv", points)
    atomic_write_csv(out / "coordinates.csv", coordinates)
    atomic_write_csv(out / "rejected.csv", rejected)
    atomic_write_csv(out / "summary.csv", summary)
    write_record(out, meta)
    store.discard()
    return LandscapeResult(points, coordinates, rejected, summary, meta, out)


def _sum_counts(counts: list[dict]) -> dict:
    return {k: int(sum(c[k] for c in counts)) for k in counts[0]}


def _convention(plan: LandscapePlan) -> str:
    landscape = build_landscape(plan.loss, plan.param_dict, np.random.default_rng(0))
    return str(getattr(landscape, "convention", ""))
