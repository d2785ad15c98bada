"""JAX losses as landscapes: autodiff derivatives against the hand-written ones (the oracles).

Smallest bugs caught: a sign or factor in the sphere's radial term applied to
autodiff derivatives; the HVP built from the wrong primal (reverse-over-reverse
at another point); float32 instead of float64 (1e-10 fails); a shape mix-up
between ambient and tangent coordinates.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from saddlesim.landscapes.autodiff import import_jax, jax_landscape
from saddlesim.landscapes.pspin import pspin
from saddlesim.landscapes.quadratic import quadratic

jax = import_jax()
jnp = jax.numpy


def _rel(a, b):
    return np.max(np.abs(np.asarray(a) - np.asarray(b))) / max(np.max(np.abs(b)), 1e-300)


def _assert_same_derivatives(auto, hand, rng, *, points=2, hvp=True, tol=1e-10):
    """Value, gradient, Hessian (and HVP) of ``auto`` equal ``hand``'s at random points of ``hand``."""
    rng = np.random.default_rng(rng)
    for _ in range(points):
        x, v = hand.random_point(rng), rng.standard_normal(hand.dim)
        assert auto.value(x) == pytest.approx(hand.value(x), rel=1e-12)
        assert _rel(auto.gradient(x), hand.gradient(x)) < tol
        assert _rel(auto.hessian(x), hand.hessian(x)) < tol
        if hvp:
            assert _rel(auto.hvp(x, v), hand.hvp(x, v)) < tol


def test_quadratic_gradient_hvp_and_hessian_equal_the_matrix():
    q = quadratic(6, rng=1)
    A = jnp.asarray(q.A)
    land = jax_landscape(lambda x: 0.5 * x @ A @ x, 6)
    rng = np.random.default_rng(2)
    for _ in range(3):
        x, v = rng.standard_normal(6), rng.standard_normal(6)
        assert land.value(x) == pytest.approx(q.value(x), rel=1e-14)
        assert _rel(land.gradient(x), q.gradient(x)) < 1e-13
        assert _rel(land.hvp(x, v), q.A @ v) < 1e-13
        assert _rel(land.hessian(x), q.A) < 1e-13
    assert land.gradient(x).dtype == np.float64


@pytest.mark.parametrize("N, p", [(6, 3), (5, 4), (7, 2)])
def test_autodiff_pspin_on_the_sphere_equals_the_hand_written_one(N, p):
    """The adapter serves the sphere geometry: Riemannian gradient, Hessian and HVP to 1e-10."""
    hand = pspin(N, p, rng=3)
    S, scale = jnp.asarray(hand.S), hand._scale

    def u(x):
        T = S
        for _ in range(p):
            T = T @ x
        return scale * T

    auto = jax_landscape(u, N, manifold="sphere", name="pspin-jax")
    rng = np.random.default_rng(4)
    for _ in range(3):
        x = hand.random_point(rng)
        assert auto.value(x) == pytest.approx(hand.value(x), rel=1e-12)
        assert _rel(auto.gradient(x), hand.gradient(x)) < 1e-10
        assert _rel(auto.hessian(x), hand.hessian(x)) < 1e-10
        # HVP in ambient coordinates equals U H Uᵀ v for a tangent v
        U = hand.tangent_basis(x)
        v = U @ rng.standard_normal(N - 1)
        assert _rel(auto.hvp(x, v), U @ hand.hessian(x) @ (U.T @ v)) < 1e-10
    assert auto.manifold_dim == N - 1


def test_float64_is_used_a_float32_gradient_would_miss_1e_10():
    land = jax_landscape(lambda x: jnp.sum(jnp.exp(x)), 3)
    x = np.array([0.1, 1e-9, -2.0])
    assert _rel(land.gradient(x), np.exp(x)) < 1e-15


