"""Guards on the exact landscape theory: p-spin counts and complexities, autoencoder classes, the summary table.

Closed forms used as oracles (independent of the library's quadrature):

* N = 2 p-spin: H is a stationary Gaussian process on the circle of radius √2 with covariance
  2 cos^p(Δθ), so by Rice's formula its mean number of critical points is 2√(r⁗(0)/(−r″(0)))
  = 2√(3p − 2) (half minima, half maxima), and the density of critical points at height h is
  2π φ(0; 2p) φ(h; 2) E[Z^±], Z ~ N(−p h, 4p(p − 1)) (Z = H″ given H = h, H′ = 0).
* Θ_p(u) on [−E_∞, 0] is ½ ln(p − 1) − (p − 2)u²/(4(p − 1)), and I₁(u) = ∫_x^{−√2} √(t² − 2) dt.
* The k = 3, p = 2 autoencoder table, by hand from Baldi–Hornik.

Each docstring names the smallest bug the test is sure to catch.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.stats import norm

from saddlesim.landscapes.pspin import PSpin
from saddlesim.searches.table import summary_table, theory_mean_counts
from saddlesim.theory.linear_ae import linear_ae_class, linear_ae_class_count, linear_ae_critical_set
from saddlesim.theory.pspin import (
    pspin_complexity,
    pspin_count_density,
    pspin_e_inf,
    pspin_hessian_law,
    pspin_index_complexity,
    pspin_mean_counts,
)


def _rice_density(u, p):
    """(minima, maxima) per unit energy per spin u = H/2 of the N = 2 p-spin, by Rice's formula."""
    h = 2.0 * u
    m, s = -p * h, math.sqrt(4.0 * p * (p - 1))
    plus = m * norm.cdf(m / s) + s * norm.pdf(m / s)
    minus = -m * norm.cdf(-m / s) + s * norm.pdf(m / s)
    base = 2 * math.pi * norm.pdf(0.0, scale=math.sqrt(2.0 * p)) * norm.pdf(h, scale=math.sqrt(2.0))
    return 2 * base * plus, 2 * base * minus  # dh/du = N = 2


@pytest.mark.parametrize("p", [3, 4, 6])
def test_N2_total_count_is_rice_closed_form(p):
    """E Crt_{2,0} = E Crt_{2,1} = √(3p − 2) exactly (Rice on the circle).

    Catches the prefactor's (p − 1)^{N/2} with N − 1, √(2/p) dropped, the weight exp(−(p−2)x²/(2p))
    with a wrong constant, and a prefactor without its 2."""
    np.testing.assert_allclose(pspin_mean_counts(2, p), [math.sqrt(3 * p - 2)] * 2, rtol=1e-10)


@pytest.mark.parametrize("p", [3, 4])
def test_N2_energy_density_and_windows_match_rice(p):
    """The count density in energy at N = 2 equals Rice's height density at u ∈ {−1.2, −0.3, 0, 0.5},
    and the windowed count below u = −0.4 equals its integral.

    Catches dx/du without its factor N (√(p/(2(p−1))) instead of √(Np/(2(p−1)))), a window
    that uses the wrong scale, and minima and maxima swapped."""
    for u in (-1.2, -0.3, 0.0, 0.5):
        np.testing.assert_allclose(pspin_count_density(2, p, u)[0], _rice_density(u, p), rtol=1e-9)
    lo = [integrate.quad(lambda v, i=i: _rice_density(v, p)[i], -np.inf, -0.4, epsabs=1e-13)[0] for i in (0, 1)]
    np.testing.assert_allclose(pspin_mean_counts(2, p, energy=(-np.inf, -0.4)), lo, rtol=1e-8)
    mid = [integrate.quad(lambda v, i=i: _rice_density(v, p)[i], -0.8, 0.3, epsabs=1e-13)[0] for i in (0, 1)]
    np.testing.assert_allclose(pspin_mean_counts(2, p, energy=(-0.8, 0.3)), mid, rtol=1e-8)
    assert pspin_mean_counts(2, p, energy=(0.3, 0.3)).tolist() == [0.0, 0.0]


def _i1(u, p):
    x = u * math.sqrt(p / (2 * (p - 1)))
    return integrate.quad(lambda t: math.sqrt(t * t - 2), x, -math.sqrt(2))[0]


