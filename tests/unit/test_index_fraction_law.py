"""Pennington–Bahri's α = c·(ε − ε_c)^{3/2} fitted to (loss, index fraction) pairs.

Smallest slips caught: a wrong exponent in the law (exact data no longer fit to 1e-8), the
threshold on the wrong side (α ≠ 0 below ε_c), a fit that cannot tell a linear law from the
3/2 law (AIC on noisy synthetic data, both ways), standard errors off by a factor √dof
(coverage of ε_c over 40 synthetic data sets).
"""

import numpy as np
import pytest

from saddlesim.theory.index_fraction_law import fit_index_law, index_fraction_law


def test_law_is_zero_below_the_threshold_and_a_three_halves_power_above():
    eps = np.array([0.5, 1.0, 1.25, 2.0])
    np.testing.assert_allclose(index_fraction_law(eps, 0.2, 1.0), [0.0, 0.0, 0.2 * 0.25 ** 1.5, 0.2], rtol=1e-15)


def test_exact_points_are_recovered():
    eps = np.linspace(0.3, 2.3, 25)
    a = index_fraction_law(eps, 0.17, 0.4)
    f = fit_index_law(eps, a)
    assert f["c"] == pytest.approx(0.17, rel=1e-6) and f["eps_c"] == pytest.approx(0.4, abs=1e-6)
    assert f["rss"] < 1e-16
    free = fit_index_law(eps, a, exponent=None)
    assert free["exponent"] == pytest.approx(1.5, rel=1e-4)


def _noisy(law_exponent, rng, m=60, sd=0.01):
    eps = rng.uniform(0.2, 2.5, m)
    return eps, index_fraction_law(eps, 0.15, 0.5, law_exponent) + sd * rng.standard_normal(m)


def test_the_three_halves_law_and_a_linear_law_are_told_apart():
    rng = np.random.default_rng(7)
    eps, a = _noisy(1.5, rng)
    assert fit_index_law(eps, a)["aic"] < fit_index_law(eps, a, exponent=1.0)["aic"] - 10
    eps, a = _noisy(1.0, rng)
    assert fit_index_law(eps, a, exponent=1.0)["aic"] < fit_index_law(eps, a)["aic"] - 10
    assert fit_index_law(eps, a, exponent=None)["exponent"] == pytest.approx(1.0, abs=0.15)


def test_threshold_interval_covers_the_truth():
    """40 noisy data sets: the ±1.96 se interval of ε_c covers 0.5 in most (≥ 32, binomial 5σ below 38)."""
    rng = np.random.default_rng(11)
    hits = 0
    for _ in range(40):
        eps, a = _noisy(1.5, rng)
        f = fit_index_law(eps, a)
        hits += f["eps_c_lo"] <= 0.5 <= f["eps_c_hi"]
    assert hits >= 32


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="more than 2 points"):
        fit_index_law([1.0, 2.0], [0.1, 0.2])
    with pytest.raises(ValueError, match="one loss"):
        fit_index_law([1.0] * 5, [0.1] * 5)
