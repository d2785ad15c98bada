"""Starts uniform in loss (searches/network_points.py: ``loss_uniform``), checked against the targets.

For ``count`` targets evenly spaced from the smallest to the largest loss,
in order, the start is the unused checkpoint nearest to the target. Oracle:
the same greedy rule written out here over the raw (unsorted) losses, and
its consequences — distinct picks, the extremes reached, every pick within
half a grid gap of its target when the checkpoints are dense.

Smallest slips caught: count ± 1 targets (or targets from 0, or up to the
mean); positions in the sorted order returned instead of the checkpoints'
own indices; a used checkpoint picked again; the farthest instead of the
nearest; targets visited from the top.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.searches.network_points import loss_uniform


def _greedy(losses, count):
    """Independent reference: targets in increasing order, each the nearest unused (ties: smaller loss, then index)."""
    targets = np.linspace(min(losses), max(losses), count)
    used, out = set(), []
    for t in targets:
        best = min((i for i in range(len(losses)) if i not in used), key=lambda i: (abs(losses[i] - t), losses[i], i))
        used.add(best)
        out.append(best)
    return np.array(out), targets


@pytest.mark.parametrize("seed, m, count", [(0, 50, 7), (1, 200, 40), (2, 12, 12), (3, 30, 1), (4, 30, 2)])
def test_picks_are_the_greedy_nearest_to_uniform_targets(seed, m, count):
    rng = np.random.default_rng(seed)
    losses = np.exp(rng.normal(0, 1, m))               # unsorted, crowded at small loss
    pick = loss_uniform(losses, count)
    want, targets = _greedy(list(losses), count)
    np.testing.assert_array_equal(pick, want)
    assert len(set(pick.tolist())) == count
    assert losses[pick[0]] == losses.min()
    if 1 < count <= m // 4:                           # sparse targets: the top one reaches the largest loss
        assert losses.max() in losses[pick]


def test_dense_checkpoints_give_picks_on_the_targets():
    """1000 checkpoints on a grid of spacing 10⁻³ (shuffled): each of 11 picks within 5·10⁻⁴ of its target."""
    rng = np.random.default_rng(5)
    losses = rng.permutation(np.linspace(0.2, 1.199, 1000))
    pick = loss_uniform(losses, 11)
    targets = np.linspace(0.2, 1.199, 11)
    assert np.all(np.abs(losses[pick] - targets) <= 5e-4 + 1e-12)
    # the picks' losses are evenly spread: consecutive gaps equal to the targets' to the grid spacing
    np.testing.assert_allclose(np.diff(losses[pick]), np.diff(targets), atol=1e-3)


def test_ties_and_repeated_losses_never_repeat_a_checkpoint():
    losses = np.array([1.0, 1.0, 1.0, 2.0, 2.0, 3.0])
    pick = loss_uniform(losses, 6)
    assert sorted(pick.tolist()) == list(range(6))
    np.testing.assert_array_equal(losses[pick], [1.0, 1.0, 2.0, 2.0, 3.0, 1.0])   # the last target took what was left



def test_each_training_run_has_its_own_stream(monkeypatch):
    """Run r draws from child r of the seed: runs differ, and run 0 is the same with 1 or 3 runs.

    ``train`` is replaced by one whose checkpoints are draws from the stream it is given (what is tested is
    which stream each run gets, not the training).
    """
    from types import SimpleNamespace

    from saddlesim.searches import network_points

    def fake_train(model, rng, **kw):
        pts = rng.standard_normal((2, 3))
        return SimpleNamespace(steps=np.array([0, 1]), points=pts, losses=pts.sum(axis=1))

    monkeypatch.setattr(network_points, "train", fake_train)
    model = SimpleNamespace(accuracy=lambda x: float(x[0]))
    three = network_points.training_checkpoints(model, 4, runs=3)
    one = network_points.training_checkpoints(model, 4, runs=1)
    assert three.table["run"].tolist() == [0, 0, 1, 1, 2, 2] and three.points.shape == (6, 3)
    np.testing.assert_array_equal(one.points, three.points[:2])
    assert not np.allclose(three.points[0], three.points[2]) and not np.allclose(three.points[2], three.points[4])
    children = np.random.default_rng(4).bit_generator.seed_seq.spawn(3)
    np.testing.assert_array_equal(three.points[4:], np.random.default_rng(children[2]).standard_normal((2, 3)))
    assert three.table["loss"].tolist() == pytest.approx(three.points.sum(axis=1).tolist())
    assert three.table["accuracy"].tolist() == pytest.approx(three.points[:, 0].tolist())
