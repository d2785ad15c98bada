"""The flax and equinox examples run, and their pytree path equals the same model written as a flat-vector loss."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytest.importorskip("optax")
pytest.importorskip("sklearn")

import saddlesim  # noqa: E402
from saddlesim.networks.pytree import Flattener  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat_mlp(X, Y, hidden, order):
    """The 64 → hidden → 10 tanh MLP as a flat-vector loss, unpacked by hand in the framework's leaf order."""
    jnp = jax.numpy
    shapes = {"W1": (64, hidden), "b1": (hidden,), "W2": (hidden, 10), "b2": (10,)}

    def loss(x):
        p, k = {}, 0
        for name, transposed in order:
            shape = shapes[name][::-1] if transposed else shapes[name]
            size = int(np.prod(shape))
            p[name] = x[k:k + size].reshape(shape).T if transposed else x[k:k + size].reshape(shape)
            k += size
        z = jnp.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        wd = jnp.sum(x * x)
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 5e-4 * wd
    return loss


# flax nnx: sorted keys l1.bias, l1.kernel (in, out), l2.bias, l2.kernel; equinox: field order weight (out, in), bias
ORDERS = {"flax_digits": [("b1", False), ("W1", False), ("b2", False), ("W2", False)],
          "equinox_digits": [("W1", True), ("b1", False), ("W2", True), ("b2", False)]}


@pytest.mark.slow      # trains a model and imports flax/equinox: > 5 s
@pytest.mark.parametrize("name", ["flax_digits", "equinox_digits"])
def test_example_runs_and_the_pytree_path_equals_the_flat_vector_loss(name, capsys):
    pytest.importorskip(name.split("_")[0])
    r, params = _example(name).main(hidden=3, rows=120, steps=40)
    out = capsys.readouterr().out
    assert "coin-flip claim" in out and f"of {r['n']}" in out
    assert r["n"] == 65 * 3 + 4 * 10
    ev = r["eigenvector_min"]
    leaves = jax.tree_util.tree_leaves(ev)
    assert len(leaves) == 4 and sorted(a.size for a in leaves) == sorted([192, 3, 30, 10])
    # the same trained point as a flat vector, through a hand-written flat loss
    from sklearn.datasets import load_digits

    d = load_digits()
    X, Y = jax.numpy.asarray(d.data[:120] / 16.0), jax.numpy.asarray(np.eye(10)[d.target[:120]])
    x = Flattener(params).x0
    flat = saddlesim.point(_flat_mlp(X, Y, 3, ORDERS[name]), x)
    assert flat["loss"] == pytest.approx(r["loss"], abs=1e-10)
    assert (flat["index"], flat["nullity"], flat["verdict"], flat["label"]) == \
        (r["index"], r["nullity"], r["verdict"], r["label"])
    assert flat["lambda_min"] == pytest.approx(r["lambda_min"], abs=1e-10)
    assert flat["lambda_max"] == pytest.approx(r["lambda_max"], abs=1e-10)

