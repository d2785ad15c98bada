"""The point verdict's four thresholds, each pinned on both sides and at three loss scales (critical/verdict.py).

Oracle: L(x) = s (½ xᵀAx + bᵀx) with A = Q diag(λ) Qᵀ chosen, so the gradient
s(Ax + b), the Hessian sA and every threshold are known in closed form:
null_tol = √ε · s max|λ|, grad_tol = 10⁻⁸ · s max|λ| · max(1, |x|), the
Newton step |A⁺(Ax + b)| on the curved directions, and the flat residual the
kernel share of the gradient.

Smallest slips caught: any threshold absolute instead of relative (the
10⁻⁶ and 10⁶ scales change the verdict); max(1, |x|) replaced by |x| or 1 or
|x|² (the |x| = 5 and |x| = 0.6 points); ``<`` for ``<=`` at a threshold
that is not hit exactly is not testable, but the sides are: a gradient
10⁻⁶ below grad_tol is critical and 10⁻⁶ above is not; an eigenvalue
10⁻³ beyond −null_tol counts in the index and 10⁻³ inside in the nullity;
residual 0.9(1 ± 10⁻³) and step rtol_step · max(1, |x|)(1 ± 10⁻³) fall on
their sides; the flat test before the critical test.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes.base import Euclidean
from saddlesim.critical.verdict import FLAT_RESIDUAL, RTOL_GRAD, RTOL_NULL, RTOL_STEP, point_verdict


class Quadratic(Euclidean):
    """s (½ xᵀAx + bᵀx)."""

    name = "quadratic"

    def __init__(self, A, b, s=1.0):
        self.A, self.b, self.s = np.asarray(A, float), np.asarray(b, float), float(s)
        self.dim = self.A.shape[0]

    def value(self, x):
        return float(self.s * (0.5 * x @ self.A @ x + self.b @ x))

    def gradient(self, x):
        return self.s * (self.A @ x + self.b)

    def hessian(self, x):
        return self.s * self.A


def _basis(n, seed=0):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return Q


LAM = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])     # max|λ| = 3, one exact zero


def _landscape_with_gradient(x, g, s, lam=LAM, seed=0):
    """A quadratic whose gradient at x is exactly s·g (b = g − Ax)."""
    Q = _basis(len(lam), seed)
    A = (Q * lam) @ Q.T
    return Quadratic(A, g - A @ x, s), Q


SCALES = [1e-6, 1.0, 1e6]


@pytest.mark.parametrize("s", SCALES)
@pytest.mark.parametrize("xnorm", [5.0, 0.6])
@pytest.mark.parametrize("side, verdict", [(1 - 1e-6, "critical"), (1 + 1e-6, "near-critical")])
def test_gradient_threshold_sides_at_every_scale(s, xnorm, side, verdict):
    """|∇L| = grad_tol (1 ∓ 10⁻⁶), grad_tol = 10⁻⁸ · s · 3 · max(1, |x|), along a curved direction."""
    Q = _basis(5)
    x = xnorm * Q[:, 3]
    g_unit = Q[:, 4]                                # curved (λ = 3): the Newton step is tiny
    tol = RTOL_GRAD * 3.0 * max(1.0, xnorm)         # for s = 1
    land, _ = _landscape_with_gradient(x, side * tol * g_unit, s)
    v = point_verdict(land, x)
    assert v["grad_tol"] == pytest.approx(s * tol, rel=1e-12)
    assert v["grad_norm"] == pytest.approx(s * side * tol, rel=1e-9)
    assert v["verdict"] == verdict
    assert (v["index"], v["nullity"], v["label"]) == (2, 1, "degenerate saddle")


@pytest.mark.parametrize("s", SCALES)
@pytest.mark.parametrize("side, index, nullity", [(1 + 1e-3, 2, 1), (1 - 1e-3, 1, 2)])
def test_curvature_threshold_sides_at_every_scale(s, side, index, nullity):
    """An eigenvalue at −null_tol (1 ± 10⁻³), null_tol = √ε · s · 3: index or nullity, never both."""
    lam = LAM.copy()
    lam[1] = -RTOL_NULL * 3.0 * side
    land, _ = _landscape_with_gradient(np.zeros(5), np.zeros(5), s, lam=lam)
    v = point_verdict(land, np.zeros(5))
    assert v["null_tol"] == pytest.approx(s * RTOL_NULL * 3.0, rel=1e-12)
    assert (v["index"], v["nullity"], v["positive"]) == (index, nullity, 2)
    assert v["verdict"] == "critical"                    # a zero gradient is critical at every scale
    # the mirror image on the positive side: +null_tol(1 ± 10⁻³) is positive or null, never negative
    lam[1] = RTOL_NULL * 3.0 * side
    w = point_verdict(_landscape_with_gradient(np.zeros(5), np.zeros(5), s, lam=lam)[0], np.zeros(5))
    assert (w["index"], w["nullity"]) == (1, nullity)


@pytest.mark.parametrize("s", SCALES)
@pytest.mark.parametrize("side, verdict", [(1 + 1e-3, "gradient-flat"), (1 - 1e-3, "not-critical")])
def test_flat_residual_threshold_sides(s, side, verdict):
    """Kernel share of the gradient 0.9 (1 ± 10⁻³); the curved share along λ = 1 moves far (step ≫ 10⁻³)."""
    Q = _basis(5)
    r = FLAT_RESIDUAL * side
    g = r * Q[:, 2] + np.sqrt(1 - r * r) * Q[:, 3]       # |g| = 1
    land, _ = _landscape_with_gradient(np.zeros(5), g, s)
    v = point_verdict(land, np.zeros(5))
    assert v["flat_residual"] == pytest.approx(r, rel=1e-10)
    assert v["newton_step"] == pytest.approx(np.sqrt(1 - r * r), rel=1e-9)    # independent of s
    assert v["verdict"] == verdict


@pytest.mark.parametrize("s", SCALES)
@pytest.mark.parametrize("xnorm", [5.0, 0.6])
@pytest.mark.parametrize("side, verdict", [(1 - 1e-3, "near-critical"), (1 + 1e-3, "not-critical")])
def test_newton_step_threshold_sides(s, xnorm, side, verdict):
    """Newton step rtol_step · max(1, |x|) (1 ∓ 10⁻³) along λ = −2: near-critical or not."""
    Q = _basis(5)
    x = xnorm * Q[:, 4]
    step = RTOL_STEP * max(1.0, xnorm) * side
    land, _ = _landscape_with_gradient(x, -2.0 * step * Q[:, 0], s)
    v = point_verdict(land, x)
    assert v["newton_step"] == pytest.approx(step, rel=1e-9)
    assert v["flat_residual"] == pytest.approx(0.0, abs=1e-12)
    assert v["verdict"] == verdict


LAM_NEG = np.array([-6.0, -0.5, 0.0, 1.0, 3.0])  # max|λ| = 6 from the most negative eigenvalue


class QuadraticHvp(Quadratic):
    def hvp(self, x, v):
        return self.s * (self.A @ v)


def _neg_case(s, side):
    """Gradient at grad_tol (1 ∓ 10⁻⁶) along λ = 3, grad_tol = 10⁻⁸ · s · 6 · |x| with |x| = 2."""
    Q = _basis(5, 1)
    A = (Q * LAM_NEG) @ Q.T
    x = 2.0 * Q[:, 3]
    g = side * RTOL_GRAD * 6.0 * 2.0 * Q[:, 4]
    return QuadraticHvp(A, g - A @ x, s), x


@pytest.mark.parametrize("s", SCALES)
@pytest.mark.parametrize("side, verdict", [(1 - 1e-6, "critical"), (1 + 1e-6, "near-critical")])
def test_thresholds_use_the_largest_magnitude_even_when_it_is_negative(s, side, verdict):
    land, x = _neg_case(s, side)
    v = point_verdict(land, x)
    assert v["grad_tol"] == pytest.approx(s * RTOL_GRAD * 12.0, rel=1e-12)
    assert v["null_tol"] == pytest.approx(s * RTOL_NULL * 6.0, rel=1e-12)
    assert v["verdict"] == verdict and (v["index"], v["nullity"]) == (2, 1)


@pytest.mark.parametrize("s", [1e-6, 1e6])
def test_matrix_free_route_has_the_same_thresholds(s):
    """The HVP route's null_tol and grad_tol from Lanczos extremes: the dense ones to 10⁻⁶ relative."""
    from saddlesim.critical.verdict import matrix_free_verdict

    land, x = _neg_case(s, 0.5)
    dense, free = point_verdict(land, x), matrix_free_verdict(land, x)
    assert free["null_tol"] == pytest.approx(dense["null_tol"], rel=1e-6)
    assert free["grad_tol"] == pytest.approx(dense["grad_tol"], rel=1e-6)
    for k in ("verdict", "index", "nullity", "positive", "label"):
        assert free[k] == dense[k], k
    assert free["newton_step"] == pytest.approx(dense["newton_step"], rel=1e-6)
