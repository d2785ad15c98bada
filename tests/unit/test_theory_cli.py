"""``saddlesim exact`` through typer's CliRunner."""

import io
import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.cli.exact import format_log10

runner = CliRunner()


def test_table_output():
    result = runner.invoke(app, ["exact", "--beta", "1", "--n", "1-3,10"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "GOE" in out and "P(min)" in out and "P(saddle)" in out
    assert "1.46447e-1" in out  # (2 - √2)/4
    assert "2.26565e-14" in out  # n = 10


def test_csv_output():
    result = runner.invoke(app, ["exact", "--beta", "2", "--n", "2-4,20", "--format", "csv"])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(io.StringIO(result.stdout))
    assert df["n"].tolist() == [2, 3, 4, 20]
    assert {"n", "beta", "p_min", "log10_p_min", "p_saddle"} <= set(df.columns)
    assert df.loc[0, "p_min"] == pytest.approx(0.25 - 1 / (2 * math.pi), rel=1e-14)


@pytest.mark.parametrize("beta", ["3", "0.5"])
def test_bad_beta_is_one_line_exit_2(beta):
    result = runner.invoke(app, ["exact", "--beta", beta, "--n", "3"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Error: exact results exist for beta = 1 (GOE), beta = 2 (GUE) and beta = 4 (GSE) only" in result.output
    assert result.output.strip().count("\n") == 0


@pytest.mark.parametrize("text", ["5-2", "a", "", "1,,2", "0-3"])
def test_malformed_n(text):
    result = runner.invoke(app, ["exact", "--n", text])
    assert result.exit_code == 2
    assert result.output.startswith("Error: --n")
    assert "Traceback" not in result.output


def test_index_law():
    result = runner.invoke(app, ["exact", "--index", "--n", "6"])
    assert result.exit_code == 0, result.output
    assert "index law, n=6" in result.output
    assert "0.6094646" in result.output  # P(index = 3)


def test_index_law_csv_sums_to_one():
    result = runner.invoke(app, ["exact", "--index", "--n", "4,6", "-f", "csv"])
    df = pd.read_csv(io.StringIO(result.stdout))
    assert df.groupby("n")["p"].sum().to_numpy() == pytest.approx([1.0, 1.0], abs=1e-13)
    assert df[df.n == 4]["p"].iloc[1] == pytest.approx(math.sqrt(2) / 8, abs=1e-12)


def test_index_law_only_for_goe():
    result = runner.invoke(app, ["exact", "--index", "--beta", "2", "--n", "4"])
    assert result.exit_code == 2 and "GOE (beta = 1) only" in result.output


def test_format_log10():
    assert format_log10(math.log10(0.146446609406726)) == "1.46447e-1"
    assert format_log10(-1209.5633626488136) == "2.73299e-1210"
    assert format_log10(-2.0) == "1.00000e-2"
    assert format_log10(-math.inf) == "0"
