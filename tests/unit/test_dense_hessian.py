"""Dense Hessians from HVP blocks equal the explicit Hessian, whatever the block size.

Slips each test catches: a block offset off by one (rows shifted: ``start + 1``),
the partial last block dropped or duplicated (n not divisible by the block),
a missing symmetrisation, and a batched product that averages batches
equally instead of by their sizes.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from saddlesim.curvature.dense import block_hessian, block_size, dense_hessian  # noqa: E402
from saddlesim.landscapes.autodiff import import_jax, jax_landscape  # noqa: E402

import_jax()
jnp = jax.numpy


def _quadratic(n, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    return (A + A.T) / 2


@pytest.mark.parametrize("block", [1, 3, 4, 7, 12, 50])
def test_quadratic_exact_for_blocks_that_do_and_do_not_divide_n(block):
    n = 12
    A = _quadratic(n)
    Aj = jnp.asarray(A)
    H = dense_hessian(lambda v: Aj @ v, n, block=block)
    # a quadratic's Hessian is A itself, bit for bit up to the symmetrisation (A is symmetric)
    assert H.shape == (n, n)
    assert np.max(np.abs(H - A)) <= 1e-12


def test_nonsymmetric_rows_are_kept_in_order():
    # a product with a non-symmetric matrix exposes any permutation of rows (block offset slips)
    n, block = 10, 4
    B = np.arange(n * n, dtype=float).reshape(n, n)
    Bj = jnp.asarray(B)
    R = np.asarray(jax.jit(lambda: block_hessian(lambda v: Bj @ v, n, block))())
    assert np.array_equal(R, B.T)      # row i is B e_i = column i of B


class _Net:
    """A small tanh network with data: loss(x) = mean over rows of a squared error."""

    def __init__(self, rows=37, d=3, h=4, seed=1):
        rng = np.random.default_rng(seed)
        self.X = rng.standard_normal((rows, d))
        self.y = rng.standard_normal(rows)
        self.d, self.h = d, h
        self.n = d * h + h + h + 1

    def loss_on(self, x, X, y):
        d, h = self.d, self.h
        W1 = x[:d * h].reshape(d, h)
        b1 = x[d * h:d * h + h]
        w2 = x[d * h + h:d * h + 2 * h]
        z = jnp.tanh(X @ W1 + b1) @ w2 + x[-1]
        return jnp.mean((z - y) ** 2)

    def loss(self, x):
        return self.loss_on(x, jnp.asarray(self.X), jnp.asarray(self.y))


def _explicit_hessian(f, x):
    # the independent route: forward-over-reverse Jacobian of the gradient
    return np.asarray(jax.jacfwd(jax.grad(f))(jnp.asarray(x)))


@pytest.mark.parametrize("block", [1, 5, 8, 21, 100])
def test_small_network_matches_explicit_hessian(block):
    net = _Net()
    x = np.random.default_rng(2).standard_normal(net.n)
    xj = jnp.asarray(x)
    g = jax.grad(net.loss)
    H = dense_hessian(lambda v: jax.jvp(g, (xj,), (v,))[1], net.n, block=block)
    E = _explicit_hessian(net.loss, x)
    assert np.max(np.abs(H - (E + E.T) / 2)) <= 1e-12


def test_batched_product_sums_weighted_batches_to_the_full_hessian():
    net = _Net(rows=37)
    x = jnp.asarray(np.random.default_rng(3).standard_normal(net.n))
    cuts = [0, 5, 17, 30, 37]                     # unequal batch sizes: equal averaging would be wrong
    batches = [(jnp.asarray(net.X[a:b]), jnp.asarray(net.y[a:b]), (b - a) / 37) for a, b in zip(cuts, cuts[1:])]

    def hvp_batched(v):
        out = 0.0
        for Xb, yb, w in batches:
            g = jax.grad(lambda z: net.loss_on(z, Xb, yb))
            out = out + w * jax.jvp(g, (x,), (v,))[1]
        return out

    def hvp_equal(v):
        out = 0.0
        for Xb, yb, _ in batches:
            g = jax.grad(lambda z: net.loss_on(z, Xb, yb))
            out = out + jax.jvp(g, (x,), (v,))[1] / len(batches)
        return out

    g = jax.grad(net.loss)
    full = dense_hessian(lambda v: jax.jvp(g, (x,), (v,))[1], net.n, block=6)
    assert np.max(np.abs(dense_hessian(hvp_batched, net.n, block=6) - full)) <= 1e-12
    assert np.max(np.abs(dense_hessian(hvp_equal, net.n, block=6) - full)) > 1e-6   # the negative control


def test_block_size_follows_the_memory_budget():
    net = _Net(rows=2000)
    x = jnp.asarray(np.zeros(net.n))
    g = jax.grad(net.loss)
    hvp = lambda v: jax.jvp(g, (x,), (v,))[1]   # noqa: E731
    small, large = block_size(hvp, net.n, memory=2e5), block_size(hvp, net.n, memory=1e9)
    # the point passed as an argument gives the same size as the closure
    assert block_size(lambda v, y: jax.jvp(g, (y,), (v,))[1], net.n, memory=2e5, args=(x,)) == small
    assert 1 <= small < large == net.n


def test_landscape_hessian_uses_blocks_and_matches_explicit():
    net = _Net()
    land = jax_landscape(net.loss, net.n)
    x = np.random.default_rng(4).standard_normal(net.n)
    E = _explicit_hessian(net.loss, x)
    assert np.max(np.abs(land.hessian(x) - (E + E.T) / 2)) <= 1e-12
    assert 1 <= land.hessian_block <= net.n
    # the batched twin (the finder's) too, at several points
    X = np.random.default_rng(5).standard_normal((3, net.n))
    Hs = land.batched().ehess(X)
    for Hb, xb in zip(Hs, X):
        Eb = _explicit_hessian(net.loss, xb)
        assert np.max(np.abs(Hb - Eb)) <= 1e-12


def test_bad_block_is_refused():
    with pytest.raises(ValueError, match="block"):
        dense_hessian(lambda v: v, 3, block=0)


def test_arrays_passed_as_args_give_the_same_hessian():
    net = _Net()
    x = np.random.default_rng(6).standard_normal(net.n)
    g = jax.grad(net.loss)
    H = dense_hessian(lambda v, y: jax.jvp(g, (y,), (v,))[1], net.n, args=(jnp.asarray(x),), block=5)
    E = _explicit_hessian(net.loss, x)
    assert np.max(np.abs(H - E)) <= 1e-12
