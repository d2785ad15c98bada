"""Wishart + Wigner index fraction at n = 1000 against the free-convolution α(ε, φ).

R = 6 matrices; the index fraction of one matrix fluctuates by ~1e-3 (GOE-like
number variance ~ log n / (π² n²) plus edge effects), and the test uses the
replicate standard error s/√R with the two-sided 1e-4 quantile of Student's
t with R - 1 = 5 degrees of freedom (≈ 9.7), not 6σ, because s itself comes
from 6 values, plus 1/n for the O(1/n) finite-size bias. The band (~5e-3) catches a semicircle variance ε instead of
2ε (α moves by ~0.04) or an MP ratio 1/φ.
"""

import numpy as np
import pytest
from scipy import stats

from saddlesim.models.wishart_wigner import wishart_wigner_matrices
from saddlesim.theory.wishart_wigner import ww_alpha

R = 6
N = 1000
T = stats.t.ppf(1 - 0.5e-4, R - 1)


def _fractions(phi, eps, key):
    H = wishart_wigner_matrices(N, R, phi, eps, rng=np.random.SeedSequence(21, spawn_key=key))
    return (np.linalg.eigvalsh(H) < 0).mean(axis=1)


@pytest.mark.slow
def test_index_fraction_n1000_matches_theory():
    phi, eps = 0.5, 0.1
    a = _fractions(phi, eps, (1,))
    se = a.std(ddof=1) / np.sqrt(R)
    theory = ww_alpha(eps, phi)
    assert abs(a.mean() - theory) < T * se + 1.0 / N
    # negative control: the semicircle variance ε (radius 2√ε) is rejected
    assert abs(a.mean() - ww_alpha(eps / 2, phi)) > T * se + 1.0 / N
    # and so is the MP ratio read the other way round (φ ↦ 1/φ ... here 2.0)
    assert abs(a.mean() - ww_alpha(eps, 1 / phi)) > T * se + 1.0 / N
