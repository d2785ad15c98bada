"""The typer application and the error convention every command shares.

Commands live one per module in this package and register themselves on
``app``; each parses its arguments, calls the library function that ``make``
and the tests call too, and renders the result. Bad input is reported as one
line on stderr with exit code 2, never as a traceback.
"""

from __future__ import annotations

import functools
import sys
from typing import Annotated, NoReturn

import typer

import saddlesim

__all__ = ["app", "main", "fail", "reports_errors"]

app = typer.Typer(
    name="saddlesim",
    help=(
        "Statistics of critical points of random Hessians: is a critical point "
        "in n dimensions a minimum with probability 1/2^n? Monte Carlo sweeps, "
        "exact random-matrix results and rare-event estimates."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool):
    if value:
        typer.echo(f"saddlesim {saddlesim.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True),
    ] = False,
):
    """Statistics of critical points of random Hessians."""


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with code 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def reports_errors(func):
    """Turn ``ValueError``/``OSError`` raised by library code into :func:`fail`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ValueError, OSError) as exc:
            fail(str(exc) or exc.__class__.__name__)

    return wrapper


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
