"""``saddlesim classify``: label your own Hessians (minimum, maximum, saddle, degenerate)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, fail, reports_errors
from saddlesim.io import check_writable_file

__all__ = ["classify", "load_matrices"]


def load_matrices(path: Path) -> np.ndarray:
    """Read a ``.npy`` file of shape (n, n) or (size, n, n) without unpickling anything.

    Raises
    ------
    ValueError
        Missing/unreadable file, not a ``.npy`` array (e.g. ``.npz``, pickled
        object or ragged arrays).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    try:
        data = np.load(path, allow_pickle=False)
    except ValueError as exc:
        # object arrays (ragged nested lists) need pickle, which we never load
        raise ValueError(f"{path}: not a plain numeric .npy array ({exc})") from None
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path}: cannot read as .npy ({exc})") from None
    if not isinstance(data, np.ndarray):
        data.close()
        raise ValueError(f"{path}: expected one .npy array, got an .npz archive")
    return data


@app.command()
@reports_errors
def classify(
    file: Annotated[Path, typer.Argument(help="A .npy file: one Hessian (n, n) or a stack (size, n, n).")],
    tol: opt.Tol = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Write a per-matrix CSV (matrix, index, label).")] = None,
    symmetrize: Annotated[bool, typer.Option(
        "--symmetrize",
        help="Classify (H + Hᵀ)/2 and report the largest asymmetry seen: for finite-difference or "
        "autodiff Hessians. Default: refuse matrices asymmetric beyond 1e-10 relative.")] = False,
):
    """Classify symmetric/Hermitian Hessians by the signs of their eigenvalues; print counts per label."""
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from saddlesim.classify import LABELS, labels_from_index, symmetric_part
    from saddlesim.inertia import index_dense
    from saddlesim.io import atomic_write_csv

    if out is not None:
        check_writable_file(out)  # before the work, so a bad --out costs nothing and writes nothing
    H = load_matrices(file)
    asymmetry = None
    if symmetrize:
        H, asymmetry = symmetric_part(H)
    try:
        index = index_dense(H, tol)  # validates: square, symmetric, finite, numeric
    except ValueError as exc:
        if "not symmetric" in str(exc):
            fail(f"{exc}; pass --symmetrize to classify (H + Hᵀ)/2 instead")
        raise
    n = H.shape[-1]
    labels = labels_from_index(index, n)
    table = Table(title=f"{file.name}: {len(index)} matri{'x' if len(index) == 1 else 'ces'} of size {n}×{n}")
    table.add_column("label")
    table.add_column("count", justify="right")
    table.add_column("fraction", justify="right")
    for label in LABELS:
        k = int((labels == label).sum())
        table.add_row(label, str(k), f"{k / len(labels):.4f}")
    Console().print(table)
    if asymmetry is not None:
        worst = int(np.argmax(asymmetry))
        typer.echo(f"symmetrized: largest asymmetry max|H - Hᵀ| = {asymmetry[worst]:.3g} (matrix {worst})")
    if out is not None:
        atomic_write_csv(out, pd.DataFrame({"matrix": np.arange(len(index)), "index": index, "label": labels}))
        typer.echo(f"wrote {out}")
