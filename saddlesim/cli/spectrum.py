"""``saddlesim spectrum``: index with an interval, near-kernel, extreme eigenvalues and density of one point's Hessian."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, reports_errors
from saddlesim.cli.scheduler import SchedulerOpt, open_scheduler
from saddlesim.cli.point import AT_HELP, LOSS_HELP, bounded, jsonable, network_text

__all__ = ["spectrum"]

SPECTRUM_METHODS = "auto|exact|lanczos|slq|both"
JSON_KEYS = ("n", "method", "tol", "index", "index_lo", "index_hi", "index_status", "index_delta",
             "index_probe_lo", "index_probe_hi", "nullity", "nullity_lo", "nullity_hi", "nullity_probe_lo",
             "nullity_probe_hi", "lambda_min", "lambda_max", "grad_norm", "loss",
             "hvps", "seconds", "probes", "steps", "seed", "exact_index", "exact_nullity",
             "exact_lambda_min", "exact_lambda_max", "lambda_min_bound", "lambda_max_bound", "width",
             "width_target", "stop_reason", "stop_message", "certificate_stop_reason", "certificate_stop_message",
             # the coin-flip comparison and the index over τ (saddlesim.networks)
             "coin_mean", "coin_sd", "coin_z", "coin_log10_p", "coin_least_index", "coin_least_z",
             "coin_least_log10_p", "coin_log10_p_min", "tau_rule", "tau_table")
#: Below this many parameters probes run here unless --workers says otherwise: a spawned worker's
#: start (JAX import, the loss compiled again) costs more than the probes it would take.
SERIAL_BELOW = 5000


@app.command()
@reports_errors
def spectrum(
    loss: Annotated[str, typer.Option("--loss", metavar="FILE.py:FUNC", help=LOSS_HELP)],
    at: Annotated[Path, typer.Option("--at", metavar="X.npy|X.npz", help=AT_HELP)],
    method: Annotated[str, typer.Option("--method", metavar=SPECTRUM_METHODS, help="exact: dense eigenvalues; lanczos: count certified by deflated Lanczos (declines when many eigenvalues lie below -tol); slq: stochastic Lanczos quadrature; both: matrix-free and exact side by side; auto: exact up to 3000 parameters, else lanczos falling back to slq.")] = "auto",
    tol: Annotated[float | None, typer.Option("--tol", metavar="TOL", help="Absolute threshold τ: index = #{λ < -τ}, near-kernel = #{|λ| <= τ}. Default 1e-4·max|λ| (the headline rule; the table gives every decade).")] = None,
    probes: Annotated[int, typer.Option("--probes", metavar="P", help="SLQ probes (Rademacher vectors), >= 2.")] = 20,
    steps: Annotated[int, typer.Option("--steps", metavar="M", help="Lanczos steps per SLQ probe, >= 1. More steps narrow the interval where many eigenvalues crowd ±τ.")] = 80,
    width: Annotated[float | None, typer.Option("--width", metavar="W", help="Target width of the 95 % index interval: a fraction of n if W < 1, else a count. SLQ adds Lanczos steps (and probes where probe noise dominates) until it is met, the budget ends, or it says it cannot. --width 0 (or --fixed): one round.")] = 0.02,
    fixed: Annotated[bool, typer.Option("--fixed", help="One SLQ round of --probes x --steps, no target width (today's behaviour).")] = False,
    max_hvps: Annotated[int | None, typer.Option("--max-hvps", metavar="K", help="Budget of Hessian-vector products (default 10 x probes x steps): the SLQ rounds first, the certificate gets what is left.")] = None,
    max_seconds: Annotated[float | None, typer.Option("--max-seconds", metavar="S", help="Time budget of the call: the SLQ rounds first, the certificate gets what is left; each stops with what it has.")] = None,
    restarts: Annotated[int, typer.Option("--restarts", metavar="R", help="Independent Lanczos runs per stage of the certificate (lanczos/auto), run on the workers; their failure bounds multiply. Results do not depend on --workers.")] = 2,
    workers: opt.Workers = None,
    scheduler: SchedulerOpt = None,
    quiet: opt.Quiet = False,
    seed: opt.Seed = None,
    fmt: Annotated[str, typer.Option("--format", metavar="text|json", help="Output: a short report (text) or one JSON object (json).")] = "text",
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Also write DIR/density.csv (node, weight; weights sum to n) and DIR/density.png, .pdf. Finished probes are journaled in DIR/.probes: an interrupted run resumes (same --seed, or none to reuse the journal's).")] = None,
):
    """Index at threshold τ with a 95 % interval, near-kernel count, extreme eigenvalues and |∇L| — from Hessian-vector products, for losses too big to form the Hessian.

    The point is not moved and need not be critical: |∇L| is printed so you
    can tell. Example: saddlesim spectrum --loss ./net.py:loss --at w.npy --format json
    """
    import numpy as np

    from saddlesim.curvature.spectrum import METHODS
    from saddlesim.runtime.io import check_writable_dir
    from saddlesim.runtime.parsing import parse_seed
    from saddlesim.runtime.seeds import fresh_entropy

    if fmt not in ("text", "json"):
        raise ValueError(f"--format must be text or json, got {fmt!r}")
    if method not in METHODS:
        raise ValueError(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    if tol is not None and not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"--tol must be a finite number >= 0, got {tol}")
    if probes < 2:
        raise ValueError(f"--probes must be >= 2, got {probes}")
    if steps < 1:
        raise ValueError(f"--steps must be >= 1, got {steps}")
    if width is not None and not (np.isfinite(width) and width >= 0):
        raise ValueError(f"--width must be a number >= 0 (a fraction of n below 1, else a count), got {width}")
    if max_hvps is not None and max_hvps < 1:
        raise ValueError(f"--max-hvps must be >= 1, got {max_hvps}")
    if max_seconds is not None and not (np.isfinite(max_seconds) and max_seconds > 0):
        raise ValueError(f"--max-seconds must be a number > 0, got {max_seconds}")
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    if restarts < 1:
        raise ValueError(f"--restarts must be >= 1, got {restarts}")
    if fixed or not width:
        width = None
    if max_hvps is None and width is not None:
        max_hvps = 10 * probes * steps
    if out is not None:
        check_writable_dir(out)
    entropy = parse_seed(seed) if seed is not None else _journal_entropy(out)
    entropy = fresh_entropy() if entropy is None else entropy

    from saddlesim.networks.api import spectrum as compute
    from saddlesim.networks.files import LossSource, load_network

    from saddlesim.curvature.adaptive import ProbeJournal
    from saddlesim.runtime.cores import default_workers

    land = load_network(loss, at)

    if workers is None:
        workers = 1 if land.dim < SERIAL_BELOW else default_workers()
    source = LossSource(spec=loss, at=str(Path(at).resolve()), x=land.x0)
    journal = ProbeJournal(out, source, entropy, land.dim) if out is not None else None

    def say(line):
        if not quiet:
            typer.echo(line, err=True)

    with open_scheduler(scheduler, workers, quiet=quiet) as cluster, worker_threads(workers, scheduler):
        r = compute(None, land, method=method, tol=tol, probes=probes, steps=steps,
                    rng=np.random.default_rng(np.random.SeedSequence(entropy)), width=width, max_hvps=max_hvps,
                    max_seconds=max_seconds, workers=workers, scheduler=cluster, source=source, journal=journal,
                    progress=say, restarts=restarts)
    r["seed"] = str(entropy)
    if out is not None:
        _write(out, r)
        if journal is not None:
            journal.discard()
    if fmt == "json":
        typer.echo(json.dumps({k: _plain(v) for k, v in jsonable(r).items() if k in JSON_KEYS}))
        return
    typer.echo(_text(r))
    typer.echo("\n".join(network_text(r)))
    if out is not None:
        typer.echo(f"wrote {out}/density.csv, density.png, density.pdf")


#: XLA flags for a worker process that should use one core: its own intra-op thread pool off.
ONE_XLA_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


@contextlib.contextmanager
def worker_threads(workers, scheduler=None):
    """While the local pool starts: XLA on one thread in each worker when the workers fill the cores.

    Each worker's XLA otherwise starts a thread pool the size of the machine, so
    2 workers on 2 cores run 4 busy threads: measured at 12 010 parameters
    (40 probes x 200 steps), 2 workers were 1.19x one worker with XLA's threads
    and 1.85x with one each (``python -m benchmarks spectrum --full``). The
    flags change no number (XLA's CPU matmuls round alike on 1 or more
    threads; the 1- and 2-worker results are compared byte for byte in the
    tests). Set in the environment the workers are spawned with, and put back
    after; this process's JAX has started already and keeps its threads.
    """
    import os

    from saddlesim.runtime.cores import default_workers

    if scheduler is not None or workers is None or workers < 2 or workers < default_workers():
        yield
        return
    old = os.environ.get("XLA_FLAGS")
    os.environ["XLA_FLAGS"] = f"{old} {ONE_XLA_THREAD}".strip() if old else ONE_XLA_THREAD
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XLA_FLAGS", None)
        else:
            os.environ["XLA_FLAGS"] = old


def _journal_entropy(out):
    """The random seed of an unfinished spectrum's journal in ``out`` (None when there is none): resume without --seed."""
    if out is None:
        return None
    plan = Path(out) / ".probes" / "plan.json"
    try:
        return int(json.loads(plan.read_text(encoding="utf-8"))["entropy"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _plain(v):
    if v is None or isinstance(v, (str, list)):
        return v
    if isinstance(v, (bool, int)):
        return v
    return float(v)


def _interval(est, lo, hi) -> str:
    def fmt(v):
        return "?" if v is None else (f"{v:d}" if isinstance(v, int) else f"{v:.1f}")

    if lo == hi and lo is not None:
        return f"{fmt(est)}"
    return f"{fmt(est)} (95 % interval {fmt(lo)} to {fmt(hi)})"


def _text(r) -> str:
    lines = [
        f"n = {r['n']} parameters, method {r['method']}, τ = {r['tol']:.3g}",
        f"index #{{λ < -τ}}: {_interval(r['index'], r['index_lo'], r['index_hi'])}   [{r['index_status']}]",
        f"near-kernel #{{|λ| <= τ}}: {_interval(r['nullity'], r['nullity_lo'], r['nullity_hi'])}",
        _extremes(r),
        f"loss {r['loss']:.10g}   |grad| {r['grad_norm']:.3g} (a point with |grad| > 0 is not critical)",
        f"{r['hvps']} Hessian-vector products, {r['seconds']:.2f} s, seed {r['seed']}",
    ]
    if r.get("stop_reason") not in (None, "exact", "certified"):
        lines.append(f"stopped ({r['stop_reason']}): {r['stop_message']}; {r['probes']} probes x {r['steps']} steps")
    if r.get("certificate_stop_reason") not in (None, "certified"):
        lines.append(f"certificate ({r['certificate_stop_reason']}): {r['certificate_stop_message']}")
    if "exact_index" in r:
        lines.append(f"exact (dense): index {r['exact_index']}, near-kernel {r['exact_nullity']}, "
                     f"eigenvalues in [{r['exact_lambda_min']:.6g}, {r['exact_lambda_max']:.6g}]")
    return "\n".join(lines)


def _extremes(r) -> str:
    """λ_min and λ_max: exact (dense), or Ritz values with their residual bounds (an eigenvalue lies within)."""
    bmin, bmax = r.get("lambda_min_bound") or 0.0, r.get("lambda_max_bound") or 0.0
    if not bmin and not bmax:
        return f"eigenvalues in [{r['lambda_min']:.6g}, {r['lambda_max']:.6g}]"
    return (f"lowest Ritz value {bounded(r['lambda_min'], bmin)} (>= λ_min), highest "
            f"{bounded(r['lambda_max'], bmax)} (<= λ_max); an eigenvalue lies within each ± bound")


def density_title(r) -> str:
    """The figure's title names what made the density and what made the index (they can differ)."""
    if r["method"] == "exact":
        made = "dense eigenvalues (eigvalsh)"
    else:
        made = f"SLQ, {r['probes']} probes × {r['steps']} Lanczos steps"
    status = str(r["index_status"])
    how = {"exact": "exact", "certified": "certified by deflated Lanczos", "slq": "SLQ estimate"}.get(
        status, status.replace("slq (", "SLQ estimate (lanczos: "))
    index = "?" if r["index"] is None else (f"{r['index']:d}" if isinstance(r["index"], int) else f"{r['index']:.1f}")
    return f"Hessian spectrum, n = {r['n']}: density from {made}\nindex #{{λ < −τ}} = {index}, {how}"


def _write(out: Path, r) -> None:
    """density.csv and its figure; the table first, so a failing figure leaves no half-set (both or neither)."""
    import pandas as pd

    from saddlesim.plots.spectrum import plot_density
    from saddlesim.plots.style import save_figure
    from saddlesim.runtime.io import atomic_write_csv

    table = pd.DataFrame({"node": r["density_nodes"], "weight": r["density_weights"]})
    fig = plot_density(table, tol=r["tol"], title=density_title(r))
    out.mkdir(parents=True, exist_ok=True)
    save_figure(fig, out / "density")
    atomic_write_csv(out / "density.csv", table)
