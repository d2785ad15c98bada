"""Symmetric operators known only through products ``v ↦ H v``: an explicit matrix, or a Hessian at a point.

Everything in :mod:`saddlesim.curvature` sees an operator through
:class:`Operator`: its size ``n``, ``matvec(v)`` and ``matmat(V)`` (rows of
``V`` multiplied at once, so stochastic Lanczos can run its probes in
lockstep), and a counter of products ``hvps`` — the cost that matters when
one product is a forward-over-reverse pass through a network.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["Operator", "as_operator", "matrix_operator", "landscape_operator"]


class Operator:
    """A symmetric linear operator on ℝⁿ given by products.

    Parameters
    ----------
    n : int
        Dimension.
    matvec : callable
        ``matvec(v) -> (n,)`` for ``v`` of shape ``(n,)``.
    matmat : callable, optional
        ``matmat(V) -> (k, n)``: ``H`` times each row of ``V`` (shape
        ``(k, n)``); default: ``matvec`` row by row.
    dense : callable, optional
        ``dense() -> (n, n)``, the matrix itself, for the exact route.
    norm_bound : float, optional
        A proven upper bound on ‖H‖₂ (e.g. the ∞-norm of an explicit matrix),
        used by :func:`saddlesim.curvature.certify.certified_index`.
    name : str
    """

    def __init__(self, n: int, matvec: Callable, *, matmat: Callable | None = None,
                 dense: Callable | None = None, norm_bound: float | None = None, name: str = "operator"):
        self.n = int(n)
        self._matvec = matvec
        self._matmat = matmat
        self._dense = dense
        self.norm_bound = None if norm_bound is None else float(norm_bound)
        self.name = str(name)
        #: Number of operator-vector products so far (a block of k rows counts k).
        self.hvps = 0

    def matvec(self, v) -> np.ndarray:
        """``H v``, shape (n,)."""
        self.hvps += 1
        return np.array(self._matvec(np.asarray(v, dtype=np.float64)), dtype=np.float64)  # writable copy

    def matmat(self, V) -> np.ndarray:
        """``H`` times each row of ``V`` (shape (k, n)), shape (k, n)."""
        V = np.asarray(V, dtype=np.float64)
        if self._matmat is None:
            out = np.stack([np.array(self._matvec(v), dtype=np.float64) for v in V])
        else:
            out = np.array(self._matmat(V), dtype=np.float64)  # writable (JAX arrays are not)
        self.hvps += V.shape[0]
        return out

    @property
    def has_dense(self) -> bool:
        return self._dense is not None

    def dense(self) -> np.ndarray:
        """The matrix, shape (n, n), symmetrised; ValueError if the operator has none."""
        if self._dense is None:
            raise ValueError(f"{self.name} has no dense form; use a matrix-free method")
        H = np.asarray(self._dense(), dtype=np.float64)
        return (H + H.T) / 2


def matrix_operator(A, *, name: str = "matrix") -> Operator:
    """An explicit symmetric matrix ``A`` (shape (n, n)) as an :class:`Operator`.

    ``norm_bound`` is ‖A‖_∞ (max absolute row sum), a proven bound on ‖A‖₂ for symmetric A.

    Raises
    ------
    ValueError
        Not square, not finite, or not symmetric to 1e-12 relative.
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
        raise ValueError(f"an operator matrix must be square, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError("the matrix has non-finite entries")
    scale = float(np.max(np.abs(A))) or 1.0
    if np.max(np.abs(A - A.T)) > 1e-12 * scale:
        raise ValueError("the matrix is not symmetric")
    A = (A + A.T) / 2
    return Operator(A.shape[0], lambda v: A @ v, matmat=lambda V: V @ A, dense=lambda: A,
                    norm_bound=float(np.max(np.sum(np.abs(A), axis=1))), name=name)


def landscape_operator(landscape, x, *, batched: bool | None = None) -> Operator:
    """The Hessian of ``landscape`` at ``x`` as an operator on its tangent space.

    Uses ``landscape.hvp(x, v)`` when the landscape has it, never forming the Hessian; a landscape without either
    falls back to its dense ``hessian(x)``. On a non-Euclidean landscape
    (the sphere) products go through ``tangent_basis(x)`` (shape (dim, n)),
    which is dense, so the matrix-free saving is for Euclidean landscapes.

    Parameters
    ----------
    landscape : Landscape
    x : array_like, shape (dim,)
    batched : bool, optional
        ``matmat`` through the landscape's ``hvps`` (one ``vmap``-ped call for
        a block of vectors: lockstep SLQ probes at once). Default: only when
        JAX's default device is a GPU, where it wins; on a CPU row by row.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (landscape.dim,):
        raise ValueError(f"the point has shape {x.shape}; {landscape.name} needs ({landscape.dim},)")
    if not np.all(np.isfinite(x)):
        raise ValueError("the point has non-finite coordinates")
    has_hvp = callable(getattr(landscape, "hvp", None))
    # Euclidean landscapes: tangent space = ℝ^dim (never build the dim × dim identity basis)
    euclidean = getattr(landscape, "manifold_dim", landscape.dim) == landscape.dim
    if euclidean:
        n = landscape.dim
        matvec = (lambda v: landscape.hvp(x, v)) if has_hvp else (lambda v: landscape.hessian(x) @ v)
        # no batched HVP on a CPU: a vmapped one measured no faster at 2410 parameters and 10x slower at 85k
        if batched is None:
            batched = _on_gpu() if callable(getattr(landscape, "hvps", None)) else False
        matmat = (lambda V: landscape.hvps(x, V)) if batched and callable(getattr(landscape, "hvps", None)) else None
        dense = lambda: landscape.hessian(x)  # noqa: E731
    else:
        U = landscape.tangent_basis(x)
        n = U.shape[1]
        if has_hvp:
            matvec = lambda c: U.T @ landscape.hvp(x, U @ c)  # noqa: E731
        else:
            matvec = lambda c: U.T @ (landscape.hessian(x) @ (U @ c))  # noqa: E731
        matmat = None
        dense = lambda: landscape.hessian(x)  # noqa: E731  (already in tangent coordinates)
    return Operator(n, matvec, matmat=matmat, dense=dense, name=str(getattr(landscape, "name", "landscape")))


def _on_gpu() -> bool:
    """Whether JAX is loaded and its default device is a GPU (never imports JAX itself)."""
    import sys

    jax = sys.modules.get("jax")
    if jax is None:
        return False
    try:
        return jax.default_backend() == "gpu"
    except Exception:       # a JAX without a usable backend: the CPU path
        return False


def as_operator(obj, x=None) -> Operator:
    """An :class:`Operator` from an operator, a symmetric matrix, or a landscape and a point ``x``."""
    if isinstance(obj, Operator):
        return obj
    if hasattr(obj, "dim") and (hasattr(obj, "hvp") or hasattr(obj, "hessian")):
        if x is None:
            raise ValueError(f"a landscape ({getattr(obj, 'name', 'landscape')}) needs a point x")
        return landscape_operator(obj, x)
    if x is not None:
        raise ValueError("a point x is only meaningful with a landscape")
    return matrix_operator(obj)
