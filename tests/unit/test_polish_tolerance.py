"""`polish_point` stops at its stated tolerance on a point where the tolerance decides the step count.

L(x, y) = s (x⁴/4 ± (y² + y⁴/4)): a degenerate minimum (or saddle) at 0 along x, where Newton
converges only linearly (x ← 2x/3), so every factor in the acceptance test
|∇L| ≤ 10⁻⁸ · max|λ(x₀)| · max(1, |x₀|) moves the stopping step. The test
replays Newton's iterates in closed form and predicts the exact number of
steps: the first k with |g_k| ≤ that tolerance, plus the 3 polishing steps.

Smallest slips caught: the tolerance not squared (the solver compares |g|²),
squared twice, max(1, |x|) dropped, max|λ| taken at the end point or as
min|λ| or max λ (the saddle's largest |λ| is negative), the polish count off by one, an absolute tolerance (scales 10⁻⁴ and
10⁴ must give the same end point and count).
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes.base import Euclidean
from saddlesim.critical.polish import polish_point
from saddlesim.critical.verdict import RTOL_GRAD


class Degenerate(Euclidean):
    name = "degenerate"
    dim = 2

    def __init__(self, s=1.0, sign=1.0):
        self.s, self.sign = float(s), float(sign)

    def value(self, z):
        return float(self.s * (z[0] ** 4 / 4 + self.sign * (z[1] ** 2 + z[1] ** 4 / 4)))

    def gradient(self, z):
        return self.s * np.array([z[0] ** 3, self.sign * (2 * z[1] + z[1] ** 3)])

    def hessian(self, z):
        return self.s * np.diag([3 * z[0] ** 2, self.sign * (2 + 3 * z[1] ** 2)])

    def hvp(self, z, v):
        return self.hessian(z) @ v


def _predicted_steps(z0, polish=3):
    """Newton's iterates coordinate by coordinate (the Hessian is diagonal): steps to |g| ≤ tol, plus polish."""
    scale = max(3 * z0[0] ** 2, 2 + 3 * z0[1] ** 2)
    tol = RTOL_GRAD * scale * max(1.0, float(np.hypot(*z0)))
    x, y = z0
    for k in range(200):
        if np.hypot(x**3, 2 * y + y**3) <= tol:
            break
        x, y = x - x**3 / (3 * x**2), y - (2 * y + y**3) / (2 + 3 * y**2)
    for _ in range(polish):
        x, y = x - x**3 / (3 * x**2), y - (2 * y + y**3) / (2 + 3 * y**2)
    return k + polish, tol, np.array([x, y])


@pytest.mark.parametrize("z0", [(1.0, 0.5), (2.0, 3.0), (0.3, 0.2)])
@pytest.mark.parametrize("s", [1e-4, 1.0, 1e4])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_dense_polish_stops_at_its_tolerance_after_the_predicted_steps(z0, s, sign):
    """sign −1: the largest |λ| is the negative curvature along y (a saddle), and the scale must be |λ|."""
    z0 = np.array(z0)
    steps, tol, end = _predicted_steps(z0)
    z, p = polish_point(Degenerate(s, sign), z0, matrix_free=False)
    assert p["solver"] == "dense"
    assert p["iterations"] == steps
    np.testing.assert_allclose(z, end, rtol=1e-6, atol=1e-300)
    # within the stated tolerance, and not by a wide margin (3 linear polish steps: (2/3)⁹ ≈ 0.026)
    assert p["grad_norm"] <= s * tol
    assert p["grad_norm"] >= 1e-3 * s * tol
    assert p["verdict"] == "critical" and p["distance"] == pytest.approx(np.linalg.norm(z - z0))
    assert p["index"] == (0 if sign > 0 else 1)


@pytest.mark.parametrize("s", [1e-4, 1e4])
def test_matrix_free_polish_ends_within_the_verdicts_tolerance(s):
    """On HVPs the tolerance follows the current curvature scale; the end point is critical by the verdict."""
    z0 = np.array([1.0, 0.5])
    z, p = polish_point(Degenerate(s), z0, matrix_free=True)
    assert p["solver"] == "hvp" and p["verdict"] == "critical"
    scale_end = s * max(3 * z[0] ** 2, 2 + 3 * z[1] ** 2)
    assert p["grad_norm"] <= RTOL_GRAD * scale_end * max(1.0, float(np.linalg.norm(z)))
    assert abs(z[0]) < 1e-2 and abs(z[1]) < 1e-12
