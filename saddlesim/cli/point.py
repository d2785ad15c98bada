"""``saddlesim point``: is this point (your trained weights) a minimum, a maximum or a saddle?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli.app import app, reports_errors

__all__ = ["point", "network_text", "jsonable"]

LOSS_HELP = ("A JAX loss as 'file.py:loss' or 'module:loss' (from the current folder; a file imports its "
             "siblings): loss(params, batch) when the module defines DATA or batches(), else loss(x) of a "
             "1-D float64 array. The module may define PARAMS (the parameter pytree an .npz is read into) and DIM.")
AT_HELP = ("The point: a .npy vector, or a .npz of named arrays (the pytree's leaves by path, as "
           "saddlesim writes them; without PARAMS, the entries of a flat dict).")


def jsonable(v: dict) -> dict:
    """The result without pytrees (vectors): what ``--format json`` prints."""
    out = {k: val for k, val in v.items() if k not in ("eigenvector_min", "density_nodes", "density_weights")}
    if "polished" in out:
        out["polished"] = {k: val for k, val in out["polished"].items() if k != "point"}
    return out


def _fmt(v) -> str:
    return f"{v:d}" if isinstance(v, int) else f"{v:.1f}"


def network_text(v: dict) -> list[str]:
    """The τ table, the rule and the coin-flip sentence, as text lines (shared with ``spectrum``)."""
    from saddlesim.networks.coin import coin_sentence

    lines = [f"headline rule: {v['tau_rule']}",
             "index and near-kernel over τ (one run; the count moves with τ where eigenvalues crowd near 0):",
             "   τ/max|λ|          τ   #{λ < -τ}                #{|λ| <= τ}"]
    for r in v["tau_table"]:
        idx = _fmt(r["index"]) if r["index_lo"] == r["index_hi"] else \
            f"{_fmt(r['index'])} [{_fmt(r['index_lo'])}, {_fmt(r['index_hi'])}]"
        nul = _fmt(r["nullity"]) if r["nullity_lo"] == r["nullity_hi"] else \
            f"{_fmt(r['nullity'])} [{_fmt(r['nullity_lo'])}, {_fmt(r['nullity_hi'])}]"
        lines.append(f"  {r['rtol']:9.2g}  {r['tau']:9.3g}   {idx:<24} {nul}")
    if "coin_z" in v:
        lines.append(coin_sentence(v))
    return lines


@app.command()
@reports_errors
def point(
    loss: Annotated[str, typer.Option("--loss", metavar="FILE.py:FUNC", help=LOSS_HELP)],
    at: Annotated[Path, typer.Option("--at", metavar="X.npy|X.npz", help=AT_HELP)],
    dim: Annotated[int | None, typer.Option("--dim", metavar="N", help="Length of x, if the module defines no DIM (default: the length of --at; must match it).")] = None,
    sphere: Annotated[bool, typer.Option("--sphere", help="The loss lives on the sphere |x|² = DIM (the p-spin's geometry): Riemannian gradient and Hessian.")] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="text|json", help="Output: a short report (text) or one JSON object (json).")] = "text",
    polish: Annotated[bool, typer.Option("--polish", help="Also run Newton-MR from the point (matrix-free beyond 300 parameters) and report where it ends: the 'polished' object. A line per Newton step with |grad| goes to stderr.")] = False,
    max_iter: Annotated[int, typer.Option("--max-iter", metavar="K", help="--polish: Newton steps at most.")] = 100,
    max_seconds: Annotated[float | None, typer.Option("--max-seconds", metavar="S", help="--polish: stop after S seconds and report the verdict at the last iterate.")] = None,
):
    """Verdict for one point, without moving it: critical / gradient-flat / near-critical / not-critical, index, nullity, label; the coin-flip comparison and the index over τ.

    Thresholds are relative to the loss's own curvature (max|λ|) and gradient
    scale, so a loss multiplied by any constant gets the same verdict: the
    index counts λ < -τ with τ = 1e-4·max|λ| (the headline rule, printed with
    the result beside the count at every decade of τ). Dense Hessian up to
    3000 parameters; above, matrix-free (Hessian-vector products: certified
    index, else SLQ with a 95 % interval).

    Example: saddlesim point --loss ./net.py:loss --at params.npz --format json
    """
    import numpy as np

    if fmt not in ("text", "json"):
        raise ValueError(f"--format must be text or json, got {fmt!r}")
    if max_iter < 1:
        raise ValueError(f"--max-iter must be >= 1, got {max_iter}")
    if max_seconds is not None and not (np.isfinite(max_seconds) and max_seconds > 0):
        raise ValueError(f"--max-seconds must be a positive number, got {max_seconds}")
    if sphere:
        v = _sphere_point(loss, at, dim, polish)
    else:
        from saddlesim.networks.api import point as compute
        from saddlesim.networks.files import load_network

        land = load_network(loss, at, dim=dim)
        v = compute(None, land, polish=polish, max_iter=max_iter, max_seconds=max_seconds, progress=polish)
    if fmt == "json":
        typer.echo(json.dumps(jsonable(v)))
        return
    typer.echo(f"{v['verdict']}: {v['label']}, index {v['index']} of {v['n']} "
               f"(nullity {v['nullity']}, positive {v['positive']})")
    if "index_status" in v:   # matrix-free above the dense limit
        typer.echo(f"index 95 % interval {v['index_lo']:.1f} to {v['index_hi']:.1f} [{v['index_status']}]")
    typer.echo(f"loss {v['loss']:.10g}   |grad| {v['grad_norm']:.3g} (critical if <= {v['grad_tol']:.3g})")
    if v.get("lambda_min_bound"):   # Ritz values: to the digits their residual bounds allow
        typer.echo(f"lowest Ritz value {bounded(v['lambda_min'], v['lambda_min_bound'])} (>= λ_min), highest "
                   f"{bounded(v['lambda_max'], v['lambda_max_bound'])} (<= λ_max); "
                   f"|lambda| <= {v['null_tol']:.3g} counts as null")
    else:
        typer.echo(f"eigenvalues in [{v['lambda_min']:.6g}, {v['lambda_max']:.6g}]; "
                   f"|lambda| <= {v['null_tol']:.3g} counts as null")
    typer.echo(f"Newton step {v['newton_step']:.3g}; gradient in the near-kernel: {v['flat_residual']:.3f} "
               "(gradient-flat if > 0.9)")
    if "tau_table" in v:
        typer.echo("\n".join(network_text(v)))
    if polish:
        q = v["polished"]
        why = f", stopped by {q['stopped_by']}" if q.get("stopped_by", "solver") != "solver" else ""
        typer.echo(f"polished ({q['solver']} Newton-MR, {q['iterations']} steps{why}, moved {q['distance']:.3g}): "
                   f"{q['verdict']}: {q['label']}, index {q['index']} (nullity {q['nullity']}), "
                   f"loss {q['loss']:.10g}, |grad| {q['grad_norm']:.3g}")


def _sphere_point(loss, at, dim, polish) -> dict:
    """The sphere's verdict (a flat x on |x|² = DIM): the landscape route, without pytrees."""
    import numpy as np

    from saddlesim.landscapes.user import load_jax_loss
    from saddlesim.critical.verdict import point_verdict
    from saddlesim.networks.files import read_point

    x = read_point(at)
    if not isinstance(x, np.ndarray):
        raise ValueError(f"--sphere: --at {at} must be a .npy vector")
    if dim is not None and dim != x.size:
        raise ValueError(f"--dim {dim} but --at {at} has {x.size} coordinates")
    land = load_jax_loss(loss, dim=dim, default_dim=x.size, manifold="sphere")
    if land.dim != x.size:
        raise ValueError(f"{loss} has DIM = {land.dim} but --at {at} has {x.size} coordinates")
    if not np.isclose(x @ x, land.radius2, rtol=1e-8):
        raise ValueError(f"--sphere: |x|² = {x @ x:.6g}, not {land.radius2:g}")
    v = point_verdict(land, x)
    if polish:
        from saddlesim.critical.polish import polish_point

        v["polished"] = polish_point(land, x)[1]
    return v


def bounded(value: float, bound: float) -> str:
    """A Ritz value shown to the digits its residual bound allows: ``-0.01482 ± 8e-06``; exact values to 6 digits."""
    import math

    if not bound or not math.isfinite(bound) or bound <= 1e-13 * abs(value):
        return f"{value:.6g}"
    digits = 1 if value == 0 else math.floor(math.log10(abs(value))) - math.floor(math.log10(bound)) + 1
    digits = max(1, min(6, digits))
    return f"{value:.{digits}g} ± {bound:.1g}"
