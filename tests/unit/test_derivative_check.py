"""Hand-written derivatives are checked against finite differences before a landscape run.

Smallest bugs caught: a gradient off by a factor 1.01 in one component; a
Hessian diagonal entry off by 1 % (the seed of seven confident wrong
"critical points"); an off-diagonal Hessian entry with the wrong sign.
Negative control: every built-in landscape passes, far below the threshold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from saddlesim.landscapes import make_landscape
from saddlesim.landscapes.derivatives import RTOL, check_derivatives
from saddlesim.searches.plan import make_landscape_plan
from saddlesim.landscapes.quadratic import Quadratic


@pytest.mark.parametrize("name, params", [("pspin", {}), ("pspin", {"N": 12, "p": 4}), ("linear-ae", {}),
                                          ("mlp", {}), ("quadratic", {})])
def test_every_built_in_landscape_passes_with_a_wide_margin(name, params):
    worst = check_derivatives(make_landscape(name, rng=3, **params), 4)
    assert worst["gradient_error"] < RTOL / 1000 and worst["hessian_error"] < RTOL / 100


class _Bugged(Quadratic):
    def __init__(self, A, where):
        super().__init__(A)
        self.where = where

    def gradient(self, x):
        g = super().gradient(x)
        if self.where == "gradient":
            g[2] *= 1.01
        return g

    def hessian(self, x):
        H = super().hessian(x)
        if self.where == "diagonal":
            H[1, 1] *= 1.01
        if self.where == "offdiagonal":
            H[0, 3] = H[3, 0] = -H[0, 3]
        return H


@pytest.mark.parametrize("where, match", [("gradient", "gradient component 2"),
                                          ("diagonal", r"Hessian H\[1,1\]"),
                                          ("offdiagonal", "Hessian")])
def test_planted_derivative_bugs_are_named(where, match):
    A = np.array([[2.0, 0.7, 0.0, 0.9], [0.7, -1.0, 0.3, 0.0], [0.0, 0.3, 1.5, 0.2], [0.9, 0.0, 0.2, -0.5]])
    with pytest.raises(ValueError, match=match) as info:
        check_derivatives(_Bugged(A, where), 0, components=4)
    assert "\n" not in str(info.value) and "--no-derivative-check" in str(info.value)
    check_derivatives(_Bugged(A, "none"), 0, components=4)  # the same landscape unbugged passes


def test_the_check_is_scale_free():
    A = np.diag([1.0, -2.0, 3.0])
    for s in (1e-6, 1e6):
        check_derivatives(Quadratic(s * A), 0)
    with pytest.raises(ValueError):
        check_derivatives(_Bugged(1e-6 * np.diag([1.0, -2.0, 3.0, 4.0]), "gradient"), 0)


_BUGGY = textwrap.dedent('''
    import numpy as np
    from saddlesim.landscapes.quadratic import Quadratic

    class Wrong(Quadratic):
        def gradient(self, x):
            return 2.0 * super().gradient(x)

    def wrong(rng, n=3):
        return Wrong(np.diag(np.arange(1.0, n + 1)), {"n": n})
''')


def test_a_plan_with_wrong_derivatives_is_refused_unless_asked(tmp_path, monkeypatch):
    (tmp_path / "buggy_loss.py").write_text(_BUGGY)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError, match="gradient component"):
        make_landscape_plan("buggy_loss:wrong", entropy=1, starts=2)
    make_landscape_plan("buggy_loss:wrong", entropy=1, starts=2, derivative_check=False)


def test_cli_landscape_stops_with_exit_2_and_writes_nothing(tmp_path):
    (tmp_path / "buggy_loss.py").write_text(_BUGGY)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    cmd = [sys.executable, "-c", "from saddlesim.cli import main; main()", "landscape",
           "--loss", "buggy_loss:wrong", "--starts", "2", "--seed", "1", "--quiet", "--out", str(tmp_path / "run")]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and "gradient component" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "run").exists()
    r = subprocess.run(cmd + ["--no-derivative-check"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
