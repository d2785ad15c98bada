"""``saddlesim spectrum`` on a tiny JAX loss whose Hessian is known in closed form."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

pytest.importorskip("jax")
runner = CliRunner()

LOSS = """
import jax.numpy as jnp
DIM = 40
def loss(x):
    c = jnp.linspace(-1.0, 3.0, DIM)   # inside the loss: float64 once JAX has x64 on
    return 0.5 * jnp.sum(c * x**2) + 0.1 * jnp.sum(x**4)
"""
X = np.full(40, 0.1)
# Hessian diag(c + 1.2 x²): eigenvalues known exactly
EIG = np.linspace(-1.0, 3.0, 40) + 1.2 * X**2
GRAD = np.linspace(-1.0, 3.0, 40) * X + 0.4 * X**3


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "net.py").write_text(LOSS)
    np.save(tmp_path / "x.npy", X)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return runner.invoke(app, ["spectrum", "--loss", "net.py:loss", "--at", "x.npy", *map(str, args)])


@pytest.mark.parametrize("method", ["exact", "lanczos", "slq", "both"])
def test_json_keys_and_values(folder, method):
    r = run("--method", method, "--tol", "0.05", "--seed", "1", "--format", "json", "--probes", "6")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    for k in ("n", "method", "tol", "index", "index_lo", "index_hi", "nullity", "nullity_lo", "nullity_hi",
              "lambda_min", "lambda_max", "grad_norm", "hvps", "seconds"):
        assert k in d, k
    true = int(np.sum(EIG < -0.05))
    assert d["n"] == 40 and d["method"] == method and d["tol"] == 0.05
    assert d["index_lo"] - 1e-9 <= true <= d["index_hi"] + 1e-9
    if method != "slq":
        assert d["index"] == true
    assert d["grad_norm"] == pytest.approx(np.linalg.norm(GRAD), rel=1e-12)
    assert d["lambda_min"] == pytest.approx(EIG.min(), rel=1e-8)
    assert d["lambda_max"] == pytest.approx(EIG.max(), rel=1e-8)
    assert (d["hvps"] == 0) == (method == "exact")


def test_out_writes_density_table_and_figure(folder):
    r = run("--method", "slq", "--seed", "2", "--out", "o", "--probes", "4")
    assert r.exit_code == 0, r.output
    t = pd.read_csv(folder / "o" / "density.csv")
    assert list(t.columns) == ["node", "weight"]
    assert t["weight"].sum() == pytest.approx(40, rel=1e-12)
    assert (folder / "o" / "density.png").stat().st_size > 0 and (folder / "o" / "density.pdf").exists()
    assert "index" in r.stdout and "not critical" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["--method", "magic"], "--method must be one of"),
    (["--probes", "1"], "--probes must be >= 2"),
    (["--steps", "0"], "--steps must be >= 1"),
    (["--tol", "-1"], "--tol must be"),
    (["--format", "xml"], "--format must be"),
    (["--seed", "-3"], "--seed must be an integer"),
])
def test_bad_input_is_one_line_exit_2_nothing_written(folder, args, message):
    r = run(*args, "--out", "o")
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert err.startswith("Error:") and len(err.splitlines()) == 1 and message in err, err
    assert not (folder / "o").exists()


def test_wrong_point_or_loss_is_refused(folder):
    np.save(folder / "short.npy", np.zeros(3))
    for args in (["--at", "short.npy"], ["--at", "missing.npy"]):
        r = runner.invoke(app, ["spectrum", "--loss", "net.py:loss", *args, "--out", "o"])
        assert r.exit_code == 2 and r.stderr.startswith("Error:") and len(r.stderr.strip().splitlines()) == 1
    r = runner.invoke(app, ["spectrum", "--loss", "net.py:nope", "--at", "x.npy", "--out", "o"])
    assert r.exit_code == 2 and "no function 'nope'" in r.stderr
    assert not (folder / "o").exists()


@pytest.mark.parametrize("method, made, how", [
    ("slq", "density from SLQ, 6 probes", "SLQ estimate"),
    ("lanczos", "density from SLQ, 6 probes", "certified by deflated Lanczos"),
    ("exact", "density from dense eigenvalues", "exact"),
])
def test_density_title_names_what_made_the_density_and_the_index(folder, method, made, how):
    """The density of --method lanczos is SLQ's; its index is Lanczos's: the old title said '(lanczos)'."""
    import matplotlib.image

    from saddlesim.cli.spectrum import density_title

    r = run("--method", method, "--tol", "0.05", "--seed", "1", "--format", "json", "--probes", "6", "--out", "o")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    title = density_title({**d, "probes": d.get("probes") or 6, "steps": d.get("steps") or 40})
    assert made in title and how in title
    if method != "slq":
        assert f"= {d['index']:d}," in title
    assert matplotlib.image.imread(folder / "o" / "density.png").shape[0] > 0
