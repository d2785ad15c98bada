"""One representative per symmetry class of a fully connected network's parameters.

Permuting the hidden units of a layer (rows of its incoming weights and bias, rows of the next
layer's weights) leaves the network's function unchanged, and so does flipping the sign of a
unit's incoming weights, bias and outgoing weights when the activation is odd (tanh). Each
critical point therefore comes in h!·2^h copies per hidden layer of width h, all with the same
loss and spectrum; a count of *distinct* critical points must count the class once.

:func:`canonical_parameters` maps every member of a class to one representative: per hidden
layer, first each unit's sign is fixed (odd activations only) so that its first clearly
nonzero incoming parameter (bias first, then the weights in input order) is positive; then
the units are sorted by that incoming vector. Layers are processed from the input side, so a
layer's incoming weights are already in canonical column order when its own units are sorted.
Two parameter vectors are the same point up to symmetry iff their canonical forms agree (to a
tolerance: :func:`same_point`).

References
----------
Chen, Lu & Hecht-Nielsen (1993), On the geometry of feedforward neural network error surfaces,
Neural Computation 5(6): the group of hidden-unit permutations and sign flips.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ODD_ACTIVATIONS", "unflatten_layers", "flatten_layers", "canonical_parameters", "same_point"]

#: activations with h(−z) = −h(z), for which a unit's sign flip is a symmetry
ODD_ACTIVATIONS = ("tanh",)


def unflatten_layers(x, sizes) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) per layer, W of shape (in, out), b of shape (out,): the classifier's layout.

    Parameters
    ----------
    x : array_like, shape (Σ (in + 1)·out,)
        Layer by layer: W row-major, then b.
    sizes : sequence of int
        Layer widths (inputs, *hidden, outputs).
    """
    x = np.asarray(x, dtype=np.float64)
    dim = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    if x.shape != (dim,):
        raise ValueError(f"expected a parameter vector of length {dim} for layer widths {tuple(sizes)}, "
                         f"got shape {x.shape}")
    layers, k = [], 0
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers.append((x[k:k + a * b].reshape(a, b).copy(), x[k + a * b:k + (a + 1) * b].copy()))
        k += (a + 1) * b
    return layers


def flatten_layers(layers) -> np.ndarray:
    """Inverse of :func:`unflatten_layers`."""
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in layers])


def canonical_parameters(x, sizes, activation: str = "tanh", *, atol: float = 1e-8) -> np.ndarray:
    """The representative of ``x``'s class under hidden-unit permutations (and sign flips if odd).

    Parameters
    ----------
    x : array_like, shape (dim,)
    sizes : sequence of int
        Layer widths (inputs, *hidden, outputs).
    activation : str
        Sign flips are symmetries only for :data:`ODD_ACTIVATIONS`.
    atol : float
        Entries with |·| ≤ atol do not decide a unit's sign (rounding must not flip it).

    Returns
    -------
    ndarray, shape (dim,)
        Same function of the inputs as ``x``: equal loss, gradient norm and spectrum.
    """
    layers = unflatten_layers(x, sizes)
    odd = activation in ODD_ACTIVATIONS
    for ell in range(len(layers) - 1):           # hidden layers only: output units are labelled
        W, b = layers[ell]
        V, c = layers[ell + 1]
        incoming = np.vstack([b[None, :], W]).T  # (units, 1 + in): bias first, then the weights
        if odd:
            for j in range(incoming.shape[0]):
                decisive = np.flatnonzero(np.abs(incoming[j]) > atol)
                if decisive.size and incoming[j, decisive[0]] < 0:
                    incoming[j] *= -1.0
                    V[j, :] *= -1.0
        # sort units lexicographically by their incoming vector (first key: bias)
        order = np.lexsort(incoming.T[::-1])
        incoming, V = incoming[order], V[order]
        layers[ell] = (incoming[:, 1:].T.copy(), incoming[:, 0].copy())
        layers[ell + 1] = (V, c)
    return flatten_layers(layers)


def same_point(x, y, sizes, activation: str = "tanh", *, rtol: float = 1e-6) -> bool:
    """Whether ``x`` and ``y`` are one critical point up to the network's symmetries.

    Canonical forms agree to ``rtol`` relative to the larger of their norms.
    """
    cx = canonical_parameters(x, sizes, activation)
    cy = canonical_parameters(y, sizes, activation)
    scale = max(np.linalg.norm(cx), np.linalg.norm(cy), 1.0)
    return bool(np.linalg.norm(cx - cy) <= rtol * scale)
