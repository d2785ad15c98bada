"""Stochastic Lanczos quadrature: spectral density and eigenvalue counts from Hessian-vector products.

For a Rademacher probe v ∈ {±1}ⁿ, E[v vᵀ] = I, so for any f

    tr f(H) = E[vᵀ f(H) v] = n · E[ ∫ f dμ_q ],   μ_q = Σ_i (u_iᵀ q)² δ_{λ_i},  q = v/√n,

and m Lanczos steps from q give the m-point Gauss quadrature of μ_q: nodes the
Ritz values θ_k, weights the squared first components τ_k = (e₁ᵀ y_k)² of
T_m's eigenvectors (Golub & Meurant 2010, Matrices, Moments and Quadrature,
Thm 6.2). Averaging n Σ_k τ_k f(θ_k) over P probes is stochastic Lanczos
quadrature (Ubaru, Chen & Saad 2017, SIAM J. Matrix Anal. Appl. 38(4),
1075–1099, Alg. 1). Lanczos here is fully reorthogonalised (see
:mod:`saddlesim.curvature.lanczos`), the P probes run in lockstep (one batch
of products per step).

Counts. With f the indicator of (−∞, −τ) (the index at threshold τ) or of
[−τ, τ] (the near-kernel), the per-probe estimate is n Σ_k τ_k f(θ_k); the
95 % interval (``lo``, ``hi``) is the Student-t interval of the P i.i.d.
per-probe estimates, mean ± t_{0.975, P−1} s/√P. It covers the probe noise
only: the Gauss rule of a step function also has a quadrature error, which
the probe average does not remove. That error is small when no eigenvalues
crowd the threshold (the nodes then resolve it) and can dominate when a
dense bulk straddles −τ. It is bounded per probe by the
Chebyshev–Markov–Stieltjes inequalities (Szegő 1939; Golub & Meurant §6.2:
Σ_{k<j} τ_k ≤ μ_q((−∞, θ_j)) and μ_q((−∞, θ_j]) ≤ Σ_{k≤j} τ_k): the count
of (−∞, x) is at least the quadrature sum minus the weight of the last node
below x and at most it plus the weight of the first node above x (for
[a, b]: minus the first and last inside, plus the nearest outside on each
side). ``quad_lo``/``quad_hi`` are the t-interval ends of those per-probe
bounds: an interval that covers quadrature error too, wide wherever a node of
large weight sits next to the threshold.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.linalg import eigh_tridiagonal

from saddlesim.curvature.operators import Operator, as_operator

__all__ = ["SLQ", "slq", "quadrature", "rademacher_probes", "count_interval", "probe_counts"]

EPS = float(np.finfo(float).eps)


def rademacher_probes(n: int, probes: int, rng) -> np.ndarray:
    """``probes`` independent Rademacher vectors scaled to unit length, shape (probes, n): entries ±1/√n."""
    rng = np.random.default_rng(rng)
    return (2.0 * rng.integers(0, 2, size=(probes, n)) - 1.0) / np.sqrt(n)


def quadrature(alpha, beta) -> tuple[np.ndarray, np.ndarray]:
    """Gauss quadrature nodes and weights of one Lanczos run.

    Parameters
    ----------
    alpha : array_like, shape (m,)
        Diagonal of T_m.
    beta : array_like, shape (m − 1,)
        Off-diagonal of T_m.

    Returns
    -------
    nodes : ndarray, shape (m,)
        Eigenvalues θ_k of T_m, ascending.
    weights : ndarray, shape (m,)
        τ_k = (first component of the k-th unit eigenvector)², summing to 1.
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    if alpha.size == 1:
        return alpha.copy(), np.ones(1)
    theta, S = eigh_tridiagonal(alpha, beta)
    return theta, S[0, :] ** 2


