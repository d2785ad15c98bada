"""``saddlesim report``: one HTML page for every results folder (no simulation)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saddlesim.cli.app import app, reports_errors


@app.command()
@reports_errors
def report(
    results: Annotated[Path, typer.Option("--results", help="Folder holding the results folders (each with a meta.json).")] = Path("results"),
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML file to write; default RESULTS/report.html.")] = None,
):
    """Write one HTML page with a section per results folder: figures, headline table, findings, provenance."""
    from saddlesim.report import build_report
    from saddlesim.runtime.io import check_writable_file

    if out is not None:
        check_writable_file(out)
    typer.echo(str(build_report(results, out)))
