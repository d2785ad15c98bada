"""Critical points of a real-data classifier: start selection, labels, and the binned index table."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jax")

from saddlesim.kinds.network import loss_bins  # noqa: E402
from saddlesim.landscapes.classifier import MLPClassifier  # noqa: E402
from saddlesim.landscapes.datasets import load_dataset  # noqa: E402
from saddlesim.searches.network_points import (  # noqa: E402
    loss_uniform, model_from_description, solve_from, status_of, training_checkpoints)


def test_starts_are_spread_uniformly_in_loss_not_where_checkpoints_crowd():
    # 90 checkpoints near 0.1 (converged), 10 spread up to 2: uniform-in-loss picks reach the top
    losses = np.concatenate([0.1 + 1e-3 * np.arange(90), np.linspace(0.3, 2.0, 10)])
    pick = loss_uniform(losses, 10)
    assert len(set(pick.tolist())) == 10
    assert np.sort(losses[pick])[-1] == pytest.approx(2.0)
    assert (losses[pick] > 0.2).sum() >= 8  # not 10 of the 90 crowded ones
    assert losses[pick].min() == pytest.approx(0.1)
    with pytest.raises(ValueError, match="count"):
        loss_uniform(losses, 101)


def test_verdicts_map_onto_three_statuses():
    assert status_of("critical") == "critical"
    assert status_of("near-critical") == "critical"
    assert status_of("gradient-flat") == "flat"
    assert status_of("not-critical") == "failed"


def test_loss_bins_measure_spread_against_the_binomial():
    rng = np.random.default_rng(1)
    n = 100
    pts = pd.DataFrame({"status": ["critical"] * 400 + ["flat"] * 50,
                        "loss": np.r_[rng.uniform(0, 1, 400), rng.uniform(0, 1, 50)],
                        "index": np.r_[rng.binomial(n, 0.5, 400), np.zeros(50, int)],
                        "n": n})
    pts["positive"] = n - pts["index"]
    bins = loss_bins(pts, 4)
    assert bins["count"].sum() == 400  # flat points are not critical points
    assert np.all(np.abs(bins["count"] - 100) <= 1)
    # the coin-flip model itself: mean 1/2 within 6 SE, sd near 1/(2√n) (sd of a sample sd ≈ sd/√(2m))
    assert np.all(np.abs(bins["mean"] - 0.5) < 6 * 0.05 / 10)
    assert np.all(np.abs(bins["sd"] - 0.05) < 6 * 0.05 / np.sqrt(2 * 100))
    assert np.allclose(bins["binomial_sd"], 0.05)
    assert bins["positive_fraction"].to_numpy() == pytest.approx(1 - bins["mean"].to_numpy())


@pytest.mark.parametrize("name, inputs, components", [("iris", "raw", None), ("digits", "pca", 6)])
def test_model_rebuilds_from_its_description(name, inputs, components):
    model = MLPClassifier(load_dataset(name, inputs, components), hidden=(3,), weight_decay=0.01)
    again = model_from_description(model.describe())
    x = model.random_point(2)
    assert again.dim == model.dim
    assert again.landscape().value(x) == model.landscape().value(x)


def test_newton_mr_from_training_checkpoints_lands_on_true_critical_points():
    """A 4 → 2 → 3 iris classifier (19 parameters): every end point called critical has a gradient
    at rounding level relative to the curvature and the index its Hessian shows."""
    model = MLPClassifier(load_dataset("iris"), hidden=(2,), weight_decay=1e-2)
    L = model.landscape()
    ck = training_checkpoints(model, 3, runs=2, steps=300, checkpoints=6)
    assert len(ck.table) == 12 and ck.points.shape == (12, model.dim)
    table, ends = solve_from(model, ck.points, max_iter=100)
    assert (table["status"] == "critical").sum() >= 6
    for row, x in zip(table.itertuples(), ends):
        lam = np.linalg.eigvalsh(L.hessian(x))
        if row.status == "critical":
            assert np.linalg.norm(L.gradient(x)) <= 1e-7 * np.abs(lam).max()
            assert row.index == int((lam < -1e-7 * np.abs(lam).max()).sum())
            assert row.index + row.nullity + row.positive == model.dim


@pytest.mark.slow
def test_two_workers_give_the_same_table_as_one():
    """Each worker rebuilds the loss from its description (never a pickled JAX function)."""
    model = MLPClassifier(load_dataset("iris"), hidden=(2,), weight_decay=1e-2)
    ck = training_checkpoints(model, 5, runs=1, steps=100, checkpoints=4)
    one, ends1 = solve_from(model, ck.points, max_iter=40, workers=1)
    two, ends2 = solve_from(model, ck.points, max_iter=40, workers=2)
    pd.testing.assert_frame_equal(one, two)
    np.testing.assert_array_equal(ends1, ends2)


def test_loss_bins_of_one_or_no_critical_point_are_still_a_table():
    pts = pd.DataFrame({"status": ["critical", "failed"], "loss": [0.4, 0.5], "index": [3, 0], "n": 10,
                        "positive": [7, 10]})
    one = loss_bins(pts, 8)
    assert len(one) == 1 and one["count"].iloc[0] == 1 and one["mean"].iloc[0] == pytest.approx(0.3)
    none = loss_bins(pts.assign(status="failed"), 8)
    assert len(none) == 0 and "mean" in none.columns
