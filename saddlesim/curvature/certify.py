"""The index #{λ < −τ} from Hessian-vector products, certified, when few eigenvalues lie below −τ.

What is proven, and what is not
-------------------------------
Let Y (k × n, orthonormal rows) be the deflated vectors — converged Ritz
vectors found below −τ, and whole invariant Krylov spaces (a repeated
eigenvalue is seen once per start vector, so its other copies are found by
restarting in the complement) — Θ = Y H Yᵀ (k × k) with eigenvalues μ, c of
them below −τ, and R = H Yᵀ − Yᵀ Θ (n × k) its residual, ‖R‖₂ ≤ ‖R‖_F =: e.
In the basis [Yᵀ, Y⊥] the Hessian is [[Θ, Eᵀ], [E, C]] with ‖E‖₂ = ‖R‖₂ ≤ e and
C the compression of H to the complement of Y.

1. **Lower bound, deterministic.** Cauchy interlacing for the compression of H
   to span(Y, Q) (Q the last Lanczos run): if that compression has c
   eigenvalues below −τ then λ_c(H) < −τ, so index ≥ c (Parlett 1998, The
   Symmetric Eigenvalue Problem, §10.1). This holds for any orthonormal
   vectors, converged or not, up to the rounding of the computed products.
2. **Upper bound, by Weyl's inequality.** λ_{c+1}(diag(Θ, C)) ≥
   min(μ_{c+1}, λ_min(C)), and Weyl (the off-diagonal block has norm ≤ e)
   gives λ_{c+1}(H) ≥ min(μ_{c+1}, λ_min(C)) − e. So index ≤ c as soon as no μ
   lies within e of −τ and λ_min(C) > −τ + e.
3. **λ_min(C) > −τ + e is certified with probability, not proven.** No method
   that sees only products H v can exclude an eigenvector orthogonal to every
   vector it has applied H to. The last Lanczos run is on C from a start vector
   uniform on the unit sphere of Y's complement. With σ ≥ λ_max(C), the matrix
   σI − C is positive semidefinite and Kuczyński & Woźniakowski (1992, SIAM J.
   Matrix Anal. Appl. 13(4), 1094–1122, Thm 4.2) bound the chance that m
   Lanczos steps under-estimate its top eigenvalue by a relative ε:
   P ≤ 1.648 √n · exp(−√ε (2m − 1)). If λ_min(C) ≤ −τ' (τ' = τ − e), the
   smallest Ritz value θ'₁ we saw means a relative error
   ε ≥ (θ'₁ + τ')/(σ + τ'); so seeing θ'₁ > −τ' while an eigenvalue ≤ −τ'
   hides has probability at most δ = checks · 1.648 √n · exp(−√ε (2m − 1))
   (a union bound over the convergence checks made in that run). The result
   reports δ; the count is returned only when δ ≤ ``delta``.
   σ is ``op.norm_bound`` when the operator has a proven one (‖A‖_∞ for an
   explicit matrix), else ``(1 + 10⁻²)(θ_max + its residual bound)`` from the
   first run, an estimate: a larger λ_max makes the true δ larger.

So ``index`` = c is: index ≥ c proven; index ≤ c certified at level δ.

When it declines
----------------
``index`` is None (``status`` says why; ``lower`` — the proven lower bound —
is always returned) when: more than ``max_count`` eigenvalues are found below
−τ; a Ritz value stays within its residual bound of −τ (or a μ within e); the residual e of the
deflated vectors is not below τ/2; or the step budget ends before δ ≤ ``delta``.
Rounding of the Lanczos relation (≈ ε‖H‖√n with full reorthogonalisation) is
added to e.
"""

from __future__ import annotations

import numpy as np

from saddlesim.curvature.lanczos import LanczosProcess
from saddlesim.curvature.operators import as_operator

__all__ = ["certified_index", "kw_failure_bound", "KW_CONSTANT"]

#: Kuczyński & Woźniakowski (1992) Thm 4.2 constant for Lanczos with a random start.
KW_CONSTANT = 1.648
EPS = float(np.finfo(float).eps)


def kw_failure_bound(n: int, m: int, eps_rel: float) -> float:
    """P(m Lanczos steps under-estimate λ_max of an n × n PSD matrix by a relative ``eps_rel``) bound.

    ``1.648 √n exp(−√ε (2m − 1))`` (Kuczyński & Woźniakowski 1992, Thm 4.2),
    capped at 1; 1 when ``eps_rel <= 0``.
    """
    if eps_rel <= 0 or m < 1:
        return 1.0
    return float(min(1.0, KW_CONSTANT * np.sqrt(n) * np.exp(-np.sqrt(eps_rel) * (2 * m - 1))))


