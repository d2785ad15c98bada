"""Gradient descent near saddles: when a step raises the loss, and how long escape takes.

The second-order argument (a step raises the loss when ½ε²gᵀHg > εgᵀg) argues from the second-order expansion

    L(x − εg) ≈ L(x) − ε gᵀg + ½ ε² gᵀHg,

that a step raises the loss when ½ε²gᵀHg > εgᵀg, "which implies that
network training will cease". Two things are checkable:

- **which steps raise the loss**: on a quadratic the expansion is exact, a
  step raises the loss iff it raises some eigen-coordinate's energy, i.e.
  only where ε·λ > 2 for a positive eigenvalue λ carrying weight (so never
  when ε·λ_max < 2, always when ε·λ_min > 2); on a real landscape the
  prediction fails where the curvature changes within one step;
- **escape from a saddle**: from a point at distance δ along the most
  negative eigendirection, gradient descent multiplies that coordinate by
  1 + ε|λ_min| per step, so it reaches distance r after

      ⌈ln(r/δ) / ln(1 + ε|λ_min|)⌉

  steps (exact on a quadratic; a generic perturbation has only a fraction
  of δ along that direction and escapes later). Descent slows near saddles
  but does not stop.

On a sphere the step is ``retract(x, −ε·grad)``; the metric-projection
retraction agrees with the geodesic to second order, so the same expansion
holds with the Riemannian gradient and Hessian.

References
----------
Goodfellow, Bengio & Courville (2016), *Deep Learning*, §4.3.1 and §8.2.3.
Dauphin et al. (2014), Identifying and attacking the saddle point problem in
high-dimensional non-convex optimization, arXiv:1406.2572.
Lee, Simchowitz, Jordan & Recht (2016), Gradient descent only converges to
minimizers, COLT (escape along the unstable manifold).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "DescentRun",
    "gradient_descent",
    "second_order_raise",
    "escape_steps",
    "predicted_escape_steps",
]

#: A loss change counts as a rise only beyond this multiple of float64 rounding of the two values.
_ROUNDING = 8 * np.finfo(float).eps


@dataclass(frozen=True)
class DescentRun:
    """A gradient-descent trajectory.

    Attributes
    ----------
    x : ndarray, shape (steps + 1, dim)
        Iterates, starting point first.
    loss, grad_norm : ndarray, shape (steps + 1,)
        L and |grad L| at each iterate.
    raised : ndarray of bool, shape (steps,)
        Step t raised the loss: L(x_{t+1}) − L(x_t) beyond float rounding.
    predicted : ndarray of bool, shape (steps,), or None
        The second-order prediction ½ε²gᵀHg > εgᵀg at x_t (when requested).
    eps : float
        Step size.
    """

    x: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    raised: np.ndarray
    predicted: np.ndarray | None
    eps: float

    @property
    def raise_fraction(self) -> float:
        """Fraction of steps that raised the loss (NaN for a run of no steps)."""
        return float(self.raised.mean()) if self.raised.size else float("nan")

    @property
    def predicted_fraction(self) -> float:
        """Fraction of steps the second-order condition says raise the loss."""
        if self.predicted is None or not self.predicted.size:
            return float("nan")
        return float(self.predicted.mean())


def second_order_raise(L, x: np.ndarray, eps: float) -> bool:
    """The second-order condition ½ε²gᵀHg > εgᵀg at ``x``, with the Riemannian g and H of landscape ``L``.

    References
    ----------
    Goodfellow, Bengio & Courville (2016), eq. (4.9).
    """
    g = L.gradient(x)
    gt = L.tangent_basis(x).T @ g  # the gradient in the Hessian's orthonormal tangent basis
    return bool(0.5 * eps**2 * (gt @ L.hessian(x) @ gt) > eps * (gt @ gt))


def gradient_descent(L, x0: np.ndarray, eps: float, steps: int, *, predict: bool = False) -> DescentRun:
    """Run ``steps`` steps x ← retract(x, −ε·grad L(x)) from ``x0``.

    Parameters
    ----------
    L : Landscape
    x0 : ndarray, shape (dim,)
    eps : float
        Step size ε > 0.
    steps : int
        Number of steps, >= 0.
    predict : bool
        Also evaluate the second-order prediction at every step (one Hessian
        per step).

    Returns
    -------
    DescentRun
    """
    eps = float(eps)
    if not (eps > 0 and np.isfinite(eps)):
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    x = np.asarray(x0, dtype=float)
    xs = np.empty((steps + 1, x.size))
    loss = np.empty(steps + 1)
    gnorm = np.empty(steps + 1)
    pred = np.zeros(steps, dtype=bool) if predict else None
    for t in range(steps + 1):
        g = L.gradient(x)
        xs[t], loss[t], gnorm[t] = x, L.value(x), np.linalg.norm(g)
        if t == steps:
            break
        if predict:
            pred[t] = second_order_raise(L, x, eps)
        x = L.retract(x, -eps * g)
    dl = np.diff(loss)
    raised = dl > _ROUNDING * (np.abs(loss[:-1]) + np.abs(loss[1:]))
    return DescentRun(x=xs, loss=loss, grad_norm=gnorm, raised=raised, predicted=pred, eps=eps)


def predicted_escape_steps(eps: float, lam_min: float, delta: float, r: float) -> int:
    """⌈ln(r/δ) / ln(1 + ε|λ_min|)⌉: steps for the unstable coordinate to grow from δ to r.

    Parameters
    ----------
    eps : float
        Step size, > 0.
    lam_min : float
        Most negative Hessian eigenvalue at the saddle, < 0.
    delta, r : float
        Initial and escape distances, 0 < δ < r.

    Returns
    -------
    int

    References
    ----------
    Dauphin et al. (2014), §2 (escape along negative curvature).
    """
    if not lam_min < 0:
        raise ValueError(f"lam_min must be < 0 (a saddle or maximum), got {lam_min!r}")
    if not (0 < delta < r):
        raise ValueError(f"need 0 < delta < r, got delta={delta!r}, r={r!r}")
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    return math.ceil(math.log(r / delta) / math.log1p(eps * abs(lam_min)))


def escape_steps(
    L,
    x_saddle: np.ndarray,
    eps: float,
    delta: float,
    r: float,
    *,
    direction: np.ndarray | None = None,
    rng=None,
    max_steps: int = 100_000,
) -> int:
    """Gradient-descent steps from a perturbed saddle until the distance to it reaches ``r``.

    Parameters
    ----------
    L : Landscape
    x_saddle : ndarray, shape (dim,)
        The critical point.
    eps, delta, r : float
        Step size, perturbation size δ and escape distance r > δ.
    direction : ndarray, shape (dim,), optional
        Tangent direction of the perturbation (normalised here); default a
        uniformly random unit tangent vector drawn from ``rng``.
    rng : None, int, SeedSequence or Generator
        Used only for the random direction.
    max_steps : int
        Give up after this many steps.

    Returns
    -------
    int
        Steps taken, or −1 when the run did not escape within ``max_steps``
        (e.g. the perturbation had no component along a descent direction).
    """
    if not (0 < delta < r):
        raise ValueError(f"need 0 < delta < r, got delta={delta!r}, r={r!r}")
    xs = np.asarray(x_saddle, dtype=float)
    if direction is None:
        rng = np.random.default_rng(rng)
        U = L.tangent_basis(xs)
        direction = U @ rng.standard_normal(U.shape[1])
    u = np.asarray(direction, dtype=float)
    x = L.retract(xs, delta * u / np.linalg.norm(u))
    for t in range(max_steps + 1):
        if np.linalg.norm(x - xs) >= r:
            return t
        x = L.retract(x, -eps * L.gradient(x))
    return -1
