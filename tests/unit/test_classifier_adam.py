"""Adam in ``train`` beyond its first step, written out by hand (landscapes/classifier.py).

The first bias-corrected Adam step is −lr·g/(|g| + ε) whatever β₁, β₂ are
(tests/unit/test_classifier.py), so it cannot see a slip in the moment
recurrences; three steps can. Oracle: logistic regression on iris, whose
gradient (1/N) Σ (p_i − e_{y_i}) ⊗ (x_i, 1) + wd·x is closed-form, and
Kingma & Ba's update m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
x ← x − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).

Smallest slips caught: β₁ and β₂ swapped; g instead of g² in v; bias
correction with t − 1 or without it; the step counter not advancing.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jax")

from saddlesim.landscapes.classifier import MLPClassifier, train  # noqa: E402
from saddlesim.landscapes.datasets import load_dataset  # noqa: E402


def _gradient(data, x, wd):
    W, b = x[:12].reshape(4, 3), x[12:]
    z = data.X @ W + b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    r = p - np.eye(3)[data.y]
    return np.r_[(data.X.T @ r / len(r)).ravel(), r.mean(axis=0)] + wd * x


def test_three_adam_steps_by_hand():
    data = load_dataset("iris")
    model = MLPClassifier(data, hidden=(), weight_decay=0.05)
    x = np.random.default_rng(3).standard_normal(model.dim)
    run = train(model, 1, steps=3, lr=0.05, checkpoints=4, x0=x)
    m = v = np.zeros_like(x)
    for t in (1, 2, 3):
        g = _gradient(data, x, 0.05)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        x = x - 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        np.testing.assert_allclose(run.points[t], x, rtol=1e-10, atol=1e-13)
