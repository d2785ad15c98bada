"""``saddlesim classify``: label your own Hessians (minimum, maximum, saddle, degenerate)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from saddlesim.cli import options as opt
from saddlesim.cli.app import app, fail, reports_errors
from saddlesim.runtime.io import check_writable_file

__all__ = ["classify", "load_matrices", "load_truth"]


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


def load_truth(path: Path, size: int) -> np.ndarray:
    """True labels from a CSV with columns ``matrix,label`` (as ``classify --out`` writes), in matrix order.

    Raises
    ------
    ValueError
        Unreadable file, missing columns, matrix numbers that are not exactly
        0 … size−1 once each, or an unknown label.
    """
    import pandas as pd

    from saddlesim.index.classify import LABELS

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--truth {path}: no such file")
    try:
        df = pd.read_csv(path, dtype={"label": str})
    except (OSError, ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"--truth {path}: cannot read as CSV ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    missing = [c for c in ("matrix", "label") if c not in df.columns]
    if missing:
        raise ValueError(f"--truth {path}: missing column(s) {', '.join(missing)}; need matrix,label")
    matrix = pd.to_numeric(df["matrix"], errors="coerce")
    if matrix.isna().any() or not np.all(matrix == np.round(matrix)):
        raise ValueError(f"--truth {path}: column matrix must hold integers")
    matrix = matrix.to_numpy(dtype=np.int64)
    if len(matrix) != size or not np.array_equal(np.sort(matrix), np.arange(size)):
        raise ValueError(f"--truth {path}: needs one row per matrix 0..{size - 1}, got {len(matrix)} rows")
    labels = df["label"].fillna("").astype(str).str.strip().to_numpy()
    bad = sorted(set(labels) - set(LABELS))
    if bad:
        raise ValueError(f"--truth {path}: unknown label(s) {', '.join(map(repr, bad))}; expected {', '.join(LABELS)}")
    out = np.empty(size, dtype="<U10")
    out[matrix] = labels
    return out


def _print_metrics(console, truth: np.ndarray, predicted: np.ndarray) -> None:
    """Confusion matrix, then per-class metrics beside the always-saddle baseline ("—" = undefined)."""
    from rich.table import Table

    from saddlesim.index.metrics import CLASSES, always_label, classification_metrics, format_value

    m = classification_metrics(truth, predicted)
    b = classification_metrics(truth, always_label(truth, "saddle"))
    cm = Table(title="confusion matrix (rows: truth, columns: predicted)")
    cm.add_column("truth \\ predicted")
    for c in CLASSES:
        cm.add_column(c, justify="right")
    for c, row in zip(CLASSES, m.confusion):
        cm.add_row(c, *(str(v) for v in row))
    console.print(cm)
    t = Table(
        title="per-class metrics",
        caption="P precision, R recall; base: the always-'saddle' classifier; — = undefined (no true or no predicted points of the class)",
    )
    t.add_column("class", no_wrap=True)
    for col in ("support", "P", "R", "F1", "base P", "base R", "base F1"):
        t.add_column(col, justify="right", no_wrap=True)
    for r, rb in zip(m.per_class.itertuples(), b.per_class.itertuples()):
        t.add_row(r[1], str(r.support), *(format_value(v, 3) for v in (r.precision, r.recall, r.f1, rb.precision, rb.recall, rb.f1)))
    console.print(t)
    console.print(f"accuracy {format_value(m.accuracy)}   macro-F1 {format_value(m.macro_f1)}")
    console.print(f"baseline (always 'saddle'): accuracy {format_value(b.accuracy)}   macro-F1 {format_value(b.macro_f1)}")


@app.command()
@reports_errors
def classify(
    file: Annotated[Path, typer.Argument(help="A .npy file: one Hessian (n, n) or a stack (size, n, n).")],
    tol: opt.Tol = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE", help="Write a per-matrix CSV (matrix, index, label, negative, nullity, positive, inertia_label; index -1 = degenerate).")] = None,
    truth: Annotated[Path | None, typer.Option("--truth", metavar="CSV", help="CSV of true labels (columns matrix,label, as --out writes): print the confusion matrix and precision/recall/F1 against the always-saddle baseline.")] = None,
    symmetrize: Annotated[bool, typer.Option(
        "--symmetrize",
        help="Classify (H + Hᵀ)/2 and report the largest asymmetry seen: for finite-difference or "
        "autodiff Hessians. Default: refuse matrices asymmetric beyond 1e-10 relative.")] = False,
):
    """Classify symmetric/Hermitian Hessians by the signs of their eigenvalues; print counts per label.

    Example: saddlesim classify noisy.npy --truth exact_labels.csv
    """
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from saddlesim.index.classify import LABELS, NULLITY_LABELS, label_with_nullity, labels_from_index, symmetric_part
    from saddlesim.index.inertia import DEGENERATE, inertia_dense
    from saddlesim.runtime.io import atomic_write_csv

    if out is not None:
        check_writable_file(out)  # before the work, so a bad --out costs nothing and writes nothing
    H = load_matrices(file)
    asymmetry = None
    if symmetrize:
        H, asymmetry = symmetric_part(H)
    try:
        neg, zero, pos = inertia_dense(H, tol)  # validates: square, symmetric, finite, numeric
    except ValueError as exc:
        if "not symmetric" in str(exc):
            fail(f"{exc}; pass --symmetrize to classify (H + Hᵀ)/2 instead")
        raise
    index = np.where(zero > 0, DEGENERATE, neg)
    n = H.shape[-1]
    labels = labels_from_index(index, n)
    detail = label_with_nullity(neg, zero, pos)  # the landscape finder's names
    true_labels = load_truth(truth, len(index)) if truth is not None else None  # fail before printing
    console = Console()
    table = Table(title=f"{file.name}: {len(index)} matri{'x' if len(index) == 1 else 'ces'} of size {n}×{n}")
    table.add_column("label")
    table.add_column("count", justify="right")
    table.add_column("fraction", justify="right")
    for label in LABELS:
        k = int((labels == label).sum())
        table.add_row(label, str(k), f"{k / len(labels):.4f}")
    console.print(table)
    if len(index) == 1:
        console.print(f"inertia: index {neg[0]}, nullity {zero[0]}, positive {pos[0]} ({detail[0]})")
    elif zero.any():
        table = Table(title="degenerate matrices by inertia")
        for col in ("label", "count", "index", "nullity", "positive"):
            table.add_column(col, justify="left" if col == "label" else "right")
        for label in NULLITY_LABELS[3:]:
            sel = detail == label
            if sel.any():
                table.add_row(label, str(int(sel.sum())), _span(neg[sel]), _span(zero[sel]), _span(pos[sel]))
        console.print(table)
    if asymmetry is not None:
        worst = int(np.argmax(asymmetry))
        typer.echo(f"symmetrized: largest asymmetry max|H - Hᵀ| = {asymmetry[worst]:.3g} (matrix {worst})")
    if true_labels is not None:
        _print_metrics(console, true_labels, labels)
    if out is not None:
        atomic_write_csv(out, pd.DataFrame({"matrix": np.arange(len(index)), "index": index, "label": labels,
                                            "negative": neg, "nullity": zero, "positive": pos,
                                            "inertia_label": detail}))
        typer.echo(f"wrote {out}")


def _span(values: np.ndarray) -> str:
    lo, hi = int(values.min()), int(values.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"
