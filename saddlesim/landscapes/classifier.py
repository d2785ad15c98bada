"""A multilayer-perceptron classifier on real data as a JAX landscape, and how to train it.

The loss is the one a deep-learning reader trains: the mean softmax
cross-entropy over all N rows plus L2 weight decay,

    L(x) = (1/N) Σ_i [logsumexp(z_i) − z_{i, y_i}] + (wd / 2) |x|²,

with ``z_i`` the network's output logits for row i and ``x`` every weight and
bias flattened into one vector (layer by layer: W of shape (in, out), then b).
The decay keeps critical points at finite x (without it the cross-entropy of
a separable data set has none). Its gradient, Hessian-vector products and
Hessian come from JAX (:mod:`saddlesim.landscapes.autodiff`), nothing is
written by hand.

References
----------
Dauphin et al. (2014), Identifying and attacking the saddle point problem in
high-dimensional non-convex optimization, NeurIPS (the index of critical
points of such networks against their loss).
Kingma & Ba (2015), Adam: a method for stochastic optimization, ICLR
(the update in :func:`train`, with bias correction).
Glorot & Bengio (2010), Understanding the difficulty of training deep
feedforward neural networks, AISTATS (the initial weight scale).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saddlesim.landscapes._checks import check_int, check_positive
from saddlesim.landscapes.autodiff import import_jax, jax_landscape
from saddlesim.landscapes.datasets import Dataset

__all__ = ["ACTIVATIONS", "MLPClassifier", "TrainingRun", "train"]

ACTIVATIONS = ("tanh", "softplus", "gelu")


class MLPClassifier:
    """A fully connected classifier of ``data`` with smooth activations.

    Parameters
    ----------
    data : Dataset
        Inputs X (N, d) and labels y (N,) in 0 … C − 1.
    hidden : tuple of int
        Hidden layer widths (``()`` is multinomial logistic regression).
    activation : {"tanh", "softplus", "gelu"}
        Smooth, so that the Hessian exists everywhere.
    weight_decay : float
        ``wd`` ≥ 0 in the loss above.

    Attributes
    ----------
    dim : int
        Number of parameters, Σ_layers (in + 1)·out.
    sizes : tuple of int
        Layer widths (d, *hidden, C).
    """

    def __init__(self, data: Dataset, hidden=(8,), activation: str = "tanh", weight_decay: float = 1e-3):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose from {', '.join(ACTIVATIONS)}")
        hidden = tuple(check_int("hidden width", h, 1) for h in hidden)
        self.data = data
        self.hidden = hidden
        self.activation = activation
        self.weight_decay = check_positive("weight_decay", weight_decay, allow_zero=True)
        self.sizes = (data.X.shape[1], *hidden, data.n_classes)
        self.dim = sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        jax = import_jax()
        self._jnp = jax.numpy
        self._X = jax.numpy.asarray(data.X)
        self._onehot = jax.numpy.asarray(np.eye(data.n_classes)[data.y])
        self._act = {"tanh": jax.numpy.tanh, "softplus": jax.nn.softplus, "gelu": jax.nn.gelu}[activation]
        self._logsumexp = jax.scipy.special.logsumexp

    def describe(self) -> dict:
        """JSON-ready description: what rebuilds this landscape."""
        return {**self.data.describe(), "hidden": list(self.hidden), "activation": self.activation,
                "weight_decay": self.weight_decay, "dim": self.dim,
                "parameters": "layer by layer, input to output: W (in × out, row-major), then b (out)",
                "loss": "mean over rows of logsumexp(z) − z[label], z = logits; + (weight_decay / 2)·|x|²"}

    def unflatten(self, x) -> list[tuple]:
        """The (W, b) pairs of each layer, W of shape (in, out), b of shape (out,)."""
        layers, k = [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            layers.append((x[k:k + a * b].reshape(a, b), x[k + a * b:k + (a + 1) * b]))
            k += (a + 1) * b
        return layers

    def logits(self, x, X=None):
        """Output logits, shape (N, C), for inputs X (default: the data set's)."""
        h = self._X if X is None else X
        layers = self.unflatten(x)
        for W, b in layers[:-1]:
            h = self._act(h @ W + b)
        W, b = layers[-1]
        return h @ W + b

    def _cross_entropy(self, x, X, onehot):
        z = self.logits(x, X)
        return self._jnp.mean(self._logsumexp(z, axis=1) - self._jnp.sum(z * onehot, axis=1))

    def loss(self, x):
        """Mean cross-entropy + (wd/2)|x|², a JAX-traceable scalar of x (dim,)."""
        return self._cross_entropy(x, self._X, self._onehot) + 0.5 * self.weight_decay * self._jnp.sum(x * x)

    def batch_loss(self, x, rows):
        """The same loss on the rows ``rows`` only (a minibatch), JAX-traceable."""
        return (self._cross_entropy(x, self._X[rows], self._onehot[rows])
                + 0.5 * self.weight_decay * self._jnp.sum(x * x))

    def random_point(self, rng) -> np.ndarray:
        """Glorot-normal weights (variance 2/(in + out)), zero biases; shape (dim,)."""
        rng = np.random.default_rng(rng)
        parts = []
        for a, b in zip(self.sizes[:-1], self.sizes[1:]):
            parts += [rng.standard_normal(a * b) * np.sqrt(2.0 / (a + b)), np.zeros(b)]
        return np.concatenate(parts)

    def accuracy(self, x) -> float:
        """Fraction of rows whose largest logit is the label."""
        z = np.asarray(self.logits(self._jnp.asarray(np.asarray(x, dtype=np.float64))))
        return float(np.mean(z.argmax(axis=1) == self.data.y))

    def landscape(self, name: str | None = None):
        """This loss as a :class:`~saddlesim.landscapes.autodiff.JaxEuclidean` landscape."""
        name = name or f"mlp-{self.data.name}-{'x'.join(map(str, self.sizes))}"
        return jax_landscape(self.loss, self.dim, name=name, random_point=self.random_point)


@dataclass(frozen=True, eq=False)
class TrainingRun:
    """Checkpoints of one training run.

    Attributes
    ----------
    steps : ndarray of int, shape (c,)
        Optimiser steps taken at each checkpoint (0 = the start, last = ``steps``).
    points : ndarray, shape (c, dim)
    losses : ndarray, shape (c,)
        Full-data loss at each checkpoint.
    """

    steps: np.ndarray
    points: np.ndarray
    losses: np.ndarray


def train(model: MLPClassifier, rng=None, *, optimizer: str = "adam", steps: int = 2000, lr: float = 1e-2,
          batch_size: int | None = None, checkpoints: int = 10, x0=None) -> TrainingRun:
    """Train ``model`` in float64 and keep ``checkpoints`` evenly spaced points.

    Parameters
    ----------
    model : MLPClassifier
    rng : None, int, SeedSequence or Generator
        The start (``model.random_point``, unless ``x0``) and the minibatches.
    optimizer : {"adam", "sgd"}
        Adam with β = (0.9, 0.999), ε = 1e-8 (Kingma & Ba 2015), or plain
        gradient steps.
    steps : int
    lr : float
        Step size.
    batch_size : int, optional
        Rows per step, drawn without replacement each step; full batch if None.
    checkpoints : int
        At least 2: the start and the end are always kept.
    x0 : array_like, shape (dim,), optional

    Returns
    -------
    TrainingRun
    """
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"unknown optimizer {optimizer!r}; choose from adam, sgd")
    steps = check_int("steps", steps, 1)
    checkpoints = check_int("checkpoints", checkpoints, 2)
    lr = check_positive("lr", lr)
    N = model.data.X.shape[0]
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size, 1)
        if batch_size > N:
            raise ValueError(f"batch_size must be <= {N} rows, got {batch_size}")
    rng = np.random.default_rng(rng)
    jax = import_jax()
    jnp = jax.numpy
    x = model.random_point(rng) if x0 is None else np.asarray(x0, dtype=np.float64)
    if x.shape != (model.dim,):
        raise ValueError(f"x0 must have shape ({model.dim},), got {x.shape}")
    full = jax.jit(model.loss)
    grad = jax.jit(jax.grad(model.loss) if batch_size is None else jax.grad(model.batch_loss))
    b1, b2, eps = 0.9, 0.999, 1e-8

    @jax.jit
    def adam(x, m, v, g, t):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        step = lr * (m / (1 - b1 ** t)) / (jnp.sqrt(v / (1 - b2 ** t)) + eps)
        return x - step, m, v

    keep = set(np.unique(np.linspace(0, steps, checkpoints).round().astype(int)).tolist())
    xj = jnp.asarray(x)
    m = v = jnp.zeros_like(xj)
    out_steps, out_points, out_losses = [], [], []
    for t in range(steps + 1):
        if t in keep:
            out_steps.append(t)
            out_points.append(np.asarray(xj, dtype=np.float64))
            out_losses.append(float(full(xj)))
        if t == steps:
            break
        if batch_size is None:
            g = grad(xj)
        else:
            g = grad(xj, jnp.asarray(rng.choice(N, batch_size, replace=False)))
        if optimizer == "adam":
            xj, m, v = adam(xj, m, v, g, t + 1)
        else:
            xj = xj - lr * g
    return TrainingRun(steps=np.asarray(out_steps), points=np.stack(out_points), losses=np.asarray(out_losses))
