"""Lanczos, the certified index and SLQ on explicit matrices whose eigenvalues are known exactly.

Oracles: diagonal matrices rotated by a Haar orthogonal matrix (eigenvalues
chosen), and GOE draws with ``numpy.linalg.eigvalsh``.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature import certified_index, extreme_eigenpairs, matrix_operator, slq, spectrum
from saddlesim.curvature.certify import kw_failure_bound
from saddlesim.curvature.lanczos import LanczosProcess
from saddlesim.curvature.slq import probe_counts, quadrature, rademacher_probes, radau_bounds
from tests.matrices import rotated


def goe(n, seed):
    G = np.random.default_rng(seed).standard_normal((n, n))
    return (G + G.T) / np.sqrt(2 * n)


def spiked(n, negatives, seed, bulk=(0.5, 3.0)):
    """Eigenvalues: the given negatives, the rest uniform in ``bulk`` (a gap around 0)."""
    rng = np.random.default_rng(seed)
    lam = np.concatenate([np.asarray(negatives, float), rng.uniform(*bulk, n - len(negatives))])
    return rotated(lam, seed + 1), np.sort(lam)


# --- Lanczos -----------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1])
def test_lanczos_extremes_match_eigvalsh_goe(seed):
    A = goe(200, seed)
    lam = np.linalg.eigvalsh(A)
    e = extreme_eigenpairs(A, 3, rtol=1e-12, max_steps=200, rng=seed)
    assert e["converged"]
    np.testing.assert_allclose(e["smallest"], lam[:3], rtol=1e-8)
    np.testing.assert_allclose(e["largest"], lam[::-1][:3], rtol=1e-8)


def test_lanczos_extremes_exact_eigenvalues():
    A, lam = spiked(150, [-7.0, -5.0, -4.5], seed=3)
    e = extreme_eigenpairs(A, 2, rtol=1e-12, rng=4)
    np.testing.assert_allclose(e["smallest"], [-7.0, -5.0], rtol=1e-8)
    np.testing.assert_allclose(e["largest"], lam[::-1][:2], rtol=1e-8)


def test_ritz_bound_is_the_true_residual_and_brackets_an_eigenvalue():
    """|β_m e_mᵀ y| equals |A u − θ u| (Parlett Thm 13.2), and some eigenvalue lies within it."""
    A = goe(120, 5)
    lam = np.linalg.eigvalsh(A)
    proc = LanczosProcess(matrix_operator(A), np.random.default_rng(6).standard_normal(120)).extend(25)
    rp = proc.ritz()
    U = rp.vectors(np.arange(proc.m))
    true = np.linalg.norm(U @ A - rp.values[:, None] * U, axis=1)
    np.testing.assert_allclose(rp.bounds, true, rtol=1e-6, atol=1e-12)
    gap = np.min(np.abs(lam[None, :] - rp.values[:, None]), axis=1)
    assert np.all(gap <= rp.bounds * (1 + 1e-8) + 1e-12)
    # interlacing: θ_i ≥ λ_i
    assert np.all(rp.values >= lam[:proc.m] - 1e-12)


def test_lanczos_basis_is_orthonormal():
    A = goe(100, 7)
    proc = LanczosProcess(matrix_operator(A), np.ones(100)).extend(60)
    np.testing.assert_allclose(proc.Q @ proc.Q.T, np.eye(proc.m), atol=1e-12)
    np.testing.assert_allclose(proc.Q @ A @ proc.Q.T, proc.tridiagonal(), atol=1e-12)


# --- certified index ---------------------------------------------------------------

@pytest.mark.parametrize("negatives", [[], [-2.0], [-4.0, -3.0, -2.0, -1.5, -1.0], [-2.0, -2.0, -2.0, -1.0]])
def test_certified_count_equals_dense_count(negatives):
    """Includes a triple eigenvalue (invisible to one Krylov space; found by deflated restarts)."""
    A, lam = spiked(160, negatives, seed=len(negatives) + 10)
    tau = 0.25
    c = certified_index(A, tau, rng=1)
    assert c["status"] == "certified"
    assert c["index"] == int(np.sum(lam < -tau)) == len(negatives)
    assert c["lower"] == c["index"]
    assert c["delta"] <= 1e-6
    np.testing.assert_allclose(np.sort(c["values"]), np.sort(negatives), atol=1e-8)


def test_certified_count_on_a_goe_draw():
    """A GOE whose smallest eigenvalues lie below a threshold near the edge: equals the dense count."""
    A = goe(200, 21)
    lam = np.linalg.eigvalsh(A)
    tau = -(lam[3] + lam[4]) / 2   # between the 4th and 5th smallest: 4 below -tau
    c = certified_index(A, tau, rng=2)
    assert c["status"] == "certified" and c["index"] == 4 == int(np.sum(lam < -tau))


def test_certified_count_declines_and_keeps_a_true_lower_bound():
    """Many eigenvalues below -τ (a GOE, τ small): declines; the interlacing bound is ≤ the truth."""
    A = goe(150, 8)
    lam = np.linalg.eigvalsh(A)
    c = certified_index(A, 0.01, max_count=20, rng=3)
    assert c["index"] is None and c["status"].startswith("unproven")
    assert 0 < c["lower"] <= int(np.sum(lam < -0.01))


def test_threshold_sign_matters():
    """Negative control: eigenvalues in (-τ, 0) count for #{λ < +τ} but not for the index at τ."""
    A, lam = spiked(120, [-3.0, -0.1, -0.05], seed=30)
    assert certified_index(A, 0.5, rng=4)["index"] == 1
    assert int(np.sum(lam < 0.5)) == 3          # the wrong sign would give 3


