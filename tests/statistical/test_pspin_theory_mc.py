"""The exact p-spin expectation against a Monte Carlo of that same expectation.

E Crt_{N,k} = 2√(2/p)(p-1)^{N/2} E f(x_k), f(x) = e^{-(p-2)x²/(2p)}, x the
eigenvalues of the saddlesim GOE. Each E f(x_k) is a mean of M i.i.d. values
in (0, 1]: the test accepts |mean - exact| < 6 s/√M (s the sample std).
With M = 200 000 the band is ~5e-3 of the value, so it catches any error
above ~1 % in the quadrature, the k-th eigenvalue density, or the constant c.
"""

import math

import numpy as np
import pytest

from saddlesim.models import goe_matrices
from saddlesim.theory.pspin import pspin_mean_counts

NSIGMA = 6.0
M = 200_000


def _mc(N, p, seed, off_diagonal_scale=1.0):
    G = goe_matrices(N, M, rng=seed)
    if off_diagonal_scale != 1.0:
        D = np.einsum("sii->si", G)
        G = G * off_diagonal_scale
        idx = np.arange(N)
        G[:, idx, idx] = D
    x = np.linalg.eigvalsh(G)
    f = np.exp(-(p - 2) * x * x / (2 * p))
    pref = 2 * math.sqrt(2 / p) * (p - 1) ** (N / 2)
    return pref * f.mean(axis=0), pref * f.std(axis=0, ddof=1) / math.sqrt(M)


def _z(N, p, seed, **kw):
    mean, se = _mc(N, p, seed, **kw)
    exact = pspin_mean_counts(N, p)
    assert np.all(NSIGMA * se < 0.02 * exact)  # the band resolves a 2 % error
    return (mean - exact) / se


@pytest.mark.parametrize("N,p", [(3, 3), (5, 3), (4, 4)])
def test_exact_counts_match_monte_carlo(N, p):
    z = _z(N, p, seed=np.random.SeedSequence(8, spawn_key=(N, p)))
    assert np.all(np.abs(z) < NSIGMA), z


def test_negative_control_wrong_goe_scale_rejected():
    # Off-diagonal std 1 instead of 1/√2 (E M_ij² = 1/N instead of 1/(2N) after scaling).
    z = _z(5, 3, seed=np.random.SeedSequence(8, spawn_key=(99,)), off_diagonal_scale=math.sqrt(2))
    assert np.any(np.abs(z) > NSIGMA)
