"""``saddlesim classify``: label your own Hessians (minimum, maximum, saddle, degenerate)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from saddlesim.cli.app import app, reports_errors

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


def _check_out(out: Path) -> None:
    if out.is_dir():
        raise ValueError(f"--out {out} is a directory; give a CSV file name")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"--out {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"--out {out}: folder {parent} is not writable")


@app.command()
@reports_errors
def classify(
    file: Annotated[Path, typer.Argument(help="A .npy file: one Hessian (n, n) or a stack (size, n, n).")],
    tol: Annotated[float | None, typer.Option("--tol", help="Absolute degeneracy threshold; default n·eps·‖H‖_F per matrix.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write a per-matrix CSV (matrix, index, label).")] = None,
):
    """Classify symmetric/Hermitian Hessians by the signs of their eigenvalues; print counts per label."""
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from saddlesim.classify import LABELS, labels_from_index
    from saddlesim.inertia import index_dense
    from saddlesim.io import atomic_write_csv

    if out is not None:
        _check_out(out)  # before the work, so a bad --out costs nothing and writes nothing
    H = load_matrices(file)
    index = index_dense(H, tol)  # validates: square, symmetric, finite, numeric
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
    if out is not None:
        atomic_write_csv(out, pd.DataFrame({"matrix": np.arange(len(index)), "index": index, "label": labels}))
        typer.echo(f"wrote {out}")