def test_kw_bound_values():
    """1.648 √n e^{−√ε(2m−1)} (Kuczyński & Woźniakowski 1992, Thm 4.2), capped at 1."""
    assert kw_failure_bound(100, 50, 0.04) == pytest.approx(1.648 * 10 * np.exp(-0.2 * 99), rel=1e-12)
    assert kw_failure_bound(100, 1, 1e-6) == 1.0
    assert kw_failure_bound(100, 10, 0.0) == 1.0


# --- SLQ ---------------------------------------------------------------------------

def test_gauss_quadrature_weights_and_moments():
    """Weights are squared first components: m nodes integrate q^T A^k q exactly for k ≤ 2m − 1."""
    A = goe(80, 9)
    q = np.random.default_rng(10).standard_normal(80)
    q /= np.linalg.norm(q)
    m = 5
    proc = LanczosProcess(matrix_operator(A), q).extend(m)
    t, w = quadrature(proc.alpha, proc.beta[:-1])
    assert w.sum() == pytest.approx(1.0, abs=1e-13)
    Ak_q = q.copy()
    for k in range(2 * m):
        assert np.sum(w * t**k) == pytest.approx(q @ Ak_q, rel=1e-9, abs=1e-12), k
        Ak_q = A @ Ak_q


def test_slq_with_n_steps_is_the_exact_probe_measure():
    """m = n steps: each probe's rule is its spectral measure, nodes = eigenvalues, weights = (u_iᵀ q)².

    Spectrum with wide gaps, so plain Lanczos loses orthogonality within n steps: catches
    reorthogonalisation against too few vectors (ghost nodes, weights split between copies).
    """
    rng = np.random.default_rng(30)
    lam = np.concatenate([[-50.0, -20.0], rng.uniform(-1, 1, 36), [10.0, 40.0]])
    A = rotated(lam, 31)
    w_all, U = np.linalg.eigh(A)
    res = slq(A, probes=3, steps=40, rng=32)
    V = rademacher_probes(40, 3, np.random.default_rng(32))
    for t, w, q in zip(res.nodes, res.weights, V):
        mass = (U.T @ q) ** 2
        keep = mass > 1e-10
        assert t.size == 40
        np.testing.assert_allclose(t, w_all, atol=1e-8)
        np.testing.assert_allclose(w[keep], mass[keep], rtol=1e-6, atol=1e-10)


