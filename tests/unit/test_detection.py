import numpy as np
import pandas as pd
import pytest

from saddlesim.detection.estimate import (
    finite_difference_hessians,
    noisy_hessians,
    quartic_directions,
    relative_tol_labels,
)
from saddlesim.kinds.min_detection import detection_tables, run_experiment
from saddlesim.kinds.registry import plot_results
from saddlesim.models import goe_matrices


def test_noise_has_exact_relative_size_and_stays_symmetric():
    """‖Ĥ − H‖_F = σ‖H‖_F exactly: catches noise scaled by ‖G‖ or by σ² instead of σ."""
    H = goe_matrices(4, 50, np.random.default_rng(0))
    Hn = noisy_hessians(H, 0.3, rng=1)
    assert np.allclose(np.linalg.norm(Hn - H, axis=(1, 2)), 0.3 * np.linalg.norm(H, axis=(1, 2)))
    assert np.allclose(Hn, np.swapaxes(Hn, 1, 2))
    assert np.array_equal(noisy_hessians(H, 0.0, rng=1), H)
    assert np.array_equal(Hn, noisy_hessians(H, 0.3, rng=1))


def test_finite_differences_have_the_closed_form_truncation_bias():
    """Without rounding (f₀ = 0) the central-difference error is exactly (κh²/12) Σ_r w_ri⁴ on the
    diagonal and (κh²/6) Σ_r (w_ri³w_rj + w_ri w_rj³) off it: catches a 1/h² vs 1/(4h²) stencil slip."""
    rng = np.random.default_rng(2)
    H = goe_matrices(4, 20, rng)
    W = quartic_directions(20, 4, rng)
    h, kappa = 0.05, 3.0
    D = finite_difference_hessians(H, h, W, kappa=kappa, f0=0.0) - H
    diag = kappa * h**2 / 12 * np.sum(W**4, axis=1)
    off = kappa * h**2 / 6 * (np.einsum("sri,srj->sij", W**3, W) + np.einsum("sri,srj->sij", W, W**3))
    assert np.allclose(np.diagonal(D, axis1=1, axis2=2), diag, rtol=1e-8, atol=1e-13)
    iu = np.triu_indices(4, 1)
    assert np.allclose(D[:, iu[0], iu[1]], off[:, iu[0], iu[1]], rtol=1e-8, atol=1e-13)
    # with the loss offset, tiny steps are ruined by rounding (≈ ε f₀ / h²)
    bad = finite_difference_hessians(H, 1e-8, W, kappa=kappa, f0=1.0) - H
    assert np.abs(bad).max() > 1e-2


def test_relative_tolerance_labels():
    H = np.stack([np.diag([1.0, 2.0]), np.diag([0.01, 2.0]), np.diag([-1.0, 2.0]), np.diag([-1.0, -0.5])])
    assert relative_tol_labels(H, 0.0).tolist() == ["minimum", "minimum", "saddle", "maximum"]
    # ‖diag(0.01, 2)‖_F ≈ 2, so τ = 0.01 puts 0.01 inside the band: degenerate
    assert relative_tol_labels(H, 0.01).tolist() == ["minimum", "degenerate", "saddle", "maximum"]
    # the band is closed, as in saddlesim.index.inertia: an exact zero is degenerate even at τ = 0
    assert relative_tol_labels(np.diag([0.0, 1.0])[None], 0.0).tolist() == ["degenerate"]
    with pytest.raises(ValueError, match="tau"):
        relative_tol_labels(H, -1.0)


SPEC = {
    "kind": "min_detection", "name": "t", "seed": 5, "n": [3], "samples": 3000, "chunk": 1000,
    "noise": [0.0, 0.3], "fd_steps": [1e-3], "tol": [0.0, 0.05],
    "pspin": {"N": 4, "p": 3}, "pspin_instances": 1, "pspin_starts": 4,
    "mlp": {"d": 2, "h": 2, "m": 16}, "mlp_instances": 1, "mlp_starts": 6, "batch": [4, "full"], "batch_draws": 3,
    "batch_tol": [0.0, 1e-8],
}


def test_experiment_tables_are_consistent_and_reproducible():
    """σ = 0, τ = 0 reproduces the truth (accuracy 1); counts add up to the samples; the baseline's
    accuracy is the observed saddle prevalence; noise lowers F1(minimum); same seed ⇒ identical tables."""
    conf, ma, _ = detection_tables(SPEC)
    _, mb, _ = detection_tables(SPEC)
    pd.testing.assert_frame_equal(ma, mb)
    goe = conf[conf.estimator.isin(["noise", "fd"])]
    assert (goe.groupby(["estimator", "level", "tol"])["count"].sum() == 3000).all()
    # p-spin truth: critical points come in ±σ pairs; exact labels reproduced at σ = 0, τ = 0
    ps = ma[ma.estimator == "pspin-noise"]
    assert len(ps) == 4 and (ps.n == 3).all() and (ps.samples % 2 == 0).all() and (ps.samples > 0).all()
    assert ps[(ps.level == 0) & (ps.tol == 0)].accuracy.iloc[0] == 1 and ps.p_min_exact.isna().all()
    exact = ma[(ma.estimator == "noise") & (ma.level == 0) & (ma.tol == 0)].iloc[0]
    assert exact.accuracy == 1 and exact.f1_minimum == 1
    saddles = conf[(conf.estimator == "noise") & (conf.level == 0) & (conf.tol == 0) & (conf.truth == "saddle")]
    assert np.allclose(ma[ma.estimator.isin(["noise", "fd"])].baseline_accuracy, saddles["count"].sum() / 3000)
    noisy = ma[(ma.estimator == "noise") & (ma.level == 0.3) & (ma.tol == 0)].iloc[0]
    assert noisy.f1_minimum < 1 and 0.02 < exact.p_min_exact < 0.03


@pytest.mark.slow
def test_experiment_writes_tables_meta_and_figures(tmp_path):
    out = run_experiment(SPEC, tmp_path / "t", progress=False)
    assert {"confusion.csv", "metrics.csv", "meta.json"} <= {p.name for p in out.iterdir()}
    for p in out.glob("*.png"):
        p.unlink()
    # `saddlesim plot` dispatches on meta.json's kind and redraws from the tables alone
    assert sorted(p.name for p in plot_results(out)) == sorted(
        f"{s}.{e}" for s in ("pr_minimum", "f1_vs_noise", "fd_step", "pspin_noise", "mlp_batch") for e in ("png", "pdf")
    )
