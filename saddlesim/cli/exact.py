"""``saddlesim exact``: exact P(min), P(saddle), the GOE index law, and P(min) at any shift.

Thin: parses, calls :func:`saddlesim.theory.exact_table` /
:func:`saddlesim.theory.wall_table` / :func:`saddlesim.theory.goe_index_law`,
renders.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Annotated

import typer

from saddlesim.cli.app import app, fail, reports_errors
from saddlesim.cli import options as opt
from saddlesim.cli.parse import parse_float_list, parse_int_list

# pandas, rich's tables and the exact theory (mpmath, scipy) load inside the
# command, so `saddlesim --help` and the other commands do not pay for them

__all__ = ["exact", "format_log10"]


class Format(str, Enum):
    table = "table"
    csv = "csv"


def format_log10(l10: float, digits: int = 6) -> str:
    """Scientific notation from a base-10 log: ``-1209.56 -> '2.7331e-1210'``.

    Works far below the float range, where ``10**l10`` would print 0.
    """
    if math.isinf(l10):
        return "0" if l10 < 0 else "inf"
    exponent = math.floor(l10)
    mantissa = 10 ** (l10 - exponent)
    if mantissa >= 10 - 0.5 * 10 ** (1 - digits):  # rounding would print 10.000
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.{digits - 1}f}e{exponent:+d}"


def _render_exact(df, console) -> None:
    from rich.table import Table

    beta = int(df["beta"].iloc[0])
    name = {1: "GOE", 2: "GUE", 4: "GSE"}[beta]
    table = Table(
        title=f"Exact P(min) = P(max), {name} (β={beta})",
        caption="log10 P/2^-n: log10 of P(min) over the coin-flip 2^-n;  θ_n = -ln P(min) / n²",
    )
    for col in ("n", "P(min)", "log10 P(min)", "P(saddle)", "log10 P/2^-n", "θ_n"):
        table.add_column(col, justify="right", no_wrap=True)
    for row in df.itertuples(index=False):
        table.add_row(
            str(row.n),
            format_log10(row.log10_p_min),
            f"{row.log10_p_min:.6f}",
            f"{row.p_saddle:.8f}",
            f"{row.log10_ratio_to_coinflip:.4f}",
            f"{row.theta_n:.6f}",
        )
    console.print(table)


def _render_wall(df, console) -> None:
    from rich.table import Table

    beta = int(df["beta"].iloc[0])
    name = {1: "GOE", 2: "GUE", 4: "GSE"}[beta]
    table = Table(
        title=f"Exact P(min) of H = G + s·I, G from the {name} (β={beta}): P(λ_min(G) > -s)",
        caption="s > 0 favours minima;  Dean–Majumdar: large-n leading order -βn²Φ₋(s/√(βn))",
    )
    for col in ("n", "shift s", "P(min)", "log10 P(min)", "log10 Dean–Majumdar"):
        table.add_column(col, justify="right", no_wrap=True)
    for row in df.itertuples(index=False):
        table.add_row(
            str(row.n),
            f"{row.shift:g}",
            format_log10(row.log10_p_min),
            f"{row.log10_p_min:.6f}",
            f"{row.log10_dean_majumdar:.4f}",
        )
    console.print(table)


def _index_frame(ns: list[int]):
    import pandas as pd

    from saddlesim.theory import goe_index_law

    rows = []
    for n in ns:
        for k, p in enumerate(goe_index_law(n)):
            rows.append({"n": n, "k": k, "p": float(p), "log10_p": math.log10(p)})
    return pd.DataFrame(rows, columns=["n", "k", "p", "log10_p"])


def _render_index(df, console) -> None:
    from rich.table import Table

    for n, part in df.groupby("n", sort=False):
        table = Table(title=f"Exact GOE index law, n={n}: P(k negative eigenvalues)")
        for col in ("k", "P(index=k)", "log10 P"):
            table.add_column(col, justify="right", no_wrap=True)
        for row in part.itertuples(index=False):
            table.add_row(str(row.k), f"{row.p:.12g}", f"{row.log10_p:.6f}")
        console.print(table)


@app.command()
@reports_errors
def exact(
    n: Annotated[
        str, typer.Option("--n", "-n", help="Dimensions: a list or ranges, e.g. '1-50' or '2-10,20'.")
    ] = "1-20",
    beta: Annotated[
        float, typer.Option("--beta", "-b", help="Dyson index: 1 (GOE), 2 (GUE) or 4 (GSE, n <= 50).")
    ] = 1.0,
    shift: opt.Shift = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    index: Annotated[
        bool, typer.Option("--index", help="Print the exact GOE index law P(index = k) instead.")
    ] = False,
):
    """Exact finite-n probabilities that a critical point is a minimum (GOE, GUE, GSE)."""
    from rich.console import Console

    from saddlesim.theory import exact_table, has_exact, wall_table

    if not has_exact(beta):
        fail(f"exact results exist for beta = 1 (GOE), beta = 2 (GUE) and beta = 4 (GSE) only, got beta={beta:g}")
    ns = parse_int_list(n, minimum=1)
    if shift is not None:
        if index:
            fail("--index and --shift cannot be combined: the exact index law is for shift 0")
        df = wall_table(beta, ns, parse_float_list(shift, name="--shift", max_points=1000))
        render = _render_wall
    elif index:
        if float(beta) != 1.0:
            fail(f"the exact index law is implemented for the GOE (beta = 1) only, got beta={beta:g}")
        df = _index_frame(ns)
        render = _render_index
    else:
        df = exact_table(beta, ns)
        render = _render_exact
    if fmt is Format.csv:
        typer.echo(df.to_csv(index=False, float_format="%.17g"), nl=False)
    else:
        render(df, Console())
