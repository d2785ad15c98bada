"""``saddlesim spectrum``: index with an interval, near-kernel, extreme eigenvalues and density of one point's Hessian."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, reports_errors
from saddlesim.cli.scheduler import SchedulerOpt, open_scheduler

__all__ = ["spectrum"]

SPECTRUM_METHODS = "auto|exact|lanczos|slq|both"
JSON_KEYS = ("n", "method", "tol", "index", "index_lo", "index_hi", "index_status", "index_delta",
             "index_probe_lo", "index_probe_hi", "nullity", "nullity_lo", "nullity_hi", "nullity_probe_lo",
             "nullity_probe_hi", "lambda_min", "lambda_max", "grad_norm", "loss",
             "hvps", "seconds", "probes", "steps", "seed", "exact_index", "exact_nullity",
             "exact_lambda_min", "exact_lambda_max", "lambda_min_bound", "lambda_max_bound", "width",
             "width_target", "stop_reason", "stop_message")
#: Below this many parameters probes run here unless --workers says otherwise: a spawned worker's
#: start (JAX import, the loss compiled again) costs more than the probes it would take.
SERIAL_BELOW = 5000


@app.command()
@reports_errors
def spectrum(
    loss: Annotated[str, typer.Option("--loss", metavar="FILE.py:FUNC", help="A JAX loss: a function of a 1-D float64 jax.numpy array, as 'file.py:loss' or 'module:loss' (from the current folder). Its module may define DIM.")],
    at: Annotated[Path, typer.Option("--at", metavar="X.npy", help="The point: a .npy vector of length DIM.")],
    method: Annotated[str, typer.Option("--method", metavar=SPECTRUM_METHODS, help="exact: dense eigenvalues; lanczos: count certified by deflated Lanczos (declines when many eigenvalues lie below -tol); slq: stochastic Lanczos quadrature; both: matrix-free and exact side by side; auto: exact up to 3000 parameters, else lanczos falling back to slq.")] = "auto",
    tol: Annotated[float | None, typer.Option("--tol", metavar="TOL", help="Absolute threshold τ: index = #{λ < -τ}, near-kernel = #{|λ| <= τ}. Default √eps·max|λ|.")] = None,
    probes: Annotated[int, typer.Option("--probes", metavar="P", help="SLQ probes (Rademacher vectors), >= 2.")] = 20,
    steps: Annotated[int, typer.Option("--steps", metavar="M", help="Lanczos steps per SLQ probe, >= 1. More steps narrow the interval where many eigenvalues crowd ±τ.")] = 80,
    width: Annotated[float | None, typer.Option("--width", metavar="W", help="Target width of the 95 % index interval: a fraction of n if W < 1, else a count. SLQ adds Lanczos steps (and probes where probe noise dominates) until it is met, the budget ends, or it says it cannot. --width 0 (or --fixed): one round.")] = 0.02,
    fixed: Annotated[bool, typer.Option("--fixed", help="One SLQ round of --probes x --steps, no target width (today's behaviour).")] = False,
    max_hvps: Annotated[int | None, typer.Option("--max-hvps", metavar="K", help="Budget of Hessian-vector products for the SLQ rounds (default 10 x probes x steps).")] = None,
    max_seconds: Annotated[float | None, typer.Option("--max-seconds", metavar="S", help="Time budget for the SLQ rounds.")] = None,
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

    from saddlesim.cli.classify import load_matrices
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
    if fixed or not width:
        width = None
    if max_hvps is None and width is not None:
        max_hvps = 10 * probes * steps
    if out is not None:
        check_writable_dir(out)
    entropy = parse_seed(seed) if seed is not None else _journal_entropy(out)
    entropy = fresh_entropy() if entropy is None else entropy
    x = np.asarray(load_matrices(at), dtype=float)
    if x.ndim != 1:
        raise ValueError(f"--at {at}: expected a vector, got an array of shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"--at {at}: the point has non-finite coordinates")

    from saddlesim.curvature.spectrum import spectrum as compute
    from saddlesim.landscapes.user import load_jax_loss

    land = load_jax_loss(loss, default_dim=x.size)
    if land.dim != x.size:
        raise ValueError(f"{loss} has DIM = {land.dim} but --at {at} has {x.size} coordinates")
    loss_value = float(land.value(x))
    if not np.isfinite(loss_value):
        raise ValueError("the loss is not finite at this point")
    from saddlesim.curvature.adaptive import LossSource, ProbeJournal
    from saddlesim.runtime.cores import default_workers

    if workers is None:
        workers = 1 if x.size < SERIAL_BELOW else default_workers()
    source = LossSource(spec=loss, x=x)
    journal = ProbeJournal(out, source, entropy, x.size) if out is not None else None

    def say(line):
        if not quiet:
            typer.echo(line, err=True)

    with open_scheduler(scheduler, workers, quiet=quiet) as cluster:
        r = compute(land, x, method=method, tol=tol, probes=probes, steps=steps,
                    rng=np.random.default_rng(np.random.SeedSequence(entropy)), width=width, max_hvps=max_hvps,
                    max_seconds=max_seconds, workers=workers, scheduler=cluster, source=source, journal=journal,
                    progress=say)
    r["loss"], r["seed"] = loss_value, str(entropy)
    if out is not None:
        _write(out, r)
        if journal is not None:
            journal.discard()
    if fmt == "json":
        typer.echo(json.dumps({k: _plain(r[k]) for k in JSON_KEYS if k in r}))
        return
    typer.echo(_text(r))
    if out is not None:
        typer.echo(f"wrote {out}/density.csv, density.png, density.pdf")


def _journal_entropy(out):
    """The seed of an unfinished spectrum's journal in ``out`` (None when there is none): resume without --seed."""
    if out is None:
        return None
    plan = Path(out) / ".probes" / "plan.json"
    try:
        return int(json.loads(plan.read_text(encoding="utf-8"))["entropy"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _plain(v):
    if v is None or isinstance(v, str):
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
    if "exact_index" in r:
        lines.append(f"exact (dense): index {r['exact_index']}, near-kernel {r['exact_nullity']}, "
                     f"eigenvalues in [{r['exact_lambda_min']:.6g}, {r['exact_lambda_max']:.6g}]")
    return "\n".join(lines)


def bounded(value: float, bound: float) -> str:
    """A Ritz value shown to the digits its residual bound allows: ``-0.01482 ± 8e-06``; exact values to 6 digits."""
    import math

    if not bound or not math.isfinite(bound) or bound <= 1e-13 * abs(value):
        return f"{value:.6g}"
    digits = 1 if value == 0 else math.floor(math.log10(abs(value))) - math.floor(math.log10(bound)) + 1
    digits = max(1, min(6, digits))
    return f"{value:.{digits}g} ± {bound:.1g}"


def _extremes(r) -> str:
    """λ_min and λ_max: exact (dense), or Ritz values with their residual bounds (an eigenvalue lies within)."""
    bmin, bmax = r.get("lambda_min_bound") or 0.0, r.get("lambda_max_bound") or 0.0
    if not bmin and not bmax:
        return f"eigenvalues in [{r['lambda_min']:.6g}, {r['lambda_max']:.6g}]"
    return (f"lowest Ritz value {bounded(r['lambda_min'], bmin)} (>= λ_min), highest "
            f"{bounded(r['lambda_max'], bmax)} (<= λ_max); an eigenvalue lies within each ± bound")


def _write(out: Path, r) -> None:
    """density.csv and its figure; the table first, so a failing figure leaves no half-set (both or neither)."""
    import pandas as pd

    from saddlesim.plots.spectrum import plot_density
    from saddlesim.plots.style import save_figure
    from saddlesim.runtime.io import atomic_write_csv

    table = pd.DataFrame({"node": r["density_nodes"], "weight": r["density_weights"]})
    fig = plot_density(table, tol=r["tol"], title=f"Hessian spectrum, n = {r['n']} ({r['method']})")
    out.mkdir(parents=True, exist_ok=True)
    save_figure(fig, out / "density")
    atomic_write_csv(out / "density.csv", table)
