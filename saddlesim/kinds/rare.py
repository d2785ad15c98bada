"""The ``kind = "rare"`` experiment: log10 P(min) against n for several β.

Spec keys (``experiments/rare_events.toml``): ``betas`` (list of Dyson
indices; 1, 2, 4 map to GOE, GUE, GSE), ``n`` (string such as
``"2-6,10,20"`` or a list), ``walkers``, ``replicates``, ``sweeps``,
``seed`` (root entropy), ``fit_n_min`` (smallest n in the θ fit) and an
optional ``[quick]`` table overriding any of these for ``quick=True``.

Writes ``results.csv`` (:data:`~saddlesim.rare.RARE_COLUMNS`), ``fits.csv``
(θ per β from the estimates and, for β = 1, 2, from the exact values) and
``meta.json``, then the figures -- all after the whole run has succeeded.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from saddlesim.runtime.io import atomic_write_csv, read_tables
from saddlesim.models import GAUSSIAN_BETAS, Model
from saddlesim.rare.fit import fit_theta
from saddlesim.rare.table import estimate_table
from saddlesim.runtime.journal import check_resumable, create_folder, executor
from saddlesim.runtime.progress import progress_bar
from saddlesim.rare.store import RarePlan, ReplicateStore
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.runtime.seeds import fresh_entropy
from saddlesim.theory.asymptotics import THETA as _THETA

__all__ = ["run_experiment", "plot_experiment", "write_results", "model_for_beta", "fit_table"]



def model_for_beta(beta: float) -> Model:
    """GOE/GUE/GSE for β = 1, 2, 4; the general β-ensemble otherwise."""
    for name, b in GAUSSIAN_BETAS.items():
        if float(beta) == b:
            return Model(name)
    return Model("beta", beta=beta)


def fit_table(df: pd.DataFrame, n_min: int = 8) -> pd.DataFrame:
    """θ per β fitted to the estimates (and to the exact values where present).

    Returns
    -------
    DataFrame with columns ``beta, source, n_min, n_max, points, theta,
    theta_lo, theta_hi, theta_dm`` where ``theta_dm = β (ln 3)/4``.
    """
    rows = []
    for beta, part in df[df["n"] >= n_min].groupby("beta"):
        if part["n"].nunique() < 5:
            continue
        sources = [("estimate", part["log10_p"], (part["log10_p_hi"] - part["log10_p_lo"]) / 2)]
        if part["log10_exact"].notna().all():
            sources.append(("exact", part["log10_exact"], None))
        for source, y, half in sources:
            th, lo, hi = fit_theta(part["n"], y, half)
            rows.append({
                "beta": beta, "source": source, "n_min": int(part["n"].min()),
                "n_max": int(part["n"].max()), "points": len(part), "theta": th,
                "theta_lo": lo, "theta_hi": hi, "theta_dm": beta * _THETA,
            })
    return pd.DataFrame(rows, columns=["beta", "source", "n_min", "n_max", "points", "theta",
                                       "theta_lo", "theta_hi", "theta_dm"])


def _settings(spec: dict, quick: bool) -> dict:
    s = {"betas": [1.0, 2.0, 4.0], "n": "2-6,8,10,12,15,20,25,30", "walkers": 800,
         "replicates": 12, "sweeps": None, "fit_n_min": 8}
    s.update({k: v for k, v in spec.items() if k in s})
    if quick:
        s.update({k: v for k, v in spec.get("quick", {}).items() if k in s})
    return s


def _ns(value) -> list[int]:
    from saddlesim.runtime.parsing import parse_int_list  # the one parser for "2-10,20"

    if isinstance(value, str):
        return parse_int_list(value, name="n", minimum=1)
    return sorted({int(v) for v in value})


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True,
                   scheduler=None) -> list[Path]:
    """Run the rare-event experiment described by ``spec`` into ``out``.

    ``scheduler``: run the replicates on Dask (same numbers). Returns the
    paths written (tables, meta.json, figures).
    """
    out = Path(out)
    s = _settings(spec, quick)
    models = [model_for_beta(b) for b in s["betas"]]
    ns = _ns(s["n"])
    cells = [(m, n) for m in models for n in ns]
    entropy = int(spec["seed"]) if "seed" in spec else fresh_entropy()
    sweeps = None if s["sweeps"] is None else int(s["sweeps"])
    plan = RarePlan(tuple(cells), entropy, int(s["walkers"]), int(s["replicates"]), sweeps, ())
    _, written = run_rare(plan, out, resolved_spec(spec, s, quick=quick), workers=workers, scheduler=scheduler,
                          progress=progress, overwrite=True, fit_n_min=int(s["fit_n_min"]))
    return written


def run_rare(plan: RarePlan, out: Path, spec: dict, *, workers=None, scheduler=None, progress=False,
             overwrite: bool = False, fit_n_min: int = 8, plot: bool = True,
             **provenance_extra) -> tuple[pd.DataFrame, list[Path]]:
    """Run (or resume) the rare-event table of ``plan`` into folder ``out``: tables, ``meta.json``, figures.

    The resumable run every chunked kind shares (:mod:`saddlesim.runtime.journal`):
    the folder is checked and a scheduler connected before anything is
    created; every finished pilot and replicate is journaled in
    ``out/.replicates``, so an interrupted run, rerun with the same
    arguments and seed, resumes where it stopped and writes the same tables.

    Parameters
    ----------
    plan : RarePlan
    out : Path
    spec : dict
        The record's spec (:mod:`saddlesim.runtime.record`).
    workers, scheduler
        Where the jobs run (:func:`saddlesim.runtime.parallel.map_unordered`); never the numbers.
    progress : bool
        A progress bar over replicates on stderr.
    overwrite : bool
        Replace a different run already in ``out`` instead of raising.

    Returns
    -------
    table : DataFrame
        As :func:`~saddlesim.rare.estimate_table`.
    written : list of Path

    Raises
    ------
    ValueError
        ``out`` not writable, or holding a different run without ``overwrite``.
    """
    out = Path(out)
    store = ReplicateStore(out, plan)
    conflict = check_resumable(out, store, workers=workers, overwrite=overwrite)
    with executor(scheduler, workers) as cluster:
        existed = out.exists()
        create_folder(out, store, conflict, ("meta.json", "results.csv", "fits.csv"), overwrite=overwrite)
        watch = Stopwatch()
        bar, task = progress_bar(progress, len(plan.cells) * plan.replicates, 0, "rare-event replicates")
        try:
            with bar:
                df = estimate_table(plan.cells, entropy=plan.entropy, walkers=plan.walkers,
                                    replicates=plan.replicates, sweeps=plan.sweeps, shifts=plan.shifts,
                                    workers=workers, scheduler=cluster, progress=lambda: bar.advance(task),
                                    journal=store)
        except Exception:
            # an engine failure before any job finished leaves nothing behind;
            # finished jobs stay journaled for a resume (as after Ctrl-C)
            if not existed and not any(p.suffix == ".npz" for p in store.files()):
                shutil.rmtree(out, ignore_errors=True)
            raise
        timings = watch.timings(workers=workers)
        if cluster is not None:
            timings.update(executor="dask", scheduler=cluster.address)
    written = write_results(out, df, spec, seed_entropy=plan.entropy, timings=timings, fit_n_min=fit_n_min,
                            plot=plot, fingerprint=plan.fingerprint(), **provenance_extra)
    store.discard()
    return df, written


def write_results(out: Path, df: pd.DataFrame, spec: dict, *, seed_entropy, timings: dict,
                  fit_n_min: int = 8, plot: bool = True, fingerprint: dict | None = None,
                  **provenance_extra) -> list[Path]:
    """Write a rare-event results folder that ``saddlesim plot`` can redraw.

    The one writer behind both the experiment runner and ``saddlesim rare
    --out``: ``results.csv`` (from :func:`~saddlesim.rare.estimate_table`),
    ``fits.csv`` (:func:`fit_table`; empty below 5 dimensions per β),
    ``meta.json`` (the record of :mod:`saddlesim.runtime.record`, written after the
    tables; per-cell compute seconds from ``df.attrs`` go to its timings)
    and, with ``plot``, the figures.

    Returns
    -------
    paths : list of Path
        Everything written.
    """
    out = Path(out)
    fits = fit_table(df, fit_n_min)
    cells = df.attrs.get("cell_seconds", [])  # timings live in the record, never in the table
    timings = {**timings, "cell_cpu_seconds": cells}
    if cells:
        timings["cpu_seconds"] = round(sum(c["seconds"] for c in cells), 3)
    centred = df[df["shift"] == 0.0]
    summary = {
        "cells": int(len(centred)),
        "log10_p_min": {f"{r.model}{'' if r.model != 'beta' else f'={r.beta:g}'},n={r.n}": float(r.log10_p)
                        for r in centred.itertuples(index=False)},
        "mixing_flags": int(centred["mixing_flag"].sum()),
        "files": {"results.csv": "one row per (model, n, shift): log10 P(min) with its 95 % interval",
                  "fits.csv": "fit of log10 P(min) against n^2 per beta (empty below 5 dimensions)"},
    }
    record = make_record("rare", spec, seed_entropy=seed_entropy, timings=timings, summary=summary,
                         fingerprint=fingerprint, **provenance_extra)
    atomic_write_csv(out / "results.csv", df)
    atomic_write_csv(out / "fits.csv", fits)
    write_record(out, record)
    written = [out / "results.csv", out / "fits.csv", out / "meta.json"]
    return written + (plot_experiment(out) if plot else [])


def plot_experiment(out: Path) -> list[Path]:
    """Remake the figure ``rare_events.{png,pdf}`` from ``results.csv`` and ``fits.csv``."""
    from saddlesim.plots.rare import plot_rare_events
    from saddlesim.plots.style import save_figure

    out = Path(out)
    (df,) = read_tables(out, "results.csv")
    fits_path = out / "fits.csv"
    fits = pd.read_csv(fits_path) if fits_path.exists() else None
    return save_figure(plot_rare_events(df, fits), out / "rare_events")
