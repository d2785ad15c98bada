"""One statistical helper for every model: does a sample of indices follow an exact law?

A category whose count deviates from N p by more than ``nsigma`` binomial
standard deviations fails the check; the union bound over n + 1 categories
keeps the false-alarm rate below 1e-8 at 6 sigma.
"""

from __future__ import annotations

import numpy as np

from saddlesim.index.sampling import index_histogram
from saddlesim.stats import binomial_zscore

NSIGMA = 6.0


def index_law_zscores(index, n: int, probs) -> np.ndarray:
    """z-scores of the counts of index 0..n (and degenerate, expected 0) against ``probs``."""
    counts = index_histogram(index, n)
    p = np.append(np.asarray(probs, dtype=float), 0.0)
    return binomial_zscore(counts, counts.sum(), p)


def matches_index_law(index, n: int, probs, nsigma: float = NSIGMA) -> bool:
    """True when every category is within ``nsigma`` of its exact probability."""
    return bool(np.all(np.abs(index_law_zscores(index, n, probs)) <= nsigma))


def assert_index_law(index, n: int, probs, nsigma: float = NSIGMA) -> None:
    z = index_law_zscores(index, n, probs)
    assert np.all(np.abs(z) <= nsigma), f"index law rejected: z = {np.round(z, 2)}"


def assert_resolves(p: float, N: int, fraction: float = 0.25, nsigma: float = NSIGMA) -> None:
    """Guard: the tolerance must be tight enough for the test to fail on a wrong p."""
    half_width = nsigma * np.sqrt(p * (1 - p) / N)
    assert half_width < fraction * p, (
        f"{N} samples give a {nsigma}-sigma band of ±{half_width:.3g} around p={p:.3g}: too loose"
    )


def two_sample_max_z(index_a, index_b, n: int) -> float:
    """Largest |z| of the difference between two index histograms (pooled binomial)."""
    a, b = index_histogram(index_a, n), index_histogram(index_b, n)
    Na, Nb = a.sum(), b.sum()
    pooled = (a + b) / (Na + Nb)
    se = np.sqrt(pooled * (1 - pooled) * (1 / Na + 1 / Nb))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(se > 0, (a / Na - b / Nb) / se, 0.0)
    return float(np.max(np.abs(z)))


def pooled_zscore(counts, N, probs) -> float:
    """One z over many cells: Σ (k_c − N_c p_c) / √(Σ N_c p_c (1 − p_c)).

    A bias of the same sign in every cell adds up here, while the per-cell
    z-scores each stay small; the pooled sd grows only like the square root
    of the total count.
    """
    k = np.asarray(counts, dtype=float)
    p = np.asarray(probs, dtype=float)
    Nc = np.broadcast_to(np.asarray(N, dtype=float), k.shape)
    return float((k - Nc * p).sum() / np.sqrt((Nc * p * (1 - p)).sum()))