def test_slq_density_mass_and_mean():
    """Mass exactly n; mean within 6σ of tr/n, σ² = 2(‖A‖_F² − Σ A_ii²)/(P n²) (Hutchinson, Rademacher).

    Smallest error caught: a mean off by 6σ ≈ 0.11 here (e.g. the shift 0.3 lost, weights not summing to one).
    """
    A = goe(100, 11) + 0.3 * np.eye(100)
    P = 60
    res = slq(A, probes=P, steps=30, rng=12)
    nodes, weights = res.density()
    assert weights.sum() == pytest.approx(100, rel=1e-12)
    sigma = np.sqrt(2 * (np.sum(A**2) - np.sum(np.diag(A) ** 2)) / P) / 100
    assert 6 * sigma < 0.2
    assert abs(np.sum(nodes * weights) / 100 - np.trace(A) / 100) <= 6 * sigma


def _one_probe(A, q, m):
    proc = LanczosProcess(matrix_operator(A), q).extend(m)
    return np.asarray(proc.alpha), np.asarray(proc.beta)


def test_radau_rule_matches_2m_moments_and_the_christoffel_function():
    """The rule with a node at x integrates q^T A^k q for k ≤ 2m; its weight at x is 1/Σ_{k≤m} p_k(x)².

    The Christoffel function is computed independently from the three-term recurrence
    β_{k+1} p_{k+1} = (x − α_{k+1}) p_k − β_k p_{k−1}. Catches β_m instead of β_m² in Golub's
    extension (moment 2m wrong) and a weight taken at the wrong node.
    """
    from scipy.linalg import eigh_tridiagonal, solve_banded

    A = goe(60, 21)
    q = np.random.default_rng(22).standard_normal(60)
    q /= np.linalg.norm(q)
    m = 6
    a, b = _one_probe(A, q, m)
    for x in (-1.3, -0.2, 0.05, 0.9):
        low, rho = radau_bounds(a, b, x)
        p = [1.0, (x - a[0]) / b[0]]
        for k in range(1, m):
            p.append(((x - a[k]) * p[k] - b[k - 1] * p[k - 1]) / b[k])
        assert rho == pytest.approx(1.0 / np.sum(np.square(p)), rel=1e-9)
        # the rule itself: rebuild it and check the moments up to 2m
        ab = np.zeros((3, m))
        ab[0, 1:], ab[1], ab[2, :-1] = b[:m - 1], a - x, b[:m - 1]
        d = solve_banded((1, 1), ab, np.r_[np.zeros(m - 1), b[-1] ** 2])
        theta, S = eigh_tridiagonal(np.append(a, x + d[-1]), b)
        w = S[0] ** 2
        assert np.min(np.abs(theta - x)) < 1e-10
        Akq = q.copy()
        for k in range(2 * m + 1):
            assert np.sum(w * theta**k) == pytest.approx(q @ Akq, rel=1e-8, abs=1e-11), k
            Akq = A @ Akq
        assert low == pytest.approx(np.sum(w[theta < x - 1e-10]), abs=1e-12)


def test_radau_bounds_contain_the_probe_mass_and_are_sharper_than_gauss():
    """μ_q((−∞, x)) = Σ_{λ_i < x} (u_iᵀq)² lies in [low, low + ρ] for every x, q; ρ ≤ the Gauss neighbours' weight.

    Negative control: the Gauss estimate alone misses the probe mass at some x (so the bound is needed).
    """
    rng = np.random.default_rng(23)
    lam = np.concatenate([rng.uniform(-0.01, 0.01, 40), rng.uniform(-2, -1, 10), rng.uniform(1, 3, 30)])
    A = rotated(lam, 24)
    U = np.linalg.eigh(A)[1]
    lam_sorted = np.sort(lam)
    missed = 0
    for trial in range(10):
        q = rng.standard_normal(80)
        q /= np.linalg.norm(q)
        a, b = _one_probe(A, q, 8)
        t, w = quadrature(a, b[:-1])
        mass = (U.T @ q) ** 2
        for x in np.linspace(-2.5, 3.5, 41):
            true = float(np.sum(mass[lam_sorted < x]))
            low, rho = radau_bounds(a, b, x)
            assert low - 1e-10 <= true <= low + rho + 1e-10, (trial, x)
            k = int(np.searchsorted(t, x))
            gauss_width = (w[k - 1] if k > 0 else 0.0) + (w[k] if k < t.size else 0.0)
            assert rho <= gauss_width + 1e-12
            missed += abs(float(np.sum(w[t < x])) - true) > 0.02
    assert missed > 0


