"""The coin-flip predictions: 2^-n and Binomial(n, 1/2)."""

import math

import numpy as np
import pytest
from scipy import stats

from saddlesim.theory import coin_flip


def test_min_max_saddle():
    assert coin_flip.coinflip_p_min(3) == 0.125 == coin_flip.coinflip_p_max(3)
    assert coin_flip.coinflip_p_saddle(3) == 0.75
    assert coin_flip.coinflip_p_saddle(1) == 0.0
    assert coin_flip.coinflip_log_p_saddle(1) == -math.inf
    assert coin_flip.coinflip_log_p_saddle(60) == pytest.approx(-(2.0**-59), rel=1e-12)


def test_logs_never_underflow():
    assert coin_flip.coinflip_p_min(2000) == 0.0
    assert coin_flip.coinflip_log_p_min(2000) == pytest.approx(-2000 * math.log(2))
    assert coin_flip.coinflip_log10_p_min(2000) == pytest.approx(-2000 * math.log10(2))
    assert np.all(np.isfinite(coin_flip.coinflip_log_index_law(2000)))


@pytest.mark.parametrize("n", [1, 2, 7, 30])
def test_index_law_is_binomial(n):
    p = coin_flip.coinflip_index_law(n)
    np.testing.assert_allclose(p, stats.binom.pmf(np.arange(n + 1), n, 0.5), rtol=1e-12)
    assert p.sum() == pytest.approx(1.0)


def test_bad_n():
    with pytest.raises(ValueError):
        coin_flip.coinflip_p_min(0)
