"""``saddlesim.searches.from_run``: a run's folder rebuilds each instance's loss exactly.

Smallest bugs caught: the disorder drawn from the wrong child stream or the
wrong instance (another instance's couplings: the recorded losses do not
match); a user loss that cannot be found once the reader is elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from saddlesim.searches import from_run
from saddlesim.searches.plan import make_landscape_plan
from saddlesim.searches.run import run_landscape


def _points(out, instance):
    pts = pd.read_csv(out / "critical_points.csv")
    xs = pd.read_csv(out / "coordinates.csv")
    sel = pts["instance"] == instance
    return pts[sel].reset_index(drop=True), xs[xs["instance"] == instance].filter(like="x").to_numpy()


def test_rebuilt_pspin_instances_reproduce_the_recorded_points(tmp_path):
    plan = make_landscape_plan("pspin", {"N": 5, "p": 3}, instances=3, starts=40, entropy=11)
    run_landscape(plan, tmp_path / "run", workers=1)
    for i in range(3):
        land = from_run(tmp_path / "run", instance=i)
        pts, X = _points(tmp_path / "run", i)
        assert len(pts) > 0
        for row, x in zip(pts.itertuples(), X):
            assert land.value(x) == pytest.approx(row.loss, rel=1e-12, abs=1e-14)
            g = land.gradient(x)   # the recorded |∇L|² (by the batched solver's own arithmetic)
            assert g @ g == pytest.approx(row.grad_norm2, rel=1e-3, abs=1e-28)
            assert np.sum(np.linalg.eigvalsh(land.hessian(x)) < 0) == row.index
    # negative control: instance 0's loss at instance 1's points is not what was recorded
    other = from_run(tmp_path / "run", instance=0)
    pts, X = _points(tmp_path / "run", 1)
    assert not np.allclose([other.value(x) for x in X], pts["loss"], rtol=1e-6)
    with pytest.raises(ValueError, match="instance must be"):
        from_run(tmp_path / "run", instance=3)
    with pytest.raises(ValueError, match="cannot read"):
        from_run(tmp_path / "nothing")


def test_a_jax_file_loss_is_rebuilt_from_another_folder(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "bowl.py").write_text("import jax.numpy as jnp\nDIM = 3\n"
                                  "def loss(x):\n    return jnp.sum((x**2 - 1.0)**2) + 0.1 * x[0]\n")
    monkeypatch.chdir(work)
    plan = make_landscape_plan("./bowl.py:loss", {"start_scale": 1.5}, instances=1, starts=30, entropy=3)
    run_landscape(plan, work / "run", workers=1)
    monkeypatch.chdir(tmp_path)       # the reader is elsewhere: ./bowl.py no longer resolves
    land = from_run(work / "run", instance=0)
    pts, X = _points(work / "run", 0)
    for row, x in zip(pts.itertuples(), X):
        assert land.value(x) == pytest.approx(row.loss, rel=1e-12, abs=1e-14)
        g = land.gradient(x)     # the very point, the very function: the recorded |∇L|² to rounding
        assert g @ g == pytest.approx(row.grad_norm2, rel=1e-12, abs=1e-300)
