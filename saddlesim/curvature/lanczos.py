"""Lanczos with full reorthogonalisation: extreme Ritz pairs of a symmetric operator with residual bounds.

After m steps from a unit start vector q₁ the Lanczos relation is

    H Q_m = Q_m T_m + β_m q_{m+1} e_mᵀ,

with Q_m (n × m) orthonormal and T_m tridiagonal (diagonal α, off-diagonal β).
For an eigenpair T_m y = θ y (|y| = 1) the Ritz vector u = Q_m y has residual
|H u − θ u| = |β_m e_mᵀ y|, so some eigenvalue of H lies within that bound of
θ (Parlett 1998, The Symmetric Eigenvalue Problem, Thm 4.5.1 and §13.2), and
Cauchy interlacing gives λ_i(H) ≤ θ_i and θ_{m+1−i} ≤ λ_{n+1−i}(H) for the
ordered Ritz values θ₁ ≤ … ≤ θ_m (Parlett §10.1).

Full reorthogonalisation (classical Gram–Schmidt twice against every
previous vector; "twice is enough", Giraud, Langou & Rozložník 2005) keeps
Q_m orthonormal to rounding, so no ghost copies of converged eigenvalues
appear; it costs O(n m²) flops and n·m floats, negligible beside m
Hessian-vector products for the sizes here.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh_tridiagonal

from saddlesim.curvature.operators import Operator, as_operator

__all__ = ["LanczosProcess", "RitzPairs", "extreme_eigenpairs", "ritz_bounds"]

EPS = float(np.finfo(float).eps)


def ritz_bounds(beta_m: float, S: np.ndarray) -> np.ndarray:
    """Residual norms |H u − θ u| = |β_m e_mᵀ y| of the Ritz pairs, shape (m,).

    Parameters
    ----------
    beta_m : float
        The last off-diagonal β_m (the norm of the next, unused, Lanczos vector).
    S : ndarray, shape (m, m)
        Eigenvectors of T_m, one per column.
    """
    return np.abs(beta_m * S[-1, :])


class RitzPairs:
    """Ritz values, residual bounds and (on demand) Ritz vectors of a Lanczos process.

    Attributes
    ----------
    values : ndarray, shape (m,)
        Ritz values θ, ascending.
    bounds : ndarray, shape (m,)
        Residual bounds |β_m e_mᵀ y|: each θ is within its bound of an eigenvalue.
    S : ndarray, shape (m, m)
        Eigenvectors of T_m (columns).
    """

    def __init__(self, values, bounds, S, Q):
        self.values, self.bounds, self.S, self._Q = values, bounds, S, Q

    def vectors(self, idx) -> np.ndarray:
        """Ritz vectors u = Q_m y for the indices ``idx``, shape (len(idx), n), rows."""
        return self.S[:, idx].T @ self._Q


class LanczosProcess:
    """A Lanczos process that can be extended step by step.

    Parameters
    ----------
    op : Operator
    start : array_like, shape (n,)
        Start vector (normalised here).
    basis : ndarray, shape (c, n), optional
        Orthonormal rows to deflate: every Lanczos vector is kept orthogonal to
        them, so the process runs on the compression of H to their complement.
    capacity : int
        Lanczos vectors allocated at first (doubled as needed).
    budget : int, optional
        Steps the caller will take at most: storage is never grown past it.

    Attributes
    ----------
    alpha, beta : list of float
        Diagonal and off-diagonal of T_m; ``beta[-1]`` is β_m.
    m : int
        Steps taken.
    invariant : bool
        True when β_m fell to rounding level: span(Q_m) is an invariant subspace.
    """

    def __init__(self, op: Operator, start, *, basis=None, capacity: int = 64, budget: int | None = None):
        self.op = op
        self.basis = None if basis is None or len(basis) == 0 else np.asarray(basis, dtype=np.float64)
        q = self._orth(np.asarray(start, dtype=np.float64).copy(), None)
        nq = np.linalg.norm(q)
        if not nq > 0:
            raise ValueError("the Lanczos start vector is zero (or lies in the deflated basis)")
        self._Q = np.empty((max(capacity, 2), op.n))
        self._Q[0] = q / nq
        self.alpha: list[float] = []
        self.beta: list[float] = []
        self.m = 0
        self.invariant = False
        self._scale = 1e-300
        free = op.n - (0 if self.basis is None else self.basis.shape[0])
        self.max_steps = free
        # storage never grows past the caller's step budget (the peak is old + new rows)
        self._cap = free + 1 if budget is None else min(free, int(budget)) + 1

    def _orth(self, w, Q):
        # classical Gram–Schmidt, twice (Giraud, Langou & Rozložník 2005)
        for _ in range(2):
            if Q is not None and len(Q):
                w -= (Q @ w) @ Q
            if self.basis is not None:
                w -= (self.basis @ w) @ self.basis
        return w

    @property
    def Q(self) -> np.ndarray:
        """The Lanczos vectors q₁ … q_m, shape (m, n), rows."""
        return self._Q[:self.m]

    def extend(self, steps: int) -> "LanczosProcess":
        """Take up to ``steps`` more steps (fewer if the space is exhausted or invariant)."""
        for _ in range(int(steps)):
            if self.invariant or self.m >= self.max_steps:
                break
            j = self.m
            if j + 1 >= self._Q.shape[0]:
                grown = np.empty((max(min(2 * self._Q.shape[0], self._cap), j + 2), self.op.n))
                grown[:j + 1] = self._Q[:j + 1]
                self._Q = grown
            q = self._Q[j]
            w = self.op.matvec(q)
            a = float(q @ w)
            w -= a * q
            if j > 0:
                w -= self.beta[-1] * self._Q[j - 1]
            w = self._orth(w, self._Q[:j + 1])
            b = float(np.linalg.norm(w))
            self.alpha.append(a)
            self.beta.append(b)
            self.m += 1
            # running max of |α| and the earlier β: rescanning the lists each step was O(m²) in Python
            self._scale = max(self._scale, abs(a), self.beta[-2] if j > 0 else 0.0)
            scale = self._scale
            if b <= 8 * EPS * scale * np.sqrt(self.op.n):
                # rounding-level β: the Krylov space is invariant; the relation holds with β_m = b
                self.invariant = True
                break
            self._Q[j + 1] = w / b
        return self

    def ritz(self) -> RitzPairs:
        """Ritz values, residual bounds and vectors of T_m (m ≥ 1)."""
        if self.m == 0:
            raise ValueError("no Lanczos steps taken yet")
        a = np.asarray(self.alpha)
        b = np.asarray(self.beta)
        if self.m == 1:
            theta, S = a.copy(), np.ones((1, 1))
        else:
            theta, S = eigh_tridiagonal(a, b[:-1])
        return RitzPairs(theta, ritz_bounds(b[-1], S), S, self.Q)

    def tridiagonal(self) -> np.ndarray:
        """T_m as a dense matrix, shape (m, m)."""
        T = np.diag(np.asarray(self.alpha))
        if self.m > 1:
            off = np.asarray(self.beta[:-1])
            T += np.diag(off, 1) + np.diag(off, -1)
        return T


def extreme_eigenpairs(op_or_matrix, k: int = 1, *, which: str = "both", rtol: float = 1e-10,
                       steps: int = 20, max_steps: int | None = None, start=None, rng=None) -> dict:
    """The ``k`` smallest and/or largest eigenvalues of a symmetric operator, with residual bounds.

    Lanczos with full reorthogonalisation from a Gaussian start vector,
    extended ``steps`` at a time until the wanted Ritz pairs have residual
    bound ≤ ``rtol`` · max|θ| (or the space is exhausted).

    Parameters
    ----------
    op_or_matrix : Operator or ndarray (n, n)
    k : int
    which : {"both", "smallest", "largest"}
    rtol : float
        Relative residual bound at which a Ritz pair counts as converged. An
        eigenvalue with gap g to the rest of the spectrum is then accurate to
        bound²/g (Parlett 1998, Thm 11.7.1), far below the bound itself.
    steps : int
        Steps between convergence checks.
    max_steps : int, optional
        Budget; default min(n, 500).
    start : array_like (n,), optional
    rng : seed or Generator

    Returns
    -------
    dict
        ``smallest``/``largest``: arrays (k,) of Ritz values (ascending /
        descending); ``smallest_bounds``/``largest_bounds``: their residual
        bounds; ``converged`` (bool), ``steps`` (m), ``hvps``, ``ritz``
        (the :class:`RitzPairs`), ``process`` (the :class:`LanczosProcess`).
    """
    if which not in ("both", "smallest", "largest"):
        raise ValueError(f"which must be both, smallest or largest, got {which!r}")
    rng = np.random.default_rng(rng)
    op = as_operator(op_or_matrix)
    k = int(k)
    if not 1 <= k <= op.n:
        raise ValueError(f"k must be in 1..{op.n}, got {k}")
    max_steps = min(op.n, 500 if max_steps is None else int(max_steps))
    hvps0 = op.hvps
    proc = LanczosProcess(op, rng.standard_normal(op.n) if start is None else start, budget=max_steps)
    while True:
        proc.extend(min(steps, max_steps - proc.m) if proc.m < max_steps else 0)
        rp = proc.ritz()
        kk = min(k, proc.m)
        scale = max(float(np.max(np.abs(rp.values))), 1e-300)
        idx = []
        if which in ("both", "smallest"):
            idx += list(range(kk))
        if which in ("both", "largest"):
            idx += list(range(proc.m - kk, proc.m))
        converged = bool(np.all(rp.bounds[idx] <= rtol * scale)) and kk == k
        if converged or proc.invariant or proc.m >= max_steps:
            break
    out = {"converged": converged or proc.m == op.n, "steps": proc.m, "hvps": op.hvps - hvps0,
           "ritz": rp, "process": proc}
    if which in ("both", "smallest"):
        out["smallest"], out["smallest_bounds"] = rp.values[:kk], rp.bounds[:kk]
    if which in ("both", "largest"):
        out["largest"], out["largest_bounds"] = rp.values[::-1][:kk], rp.bounds[::-1][:kk]
    return out