class SLQ:
    """The quadrature rules of P probes of one operator.

    Attributes
    ----------
    n : int
    nodes, weights : list of ndarray
        Per probe, the Gauss nodes (ascending) and weights (summing to 1);
        lengths can differ (a run stops early on an invariant subspace).
    extremes : tuple of float
        Smallest and largest node over all probes (Ritz values: λ_min ≤ first, last ≤ λ_max).
    hvps : int
    """

    def __init__(self, n, nodes, weights, hvps):
        self.n, self.nodes, self.weights, self.hvps = int(n), nodes, weights, int(hvps)
        self.extremes = (float(min(t[0] for t in nodes)), float(max(t[-1] for t in nodes)))

    @property
    def probes(self) -> int:
        return len(self.nodes)

    def density(self) -> tuple[np.ndarray, np.ndarray]:
        """All nodes and their weights n·τ/P, shape (Σm,) each: a discrete density whose mass is n."""
        nodes = np.concatenate(self.nodes)
        weights = np.concatenate(self.weights) * (self.n / self.probes)
        order = np.argsort(nodes, kind="stable")
        return nodes[order], weights[order]

    def trace_estimates(self, f) -> np.ndarray:
        """Per-probe estimates n Σ_k τ_k f(θ_k) of tr f(H), shape (P,)."""
        return np.array([self.n * np.sum(w * f(t)) for t, w in zip(self.nodes, self.weights)])

    def count_below(self, x: float, confidence: float = 0.95) -> dict:
        """#{λ < x}: estimate and t-interval across probes (see the module docstring)."""
        return count_interval(self, -np.inf, x, closed=False, confidence=confidence)

    def count_within(self, tau: float, confidence: float = 0.95) -> dict:
        """#{|λ| ≤ τ}: estimate and t-interval across probes."""
        return count_interval(self, -tau, tau, closed=True, confidence=confidence)


def probe_counts(nodes, weights, n, a, b, *, closed) -> tuple[float, float, float]:
    """One probe's count of eigenvalues in (a, b) (or [a, b]): estimate, lower and upper bound.

    Estimate n Σ τ_k over nodes inside; bounds by Chebyshev–Markov–Stieltjes
    (module docstring): minus the weights of the extreme inside nodes at a
    finite end, plus the weights of the nearest outside nodes.
    """
    inside = (nodes >= a) & (nodes <= b) if closed else (nodes > a) & (nodes < b)
    est = float(np.sum(weights[inside]))
    lo, hi = est, est
    idx = np.flatnonzero(inside)
    if idx.size:
        i, j = idx[0], idx[-1]
        if np.isfinite(a):
            lo -= weights[i]
        if np.isfinite(b) and (j != i or not np.isfinite(a)):
            lo -= weights[j]
        left, right = i - 1, j + 1
    else:
        right = int(np.searchsorted(nodes, b, side="right" if closed else "left"))
        left = right - 1
    if np.isfinite(a) and left >= 0:
        hi += weights[left]
    if np.isfinite(b) and right < nodes.size:
        hi += weights[right]
    return n * est, n * max(lo, 0.0), n * hi


def count_interval(res: SLQ, a: float, b: float, *, closed: bool, confidence: float = 0.95) -> dict:
    """Estimate and ``confidence`` t-intervals of #{λ in (a, b)} (``closed``: [a, b]) across probes.

    Returns
    -------
    dict
        ``estimate`` (mean of per-probe estimates), ``lo``, ``hi`` (its
        t-interval), ``quad_lo``, ``quad_hi`` (t-interval ends of the per-probe
        Chebyshev–Markov–Stieltjes bounds: also covers quadrature error), all
        clipped to [0, n]; ``per_probe`` (P,), ``se`` (standard error).
    """
    per = np.array([probe_counts(t, w, res.n, a, b, closed=closed) for t, w in zip(res.nodes, res.weights)])
    P = per.shape[0]
    t = float(stats.t.ppf(0.5 + confidence / 2, P - 1)) if P > 1 else np.inf
    sd = per.std(axis=0, ddof=1) if P > 1 else np.full(3, np.inf)
    est = float(per[:, 0].mean())
    half = t * sd[0] / np.sqrt(P)
    qlo = float(per[:, 1].mean() - t * sd[1] / np.sqrt(P))
    qhi = float(per[:, 2].mean() + t * sd[2] / np.sqrt(P))
    n = float(res.n)
    return {"estimate": est, "lo": max(0.0, est - half), "hi": min(n, est + half),
            "quad_lo": max(0.0, qlo), "quad_hi": min(n, qhi), "per_probe": per[:, 0],
            "se": float(sd[0] / np.sqrt(P))}


