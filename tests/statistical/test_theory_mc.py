"""Exact theory against Monte Carlo: dense GOE and tridiagonal beta-Hermite draws.

Tolerance |p̂ - p| < 6 sqrt(p(1-p)/N) per category (the project's rule for
statistical tests, docs/architecture.md), with a guard that the band resolves p, and negative controls that the same check rejects
the coin-flip 2^-n and a wrongly normalised GOE.
"""

import math

import numpy as np
import pytest

from saddlesim.models import beta_hermite_spectra, goe_matrices
from saddlesim.theory import goe_index_law, p_min, coinflip_index_law
from tests.statistical.helpers import assert_index_law, assert_resolves, matches_index_law

NSIGMA = 6.0


def _within(count: int, N: int, p: float) -> bool:
    return abs(count / N - p) < NSIGMA * math.sqrt(p * (1 - p) / N)


def _goe_index(n: int, size: int, seed: int) -> np.ndarray:
    lam = np.linalg.eigvalsh(goe_matrices(n, size, rng=seed))
    return (lam < 0).sum(axis=1)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_goe_p_min_dense(n):
    """Sure to catch (12σ at N = 3·10⁵) a relative error in P(min) or P(max) of 5 % at n = 2, 14 % at
    n = 3 and 44 % at n = 4; the coin-flip 2^-n is off by 70 % at n = 2."""
    N = 300_000
    p = p_min(n, 1)
    assert_resolves(p, N)
    index = _goe_index(n, N, seed=1000 + n)
    assert _within(int((index == 0).sum()), N, p)
    assert _within(int((index == n).sum()), N, p)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_goe_index_law_tridiagonal(n):
    """Sure to catch (12σ at N = 2·10⁵) any index probability off by 0.013 absolute (6 % of P(min)
    at n = 2, 17 % at n = 3)."""
    lam = beta_hermite_spectra(n, 200_000, 1.0, rng=2000 + n)
    assert_index_law((lam < 0).sum(axis=1), n, goe_index_law(n))


@pytest.mark.parametrize("n", [2, 3])  # n = 4 (p ~ 1.2e-4) would need ~5e6 draws
def test_gue_p_min_tridiagonal(n):
    """Sure to catch (12σ at N = 3·10⁵) a relative error in P(min) of 7 % at n = 2, 29 % at n = 3."""
    N = 300_000
    p = p_min(n, 2)
    assert_resolves(p, N)
    lam = beta_hermite_spectra(n, N, 2.0, rng=3000 + n)
    assert _within(int((lam > 0).all(axis=1).sum()), N, p)


def test_negative_control_coinflip_law_rejected():
    index = _goe_index(4, 100_000, seed=4)
    assert not matches_index_law(index, 4, coinflip_index_law(4))


def test_negative_control_wrong_goe_normalisation_rejected():
    # Symmetrising an i.i.d. N(0,1) upper triangle doubles the off-diagonal
    # variance: P(min) at n=2 becomes ~0.116 instead of (2-√2)/4 ≈ 0.146.
    rng = np.random.default_rng(5)
    N = 200_000
    G = rng.standard_normal((N, 2, 2))
    H = np.triu(G) + np.swapaxes(np.triu(G, 1), 1, 2)
    lam = np.linalg.eigvalsh(H)
    assert not _within(int((lam > 0).all(axis=1).sum()), N, p_min(2, 1))
