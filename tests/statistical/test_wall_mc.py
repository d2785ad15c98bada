"""Exact P(λ_min > t) at walls against Monte Carlo, for GOE, GUE and GSE at n = 2, 3, 5.

Each cell draws N = 200 000 spectra (dense GOE matrices, dense GSE at n = 2, 3,
tridiagonal β-Hermite for the GUE and GSE n = 5) and requires |p̂ - p| < 6 sqrt(p(1-p)/N). Walls are
chosen so that p ≥ 0.02 and the guard ``assert_resolves`` holds (the 6σ band
is under 25% of p). Smallest error sure to be caught: per cell, any error in
P larger than 12σ (e.g. 0.0064 absolute, 6% relative, at p = 0.1); pooled over
the 18 cells, a bias of one sign larger than 12/√18 ≈ 2.8σ per cell. The
negative control shows the same check rejects the wall with the wrong sign
(P(λ_min > -t) for P(λ_min > t)).
"""

import math

import numpy as np
import pytest

from saddlesim import sample_index
from saddlesim.models import beta_hermite_spectra, goe_matrices, gse_matrices
from saddlesim.theory import log_p_above, mean_index, p_min
from tests.statistical.helpers import assert_resolves

NSIGMA = 6.0
N = 200_000

WALLS = {
    1: {2: (-0.5, 0.3), 3: (-1.0, 0.0), 5: (-2.5, -1.5)},
    2: {2: (-0.5, 0.3), 3: (-1.5, -0.5), 5: (-3.0, -2.0)},
    4: {2: (-1.0, 0.0), 3: (-2.0, -1.0), 5: (-3.5, -2.5)},
}
CELLS = [(b, n) for b in WALLS for n in WALLS[b]]


def _min_eigenvalues(beta: int, n: int, size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(beta, n)))
    if beta == 1:
        return np.linalg.eigvalsh(goe_matrices(n, size, rng))[:, 0]
    if beta == 2 or n > 3:
        return beta_hermite_spectra(n, size, float(beta), rng)[:, 0]
    # Kramers pairs: the smallest of the 2n eigenvalues is the smallest distinct one.
    return np.linalg.eigvalsh(gse_matrices(n, size, rng))[:, 0]


def _zscores(beta: int, n: int, walls, seed: int = 2026) -> list[float]:
    lam = _min_eigenvalues(beta, n, N, seed)
    z = []
    for t in walls:
        p = math.exp(log_p_above(n, t, beta))
        assert_resolves(p, N)
        z.append(((lam > t).mean() - p) / math.sqrt(p * (1 - p) / N))
    return z


_Z: dict = {}


def _cell_z(beta, n):
    if (beta, n) not in _Z:
        _Z[beta, n] = _zscores(beta, n, WALLS[beta][n])
    return _Z[beta, n]


@pytest.mark.slow
@pytest.mark.parametrize(("beta", "n"), CELLS)
def test_wall_probability_matches_monte_carlo(beta, n):
    z = _cell_z(beta, n)
    assert np.all(np.abs(z) < NSIGMA), f"z = {np.round(z, 2)}"


@pytest.mark.slow
def test_pooled_bias_of_one_sign():
    z = np.concatenate([_cell_z(b, n) for b, n in CELLS])
    assert abs(z.sum() / math.sqrt(len(z))) < NSIGMA, f"pooled z = {z.sum() / math.sqrt(len(z)):.2f}"


@pytest.mark.slow
@pytest.mark.parametrize("n", [2])  # n = 3 (p = 3.3e-4) is checked at walls above; at 0 it needs ~5e7 draws
def test_gse_p_min_through_sample_index(n):
    # The library's own GSE path (dense 2n x 2n, halved index) against β = 4 exact P(min).
    p = p_min(n, 4)
    assert_resolves(p, N)
    index = sample_index("gse", n, N, rng=np.random.SeedSequence(2027, spawn_key=(n,)), method="dense")
    assert abs((index == 0).mean() - p) < NSIGMA * math.sqrt(p * (1 - p) / N)


@pytest.mark.slow
def test_negative_control_flipped_wall_is_rejected():
    # A shift/wall sign mix-up (t for -t) must fail the same 6σ check.
    beta, n, t = 1, 3, 0.0 - 1.0
    lam = _min_eigenvalues(beta, n, N, seed=11)
    p_wrong = math.exp(log_p_above(n, -t, beta))
    z = ((lam > t).mean() - p_wrong) / math.sqrt(p_wrong * (1 - p_wrong) / N)
    assert abs(z) > NSIGMA


@pytest.mark.slow
@pytest.mark.parametrize(("beta", "n", "shift"), [(1, 5, 0.7), (1, 8, -1.5), (4, 3, 0.5)])
def test_mean_index_matches_monte_carlo(beta, n, shift):
    """Mean index of G + s·I: |mean - exact| < 6 SE with N = 100 000 (SE ≈ 0.003):
    catches any error above 12 SE ≈ 0.04 in the mean index (e.g. a missing
    border term, which moves it by ~0.1 at odd n)."""
    size = 100_000
    rng = np.random.default_rng(np.random.SeedSequence(2028, spawn_key=(beta, n)))
    lam = (np.linalg.eigvalsh(goe_matrices(n, size, rng)) if beta == 1
           else beta_hermite_spectra(n, size, float(beta), rng))
    counts = (lam < -shift).sum(axis=1)
    se = counts.std(ddof=1) / math.sqrt(size)
    assert abs(counts.mean() - mean_index(n, shift, beta)) < NSIGMA * se
