"""Large-n laws: Dean-Majumdar Φ₋ and the index variance."""

import math

import numpy as np
import pytest

from saddlesim.theory import (
    INDEX_VARIANCE_CONSTANT_GUE,
    THETA,
    asymptotic_log_p_min,
    dean_majumdar_rate,
    index_variance_asymptotic,
    log_p_min,
)


def test_theta_value():
    assert THETA == pytest.approx(0.274653, abs=1e-6)


def test_rate_at_origin_and_edge():
    assert dean_majumdar_rate(0.0) == pytest.approx(THETA, rel=1e-14)
    assert dean_majumdar_rate(math.sqrt(2)) == pytest.approx(0.0, abs=1e-14)
    assert dean_majumdar_rate(3.0) == 0.0


def test_rate_is_cubic_at_the_edge():
    # Third-order transition: Φ₋(√2 - ε) ≈ ε³ / (6√2).
    for eps in (1e-2, 1e-3):
        edge = eps**3 / (6 * math.sqrt(2))
        assert dean_majumdar_rate(math.sqrt(2) - eps) == pytest.approx(edge, rel=5 * eps)


def test_rate_decreasing_and_vectorised():
    z = np.linspace(-2, 1.4, 50)
    phi = dean_majumdar_rate(z)
    assert phi.shape == z.shape
    assert np.all(np.diff(phi) < 0)


def test_asymptotic_log_p_min_matches_exact_exponent():
    assert asymptotic_log_p_min(10, 2) == pytest.approx(-2 * THETA * 100)
    # Leading order only: the exponents agree to ~3.5% at n = 40 (1.4% at n = 100).
    assert log_p_min(40, 1) / asymptotic_log_p_min(40, 1) == pytest.approx(1.0, abs=0.05)


def test_index_variance():
    assert INDEX_VARIANCE_CONSTANT_GUE == pytest.approx(0.185248, abs=1e-6)
    assert index_variance_asymptotic(100, 2) == pytest.approx(
        math.log(100) / (2 * math.pi**2) + 0.185248, abs=1e-6
    )
    assert index_variance_asymptotic(100, 1) == pytest.approx(math.log(100) / math.pi**2)
