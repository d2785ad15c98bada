import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saddlesim.landscapes import Landscape, PSpin, make_landscape, pspin
from tests.unit.landscape_checks import fd_riemannian

sizes = st.sampled_from([(2, 2), (3, 3), (5, 3), (4, 4), (6, 2), (3, 5)])


@settings(max_examples=15)
@given(sizes, st.integers(0, 2**32 - 1))
def test_euclidean_derivatives_match_finite_differences(Np, seed):
    """egrad/ehess against central differences of value/egrad: catches any dropped factor p, p−1
    or a wrong contraction (relative error ≫ 1e-6 for any such bug)."""
    N, p = Np
    rng = np.random.default_rng(seed)
    L = pspin(N, p, rng=rng)
    x = L.random_point(rng)
    E = np.eye(N)
    h = 1e-5
    g = np.array([(L.value(x + h * e) - L.value(x - h * e)) / (2 * h) for e in E])
    H = np.array([(L.egrad(x + h * e) - L.egrad(x - h * e)) / (2 * h) for e in E])
    assert np.allclose(L.egrad(x), g, rtol=1e-6, atol=1e-7 * np.abs(g).max())
    assert np.allclose(L.ehess(x), H, rtol=1e-6, atol=1e-7 * np.abs(H).max())


@settings(max_examples=15)
@given(sizes, st.integers(0, 2**32 - 1))
def test_riemannian_derivatives_match_differences_along_the_sphere(Np, seed):
    """Riemannian gradient and Hessian against differences of f along the retraction: catches a wrong
    radial term (its sign or the p in Euler's x·∇u = p·u) and a non-tangent gradient."""
    N, p = Np
    rng = np.random.default_rng(seed)
    L = pspin(N, p, rng=rng)
    x = L.random_point(rng)
    U, g, H = fd_riemannian(L, x)
    grad = L.gradient(x)
    assert abs(x @ grad) < 1e-10 * np.sqrt(N) * (np.abs(grad).max() + 1)
    scale = np.abs(L.hessian(x)).max() + np.abs(grad).max()
    assert np.allclose(U.T @ grad, g, atol=1e-7 * scale)
    assert np.allclose(L.hessian(x), H, atol=1e-5 * scale)
    assert np.allclose(np.linalg.norm(L.retract(x, rng.standard_normal(N))) ** 2, N)


def test_euler_identity_sets_the_radial_shift():
    """x·∇u = p·u for the degree-p homogeneous u: catches a wrong p or power of N in egrad."""
    for N, p in [(4, 2), (5, 3), (3, 4)]:
        L = pspin(N, p, rng=N * 10 + p)
        x = L.random_point(np.random.default_rng(0))
        assert np.isclose(x @ L.egrad(x), p * L.value(x), rtol=1e-12)
        assert np.isclose(x @ L.ehess(x) @ x, p * (p - 1) * L.value(x), rtol=1e-12)


@pytest.mark.parametrize("N,p", [(3, 2), (3, 3), (2, 4)])
def test_normalisation_gives_the_abc_covariance(N, p):
    """H is linear in J; with J running over unit tensors the coefficients a_t(σ) satisfy
    Σ_t a_t(σ) a_t(σ') = E[H(σ)H(σ')] = N (σ·σ'/N)^p exactly (all ordered tuples, i.i.d. N(0,1)).
    Catches a wrong power of N in the normalisation and a sum over i₁<…<i_p only."""
    rng = np.random.default_rng(5)
    s1, s2 = (v * np.sqrt(N) / np.linalg.norm(v) for v in rng.standard_normal((2, N)))
    a1, a2 = [], []
    for t in itertools.product(range(N), repeat=p):
        E = np.zeros((N,) * p)
        E[t] = 1.0
        L = PSpin(E)
        a1.append(L.hamiltonian(s1))
        a2.append(L.hamiltonian(s2))
    a1, a2 = np.array(a1), np.array(a2)
    assert np.isclose(a1 @ a1, N, rtol=1e-12)
    assert np.isclose(a1 @ a2, N * (s1 @ s2 / N) ** p, rtol=1e-10, atol=1e-12)


def test_factory_draws_unit_variance_couplings():
    """Var H(σ) over instances is N (ABC normalisation) within 6σ of its sampling error
    (relative 6·√(2/n) ≈ 13 % at n = 4000): catches couplings with the wrong variance, a factory
    that draws symmetric J (variance larger by up to p!) or only sorted tuples."""
    N, p, n = 3, 3, 4000
    root = np.random.SeedSequence(11)
    sigma = np.array([1.0, 1.0, 1.0])  # |σ|² = N
    H = np.array([pspin(N, p, rng=s).hamiltonian(sigma) for s in root.spawn(n)])
    tol = 6 * N * np.sqrt(2 / n)
    assert abs(np.mean(H**2) - N) < tol
    assert abs(np.mean(H**2) - 2 * N) > tol  # negative control: the test separates a factor 2


