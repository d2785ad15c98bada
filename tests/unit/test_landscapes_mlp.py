import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saddlesim.landscapes import Landscape, TanhMLP, make_landscape, tanh_mlp
from tests.unit.landscape_checks import fd_euclidean

configs = st.fixed_dictionaries(
    {
        "d": st.integers(1, 3),
        "h": st.integers(1, 3),
        "m": st.integers(1, 6),
        "outputs": st.integers(1, 2),
        "bias": st.booleans(),
        "noise": st.sampled_from([0.0, 0.3]),
    }
)


@settings(max_examples=25)
@given(configs, st.integers(0, 2**32 - 1))
def test_gradient_and_hessian_match_finite_differences(cfg, seed):
    """Backprop and R-operator Hessian against central differences (relative 1e-6): catches a wrong
    h′ = 1 − tanh², a dropped bias gradient 1ᵀ∂L/∂Y, or a missing residual (−2 tanh · R{Z}) term."""
    L = tanh_mlp(**cfg, rng=seed)
    rng = np.random.default_rng(seed)
    x = L.random_point(rng) + 0.5 * rng.standard_normal(L.dim)  # nonzero biases too
    g, H = fd_euclidean(L, x)
    assert np.allclose(L.gradient(x), g, atol=1e-6 * (np.abs(g).max() + 1e-3))
    assert np.allclose(L.hessian(x), H, atol=1e-6 * (np.abs(H).max() + 1e-3))


def test_value_is_half_mean_squared_error_and_phi():
    """L = ‖Y − T‖²/(2 m o) with Y computed independently here; φ = params/(m·o)."""
    L = tanh_mlp(d=3, h=2, m=5, outputs=2, rng=1)
    x = np.random.default_rng(2).standard_normal(L.dim)
    W1 = x[:6].reshape(2, 3)
    b1 = x[6:8]
    W2 = x[8:12].reshape(2, 2)
    b2 = x[12:14]
    Y = np.tanh(L.X @ W1.T + b1) @ W2.T + b2
    assert np.isclose(L.value(x), np.sum((Y - L.T) ** 2) / (2 * 5 * 2), rtol=1e-12)
    assert L.dim == 14 and np.isclose(L.phi, 14 / 10)
    assert tanh_mlp(d=3, h=2, m=5, outputs=2, bias=False, rng=1).dim == 10


def test_teacher_is_a_global_minimum():
    """Without noise the teacher point has L = 0, ∇L = 0 and a positive semidefinite Hessian
    (pure Gauss–Newton JᵀJ/(m o)); with noise its gradient is not zero (negative control)."""
    L = tanh_mlp(d=3, h=3, m=20, rng=7)
    assert L.value(L.teacher) < 1e-28
    assert np.linalg.norm(L.gradient(L.teacher)) < 1e-14
    assert np.linalg.eigvalsh(L.hessian(L.teacher)).min() > -1e-12
    noisy = tanh_mlp(d=3, h=3, m=20, noise=0.5, rng=7)
    assert np.array_equal(noisy.X, L.X)  # noise is drawn last: same inputs and teacher
    assert np.linalg.norm(noisy.gradient(noisy.teacher)) > 1e-3


def _flip_and_permute(L, x, signs, perm):
    W1, b1, W2, b2 = L.split(x)
    s = np.asarray(signs, float)
    return L.join((s[:, None] * W1)[perm], (s * b1)[perm], (W2 * s)[:, perm], b2)


@pytest.mark.parametrize("bias", [True, False])
def test_sign_flip_and_permutation_symmetry(bias):
    """Loss invariant under hidden-unit sign flips and permutations, canonical() equal across the
    class (so a finder counts it once), and different for a point outside it."""
    L = tanh_mlp(d=2, h=4, m=10, outputs=2, bias=bias, rng=3)
    rng = np.random.default_rng(0)
    x = rng.standard_normal(L.dim)
    c = L.canonical(x)
    assert np.isclose(L.value(c), L.value(x), rtol=1e-12)
    for _ in range(10):
        y = _flip_and_permute(L, x, rng.choice([-1, 1], 4), rng.permutation(4))
        assert np.isclose(L.value(y), L.value(x), rtol=1e-12)
        assert np.allclose(L.canonical(y), c, atol=1e-14)
    # flipping only the outgoing weight is not a symmetry
    W1, b1, W2, b2 = L.split(x)
    W2b = W2.copy()
    W2b[:, 0] *= -1
    z = L.join(W1, b1, W2b, b2)
    assert not np.allclose(L.canonical(z), c, atol=1e-3)
    assert np.allclose(L.canonical(c), c)
    # the documented representative: each unit's largest-|·| entry positive, units sorted
    W1, b1, W2, b2 = L.split(c)
    units = np.column_stack([W1, b1, W2.T]) if bias else np.column_stack([W1, W2.T])
    assert np.all(units[np.arange(4), np.argmax(np.abs(units), axis=1)] > 0)
    assert np.all(np.diff(units[:, 0]) >= 0)


def test_registry_and_errors():
    L = make_landscape("mlp", 3, d=2, h=3, m=8)
    assert isinstance(L, Landscape) and isinstance(L, TanhMLP) and L.name == "mlp"
    assert L.params["d"] == 2 and L.params["m"] == 8 and L.convention
    M = make_landscape("mlp", 3, d=2, h=3, m=8)
    assert np.array_equal(L.X, M.X) and np.array_equal(L.T, M.T)
    for params, msg in [
        ({"d": 0}, "d must be >= 1"),
        ({"h": 2.5}, "h must be an integer"),
        ({"noise": -1}, "noise must be"),
        ({"width": 3}, "unknown parameter"),
    ]:
        with pytest.raises(ValueError, match=msg) as exc:
            make_landscape("mlp", 0, **params)
        assert "\n" not in str(exc.value)