def certified_index(op_or_matrix, tau: float, *, max_count: int = 50, steps: int = 20,
                    max_steps: int | None = None, delta: float = 1e-6, rng=None) -> dict:
    """#{λ < −τ} by deflated Lanczos, with the proof and certificate of the module docstring.

    Parameters
    ----------
    op_or_matrix : Operator or ndarray (n, n)
    tau : float
        Threshold τ ≥ 0 (absolute).
    max_count : int
        Decline if more eigenvalues than this lie below −τ.
    steps : int
        Lanczos steps between checks.
    max_steps : int, optional
        Step budget per run; default min(n, 600, the number of n-vectors in 400 MB).
    delta : float
        Largest failure probability at which the count is returned.
    rng : seed or Generator
        Start vectors (Gaussian: uniform directions, as the certificate needs).

    Returns
    -------
    dict
        ``index`` (int, or None when declined), ``lower`` (proven lower bound),
        ``status`` ("certified" or "unproven: <reason>"), ``delta`` (the
        failure bound), ``residual`` (e), ``sigma`` (the λ_max bound used and
        whether it is proven: ``sigma_proven``), ``lambda_min``/``lambda_max``
        (extreme Ritz values seen), ``lambda_min_bound``/``lambda_max_bound``
        (their residual bounds), ``values`` (the c deflated eigenvalue estimates),
        ``runs``, ``steps`` (total), ``hvps``.
    """
    rng = np.random.default_rng(rng)
    op = as_operator(op_or_matrix)
    tau = float(tau)
    if not (np.isfinite(tau) and tau >= 0):
        raise ValueError(f"tau must be a finite number >= 0, got {tau!r}")
    n = op.n
    if max_steps is None:
        # 600 steps, or as many Lanczos vectors as fit in 400 MB (8n bytes each) at large n
        max_steps = max(steps, min(600, int(4e8 // (8 * n))))
    max_steps = min(n, int(max_steps))
    hvps0 = op.hvps
    Y = np.empty((0, n))
    HY = np.empty((0, n))
    sigma, sigma_proven = op.norm_bound, op.norm_bound is not None
    out = {"index": None, "lower": 0, "delta": 1.0, "residual": 0.0, "runs": 0, "steps": 0,
           "lambda_min": np.inf, "lambda_min_bound": np.inf, "lambda_max": -np.inf, "lambda_max_bound": np.inf}

    cache = {}

    def theta_values():
        """Eigenvalues μ of Θ = Y H Yᵀ (recomputed only when Y grows)."""
        if cache.get("k") != len(Y):
            Theta = Y @ HY.T if len(Y) else np.empty((0, 0))
            cache.update(k=len(Y), mu=np.linalg.eigvalsh((Theta + Theta.T) / 2) if len(Y) else np.empty(0))
        return cache["mu"]

    proc = None

    def finish(status, certified=False, d=1.0):
        # the interlacing lower bound on span(Y, Q) of the last run (one eigvalsh, at the end)
        out["lower"] = max(out["lower"], _interlacing_lower(Y, HY, proc, tau))
        mu = theta_values()
        out.update(index=int(np.sum(mu < -tau)) if certified else None, status=status, delta=float(d),
                   sigma=sigma, sigma_proven=sigma_proven, values=mu[mu < -tau], hvps=op.hvps - hvps0)
        return out

    def ambiguous(e):
        """Some deflated eigenvalue estimate within e of −τ: the Weyl step cannot place it."""
        mu = theta_values()
        return bool(np.any(np.abs(mu + tau) <= e))

    while True:
        if len(Y) >= n:
            # everything deflated: the compression is H itself, up to the residual e
            e = _residual(Y, HY) + 64 * EPS * np.sqrt(n) * (sigma or 0.0)
            if ambiguous(e):
                return finish("unproven: an eigenvalue within its residual bound of -tau")
            return finish("certified", True, 0.0)
        if len(Y) > max_count + 600:
            return finish("unproven: too many invariant subspaces to deflate")
        out["runs"] += 1
        proc = LanczosProcess(op, rng.standard_normal(n), basis=Y, budget=max_steps)
        checks = 0
        e = _residual(Y, HY) + 64 * EPS * np.sqrt(n) * (sigma or 0.0)
        while True:
            before = proc.m
            # checks at a geometric pace: each costs an m × m tridiagonal eigensolve
            proc.extend(min(max(steps, proc.m // 4), max_steps - proc.m))
            out["steps"] += proc.m - before
            rp = proc.ritz()
            theta, r = rp.values, rp.bounds
            if theta[0] < out["lambda_min"]:
                out["lambda_min"], out["lambda_min_bound"] = float(theta[0]), float(r[0])
            if theta[-1] > out["lambda_max"]:
                out["lambda_max"], out["lambda_max_bound"] = float(theta[-1]), float(r[-1])
            if not sigma_proven:
                sigma = max(sigma or 0.0, 1.01 * (out["lambda_max"] + out["lambda_max_bound"]))
                e = _residual(Y, HY) + 64 * EPS * np.sqrt(n) * sigma
            out["residual"] = float(e)
            # compressions to span(Q) and to span(Y) each give a lower bound by interlacing (cheap: watched
            # at every check); the joint one, on span(Y, Q), is computed once at the end
            out["lower"] = max(out["lower"], int(np.sum(theta < -tau)), int(np.sum(theta_values() < -tau)))
            if out["lower"] > max_count:
                return finish(f"unproven: more than {max_count} eigenvalues below -tau")
            below = theta < -tau
            conv = r <= 0.1 * tau / np.sqrt(max_count + 1)
            exhausted = proc.invariant or proc.m >= proc.max_steps or proc.m >= max_steps
            if below.any() and np.all(conv[theta - r < -tau]):
                break                           # deflate the converged ones, start a new run
            if not below.any() and not np.any(theta - r < -tau):
                if 2 * e >= tau:
                    return finish("unproven: residual of the deflated vectors not below tau/2")
                if ambiguous(e):
                    return finish("unproven: an eigenvalue within its residual bound of -tau")
                tau_p = tau - e
                checks += 1
                d = min(1.0, checks * kw_failure_bound(n, proc.m, (theta[0] + tau_p) / (sigma + tau_p)))
                if proc.invariant and proc.m == proc.max_steps:
                    d = 0.0                     # the whole complement was spanned
                if d <= delta:
                    return finish("certified", True, d)
                if proc.invariant:
                    break                       # an invariant subspace: deflate all of it and restart
                if exhausted:
                    return finish(f"unproven: failure bound {d:.2g} > {delta:g} after the step budget", False, d)
            elif exhausted:
                if proc.invariant and np.all(np.abs(theta + tau) > r):
                    break
                return finish("unproven: a Ritz value stays within its residual bound of -tau")
        # an invariant Krylov space (repeated eigenvalues: one start vector sees each value once)
        # is deflated whole, so the next start explores its complement; else the converged ones below -τ
        idx = np.arange(proc.m) if proc.invariant else np.flatnonzero(below & conv)
        U = rp.vectors(idx)
        for u in U:                              # orthonormalise against Y (twice), then apply H
            for _ in range(2):
                if len(Y):
                    u = u - (Y @ u) @ Y
            u = u / np.linalg.norm(u)
            Y = np.vstack([Y, u])
            HY = np.vstack([HY, op.matvec(u)])
        # the run's vectors now lie (partly) in span(Y): [Y; Q] is no longer orthonormal, and the
        # "compression" to it would double eigenvalues (a wrong lower bound), so finish on Y alone
        proc = None
        out["lower"] = max(out["lower"], _interlacing_lower(Y, HY, None, tau))
        if out["lower"] > max_count:
            return finish(f"unproven: more than {max_count} eigenvalues below -tau")


def _residual(Y, HY) -> float:
    """‖H Yᵀ − Yᵀ Θ‖_F with Θ = Y H Yᵀ (an upper bound on the coupling block's 2-norm)."""
    if len(Y) == 0:
        return 0.0
    Theta = Y @ HY.T
    return float(np.linalg.norm(HY - ((Theta + Theta.T) / 2) @ Y))


def _interlacing_lower(Y, HY, proc, tau) -> int:
    """#eigenvalues < −τ of the compression of H to span(Y, Q): a proven lower bound on the index."""
    c = len(Y)
    if proc is None or proc.m == 0:
        K = Y @ HY.T if c else np.empty((0, 0))
    else:
        T = proc.tridiagonal()
        if c:
            B = proc.Q @ HY.T                      # Q H Yᵀ, shape (m, c)
            K = np.block([[Y @ HY.T, B.T], [B, T]])
        else:
            K = T
    if K.size == 0:
        return 0
    return int(np.sum(np.linalg.eigvalsh((K + K.T) / 2) < -tau))
