"""Real-data classifier landscapes: the data transforms and the loss against independent numpy code."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("jax")

from saddlesim.landscapes.classifier import MLPClassifier, train  # noqa: E402
from saddlesim.landscapes.datasets import load_dataset, principal_variances  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def test_digits_raw_is_pixels_over_16(digits):
    from sklearn.datasets import load_digits

    raw = load_digits()
    assert digits.X.shape == (1797, 64) and digits.n_classes == 10
    np.testing.assert_array_equal(digits.X * 16, raw.data)
    np.testing.assert_array_equal(digits.y, raw.target)


def test_pool4_averages_2x2_blocks(digits):
    pooled = load_dataset("digits", "pool4").X
    img = digits.X[5].reshape(8, 8)
    assert pooled.shape == (1797, 16)
    assert pooled[5, 0] == pytest.approx(img[:2, :2].mean())
    assert pooled[5, 7] == pytest.approx(img[2:4, 6:8].mean())  # row 1, column 3 of the 4x4 image


def test_pca_coordinates_have_the_diagonal_covariance(digits):
    lam, _ = principal_variances(digits.X)
    Z = load_dataset("digits", "pca", 16).X
    C = Z.T @ Z / len(Z)  # ddof 0; Z is centred
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(C, np.diag(lam[:16]), atol=1e-12)
    assert np.all(np.diff(lam) <= 0)
    # the variances are the covariance's, not the second moment's (centring matters)
    assert lam[0] < np.linalg.eigvalsh(digits.X.T @ digits.X / len(Z))[-1] / 2


def test_standardised_features_for_the_other_sets():
    for name in ("iris", "wine", "breast_cancer"):
        X = load_dataset(name).X
        np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(name="mnist"), "unknown data set"),
    (dict(name="digits", inputs="pool2"), "unknown inputs"),
    (dict(name="iris", inputs="pool4"), "digits only"),
    (dict(name="digits", inputs="pca"), "components"),
    (dict(name="digits", inputs="pca", components=65), "1…64"),
    (dict(name="digits", components=3), "only used"),
])
def test_bad_data_requests_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        load_dataset(**kwargs)


def _numpy_loss(model, x):
    """The loss written independently: softmax cross-entropy by hand, numpy."""
    h = model.data.X
    k = 0
    sizes = model.sizes
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        W, c = x[k:k + a * b].reshape(a, b), x[k + a * b:k + (a + 1) * b]
        k += (a + 1) * b
        h = h @ W + c
        if i < len(sizes) - 2:
            h = np.tanh(h)
    z = h - h.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(z)), model.data.y].mean() + 0.5 * model.weight_decay * x @ x


def test_loss_equals_an_independent_numpy_cross_entropy():
    model = MLPClassifier(load_dataset("wine"), hidden=(5, 4), weight_decay=0.01)
    assert model.dim == (13 + 1) * 5 + (5 + 1) * 4 + (4 + 1) * 3
    L = model.landscape()
    rng = np.random.default_rng(3)
    for _ in range(3):
        x = rng.standard_normal(model.dim)
        assert L.value(x) == pytest.approx(_numpy_loss(model, x), rel=1e-12)


def test_logistic_regression_hessian_is_the_closed_form():
    """hidden=(): H = (1/N) Σ_i (diag(p_i) − p_i p_iᵀ) ⊗ x̃_i x̃_iᵀ + wd·I, x̃ = (x, 1)."""
    data = load_dataset("iris")
    model = MLPClassifier(data, hidden=(), weight_decay=0.1)
    x = np.random.default_rng(4).standard_normal(model.dim)
    W, b = x[:12].reshape(4, 3), x[12:]
    z = data.X @ W + b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    # parameter order: W row-major (feature j, class c) then b (class c)
    N = len(z)
    H = np.zeros((15, 15))
    for i in range(N):
        S = np.diag(p[i]) - np.outer(p[i], p[i])
        xt = data.X[i]
        # d z_c / d W_jc = x_j ; d z_c / d b_c = 1
        J = np.zeros((3, 15))
        for c in range(3):
            J[c, [j * 3 + c for j in range(4)]] = xt
            J[c, 12 + c] = 1.0
        H += J.T @ S @ J
    H = H / N + 0.1 * np.eye(15)
    L = model.landscape()
    np.testing.assert_allclose(L.hessian(x), H, rtol=1e-10, atol=1e-12)
    v = np.arange(15.0)
    np.testing.assert_allclose(L.hvp(x, v), H @ v, rtol=1e-10, atol=1e-12)


def test_random_point_is_glorot_with_zero_biases():
    model = MLPClassifier(load_dataset("digits"), hidden=(50,))
    x = model.random_point(0)
    (W1, b1), (W2, b2) = model.unflatten(x)
    assert W1.shape == (64, 50) and W2.shape == (50, 10)
    assert not b1.any() and not b2.any()
    # variance 2/(in+out) to 6σ (sd of a sample variance ≈ var·√(2/count))
    for W, var in ((W1, 2 / 114), (W2, 2 / 60)):
        assert abs(W.var() - var) < 6 * var * np.sqrt(2 / W.size)


def test_training_lowers_the_loss_and_is_reproducible():
    model = MLPClassifier(load_dataset("digits", "pool4"), hidden=(6,))
    run = train(model, 7, steps=300, checkpoints=4)
    assert run.steps.tolist() == [0, 100, 200, 300]
    assert run.points.shape == (4, model.dim)
    assert np.all(np.diff(run.losses) < 0)
    assert run.losses[-1] < 0.6 * run.losses[0]
    L = model.landscape()
    assert L.value(run.points[2]) == pytest.approx(run.losses[2], rel=1e-12)
    again = train(model, 7, steps=300, checkpoints=4)
    np.testing.assert_array_equal(again.points, run.points)
    other = train(model, 8, steps=300, checkpoints=4)
    assert not np.array_equal(other.points[0], run.points[0])


def test_first_adam_step_moves_every_coordinate_by_lr():
    """Bias-corrected Adam's first step is −lr·g/(|g| + ε) per coordinate (Kingma & Ba 2015)."""
    model = MLPClassifier(load_dataset("iris"), hidden=(3,))
    x0 = model.random_point(1)
    x0[model.dim - 3:] = [0.1, -0.2, 0.3]  # nonzero output biases: no zero gradient component
    run = train(model, 1, steps=1, lr=1e-3, checkpoints=2, x0=x0)
    g = model.landscape().gradient(x0)
    np.testing.assert_allclose(run.points[1] - x0, -1e-3 * g / (np.abs(g) + 1e-8), rtol=1e-9, atol=1e-15)


def test_sgd_step_is_the_gradient_step():
    model = MLPClassifier(load_dataset("iris"), hidden=(3,))
    run = train(model, 2, optimizer="sgd", steps=1, lr=0.5, checkpoints=2)
    g = model.landscape().gradient(run.points[0])
    np.testing.assert_allclose(run.points[1], run.points[0] - 0.5 * g, rtol=1e-12, atol=1e-15)
