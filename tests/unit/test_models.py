import numpy as np
import pytest

from saddlesim.models import (
    Model,
    beta_hermite_spectra,
    beta_hermite_tridiagonal,
    goe_matrices,
    gse_matrices,
    gue_matrices,
    haar_orthogonal,
    independent_sign_matrices,
    independent_sign_spectra,
    tridiagonal_to_dense,
)

DENSE = [goe_matrices, gue_matrices, gse_matrices, independent_sign_matrices]


@pytest.mark.parametrize("sampler", DENSE)
@pytest.mark.parametrize("n", [1, 2, 5])
def test_dense_shapes_and_hermitian(sampler, n):
    H = sampler(n, 7, rng=0)
    k = 2 * n if sampler is gse_matrices else n
    assert H.shape == (7, k, k)
    np.testing.assert_allclose(H, np.conj(np.swapaxes(H, 1, 2)), atol=1e-12)


@pytest.mark.parametrize("sampler", DENSE)
def test_same_seed_same_draw_and_size_zero(sampler):
    np.testing.assert_array_equal(sampler(3, 4, rng=5), sampler(3, 4, rng=5))
    assert not np.array_equal(sampler(3, 4, rng=5), sampler(3, 4, rng=6))
    assert sampler(3, 0, rng=1).shape[0] == 0


def _assert_variance(x, var, N):
    """Sample variance of N draws of N(0, var) within 6 sd, sd = var·√(2/N)."""
    assert abs(x.var() - var) < 6 * var * np.sqrt(2.0 / N), (x.var(), var)


def test_goe_entry_variances():
    """Catches a ≥ 5 % error in the diagonal or off-diagonal variance (6σ = 1.9 % at N = 200 000).

    Diagonal N(0, 1), off-diagonal N(0, 1/2): density ∝ exp(-tr H²/2).
    """
    N = 200_000
    H = goe_matrices(3, N, rng=1)
    _assert_variance(H[:, 0, 0], 1.0, N)
    _assert_variance(H[:, 0, 1], 0.5, N)


def test_gue_entry_variances():
    """Catches a ≥ 5 % error in any component's variance (6σ = 1.9 % at N = 200 000)."""
    N = 200_000
    H = gue_matrices(2, N, rng=2)
    _assert_variance(H[:, 0, 0].real, 1.0, N)
    assert np.all(H[:, 0, 0].imag == 0)
    _assert_variance(H[:, 0, 1].real, 0.5, N)
    _assert_variance(H[:, 0, 1].imag, 0.5, N)


def test_gse_kramers_pairs():
    lam = np.linalg.eigvalsh(gse_matrices(4, 50, rng=3))
    np.testing.assert_allclose(lam[:, 0::2], lam[:, 1::2], atol=1e-10)


def test_haar_orthogonal_is_orthogonal_and_unbiased():
    Q = haar_orthogonal(4, 20_000, rng=4)
    np.testing.assert_allclose(Q @ np.swapaxes(Q, 1, 2), np.broadcast_to(np.eye(4), Q.shape), atol=1e-12)
    # Haar: each entry has mean 0 and E Q² = 1/n, E Q⁴ = 3/(n(n+2)); 6σ bands from
    # N = 20 000 draws. Without the sign fix LAPACK's QR makes the diagonal
    # entries negative on average (mean ≈ -0.5 at n = 4, 60σ away).
    N, n = 20_000, 4
    assert abs(Q[:, 0, 0].mean()) < 6 * np.sqrt(1 / (n * N))
    var_q2 = 3 / (n * (n + 2)) - 1 / n**2
    assert abs((Q[:, 1, 1] ** 2).mean() - 1 / n) < 6 * np.sqrt(var_q2 / N)


def test_independent_sign_matrices_have_the_drawn_spectrum():
    rng = np.random.default_rng(5)
    H = independent_sign_matrices(4, 10, rng)
    lam = independent_sign_spectra(4, 10, np.random.default_rng(5))
    np.testing.assert_allclose(np.linalg.eigvalsh(H), np.sort(lam, axis=1), atol=1e-10)


def test_independent_sign_spectra_custom_magnitude_and_checks():
    lam = independent_sign_spectra(3, 1000, rng=6, magnitude=lambda rng, shape: np.ones(shape))
    assert set(np.unique(lam)) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="non-negative"):
        independent_sign_spectra(3, 10, rng=6, magnitude=lambda rng, shape: -np.ones(shape))


def test_tridiagonal_shapes_and_chi_laws():
    d, e = beta_hermite_tridiagonal(4, 200_000, beta=1.0, rng=7)
    assert d.shape == (200_000, 4) and e.shape == (200_000, 3)
    assert np.all(e >= 0)
    # k-th off-diagonal squared is chi^2_{beta(n-k)}/2: mean k'/2 and variance
    # k'/2 with k' = beta(n-k); 6σ bands from N = 200 000 draws (at most 2.7 %
    # of the mean), so reversed or shifted degrees of freedom fail.
    N = 200_000

    def check(b2, dofs):
        dofs = np.asarray(dofs, dtype=float)
        assert np.all(np.abs(b2.mean(axis=0) - dofs / 2) < 6 * np.sqrt(dofs / 2 / N))

    check(e**2, [3.0, 2.0, 1.0])
    d2, e2 = beta_hermite_tridiagonal(3, N, beta=2.5, rng=8)
    check(e2**2, [5.0, 2.5])
    assert abs(d.var() - 1.0) < 6 * np.sqrt(2.0 / d.size)


def test_tridiagonal_n1_and_dense_assembly():
    d, e = beta_hermite_tridiagonal(1, 5, beta=1.0, rng=9)
    assert d.shape == (5, 1) and e.shape == (5, 0)
    T = tridiagonal_to_dense([1.0, 2.0, 3.0], [4.0, 5.0])
    np.testing.assert_array_equal(T[0], [[1, 4, 0], [4, 2, 5], [0, 5, 3]])


def test_beta_spectra_sorted():
    lam = beta_hermite_spectra(5, 10, beta=4.0, rng=10)
    assert lam.shape == (10, 5) and np.all(np.diff(lam, axis=1) >= 0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: goe_matrices(0, 3), "n must be >= 1"),
        (lambda: goe_matrices(2.5, 3), "integer"),
        (lambda: goe_matrices(2, -1), "size must be >= 0"),
        (lambda: beta_hermite_tridiagonal(3, 3, beta=0.0), "beta"),
        (lambda: beta_hermite_tridiagonal(3, 3, beta=-1.0), "beta"),
        (lambda: beta_hermite_tridiagonal(3, 3, beta=float("nan")), "beta"),
        (lambda: Model("wishart"), "unknown model"),
        (lambda: Model("beta"), "positive beta"),
        (lambda: Model("beta", beta=-2), "beta"),
        (lambda: Model("goe", beta=2), "beta=1"),
        (lambda: Model("independent", beta=1), "no beta"),
    ],
)
def test_bad_input_names_the_problem(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_model_fills_in_beta():
    assert Model("GUE").beta == 2.0 and Model("gse").beta == 4.0
    assert Model("beta", beta=0.5) == Model("beta", beta=0.5)
    assert Model("independent").beta is None and not Model("independent").is_gaussian
