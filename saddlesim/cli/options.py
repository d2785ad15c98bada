"""The options every command shares, defined once so a flag means one thing everywhere.

Use them as ``Annotated`` types in a command's signature::

    from saddlesim.cli import options as opt

    def mycommand(n: opt.Dims = "2-6", seed: opt.Seed = None, quiet: opt.Quiet = False): ...

and read text values with :mod:`saddlesim.runtime.parsing` (``parse_int_list``,
``parse_count``, ``parse_seed``, ``parse_float_list`` for ``--shift``) inside the command, so a bad value becomes
one ``Error:`` line through :func:`~saddlesim.cli.app.reports_errors`. The
table of flags is in :mod:`saddlesim.cli.app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saddlesim.models.spec import MODEL_NAMES

__all__ = [
    "MODEL_CHOICES",
    "SWEEP_MODEL_CHOICES",
    "METHOD_CHOICES",
    "Dims",
    "ModelOpt",
    "ModelsOpt",
    "BetaOpt",
    "Samples",
    "Seed",
    "Workers",
    "Quiet",
    "Tol",
    "Method",
    "OutDir",
    "Shift",
    "dims",
    "seed_help",
]

#: Model names, as the help shows them (saddlesim.models.spec validates them).
MODEL_CHOICES = "goe|gue|gse|beta|independent"
#: Sweeps also draw dense matrices of the other models in saddlesim.models.spec.
SWEEP_MODEL_CHOICES = "|".join([MODEL_CHOICES] + [m for m in MODEL_NAMES if m not in MODEL_CHOICES.split("|")])
#: Ways to compute indices (saddlesim.index.sampling.METHODS).
METHOD_CHOICES = "tridiagonal|dense"


def dims(help: str = "Dimensions: integers and ranges, e.g. 2-10,20.") -> typer.Option:
    """``--n/-n``: dimensions as a list of integers and ranges."""
    return typer.Option("--n", "-n", metavar="N[-M],...", help=help)


def seed_help(extra: str = "") -> str:
    return ("Root seed entropy, an integer >= 0 (7, 1_000); default fresh, printed and recorded."
            + (f" {extra}" if extra else ""))


Dims = Annotated[str, dims()]
# the choices go in the help text, where the table wraps between words; as a
# metavar the long list broke mid-name ("inde|pendent")
ModelOpt = Annotated[str, typer.Option("--model", "-m", metavar="MODEL",
                                       help=f"Hessian model: {', '.join(MODEL_CHOICES.split('|'))}; "
                                            "beta needs --beta.")]
ModelsOpt = Annotated[str, typer.Option("--model", "-m", metavar="MODEL[,...]",
                                        help=f"Hessian models: {', '.join(SWEEP_MODEL_CHOICES.split('|'))}; "
                                             "several as goe,gue; beta needs --beta.")]
BetaOpt = Annotated[float | None, typer.Option("--beta", "-b", metavar="BETA",
                                               help="Dyson index for --model beta (> 0).")]
Samples = Annotated[str, typer.Option("--samples", "-s", metavar="COUNT",
                                      help="Draws per (model, n) cell, e.g. 1000000, 1_000_000 or 1e6.")]
Seed = Annotated[str | None, typer.Option("--seed", metavar="SEED", help=seed_help())]
Workers = Annotated[int | None, typer.Option("--workers", "-w", metavar="K",
                                             help="Worker processes; default one per core. Results do not depend on it.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar; just the output.")]
Tol = Annotated[float | None, typer.Option("--tol", metavar="TOL",
                                           help="Absolute degeneracy threshold; default n·eps·‖H‖_F per matrix.")]
Method = Annotated[str | None, typer.Option("--method", metavar=METHOD_CHOICES,
                                            help="tridiagonal (fast, exact) or dense (full matrices, for "
                                                 "cross-checks). Default: tridiagonal where every model has "
                                                 "it, else dense (wishart-wigner); the run records which.")]
OutDir = Annotated[Path | None, typer.Option("--out", "-o", metavar="DIR", help="Results folder.")]
Shift = Annotated[str | None, typer.Option(
    "--shift", metavar="S[,S...]",
    help="Shifts s of H = G + s·I (s > 0 favours minima): P(min) = P(λ_min(G) > -s). "
    "Numbers or ranges START:STOP:POINTS, e.g. -1,0,0.5 or -2:2:9.")]
