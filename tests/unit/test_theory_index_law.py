"""Exact GOE index law from the z-weighted de Bruijn Pfaffian."""

import math

import numpy as np
import pytest

from saddlesim.theory import MAX_INDEX_LAW_N, goe_index_law, log_p_min

S2 = math.sqrt(2.0)


def test_n4_closed_form():
    p = goe_index_law(4)
    expected = [
        0.25 - S2 / 16 - 1 / (2 * math.pi),
        S2 / 8,
        0.5 - S2 / 8 + 1 / math.pi,
        S2 / 8,
        0.25 - S2 / 16 - 1 / (2 * math.pi),
    ]
    np.testing.assert_allclose(p, expected, rtol=0, atol=1e-12)


def test_small_n_closed_forms():
    np.testing.assert_allclose(goe_index_law(1), [0.5, 0.5], atol=1e-15)
    np.testing.assert_allclose(goe_index_law(2)[1], S2 / 2, atol=1e-12)
    p3 = 0.25 - S2 / (2 * math.pi)
    np.testing.assert_allclose(goe_index_law(3), [p3, 0.5 - p3, 0.5 - p3, p3], atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6, 7, 8, 12])
def test_distribution_symmetric_and_consistent(n):
    p = goe_index_law(n)
    assert p.shape == (n + 1,)
    assert np.all(p > 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-13)
    np.testing.assert_allclose(p, p[::-1], rtol=1e-12)
    assert math.log(p[0]) == pytest.approx(log_p_min(n, 1), rel=1e-11)
    # Unimodal at n/2: repulsion concentrates the index near the middle.
    half = p[: n // 2 + 1]
    assert np.all(np.diff(half) > 0)


def test_narrower_than_binomial():
    # Eigenvalue repulsion: index variance far below the coin-flip n/4.
    n = 12
    p = goe_index_law(n)
    k = np.arange(n + 1)
    var = float(np.sum(p * (k - n / 2) ** 2))
    assert var < 0.5 * n / 4


def test_n_out_of_range():
    with pytest.raises(ValueError, match=f"n <= {MAX_INDEX_LAW_N}"):
        goe_index_law(MAX_INDEX_LAW_N + 1)
    with pytest.raises(ValueError):
        goe_index_law(0)
