"""Any JAX loss as a landscape: value, gradient, Hessian-vector products and Hessian by autodiff.

A loss is a plain function ``loss(x)`` of a 1-D float64 ``jax.numpy`` array
returning a scalar; nothing else is written by hand. :func:`jax_landscape`
wraps it in Euclidean space or on the sphere ``|x|² = dim`` (the p-spin's
geometry; the Riemannian gradient and Hessian then follow from the Euclidean
ones exactly as for the hand-written landscapes, :class:`~saddlesim.landscapes.base.Sphere`).

Every derivative is compiled once per instance (``jax.jit``) and runs in
float64; the Hessian is formed from products over blocks of basis vectors
(:mod:`saddlesim.curvature.dense`, never ``jax.hessian``, whose memory grows
with rows × parameters); Hessian-vector products are forward-over-reverse
(``jvp`` of ``grad``), the cheapest exact route, one gradient's cost times a
small constant, and never form the Hessian.

JAX is an optional dependency (``pip install 'saddlesim[jax]'``): it is
imported when a JAX landscape is built, never by any other command.

References
----------
Bradbury et al. (2018), JAX: composable transformations of Python+NumPy
programs, http://github.com/jax-ml/jax (``grad``, ``jvp``, ``hessian``, ``jit``).
Pearlmutter (1994), Fast exact multiplication by the Hessian, Neural
Computation 6, 147–160 (Hessian-vector products in one pass).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from saddlesim.landscapes._checks import check_int
from saddlesim.landscapes.base import Euclidean, Sphere

__all__ = ["import_jax", "jax_landscape", "JaxEuclidean", "JaxSphere", "JaxBatch"]


def import_jax():
    """JAX with float64 enabled, or a one-line ValueError saying how to install it.

    Raises
    ------
    ValueError
        JAX is not installed, or float64 cannot be enabled (saddlesim's
        tolerances assume double precision; float32 would move every label).
    """
    try:
        import jax
    except ImportError:
        raise ValueError("JAX losses need JAX: pip install 'saddlesim[jax]'") from None
    jax.config.update("jax_enable_x64", True)
    if jax.numpy.zeros(1).dtype != np.float64:
        raise ValueError("JAX could not enable float64 (jax_enable_x64); saddlesim needs double precision")
    return jax


class _JaxDerivatives:
    """The compiled value, gradient, HVP and Hessian of one loss (shared by both geometries)."""

    #: Derivatives come from autodiff: nothing hand-written to check against finite differences.
    autodiff = True

    #: smallest ambient dimension of the geometry
    min_dim = 1

    def __init__(self, loss, dim, *, name="jax", start_scale=1.0, random_point=None):
        self.dim = check_int("dim", dim, self.min_dim)
        self.name = str(name)
        self.start_scale = _positive("start_scale", start_scale)
        self._random_point = random_point
        self.params = self._describe()
        self._compile(loss)

    def _describe(self) -> dict:
        """``params``: what rebuilds the geometry."""
        return {"dim": self.dim, "start_scale": self.start_scale}

    def _compile(self, loss: Callable) -> None:
        jax = import_jax()
        self._loss = loss
        self._f = jax.jit(loss)
        self._g = jax.jit(jax.grad(loss))
        self._hvp = jax.jit(_hvp_of(jax, loss))
        self._h = None          # compiled at the first Hessian, when a point sizes its blocks
        self.hessian_block = None
        self._jnp = jax.numpy

    def _x(self, x) -> "object":
        x = np.asarray(x, dtype=np.float64)
        if x.shape != (self.dim,):
            raise ValueError(f"a point of {self.name} has shape ({self.dim},), got {x.shape}")
        return self._jnp.asarray(x)

    def value(self, x) -> float:
        return float(self._f(self._x(x)))

    def egrad(self, x) -> np.ndarray:
        """Euclidean gradient, shape (dim,)."""
        return np.asarray(self._g(self._x(x)), dtype=np.float64)

    def ehvp(self, x, v) -> np.ndarray:
        """Euclidean Hessian times ``v``, shape (dim,), forward-over-reverse."""
        return np.asarray(self._hvp(self._x(x), self._jnp.asarray(np.asarray(v, dtype=np.float64))),
                          dtype=np.float64)

    def ehess(self, x) -> np.ndarray:
        """Euclidean Hessian, shape (dim, dim), symmetrised (autodiff is symmetric to rounding).

        Formed from Hessian-vector products over blocks of basis vectors
        (:mod:`saddlesim.curvature.dense`), never ``jax.hessian``: peak memory
        is one block's intermediates, the block sized from
        :data:`~saddlesim.curvature.dense.MEMORY` at the first call.
        """
        xj = self._x(x)
        if self._h is None:
            from saddlesim.curvature.dense import block_hessian, block_size

            jax = import_jax()
            hvp = _hvp_of(jax, self._loss)
            # the point as an argument of the compiled product, not a constant XLA folds with the data
            self.hessian_block = block_size(lambda v, y: hvp(y, v), self.dim, args=(xj,))
            dim, block = self.dim, self.hessian_block
            self._h = jax.jit(lambda y: block_hessian(lambda v: hvp(y, v), dim, block))
        H = np.asarray(self._h(xj), dtype=np.float64)
        S = H + H.T                 # one n × n copy, halved in place
        S *= 0.5
        return S


class JaxEuclidean(_JaxDerivatives, Euclidean):
    """A JAX loss on ℝ^dim; see :func:`jax_landscape`."""

    convention = "points are distinct unless equal; canonical(x) = x"

    def gradient(self, x) -> np.ndarray:
        return self.egrad(x)

    def hvp(self, x, v) -> np.ndarray:
        """Hessian times ``v``, shape (dim,), without forming the Hessian."""
        return self.ehvp(x, v)

    def hvps(self, x, V) -> np.ndarray:
        """Hessian times each row of ``V`` (shape (k, dim)) in one ``vmap``-ped call, shape (k, dim).

        Wins on a GPU, where k products fill the device; on a CPU it measured
        no faster at 2410 parameters and 10× slower at 85 000 (memory-bound),
        so the CPU path multiplies row by row (:func:`~saddlesim.curvature.operators.landscape_operator`).
        """
        if getattr(self, "_hvps", None) is None:
            jax = import_jax()
            self._hvps = jax.jit(jax.vmap(_hvp_of(jax, self._loss), in_axes=(None, 0)))
        V = self._jnp.asarray(np.asarray(V, dtype=np.float64))
        return np.asarray(self._hvps(self._x(x), V), dtype=np.float64)

    def hessian(self, x) -> np.ndarray:
        return self.ehess(x)

    def random_point(self, rng) -> np.ndarray:
        return _start(self, rng)

    def batched(self) -> "JaxBatch":
        """Value, gradient and Hessian at many points per call (for :func:`~saddlesim.critical.batch.newton_mr_batch`)."""
        return JaxBatch(self)


class JaxBatch:
    """``jax.vmap`` of a Euclidean JAX loss's compiled derivatives, rows of X (B, dim) at once.

    Hessians go ``chunk`` points per call: a batch of dense Hessians holds
    B·dim tangents of every intermediate, so memory, not arithmetic, bounds B.
    """

    geometry = "euclidean"

    def __init__(self, landscape: JaxEuclidean, chunk: int = 16):
        jax = import_jax()
        loss = landscape._loss
        self._jnp = jax.numpy
        self._f = jax.jit(jax.vmap(loss))
        self._g = jax.jit(jax.vmap(jax.grad(loss)))
        from saddlesim.curvature.dense import block_hessian

        hvp, dim = _hvp_of(jax, loss), landscape.dim
        # one block of all dim basis vectors per point: the finder's losses are small, and `chunk` bounds B
        self._h = jax.jit(jax.vmap(lambda x: block_hessian(lambda v: hvp(x, v), dim, dim)))
        self.chunk = check_int("chunk", chunk, 1)

    def _call(self, fn, X, chunk=None) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        step = len(X) if chunk is None else chunk
        parts = [np.asarray(fn(self._jnp.asarray(X[i:i + step])), dtype=np.float64) for i in range(0, len(X), step)]
        return np.concatenate(parts) if parts else np.zeros((0,) + X.shape[1:])

    def value(self, X) -> np.ndarray:
        return self._call(self._f, X)

    def egrad(self, X) -> np.ndarray:
        return self._call(self._g, X)

    def ehess(self, X) -> np.ndarray:
        return self._call(self._h, X, self.chunk)


class JaxSphere(_JaxDerivatives, Sphere):
    """A JAX loss on the sphere ``|x|² = dim``; see :func:`jax_landscape`.

    The Riemannian gradient and Hessian come from :class:`~saddlesim.landscapes.base.Sphere`
    (Absil, Mahony & Sepulchre 2008, §5.5) applied to the autodiff ``egrad``
    and ``ehess``, so a JAX p-spin and the hand-written one share every line
    but the derivatives.
    """

    convention = "points are distinct unless equal; canonical(x) = x"

    min_dim = 2

    def _describe(self) -> dict:
        return {"dim": self.dim, "manifold": "sphere"}

    def hvp(self, x, v) -> np.ndarray:
        """Riemannian Hessian times a tangent vector ``v`` (ambient coordinates), shape (dim,).

        Hess f(x)[v] = P ∇²f(x) v − (xᵀ∇f(x) / r²) v for v ⟂ x (Absil et al. 2008, eq. 5.15).
        """
        x = np.asarray(x, dtype=np.float64)
        v = self._project(x, np.asarray(v, dtype=np.float64))
        radial = (x @ self.egrad(x)) / self.radius2
        return self._project(x, self.ehvp(x, v)) - radial * v

    def random_point(self, rng) -> np.ndarray:
        if self._random_point is not None:
            return _start(self, rng)
        return Sphere.random_point(self, rng)


def _hvp_of(jax, loss):
    """``(x, v) -> ∇²loss(x) v``, forward-over-reverse (Pearlmutter 1994), traceable."""
    return lambda x, v: jax.jvp(jax.grad(loss), (x,), (v,))[1]


def _positive(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _start(landscape, rng) -> np.ndarray:
    """The module's own ``random_point(rng)`` if it has one, else N(0, s²I)."""
    rng = np.random.default_rng(rng)
    if landscape._random_point is None:
        return landscape.start_scale * rng.standard_normal(landscape.dim)
    x = np.asarray(landscape._random_point(rng), dtype=np.float64)
    if x.shape != (landscape.dim,):
        raise ValueError(f"random_point of {landscape.name} returned shape {x.shape}, not ({landscape.dim},)")
    return x