def test_p2_critical_points_are_the_scaled_eigenvectors_with_known_hessian():
    """p = 2: ±√N v_k are critical, with u = μ_k/√N, index k and Hessian eigenvalues
    2(μ_j − μ_k)/N^{3/2}: catches a wrong Hessian scale or radial term exactly."""
    N = 6
    L = pspin(N, 2, rng=3)
    mu, V = np.linalg.eigh((L.S + L.S.T) / 2)
    assert np.allclose(L.S, L.S.T)
    for k in range(N):
        for s in (1, -1):
            x = s * np.sqrt(N) * V[:, k]
            assert np.linalg.norm(L.gradient(x)) < 1e-12
            assert np.isclose(L.value(x), mu[k] / np.sqrt(N), rtol=1e-12)
            ev = np.linalg.eigvalsh(L.hessian(x))
            assert np.allclose(ev, np.sort(2 * (np.delete(mu, k) - mu[k]) / N**1.5), atol=1e-13)
            assert np.count_nonzero(ev < 0) == k
    # a non-eigenvector is not critical
    assert np.linalg.norm(L.gradient(np.sqrt(N / 2) * (V[:, 0] + V[:, 1]))) > 1e-3


def test_sign_convention_and_odd_p():
    """σ and −σ are distinct points (canonical is the identity); for odd p, u(−σ) = −u(σ)."""
    L = pspin(5, 3, rng=1)
    x = L.random_point(np.random.default_rng(2))
    assert np.isclose(L.value(-x), -L.value(x))
    assert not np.allclose(L.canonical(x), L.canonical(-x))
    assert L.manifold_dim == 4 and L.hessian(x).shape == (4, 4)


def test_instances_are_pure_functions_of_rng():
    a = make_landscape("pspin", 7, N=4, p=3)
    b = make_landscape("pspin", np.random.default_rng(7), N=4, p=3)
    c = make_landscape("pspin", 8, N=4, p=3)
    assert isinstance(a, Landscape)
    assert np.array_equal(a.S, b.S) and not np.allclose(a.S, c.S)
    assert a.params == {"N": 4, "p": 3} and a.name == "pspin" and a.convention


@pytest.mark.parametrize(
    "params,msg",
    [({"N": 1, "p": 3}, "N must be >= 2"), ({"N": 4, "p": 1}, "p must be >= 2"), ({"N": 4.0, "p": 3}, "N must be an integer"),
     ({"N": True, "p": 3}, "N must be an integer"), ({"N": 1000, "p": 3}, "at most"), ({"N": 4, "q": 3}, "unknown parameter")],
)
def test_bad_parameters_are_one_line_errors(params, msg):
    with pytest.raises(ValueError, match=msg) as exc:
        make_landscape("pspin", 0, **params)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("N,p", [(3, 3), (4, 2), (3, 4)])
def test_hessian_scale_is_the_documented_goe(N, p):
    """The docstring's Hess H = √(p(p−1)/N)·G − p·u·I with G off-diagonal variance 1, diagonal 2,
    checked exactly: the tangent Euclidean Hessian of H is linear in J, so its variance is the sum of
    squared coefficients over unit tensors. Catches any wrong power of N in the Hessian scale."""
    rng = np.random.default_rng(9)
    s = rng.standard_normal(N)
    s *= np.sqrt(N) / np.linalg.norm(s)
    U = PSpin(np.zeros((N,) * p)).tangent_basis(s)
    coef = []
    for t in itertools.product(range(N), repeat=p):
        E = np.zeros((N,) * p)
        E[t] = 1.0
        L = PSpin(E)
        coef.append(N * U.T @ L.ehess(s) @ U)  # Hessian of H = N·u, tangent block
    coef = np.array(coef)
    var = np.sum(coef**2, axis=0)
    expected = p * (p - 1) / N * (np.ones((N - 1, N - 1)) + np.eye(N - 1))
    assert np.allclose(var, expected, rtol=1e-10)
    # and the Riemannian Hessian is that block minus p·u·I, for any couplings
    L = pspin(N, p, rng=3)
    assert np.allclose(N * L.hessian(s), N * U.T @ L.ehess(s) @ U - p * L.value(s) * np.eye(N - 1), atol=1e-12)
