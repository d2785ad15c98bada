"""The derivative check's reported errors and thresholds, computed here in closed form (landscapes/derivatives.py).

A quadratic ½ xᵀAx + bᵀx at a fixed point x, with one planted relative error δ
in gradient component 2 or in the Hessian entry H[1,1]: finite differences of a
quadratic are exact up to rounding, so the check's worst errors are
δ|g₂|/|g| (gradient) and δ|H₁₁|/max|λ| (Hessian: the diagonal pair is the
worst). The thresholds are rtol for the gradient and 10·rtol for the Hessian:
an error at half the threshold passes, at twice it fails.

Smallest slips caught: the gradient error relative to |g_i| or unnormalised;
the Hessian's size taken as max|H_ij| or its trace instead of max|λ|; the
Hessian threshold rtol (no factor 10) or 100·rtol; the step h not scaled
by max(1, |x|) (a point at |x| = 10⁸ then fails a correct landscape).
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes.base import Euclidean
from saddlesim.landscapes.derivatives import RTOL, check_derivatives

A = np.array([[4.0, 1.0, 0.0, 0.5], [1.0, -3.0, 0.2, 0.0], [0.0, 0.2, 2.0, -1.0], [0.5, 0.0, -1.0, 1.0]])
B = np.array([0.3, -0.7, 1.1, 0.2])
X0 = np.array([0.5, -1.2, 0.8, 2.0])


class Planted(Euclidean):
    name = "planted"
    dim = 4

    def __init__(self, grad_err=0.0, hess_err=0.0, x0=X0):
        self.grad_err, self.hess_err, self.x0 = grad_err, hess_err, np.asarray(x0, float)

    def value(self, x):
        return float(0.5 * x @ A @ x + B @ x)

    def gradient(self, x):
        g = A @ x + B
        g[2] *= 1 + self.grad_err
        return g

    def hessian(self, x):
        H = A.copy()
        H[1, 1] *= 1 + self.hess_err
        return H

    def random_point(self, rng):
        return self.x0.copy()


def _g():
    return A @ X0 + B


def test_reported_gradient_error_is_the_planted_one():
    g = _g()
    delta = 0.3 * RTOL * np.linalg.norm(g) / abs(g[2])        # 0.3·rtol after normalising by |g|
    worst = check_derivatives(Planted(grad_err=delta), 0, points=2)
    assert worst["gradient_error"] == pytest.approx(delta * abs(g[2]) / np.linalg.norm(g), rel=1e-3)
    assert worst["hessian_error"] < 1e-6


def test_reported_hessian_error_is_the_planted_one():
    size = np.abs(np.linalg.eigvalsh(A)).max()
    delta = 3 * RTOL * size / abs(A[1, 1])                     # 3·rtol (the Hessian's threshold is 10·rtol)
    H = A.copy()
    H[1, 1] *= 1 + delta
    size_bugged = np.abs(np.linalg.eigvalsh(H)).max()
    worst = check_derivatives(Planted(hess_err=delta), 0, points=2)
    assert worst["hessian_error"] == pytest.approx(delta * abs(A[1, 1]) / size_bugged, rel=1e-3)
    assert worst["gradient_error"] < 1e-6


@pytest.mark.parametrize("factor, fails", [(0.5, False), (2.0, True)])
def test_gradient_threshold_is_rtol(factor, fails):
    g = _g()
    delta = factor * RTOL * np.linalg.norm(g) / abs(g[2])
    if fails:
        with pytest.raises(ValueError, match="gradient component 2"):
            check_derivatives(Planted(grad_err=delta), 0, points=1)
    else:
        check_derivatives(Planted(grad_err=delta), 0, points=1)


@pytest.mark.parametrize("factor, fails", [(5.0, False), (20.0, True)])
def test_hessian_threshold_is_ten_rtol(factor, fails):
    size = np.abs(np.linalg.eigvalsh(A)).max()
    delta = factor * RTOL * size / abs(A[1, 1])
    if fails:
        with pytest.raises(ValueError, match=r"Hessian H\[1,1\]"):
            check_derivatives(Planted(hess_err=delta), 0, points=1)
    else:
        check_derivatives(Planted(hess_err=delta), 0, points=1)


@pytest.mark.parametrize("far", [1e4, 1e8])
def test_far_points_pass_when_correct_and_fail_when_wrong(far):
    """At |x| ≈ 10⁸ the steps grow with |x| (an unscaled step of 6·10⁻⁶ would see rounding of ε|f|/h ≈ 3·10⁵
    against |g| ≈ 10⁸): a correct landscape passes, a 1 % gradient error still fails."""
    x0 = X0 * far
    worst = check_derivatives(Planted(x0=x0), 0, points=1)
    assert worst["gradient_error"] < RTOL / 10 and worst["hessian_error"] < RTOL
    g = A @ x0 + B
    with pytest.raises(ValueError, match="gradient"):
        check_derivatives(Planted(grad_err=0.01 * np.linalg.norm(g) / abs(g[2]), x0=x0), 0, points=1)