def test_probe_counts_combine_the_two_ends():
    """[a, b] = F(b) − F(a): lower bound low_b − (low_a + ρ_a), upper low_b + ρ_b − low_a, times n."""
    A = goe(50, 25)
    q = np.random.default_rng(26).standard_normal(50)
    q /= np.linalg.norm(q)
    a, b = _one_probe(A, q, 5)
    t, w = quadrature(a, b[:-1])
    la, ra = radau_bounds(a, b, -0.4)
    lb, rb = radau_bounds(a, b, 0.4)
    est, lo, hi = probe_counts(a, b, t, w, 50, -0.4, 0.4, closed=True)
    assert est == pytest.approx(50 * np.sum(w[(t >= -0.4) & (t <= 0.4)]))
    assert lo == pytest.approx(50 * max(lb - la - ra, 0.0)) and hi == pytest.approx(50 * min(lb + rb - la, 1.0))
    est, lo, hi = probe_counts(a, b, t, w, 50, -np.inf, -0.4, closed=False)
    assert (lo, hi) == pytest.approx((50 * la, 50 * (la + ra)))


def test_interval_covers_a_bulk_straddling_the_threshold():
    """200 eigenvalues in [−0.01, 0.03] around −τ = −0.001: the reported interval covers the count in ≥ 19 of
    20 probe sets and stays far from [0, n]; the probe-noise-only t-interval (Gauss quadrature bias ignored)
    covers in fewer than 10. Catches a bound that drops ρ(x) or that is taken at +τ.
    """
    rng = np.random.default_rng(27)
    lam = np.concatenate([rng.uniform(-0.01, 0.03, 200), rng.uniform(-1, -0.5, 20), rng.uniform(0.5, 4, 80)])
    A = rotated(lam, 28)
    true = int(np.sum(lam < -1e-3))
    hit = hit_probe = 0
    width = []
    for child in np.random.SeedSequence(29).spawn(20):
        b = slq(A, probes=20, steps=20, rng=np.random.default_rng(child)).count_below(-1e-3)
        hit += b["lo"] <= true <= b["hi"]
        hit_probe += b["probe_lo"] <= true <= b["probe_hi"]
        width.append(b["hi"] - b["lo"])
    assert hit >= 19 and hit_probe < 10
    assert np.mean(width) < 150        # n = 300


def test_slq_interval_covers_the_count():
    """Coverage over 20 probe seeds ≥ 90 % for the index and the near-kernel, with intervals narrow enough to matter.

    Spectrum: 8 negatives in [-3, -1], 6 eigenvalues in [-0.1, 0.1], the rest in [0.5, 3];
    τ = 0.3: index 8, near-kernel 6.
    """
    rng = np.random.default_rng(13)
    lam = np.concatenate([rng.uniform(-3, -1, 8), rng.uniform(-0.1, 0.1, 6), rng.uniform(0.5, 3, 86)])
    A = rotated(lam, 14)
    ss = np.random.SeedSequence(15)
    hit_i = hit_n = 0
    width = []
    for child in ss.spawn(20):
        res = slq(A, probes=20, steps=40, rng=np.random.default_rng(child))
        b, z = res.count_below(-0.3), res.count_within(0.3)
        hit_i += b["lo"] <= 8 <= b["hi"]
        hit_n += z["lo"] <= 6 <= z["hi"]
        width.append(b["hi"] - b["lo"])
    assert hit_i >= 18 and hit_n >= 18
    assert np.mean(width) < 8          # a useless interval (e.g. [0, n]) fails


