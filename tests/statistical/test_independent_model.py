"""The independent-sign model, tested through its Hessians and through its fast path.

Exact law: eigenvalues i.i.d. N(0, 1), so with an absolute threshold ``tol``
each eigenvalue is degenerate (|λ| ≤ tol) with probability r = erf(tol/√2),
and otherwise negative or positive with probability (1 − r)/2 each. Hence

* P(degenerate) = 1 − (1 − r)^n,
* P(index = k) = C(n, k) ((1 − r)/2)^n for k = 0..n,

which at tol = 0 (r = 0) is the coin-flip Binomial(n, 1/2). Tolerances are 6σ
from the sample size (binomial per category); a pooled z over dimensions
catches a bias of the same sign in every cell that no single cell resolves.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from saddlesim.index.inertia import index_dense
from saddlesim.models import independent_sign_matrices
from saddlesim.index.sampling import index_histogram, sample_index
from tests.statistical.helpers import assert_index_law, matches_index_law, pooled_zscore

NSIGMA = 6.0


def exact_law(n: int, tol: float = 0.0) -> np.ndarray:
    """P(index = 0..n) and, last, P(degenerate) under an absolute ``tol``."""
    r = math.erf(tol / math.sqrt(2.0))
    k = np.arange(n + 1)
    law = special.comb(n, k) * ((1 - r) / 2) ** n
    return np.append(law, 1 - (1 - r) ** n)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_dense_hessians_follow_the_binomial_law(n):
    """Eigendecomposition of Q diag(λ) Qᵀ gives Binomial(n, ½) indices.

    N = 40 000 per n: σ ≤ √(¼/N) = 0.0025 per category, so any category
    off by more than 12σ = 0.03 in absolute probability fails (with 6σ to
    spare against noise). Signs negative with probability 0.55 move
    P(index = 1) at n = 1 by 0.05 and P(min) at n = 3 by 0.034; an
    exactly-zero eigenvalue is a degenerate draw, whose expected count is 0.
    """
    N = 40_000
    H = independent_sign_matrices(n, N, rng=np.random.SeedSequence(41, spawn_key=(n,)))
    law = exact_law(n)
    assert_index_law(index_dense(H), n, law[:-1])


def test_pooled_minimum_bias_over_dimensions():
    """A same-sign bias in P(min) in every cell, too small for any single cell, is caught pooled.

    Cells n = 2..7, 60 000 Hessians each. The pooled z sums (k_n − N 2^{-n})
    over cells and divides by the pooled binomial sd √(Σ N p(1−p)) ≈ 157; it
    is sure (6σ threshold + 6σ margin) to catch a relative bias of P(min) of
    6.4 % in every cell (Σ N 2^{-n} ≈ 29 500 minima expected), while one cell
    at n = 7 (469 expected) only resolves 55 %. The negative control draws
    counts from the exact law with P(min) 10 % low in every cell.
    """
    N = 60_000
    ns = range(2, 8)
    counts, ps = [], []
    for n in ns:
        H = independent_sign_matrices(n, N, rng=np.random.SeedSequence(42, spawn_key=(n,)))
        counts.append(int((index_dense(H) == 0).sum()))
        ps.append(2.0**-n)
    assert abs(pooled_zscore(counts, N, ps)) < NSIGMA

    # negative control: minima 10 % rarer in every cell (bias drawn from the exact law)
    rng = np.random.default_rng(43)
    biased = [int(rng.binomial(N, 0.9 * p)) for p in ps]
    assert abs(pooled_zscore(biased, N, ps)) > NSIGMA


@pytest.mark.parametrize("method", ["tridiagonal", "dense"])
@pytest.mark.parametrize("tol", [0.0, 0.05])
def test_fast_and_dense_paths_honour_tol(method, tol):
    """Both paths give the exact law including P(degenerate) = 1 − (1 − erf(tol/√2))^n.

    n = 4, N = 60 000 (tridiagonal) or 30 000 (dense): at tol = 0.05,
    P(degenerate) = 0.150, 6σ band ±0.013; so a path that ignores ``tol``
    (0 degenerate draws) fails by > 60σ, and at tol = 0 any exactly-zero
    eigenvalue (expected count 0) fails.
    """
    n = 4
    N = 60_000 if method == "tridiagonal" else 30_000
    index = sample_index("independent", n, N, rng=np.random.SeedSequence(44, spawn_key=(int(tol * 100),)),
                         method=method, tol=tol)
    law = exact_law(n, tol)
    counts = index_histogram(index, n)
    z = (counts - N * law) / np.sqrt(N * law * (1 - law) + (law == 0))
    assert np.all(np.abs(z) < NSIGMA), f"z = {np.round(z, 2)}"


def test_fast_path_is_the_eigenvalue_route():
    """The fast path's draws are the model's spectra: same stream, same indices as classifying them."""
    from saddlesim.index.inertia import index_from_eigenvalues
    from saddlesim.models import independent_sign_spectra

    lam = independent_sign_spectra(5, 1000, rng=45)
    np.testing.assert_array_equal(sample_index("independent", 5, 1000, rng=45), index_from_eigenvalues(lam))


def test_negative_control_biased_signs_rejected():
    """The per-category check rejects signs that are negative with probability 0.55 (n = 3, N = 40 000)."""
    rng = np.random.default_rng(46)
    lam = np.abs(rng.standard_normal((40_000, 3))) * np.where(rng.random((40_000, 3)) < 0.55, -1, 1)
    index = (lam < 0).sum(axis=1)
    assert not matches_index_law(index, 3, stats.binom.pmf(np.arange(4), 3, 0.5))
