"""`spectrum`'s default threshold τ is relative: a matrix scaled by 10⁻⁶ or 10⁶ gets the same counts.

τ = √ε · max|λ| (curvature/spectrum.py: ``RTOL``). Oracle: a rotated diagonal
matrix with eigenvalues chosen on both sides of ±τ by a factor 10 (−10τ
counts, ±τ/10 is null), so the counts are known exactly at every scale.

Smallest slips caught: τ = √ε absolute on the exact route or on the
matrix-free routes (at 10⁻⁶ every eigenvalue is "null", at 10⁶ the null ones
count); τ from min|λ| or from λ_max alone (the largest |λ| here is the most
negative one); the index taken with ≤ or against +τ; the nullity band open
on one side or ±τ replaced by τ/2.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature.spectrum import RTOL, spectrum
from tests.matrices import rotated


TAU1 = RTOL * 4.0        # τ at scale 1: max|λ| = 4 (the most negative eigenvalue)


def _matrix():
    rng = np.random.default_rng(3)
    lam = np.r_[-4.0, -1.0, -10 * TAU1, -TAU1 / 10, 0.0, TAU1 / 10, 10 * TAU1, rng.uniform(0.5, 3.0, 53)]
    return rotated(lam, 4)        # index 3, nullity 3


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_exact_route_counts_do_not_depend_on_the_scale(scale):
    s = spectrum(_matrix() * scale, method="exact")
    assert s["tol"] == pytest.approx(TAU1 * scale, rel=1e-10)
    assert (s["index"], s["nullity"]) == (3, 3)
    assert s["lambda_min"] == pytest.approx(-4.0 * scale, rel=1e-12)


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_matrix_free_route_threshold_and_certified_count_do_not_depend_on_the_scale(scale):
    """Lanczos route: τ from the Ritz extremes (≈ 4 · scale), certified index 3 at every scale."""
    s = spectrum(_matrix() * scale, method="lanczos", probes=4, steps=60, rng=1)
    assert s["tol"] == pytest.approx(TAU1 * scale, rel=1e-6)
    assert (s["index"], s["index_status"]) == (3, "certified")
    assert s["nullity_lo"] <= 3 <= s["nullity_hi"]


def test_explicit_tol_is_absolute():
    """Negative control: an explicit tol is used as given (10τ₁ at scale 1 makes −10τ₁ a null eigenvalue)."""
    s = spectrum(_matrix(), method="exact", tol=10 * TAU1 * (1 + 1e-6))
    assert (s["tol"], s["index"], s["nullity"]) == (10 * TAU1 * (1 + 1e-6), 2, 5)
