"""``saddlesim rare``: rare-event estimates of P(min) far below 1/samples.

Thin: parses, checks that ``--out`` will be writable *before* the (long)
run, calls :func:`saddlesim.rare.estimate_table`, then writes
``results.csv`` and ``meta.json`` atomically -- nothing is written unless the
run succeeds.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from saddlesim.cli.app import app, fail, reports_errors
from saddlesim.cli.parse import parse_int_list
from saddlesim.io import atomic_write_csv, atomic_write_json, provenance
from saddlesim.models import Model
from saddlesim.rare import estimate_table
from saddlesim.seeds import fresh_entropy

__all__ = ["rare", "check_writable_dir", "parse_shifts"]

#: Walkers per replicate at --budget 1.
BASE_WALKERS = 1000


def check_writable_dir(out: Path) -> None:
    """Raise ValueError unless ``out`` is (or can be created as) a writable directory.

    Leaves nothing behind: the first existing ancestor must be a directory in
    which a file can be created.
    """
    if out.exists():
        if not out.is_dir():
            raise ValueError(f"--out {out} exists and is not a directory")
        target = out
    else:
        target = out.parent
        while not target.exists():
            target = target.parent
        if not target.is_dir():
            raise ValueError(f"--out {out}: {target} is not a directory")
    # Probe by creating (and removing) a file: os.access says yes to root even
    # on read-only or virtual file systems such as /proc.
    try:
        fd, probe = tempfile.mkstemp(prefix=".saddlesim-probe-", dir=target)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"--out {out}: cannot write in {target} ({exc.strerror or exc})") from None


def parse_shifts(text: str) -> list[float]:
    """Parse ``"-1,0.5,2"`` into sorted distinct finite floats; ValueError quotes a bad item."""
    values = set()
    for item in str(text).split(","):
        try:
            v = float(item)
        except ValueError:
            raise ValueError(f"--shift: {item.strip()!r} is not a number") from None
        if not math.isfinite(v):
            raise ValueError(f"--shift: {item.strip()!r} is not a finite number")
        values.add(v)
    return sorted(values)


def _render(df, console: Console) -> None:
    table = Table(
        title="Rare-event estimate of P(min) = P(max)",
        caption="95 % interval from independent replicates at two mixing budgets "
        "(! = they disagreed, interval widened); shift s: P(λ_min > -s); seed: -n log10 2",
    )
    for col in ("model", "n", "shift", "log10 P", "95 % interval", "exact", "seed", "levels", "cpu s"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in df.itertuples(index=False):
        exact = "" if r.log10_exact != r.log10_exact else f"{r.log10_exact:.3f}"
        # "!": the two mixing budgets disagreed and the interval was widened.
        flag = " !" if r.mixing_flag else ""
        table.add_row(
            r.model, str(r.n), f"{r.shift:g}", f"{r.log10_p:.3f}",
            f"[{r.log10_p_lo:.3f}, {r.log10_p_hi:.3f}]{flag}",
            exact, f"{r.log10_seed:.3f}", f"{r.levels_mean:.0f}", f"{r.seconds:.1f}",
        )
    console.print(table)


@app.command()
@reports_errors
def rare(
    model: Annotated[
        str, typer.Option("--model", "-m", help="goe, gue, gse, beta (with --beta) or independent.")
    ] = "goe",
    n: Annotated[str, typer.Option("--n", "-n", help="Dimensions, e.g. '10,20,30' or '2-10'.")] = "10,20",
    beta: Annotated[
        float | None, typer.Option("--beta", "-b", help="Dyson index for --model beta (> 0).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", "-s", help="Root seed entropy (default: fresh, recorded).")
    ] = None,
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
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Processes (default: all cores).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write results.csv and meta.json here.")
    ] = None,
    shift: Annotated[
        str | None,
        typer.Option(
            "--shift",
            help="Also P(min) of H = G + s·I, i.e. P(λ_min(G) > -s), for shifts like '-1,0.5,1' "
            "(same runs: the levels stop on every wall).",
        ),
    ] = None,
):
    """Estimate P(min) = P(λ_min > 0) down to 1e-300 and below (rare-event splitting)."""
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
    shifts = [] if shift is None else parse_shifts(shift)
    if out is not None:
        check_writable_dir(out)
    entropy = fresh_entropy() if seed is None else seed
    if entropy < 0:
        fail(f"--seed must be >= 0, got {seed}")

    t0 = time.perf_counter()
    console = Console(stderr=True)
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=True,
    ) as bar:
        task = bar.add_task(f"{m.name} replicates", total=len(ns) * replicates)
        df = estimate_table(
            [(m, k) for k in ns], entropy=entropy, walkers=walkers, replicates=replicates,
            sweeps=sweeps, workers=workers, progress=lambda: bar.advance(task), shifts=shifts,
        )
    seconds = time.perf_counter() - t0
    # Piped output gets no terminal width; rich would then squeeze the table
    # into 80 columns and elide the numbers.
    _render(df, Console() if sys.stdout.isatty() else Console(width=120))
    if out is not None:
        spec = {
            "model": m.name, "beta": m.beta, "n": ns, "walkers": walkers, "replicates": replicates,
            "sweeps": sweeps, "budget": budget, "workers": workers, "shifts": shifts,
        }
        meta = {
            "kind": "rare-cli", "spec": spec, "seed_entropy": entropy, "provenance": provenance(),
            "timings": {
                "total_seconds": seconds,
                "replicate_seconds_per_n": dict(zip(map(str, df["n"]), df["seconds"])),
            },
        }
        atomic_write_csv(out / "results.csv", df)
        atomic_write_json(out / "meta.json", meta)
        typer.echo(f"wrote {out / 'results.csv'} and {out / 'meta.json'}", err=True)