@pytest.mark.parametrize("p", [3, 5])
def test_complexities_on_every_branch(p):
    """Θ_p and Θ_{p,k} by their closed forms on each piece: u > 0, u ∈ (−E_∞, 0), u < −E_∞.

    Catches the quadratic piece of Θ_p switching on at −E_∞ instead of 0 (Θ_p(−1) = ½ ln(p−1)),
    Θ_{p,k} weighting I₁ by k instead of k + 1, and a branch of Θ_{p,k} switching at E_0."""
    base = 0.5 * math.log(p - 1)
    e = pspin_e_inf(p)
    assert pspin_complexity(0.2, p) == pytest.approx(base, rel=1e-14)
    for u in (-0.5 * e, -0.9 * e):
        assert pspin_complexity(u, p) == pytest.approx(base - (p - 2) * u * u / (4 * (p - 1)), rel=1e-12)
        for k in (0, 2):
            assert pspin_index_complexity(u, p, k) == pytest.approx(base - (p - 2) / p, rel=1e-12)
    for u in (-1.01 * e, -1.3 * e):
        quad = base - (p - 2) * u * u / (4 * (p - 1))
        assert pspin_complexity(u, p) == pytest.approx(quad - _i1(u, p), rel=1e-9)
        for k in (0, 2):
            assert pspin_index_complexity(u, p, k) == pytest.approx(quad - (k + 1) * _i1(u, p), rel=1e-9)


@pytest.mark.parametrize("N,p", [(3, 3), (4, 2)])
def test_hessian_law_scale_is_the_landscape_hessian_variance(N, p):
    """The tangent block of Hess H at a fixed σ is linear in J, so its entry variances are sums of
    squared coefficients over unit tensors: diagonal scale², off-diagonal scale²/2 (saddlesim GOE)
    with scale from pspin_hessian_law; the shift is −p·u (the landscape's radial term).

    Catches scale √(p(p−1)/N) (a factor √2) or a shift of the wrong sign."""
    scale, shift = pspin_hessian_law(N, p, 0.7)
    assert shift == pytest.approx(-p * 0.7)
    s = np.random.default_rng(1).standard_normal(N)
    s *= math.sqrt(N) / np.linalg.norm(s)
    U = PSpin(np.zeros((N,) * p)).tangent_basis(s)
    var = np.zeros((N - 1, N - 1))
    for t in itertools.product(range(N), repeat=p):
        E = np.zeros((N,) * p)
        E[t] = 1.0
        var += (N * U.T @ PSpin(E).ehess(s) @ U) ** 2
    np.testing.assert_allclose(np.diag(var), scale**2, rtol=1e-10)
    off = var[~np.eye(N - 1, dtype=bool)]
    np.testing.assert_allclose(off, scale**2 / 2, rtol=1e-10)
    L = PSpin(np.random.default_rng(2).standard_normal((N,) * p))
    radial = N * (U.T @ L.ehess(s) @ U) - N * L.hessian(s)
    np.testing.assert_allclose(radial, -pspin_hessian_law(N, p, L.value(s))[1] * np.eye(N - 1), atol=1e-12)


def test_autoencoder_k3_p2_table_by_hand():
    """Σ = diag(1, 2, 3), p = 2: the 7 classes with (loss, index, nullity, positive) computed by hand,
    e.g. {} → (2, 6, 0, 6), {1} → (5/3, 4, 3, 5), {2, 3} → (1/3, 0, 4, 8).

    Catches the dead-unit term (p − m)(k − m) dropped or off by one, nullity p² for every class,
    the comparison λ_j > λ_i reversed, a loss summed over I instead of its complement, and a class
    count over m < p only."""
    table = {
        (): (2.0, 6, 0, 6), (1,): (5 / 3, 4, 3, 5), (2,): (4 / 3, 3, 3, 6), (3,): (1.0, 2, 3, 7),
        (1, 2): (1.0, 2, 4, 6), (1, 3): (2 / 3, 1, 4, 7), (2, 3): (1 / 3, 0, 4, 8),
    }
    df = linear_ae_critical_set(3, 2)
    assert len(df) == linear_ae_class_count(3, 2) == 7
    for r in df.itertuples():
        loss, index, nullity, positive = table[r.subset]
        assert (r.index, r.nullity, r.positive) == (index, nullity, positive), r.subset
        assert r.loss == pytest.approx(loss, rel=1e-14)
    assert linear_ae_class((3, 1), 3, 2, [0.5, 1.0, 4.0]) == {
        "subset": (1, 3), "m": 2, "loss": pytest.approx(1.0 / 3), "index": 1, "nullity": 4, "positive": 7}
    assert linear_ae_class_count(4, 4) == 16 and linear_ae_class_count(5, 1) == 6