def slq(op_or_matrix, *, probes: int = 20, steps: int = 60, rng=None, block: int | None = None,
        memory: float = 4e8) -> SLQ:
    """Stochastic Lanczos quadrature with Rademacher probes (Ubaru, Chen & Saad 2017).

    Parameters
    ----------
    op_or_matrix : Operator or ndarray (n, n)
    probes : int
        P ≥ 2 independent Rademacher probes.
    steps : int
        Lanczos steps m per probe (capped at n).
    rng : seed or Generator
    block : int, optional
        Probes run in lockstep (one batched product per step); default as
        many as fit in ``memory`` bytes of Lanczos vectors (8 n (m + 1) each).
    memory : float

    Returns
    -------
    SLQ
    """
    rng = np.random.default_rng(rng)
    op = as_operator(op_or_matrix)
    probes, steps = int(probes), int(steps)
    if probes < 2:
        raise ValueError(f"probes must be >= 2 (an interval needs a spread), got {probes}")
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    m = min(steps, op.n)
    if block is None:
        block = int(max(1, min(probes, memory // (8.0 * op.n * (m + 1)))))
    V = rademacher_probes(op.n, probes, rng)
    hvps0 = op.hvps
    nodes, weights = [], []
    for s in range(0, probes, block):
        for a, b in _lockstep_lanczos(op, V[s:s + block], m):
            t, w = quadrature(a, b[:-1])
            nodes.append(t)
            weights.append(w)
    return SLQ(op.n, nodes, weights, op.hvps - hvps0)


def _lockstep_lanczos(op: Operator, Q0, m):
    """Lanczos with full reorthogonalisation from each row of Q0 (unit rows), in lockstep.

    Yields (alpha (m_b,), beta (m_b,)) per probe; m_b < m when the probe's
    Krylov space became invariant (its last β then is at rounding level).
    """
    b, n = Q0.shape
    Q = np.zeros((b, m + 1, n))
    Q[:, 0] = Q0
    alpha = np.zeros((b, m))
    beta = np.zeros((b, m))
    length = np.full(b, m)
    live = np.ones(b, dtype=bool)
    for j in range(m):
        rows = np.flatnonzero(live)
        if rows.size == 0:
            break
        W = op.matmat(Q[rows, j])
        a = np.einsum("bn,bn->b", Q[rows, j], W)
        W -= a[:, None] * Q[rows, j]
        if j > 0:
            W -= beta[rows, j - 1][:, None] * Q[rows, j - 1]
        for _ in range(2):   # classical Gram–Schmidt twice against the probe's own vectors
            c = np.einsum("bkn,bn->bk", Q[rows, :j + 1], W)
            W -= np.einsum("bkn,bk->bn", Q[rows, :j + 1], c)
        nb = np.linalg.norm(W, axis=1)
        alpha[rows, j] = a
        beta[rows, j] = nb
        scale = np.maximum(np.max(np.abs(alpha[rows, :j + 1]), axis=1), 1e-300)
        stop = nb <= 8 * EPS * np.sqrt(n) * scale
        for r, s_ in zip(rows[stop], np.flatnonzero(stop)):
            live[r] = False
            length[r] = j + 1
        go = ~stop
        Q[rows[go], j + 1] = W[go] / nb[go][:, None]
    for i in range(b):
        yield alpha[i, :length[i]], beta[i, :length[i]]
