"""Write ``results/report.html`` from the results folders (:func:`build_report`)."""

from __future__ import annotations

from pathlib import Path

from saddlesim.report.folders import discover
from saddlesim.report.page import render_page
from saddlesim.runtime.io import atomic_write_text

__all__ = ["build_report"]


def build_report(results="results", out=None) -> Path:
    """Write the report of every results folder under ``results``; return its path.

    Parameters
    ----------
    results : path
        A folder whose subfolders with a ``meta.json`` are results folders.
    out : path, optional
        The HTML file; default ``results/report.html``. Links in it are
        relative to its folder, so the page and the results folders move together.

    Raises
    ------
    ValueError
        ``results`` is not a directory, or holds no results folder.
    """
    results = Path(results)
    out = Path(out) if out is not None else results / "report.html"
    folders = discover(results)
    if not folders:
        raise ValueError(f"{results} holds no results folder (no */meta.json)")
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, render_page(folders, out))
    return out
