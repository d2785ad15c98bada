"""Canonical parameters of a network modulo hidden-unit permutations and tanh sign flips.

Smallest slips caught: a sign flip that forgets the outgoing weights (the function changes),
sorting by the wrong axis or not carrying the next layer's rows along (the function changes),
canonicalising the output layer (its units are labelled: the function changes), treating a
non-odd activation's sign flip as a symmetry (two different functions merged).
"""

import numpy as np
import pytest

from saddlesim.critical.symmetry import canonical_parameters, flatten_layers, same_point, unflatten_layers

SIZES = (4, 5, 3, 2)


def _logits(x, sizes, act=np.tanh, X=None):
    X = np.random.default_rng(0).standard_normal((7, sizes[0])) if X is None else X
    layers = unflatten_layers(x, sizes)
    h = X
    for W, b in layers[:-1]:
        h = act(h @ W + b)
    W, b = layers[-1]
    return h @ W + b


def _random_symmetry(x, sizes, rng, flips=True):
    """Permute and (optionally) sign-flip the hidden units of every hidden layer."""
    layers = unflatten_layers(x, sizes)
    for ell in range(len(layers) - 1):
        W, b = layers[ell]
        V, c = layers[ell + 1]
        h = b.size
        perm = rng.permutation(h)
        s = rng.choice([-1.0, 1.0], size=h) if flips else np.ones(h)
        layers[ell] = ((W * s)[:, perm], (b * s)[perm])
        layers[ell + 1] = ((V * s[:, None])[perm], c)
    return flatten_layers(layers)


def _point(rng, sizes=SIZES):
    dim = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    return rng.standard_normal(dim)


def test_symmetric_copies_have_the_same_function_and_one_canonical_form():
    rng = np.random.default_rng(1)
    x = _point(rng)
    c = canonical_parameters(x, SIZES)
    np.testing.assert_allclose(_logits(c, SIZES), _logits(x, SIZES), rtol=0, atol=1e-12)
    for _ in range(20):
        y = _random_symmetry(x, SIZES, rng)
        assert not np.allclose(y, x)
        np.testing.assert_allclose(_logits(y, SIZES), _logits(x, SIZES), atol=1e-12)  # the helper is a symmetry
        np.testing.assert_allclose(canonical_parameters(y, SIZES), c, rtol=0, atol=1e-12)
        assert same_point(x, y, SIZES)


def test_different_points_stay_different():
    """Negative control: canonical forms of unrelated points (or a changed output weight) differ."""
    rng = np.random.default_rng(2)
    x, y = _point(rng), _point(rng)
    assert not same_point(x, y, SIZES)
    z = x.copy()
    z[-1] += 1e-3            # an output bias: labelled, not a symmetry
    assert not same_point(x, z, SIZES)


def test_sign_flips_are_not_symmetries_of_a_non_odd_activation():
    rng = np.random.default_rng(3)
    x = _point(rng)
    perm_only = _random_symmetry(x, SIZES, rng, flips=False)
    assert same_point(x, perm_only, SIZES, activation="softplus")
    flipped = _random_symmetry(x, SIZES, np.random.default_rng(5), flips=True)
    assert not same_point(x, flipped, SIZES, activation="softplus")
    assert same_point(x, flipped, SIZES, activation="tanh")


def test_canonical_form_is_idempotent_and_keeps_the_classifier_layout():
    from saddlesim.landscapes.classifier import MLPClassifier
    from saddlesim.landscapes.datasets import load_dataset

    model = MLPClassifier(load_dataset("iris", "raw", None), hidden=(3,), activation="tanh", weight_decay=1e-2)
    x = model.random_point(np.random.default_rng(4)) + 0.1 * np.random.default_rng(5).standard_normal(model.dim)
    c = canonical_parameters(x, model.sizes)
    np.testing.assert_allclose(canonical_parameters(c, model.sizes), c, atol=0)
    y = _random_symmetry(x, model.sizes, np.random.default_rng(6))
    assert abs(float(model.loss(y)) - float(model.loss(x))) < 1e-12
    np.testing.assert_allclose(canonical_parameters(y, model.sizes), c, atol=1e-12)


def test_wrong_length_is_refused():
    with pytest.raises(ValueError, match="length"):
        canonical_parameters(np.zeros(3), SIZES)