def test_starts_come_from_the_modules_random_point_or_the_scale():
    land = jax_landscape(lambda x: jnp.sum(x**2), 4, start_scale=1e-3)
    assert np.max(np.abs(land.random_point(5))) < 1e-2
    np.testing.assert_array_equal(land.random_point(5), land.random_point(5))
    own = jax_landscape(lambda x: jnp.sum(x**2), 4, random_point=lambda rng: np.full(4, 7.0))
    np.testing.assert_array_equal(own.random_point(0), np.full(4, 7.0))
    bad = jax_landscape(lambda x: jnp.sum(x**2), 4, random_point=lambda rng: np.zeros(3))
    with pytest.raises(ValueError, match="shape"):
        bad.random_point(0)


@pytest.mark.parametrize("loss, match", [
    (lambda x: x * 2, "must return a scalar"),
    (lambda x: x @ jnp.ones(99), "failed on a float64 array of shape"),
    (3.0, "must be callable"),
])
def test_bad_losses_are_one_line_errors(loss, match):
    with pytest.raises(ValueError, match=match) as info:
        jax_landscape(loss, 4)
    assert "\n" not in str(info.value)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="manifold"):
        jax_landscape(lambda x: x @ x, 3, manifold="torus")
    with pytest.raises(ValueError, match="start_scale"):
        jax_landscape(lambda x: x @ x, 3, start_scale=0)
    land = jax_landscape(lambda x: x @ x, 3)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        land.gradient(np.zeros(4))


def test_missing_jax_is_a_one_line_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)
    with pytest.raises(ValueError, match=r"pip install 'saddlesim\[jax\]'"):
        import_jax()


def test_it_is_a_landscape_the_finder_can_use():
    from saddlesim.landscapes.user import check_landscape

    check_landscape(jax_landscape(lambda x: x @ x, 3), "test")
    check_landscape(jax_landscape(lambda x: x @ x, 3, manifold="sphere"), "test")


def test_process_pools_spawn_instead_of_fork_once_jax_is_loaded():
    """JAX is multithreaded: forking after it started can hang a run (the pool then spawns)."""
    from saddlesim.runtime.parallel import _pool_context

    assert "jax" in sys.modules
    assert _pool_context().get_start_method() == "spawn"


def _square(v):
    return v * v


def test_a_pool_run_after_jax_finishes_and_matches_serial():
    from saddlesim.runtime.parallel import map_unordered

    jax_landscape(lambda x: x @ x, 2).gradient(np.ones(2))  # JAX threads are running now
    got = dict(map_unordered(_square, range(6), workers=2))
    assert got == {i: i * i for i in range(6)}


def test_autodiff_linear_autoencoder_equals_the_hand_written_one():
    from saddlesim.landscapes.linear_ae import linear_autoencoder

    hand = linear_autoencoder(rng=5)
    X, k, p = jnp.asarray(hand.X), hand.k, hand.width

    def loss(x):
        W1, W2 = x[: p * k].reshape(p, k), x[p * k:].reshape(k, p)
        return jnp.sum((X - X @ W1.T @ W2.T) ** 2) / k

    _assert_same_derivatives(jax_landscape(loss, hand.dim), hand, 6, hvp=False)


def test_autodiff_tanh_network_equals_the_hand_written_one_hvp_included():
    from saddlesim.landscapes.mlp import tanh_mlp

    hand = tanh_mlp(rng=7)
    X, T = jnp.asarray(hand.X), jnp.asarray(hand.T)
    h, d, o, m = hand.h, hand.d, hand.outputs, hand.m
    assert hand.bias

    def loss(x):
        a, b, c = h * d, h * d + h, h * d + h + o * h
        W1, b1 = x[:a].reshape(h, d), x[a:b]
        W2, b2 = x[b:c].reshape(o, h), x[c:]
        return jnp.sum((jnp.tanh(X @ W1.T + b1) @ W2.T + b2 - T) ** 2) / (2 * m * o)

    _assert_same_derivatives(jax_landscape(loss, hand.dim), hand, 8)
