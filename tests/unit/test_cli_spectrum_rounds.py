"""``saddlesim spectrum`` with a target width, on workers, and resumed from its journal (issue 30).

Slips caught: results that depend on the worker count (probe streams keyed by
position or by worker), a journal that is not read back (a resumed run
recomputes and ends different when probes are keyed wrongly) or is left behind,
a 'cannot' missing from the text/JSON, and extremes printed to 6 digits as if exact.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

pytest.importorskip("jax")
runner = CliRunner()

LOSS = """
import jax.numpy as jnp
DIM = 60
def loss(x):
    c = jnp.concatenate([jnp.linspace(-1.0, -0.2, 15), jnp.linspace(-0.04, 0.04, 30), jnp.linspace(0.2, 3.0, 15)])
    return 0.5 * jnp.sum(c * x**2) + 0.1 * jnp.sum(x**4)
"""
X = np.full(60, 0.01)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "net.py").write_text(LOSS)
    np.save(tmp_path / "x.npy", X)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return runner.invoke(app, ["spectrum", "--loss", "net.py:loss", "--at", "x.npy", "--method", "slq",
                               "--tol", "0.01", "--seed", "4", "--probes", "4", "--steps", "6", "--quiet",
                               *map(str, args)])


def _json(r) -> dict:
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    d.pop("seconds")
    return d


def test_cannot_is_said_in_text_and_json(folder):
    d = _json(run("--width", "1", "--max-hvps", "60", "--format", "json"))
    assert d["stop_reason"] == "cannot" and "cannot reach width 1.0 within 60 HVPs" in d["stop_message"]
    assert d["width"] > 1 and d["index_hi"] - d["index_lo"] == pytest.approx(d["width"])
    r = run("--width", "1", "--max-hvps", "60")
    assert "stopped (cannot): cannot reach width" in r.stdout


def test_extremes_carry_their_residual_bounds_in_text(folder):
    r = run("--fixed")
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.stdout.splitlines() if "Ritz" in ln)
    assert "±" in line and ">= λ_min" in line


def test_killed_run_resumes_from_its_journal_and_ends_equal(folder, monkeypatch):
    import saddlesim.curvature.adaptive as adaptive

    real, calls = adaptive.probe_run, {"n": 0}

    def counted(*a, **k):
        calls["n"] += 1
        return real(*a, **k)

    monkeypatch.setattr(adaptive, "probe_run", counted)
    whole = _json(run("--width", "4", "--format", "json"))
    runs_whole, calls["n"] = calls["n"], 0

    def dies_after_five(*a, **k):
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(adaptive, "probe_run", dies_after_five)
    r = run("--width", "4", "--format", "json", "--out", "o")
    assert r.exit_code != 0
    assert len(list((folder / "o" / ".probes").glob("p*.npz"))) == 5
    monkeypatch.setattr(adaptive, "probe_run", counted)
    calls["n"] = 0
    resumed = _json(run("--width", "4", "--format", "json", "--out", "o"))
    assert resumed == whole
    assert calls["n"] == runs_whole - 5          # the five journaled probes were read back, not rerun
    assert not (folder / "o" / ".probes").exists() and (folder / "o" / "density.csv").is_file()


def test_ritz_values_are_shown_to_the_digits_their_bound_allows():
    from saddlesim.cli.spectrum import bounded

    # the case: a Ritz value -0.0148228 for a true -0.0148307 must not read as six exact digits
    assert bounded(-0.0148228, 8e-6) == "-0.014823 ± 8e-06"
    assert bounded(-0.0148228, 3e-3) == "-0.015 ± 0.003"
    assert bounded(2.5, 0.0) == "2.5"                # exact: as it is
    assert bounded(1234.5678, 1e-20) == "1234.57"    # converged to rounding: 6 digits


@pytest.mark.slow
def test_one_and_two_workers_give_byte_identical_json(folder):
    """SLQ's rounds (probes keyed by index) and the certificate's runs (two per stage, keyed by stage and
    run) go to the workers, rebuilt from the loss file: the same JSON, timings aside. The count is the
    exact 26 (15 diagonal entries in [-1, -0.2], 11 of the 30 in [-0.04, 0.04] below -τ - 1.2e-4)."""
    args = ["--method", "lanczos", "--width", "4", "--format", "json", "--restarts", "2", "--max-hvps", "20000"]
    one = runner.invoke(app, ["spectrum", "--loss", "net.py:loss", "--at", "x.npy", "--tol", "0.01", "--seed", "4",
                              "--probes", "4", "--steps", "6", "--quiet", "--workers", "1", *args])
    two = runner.invoke(app, ["spectrum", "--loss", "net.py:loss", "--at", "x.npy", "--tol", "0.01", "--seed", "4",
                              "--probes", "4", "--steps", "6", "--quiet", "--workers", "2", *args])
    a, b = _json(one), _json(two)
    assert json.dumps(a) == json.dumps(b)
    assert a["probes"] > 4 or a["steps"] > 6                   # several SLQ rounds ran, on both
    assert a["index_status"] == "certified" and a["index"] == 26 and a["certificate_stop_reason"] == "certified"


def test_certificate_budget_and_bad_restarts(folder):
    r = runner.invoke(app, ["spectrum", "--loss", "net.py:loss", "--at", "x.npy", "--tol", "0.01", "--seed", "4",
                            "--probes", "4", "--steps", "6", "--method", "lanczos", "--max-hvps", "60", "--width", "4"])
    assert r.exit_code == 0, r.output
    # 60 for the call: SLQ's first round takes 4 x 6, the certificate gets the 36 left and says so
    assert "certificate (max-hvps): budget (36 HVPs) spent" in r.stdout and "left of the call's budget" in r.stdout
    bad = runner.invoke(app, ["spectrum", "--loss", "net.py:loss", "--at", "x.npy", "--restarts", "0"])
    assert bad.exit_code == 2 and "--restarts must be >= 1" in bad.output and "Traceback" not in bad.output


def test_workers_that_fill_the_cores_get_one_xla_thread_each(monkeypatch):
    """The flag is set only while a local pool of workers filling the cores starts, appended to the user's
    flags, and put back; one worker, fewer workers than cores, or a Dask scheduler leave it alone."""
    import os

    import saddlesim.runtime.cores as cores
    from saddlesim.cli.spectrum import ONE_XLA_THREAD, worker_threads

    monkeypatch.setattr(cores, "default_workers", lambda: 2)
    monkeypatch.setenv("XLA_FLAGS", "--xla_user_flag=1")
    with worker_threads(2):
        assert os.environ["XLA_FLAGS"] == f"--xla_user_flag=1 {ONE_XLA_THREAD}"
    assert os.environ["XLA_FLAGS"] == "--xla_user_flag=1"
    monkeypatch.delenv("XLA_FLAGS")
    with worker_threads(3):
        assert os.environ["XLA_FLAGS"] == ONE_XLA_THREAD
    assert "XLA_FLAGS" not in os.environ
    for args in ((1,), (None,), (2, "tcp://h:8786")):
        with worker_threads(*args):
            assert "XLA_FLAGS" not in os.environ
    monkeypatch.setattr(cores, "default_workers", lambda: 4)
    with worker_threads(2):                                     # 2 workers on 4 cores: XLA may use the rest
        assert "XLA_FLAGS" not in os.environ
