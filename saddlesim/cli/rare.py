"""``saddlesim rare``: rare-event estimates of P(min) far below 1/samples.

Thin: parses, checks that ``--out`` will be writable *before* the (long)
run, calls :func:`saddlesim.rare.estimate_table`, then writes the folder with
:func:`saddlesim.kinds.rare.write_results`, the writer the ``rare``
experiment uses, so ``saddlesim plot`` redraws it -- nothing is written
unless the run succeeds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, fail, reports_errors
from saddlesim.cli.scheduler import SchedulerOpt, open_scheduler
from saddlesim.runtime.io import check_writable_dir
from saddlesim.models.spec import Model
from saddlesim.runtime.parsing import parse_float_list, parse_int_list, parse_seed
from saddlesim.runtime.seeds import fresh_entropy

__all__ = ["rare"]

#: Walkers per replicate at --budget 1.
BASE_WALKERS = 1000


def _render(df, console) -> None:
    from rich.table import Table

    table = Table(
        title="Rare-event estimate of P(min) = P(max)",
        caption="95 % interval from independent replicates at two mixing budgets "
        "(! = they disagreed, interval widened); shift s: P(λ_min > -s); coin flips: -n log10 2",
    )
    for col in ("model", "n", "shift", "log10 P", "95 % interval", "exact", "coin flips", "levels", "cpu s"):
        table.add_column(col, justify="right", no_wrap=True)
    cpu = {(c["model"], c["n"]): c["seconds"] for c in df.attrs.get("cell_seconds", [])}
    for r in df.itertuples(index=False):
        exact = "" if r.log10_exact != r.log10_exact else f"{r.log10_exact:.3f}"
        # "!": the two mixing budgets disagreed and the interval was widened.
        flag = " !" if r.mixing_flag else ""
        table.add_row(
            r.model, str(r.n), f"{r.shift:g}", f"{r.log10_p:.3f}",
            f"[{r.log10_p_lo:.3f}, {r.log10_p_hi:.3f}]{flag}",
            exact, f"{r.log10_coinflip:.3f}", f"{r.levels_mean:.0f}", f"{cpu.get((r.model, r.n), float('nan')):.1f}",
        )
    console.print(table)


@app.command()
@reports_errors
def rare(
    model: opt.ModelOpt = "goe",
    n: Annotated[str, opt.dims("Dimensions, e.g. '10,20,30' or '2-10'.")] = "10,20",
    beta: opt.BetaOpt = None,
    seed: opt.Seed = None,
    budget: Annotated[
        float,
        typer.Option(
            "--budget",
            help=f"Scales walkers per replicate ({BASE_WALKERS} at 1): time ∝ budget, "
            "interval width ∝ 1/√budget.",
        ),
    ] = 1.0,
    replicates: Annotated[
        int, typer.Option("--replicates", "-r", help="Independent replicates (>= 2) behind the interval.")
    ] = 16,
    sweeps: Annotated[
        int | None, typer.Option("--sweeps", help="Metropolis sweeps per level (default max(4, ceil(n√β/3))).")
    ] = None,
    workers: opt.Workers = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", metavar="DIR",
                                  help="Write results.csv, fits.csv, meta.json and figures here.")
    ] = None,
    shift: opt.Shift = None,
    scheduler: SchedulerOpt = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a different run already in --out.")] = False,
    quiet: opt.Quiet = False,
):
    """Estimate P(min) = P(λ_min > 0) down to 1e-300 and below (rare-event splitting).

    With --out, an interrupted run, rerun with the same arguments and --seed, resumes.
    """
    m = Model(model, beta=beta)  # rejects unknown names, a missing or conflicting beta
    ns = parse_int_list(n, minimum=1)
    if not budget > 0 or budget != budget or budget == float("inf"):
        fail(f"--budget must be a positive number, got {budget}")
    walkers = max(10, int(round(BASE_WALKERS * budget)))
    if replicates < 2:
        fail(f"--replicates must be >= 2, got {replicates}")
    if sweeps is not None and sweeps < 1:
        fail(f"--sweeps must be >= 1, got {sweeps}")
    if workers is not None and workers < 1:
        fail(f"--workers must be >= 1, got {workers}")
    shifts = [] if shift is None else sorted(parse_float_list(shift, name="--shift"))
    if out is not None:
        check_writable_dir(out)  # before a scheduler starts or anything is computed
    entropy = fresh_entropy() if seed is None else parse_seed(seed)

    from rich.console import Console

    # numba and scipy load here, not at every --help
    from saddlesim.rare import estimate_table
    from saddlesim.kinds.rare import run_rare
    from saddlesim.rare.store import REPLICATES_DIR, RarePlan

    cells = tuple((m, k) for k in ns)
    if not quiet:
        Console().print(f"seed entropy: {entropy}  (repeat or resume with --seed {entropy})")
    try:
        if out is not None:
            spec = {
                "model": m.name, "beta": m.beta, "n": ns, "walkers": walkers, "replicates": replicates,
                "sweeps": sweeps, "budget": budget, "shifts": shifts,
            }
            plan = RarePlan(cells, entropy, walkers, replicates, sweeps, tuple(shifts))
            with open_scheduler(scheduler, workers) as cluster:
                df, _ = run_rare(plan, out, spec, workers=workers, scheduler=cluster, progress=not quiet,
                                 overwrite=overwrite, command="saddlesim rare")
        else:
            from saddlesim.runtime.progress import progress_bar

            bar, task = progress_bar(not quiet, len(ns) * replicates, 0, f"{m.name} replicates")
            with open_scheduler(scheduler, workers) as cluster, bar:
                df = estimate_table(cells, entropy=entropy, walkers=walkers, replicates=replicates,
                                    sweeps=sweeps, workers=workers, progress=lambda: bar.advance(task),
                                    shifts=shifts, scheduler=cluster)
    except KeyboardInterrupt:
        kept = f"finished replicates are kept in {out}/{REPLICATES_DIR}; " if out is not None else ""
        typer.echo(f"Interrupted: {kept}rerun with the same arguments and --seed {entropy} to resume.", err=True)
        raise typer.Exit(code=130) from None
    # Piped output gets no terminal width; rich would then squeeze the table
    # into 80 columns and elide the numbers.
    _render(df, Console() if sys.stdout.isatty() else Console(width=120))
    if out is not None:
        typer.echo(f"wrote {out}/results.csv, fits.csv, meta.json and figures", err=True)
