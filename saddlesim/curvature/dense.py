"""Dense Hessians from Hessian-vector products over blocks of basis vectors, never ``jax.hessian``.

Row i of a symmetric H is H eᵢ, so H is n products with the basis vectors.
Taking them ``block`` at a time (a ``vmap`` of the product over a block of
eᵢ, mapped over the blocks by ``jax.lax.map`` inside one compiled function)
keeps peak memory at one block's intermediates, ``block`` tangents of every
activation, instead of ``jax.hessian``'s n tangents of every activation at
once (which, for a loss over a data set, is rows × parameters floats per
layer: measured 4.7 GB above the interpreter at 2410 parameters on the digits data,
against about 0.4 GB here; ``python -m benchmarks dense``).
The block size comes from a memory budget and the compiled product's own
temporary memory (XLA's ``memory_analysis``).

The product is any JAX-traceable ``hvp(v) -> H v``: forward-over-reverse of
one loss, or a sum of products over batches of data (the batches' weighted
sum is then formed inside the same compiled map), so the data set's size
never enters the memory of one block.

The last block is partial when ``block`` does not divide n: its rows past n
are zero vectors (their products are zero) and are cut off, so every block
has one shape and compiles once.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

__all__ = ["block_hessian", "dense_hessian", "block_size", "MEMORY"]

#: Default memory budget (bytes) for one block's products and their intermediates.
MEMORY = 1e8


def block_hessian(hvp: Callable, n: int, block: int):
    """H (n, n) from ``hvp`` over blocks of basis vectors, JAX-traceable (use inside ``jit``/``vmap``).

    Parameters
    ----------
    hvp : callable
        ``hvp(v) -> H v`` for ``v`` a float64 ``jax.numpy`` array of shape (n,);
        traceable by JAX (it is ``vmap``-ped).
    n : int
        Dimension.
    block : int
        Basis vectors per compiled product (1 ≤ block; capped at n).

    Returns
    -------
    jax.Array, shape (n, n)
        Row i is ``hvp(e_i)`` (not symmetrised: :func:`dense_hessian` does that).
    """
    import jax
    import jax.numpy as jnp

    n, block = int(n), max(1, min(int(block), int(n)))
    count = -(-n // block)
    cols = jnp.arange(n)

    def rows(start):
        # basis vectors e_start … e_{start+block-1}; indices ≥ n give zero rows (the partial last block)
        E = (start + jnp.arange(block))[:, None] == cols[None, :]
        return jax.vmap(hvp)(E.astype(jnp.float64))

    H = jax.lax.map(rows, jnp.arange(count) * block)          # (count, block, n)
    return H.reshape(count * block, n)[:n]


def block_size(hvp: Callable, n: int, memory: float = MEMORY, probe: int = 4, *, args: tuple = ()) -> int:
    """Basis vectors per block so that one block's products fit in ``memory`` bytes.

    The temporary memory of a compiled ``vmap`` of ``hvp`` over ``probe``
    vectors (XLA's ``memory_analysis``, linear in the block) divided by
    ``probe``, plus the n-float output row, is the cost of one vector. When
    the backend reports no figure, 32 n floats per vector are assumed.
    ``hvp(v, *args)``: arrays in ``args`` are arguments of the compiled
    product, not constants (XLA would fold a data set times the weights at
    compile time).

    Returns
    -------
    int
        In [1, n].
    """
    import jax
    import jax.numpy as jnp

    n = int(n)
    probe = max(1, min(int(probe), n))
    per = 0.0
    try:
        batched = jax.jit(lambda V, *a: jax.vmap(lambda v: hvp(v, *a))(V))
        stats = batched.lower(jnp.zeros((probe, n)), *args).compile().memory_analysis()
        per = float(getattr(stats, "temp_size_in_bytes", 0) or 0) / probe
    except Exception:       # a backend without memory analysis: fall back to the guess below
        per = 0.0
    per = max(per, 32.0 * n) + 8.0 * n
    return int(max(1, min(n, math.floor(float(memory) / per))))


def dense_hessian(hvp: Callable, n: int, *, args: tuple = (), block: int | None = None,
                  memory: float = MEMORY) -> np.ndarray:
    """The symmetric Hessian (n, n) as a float64 numpy array, from products over blocks of basis vectors.

    Parameters
    ----------
    hvp : callable
        ``hvp(v, *args) -> H v``, JAX-traceable, v of shape (n,) float64. For
        a loss given in batches pass the sum of the batches' (weighted) products.
    n : int
    args : tuple of arrays
        The point, the data: passed to ``hvp`` as arguments of the compiled
        map. Arrays a closure holds instead become compile-time constants,
        and XLA may spend seconds folding them (data × weights).
    block : int, optional
        Basis vectors per compiled product; default :func:`block_size` under ``memory``.
    memory : float
        Bytes one block may use (default :data:`MEMORY`).

    Returns
    -------
    ndarray, shape (n, n)
        (H + Hᵀ)/2.
    """
    import jax

    # float64, as every saddlesim derivative (the landscapes switch it on too; here for a bare product)
    jax.config.update("jax_enable_x64", True)
    n = int(n)
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if block is None:
        block = block_size(hvp, n, memory, args=args)
    if int(block) < 1:
        raise ValueError(f"block must be >= 1, got {block}")
    b = int(block)
    H = np.asarray(jax.jit(lambda *a: block_hessian(lambda v: hvp(v, *a), n, b))(*args), dtype=np.float64)
    S = H + H.T                 # one n × n copy, halved in place (at 2410 parameters each copy is 46 MB)
    S *= 0.5
    return S
