"""``saddlesim sweep`` through typer's CliRunner: output, reproducibility, and every bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

runner = CliRunner()

BASE = ["sweep", "--model", "goe,independent", "--n", "2,3", "--samples", "4000", "--seed", "7", "--no-plot"]


def invoke(args):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result):
    assert result.exit_code == 2, (result.exit_code, result.output)
    err = result.stderr.strip()
    assert err.startswith("Error: "), err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_sweep_writes_tables_and_prints_table(tmp_path):
    out = tmp_path / "o"
    r = invoke([*BASE, "--out", out, "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert {"results.csv", "index_counts.csv", "meta.json"} <= {p.name for p in out.iterdir()}
    assert "seed entropy: 7" in r.stdout
    assert "P(min)" in r.stdout and "independent" in r.stdout
    meta = json.loads((out / "meta.json").read_text())
    assert meta["spec"]["models"] == ["goe", "independent"] and meta["seed_entropy"] == "7"


def test_same_seed_same_tables_for_one_and_two_workers(tmp_path):
    for w in (1, 2):
        assert invoke([*BASE, "--out", tmp_path / f"w{w}", "--workers", w, "--quiet"]).exit_code == 0
    for name in ("results.csv", "index_counts.csv"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()


def test_fresh_seed_is_recorded_and_reproduces(tmp_path):
    r = invoke(["sweep", "--model", "gue", "--n", "2", "--samples", "2000", "--out", tmp_path / "a",
                "--workers", "1", "--no-plot"])
    assert r.exit_code == 0, r.output
    entropy = json.loads((tmp_path / "a" / "meta.json").read_text())["seed_entropy"]
    assert f"--seed {entropy}" in r.stdout
    r2 = invoke(["sweep", "--model", "gue", "--n", "2", "--samples", "2000", "--out", tmp_path / "b",
                 "--workers", "1", "--no-plot", "--seed", entropy, "--quiet"])
    assert r2.exit_code == 0
    assert (tmp_path / "a" / "results.csv").read_bytes() == (tmp_path / "b" / "results.csv").read_bytes()


def test_quiet_prints_only_the_output_path(tmp_path):
    r = invoke([*BASE, "--out", tmp_path / "o", "--workers", "1", "--quiet"])
    assert r.exit_code == 0
    assert r.stdout.strip() == str(tmp_path / "o")


def test_beta_model_and_figures(tmp_path):
    r = invoke(["sweep", "--model", "beta", "--beta", "0.5", "--n", "1-3", "--samples", "1000",
                "--seed", "1", "--out", tmp_path / "o", "--workers", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o" / "p_min.png").exists() and (tmp_path / "o" / "p_min.pdf").exists()


@pytest.mark.parametrize(
    "extra",
    [
        ["--n", "0"],
        ["--n", "2-x"],
        ["--n", "5-2"],
        ["--n", ""],
        ["--samples", "0"],
        ["--samples", "-5"],
        ["--samples", "lots"],
        ["--samples", "1.5"],
        ["--model", "gaussian"],
        ["--model", "beta"],
        ["--model", "beta", "--beta", "0"],
        ["--model", "beta", "--beta", "-1"],
        ["--model", "goe", "--beta", "2"],
        ["--method", "qr"],
        ["--workers", "0"],
        ["--seed", "-3"],
        ["--seed", "abc"],
        ["--tol", "-1"],
    ],
)
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(tmp_path, extra):
    out = tmp_path / "out"
    args = [*BASE, "--out", out]
    # later options override earlier ones in typer
    r = invoke([*args, *extra])
    assert_one_line_error(r)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_out_is_one_line_and_creates_nothing(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    r = invoke([*BASE, "--out", blocker / "deeper" / "out"])
    assert_one_line_error(r)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]
    r = invoke([*BASE, "--out", blocker])
    assert_one_line_error(r)
    assert blocker.read_text() == "x"


def test_different_arguments_into_same_out_are_refused_unless_overwrite(tmp_path):
    out = tmp_path / "o"
    assert invoke([*BASE, "--out", out, "--workers", "1", "--quiet"]).exit_code == 0
    before = (out / "results.csv").read_bytes()
    r = invoke([*BASE, "--out", out, "--workers", "1", "--seed", "8"])
    assert_one_line_error(r)
    assert "--overwrite" in r.stderr
    assert (out / "results.csv").read_bytes() == before
    r = invoke([*BASE, "--out", out, "--workers", "1", "--seed", "8", "--overwrite", "--quiet"])
    assert r.exit_code == 0
    assert json.loads((out / "meta.json").read_text())["seed_entropy"] == "8"


def test_model_with_one_method_uses_it_and_records_it(tmp_path):
    """``--model wishart-wigner`` needed ``--method dense`` although it has no other form. Without
    --method it is swept dense, says so, records it, and draws exactly what --method dense draws."""
    base = ["sweep", "--model", "wishart-wigner", "--phi", "0.5", "--eps", "0.1", "-n", "3", "-s", "2000",
            "--seed", "4", "--no-plot", "-w", "1"]
    r = invoke([*base, "--out", tmp_path / "auto"])
    assert r.exit_code == 0, r.output
    assert "method: dense (wishart-wigner has no other form)" in r.stdout
    assert json.loads((tmp_path / "auto" / "meta.json").read_text())["spec"]["method"] == "dense"
    assert invoke([*base, "--method", "dense", "--out", tmp_path / "dense", "-q"]).exit_code == 0
    assert (tmp_path / "auto" / "results.csv").read_bytes() == (tmp_path / "dense" / "results.csv").read_bytes()
    assert_one_line_error(invoke([*base, "--method", "tridiagonal", "--out", tmp_path / "t"]))


def test_default_method_is_the_first_every_model_has():
    from saddlesim.models.spec import Model
    from saddlesim.sweep.plan import make_plan

    ww = {"name": "wishart-wigner", "phi": 0.5, "eps": 0.1}

    assert make_plan(["goe", "independent"], [3], 10, entropy=1).method == "tridiagonal"
    assert make_plan([Model("goe"), Model(**ww)], [3], 10, entropy=1).method == "dense"
    with pytest.raises(ValueError, match="share no method"):
        make_plan([Model("beta", beta=0.5), Model(**ww)], [3], 10, entropy=1)