def test_autoencoder_exact_hessian_matches_the_landscape_at_a_random_point():
    """linear_ae_hessian (Gram matrix plus A–B coupling) equals the landscape's R-operator Hessian at a
    random point of a k = 3, p = 2 autoencoder with a non-diagonal Σ.

    Catches the coupling's sign or its 2/k, a transposed coupling block, Σ for Σ^{1/2} in the Gram part."""
    from saddlesim.landscapes.linear_ae import LinearAutoencoder
    from saddlesim.theory.linear_ae import linear_ae_hessian

    rng = np.random.default_rng(4)
    X = rng.standard_normal((5, 3))
    L = LinearAutoencoder(X, 2)
    x = rng.standard_normal(L.dim)
    np.testing.assert_allclose(linear_ae_hessian(*L.split(x), X.T @ X), L.hessian(x), atol=1e-11)


def test_autoencoder_representative_for_a_rotated_covariance():
    """With eigenvectors Q (columns) the representative of I has W₂ = [Q_I, 0], W₁ = W₂ᵀ: W₂W₁ is the
    projector onto span Q_I, the point is critical for Σ = Q diag(λ) Qᵀ, and its loss is Σ_{j∉I} λ_j/k.

    Catches rows of Q taken for its columns (invisible with the default identity)."""
    from saddlesim.landscapes.linear_ae import LinearAutoencoder
    from saddlesim.theory.linear_ae import linear_ae_point

    k, p = 4, 2
    Q, _ = np.linalg.qr(np.random.default_rng(6).standard_normal((k, k)))
    lam = np.array([0.5, 1.0, 2.0, 3.5])
    L = LinearAutoencoder(np.diag(np.sqrt(lam)) @ Q.T, p)
    for subset in [(1,), (2, 4), (1, 3)]:
        W1, W2 = linear_ae_point(subset, k, p, Q)
        cols = [i - 1 for i in subset]
        np.testing.assert_allclose(W2 @ W1, Q[:, cols] @ Q[:, cols].T, atol=1e-14)
        x = L.join(W1, W2)
        assert np.abs(L.gradient(x)).max() < 1e-12
        assert L.value(x) == pytest.approx(np.delete(lam, cols).sum() / k, rel=1e-12)


def test_theory_mean_counts_uses_N_equal_to_sphere_dimension_plus_one():
    """The sphere S^{N−1} has dimension N − 1: manifold_dim 3 ↔ N = 4. Non-p-spin losses get NaN.

    Catches N = manifold_dim (the counts of N = 3, and a NaN last index)."""
    np.testing.assert_allclose(theory_mean_counts("pspin", {"p": 3}, 3), pspin_mean_counts(4, 3), rtol=1e-14)
    np.testing.assert_allclose(theory_mean_counts("pspin", {"N": 4, "p": 4}, 3), pspin_mean_counts(4, 4), rtol=1e-14)
    np.testing.assert_allclose(theory_mean_counts("pspin", {}, 3), pspin_mean_counts(4, 3), rtol=1e-14)  # p = 3 default
    assert np.isnan(theory_mean_counts("linear-ae", {}, 5)).all()


def test_summary_table_by_hand():
    """Three instances; index-1 counts per instance 2, 0, 1 (one of them degenerate), index-0 counts
    1, 1, 0 (none degenerate), one maximum (index 2 = manifold_dim) in instance 2: mean 1, std 1
    (ddof = 1), mean_degenerate 1/3 and 0.

    Catches std with ddof = 0, degenerate counted as nullity ≥ 0 (every point), an interval
    clipped above instead of below, no row for index = manifold_dim."""
    pts = pd.DataFrame({"instance": [0, 0, 0, 1, 2, 2], "index": [1, 1, 0, 0, 1, 2],
                        "nullity": [0, 2, 0, 0, 0, 0]})
    s = summary_table(pts, 3, 2)
    assert s["index"].tolist() == [0, 1, 2]
    assert s["mean_count"].tolist() == pytest.approx([2 / 3, 1.0, 1 / 3])
    assert s.loc[1, "std"] == pytest.approx(1.0, rel=1e-14)
    assert s["mean_degenerate"].tolist() == pytest.approx([0.0, 1 / 3, 0.0])
    from scipy import stats

    half = stats.t.ppf(0.975, 2) * 1.0 / math.sqrt(3)
    assert s.loc[1, "mean_count_hi"] == pytest.approx(1.0 + half, rel=1e-12)
    assert s.loc[1, "mean_count_lo"] == 0.0  # 1 − half < 0 is clipped at zero
    assert s["instances"].tolist() == [3, 3, 3]