# --- spectrum() ----------------------------------------------------------------------

KEYS = {"n", "method", "tol", "index", "index_lo", "index_hi", "nullity", "nullity_lo", "nullity_hi",
        "lambda_min", "lambda_max", "grad_norm", "hvps", "seconds", "density_nodes", "density_weights"}


def test_spectrum_routes_agree():
    A, lam = spiked(150, [-3.0, -2.0, -1.0], seed=40)
    ex = spectrum(A, method="exact", tol=0.2)
    lz = spectrum(A, method="lanczos", tol=0.2, rng=1)
    both = spectrum(A, method="both", tol=0.2, rng=1)
    auto = spectrum(A, tol=0.2, dense_limit=100, rng=1)
    for r in (ex, lz, both, auto):
        assert KEYS <= set(r)
        assert r["index"] == 3 and r["index_lo"] == 3 and r["index_hi"] == 3
    assert ex["method"] == "exact" and lz["method"] == "lanczos" and auto["method"] == "lanczos"
    assert both["exact_index"] == 3 and ex["hvps"] == 0 and lz["hvps"] > 0
    assert ex["lambda_min"] == pytest.approx(-3.0, rel=1e-12)
    np.testing.assert_allclose(lz["lambda_min"], -3.0, rtol=1e-8)
    assert lz["density_weights"].sum() == pytest.approx(150, rel=1e-12)


def test_spectrum_rejects_bad_input():
    with pytest.raises(ValueError, match="method"):
        spectrum(np.eye(3), method="magic")
    with pytest.raises(ValueError, match="tol"):
        spectrum(np.eye(3), tol=-1.0)
    with pytest.raises(ValueError, match="symmetric"):
        spectrum(np.triu(np.ones((3, 3))))


def test_spectrum_of_a_jax_landscape():
    pytest.importorskip("jax")
    import jax.numpy as jnp

    from saddlesim.landscapes.autodiff import jax_landscape

    # f(x) = Σ c_i x_i² / 2 + (Σ x)⁴ / 4 ... at x = 0 the Hessian is diag(c): index = #{c < -τ}
    c = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0] * 5)
    land = jax_landscape(lambda x: 0.5 * jnp.sum(jnp.asarray(c) * x**2) + jnp.sum(x) ** 4 / 4, c.size)
    x = np.zeros(c.size)
    ex = spectrum(land, x, method="exact", tol=0.1)
    mf = spectrum(land, x, method="lanczos", tol=0.1, rng=2, probes=4, steps=10)
    assert ex["index"] == mf["index"] == 10 and ex["nullity"] == 5
    assert ex["grad_norm"] == 0.0 and mf["hvps"] > 0


def test_counts_use_minus_tau_and_the_closed_band():
    """10 eigenvalues in [-3, -1], 10 in [-0.1, 0.1], τ = 0.3: index 10 (not 15 or 20), near-kernel 10.

    SLQ's point estimate has per-probe variance ≤ 2·count (Rademacher), so 6σ = 6√(20/P) ≈ 3.5
    at P = 60: an estimate of #{λ < +τ} (20) or of #{λ < 0} (≈ 15) is rejected.
    """
    rng = np.random.default_rng(50)
    lam = np.concatenate([rng.uniform(-3, -1, 10), rng.uniform(-0.1, 0.1, 10), rng.uniform(0.5, 3, 80)])
    A = rotated(lam, 51)
    ex = spectrum(A, method="exact", tol=0.3)
    assert (ex["index"], ex["nullity"]) == (10, 10)
    sl = spectrum(A, method="slq", tol=0.3, probes=60, steps=40, rng=52)
    assert abs(sl["index"] - 10) <= 6 * np.sqrt(2 * 10 / 60)
    assert abs(sl["nullity"] - 10) <= 6 * np.sqrt(2 * 10 / 60)
    assert sl["index_lo"] <= 10 <= sl["index_hi"]
