"""``saddlesim landscape --loss file.py:loss``: a plain JAX loss as a landscape source.

Smallest bugs caught: a JAX loss mistaken for a landscape factory (called with
an rng); the module looked up on PYTHONPATH only (``himmel:loss`` from the
current folder fails); a jitted function pickled to spawned workers (hang or
error) or workers forked after JAX started; a bad loss reaching the finder
(a traceback, a half-written folder) instead of a one-line error.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from saddlesim.landscapes import make_landscape
from saddlesim.landscapes.autodiff import import_jax, jax_landscape
from saddlesim.landscapes.user import is_jax_loss
from tests.landscape_helpers import source_env

jnp = import_jax().numpy

HIMMEL = "DIM = 2\n\ndef loss(x):\n    return (x[0]**2 + x[1] - 11)**2 + (x[0] + x[1]**2 - 7)**2\n"
#: (guess, label) for Himmelblau's nine critical points (Himmelblau 1972)
NINE = [((3.0, 2.0), "minimum"), ((-2.805, 3.131), "minimum"), ((-3.779, -3.283), "minimum"),
        ((3.584, -1.848), "minimum"), ((-0.2708, -0.9230), "maximum"), ((0.0867, 2.8843), "saddle"),
        ((-3.0730, -0.0814), "saddle"), ((3.3852, 0.0739), "saddle"), ((-0.1280, -1.9537), "saddle")]


def _himmelblau(x):
    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2


def _exact_nine():
    land = jax_landscape(_himmelblau, 2)
    out = []
    for guess, label in NINE:
        x = np.array(guess)
        for _ in range(40):
            x = x - np.linalg.solve(land.hessian(x), land.gradient(x))
        out.append((x, label))
    return out


def _cli(cwd, *args, timeout=180):
    return subprocess.run([sys.executable, "-c", "from saddlesim.cli import main; main()", "landscape", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout, env=source_env())


def test_jax_loss_spec_is_told_from_a_factory(tmp_path, monkeypatch):
    (tmp_path / "himmel.py").write_text(HIMMEL + "\ndef make(rng, a=1.0):\n    return None\n")
    monkeypatch.chdir(tmp_path)
    assert is_jax_loss("./himmel.py:loss") and is_jax_loss("himmel:loss")
    assert not is_jax_loss("himmel:make")
    land = make_landscape("./himmel.py:loss", rng=0, start_scale=2.0)
    assert land.dim == 2 and land.params == {"dim": 2, "start_scale": 2.0, "sphere": False}
    with pytest.raises(ValueError, match="unknown parameter"):
        make_landscape("himmel:loss", rng=0, N=3)


def test_himmelblau_from_a_file_finds_all_nine_critical_points_with_labels_and_coordinates(tmp_path):
    (tmp_path / "himmel.py").write_text(HIMMEL)
    r = _cli(tmp_path, "--loss", "./himmel.py:loss", "--start-scale", "3", "--starts", "150", "--seed", "1",
             "--out", "run", "--quiet")
    assert r.returncode == 0, r.stderr
    pts = pd.read_csv(tmp_path / "run" / "critical_points.csv")
    coords = pd.read_csv(tmp_path / "run" / "coordinates.csv")[["x0", "x1"]].to_numpy()
    assert len(pts) == 9 and "missing" not in r.stderr
    assert sorted(pts["label"]) == sorted(label for _, label in NINE)
    for x, label in _exact_nine():
        d = np.linalg.norm(coords - x, axis=1)
        i = int(np.argmin(d))
        assert d[i] < 1e-8 and pts["label"][i] == label, (x, label)
    meta = json.loads((tmp_path / "run" / "meta.json").read_text())
    assert meta["summary"]["counts"]["ends"]["critical"] == meta["summary"]["counts"]["solves"] == 150 + 75


@pytest.mark.slow
def test_module_loss_from_the_current_folder_with_two_workers_finishes(tmp_path):
    """Spawned workers rebuild the loss from 'himmel:loss'; the run ends well inside the timeout."""
    (tmp_path / "himmel.py").write_text(HIMMEL)
    r = _cli(tmp_path, "--loss", "himmel:loss", "--start-scale", "3", "--starts", "40", "--instances", "2",
             "--workers", "2", "--seed", "2", "--out", "run", "--quiet", timeout=150)
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp_path / "run" / "meta.json").read_text())
    assert meta["timings"]["workers"] == 2
    assert sorted(pd.read_csv(tmp_path / "run" / "critical_points.csv")["instance"].unique()) == [0, 1]


@pytest.fixture
def in_folder(tmp_path, monkeypatch):
    """``saddlesim landscape`` in this process, from ``tmp_path`` (no interpreter and JAX start per call).

    The loss modules these tests import by name (``bad``, ``himmel``, ``nope``) are dropped from
    sys.modules around every call: each test writes its own file under the same name.
    """
    from typer.testing import CliRunner

    from saddlesim.cli import app

    names = ("bad", "himmel", "nope")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    for name in names:
        monkeypatch.delitem(sys.modules, name, raising=False)
    runner = CliRunner()

    def invoke(*args):
        for name in names:
            sys.modules.pop(name, None)
        return runner.invoke(app, ["landscape", *args])

    yield invoke
    for name in names:
        sys.modules.pop(name, None)


def _one_line_exit_2(r, match):
    """An in-process run refused cleanly: exit 2 by SystemExit (an escaped exception gives 1), one line."""
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit), r.output
    assert match in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


@pytest.mark.parametrize("body, match", [
    ("DIM = 2\ndef loss(x):\n    return x\n", "must return a scalar"),
    ("DIM = 2\ndef loss(x):\n    return float(x[0]) ** 2\n", "failed on a float64 array"),
    ("DIM = 2\ndef loss(x):\n    return 0.0 * x[0] + float('nan')\n", "not finite"),
    ("DIM = 2\ndef loss(x):\n    return x[0] ** 2\n", None),
])
def test_bad_jax_losses_are_one_line_errors_and_write_nothing(tmp_path, in_folder, body, match):
    (tmp_path / "bad.py").write_text(body)
    args = ("--loss", "bad:loss", "--starts", "3", "--seed", "1", "--out", "run", "--quiet")
    if match is None:      # control: the same file with a good loss runs (a true process: exit 0)
        r = _cli(tmp_path, *args)
        assert r.returncode == 0, r.stderr
        return
    if "scalar" in match:  # one bad loss in a true process: exit 2, one line, no traceback
        r = _cli(tmp_path, *args)
        assert r.returncode == 2, r.stderr
        assert match in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    else:
        _one_line_exit_2(in_folder(*args), match)
    assert not (tmp_path / "run").exists()


def test_missing_module_or_function_is_a_one_line_error(tmp_path, in_folder):
    (tmp_path / "himmel.py").write_text(HIMMEL)
    # a true process for the first (exit 2, no traceback, nothing written), the others in this process
    r = _cli(tmp_path, "--loss", "./nope.py:loss", "--out", "run", "--quiet")
    assert r.returncode == 2 and "no file" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "run").exists()
    for spec, match in [("nope:loss", "cannot import module 'nope'"), ("himmel:nope", "has no attribute 'nope'")]:
        _one_line_exit_2(in_folder("--loss", spec, "--out", "run", "--quiet"), match)
        assert not (tmp_path / "run").exists()
    r = in_folder("--loss", "pspin", "--start-scale", "2", "--out", "run", "--quiet")
    assert r.exit_code == 2 and "JAX loss" in r.stderr


def test_constants_a_loss_file_builds_at_import_are_float64(tmp_path):
    """float64 is switched on before the user's module runs, so its module-level arrays keep 1e-10."""
    import os
    import textwrap
    from pathlib import Path

    (tmp_path / "cst.py").write_text(textwrap.dedent("""
        import jax.numpy as jnp
        C = jnp.asarray([1.0 + 1e-10])
        DIM = 1
        def loss(x):
            return jnp.sum((x - C) ** 2)
    """))
    code = ("from saddlesim.landscapes.user import load_jax_loss; import numpy as np; "
            "L = load_jax_loss('cst:loss'); print(repr(float(L.gradient(np.array([1.0]))[0])))")
    # a fresh interpreter: JAX's float64 switch must not already be on from other tests
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) == pytest.approx(-2e-10, rel=1e-5)  # float32 would give 0 or -2.4e-7
