"""A quadratic landscape f(x) = ½ xᵀ A x: the exact local model of every nondegenerate critical point.

Near a critical point x* with Hessian A a loss is f(x*) + ½ (x − x*)ᵀA(x − x*)
to second order, so gradient descent on the quadratic is what the second-order
escape argument analyses: each eigen-coordinate c_i is multiplied by
(1 − ε λ_i) per step, a step raises the loss exactly when
½ε²gᵀAg > ε gᵀg, and a start δ along the most negative eigendirection
reaches distance r after ⌈ln(r/δ) / ln(1 + ε|λ_min|)⌉ steps.

References
----------
Goodfellow, Bengio & Courville (2016), *Deep Learning*, §4.3.1 (the
second-order step condition) and §8.2.3 (saddles).
Dauphin et al. (2014), arXiv:1406.2572.
"""

from __future__ import annotations

import numpy as np

from saddlesim.landscapes._checks import check_int
from saddlesim.landscapes.base import Euclidean

__all__ = ["Quadratic", "quadratic"]


class Quadratic(Euclidean):
    """f(x) = ½ xᵀ A x for a fixed symmetric A, shape (n, n); its one critical point is x = 0."""

    name = "quadratic"
    convention = "the single critical point x = 0"

    def __init__(self, A: np.ndarray, params: dict | None = None):
        A = np.asarray(A, dtype=float)
        if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.allclose(A, A.T):
            raise ValueError(f"A must be a symmetric square matrix, got shape {A.shape}")
        self.A = (A + A.T) / 2
        self.dim = A.shape[0]
        self.params = dict(params) if params is not None else {"n": self.dim}

    def value(self, x):
        x = np.asarray(x, dtype=float)
        return float(0.5 * x @ self.A @ x)

    def gradient(self, x):
        return self.A @ np.asarray(x, dtype=float)

    def hessian(self, x):
        return self.A.copy()

    def random_point(self, rng):
        return rng.standard_normal(self.dim)


def quadratic(n: int = 4, rng=None) -> Quadratic:
    """A random quadratic with a GOE Hessian (density ∝ exp(−tr A²/2)): a saddle almost always.

    Parameters
    ----------
    n : int
        Dimension, n >= 1.
    rng : None, int, SeedSequence or Generator

    References
    ----------
    Mehta (2004), *Random Matrices*, ch. 3 (GOE normalisation as in saddlesim.models).
    """
    from saddlesim.models import goe_matrices

    n = check_int("n", n, 1)
    return Quadratic(goe_matrices(n, 1, np.random.default_rng(rng))[0], {"n": n})
