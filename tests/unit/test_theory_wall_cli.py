"""``saddlesim exact --shift``: P(min) of H = G + s·I, through typer's CliRunner."""

import io
import math

import pandas as pd
import pytest
from scipy.stats import norm
from typer.testing import CliRunner

from saddlesim.cli import app

runner = CliRunner()


def _csv(args):
    result = runner.invoke(app, ["exact", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.stdout))


def test_shift_columns_and_sign_convention():
    df = _csv(["--beta", "1", "--n", "1,10", "--shift", "-1,0.5"])
    assert {"n", "shift", "log10_p_min"} <= set(df.columns)
    assert df[["n", "shift"]].values.tolist() == [[1, -1], [1, 0.5], [10, -1], [10, 0.5]]
    # n = 1: H = N(0,1) + s is a minimum with probability Φ(s); a positive
    # shift favours minima (a flipped sign would give Φ(-s)).
    one = df[df["n"] == 1]
    assert one["log10_p_min"].tolist() == pytest.approx(
        [norm.logcdf(-1) / math.log(10), norm.logcdf(0.5) / math.log(10)], rel=1e-12
    )
    ten = df[df["n"] == 10].set_index("shift")["log10_p_min"]
    assert ten[0.5] > ten[-1.0]


def test_shift_zero_reproduces_the_unshifted_table():
    shifted = _csv(["--beta", "2", "--n", "2-4", "--shift", "0"])
    plain = _csv(["--beta", "2", "--n", "2-4"])
    assert shifted["log10_p_min"].tolist() == plain["log10_p_min"].tolist()
    assert "shift" not in plain.columns  # the default keeps today's output


def test_gse_and_ranges():
    df = _csv(["--beta", "4", "--n", "2", "--shift", "-1:1:3"])
    assert df["shift"].tolist() == [-1.0, 0.0, 1.0]
    assert 10 ** df["log10_p_min"][1] == pytest.approx(0.25 - 2 / (3 * math.pi), rel=1e-12)


def test_table_output_names_the_convention():
    result = runner.invoke(app, ["exact", "--n", "3", "--shift", "0.5"])
    assert result.exit_code == 0, result.output
    assert "G + s·I" in result.output and "s > 0 favours minima" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shift", "a"], "Error: --shift: cannot read 'a'"),
        (["--shift", "nan"], "Error: --shift: 'nan' is not finite"),
        (["--shift", "1:2:1"], "Error: --shift: cannot read '1:2:1'"),
        (["--shift", "1", "--index"], "Error: --index and --shift cannot be combined"),
        (["--beta", "4", "--n", "51", "--shift", "1"], "Error: exact GSE (beta = 4) results are implemented for n <= 50"),
    ],
)
def test_errors_are_one_line_exit_2(args, message):
    result = runner.invoke(app, ["exact", "--n", "3", *args])
    assert result.exit_code == 2
    assert result.output.startswith(message), result.output
    assert result.output.strip().count("\n") == 0
