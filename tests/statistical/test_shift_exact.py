"""Shifted ensembles and the |det H| weight against exact values (fixed seeds, 6 sigma).

Oracles, all independent of the code under test:

- n = 1, any Gaussian ensemble: H = N(0, 1) + s, P(min) = Phi(s);
- the independent model: P(min) = Phi(s)^n; weighted,
  (E[(X+s)+] / E|X+s|)^n with X ~ N(0, 1), a closed form;
- 2 x 2 GOE: trace and eigenvalue gap are independent (N(0, 2) and density
  (d/2) e^{-d^2/4}), which reduces P(lambda_min > -s) and the |det|-weighted
  P(min) to 1-D integrals done here by scipy quadrature;
- the spherical quadratic form (2-spin): of its 2N critical points (the
  eigenvectors ±v_i) exactly 2 are minima, so P(min) = 1/N, which the
  Kac–Rice weighting must reproduce when the shift is integrated over its law.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate
from scipy.special import log_ndtr
from scipy.stats import norm

from saddlesim.models.spec import Model
from saddlesim.index.shifted import sample_index_shifted
from saddlesim.sweep import make_plan, results_table, sweep_counts
from saddlesim.theory.shifted import model_log_p_min_shifted
from tests.statistical.helpers import NSIGMA, assert_resolves

N = 200_000


def goe2_log_p_min_shifted(shift: float) -> float:
    """ln P(lambda_min > -s) for the 2 x 2 GOE with density ∝ exp(-tr H^2 / 2).

    With u = lambda_1 + lambda_2 and d = lambda_1 - lambda_2 >= 0 the joint
    eigenvalue density ∝ |d| exp(-(lambda_1^2 + lambda_2^2)/2) factorises:
    u ~ N(0, 2) (the trace) independently of d, which has density
    (d/2) exp(-d^2/4). Then lambda_min = (u - d)/2 and

        P(lambda_min > t) = ∫_0^∞ (d/2) e^{-d^2/4} Phi̅((2t + d)/√2) dd.

    At s = 0 this is (2 - √2)/4 (the unshifted value).

    An oracle independent of :func:`saddlesim.theory.exact.log_p_above`
    (Mehta 2004, §3.1 for the joint density).
    """
    t = -float(shift)

    def log_integrand(d):
        with np.errstate(divide="ignore"):
            return np.log(0.5 * d) - 0.25 * d * d + log_ndtr(-(2.0 * t + d) / math.sqrt(2.0))

    # integrate exp(L - L_max) so the result stays finite far in the tail
    grid = np.linspace(1e-6, 12.0 + max(0.0, -2.0 * t), 4001)
    L = log_integrand(grid)
    peak = float(grid[np.argmax(L)])
    top = float(L.max())
    val = 0.0
    for lo, hi in ((0.0, peak), (peak, np.inf)):
        val += integrate.quad(lambda d: np.exp(log_integrand(d) - top), lo, hi,
                              epsabs=0, epsrel=1e-12, limit=200)[0]
    return top + math.log(val)


def test_exact_wall_theory_matches_the_2x2_quadrature_and_phi():
    """The sweep's exact columns at a shift (the wall theory) against independent oracles.

    Catches a wall at +s instead of -s, and the n = 1 / independent-model formulas with Phi(-s).
    """
    for s in (-30.0, -3.0, -1.0, 0.0, 0.5, 2.0):
        assert model_log_p_min_shifted("goe", 2, s) == pytest.approx(goe2_log_p_min_shifted(s), rel=1e-9, abs=1e-11)
    assert math.exp(goe2_log_p_min_shifted(0.0)) == pytest.approx((2 - math.sqrt(2)) / 4, rel=1e-10)
    assert math.exp(model_log_p_min_shifted("gue", 1, 0.7)) == pytest.approx(norm.cdf(0.7))
    assert math.exp(model_log_p_min_shifted("independent", 3, -0.4)) == pytest.approx(norm.cdf(-0.4) ** 3)
    assert math.isnan(model_log_p_min_shifted(Model("beta", 0.5), 3, 0.5))


def _z(k, n, p):
    return (k - n * p) / math.sqrt(n * p * (1 - p))


CASES = [
    ("goe", 2, [-1.0, -0.3, 0.5, 1.2]),
    ("goe", 3, [-0.3, 0.6]),
    ("gue", 3, [0.0, 0.6]),
    ("goe", 5, [1.0, 2.0]),
    ("goe", 1, [-1.5, 0.4]),
    ("gue", 1, [-1.5, 0.4]),
    ("gse", 1, [0.4]),
    ("independent", 3, [-0.5, 0.8]),
    ("independent", 1, [-1.5]),
]


@pytest.mark.parametrize("model,n,shifts", CASES)
def test_p_min_at_shifts_matches_exact(model, n, shifts):
    """Smallest error caught: a shift off by 0.02 at GOE n = 2, s = 0.5 (6 sigma = 0.006 in P)."""
    index, _ = sample_index_shifted(model, n, N, 20261126, shifts=shifts)
    for row, s in zip(index, shifts):
        p = math.exp(model_log_p_min_shifted(model, n, s))
        assert_resolves(p, N)
        z = _z(np.count_nonzero(row == 0), N, p)
        assert abs(z) < NSIGMA, (model, n, s, z)


def test_gue_and_goe_agree_at_n1_and_wrong_sign_is_caught():
    """GUE = GOE = N(0, 1) at n = 1; a shift applied with the wrong sign (G - sI) is > 6 sigma off."""
    for model in ("goe", "gue"):
        index, _ = sample_index_shifted(model, 1, N, 7, shifts=[0.3])
        assert abs(_z(np.count_nonzero(index[0] == 0), N, norm.cdf(0.3))) < NSIGMA
        assert abs(_z(np.count_nonzero(index[0] == 0), N, norm.cdf(-0.3))) > NSIGMA
    # negative control at n = 2: counts of G - sI against the exact P(min) of G + sI
    index, _ = sample_index_shifted("goe", 2, N, 8, shifts=[-0.5])
    p = math.exp(model_log_p_min_shifted("goe", 2, 0.5))
    assert abs(_z(np.count_nonzero(index[0] == 0), N, p)) > NSIGMA


def test_tridiagonal_and_dense_agree_at_shifts_n3():
    """Two routes (Sturm counts at -s vs eigenvalues + s) agree on the whole index law at n = 3."""
    from tests.statistical.helpers import two_sample_max_z

    shifts = [-0.8, 0.6]
    for model in ("goe", "gue"):
        a, _ = sample_index_shifted(model, 3, 100_000, 1, shifts=shifts)
        b, _ = sample_index_shifted(model, 3, 100_000, 2, shifts=shifts, method="dense")
        for j in range(len(shifts)):
            assert two_sample_max_z(a[j], b[j], 3) < NSIGMA


# -- the |det H| weight ---------------------------------------------------------------


def _independent_weighted(n, s):
    plus = s * norm.cdf(s) + norm.pdf(s)  # E[(X + s)+]
    absolute = s * (2 * norm.cdf(s) - 1) + 2 * norm.pdf(s)  # E|X + s|
    return (plus / absolute) ** n


def _goe2_weighted(s):
    """E[|det(G+sI)| 1{min}] / E|det(G+sI)| for 2 x 2 GOE, by 1-D quadrature.

    With v = (lambda_1 + lambda_2)/2 + s ~ N(s, 1/2) and h = (lambda_1 - lambda_2)/2,
    density ∝ h e^{-h^2}, independent: det = v^2 - h^2, minimum iff v > h.
    """
    sd = math.sqrt(0.5)

    def tail(mu, h):  # E[(V^2 - h^2) 1{V > h}], V ~ N(mu, sd^2)
        z = (h - mu) / sd
        return (mu * mu + sd * sd - h * h) * norm.sf(z) + sd * (mu + h) * norm.pdf(z)

    def part(f):
        return integrate.quad(lambda h: h * math.exp(-h * h) * f(h), 0, np.inf, epsrel=1e-11)[0]

    a_min = part(lambda h: tail(s, h))
    a_max = part(lambda h: tail(-s, h))
    # E(V^2 - h^2) = a_min + a_max - a_saddle
    a_all = part(lambda h: s * s + sd * sd - h * h)
    a_saddle = a_min + a_max - a_all
    return a_min / (a_min + a_max + a_saddle)


def test_weighted_p_min_matches_closed_forms_through_the_sweep_tables():
    """Smallest error caught: a weight |det|^(1+-0.1) or a dropped weight (>> 6 se at these N).

    Goes through the sweep (chunks, log-sum tallies, table): w_p_min within
    6 delta-method standard errors of the closed form, and the interval covers it.
    """
    shifts = [-1.0, 0.0, 0.7]
    plan = make_plan(["goe", "independent"], [2], N, entropy=5, shifts=shifts, weight="det",
                     chunk_elements=100_000)
    counts, _ = sweep_counts(plan)
    df = results_table(plan, counts)
    for r in df.itertuples(index=False):
        exact = _goe2_weighted(r.shift) if r.model == "goe" else _independent_weighted(2, r.shift)
        assert abs(r.w_p_min - exact) < NSIGMA * r.w_p_min_se, (r.model, r.shift, r.w_p_min, exact)
        assert NSIGMA * r.w_p_min_se < 0.25 * exact
        assert r.w_p_min_lo < exact < r.w_p_min_hi or abs(r.w_p_min - exact) < 3 * r.w_p_min_se
        # negative control: the unweighted frequency is not the weighted law
        assert abs(r.p_min - exact) > NSIGMA * r.w_p_min_se or r.shift == 0.0 and r.model == "independent"
    # at s = 0 the independent model's weight cancels: 2^-n either way
    assert _independent_weighted(2, 0.0) == pytest.approx(0.25)
    assert _goe2_weighted(0.0) != pytest.approx((2 - math.sqrt(2)) / 4, rel=0.05)


def _integrated_p_min(m, size, sigma2, seed, weighted=True, nodes=40):
    """P(min) over critical points: the shift s ~ N(0, sigma2) integrated by Gauss–Hermite.

    Returns the estimate and its delta-method standard error (per draw, the
    numerator and denominator are sums over the nodes of the same G).
    """
    t, omega = np.polynomial.hermite.hermgauss(nodes)
    shifts = math.sqrt(2.0 * sigma2) * t
    index, logw = sample_index_shifted("goe", m, size, seed, shifts=shifts, weight="det")
    if not weighted:
        logw = np.zeros_like(logw)
    # per-draw sums over nodes, scaled by a common factor so nothing overflows
    logw = logw + np.log(omega)[:, None]
    top = logw.max()
    w = np.exp(logw - top)
    a = (w * (index == 0)).sum(axis=0)
    b = w.sum(axis=0)
    p = a.sum() / b.sum()
    se = math.sqrt(((a - p * b) ** 2).sum()) / b.sum()
    return p, se


@pytest.mark.parametrize("m", [2, 3])
def test_kac_rice_weight_reproduces_the_2_spin_p_min(m):
    """Spherical 2-spin in N = m + 1 dimensions: P(min) = 1/N exactly (2 of the 2N critical points).

    At a critical point of energy u the Riemannian Hessian of the pure p-spin is
    sqrt(2p(p-1)) G - p u I with G an m x m GOE independent of u ~ N(0, 1)
    (Auffinger, Ben Arous & Černý 2013), i.e. c (G + sI) with s ~ N(0, p/(2(p-1))):
    for p = 2, s ~ N(0, 1). Kac–Rice weights each point by |det|.
    Smallest error caught: a dropped weight or the p = 3 energy law (both > 6 se off).
    """
    p, se = _integrated_p_min(m, 60_000, 1.0, 11 + m)
    exact = 1.0 / (m + 1)
    assert abs(p - exact) < NSIGMA * se, (p, exact, se)
    assert NSIGMA * se < 0.05 * exact
    # negative controls: no weight, or the energy law of the 3-spin
    p_unweighted, _ = _integrated_p_min(m, 60_000, 1.0, 11 + m, weighted=False)
    assert abs(p_unweighted - exact) > NSIGMA * se
    p3, _ = _integrated_p_min(m, 60_000, 0.75, 11 + m)
    assert abs(p3 - exact) > NSIGMA * se


@pytest.mark.parametrize("N", [3, 4])
def test_kac_rice_weight_reproduces_the_exact_3_spin_p_min(N):
    """Spherical 3-spin: the |det|-weighted shifted GOE integrated over s ~ N(0, 3/4)
    reproduces the exact finite-N P(min) of Auffinger–Ben Arous–Černý
    (:func:`saddlesim.theory.pspin.pspin_p_min`, an independent route through the
    density of the smallest eigenvalue of an N x N GOE).
    Smallest error caught: the energy law of the 2-spin (s ~ N(0, 1)) instead, or no weight.
    """
    from saddlesim.theory.pspin import pspin_p_min

    m = N - 1
    sigma2 = 3 / (2 * (3 - 1))
    p, se = _integrated_p_min(m, 60_000, sigma2, 100 + N)
    exact = pspin_p_min(N, 3)
    assert abs(p - exact) < NSIGMA * se, (p, exact, se)
    assert NSIGMA * se < 0.05 * exact
    p2, _ = _integrated_p_min(m, 60_000, 1.0, 100 + N)
    assert abs(p2 - exact) > NSIGMA * se
    p_unweighted, _ = _integrated_p_min(m, 60_000, sigma2, 100 + N, weighted=False)
    assert abs(p_unweighted - exact) > NSIGMA * se
