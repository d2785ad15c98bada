"""A verdict for one point (library and ``saddlesim point``), on losses whose critical points are known.

Smallest bugs caught: index counted from ``lam > tol`` (a minimum called a
maximum); a gradient threshold that is absolute (the 1e6-scaled loss changes
verdict); the Frye residual taken over the curved instead of the null
directions (gradient-flat and not-critical swap); the Newton step not scaled
by 1/λ (near-critical missed).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import numpy as np
import pytest

from saddlesim.landscapes.autodiff import import_jax, jax_landscape
from saddlesim.critical.verdict import point_verdict
from tests.landscape_helpers import source_env

jnp = import_jax().numpy


def himmelblau(x):
    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2


@functools.cache
def _scaled_himmelblau(scale):
    """One compiled landscape per scale, shared by the parametrised cases (15 compilations become 3)."""
    return jax_landscape(lambda x: scale * himmelblau(x), 2)


def _newton(land, x, steps=30):
    for _ in range(steps):
        x = x - np.linalg.solve(land.hessian(x), land.gradient(x))
    return x


@pytest.mark.parametrize("guess, index, label", [
    ((3.0, 2.0), 0, "minimum"),
    ((-2.805, 3.131), 0, "minimum"),
    ((-0.2708, -0.9230), 2, "maximum"),
    ((0.0867, 2.8843), 1, "saddle"),
    ((-3.0730, -0.0814), 1, "saddle"),
])
@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_himmelblau_critical_points_get_their_label_at_any_loss_scale(guess, index, label, scale):
    land = _scaled_himmelblau(scale)
    x = _newton(land, np.array(guess))
    v = point_verdict(land, x)
    assert (v["verdict"], v["index"], v["nullity"], v["label"]) == ("critical", index, 0, label)
    # a point 1e-2 away is not critical at any scale, and the verdict does not depend on the scale
    w = point_verdict(land, x + 1e-2)
    assert w["verdict"] in ("near-critical", "not-critical")
    assert w["verdict"] == point_verdict(_scaled_himmelblau(1.0), x + 1e-2)["verdict"]


def test_gradient_flat_near_critical_and_not_critical_are_told_apart():
    # f = x + y²: at 0 the gradient (1, 0) lies in the Hessian's kernel (λ = 0 along x)
    flat = point_verdict(jax_landscape(lambda z: z[0] + z[1] ** 2, 2), np.zeros(2))
    assert flat["verdict"] == "gradient-flat" and flat["flat_residual"] == pytest.approx(1.0)
    assert flat["nullity"] == 1 and flat["label"] == "degenerate minimum"
    # a bowl 1e-5 from its bottom: Newton step 1e-5, far below 1e-3·max(1, |x|)
    bowl = jax_landscape(lambda z: z @ z, 2)
    near = point_verdict(bowl, np.array([1e-5, 0.0]))
    assert near["verdict"] == "near-critical" and near["newton_step"] == pytest.approx(1e-5)
    far = point_verdict(bowl, np.array([0.5, 0.0]))
    assert far["verdict"] == "not-critical" and far["flat_residual"] == pytest.approx(0.0)


def test_thresholds_scale_with_the_loss():
    a = point_verdict(jax_landscape(himmelblau, 2), np.array([3.0, 2.0]))
    b = point_verdict(jax_landscape(lambda x: 1e6 * himmelblau(x), 2), np.array([3.0, 2.0]))
    assert b["grad_tol"] == pytest.approx(1e6 * a["grad_tol"])
    assert b["null_tol"] == pytest.approx(1e6 * a["null_tol"])


def test_sphere_point_uses_the_tangent_space():
    # u = x0 on the sphere |x|² = 3: the north pole (√3, 0, 0) is the maximum, tangent dimension 2
    land = jax_landscape(lambda x: x[0], 3, manifold="sphere")
    v = point_verdict(land, np.array([np.sqrt(3.0), 0.0, 0.0]))
    assert (v["n"], v["verdict"], v["label"], v["index"]) == (2, "critical", "maximum", 2)


def test_bad_points_are_refused():
    land = jax_landscape(himmelblau, 2)
    with pytest.raises(ValueError, match="shape"):
        point_verdict(land, np.zeros(3))
    with pytest.raises(ValueError, match="non-finite"):
        point_verdict(land, np.array([np.nan, 0.0]))


def _cli(tmp_path, *args):
    """``saddlesim point`` in a fresh Python process: the exit code and streams a shell sees."""
    return subprocess.run([sys.executable, "-c", "from saddlesim.cli import main; main()", "point", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=source_env())


@pytest.fixture
def in_folder(tmp_path, monkeypatch):
    """``saddlesim point`` in this process, run from ``tmp_path`` (no interpreter and JAX start per call).

    Each test writes its own ``himmel.py``: the module imported by name is dropped from sys.modules
    before and after, so a test never reads another's file.
    """
    from typer.testing import CliRunner

    from saddlesim.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "himmel", raising=False)
    runner = CliRunner()

    def invoke(*args):
        sys.modules.pop("himmel", None)
        return runner.invoke(app, ["point", *args])

    yield invoke
    sys.modules.pop("himmel", None)


def test_cli_point_json_from_a_file_and_from_a_module_in_the_current_folder(tmp_path, in_folder):
    (tmp_path / "himmel.py").write_text(
        "DIM = 2\n"
        "def loss(x):\n    return (x[0]**2 + x[1] - 11)**2 + (x[0] + x[1]**2 - 7)**2\n")
    np.save(tmp_path / "x.npy", np.array([3.0, 2.0]))
    np.save(tmp_path / "bad.npy", np.zeros(3))
    # two true processes: exit 0 with JSON on stdout from a module in the current folder, and exit 2 with
    # one line and no traceback for bad input
    r = _cli(tmp_path, "--loss", "himmel:loss", "--at", "x.npy", "--format", "json")
    assert r.returncode == 0, r.stderr
    outs = [r.stdout]
    r = _cli(tmp_path, "--loss", "himmel:nope", "--at", "x.npy")
    assert r.returncode == 2 and "no function 'nope'" in r.stderr and "Traceback" not in r.stderr, r.stderr
    # the rest in this process: the file form, and the other bad inputs
    r = in_folder("--loss", "./himmel.py:loss", "--at", "x.npy", "--format", "json")
    assert r.exit_code == 0, r.output
    outs.append(r.stdout)
    for out in outs:
        v = json.loads(out)
        assert {"n", "loss", "grad_norm", "index", "nullity", "positive", "label", "verdict",
                "lambda_min", "lambda_max", "grad_tol", "null_tol"} <= set(v)
        assert (v["verdict"], v["label"], v["n"]) == ("critical", "minimum", 2)
    for args, match in [(("--loss", "himmel:nope", "--at", "x.npy"), "no function 'nope'"),
                        (("--loss", "himmel:loss", "--at", "bad.npy"), "DIM = 2"),
                        (("--loss", "./missing.py:loss", "--at", "x.npy"), "no file"),
                        (("--loss", "himmel:loss", "--at", "x.npy", "--format", "xml"), "--format")]:
        r = in_folder(*args)
        # exit 2 by a clean exit, not an exception that escaped (CliRunner would give exit 1 for that)
        assert r.exit_code == 2 and isinstance(r.exception, SystemExit) and match in r.stderr, (args, r.output)


def test_cli_point_never_moves_the_point_and_polish_reports_where_newton_ends(tmp_path, in_folder):
    """Without --polish the reported loss is the loss at --at; with it, Newton-MR ends on the saddle nearby."""
    (tmp_path / "himmel.py").write_text(
        "def loss(x):\n    return (x[0]**2 + x[1] - 11)**2 + (x[0] + x[1]**2 - 7)**2\n")
    x = np.array([0.09, 2.88])           # near the saddle (0.0867, 2.8843)
    np.save(tmp_path / "x.npy", x)
    before = (tmp_path / "x.npy").read_bytes()
    r = in_folder("--loss", "himmel:loss", "--at", "x.npy", "--format", "json")
    assert r.exit_code == 0, r.output
    v = json.loads(r.stdout)
    assert "polished" not in v and v["verdict"] != "critical"
    assert v["loss"] == pytest.approx(float(himmelblau(x)), rel=1e-14)
    r = in_folder("--loss", "himmel:loss", "--at", "x.npy", "--format", "json", "--polish")
    assert r.exit_code == 0, r.output
    p = json.loads(r.stdout)["polished"]
    exact = _newton(jax_landscape(himmelblau, 2), np.array([0.0867, 2.8843]))
    assert (p["verdict"], p["label"], p["index"], p["nullity"]) == ("critical", "saddle", 1, 0)
    assert p["distance"] == pytest.approx(np.linalg.norm(exact - x), rel=1e-6)
    assert p["loss"] == pytest.approx(float(himmelblau(exact)), rel=1e-10) and p["grad_norm"] < 1e-8
    r = in_folder("--loss", "himmel:loss", "--at", "x.npy", "--polish")
    assert r.exit_code == 0 and "polished (dense Newton-MR" in r.stdout and "saddle" in r.stdout
    assert (tmp_path / "x.npy").read_bytes() == before


def test_polish_matrix_free_agrees_with_dense_and_is_scale_free():
    from saddlesim.critical.polish import polish_point

    x = np.array([-3.0, -0.1])
    ends = []
    for scale, free in ((1.0, False), (1e-6, True), (1e6, True)):
        land = jax_landscape(lambda z, s=scale: s * himmelblau(z), 2)
        xp, p = polish_point(land, x, matrix_free=free)
        assert (p["verdict"], p["label"], p["solver"]) == ("critical", "saddle", "hvp" if free else "dense")
        ends.append(xp)
    assert np.allclose(ends[1], ends[0], atol=1e-9) and np.allclose(ends[2], ends[0], atol=1e-9)
