"""``saddlesim run`` (a declarative experiment) and ``saddlesim plot`` (its figures, from tables alone)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli.app import app, fail, reports_errors
from saddlesim.cli.scheduler import SchedulerOpt, open_scheduler

__all__ = ["run", "plot"]


@app.command()
@reports_errors
def run(
    spec: Annotated[Path, typer.Argument(help="Experiment spec, e.g. experiments/index_probabilities.toml.")],
    out_root: Annotated[Path | None, typer.Option("--out-root", help="Results go to OUT_ROOT/<name>/; default results/ (results/quick/ with --quick).")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="Smoke run: a small sample budget, seconds not minutes.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", "-w", help="Worker processes; default one per core.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    if_stale: Annotated[bool, typer.Option(
        "--if-stale",
        help="Skip the run when OUT_ROOT/<name>/meta.json records this spec, code and budget "
        "(content hashes, so committed results count as up to date in a fresh clone).")] = False,
    scheduler: SchedulerOpt = None,
):
    """Run the experiment in SPEC; write tables, meta.json and figures to OUT_ROOT/<name>/."""
    from saddlesim.kinds.registry import is_up_to_date, load_spec, run_experiment

    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    if out_root is None:
        # quick runs never overwrite real results
        out_root = Path("results/quick") if quick else Path("results")
    loaded = load_spec(spec)
    kind = loaded["kind"]
    if if_stale and is_up_to_date(spec, out_root, quick=quick):
        meta = out_root / loaded["name"] / "meta.json"
        meta.touch()  # so make's file times agree with the content check
        typer.echo(f"up to date: {meta.parent}")
        return
    try:
        with open_scheduler(scheduler, workers, quiet=quiet) as cluster:
            out = run_experiment(spec, out_root, workers=workers, quick=quick, progress=not quiet,
                                 scheduler=cluster)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("saddlesim."):
            fail(f"{spec}: experiments of kind {kind!r} need {exc.name}, which this installation lacks")
        raise
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: rerun `saddlesim run {spec}` with the same options to resume.", err=True)
        raise typer.Exit(code=130) from None
    typer.echo(str(out))


@app.command()
@reports_errors
def plot(
    out: Annotated[Path, typer.Argument(help="A results folder written by `saddlesim run` or `saddlesim sweep`.")],
):
    """Remake the figures of a results folder from its tables and meta.json (no simulation)."""
    from saddlesim.kinds.registry import plot_results

    for path in plot_results(out):
        typer.echo(str(path))
