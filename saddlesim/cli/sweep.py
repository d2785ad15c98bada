"""``saddlesim sweep``: Monte Carlo index probabilities over a grid of models and dimensions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, reports_errors
from saddlesim.cli.scheduler import SchedulerOpt, open_scheduler
from saddlesim.runtime.parsing import parse_count, parse_float_list, parse_int_list, parse_seed

__all__ = ["sweep", "parse_count", "parse_models"]


def parse_models(text: str, beta: float | None, phi: float | None = None, eps: float | None = None):
    """``goe`` or ``independent,goe`` → Models; ``beta`` applies to the ``beta`` model only,
    ``phi`` and ``eps`` to ``wishart-wigner`` only."""
    from saddlesim.models.spec import Model

    names = [t.strip() for t in str(text).split(",") if t.strip()]
    if not names:
        raise ValueError("--model is empty")
    models = []
    for name in names:
        if name.lower() == "beta":
            if beta is None:
                raise ValueError("model 'beta' needs --beta B with B > 0")
            models.append(Model("beta", beta))
        elif name.lower() == "wishart-wigner":
            if phi is None or eps is None:
                raise ValueError("model 'wishart-wigner' needs --phi PHI > 0 and --eps EPS >= 0")
            models.append(Model("wishart-wigner", phi=phi, eps=eps))
        else:
            models.append(Model(name))
    if beta is not None and not any(m.name == "beta" for m in models):
        raise ValueError("--beta applies only to --model beta")
    if (phi is not None or eps is not None) and not any(m.name == "wishart-wigner" for m in models):
        raise ValueError("--phi and --eps apply only to --model wishart-wigner")
    return models


def _render(results, console) -> None:
    from rich import box
    from rich.table import Table

    sizes = results["samples"].unique()
    title = "Index probabilities vs the coin-flip 2^-n" + (
        f" (N = {sizes[0]:,} per cell)" if len(sizes) == 1 else "")
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    shifted = "shift" in results
    weighted = "w_p_min" in results
    cols = ("model", "n") + (("shift",) if shifted else ()) + ("minima", "P(min)", "95% CI", "exact", "2^-n", "log10 p", "P(saddle)", "1-2^(1-n)") + (
        ("P_w(min)", "95% CI (w)", "n_eff") if weighted else ())
    for col in cols:
        table.add_column(col, justify="left" if col == "model" else "right", no_wrap=True)
    for r in results.itertuples(index=False):
        label = r.model if r.model != "beta" else f"beta={r.beta:g}"
        if r.model == "wishart-wigner":
            label = f"ww(φ={r.phi:g},ε={r.eps:g})"
        row = [label, str(r.n)] + ([f"{r.shift:g}"] if shifted else []) + [
            f"{r.minima:,}", f"{r.p_min:.3g}",
            f"{r.p_min_lo:.3g}–{r.p_min_hi:.3g}", _exact(r.exact_log10_p_min), f"{r.coinflip_p_min:.3g}",
            f"{r.log10_pvalue_min_coinflip:.1f}", f"{r.p_saddle:.4f}", f"{r.coinflip_p_saddle:.4f}",
        ]
        if weighted:
            row += [f"{r.w_p_min:.3g}", f"{r.w_p_min_lo:.3g}–{r.w_p_min_hi:.3g}", f"{r.n_eff:,.0f}"]
        table.add_row(*row)
    console.print(table)
    console.print(
        "exact: random-matrix P(min) where theory has it (GOE, GUE; the independent model's 2^-n).\n"
        "log10 p: two-sided binomial p-value of the minima count under the coin-flip 2^-n."
        + ("\nP_w: weighted by |det H| (Kac–Rice); interval: Wilson with the ratio estimator's "
           "effective size; n_eff: Kish." if weighted else "")
    )


def _exact(log10_p: float) -> str:
    """Format an exact probability from its log10 (it may lie below the float range)."""
    if log10_p != log10_p:  # NaN: no exact result
        return "–"
    if log10_p > -300:
        return f"{10.0 ** log10_p:.3g}"
    exponent, fraction = divmod(log10_p, 1.0)
    return f"{10.0 ** fraction:.2f}e{int(exponent)}"


@app.command()
@reports_errors
def sweep(
    model: opt.ModelsOpt = "goe",
    n: opt.Dims = "2-6",
    samples: opt.Samples = "100000",
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Results folder (created when work starts).")] = Path("runs/sweep"),
    seed: opt.Seed = None,
    beta: opt.BetaOpt = None,
    phi: Annotated[float | None, typer.Option("--phi", metavar="PHI", help="Wishart ratio n/m for --model wishart-wigner (> 0).")] = None,
    eps: Annotated[float | None, typer.Option("--eps", metavar="EPS", help="Wigner strength for --model wishart-wigner (>= 0; semicircle radius 2√(2ε)).")] = None,
    workers: opt.Workers = None,
    method: opt.Method = None,
    tol: opt.Tol = None,
    shift: opt.Shift = None,
    weight: Annotated[str | None, typer.Option("--weight", metavar="det", help="det: also report frequencies weighted by |det H| (the Kac–Rice weight of a critical point), with Kish n_eff and intervals.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace a different sweep already in --out instead of stopping.")] = False,
    plot: Annotated[bool, typer.Option("--plot/--no-plot", help="Also write P(min/max/saddle) figures.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or table; just the output path.")] = False,
    scheduler: SchedulerOpt = None,
):
    """Estimate P(min), P(max), P(saddle) for each model and n; write OUT/results.csv, index_counts.csv, meta.json.

    Rerunning an interrupted sweep with the same arguments (and --seed) resumes it.
    """
    from rich.console import Console

    from saddlesim.sweep import fresh_entropy, make_plan, run_sweep

    models = parse_models(model, beta, phi, eps)
    ns = parse_int_list(n, name="--n")
    count = parse_count(samples)
    entropy = fresh_entropy() if seed is None else parse_seed(seed)
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be >= 1, got {workers}")
    shifts = None if shift is None else parse_float_list(shift, name="--shift")
    if weight is not None and weight.strip().lower() not in ("det", "none"):
        raise ValueError(f"--weight must be det (or none), got {weight!r}")
    weight = None if weight is None or weight.strip().lower() == "none" else "det"
    plan = make_plan(models, ns, count, entropy=entropy, method=method, tol=tol, shifts=shifts, weight=weight)
    console = Console()
    if not console.is_terminal:
        # piped output has no width to respect; don't squeeze the table to 80 columns
        console = Console(width=max(console.width, 110))
    if not quiet:
        console.print(f"seed entropy: {plan.entropy}  (repeat or resume with --seed {plan.entropy})")
        if method is None and plan.method != "tridiagonal":
            only = sorted({m.name for m in models if m.methods == (plan.method,)})
            console.print(f"method: {plan.method} ({', '.join(only)} has no other form)")
    spec = {
        "kind": "sweep",
        "name": out.name,
        "title": f"Sweep: {', '.join(m.label for m in models)}",
        "models": [m.name if m.name not in ("beta", "wishart-wigner") else
                   {"name": "beta", "beta": m.beta} if m.name == "beta" else
                   {"name": m.name, "phi": m.phi, "eps": m.eps} for m in models],
        "n": ns,
        "samples": count,
        "seed": plan.entropy,
        "method": plan.method,
        **({"tol": tol} if tol is not None else {}),
        **({"shifts": shifts} if shifts is not None else {}),
        **({"weight": weight} if weight is not None else {}),
    }
    try:
        with open_scheduler(scheduler, workers, quiet=quiet) as cluster:
            result = run_sweep(plan, out, workers=workers, progress=not quiet, overwrite=overwrite,
                               meta_extra={"spec": spec, "title": spec["title"]},
                               scheduler=cluster)
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished chunks are kept in {out}/.chunks; "
                   f"rerun with the same arguments and --seed {plan.entropy} to resume.", err=True)
        raise typer.Exit(code=130) from None
    if plot:
        from saddlesim.kinds.sweep import plot_experiment

        plot_experiment(out)
    if quiet:
        typer.echo(str(out))
        return
    _render(result.results, console)
    t = result.meta["timings"]
    console.print(f"wrote {out}/results.csv, index_counts.csv, meta.json"
                  f"{' and figures' if plot else ''} in {t['wall_seconds']:.1f} s "
                  f"({t['workers']} worker{'s' if t['workers'] != 1 else ''}"
                  f"{', resumed ' + str(t['chunks_resumed']) + ' chunks' if t['chunks_resumed'] else ''})")
    if seed is None:
        console.print(f"to repeat this run exactly, add --seed {plan.entropy}")
