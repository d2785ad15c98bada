"""Distinct critical points of a network search (modulo symmetries) and the coin-flip numbers at each.

Smallest slips caught: classes from raw parameters instead of canonical ones (every symmetric
copy a new point), a tolerance without the scale (copies of a large point split), non-critical
points given a class, the z-score with sd √n instead of √n/2, a one-sided p-value (off by
log10 2), a p-value underflowing to −inf far below 10⁻³⁰⁸.
"""

import numpy as np
import pytest
from scipy import stats

from saddlesim.searches.distinct import coin_flip, symmetry_classes
from tests.unit.test_symmetry import _point, _random_symmetry

SIZES = (3, 4, 2)


def test_symmetric_copies_are_one_class_and_unrelated_points_are_not():
    rng = np.random.default_rng(0)
    a, b = 30 * _point(rng, SIZES), _point(rng, SIZES)
    ends = np.stack([a, _random_symmetry(a, SIZES, rng) + 1e-9 * rng.standard_normal(a.size), b,
                     _random_symmetry(b, SIZES, rng), _random_symmetry(a, SIZES, rng), b + 0.1])
    labels = symmetry_classes(ends, SIZES, "tanh")
    assert labels.tolist() == [0, 0, 1, 1, 0, 2]


def test_only_critical_points_get_a_class():
    rng = np.random.default_rng(1)
    a = _point(rng, SIZES)
    ends = np.stack([a, _random_symmetry(a, SIZES, rng), a])
    assert symmetry_classes(ends, SIZES, "tanh", critical=[False, True, True]).tolist() == [-1, 0, 0]


@pytest.mark.parametrize("n,index", [(10, 0), (10, 3), (115, 40), (115, 57), (2410, 1100), (999, 700)])
def test_coin_flip_numbers_equal_scipy(n, index):
    row = coin_flip([index], [n]).iloc[0]
    assert row["coin_z"] == pytest.approx((index - n / 2) / (np.sqrt(n) / 2), rel=1e-12)
    p = stats.binomtest(index, n, 0.5, alternative="two-sided").pvalue  # symmetric law: equal to 2·tail
    assert row["coin_log10_p"] == pytest.approx(np.log10(p), rel=1e-9, abs=1e-12)


def test_coin_flip_p_value_far_below_double_precision():
    """Index 0 of n = 2410: log10 p = log10(2·2⁻ⁿ) exactly, about −725 (far below 1e-308)."""
    n = 2410
    row = coin_flip([0, 49], [n, n]).to_numpy()
    assert row[0, 1] == pytest.approx((1 - n) * np.log10(2.0), rel=1e-12)
    import mpmath

    mpmath.mp.dps = 50
    tail = mpmath.fsum(mpmath.binomial(n, j) for j in range(50)) * mpmath.mpf(2) ** (-n) * 2
    assert row[1, 1] == pytest.approx(float(mpmath.log10(tail)), rel=1e-10)
    assert np.isfinite(row[:, 1]).all()
