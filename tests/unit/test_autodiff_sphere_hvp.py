"""The JAX adapter's Riemannian HVP on the sphere for any ambient vector (landscapes/autodiff.py).

Hess f(x)[v] = P ∇²f P v − (xᵀ∇f / r²) P v, r² = dim: the input is projected
first, so a radial component of v changes nothing, and the output is
tangent. Oracle: the explicit quadratic f(x) = xᵀSx on the sphere, whose
∇f = 2Sx and ∇²f = 2S are written here.

Smallest slips caught: v not projected (a radial part leaks into the
product); the radial term with +, with |x| for r² or without the 1/r²;
the output not projected; the Euclidean Hessian unsymmetrised when the
loss's autodiff Hessian is not symmetric to rounding (compared to 1e-12).
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes.autodiff import import_jax, jax_landscape

jnp = import_jax().numpy


@pytest.fixture(scope="module")
def case():
    rng = np.random.default_rng(0)
    n = 7
    G = rng.standard_normal((n, n))
    S = (G + G.T) / 2
    land = jax_landscape(lambda x, S=jnp.asarray(S): x @ S @ x, n, manifold="sphere")
    return land, S, rng


def test_hvp_is_the_riemannian_formula_for_any_ambient_vector(case):
    land, S, rng = case
    n = S.shape[0]
    for _ in range(3):
        x = land.random_point(rng)
        assert x @ x == pytest.approx(n)
        P = np.eye(n) - np.outer(x, x) / n
        v = rng.standard_normal(n)                          # not tangent
        want = P @ (2 * S) @ (P @ v) - (x @ (2 * S @ x)) / n * (P @ v)
        got = land.hvp(x, v)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        assert abs(x @ got) < 1e-10
        np.testing.assert_allclose(land.hvp(x, v + 3.0 * x), got, rtol=1e-11, atol=1e-11)
        U = land.tangent_basis(x)
        np.testing.assert_allclose(U.T @ got, land.hessian(x) @ (U.T @ v), rtol=1e-11, atol=1e-11)
