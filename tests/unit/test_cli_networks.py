"""The CLI on a network written as researchers write it: a loss module with DATA and PARAMS, a .npz point."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

jax = pytest.importorskip("jax")
runner = CliRunner()

HELPER = """
import numpy as np
def data(rows, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, 6))
    return X, np.eye(3)[rng.integers(0, 3, rows)]
"""
NET = """
import jax, jax.numpy as jnp
import numpy as np
from helper import data          # a sibling module: needs the file's folder on sys.path

DATA = data(80)
PARAMS = {"hidden": {"W": np.zeros((6, 5)), "b": np.zeros(5)}, "out": {"W": np.zeros((5, 3)), "b": np.zeros(3)}}

def loss(p, batch):
    X, Y = batch
    z = jnp.tanh(X @ p["hidden"]["W"] + p["hidden"]["b"]) @ p["out"]["W"] + p["out"]["b"]
    return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 1e-2 * jnp.sum(p["out"]["W"] ** 2)
"""
BATCHED = NET.replace("DATA = data(80)", "def batches():\n    X, Y = data(80)\n    return [(X[:50], Y[:50]), (X[50:], Y[50:])]")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "helper.py").write_text(HELPER)
    (tmp_path / "sub" / "net.py").write_text(NET)
    (tmp_path / "sub" / "batched.py").write_text(BATCHED)
    rng = np.random.default_rng(3)
    params = {"hidden": {"W": rng.standard_normal((6, 5)), "b": 0.1 * rng.standard_normal(5)},
              "out": {"W": rng.standard_normal((5, 3)), "b": 0.1 * rng.standard_normal(3)}}
    from saddlesim.networks.pytree import Flattener

    fl = Flattener(params)
    fl.save_npz(tmp_path / "p.npz", fl.x0)
    np.save(tmp_path / "p.npy", fl.x0)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    sys.modules.pop("helper", None)
    return tmp_path


def test_a_loss_file_imports_its_sibling_and_reads_an_npz_point(folder):
    r = runner.invoke(app, ["point", "--loss", "./sub/net.py:loss", "--at", "p.npz", "--format", "json"])
    assert r.exit_code == 0, r.output
    v = json.loads(r.output)
    assert v["n"] == 53 and {"coin_z", "coin_log10_p", "tau_table", "tau_rule", "null_tol"} <= set(v)
    assert v["null_tol"] == pytest.approx(1e-4 * max(abs(v["lambda_min"]), abs(v["lambda_max"])), rel=1e-12)
    # the same point as a flat .npy in ravel_pytree's order gives the same answer
    w = json.loads(runner.invoke(app, ["point", "--loss", "./sub/net.py:loss", "--at", "p.npy",
                                       "--format", "json"]).output)
    assert (w["loss"], w["index"], w["nullity"]) == (v["loss"], v["index"], v["nullity"])
    # data in two batches: the same loss, gradient and verdict
    b = json.loads(runner.invoke(app, ["point", "--loss", "./sub/batched.py:loss", "--at", "p.npz",
                                       "--format", "json"]).output)
    assert b["loss"] == pytest.approx(v["loss"], abs=1e-12) and b["index"] == v["index"]
    assert b["grad_norm"] == pytest.approx(v["grad_norm"], rel=1e-10)


def test_text_output_says_what_the_coin_flip_numbers_mean(folder):
    r = runner.invoke(app, ["point", "--loss", "./sub/net.py:loss", "--at", "p.npz"])
    assert r.exit_code == 0, r.output
    assert "coin-flip claim" in r.output and "Binomial(53, 1/2)" in r.output
    assert "headline rule: τ = 1e-4·max|λ|" in r.output and "#{λ < -τ}" in r.output
    s = runner.invoke(app, ["spectrum", "--loss", "./sub/net.py:loss", "--at", "p.npz", "--seed", "1"])
    assert s.exit_code == 0, s.output
    assert "coin-flip claim" in s.output and "headline rule" in s.output
    j = json.loads(runner.invoke(app, ["spectrum", "--loss", "./sub/net.py:loss", "--at", "p.npz", "--seed", "1",
                                       "--format", "json"]).output)
    assert j["coin_z"] == pytest.approx((j["index"] - 26.5) / (np.sqrt(53) / 2), rel=1e-12)
    assert len(j["tau_table"]) == 8


def test_an_npz_that_does_not_fit_params_is_refused_in_one_line(folder):
    np.savez(folder / "bad.npz", **{"['hidden']['W']": np.zeros((6, 5))})
    r = runner.invoke(app, ["point", "--loss", "./sub/net.py:loss", "--at", "bad.npz"])
    assert r.exit_code == 2 and "missing" in r.output and "Traceback" not in r.output
    np.save(folder / "short.npy", np.zeros(7))
    r = runner.invoke(app, ["point", "--loss", "./sub/net.py:loss", "--at", "short.npy"])
    assert r.exit_code == 2 and "PARAMS" in r.output


def test_landscape_from_the_users_point_writes_the_end_point_as_the_pytree(folder):
    r = runner.invoke(app, ["landscape", "--loss", "./sub/net.py:loss", "--at", "p.npz", "--out", "run",
                            "--max-iter", "60"])
    assert r.exit_code == 0, r.output
    end = json.loads((folder / "run" / "end_point.json").read_text())
    assert end["verdict"] in ("critical", "gradient-flat", "near-critical", "not-critical")
    with np.load(folder / "run" / "end_point.npz") as z:
        assert sorted(z.files) == ["['hidden']['W']", "['hidden']['b']", "['out']['W']", "['out']['b']"]
        assert z["['hidden']['W']"].shape == (6, 5)
    assert "Newton-MR step 1: |grad|" in r.output   # progress (stderr is mixed in by CliRunner)


DIGITS = """
import jax, jax.numpy as jnp
import numpy as np
from sklearn.datasets import load_digits
_d = load_digits()
DATA = (_d.data / 16.0, np.eye(10)[_d.target])
PARAMS = {"W1": np.zeros((64, 32)), "b1": np.zeros(32), "W2": np.zeros((32, 10)), "b2": np.zeros(10)}
def loss(p, batch):
    X, Y = batch
    z = jnp.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 5e-4 * sum(
        jnp.sum(w ** 2) for w in jax.tree_util.tree_leaves(p))
"""


@pytest.mark.slow
def test_polish_of_a_2410_parameter_network_stops_at_its_time_budget_with_a_verdict(tmp_path):
    """--max-seconds 5: the Newton loop stops at its first step past 5 s and the last iterate gets its verdict."""
    pytest.importorskip("sklearn")
    (tmp_path / "digits_net.py").write_text(DIGITS)
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "w.npz", **{"['W1']": 0.2 * rng.standard_normal((64, 32)), "['b1']": np.zeros(32),
                                    "['W2']": 0.2 * rng.standard_normal((32, 10)), "['b2']": np.zeros(10)})
    from tests.landscape_helpers import source_env

    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "saddlesim.cli", "point", "--loss", "digits_net.py:loss", "--at",
                        "w.npz", "--polish", "--max-seconds", "5", "--format", "json"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=900, env=source_env())
    wall = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    q = json.loads(r.stdout)["polished"]
    assert q["stopped_by"] == "max-seconds" and q["iterations"] >= 1
    assert q["verdict"] in ("critical", "gradient-flat", "near-critical", "not-critical") and q["index"] >= 0
    steps = [line for line in r.stderr.splitlines() if line.startswith("Newton-MR step")]
    assert len(steps) == q["iterations"]
    print(f"wall {wall:.1f} s for a 5 s budget; last step line: {steps[-1]}")
