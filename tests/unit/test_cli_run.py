"""``saddlesim run`` / ``saddlesim plot`` on declarative specs, and malformed specs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

runner = CliRunner()

GOOD = """
kind = "sweep"
title = "tiny"
models = ["independent", "goe", {name = "beta", beta = 0.5}]
n = "1-3"
samples = 3000
seed = 11
quick_samples = 500
"""


def invoke(args):
    return runner.invoke(app, [str(a) for a in args])


def spec(tmp_path, text, name="tiny"):
    f = tmp_path / f"{name}.toml"
    f.write_text(text)
    return f


def test_run_writes_tables_meta_and_figures_then_plot_remakes_them(tmp_path):
    f = spec(tmp_path, GOOD)
    r = invoke(["run", f, "--out-root", tmp_path / "results", "--workers", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "results" / "tiny"
    names = {p.name for p in out.iterdir()}
    assert {"results.csv", "index_counts.csv", "meta.json", "p_min.png", "p_min.pdf",
            "p_saddle.png", "p_max.pdf"} <= names
    meta = json.loads((out / "meta.json").read_text())
    assert meta["kind"] == "sweep" and meta["spec"]["title"] == "tiny" and meta["spec"]["quick_run"] is False
    (out / "p_min.png").unlink()
    r = invoke(["plot", out])
    assert r.exit_code == 0, r.output
    assert (out / "p_min.png").exists()


def test_quick_run_uses_small_budget_and_a_separate_default_root(tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    f = spec(tmp_path, GOOD)
    r = invoke(["run", f, "--quick", "--workers", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    assert (pd.read_csv("results/quick/tiny/results.csv")["samples"] == 500).all()
    assert not Path("results/tiny").exists()


@pytest.mark.parametrize(
    "text",
    [
        "kind = 'sweep'\nmodels = [",  # malformed TOML
        "kind = 'nonsense'\n",
        "models = ['goe']\nn = '2'\nsamples = 10\n",  # no kind
        GOOD + "sampels = 3\n",  # typo key
        GOOD.replace('n = "1-3"', 'n = "0-3"'),
        GOOD.replace('n = "1-3"', 'n = "a-b"'),
        GOOD.replace('n = "1-3"', "n = [1, 'x']"),
        GOOD.replace("samples = 3000", "samples = 0"),
        GOOD.replace("samples = 3000", "samples = 2.5"),
        GOOD.replace('"independent"', '"gaussian"'),
        GOOD.replace("beta = 0.5", "beta = -1.0"),
        GOOD.replace("seed = 11", "seed = -1"),
        GOOD.replace('models = ["independent", "goe", {name = "beta", beta = 0.5}]\n', ""),
    ],
)
def test_bad_specs_are_one_line_exit_2_and_leave_nothing(tmp_path, text):
    f = spec(tmp_path, text)
    root = tmp_path / "results"
    r = invoke(["run", f, "--out-root", root, "--workers", "1"])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.output
    assert not root.exists()


def test_missing_spec_and_bad_plot_folder(tmp_path):
    r = invoke(["run", tmp_path / "nope.toml", "--out-root", tmp_path / "r"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")
    r = invoke(["plot", tmp_path])
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")


def test_unwritable_out_root(tmp_path):
    f = spec(tmp_path, GOOD)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = invoke(["run", f, "--out-root", blocker, "--workers", "1"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: ")
    assert blocker.read_text() == "x"


def test_if_stale_skips_only_when_spec_code_and_budget_match(tmp_path, monkeypatch):
    import saddlesim.kinds.registry as ex

    f = spec(tmp_path, GOOD)
    root = tmp_path / "results"
    args = ["run", f, "--out-root", root, "--workers", "1", "--quiet", "--if-stale"]
    assert invoke(args).exit_code == 0
    meta = json.loads((root / "tiny" / "meta.json").read_text())
    assert meta["provenance"]["experiment"] == ex.fingerprint(f)
    # the sweep store's own fingerprint (what `saddlesim sweep` checks on reuse) is kept
    assert meta["fingerprint"]["samples"] == 3000 and meta["fingerprint"]["entropy"] == "11"
    table = (root / "tiny" / "results.csv").read_bytes()

    r = invoke(args)
    assert r.exit_code == 0 and "up to date" in r.output
    assert (root / "tiny" / "results.csv").read_bytes() == table

    # a quick budget is a different run
    assert not ex.is_up_to_date(f, root, quick=True)
    # so is changed code
    monkeypatch.setattr(ex, "_code_digest", lambda: "changed")
    assert not ex.is_up_to_date(f, root)
    monkeypatch.undo()
    # and a changed spec reruns
    f.write_text(GOOD.replace("samples = 3000", "samples = 4000"))
    r = invoke(args)
    assert r.exit_code == 0 and "up to date" not in r.output
    assert "4000" in (root / "tiny" / "results.csv").read_text()


def test_code_digest_covers_what_computes_results_not_the_cli_or_report(tmp_path):
    """A fix in the command line or the report page leaves results up to date; any other source
    change (an engine, a plotter) makes them stale."""
    from saddlesim.kinds.registry import _code_digest

    for rel in ("index/a.py", "plots/b.py", "cli/c.py", "report/d.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    base = _code_digest(tmp_path)
    for rel in ("cli/c.py", "report/d.py"):
        (tmp_path / rel).write_text("x = 2\n")
        assert _code_digest(tmp_path) == base
    for rel in ("index/a.py", "plots/b.py"):
        (tmp_path / rel).write_text("x = 3\n")
        assert _code_digest(tmp_path) != base
        base = _code_digest(tmp_path)
    assert _code_digest() != base  # the real tree
