import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saddlesim.landscapes import Landscape, linear_autoencoder, make_landscape
from tests.unit.landscape_checks import fd_euclidean

shapes = st.sampled_from([(1, 1), (3, 1), (4, 2), (5, 3), (3, 3)])
sigmas = st.sampled_from(["diag", "sample", "list"])


def _build(k, width, sigma, seed):
    if sigma == "list":
        sigma = list(np.random.default_rng(seed).uniform(0.5, 3.0, size=k))
    return linear_autoencoder(k, width, sigma=sigma, rng=seed)


@settings(max_examples=20)
@given(shapes, sigmas, st.integers(0, 2**32 - 1))
def test_gradient_and_hessian_match_finite_differences(shape, sigma, seed):
    """Backprop gradient and R-operator Hessian against central differences (relative 1e-6):
    catches a transposed module formula, a dropped 2/k, or a missing cross term in the R-op."""
    k, width = shape
    L = _build(k, width, sigma, seed)
    x = L.random_point(np.random.default_rng(seed))
    g, H = fd_euclidean(L, x)
    assert np.allclose(L.gradient(x), g, atol=1e-6 * (np.abs(g).max() + 1e-3))
    assert np.allclose(L.hessian(x), H, atol=1e-6 * np.abs(H).max())
    v = np.random.default_rng(seed + 1).standard_normal(L.dim)
    assert np.allclose(L.hvp(x, v), L.hessian(x) @ v, atol=1e-10 * np.abs(H).max() * np.abs(v).sum())


def test_value_is_the_trace_formula():
    """L = (1/k) tr[(I − W₂W₁) Σ (I − W₂W₁)ᵀ] at a random point, for a non-diagonal Σ:
    catches a missing 1/k or Σ^{1/2} used as Σ."""
    L = linear_autoencoder(4, 2, sigma="sample", samples=9, rng=3)
    x = L.random_point(np.random.default_rng(0))
    W1, W2 = L.split(x)
    R = np.eye(4) - W2 @ W1
    assert np.isclose(L.value(x), np.trace(R @ L.sigma @ R.T) / 4, rtol=1e-12)
    D = np.random.default_rng(3).standard_normal((9, 4)) * np.sqrt(np.arange(1.0, 5))
    assert np.allclose(L.sigma, D.T @ D / 9)  # documented: Σ = DᵀD/m, rows N(0, diag(1..k))


def _projector_point(L, I):
    """W₁ = E_Iᵀ (rows e_i, zero-padded to p rows), W₂ = E_I: W₂W₁ is the projector onto I."""
    W1 = np.zeros((L.width, L.k))
    W2 = np.zeros((L.k, L.width))
    for r, i in enumerate(I):
        W1[r, i] = W2[i, r] = 1.0
    return L.join(W1, W2)


def test_every_baldi_hornik_critical_point_has_exact_loss_index_and_gauge_nullity():
    """k = 5, p = 3, Σ = diag(1..5): for every subset I (|I| ≤ p) the projector point is critical
    with L = Σ_{j∉I} λ_j / k and index Σ_{i∈I} #{j∉I: λ_j > λ_i} + (p − m)(k − m); at |I| = p the
    nullity is p² (the GL(p) gauge). Catches any error in the Hessian that moves an eigenvalue across 0."""
    k, p = 5, 3
    L = linear_autoencoder(k, p)
    lam = np.arange(1.0, k + 1)
    seen = set()
    for m in range(p + 1):
        for I in itertools.combinations(range(k), m):
            x = _projector_point(L, I)
            out = [j for j in range(k) if j not in I]
            assert np.linalg.norm(L.gradient(x)) < 1e-12
            assert np.isclose(L.value(x), lam[out].sum() / k, rtol=1e-12)
            ev = np.linalg.eigvalsh(L.hessian(x))
            index = sum(int(lam[j] > lam[i]) for i in I for j in out) + (p - m) * (k - m)
            assert np.count_nonzero(ev < -1e-9) == index
            if m == p:
                assert np.count_nonzero(np.abs(ev) <= 1e-9) == p * p
            seen.add(tuple(np.round(L.canonical(x), 12)))
    assert len(seen) == sum(len(list(itertools.combinations(range(k), m))) for m in range(p + 1))


def test_gauge_invariance_and_canonical_form():
    """W₁ ↦ CW₁, W₂ ↦ W₂C⁻¹ leaves the loss and canonical() unchanged; a point outside the class
    (scaling W₂ alone) changes canonical(), so the check can fail."""
    L = linear_autoencoder(5, 3)
    rng = np.random.default_rng(4)
    x = L.random_point(rng)
    W1, W2 = L.split(x)
    C = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    y = L.join(C @ W1, W2 @ np.linalg.inv(C))
    assert np.isclose(L.value(y), L.value(x), rtol=1e-10)
    assert np.allclose(L.canonical(y), L.canonical(x), atol=1e-10)
    assert not np.allclose(L.canonical(L.join(W1, 2 * W2)), L.canonical(x), atol=1e-3)
    # the gauge directions are zero modes of the Hessian at a critical point
    xc = _projector_point(L, (1, 3, 4))
    W1c, W2c = L.split(xc)
    A = rng.standard_normal((3, 3))
    gauge = L.join(A @ W1c, -W2c @ A)
    assert np.allclose(L.hessian(xc) @ gauge, 0, atol=1e-12)


def test_registry_and_errors():
    L = make_landscape("linear-ae", 0, k=4, width=2)
    assert isinstance(L, Landscape) and L.dim == 16 and L.name == "linear-ae"
    assert L.params == {"k": 4, "width": 2, "sigma": "diag"}
    assert np.allclose(L.sigma, np.diag([1.0, 2, 3, 4]))
    a = make_landscape("linear-ae", 5, k=3, width=1, sigma="sample")
    b = make_landscape("linear-ae", 5, k=3, width=1, sigma="sample")
    assert np.array_equal(a.sigma, b.sigma) and a.params["samples"] == 30
    for params, msg in [
        ({"k": 3, "width": 4}, "width must be <= k"),
        ({"k": 0, "width": 1}, "k must be >= 1"),
        ({"k": 3, "width": 1, "sigma": "full"}, "sigma must be"),
        ({"k": 3, "width": 1, "sigma": [1, 2]}, "k = 3 finite positive"),
        ({"k": 3, "width": 1, "sigma": [1, -2, 3]}, "finite positive"),
        ({"k": 3, "width": 1, "samples": 5}, "only used with sigma='sample'"),
        ({"k": 3, "width": 1, "sigma": "sample", "samples": 2}, "samples must be >= 3"),
    ]:
        with pytest.raises(ValueError, match=msg) as exc:
            make_landscape("linear-ae", 0, **params)
        assert "\n" not in str(exc.value)