def jax_landscape(loss: Callable, dim: int, *, manifold: str = "euclidean", name: str = "jax",
                  start_scale: float = 1.0, random_point: Callable | None = None):
    """Wrap a JAX loss as a landscape with autodiff derivatives.

    Parameters
    ----------
    loss : callable
        ``loss(x) -> scalar`` for ``x`` a float64 ``jax.numpy`` array of shape
        ``(dim,)``; written with ``jax.numpy`` so that JAX can trace it.
    dim : int
        Length of ``x`` (ambient; the sphere's tangent space has ``dim − 1``).
    manifold : {"euclidean", "sphere"}
    name : str
    start_scale : float
        Random starts are N(0, start_scale² I) (Euclidean) unless
        ``random_point`` is given; on the sphere, uniform points.
    random_point : callable, optional
        ``random_point(rng) -> ndarray (dim,)`` from a numpy Generator.

    Returns
    -------
    JaxEuclidean or JaxSphere
        Implements :class:`~saddlesim.landscapes.base.Landscape`, plus
        ``hvp(x, v)``.

    Raises
    ------
    ValueError
        JAX missing, float64 unavailable, bad ``dim``/``manifold``, or a loss
        that does not return one finite-shaped scalar at a test point.
    """
    if not callable(loss):
        raise ValueError(f"a JAX loss must be callable, got a {type(loss).__name__}")
    cls = {"euclidean": JaxEuclidean, "sphere": JaxSphere}.get(manifold)
    if cls is None:
        raise ValueError(f"manifold must be 'euclidean' or 'sphere', got {manifold!r}")
    land = cls(loss, dim, name=name, start_scale=start_scale, random_point=random_point)
    # trace once at a harmless point so a wrong signature fails here, in one line
    try:
        out = land._f(land._jnp.ones(land.dim))
    except Exception as exc:  # the user's loss failed to trace: their error, said in one line
        raise ValueError(f"loss {name!r} failed on a float64 array of shape ({land.dim},): "
                         f"{type(exc).__name__}: {exc}".splitlines()[0]) from None
    if getattr(out, "shape", None) != ():
        raise ValueError(f"loss {name!r} must return a scalar, got shape {getattr(out, 'shape', None)}")
    return land
