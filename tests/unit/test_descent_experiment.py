import numpy as np
import pandas as pd
import pytest

from saddlesim.kinds.gd_saddles import GRAD_TOL, descent_tables, run_experiment
from saddlesim.landscapes import Quadratic, pspin
from saddlesim.critical.solve import MAX_ITER, newton_mr

SPEC = {
    "kind": "gd_saddles", "name": "t", "seed": 3,
    "landscapes": {"quadratic": {"n": 4}, "pspin": {"N": 4, "p": 3}},
    "raise_c": [0.5, 2.5], "raise_instances": 1, "raise_steps": 10,
    "escape_instances": 1, "escape_starts": 4, "plateau_steps": 60, "plateau_checkpoints": 3,
    "plateau_mlp": {"d": 2, "h": 2, "m": 6},
}


def test_newton_finds_the_p2_critical_points_exactly():
    """p = 2: newton_mr at the experiment's tolerance (1e-20) lands on ±√N v_k (the only critical
    points) with |g|² ≤ 1e-20, the acceptance the escape part needs; catches a solver that stops short of it."""
    L = pspin(5, 2, rng=1)
    _, V = np.linalg.eigh(L.S)
    for s in range(5):
        res = newton_mr(L, L.random_point(np.random.default_rng(s)), grad_tol=GRAD_TOL)
        assert res.success and res.grad_norm2 <= 1e-20
        assert np.isclose(np.max(np.abs(V.T @ res.x)), np.sqrt(5), rtol=1e-8)
    bad = newton_mr(Quadratic(np.diag([1.0, -1.0])), np.array([1.0, 1.0]), grad_tol=GRAD_TOL, max_iter=0)
    assert not bad.success and bad.status == MAX_ITER


def test_tables_agree_with_the_closed_forms_where_they_exist():
    """Quadratic saddle: escape steps with the projected start equal ⌈ln(r/δ|⟨u,e_min⟩|)/ln(1+ε|λ_min|)⌉
    and every step's second-order prediction is its outcome; same seed ⇒ identical tables."""
    t = descent_tables(SPEC)
    t2 = descent_tables(SPEC)
    for key in ("raise", "escape", "plateau_curve", "plateau_points"):
        pd.testing.assert_frame_equal(t[key], t2[key])
    q = t["escape"][t["escape"]["landscape"] == "quadratic"]
    assert len(q) == 1 and (q["steps"] == q["predicted_projected"]).all()
    assert (q["steps"] >= q["predicted"]).all()
    rq = t["raise"][t["raise"]["landscape"] == "quadratic"]
    assert (rq["raised"] == rq["predicted"]).all()
    assert set(t["escape"]["landscape"]) == {"quadratic", "pspin"}
    assert (t["escape"]["index"] >= 1).all() and (t["escape"]["lam_min"] < 0).all()


@pytest.mark.slow
def test_experiment_writes_tables_and_figures(tmp_path):
    out = run_experiment(SPEC, tmp_path / "t", progress=False)
    assert {"raise.csv", "escape.csv", "plateau_curve.csv", "plateau_points.csv", "meta.json"} <= {
        p.name for p in out.iterdir()
    }
    # run_experiment draws its figures from the written tables (plot_experiment); plotting twice
    # would only double the slowest part of the test
    for stem in ("raise_fraction", "escape", "plateau"):
        for ext in ("png", "pdf"):
            assert (out / f"{stem}.{ext}").stat().st_size > 1000
