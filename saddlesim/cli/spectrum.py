"""``saddlesim spectrum``: index with an interval, near-kernel, extreme eigenvalues and density of one point's Hessian."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, reports_errors
from saddlesim.cli.point import AT_HELP, LOSS_HELP, jsonable, network_text

__all__ = ["spectrum"]

SPECTRUM_METHODS = "auto|exact|lanczos|slq|both"
JSON_KEYS = ("n", "method", "tol", "index", "index_lo", "index_hi", "index_status", "index_delta",
             "index_probe_lo", "index_probe_hi", "nullity", "nullity_lo", "nullity_hi", "nullity_probe_lo",
             "nullity_probe_hi", "lambda_min", "lambda_max", "grad_norm", "loss",
             "hvps", "seconds", "probes", "steps", "seed", "exact_index", "exact_nullity",
             "exact_lambda_min", "exact_lambda_max",
             # the coin-flip comparison and the index over τ (saddlesim.networks)
             "coin_mean", "coin_sd", "coin_z", "coin_log10_p", "coin_least_index", "coin_least_z",
             "coin_least_log10_p", "coin_log10_p_min", "tau_rule", "tau_table")


@app.command()
@reports_errors
def spectrum(
    loss: Annotated[str, typer.Option("--loss", metavar="FILE.py:FUNC", help=LOSS_HELP)],
    at: Annotated[Path, typer.Option("--at", metavar="X.npy|X.npz", help=AT_HELP)],
    method: Annotated[str, typer.Option("--method", metavar=SPECTRUM_METHODS, help="exact: dense eigenvalues; lanczos: count certified by deflated Lanczos (declines when many eigenvalues lie below -tol); slq: stochastic Lanczos quadrature; both: matrix-free and exact side by side; auto: exact up to 3000 parameters, else lanczos falling back to slq.")] = "auto",
    tol: Annotated[float | None, typer.Option("--tol", metavar="TOL", help="Absolute threshold τ: index = #{λ < -τ}, near-kernel = #{|λ| <= τ}. Default 1e-4·max|λ| (the headline rule; the table gives every decade).")] = None,
    probes: Annotated[int, typer.Option("--probes", metavar="P", help="SLQ probes (Rademacher vectors), >= 2.")] = 20,
    steps: Annotated[int, typer.Option("--steps", metavar="M", help="Lanczos steps per SLQ probe, >= 1. More steps narrow the interval where many eigenvalues crowd ±τ.")] = 80,
    seed: opt.Seed = None,
    fmt: Annotated[str, typer.Option("--format", metavar="text|json", help="Output: a short report (text) or one JSON object (json).")] = "text",
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Also write DIR/density.csv (node, weight; weights sum to n) and DIR/density.png, .pdf.")] = None,
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
    entropy = fresh_entropy() if seed is None else parse_seed(seed)
    if out is not None:
        check_writable_dir(out)
    from saddlesim.networks.api import spectrum as compute
    from saddlesim.networks.files import load_network

    land = load_network(loss, at)
    r = compute(None, land, method=method, tol=tol, probes=probes, steps=steps,
                rng=np.random.default_rng(np.random.SeedSequence(entropy)))
    loss_value = r["loss"]
    r["loss"], r["seed"] = loss_value, str(entropy)
    if out is not None:
        _write(out, r)
    if fmt == "json":
        typer.echo(json.dumps({k: _plain(v) for k, v in jsonable(r).items() if k in JSON_KEYS}))
        return
    typer.echo(_text(r))
    typer.echo("\n".join(network_text(r)))
    if out is not None:
        typer.echo(f"wrote {out}/density.csv, density.png, density.pdf")


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
        f"eigenvalues in [{r['lambda_min']:.6g}, {r['lambda_max']:.6g}]",
        f"loss {r['loss']:.10g}   |grad| {r['grad_norm']:.3g} (a point with |grad| > 0 is not critical)",
        f"{r['hvps']} Hessian-vector products, {r['seconds']:.2f} s, seed {r['seed']}",
    ]
    if "exact_index" in r:
        lines.append(f"exact (dense): index {r['exact_index']}, near-kernel {r['exact_nullity']}, "
                     f"eigenvalues in [{r['exact_lambda_min']:.6g}, {r['exact_lambda_max']:.6g}]")
    return "\n".join(lines)


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
