"""``saddlesim point``: is this point (your trained weights) a minimum, a maximum or a saddle?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli.app import app, reports_errors

__all__ = ["point"]


@app.command()
@reports_errors
def point(
    loss: Annotated[str, typer.Option("--loss", metavar="FILE.py:FUNC", help="A JAX loss: a function of a 1-D float64 jax.numpy array, as 'file.py:loss' or 'module:loss' (from the current folder). Its module may define DIM.")],
    at: Annotated[Path, typer.Option("--at", metavar="X.npy", help="The point: a .npy vector of length DIM.")],
    dim: Annotated[int | None, typer.Option("--dim", metavar="N", help="Length of x, if the module defines no DIM (default: the length of --at; must match it).")] = None,
    sphere: Annotated[bool, typer.Option("--sphere", help="The loss lives on the sphere |x|² = DIM (the p-spin's geometry): Riemannian gradient and Hessian.")] = False,
    fmt: Annotated[str, typer.Option("--format", metavar="text|json", help="Output: a short report (text) or one JSON object (json).")] = "text",
    polish: Annotated[bool, typer.Option("--polish", help="Also run Newton-MR from the point (matrix-free beyond 300 parameters) and report where it ends: the 'polished' object.")] = False,
):
    """Verdict for one point, without moving it: critical / gradient-flat / near-critical / not-critical, index, nullity, label.

    Thresholds are relative to the loss's own curvature (max|λ|) and gradient
    scale, so a loss multiplied by any constant gets the same verdict; they are
    printed with the result. Dense Hessian (autodiff) up to 3000 parameters; above, matrix-free
    (Hessian-vector products: certified index, else SLQ with a 95 % interval).

    Example: saddlesim point --loss ./himmel.py:loss --at x.npy --format json
    """
    import numpy as np

    from saddlesim.cli.classify import load_matrices
    from saddlesim.landscapes.user import load_jax_loss
    from saddlesim.landscapes.verdict import point_verdict

    if fmt not in ("text", "json"):
        raise ValueError(f"--format must be text or json, got {fmt!r}")
    x = np.asarray(load_matrices(at), dtype=float)
    if x.ndim != 1:
        raise ValueError(f"--at {at}: expected a vector, got an array of shape {x.shape}")
    if dim is not None and dim != x.size:
        raise ValueError(f"--dim {dim} but --at {at} has {x.size} coordinates")
    land = load_jax_loss(loss, dim=dim, default_dim=x.size, manifold="sphere" if sphere else "euclidean")
    if land.dim != x.size:
        raise ValueError(f"{loss} has DIM = {land.dim} but --at {at} has {x.size} coordinates")
    if sphere and not np.isclose(x @ x, land.radius2, rtol=1e-8):
        raise ValueError(f"--sphere: |x|² = {x @ x:.6g}, not {land.radius2:g}")
    v = point_verdict(land, x)
    if polish:
        from saddlesim.landscapes.polish import polish_point

        v["polished"] = polish_point(land, x)[1]
    if fmt == "json":
        typer.echo(json.dumps(v))
        return
    typer.echo(f"{v['verdict']}: {v['label']}, index {v['index']} of {v['n']} "
               f"(nullity {v['nullity']}, positive {v['positive']})")
    if "index_status" in v:   # matrix-free above the dense limit
        typer.echo(f"index 95 % interval {v['index_lo']:.1f} to {v['index_hi']:.1f} [{v['index_status']}]")
    typer.echo(f"loss {v['loss']:.10g}   |grad| {v['grad_norm']:.3g} (critical if <= {v['grad_tol']:.3g})")
    if "lambda_min_bound" in v:   # Ritz values: to the digits their residual bounds allow
        from saddlesim.cli.spectrum import bounded

        typer.echo(f"lowest Ritz value {bounded(v['lambda_min'], v['lambda_min_bound'])} (>= λ_min), highest "
                   f"{bounded(v['lambda_max'], v['lambda_max_bound'])} (<= λ_max); "
                   f"|lambda| <= {v['null_tol']:.3g} counts as null")
    else:
        typer.echo(f"eigenvalues in [{v['lambda_min']:.6g}, {v['lambda_max']:.6g}]; "
                   f"|lambda| <= {v['null_tol']:.3g} counts as null")
    typer.echo(f"Newton step {v['newton_step']:.3g}; gradient in the near-kernel: {v['flat_residual']:.3f} "
               "(gradient-flat if > 0.9)")
    if polish:
        q = v["polished"]
        typer.echo(f"polished ({q['solver']} Newton-MR, {q['iterations']} steps, moved {q['distance']:.3g}): "
                   f"{q['verdict']}: {q['label']}, index {q['index']} (nullity {q['nullity']}), "
                   f"loss {q['loss']:.10g}, |grad| {q['grad_norm']:.3g}")
