"""Lanczos extremes are scale-free: a matrix scaled by 10⁻⁶ or 10⁶ takes the same steps to the same relative accuracy.

``extreme_eigenpairs`` stops when the wanted residual bounds are ≤ rtol · max|θ|
(curvature/lanczos.py); ``LanczosProcess`` calls a Krylov space invariant when
β ≤ 8 ε · (its scale) · √n. Oracle: a rotated diagonal matrix with chosen
extremes (−2, −1.9 and 2.9, 3) and a bulk in [−1.5, 1.5], n = 200.

Smallest slips caught: the convergence test absolute (rtol instead of
rtol·max|θ|: the 10⁻⁶ matrix stops early and inaccurate, the 10⁶ one runs
out its budget); the invariance test absolute (a 10⁶-scaled matrix whose
start vector lies in a 3-dimensional invariant subspace is not stopped at 3
steps); the smallest and largest swapped or not sorted.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature.lanczos import LanczosProcess, extreme_eigenpairs
from saddlesim.curvature.operators import as_operator
from tests.matrices import rotated_with_basis as rotated


def _case():
    rng = np.random.default_rng(0)
    lam = np.r_[-2.0, -1.9, rng.uniform(-1.5, 1.5, 196), 2.9, 3.0]
    return rotated(lam, 1)[0]


def test_same_steps_and_relative_accuracy_at_every_scale():
    A = _case()
    runs = {s: extreme_eigenpairs(A * s, 2, rtol=1e-10, rng=2) for s in (1e-6, 1.0, 1e6)}
    assert len({r["steps"] for r in runs.values()}) == 1
    for s, r in runs.items():
        assert r["converged"]
        np.testing.assert_allclose(r["smallest"] / s, [-2.0, -1.9], rtol=1e-12)
        np.testing.assert_allclose(r["largest"] / s, [3.0, 2.9], rtol=1e-12)
        assert np.all(r["smallest_bounds"] <= 1e-10 * 3.0 * s) and np.all(r["largest_bounds"] <= 1e-10 * 3.0 * s)


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_invariant_subspace_is_detected_relative_to_the_matrix(scale):
    lam = np.r_[-1.0, 0.5, 2.0, np.linspace(3.0, 4.0, 27)]
    A, Q = rotated(lam, 3)
    start = Q[:, :3] @ np.array([1.0, 2.0, -1.0])
    proc = LanczosProcess(as_operator(A * scale), start).extend(10)
    assert proc.invariant and proc.m == 3
    np.testing.assert_allclose(np.sort(proc.ritz().values) / scale, [-1.0, 0.5, 2.0], rtol=1e-12)
