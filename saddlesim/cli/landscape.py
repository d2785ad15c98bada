"""``saddlesim landscape``: find and classify the critical points of a real loss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, reports_errors
from saddlesim.cli.scheduler import SchedulerOpt, open_scheduler
from saddlesim.runtime.parsing import parse_count, parse_seed

__all__ = ["landscape", "loss_params"]

#: CLI option → (loss it belongs to, the factory's parameter name)
_OPTION_PARAM = {
    "--dim": ("pspin", "N"), "--p": ("pspin", "p"),
    "--k": ("linear-ae", "k"), "--width": ("linear-ae", "width"),
    "--d": ("mlp", "d"), "--h": ("mlp", "h"), "--m": ("mlp", "m"), "--outputs": ("mlp", "outputs"),
}


def _parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


#: CLI option → a JAX loss's parameter (``--loss file.py:loss``)
_JAX_OPTION_PARAM = {"--dim": "dim", "--start-scale": "start_scale", "--sphere": "sphere"}


def loss_params(loss: str, given: dict, extra: list[str], *, jax: bool = False) -> dict:
    """The loss's parameters from its own options and ``--param key=value`` pairs.

    ``jax``: the loss is a JAX ``loss(x)`` (``--dim``, ``--start-scale``, ``--sphere`` are its).

    Raises
    ------
    ValueError
        An option that belongs to another loss, or a malformed ``--param``.
    """
    params = {}
    for option, value in given.items():
        if value is None or value is False:
            continue
        if jax and option in _JAX_OPTION_PARAM:
            params[_JAX_OPTION_PARAM[option]] = value
            continue
        if option not in _OPTION_PARAM:
            raise ValueError(f"{option} applies to a JAX loss (--loss file.py:loss), not {loss!r}")
        owner, name = _OPTION_PARAM[option]
        if owner != loss:
            raise ValueError(f"{option} applies to --loss {owner}, not {loss!r}")
        params[name] = value
    for item in extra:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param must look like name=value, got {item!r}")
        params[key.strip()] = _parse_value(value.strip())
    return params


def _render(result, console) -> None:
    from rich import box
    from rich.table import Table

    s = result.summary
    table = Table(title="Critical points per instance, by index", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("index", "mean count", "95% interval", "degenerate", "theory"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in s.itertuples(index=False):
        interval = "–" if r.mean_count_lo != r.mean_count_lo else f"{r.mean_count_lo:.2f}–{r.mean_count_hi:.2f}"
        theory = "–" if r.theory_mean != r.theory_mean else f"{r.theory_mean:.3f}"
        table.add_row(str(r.index), f"{r.mean_count:.3f}", interval, f"{r.mean_degenerate:.2f}", theory)
    console.print(table)
    labels = result.critical_points["label"].value_counts()
    console.print("labels: " + ", ".join(f"{k} {v}" for k, v in labels.items()))
    c = result.meta["summary"]["counts"]
    console.print(f"{c['solves']:,} solves → {c['accepted_distinct']:,} distinct critical points; "
                  f"{c['rejected']:,} end points rejected (|grad|^2 > grad_tol, see rejected.csv)")


@app.command()
@reports_errors
def landscape(
    loss: Annotated[str, typer.Option("--loss", "-l", metavar="NAME", help="pspin, linear-ae, mlp, package.module:factory, or a JAX loss of x as file.py:loss or module:loss (from the current folder).")] = "pspin",
    dim: Annotated[int | None, typer.Option("--dim", metavar="N", help="pspin: number of spins N (index 0…N−1); a JAX loss: the length of x, if its module defines no DIM.")] = None,
    start_scale: Annotated[float | None, typer.Option("--start-scale", metavar="S", help="A JAX loss without random_point: random starts N(0, S²I) (default 1).")] = None,
    sphere: Annotated[bool, typer.Option("--sphere", help="A JAX loss on the sphere |x|² = DIM (the p-spin's geometry).")] = False,
    p: Annotated[int | None, typer.Option("--p", metavar="P", help="pspin: interaction order p ≥ 2.")] = None,
    k: Annotated[int | None, typer.Option("--k", metavar="K", help="linear-ae: data dimension k.")] = None,
    width: Annotated[int | None, typer.Option("--width", metavar="P", help="linear-ae: bottleneck width p ≤ k.")] = None,
    d: Annotated[int | None, typer.Option("--d", metavar="D", help="mlp: input dimension.")] = None,
    h: Annotated[int | None, typer.Option("--h", metavar="H", help="mlp: hidden units.")] = None,
    m: Annotated[int | None, typer.Option("--m", metavar="M", help="mlp: training samples.")] = None,
    outputs: Annotated[int | None, typer.Option("--outputs", metavar="C", help="mlp: output units.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", metavar="NAME=VALUE", help="Any loss parameter as name=value (repeatable).")] = None,
    instances: Annotated[str, typer.Option("--instances", "-K", metavar="COUNT", help="Independent instances (disorder draws).")] = "1",
    starts: Annotated[str, typer.Option("--starts", "-S", metavar="COUNT", help="Newton-MR solves per instance.")] = "200",
    descent_fraction: Annotated[float, typer.Option("--descent-fraction", metavar="F", help="Share of starts taken along gradient-descent runs, uniformly in loss.")] = 0.0,
    hops: Annotated[int | None, typer.Option("--hops", metavar="COUNT", help="Further solves per instance from found points stepped along their Hessian eigenvectors (default: half of --starts; 0 for none).")] = None,
    grad_tol: Annotated[float, typer.Option("--grad-tol", metavar="TOL", help="Accept a point only at |grad L|^2 ≤ this.")] = 1e-10,
    null_tol: Annotated[float | None, typer.Option("--null-tol", metavar="TOL", help="Absolute nullity threshold on Hessian eigenvalues; default √eps·max(1, max|λ|).")] = None,
    seed: opt.Seed = None,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Results folder (created when work starts).")] = Path("runs/landscape"),
    workers: opt.Workers = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a different run already in --out.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table; just the output path.")] = False,
    scheduler: SchedulerOpt = None,
    derivative_check: Annotated[bool, typer.Option("--derivative-check/--no-derivative-check", help="Before the run, compare the loss's gradient and Hessian with finite differences at 3 random points; a mismatch stops it (nothing written).")] = True,
    at: Annotated[Path | None, typer.Option("--at", metavar="X.npy|X.npz", help="A JAX loss: run Newton-MR from this point (your trained weights) instead of random starts; a line per step with |grad| on stderr; writes OUT/end_point.npz (or .npy) and OUT/end_point.json.")] = None,
    max_iter: Annotated[int, typer.Option("--max-iter", metavar="K", help="With --at: Newton steps at most.")] = 100,
    max_seconds: Annotated[float | None, typer.Option("--max-seconds", metavar="S", help="With --at: stop after S seconds and report the verdict at the last iterate.")] = None,
):
    """Find the critical points of a loss; write OUT/critical_points.csv, rejected.csv, summary.csv, meta.json.

    Rerunning an interrupted run with the same arguments (and --seed) resumes it.
    """
    if at is not None:
        _from_point(loss, at, out, max_iter=max_iter, max_seconds=max_seconds, quiet=quiet)
        return
    from rich.console import Console

    from saddlesim.searches.plan import make_landscape_plan
    from saddlesim.searches.run import run_landscape
    from saddlesim.runtime.seeds import fresh_entropy

    from saddlesim.landscapes.user import is_jax_loss

    given = {"--dim": dim, "--p": p, "--k": k, "--width": width, "--d": d, "--h": h, "--m": m, "--outputs": outputs,
             "--start-scale": start_scale, "--sphere": sphere}
    params = loss_params(loss, given, list(param or []), jax=":" in loss and is_jax_loss(loss))
    entropy = fresh_entropy() if seed is None else parse_seed(seed)
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    n_starts = parse_count(starts, name="--starts")
    if hops is None:
        # random starts alone miss critical points with small basins (2 of p-spin p=2, N=6's 12 in
        # 2 of 5 instances at --seed 3; 4 of the autoencoder k=5, p=3's 26 classes at --seed 5);
        # hops from found points along their eigenvectors reach them (all found in both)
        hops = n_starts // 2
    plan = make_landscape_plan(loss, params, instances=parse_count(instances, name="--instances"),
                               starts=n_starts, entropy=entropy,
                               grad_tol=grad_tol, descent_fraction=descent_fraction, null_tol=null_tol,
                               hops=hops, derivative_check=derivative_check)
    console = Console()
    if not console.is_terminal:
        console = Console(width=max(console.width, 110))
    if not quiet:
        console.print(f"seed entropy: {plan.entropy}  (repeat or resume with --seed {plan.entropy})")
    spec = {"kind": "landscape", "name": out.name, "loss": plan.loss, "params": plan.param_dict,
            "instances": plan.instances, "starts": plan.starts, "seed": plan.entropy, "grad_tol": plan.grad_tol,
            "descent_fraction": plan.descent_fraction, "hops": plan.hops}
    try:
        with open_scheduler(scheduler, workers, quiet=quiet) as cluster:
            result = run_landscape(plan, out, workers=workers, progress=not quiet, overwrite=overwrite,
                                   meta_extra={"spec": spec, "title": f"Critical points of {plan.tag}"},
                                   scheduler=cluster)
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished instances are kept in {out}/.instances; "
                   f"rerun with the same arguments and --seed {plan.entropy} to resume.", err=True)
        raise typer.Exit(code=130) from None
    from saddlesim.critical.completeness import missing_warning

    warning = missing_warning(result.meta["summary"]["completeness"])
    if warning:
        typer.echo(warning, err=True)
    if quiet:
        typer.echo(str(out))
        return
    _render(result, console)
    t = result.meta["timings"]
    console.print(f"wrote {out}/critical_points.csv, coordinates.csv, rejected.csv, summary.csv, meta.json "
                  f"in {t['wall_seconds']:.1f} s")


def _from_point(loss: str, at: Path, out: Path, *, max_iter: int, max_seconds: float | None, quiet: bool) -> None:
    """``landscape --at``: Newton-MR from the user's point, with progress and budgets; the end point and its verdict."""
    import numpy as np

    from saddlesim.curvature.thresholds import HEADLINE_RTOL
    from saddlesim.critical.polish import polish_point
    from saddlesim.networks.api import budget_callback
    from saddlesim.networks.files import load_network
    from saddlesim.runtime.io import atomic_write_text, check_writable_dir

    if ":" not in loss:
        raise ValueError(f"--at needs a JAX loss (--loss file.py:loss or module:loss), not {loss!r}")
    if max_iter < 1:
        raise ValueError(f"--max-iter must be >= 1, got {max_iter}")
    if max_seconds is not None and not (np.isfinite(max_seconds) and max_seconds > 0):
        raise ValueError(f"--max-seconds must be a positive number, got {max_seconds}")
    check_writable_dir(out)
    land = load_network(loss, at)
    cb = budget_callback(max_seconds, progress=not quiet)
    xp, q = polish_point(land, land.x0, max_iter=max_iter, callback=cb, rtol_null=HEADLINE_RTOL)
    q["stopped_by"] = "max-seconds" if cb.stopped else ("max-iter" if q["iterations"] >= max_iter else "solver")
    out.mkdir(parents=True, exist_ok=True)
    if land.flat.paths == [""]:     # a flat loss(x): the end point is a vector
        np.save(out / "end_point.npy", xp)
        name = "end_point.npy"
    else:
        land.flat.save_npz(out / "end_point.npz", xp)
        name = "end_point.npz"
    atomic_write_text(out / "end_point.json", json.dumps({"start": str(at), **q}) + "\n")
    why = f", stopped by {q['stopped_by']}" if q["stopped_by"] != "solver" else ""
    typer.echo(f"Newton-MR from {at}: {q['iterations']} steps{why}, moved {q['distance']:.3g}: "
               f"{q['verdict']}: {q['label']}, index {q['index']} of {land.dim} (nullity {q['nullity']}), "
               f"loss {q['loss']:.10g}, |grad| {q['grad_norm']:.3g}")
    typer.echo(f"wrote {out}/{name}, {out}/end_point.json")
