"""Minibatch Hessians of the tanh network: the curvature a practitioner can afford.

The full loss of :class:`~saddlesim.landscapes.mlp.TanhMLP` is a mean over its
m data rows, L = (1/m) Σᵢ ℓᵢ with ℓᵢ = ‖y(xᵢ) − tᵢ‖² / (2o). The minibatch
Hessian of batch size b is the exact Hessian of the same mean over a random
subset B of b rows drawn without replacement,

    Ĥ_B = (1/b) Σ_{i∈B} ∇²ℓᵢ,

so E_B[Ĥ_B] = ∇²L (every row is in B with probability b/m), and b = m gives
∇²L itself. It is computed by the network's own exact R-operator Hessian on a
:class:`TanhMLP` built from the chosen rows (the normalisation 1/(2 b o) comes
with it), not by a second derivation.

References
----------
Pearlmutter (1994), Fast exact multiplication by the Hessian, Neural
Computation 6, 147–160 (the Hessian-vector products reused here).
Martens (2010), Deep learning via Hessian-free optimization, ICML (curvature
from minibatches).
"""

from __future__ import annotations

import numbers

import numpy as np

from saddlesim.landscapes.mlp import TanhMLP

__all__ = ["minibatch_hessian", "minibatch_hessians", "subset_hessian", "check_batch"]


def check_batch(b, m: int) -> int:
    """``b`` as an int in 1 … m, else a one-line ValueError."""
    if isinstance(b, bool) or not isinstance(b, numbers.Integral):
        raise ValueError(f"batch size b must be an integer in 1..{m}, got {b!r}")
    if not 1 <= b <= m:
        raise ValueError(f"batch size b must be in 1..{m} (the network's data rows), got {b}")
    return int(b)


def subset_hessian(net: TanhMLP, x: np.ndarray, rows) -> np.ndarray:
    """Exact Hessian at ``x`` of the mean loss over the data rows ``rows`` (shape (b,)), shape (dim, dim)."""
    rows = np.asarray(rows, dtype=np.intp)
    sub = TanhMLP(net.X[rows], net.T[rows], net.h, bias=net.bias, params=net.params)
    return sub.hessian(x)


def _rows(m: int, b: int, rng: np.random.Generator) -> np.ndarray:
    # sorted, so that b = m keeps the data in its own order and reproduces the full Hessian bit for bit
    return np.sort(rng.choice(m, size=b, replace=False))


def minibatch_hessian(net: TanhMLP, x: np.ndarray, b: int, rng=None) -> np.ndarray:
    """Exact Hessian at ``x`` of the mean loss over b data rows drawn without replacement.

    Parameters
    ----------
    net : TanhMLP
        The network and its data (m rows).
    x : ndarray, shape (dim,)
        Parameter point.
    b : int
        Batch size, 1 <= b <= m; b = m gives ``net.hessian(x)`` exactly.
    rng : None, int, SeedSequence or Generator
        Draws the rows.

    Returns
    -------
    ndarray, shape (dim, dim), symmetric

    References
    ----------
    Martens (2010), ICML (minibatch curvature).
    """
    return minibatch_hessians(net, x, b, 1, rng)[0]


def minibatch_hessians(net: TanhMLP, x: np.ndarray, b: int, draws: int, rng=None) -> np.ndarray:
    """``draws`` independent minibatch Hessians at ``x`` (each its own subset of b rows).

    Parameters
    ----------
    net : TanhMLP
    x : ndarray, shape (dim,)
    b : int
        Batch size, 1 <= b <= m.
    draws : int
        Number of minibatches, >= 1.
    rng : None, int, SeedSequence or Generator

    Returns
    -------
    ndarray, shape (draws, dim, dim)
    """
    if not isinstance(net, TanhMLP):
        raise ValueError(f"minibatch Hessians need a TanhMLP landscape, got {type(net).__name__}")
    b = check_batch(b, net.m)
    if isinstance(draws, bool) or not isinstance(draws, numbers.Integral) or draws < 1:
        raise ValueError(f"draws must be an integer >= 1, got {draws!r}")
    rng = np.random.default_rng(rng)
    return np.stack([subset_hessian(net, x, _rows(net.m, b, rng)) for _ in range(int(draws))])
