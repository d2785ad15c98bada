"""The typer application and the conventions every command shares.

Commands live one per module in this package and register themselves on
``app``; each parses its arguments, calls the library function that ``make``
and the tests call too, and renders the result.

Flags (defined once in :mod:`saddlesim.cli.options`; new commands reuse them)
-----------------------------------------------------------------------------
==========================  ====================================================
``-n, --n N[-M],...``       dimensions, wherever a command has them
``-m, --model``             Hessian model(s): goe|gue|gse|beta|independent
``-b, --beta``              Dyson index for ``--model beta``
``-s, --samples COUNT``     draws per cell (``1000000``, ``1_000_000``, ``1e6``)
``--seed SEED``             root seed entropy, integer >= 0 (``7``, ``1_000``);
                            no short form, so ``-s`` never means two things
``-w, --workers K``         worker processes; never changes results
``-o, --out``               output folder (``classify``: CSV file); checked
                            writable before any work, nothing half-written
``-q, --quiet``             no progress bar
``-f, --format``            output format (choices shown in ``--help``)
``--method``, ``--tol``     index route and absolute degeneracy threshold
==========================  ====================================================

Options with a fixed set of values show the set in ``--help``; an unknown
value is refused with a message naming the valid ones. Boolean options show
as bare flags. Default output folders are never inside the committed
``results/`` (``make experiments`` owns that).

Errors
------
Every error a user can hit is one line on stderr starting ``Error:``, never
a traceback: bad input (``ValueError``, ``OSError``, and usage errors such as
an unknown option) exits with code 2; a computation that cannot be trusted
(``ArithmeticError``, e.g. exact theory's precision check) or an engine
failure (``RuntimeError``, e.g. a rare-event population dying out) exits
with code 1. The library never imports from this package.
"""

from __future__ import annotations

import functools
import sys
from typing import Annotated, NoReturn

import typer
from typer.core import TyperGroup

import saddlesim

__all__ = ["app", "main", "fail", "reports_errors"]

class _Group(TyperGroup):
    """The command group: one-line usage errors, boolean options shown as bare flags."""

    def get_command(self, ctx, cmd_name):
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None:
            _name_metavars(cmd.get_params(ctx), ctx)
        return cmd

    def get_params(self, ctx):
        return _name_metavars(super().get_params(ctx), ctx)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except typer.Exit:
            raise
        except Exception as exc:
            # click's usage errors (unknown option, bad choice, missing
            # argument) would print a usage block and a framed panel
            if type(exc).__name__ in _USAGE_ERRORS and hasattr(exc, "format_message"):
                name = ctx.invoked_subcommand or ""
                message = exc.format_message().replace("Value error, ", "")
                fail(f"{message} (see saddlesim {name} --help)".replace("  ", " "))
            raise


def _name_metavars(params, ctx):
    """Give every parameter a name in ``--help``, never a type placeholder.

    Typer would show ``--seed <str>``, ``FILE <path>``, ``--quiet <bool>``:
    flags show bare, choices as ``a|b``, other options by their own name
    (``BUDGET``), arguments by their name alone.
    """
    for param in params:
        if param.metavar is not None:
            continue
        if getattr(param, "param_type_name", "") == "argument":
            param.display_type_rich = lambda ctx: None  # the name column already says FILE
        elif getattr(param, "is_flag", False):
            param.metavar = ""
        elif getattr(getattr(param, "type_descriptor", None), "is_choice", False):
            param.metavar = param.display_type(ctx).strip("<>")
        else:
            param.metavar = (param.name or "value").upper()
    return params


_USAGE_ERRORS = {"UsageError", "BadParameter", "MissingParameter", "NoSuchOption",
                 "BadOptionUsage", "BadArgumentUsage"}

app = typer.Typer(
    name="saddlesim",
    cls=_Group,
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


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``Error: message`` (one line) on stderr and exit with ``code`` (2: bad input)."""
    typer.echo(f"Error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(code=code)


def reports_errors(func):
    """Turn the errors library code raises into one :func:`fail` line.

    ``ValueError``/``OSError`` (bad input, unwritable output) exit 2;
    ``ArithmeticError`` (a precision check failed) and ``RuntimeError`` (an
    engine failure) exit 1, their message prefixed by what went wrong.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):  # click's exits are RuntimeErrors: let them through
            raise
        except (ValueError, OSError) as exc:
            fail(str(exc) or exc.__class__.__name__)
        except ArithmeticError as exc:
            fail(f"precision: {exc or exc.__class__.__name__}", code=1)
        except RuntimeError as exc:
            fail(f"computation failed: {exc or exc.__class__.__name__}", code=1)

    return wrapper


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
