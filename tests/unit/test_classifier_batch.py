"""The classifier's minibatch loss and minibatch training step (landscapes/classifier.py).

L_B(x) = (1/|B|) Σ_{i∈B} CE_i(x) + (wd/2)|x|²: on all rows it is the full loss,
the batch-size-weighted mean over a partition of the rows is the full loss
(the decay term counted once, its weights summing to 1), and the decay term
is exactly (wd/2)|x|². Oracles: an independent numpy cross-entropy and, for
logistic regression (no hidden layer), the closed-form gradient
(1/|B|) Σ (p_i − e_{y_i}) ⊗ (x_i, 1) + wd·x.

Smallest slips caught: the batch mean over N instead of |B| (or a sum);
wd instead of wd/2 (or wd²) in the batch or the full loss; the decay term
dropped from the batch loss; the labels' one-hot not indexed by the batch
rows; train's minibatch drawn with replacement or its gradient taken of the
full loss; the SGD step's sign.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jax")

from saddlesim.landscapes.classifier import MLPClassifier, train  # noqa: E402
from saddlesim.landscapes.datasets import load_dataset  # noqa: E402

WD = 0.37


@pytest.fixture(scope="module")
def model():
    return MLPClassifier(load_dataset("iris"), hidden=(4,), weight_decay=WD)


def _f(model, x, rows=None):
    """The loss (rows None) or the batch loss as a float, evaluated under jit (eager JAX is slow per op)."""
    jax = pytest.importorskip("jax")
    if rows is None:
        return float(jax.jit(model.loss)(x))
    return float(jax.jit(model.batch_loss)(x, np.asarray(rows)))


def _ce(model, x, rows):
    """Mean softmax cross-entropy over ``rows``, in numpy."""
    h = model.data.X[rows]
    layers = model.unflatten(np.asarray(x))
    for W, b in layers[:-1]:
        h = np.tanh(h @ W + b)
    W, b = layers[-1]
    z = h @ W + b
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(rows)), model.data.y[rows]].mean()


def test_batch_of_all_rows_is_the_full_loss(model):
    x = model.random_point(1)
    rows = np.arange(150)
    assert _f(model, x, rows) == pytest.approx(_f(model, x), rel=1e-14)
    # in any order
    perm = np.random.default_rng(2).permutation(150)
    assert _f(model, x, perm) == pytest.approx(_f(model, x), rel=1e-13)


def test_batch_loss_is_the_batch_mean_plus_the_decay_once(model):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(model.dim)
    rows = rng.choice(150, 17, replace=False)
    want = _ce(model, x, rows) + 0.5 * WD * x @ x
    assert _f(model, x, rows) == pytest.approx(want, rel=1e-12)


def test_size_weighted_mean_over_a_partition_is_the_full_loss(model):
    """Batches of 50, 30, 70 (unequal): Σ |B|/N · L_B = L, with (wd/2)|x|² counted once in total."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal(model.dim)
    perm = rng.permutation(150)
    parts = [perm[:50], perm[50:80], perm[80:]]
    mixed = sum(len(p) / 150 * _f(model, x, p) for p in parts)
    assert mixed == pytest.approx(_f(model, x), rel=1e-13)
    plain = np.mean([_f(model, x, p) for p in parts])
    assert abs(plain - _f(model, x)) > 1e-6      # negative control: unweighted is not the loss


def test_decay_term_is_exactly_half_wd_squared_norm():
    wd = 0.5
    data = load_dataset("iris")
    base, decayed = MLPClassifier(data, hidden=(3,), weight_decay=0.0), MLPClassifier(data, hidden=(3,),
                                                                                      weight_decay=wd)
    x = np.random.default_rng(5).standard_normal(base.dim)
    rows = np.arange(0, 150, 7)
    assert _f(decayed, x) - _f(base, x) == pytest.approx(0.5 * wd * x @ x, rel=1e-12, abs=1e-15)
    assert (_f(decayed, x, rows) - _f(base, x, rows)
            == pytest.approx(0.5 * wd * x @ x, rel=1e-12, abs=1e-15))


def _logreg_batch_gradient(data, x, rows, wd):
    W, b = x[:12].reshape(4, 3), x[12:]
    z = data.X[rows] @ W + b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    r = p - np.eye(3)[data.y[rows]]
    gW = data.X[rows].T @ r / len(rows)
    gb = r.mean(axis=0)
    return np.r_[gW.ravel(), gb] + wd * x


def test_minibatch_sgd_step_is_the_batch_gradient_step():
    """train(batch_size=20, sgd): x₁ = x₀ − lr ∇L_B(x₀), B the first draw of the rng, without replacement."""
    data = load_dataset("iris")
    model = MLPClassifier(data, hidden=(), weight_decay=WD)
    x0 = np.random.default_rng(6).standard_normal(model.dim)
    run = train(model, 7, optimizer="sgd", steps=1, lr=0.5, batch_size=20, checkpoints=2, x0=x0)
    rows = np.random.default_rng(7).choice(150, 20, replace=False)
    want = x0 - 0.5 * _logreg_batch_gradient(data, x0, rows, WD)
    np.testing.assert_allclose(run.points[1], want, rtol=1e-11, atol=1e-14)
    full = x0 - 0.5 * _logreg_batch_gradient(data, x0, np.arange(150), WD)
    assert np.linalg.norm(run.points[1] - full) > 1e-3          # negative control: not the full gradient
    assert run.losses[1] == pytest.approx(_f(model, run.points[1]), rel=1e-13)
