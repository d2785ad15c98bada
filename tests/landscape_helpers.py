"""Small landscapes with known critical points, for the finder's tests.

``quadratic`` is u(x) = xᵀSx/N on the sphere |x|² = N (the p = 2 p-spin up to
scale): its critical points are exactly ±√N v_k for the unit eigenvectors v_k
of S, and ±√N v_k has index k (eigenvalues in increasing order), so 2N
points with indices 0 … N−1, each twice.

``double_well`` is a Euclidean loss with an exact zero mode (a line of
critical points), for the nullity labels.
"""

from __future__ import annotations

import numpy as np

from saddlesim.landscapes.base import Euclidean, Sphere

__all__ = ["Quadratic", "quadratic", "DoubleWell", "double_well"]


class Quadratic(Sphere):
    """u(x) = xᵀ S x / N on |x|² = N."""

    name = "quadratic"
    convention = "x and -x distinct"

    def __init__(self, S):
        self.S = np.asarray(S, dtype=float)
        self.dim = self.S.shape[0]
        self.params = {"N": self.dim}

    def value(self, x):
        return float(x @ self.S @ x) / self.dim

    def egrad(self, x):
        return 2.0 * self.S @ x / self.dim

    def ehess(self, x):
        return 2.0 * self.S / self.dim


def quadratic(rng, N: int = 4) -> Quadratic:
    """A GOE-coupled quadratic form on the sphere, drawn from ``rng``."""
    rng = np.random.default_rng(rng)
    A = rng.standard_normal((N, N))
    return Quadratic((A + A.T) / 2)


class DoubleWell(Euclidean):
    """L(x, y, z) = (x² − 1)² + y², flat along z.

    Critical points: x ∈ {−1, 0, 1}, y = 0, any z (a line of critical points,
    one zero mode). canonical(x) sets z = 0, so each line counts once: three
    classes, minima at x = ±1 (degenerate minima: nullity 1) and a degenerate
    saddle at x = 0 (index 1, nullity 1).
    """

    name = "double-well"
    convention = "points differing only in z are one"
    dim = 3

    def __init__(self, scale: float = 1.0):
        self.scale = float(scale)
        self.params = {"scale": self.scale}

    def value(self, x):
        return float(self.scale * ((x[0] ** 2 - 1) ** 2 + x[1] ** 2))

    def gradient(self, x):
        return self.scale * np.array([4 * x[0] * (x[0] ** 2 - 1), 2 * x[1], 0.0])

    def hessian(self, x):
        return self.scale * np.diag([12 * x[0] ** 2 - 4, 2.0, 0.0])

    def random_point(self, rng):
        return rng.uniform(-2, 2, size=3)

    def canonical(self, x):
        return np.array([x[0], x[1], 0.0])


def double_well(rng, scale: float = 1.0) -> DoubleWell:
    """A :class:`DoubleWell` (no disorder; ``rng`` unused)."""
    return DoubleWell(scale)
