"""What a landscape is: a loss on a parameter manifold with exact derivatives.

A landscape is an *instance* (its disorder, e.g. the p-spin couplings or a
network's training data, is drawn once when it is built) with a small
protocol:

``value(x) -> float``
    The loss at a point ``x`` of shape ``(dim,)``.
``gradient(x) -> ndarray, shape (dim,)``
    The Riemannian gradient, as a tangent vector in ambient coordinates
    (for a Euclidean landscape, the ordinary gradient).
``hessian(x) -> ndarray, shape (manifold_dim, manifold_dim)``
    The Riemannian Hessian in the orthonormal tangent basis
    :meth:`tangent_basis` returns, symmetric. Its eigenvalues are the ones
    the index counts (N - 1 tangent directions on the p-spin sphere).
``tangent_basis(x) -> ndarray, shape (dim, manifold_dim)``
    Orthonormal columns spanning the tangent space at ``x``.
``retract(x, v) -> ndarray, shape (dim,)``
    Move from ``x`` along the tangent vector ``v`` (ambient coordinates) and
    land back on the manifold.
``random_point(rng) -> ndarray, shape (dim,)``
    A random start, from a :class:`numpy.random.Generator`.
``canonical(x) -> ndarray``
    A representative of ``x``'s symmetry class, so that two points that the
    landscape's counting convention calls "the same critical point" map to
    (numerically) the same array; see each landscape's ``convention``.

Optional: ``balance(x) -> ndarray, shape (dim,)``, a point of the same
symmetry class in a well-conditioned gauge (the autoencoder's W₁, W₂ with
equal singular values); the finder labels end points there.

Following pymanopt, the geometry (sphere or Euclidean space) is a mixin and
the cost is a plain set of Euclidean derivatives: a new landscape on the
sphere supplies only ``egrad`` and ``ehess``.

References
----------
Absil, Mahony & Sepulchre (2008), *Optimization Algorithms on Matrix
Manifolds*, §5.5 (Riemannian Hessian of a submanifold).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["Landscape", "Euclidean", "Sphere"]


@runtime_checkable
class Landscape(Protocol):
    """A loss with exact derivatives on a manifold of dimension ``manifold_dim``."""

    name: str
    #: Ambient coordinates: the length of a point ``x``.
    dim: int
    #: Dimension of the tangent space: the size of :meth:`hessian`.
    manifold_dim: int
    #: One line saying which points count as the same critical point.
    convention: str

    def value(self, x: np.ndarray) -> float: ...

    def gradient(self, x: np.ndarray) -> np.ndarray: ...

    def hessian(self, x: np.ndarray) -> np.ndarray: ...

    def tangent_basis(self, x: np.ndarray) -> np.ndarray: ...

    def retract(self, x: np.ndarray, v: np.ndarray) -> np.ndarray: ...

    def random_point(self, rng: np.random.Generator) -> np.ndarray: ...

    def canonical(self, x: np.ndarray) -> np.ndarray: ...


class Euclidean:
    """Geometry of ℝ^dim: the tangent space is everything, retraction is ``x + v``."""

    dim: int

    @property
    def manifold_dim(self) -> int:
        return self.dim

    def tangent_basis(self, x):
        return np.eye(self.dim)

    def retract(self, x, v):
        return np.asarray(x, dtype=float) + v

    def canonical(self, x):
        return np.asarray(x, dtype=float)


class Sphere:
    """Geometry of the sphere ``|x|^2 = radius2`` in ℝ^dim (the p-spin's ``|σ|² = N``).

    A subclass supplies the Euclidean derivatives ``egrad(x)`` and
    ``ehess(x)`` (shape ``(dim,)`` and ``(dim, dim)``); then, with
    ``P = I - x xᵀ / r²``,

    grad f(x) = P ∇f(x),   Hess f(x) = P ∇²f(x) P − (xᵀ∇f(x) / r²) P,

    restricted to the tangent space (Absil et al. 2008, eq. 5.15 and §5.5).
    """

    dim: int

    @property
    def radius2(self) -> float:
        return float(self.dim)

    @property
    def manifold_dim(self) -> int:
        return self.dim - 1

    def _project(self, x, v):
        return v - x * (x @ v) / self.radius2

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        return self._project(x, self.egrad(x))

    def tangent_basis(self, x):
        # Householder-free: the last N - 1 columns of a complete QR of x are
        # an orthonormal basis of its orthogonal complement.
        q, _ = np.linalg.qr(np.asarray(x, dtype=float).reshape(-1, 1), mode="complete")
        return q[:, 1:]

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        U = self.tangent_basis(x)
        radial = (x @ self.egrad(x)) / self.radius2
        H = U.T @ self.ehess(x) @ U - radial * np.eye(self.dim - 1)
        return (H + H.T) / 2

    def retract(self, x, v):
        y = np.asarray(x, dtype=float) + v
        return y * np.sqrt(self.radius2 / (y @ y))

    def random_point(self, rng):
        x = rng.standard_normal(self.dim)
        return x * np.sqrt(self.radius2 / (x @ x))

    def canonical(self, x):
        return np.asarray(x, dtype=float)
