"""Atomic file writes and the provenance sidecar (``meta.json``) of every result.

Every table and figure is written to a temporary file in the destination
folder and moved into place with :func:`os.replace`, so an interrupted run
never leaves half a file behind.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "atomic_path",
    "LEGACY_COLUMNS",
    "current_columns",
    "atomic_write_text",
    "atomic_write_csv",
    "atomic_write_json",
    "provenance",
    "git_revision",
    "check_writable_dir",
    "check_writable_file",
    "read_tables",
]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it onto ``path``.

    On any exception the temporary file is removed and ``path`` is untouched.

    Examples
    --------
    >>> with atomic_path(out / "fig.png") as tmp:   # doctest: +SKIP
    ...     fig.savefig(tmp, format="png")
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    # mkstemp creates the file 0600; a result file should get the mode a plain
    # open() would give it under the user's umask (group-readable results)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (read by setting and restoring it: POSIX has no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_writable_dir(path, *, name: str = "--out") -> None:
    """Raise ValueError unless ``path`` is, or could be created as, a writable folder.

    The one check every command runs before its work starts, so a bad output
    costs nothing and leaves nothing behind: ``path``, if it exists, must be a
    directory, and a file must be creatable in it or, if it does not exist
    yet, in its nearest existing ancestor. It probes by creating and removing
    a temporary file, because ``os.access`` says yes to root even on
    read-only or virtual file systems such as /proc.
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise ValueError(f"{name} {path} exists and is not a directory")
        target = path
    else:
        target = path.parent
        while not target.exists() and target.parent != target:
            target = target.parent
        if not target.is_dir():
            raise ValueError(f"{name} {path}: {target} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".saddlesim-probe-", dir=target)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(f"{name} {path}: cannot write in {target} ({exc.strerror or exc})") from None


def check_writable_file(path, *, name: str = "--out") -> None:
    """Raise ValueError unless a file can be written at ``path`` (its folder must exist).

    See :func:`check_writable_dir` for how writability is decided.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{name} {path} is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"{name} {path}: folder {parent} does not exist")
    check_writable_dir(parent, name=name)


def atomic_write_text(path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_csv(path, df) -> None:
    """Write a pandas DataFrame as CSV (no index) atomically."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


def atomic_write_json(path, obj) -> None:
    """Write ``obj`` as indented JSON atomically."""
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=False, default=str) + "\n")


def git_revision() -> str | None:
    """The git commit of the saddlesim source tree (``+dirty`` if modified), or None."""
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5
        )
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=here, capture_output=True, text=True, timeout=5,
        )
        return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def provenance() -> dict:
    """Versions, git revision, host and time: what every ``meta.json`` records."""
    import matplotlib
    import numpy
    import pandas
    import scipy

    import saddlesim

    return {
        "saddlesim": saddlesim.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "matplotlib": matplotlib.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_revision": git_revision(),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


#: Column names of tables written before the coin-flip claim had its name (results folders made by
#: saddlesim < the rename): read under the current names, so old folders still plot and report.
LEGACY_COLUMNS = {
    "seed_p_min": "coinflip_p_min", "seed_p_max": "coinflip_p_max", "seed_p_saddle": "coinflip_p_saddle",
    "seed_log10_p_min": "coinflip_log10_p_min", "z_min_seed": "z_min_coinflip", "z_saddle_seed": "z_saddle_coinflip",
    "log10_pvalue_min_seed": "log10_pvalue_min_coinflip", "log10_pvalue_saddle_seed": "log10_pvalue_saddle_coinflip",
    "exact_over_seed_p_min": "exact_over_coinflip_p_min",
    "log10_exact_over_seed_p_min": "log10_exact_over_coinflip_p_min",
    "log10_seed_p_min": "log10_coinflip_p_min", "log10_ratio_to_seed": "log10_ratio_to_coinflip",
    "log10_seed": "log10_coinflip",
}


def current_columns(df):
    """``df`` with :data:`LEGACY_COLUMNS` renamed (a new frame; ``df`` itself unchanged)."""
    rename = {c: LEGACY_COLUMNS[c] for c in df.columns if c in LEGACY_COLUMNS and LEGACY_COLUMNS[c] not in df.columns}
    if "seed" in df.columns and "enumerated" in df.columns and "coinflip" not in df.columns:
        rename["seed"] = "coinflip"  # p-spin's pmin.csv; a column "seed" elsewhere is a random seed
    return df.rename(columns=rename) if rename else df


def read_tables(out, *names: str) -> list:
    """Read the CSV tables ``names`` from the results folder ``out``, for a plotter.

    Parameters
    ----------
    out : str or os.PathLike
        Results folder.
    *names : str
        File names such as ``"results.csv"``.

    Returns
    -------
    list of pandas.DataFrame
        One per name, in order.

    Raises
    ------
    ValueError
        One line naming the first table that is missing or unreadable
        (plotters never simulate: the experiment has to be run first).
    """
    import pandas as pd

    out = Path(out)
    tables = []
    for name in names:
        try:
            tables.append(current_columns(pd.read_csv(out / name)))
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError):
            raise ValueError(f"cannot read {name} in {out}: run the experiment first") from None
    return tables
