"""Exact small-n index laws, through every sampler and both index routes.

Exact values: GOE n=2, 3 and 4 from the closed forms in the core issue
(e.g. n=2: P(min) = (2-√2)/4); beta=2, 4 at n=2 by integrating
|sin φ|^beta over the wedge u > |v| in polar coordinates of
(u, v) = ((λ1+λ2)/√2, (λ1-λ2)/√2): P(min) = ∫_{-π/4}^{π/4}|sin φ|^β dφ / ∫_0^{2π}|sin φ|^β dφ.
"""

import numpy as np
import pytest
from scipy import stats

from saddlesim.models import Model, goe_matrices
from saddlesim.index.inertia import index_dense
from saddlesim.index.sampling import index_histogram, sample_index
from saddlesim.stats import chisquare_gof
from tests.statistical.helpers import (
    assert_index_law,
    assert_resolves,
    matches_index_law,
    two_sample_max_z,
)

S2 = np.sqrt(2.0)
GOE_MIN = {2: (2 - S2) / 4, 3: 0.25 - S2 / (2 * np.pi)}
GOE_LAW = {
    2: [GOE_MIN[2], 1 - 2 * GOE_MIN[2], GOE_MIN[2]],
    3: [GOE_MIN[3], 0.5 - GOE_MIN[3], 0.5 - GOE_MIN[3], GOE_MIN[3]],
    4: [
        0.25 - S2 / 16 - 1 / (2 * np.pi),
        S2 / 8,
        0.5 - S2 / 8 + 1 / np.pi,
        S2 / 8,
        0.25 - S2 / 16 - 1 / (2 * np.pi),
    ],
}
N2_MIN = {2.0: 0.25 - 1 / (2 * np.pi), 4.0: 0.25 - 2 / (3 * np.pi)}


def test_goe_n4_closed_form_is_a_distribution():
    assert np.isclose(sum(GOE_LAW[4]), 1.0) and min(GOE_LAW[4]) > 0


@pytest.mark.parametrize("n", [2, 3, 4])
def test_goe_index_law_tridiagonal(n):
    """Sure to catch any index probability off by 12σ of its binomial count at N = 2·10⁶: 0.003 absolute
    (2 % relative) in P(min) at n = 2, 5 % at n = 3, 17 % at n = 4; about 0.004 absolute in the middle
    categories. A wrong χ degree of freedom or diagonal variance moves P(min) at n = 2 by far more."""
    N = 2_000_000
    assert_resolves(GOE_LAW[n][0], N)
    index = sample_index("goe", n, N, rng=np.random.SeedSequence(11, spawn_key=(n,)))
    assert_index_law(index, n, GOE_LAW[n])


@pytest.mark.parametrize("n", [2, 3])
def test_goe_index_law_dense(n):
    """Sure to catch (12σ at N = 4·10⁵) an error of 0.0067 absolute (4.6 % relative) in P(min) at n = 2,
    12 % at n = 3, e.g. the doubled off-diagonal variance (P(min) 0.116 instead of 0.146)."""
    N = 400_000
    assert_resolves(GOE_LAW[n][0], N)
    index = sample_index("goe", n, N, rng=np.random.SeedSequence(12, spawn_key=(n,)), method="dense")
    assert_index_law(index, n, GOE_LAW[n])


@pytest.mark.parametrize("beta", [2.0, 4.0])
@pytest.mark.parametrize("method", ["tridiagonal", "dense"])
def test_beta2_beta4_n2_exact(beta, method):
    """Sure to catch (12σ at N = 4·10⁵) a relative error in P(min) of 6 % (β = 2) or 10 % (β = 4),
    e.g. a real-only GUE (P(min) = 0.146 instead of 0.091)."""
    p = N2_MIN[beta]
    N = 400_000
    assert_resolves(p, N)
    model = {2.0: "gue", 4.0: "gse"}[beta]
    index = sample_index(model, 2, N, rng=np.random.SeedSequence(13, spawn_key=(int(beta),)), method=method)
    assert_index_law(index, 2, [p, 1 - 2 * p, p])


def test_general_beta_matches_named_ensemble():
    """Sure to catch (12σ at N = 4·10⁵) a 4.6 % relative error in P(min) of model 'beta' at β = 1, n = 2."""
    # model 'beta' with beta=1 is the GOE law, drawn through the same path
    index = sample_index(Model("beta", beta=1.0), 2, 400_000, rng=14)
    assert_index_law(index, 2, GOE_LAW[2])


@pytest.mark.parametrize("n", [2, 3])
def test_dense_gue_agrees_with_beta2_tridiagonal(n):
    """Two-sample 6σ test, 3·10⁵ draws each: sure to catch a difference of 12√2 σ in any index
    probability between the two routes, about 0.011 absolute in the middle category at n = 2."""
    a = sample_index("gue", n, 300_000, rng=np.random.SeedSequence(15, spawn_key=(n, 0)), method="dense")
    b = sample_index(Model("beta", beta=2.0), n, 300_000, rng=np.random.SeedSequence(15, spawn_key=(n, 1)))
    assert two_sample_max_z(a, b, n) < 6


def test_two_sample_check_has_teeth():
    """Negative control: GOE against GUE at n=2 must be told apart."""
    a = sample_index("goe", 2, 300_000, rng=16)
    b = sample_index("gue", 2, 300_000, rng=17)
    assert two_sample_max_z(a, b, 2) > 6


@pytest.mark.parametrize("n", [1, 2, 5, 12])
@pytest.mark.parametrize("method", ["tridiagonal", "dense"])
def test_independent_sign_model_is_binomial(n, method):
    """Sure to catch (12σ) an index probability off by 0.013 absolute at N = 2·10⁵ (0.022 at 5·10⁴),
    e.g. P(min) at n = 1 or 2 off by 2.7 % or 4.6 %; any degenerate draw fails (expected count 0)."""
    N = 200_000 if method == "tridiagonal" else 50_000
    index = sample_index("independent", n, N, rng=np.random.SeedSequence(18, spawn_key=(n,)), method=method)
    law = stats.binom.pmf(np.arange(n + 1), n, 0.5)
    assert_index_law(index, n, law)
    counts = index_histogram(index, n)
    assert counts[-1] == 0
    assert chisquare_gof(counts[:-1], law) > 1e-6


def test_binomial_gof_rejects_goe():
    """Negative control: the GOE index at n=5 is not Binomial(5, 1/2)."""
    index = sample_index("goe", 5, 50_000, rng=19)
    law = stats.binom.pmf(np.arange(6), 5, 0.5)
    assert chisquare_gof(index_histogram(index, 5)[:-1], law) < 1e-12
    assert not matches_index_law(index, 5, law)


def _iid_upper_triangle(n, size, rng):
    """The classic wrong 'GOE': copy an i.i.d. N(0,1) upper triangle (off-diagonal variance 1, not 1/2)."""
    U = np.triu(rng.standard_normal((size, n, n)))
    return U + np.triu(U, 1).swapaxes(1, 2)


def test_negative_control_iid_upper_triangle_is_rejected():
    rng = np.random.default_rng(20)
    N = 200_000
    index = index_dense(_iid_upper_triangle(2, N, rng))
    p_hat = np.mean(index == 0)
    assert abs(p_hat - 0.1159) < 0.005  # the trap's known value
    assert not matches_index_law(index, 2, GOE_LAW[2])
    # while the real GOE sampler passes the same check with the same budget
    assert matches_index_law(index_dense(goe_matrices(2, N, rng)), 2, GOE_LAW[2])
