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
[−τ, τ] (the near-kernel), the per-probe estimate is n Σ_k τ_k f(θ_k). Its
error has two parts: probe noise, which averaging over probes removes, and
the quadrature error of a step function, which it does not. The second
dominates when a dense bulk of eigenvalues straddles the threshold (a trained
network's near-zero bulk does), so an interval of probe noise alone covers
badly there (measured: 0–65 % coverage in ``results/trained_spectrum``).

The reported interval covers both. m Lanczos steps (α₁…α_m, β₁…β_m) fix
the moments of μ_q up to degree 2m, and among all measures with those
moments the mass of (−∞, x) and of (−∞, x] is sharply bounded by the
Gauss–Radau rule with a node prescribed at x (the Chebyshev–Markov–Stieltjes
inequalities in Krein's sharp form: Akhiezer 1965, The Classical Moment
Problem, Thm 3.4.1; Golub & Meurant 2010, §6.2): with Σ_< its weight at nodes
below x and ρ(x) its weight at x — the Christoffel function 1/Σ_{k≤m} p_k(x)² —

    Σ_< ≤ μ_q((−∞, x)) ≤ μ_q((−∞, x]) ≤ Σ_< + ρ(x).

The Radau rule is T_m extended by one row whose diagonal entry puts x in the
spectrum (Golub 1973, SIAM Rev. 15(2), 318–334, §7). A closed interval [a, b]
is the difference of two such masses. Every probe gives a lower and an
upper bound on its own count; ``lo`` is the t-interval's lower end of the P
lower bounds, ``hi`` the upper end of the upper bounds, so the interval
covers the quadrature error and, at 95 % per side, the probe noise.
``probe_lo``/``probe_hi`` are the plain t-interval of the estimates (probe
noise only; Ubaru, Chen & Saad's error model), kept to show how much of
the width is quadrature.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.linalg import eigh_tridiagonal, solve_banded

from saddlesim.curvature.operators import Operator, as_operator

__all__ = ["SLQ", "slq", "lockstep_lanczos", "quadrature", "radau_bounds", "rademacher_probes", "count_interval", "probe_counts"]

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
    tridiagonals : list of (ndarray, ndarray)
        Per probe, α (m,) and β (m,) (β_m last) of its Lanczos run.
    extremes : tuple of float
        Smallest and largest node over all probes (Ritz values: λ_min ≤ first, last ≤ λ_max).
    hvps : int
    """

    def __init__(self, n, tridiagonals, hvps):
        self.n, self.hvps = int(n), int(hvps)
        #: per probe (alpha (m,), beta (m,)): T_m and the last β_m (the Radau bounds need it)
        self.tridiagonals = tridiagonals
        self.nodes, self.weights = [], []
        for a, b in tridiagonals:
            t, w = quadrature(a, b[:-1])
            self.nodes.append(t)
            self.weights.append(w)
        self.extremes = (float(min(t[0] for t in self.nodes)), float(max(t[-1] for t in self.nodes)))

    def extreme_bounds(self) -> tuple[float, float]:
        """Residual bounds |β_m e_mᵀ y| of the two extreme Ritz values (:attr:`extremes`).

        Each extreme lies within its bound of an eigenvalue (Parlett 1998,
        Thm 4.5.1); the smallest is an upper bound on λ_min, the largest a
        lower bound on λ_max (interlacing). 0 for a probe whose Krylov space
        became invariant (its Ritz values are eigenvalues).
        """
        out = []
        for pick in (lambda t: int(np.argmin([x[0] for x in t])), lambda t: int(np.argmax([x[-1] for x in t]))):
            k = pick(self.nodes)
            a, b = self.tridiagonals[k]
            if a.size == 1:
                out.append(abs(float(b[-1])))
                continue
            _, S = eigh_tridiagonal(a, b[:-1])
            col = 0 if len(out) == 0 else -1
            out.append(abs(float(b[-1] * S[-1, col])))
        return out[0], out[1]

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
        """#{λ < x}: estimate and covering interval across probes (see the module docstring)."""
        return count_interval(self, -np.inf, x, closed=False, confidence=confidence)

    def count_within(self, tau: float, confidence: float = 0.95) -> dict:
        """#{|λ| ≤ τ}: estimate and covering interval across probes."""
        return count_interval(self, -tau, tau, closed=True, confidence=confidence)


def radau_bounds(alpha, beta, x: float) -> tuple[float, float]:
    """Sharp bounds on μ_q((−∞, x)) and μ_q((−∞, x]) from one Lanczos run: ``(low, rho)``.

    Both masses lie in [low, low + rho] for every measure with the moments
    the run fixed (module docstring): ``low`` is the Gauss–Radau rule's weight
    below x and ``rho`` its weight at x.

    Parameters
    ----------
    alpha : array_like, shape (m,)
    beta : array_like, shape (m,)
        β₁ … β_m; β_m (the norm of the unused next Lanczos vector) extends T_m.
    x : float
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    m = alpha.size
    # Golub (1973): the (m+1)-th diagonal entry x + d_m, with (T_m − x I) d = β_m² e_m, puts x in the spectrum
    ab = np.zeros((3, m))
    ab[0, 1:] = beta[:m - 1]
    ab[1] = alpha - x
    ab[2, :-1] = beta[:m - 1]
    rhs = np.zeros(m)
    rhs[-1] = beta[-1] ** 2
    try:
        d = solve_banded((1, 1), ab, rhs, check_finite=False)
    except np.linalg.LinAlgError:       # x is a Ritz value to rounding: the Gauss rule already has the node
        d = None
    if d is None or not np.all(np.isfinite(d)):
        t, w = quadrature(alpha, beta[:-1])
        k = int(np.argmin(np.abs(t - x)))
        return float(np.sum(w[:k])), float(w[k])
    theta, S = eigh_tridiagonal(np.append(alpha, x + d[-1]), beta)
    w = S[0] ** 2
    k = int(np.argmin(np.abs(theta - x)))
    return float(np.sum(w[:k])), float(w[k])


def probe_counts(alpha, beta, nodes, weights, n, a, b, *, closed) -> tuple[float, float, float]:
    """One probe's count of eigenvalues in (a, b) (or [a, b]): Gauss estimate, lower and upper bound.

    The estimate is n Σ τ_k over Gauss nodes inside; the bounds are the
    Gauss–Radau ones of :func:`radau_bounds` at each finite end (the module
    docstring), so they hold whatever the eigenvalues between the nodes.
    """
    inside = (nodes >= a) & (nodes <= b) if closed else (nodes > a) & (nodes < b)
    est = float(np.sum(weights[inside]))
    lo_b, hi_b = (radau_bounds(alpha, beta, b) if np.isfinite(b) else (1.0, 0.0))
    lo_a, hi_a = (radau_bounds(alpha, beta, a) if np.isfinite(a) else (0.0, 0.0))
    # μ(a, b) = F(b) − F(a) with F(b) ∈ [lo_b, lo_b + ρ_b] and F(a) ∈ [lo_a, lo_a + ρ_a]
    lo = lo_b - (lo_a + hi_a)
    hi = lo_b + hi_b - lo_a
    return n * est, n * min(max(lo, 0.0), 1.0), n * min(max(hi, 0.0), 1.0)


def count_interval(res: SLQ, a: float, b: float, *, closed: bool, confidence: float = 0.95) -> dict:
    """Estimate and ``confidence`` intervals of #{λ in (a, b)} (``closed``: [a, b]) across probes.

    Returns
    -------
    dict
        ``estimate`` (mean of per-probe estimates); ``lo``, ``hi`` (the
        covering interval: t-interval ends of the per-probe Gauss–Radau
        bounds, quadrature error and probe noise); ``probe_lo``, ``probe_hi``
        (t-interval of the estimates, probe noise only), all clipped to
        [0, n]; ``per_probe`` (P,), ``se`` (standard error of the estimate).
    """
    per = np.array([probe_counts(al, be, t, w, res.n, a, b, closed=closed)
                    for (al, be), t, w in zip(res.tridiagonals, res.nodes, res.weights)])
    P = per.shape[0]
    t = float(stats.t.ppf(0.5 + confidence / 2, P - 1)) if P > 1 else np.inf
    sd = per.std(axis=0, ddof=1) if P > 1 else np.full(3, np.inf)
    est = float(per[:, 0].mean())
    half = t * sd[0] / np.sqrt(P)
    lo = float(per[:, 1].mean() - t * sd[1] / np.sqrt(P))
    hi = float(per[:, 2].mean() + t * sd[2] / np.sqrt(P))
    n = float(res.n)
    return {"estimate": est, "lo": max(0.0, lo), "hi": min(n, hi),
            "probe_lo": max(0.0, est - half), "probe_hi": min(n, est + half), "per_probe": per[:, 0],
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
    runs = []
    for s in range(0, probes, block):
        runs += list(lockstep_lanczos(op, V[s:s + block], m))
    return SLQ(op.n, runs, op.hvps - hvps0)


def lockstep_lanczos(op: Operator, Q0, m):
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
        # a slice, not a fancy index, while every probe is live: Q[rows] would copy b·j·n floats per step
        sel = slice(None) if rows.size == b else rows
        Qj = Q[sel, :j + 1]
        q = Q[sel, j]
        W = op.matmat(q)
        a = np.einsum("bn,bn->b", q, W)
        W -= a[:, None] * q
        if j > 0:
            W -= beta[sel, j - 1][:, None] * Q[sel, j - 1]
        for _ in range(2):   # classical Gram–Schmidt twice against the probe's own vectors
            c = np.matmul(Qj, W[:, :, None])                    # (b, j + 1, 1), batched BLAS
            W -= np.matmul(c.transpose(0, 2, 1), Qj)[:, 0]
        nb = np.linalg.norm(W, axis=1)
        alpha[rows, j] = a
        beta[rows, j] = nb
        scale = np.maximum(np.max(np.abs(alpha[rows, :j + 1]), axis=1), 1e-300)
        stop = nb <= 8 * EPS * np.sqrt(n) * scale
        for r in rows[stop]:
            live[r] = False
            length[r] = j + 1
        go = ~stop
        Q[rows[go], j + 1] = W[go] / nb[go][:, None]
    for i in range(b):
        yield alpha[i, :length[i]], beta[i, :length[i]]
