"""``saddlesim rare`` through typer's CliRunner: outputs, reproducibility, one-line errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

FAST = ["--budget", "0.05", "--replicates", "3", "--workers", "1"]


def invoke(*args):
    return CliRunner().invoke(app, ["rare", *args])


def test_writes_results_and_meta(tmp_path):
    out = tmp_path / "run"
    r = invoke("--model", "goe", "--n", "2,3", "--seed", "1", "--out", str(out), *FAST)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "results.csv")
    for col in ("model", "beta", "n", "log10_p", "log10_p_lo", "log10_p_hi", "log10_coinflip", "log10_exact"):
        assert col in df.columns
    assert df["n"].tolist() == [2, 3] and (df["model"] == "goe").all()
    assert (df["log10_p_lo"] < df["log10_p"]).all() and (df["log10_p"] < df["log10_p_hi"]).all()
    assert df["log10_coinflip"].tolist() == pytest.approx([-0.60206, -0.90309], abs=1e-5)
    assert df["log10_exact"].iloc[0] == pytest.approx(-0.834320679, abs=1e-8)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["seed_entropy"] == "1" and meta["spec"]["n"] == [2, 3]
    assert "git_revision" in meta["provenance"] and meta["timings"]["wall_seconds"] > 0
    # timings are in meta.json, never in the table (so reruns are byte-identical)
    assert "seconds" not in df.columns
    assert [(c["n"], c["seconds"] > 0) for c in meta["timings"]["cell_cpu_seconds"]] == [(2, True), (3, True)]
    assert sorted(p.name for p in out.iterdir()) == [
        "fits.csv", "meta.json", "rare_events.pdf", "rare_events.png", "results.csv"]
    # written by the experiment's own writer, so `saddlesim plot` redraws it
    assert meta["kind"] == "rare"
    r = CliRunner().invoke(app, ["plot", str(out)])
    assert r.exit_code == 0, r.output
    assert "rare_events.png" in r.output


def test_same_seed_same_table(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        r = invoke("--model", "beta", "--beta", "1.5", "--n", "3", "--seed", "9", "--out", str(out), *FAST)
        assert r.exit_code == 0
    # byte for byte: no timing column left to differ (item 5 of "one house")
    for name in ("results.csv", "fits.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_cell_estimate_does_not_depend_on_the_other_n(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    invoke("--model", "gue", "--n", "3", "--seed", "4", "--out", str(a), *FAST)
    invoke("--model", "gue", "--n", "2-3", "--seed", "4", "--out", str(b), *FAST)
    pa, pb = pd.read_csv(a / "results.csv"), pd.read_csv(b / "results.csv")
    assert pa["log10_p"].iloc[0] == pb.set_index("n").loc[3, "log10_p"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--n", "0"], "--n values must be >= 1"),
        (["--n", "3,x"], "cannot read"),
        (["--n", ""], "empty"),
        (["--model", "foo"], "unknown model"),
        (["--model", "beta"], "positive beta"),
        (["--model", "beta", "--beta", "0"], "beta must be"),
        (["--model", "goe", "--beta", "2"], "beta=1"),
        (["--budget", "0"], "--budget"),
        (["--replicates", "1"], "--replicates"),
        (["--out", "/proc/saddlesim-nope"], "cannot write"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "never"
    if "--out" not in args:
        args = [*args, "--out", str(out)]
    r = invoke("--seed", "1", *FAST, *args)  # later options win: the bad value last
    assert r.exit_code == 2
    text = r.output.strip()
    assert text.startswith("Error:") and message in text and "\n" not in text
    assert "Traceback" not in text
    assert not out.exists()


def test_out_that_is_a_file_is_rejected(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = invoke("--n", "2", "--out", str(f), *FAST)
    assert r.exit_code == 2 and "not a directory" in r.output and f.read_text() == "x"


def test_shift_adds_one_row_per_shift_from_the_same_runs(tmp_path):
    out = tmp_path / "run"
    r = invoke("--model", "goe", "--n", "3", "--seed", "2", "--shift", "1,-0.5", "--out", str(out), *FAST)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "results.csv")
    assert df["shift"].tolist() == [-0.5, 0.0, 1.0]
    # A larger shift favours minima: P(λ_min > -s) rises with s.
    assert df["log10_p"].is_monotonic_increasing
    # Exact at every wall (GOE): the estimate must sit near it.
    assert df["log10_exact"].notna().all()
    assert (abs(df["log10_p"] - df["log10_exact"]) < 0.5).all()


@pytest.mark.parametrize("value", ["1,x", "nan", ""])
def test_bad_shift_is_one_line_exit_2(value):
    r = invoke("--n", "2", "--shift", value, *FAST)
    assert r.exit_code == 2 and r.output.strip().startswith("Error: --shift") and "\n" not in r.output.strip()
