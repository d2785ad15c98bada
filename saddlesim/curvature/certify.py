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

Budgets, and what stopped it
----------------------------
The target is δ ≤ ``delta``. Runs stop at ``max_hvps`` products or
``max_seconds`` (``stop_reason`` "max-hvps"/"max-seconds"); a run whose
failure bound is still above its share of ``delta`` when the step budget ends
stops with ``stop_reason="cannot"`` and a message that says how many steps it
would take at least (the smallest Ritz value only moves down as steps are
added, so ε only shrinks: an optimistic extrapolation). The structural declines above are "cannot" too.

Independent restarts on every core
----------------------------------
With ``restarts=R`` each deflation stage starts R independent runs from
Gaussian vectors keyed by (stage, j) — ``SeedSequence(entropy, spawn_key=(CERT_KEY,
stage, j))`` — on :func:`saddlesim.runtime.parallel.map_unordered`, and
combines them in j order, so the numbers do not depend on the workers. Given
Y, the runs' start vectors are independent, so the chance that all R miss an
eigenvalue ≤ −τ' is at most the product of their bounds: each run aims at
``delta**(1/R)`` and δ = ∏ δ_j. Converged vectors below −τ from several runs
are merged by Rayleigh–Ritz on the span of all of them (two runs usually
converge to the same extreme eigenvectors first), and only Ritz pairs whose
residual passes the convergence test are deflated.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import partial

import numpy as np

from saddlesim.curvature.lanczos import LanczosProcess
from saddlesim.curvature.operators import as_operator

__all__ = ["certified_index", "kw_failure_bound", "kw_steps_needed", "start_vector", "KW_CONSTANT", "CERT_KEY",
           "CERT_STOP_REASONS"]

#: Kuczyński & Woźniakowski (1992) Thm 4.2 constant for Lanczos with a random start.
KW_CONSTANT = 1.648
EPS = float(np.finfo(float).eps)
#: First element of the spawn key of every certificate start vector (SLQ's probes use 7).
CERT_KEY = 11
#: What ended a certificate: the count certified, a reason it cannot be, or a budget.
CERT_STOP_REASONS = ("certified", "cannot", "max-hvps", "max-seconds")


def kw_failure_bound(n: int, m: int, eps_rel: float) -> float:
    """P(m Lanczos steps under-estimate λ_max of an n × n PSD matrix by a relative ``eps_rel``) bound.

    ``1.648 √n exp(−√ε (2m − 1))`` (Kuczyński & Woźniakowski 1992, Thm 4.2),
    capped at 1; 1 when ``eps_rel <= 0``.
    """
    if eps_rel <= 0 or m < 1:
        return 1.0
    return float(min(1.0, KW_CONSTANT * np.sqrt(n) * np.exp(-np.sqrt(eps_rel) * (2 * m - 1))))


def kw_steps_needed(n: int, eps_rel: float, delta: float, checks: int = 1) -> float:
    """Fewest steps m with ``checks · kw_failure_bound(n, m, eps_rel) <= delta`` (inf without a gap)."""
    if eps_rel <= 0:
        return math.inf
    return max(1.0, math.ceil((math.log(checks * KW_CONSTANT * math.sqrt(n) / delta) / math.sqrt(eps_rel) + 1) / 2))


def start_vector(n: int, entropy: int, stage: int, j: int) -> np.ndarray:
    """Run j of deflation stage ``stage``: a Gaussian start vector (uniform direction) from its own stream."""
    rng = np.random.default_rng(np.random.SeedSequence(int(entropy), spawn_key=(CERT_KEY, int(stage), int(j))))
    return rng.standard_normal(int(n))


@dataclass
class _Stage:
    """What every run of one stage is given (pickled to workers): the deflated vectors and the settings."""

    Y: np.ndarray
    HY: np.ndarray
    tau: float
    sigma: float | None
    sigma_proven: bool
    steps: int
    max_steps: int
    max_count: int
    delta: float
    entropy: int
    stage: int
    budget: int | None
    deadline: float | None


def certified_index(op_or_matrix, tau: float, *, max_count: int = 50, steps: int = 20,
                    max_steps: int | None = None, delta: float = 1e-6, rng=None, restarts: int = 1,
                    max_hvps: int | None = None, max_seconds: float | None = None, workers: int | None = 1,
                    scheduler=None, source=None) -> dict:
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
        Start vectors (Gaussian: uniform directions, as the certificate needs),
        each from its own stream keyed by (stage, run) (:func:`start_vector`).
    restarts : int
        Independent runs per deflation stage (R ≥ 1), each aiming at
        ``delta**(1/R)``; they run on ``workers``.
    max_hvps, max_seconds : optional
        Budget for the whole certificate (products; wall seconds).
    workers, scheduler
        Where the R runs of a stage go (:func:`saddlesim.runtime.parallel.map_unordered`);
        the numbers do not depend on them. Workers need a ``source`` that
        rebuilds the operator there (an explicit matrix is its own).
    source : saddlesim.curvature.adaptive.OperatorSource, optional

    Returns
    -------
    dict
        ``index`` (int, or None when declined), ``lower`` (proven lower bound),
        ``status`` ("certified" or "unproven: <reason>"), ``stop_reason`` (one
        of :data:`CERT_STOP_REASONS`) and ``stop_message``, ``delta`` (the
        failure bound), ``residual`` (e), ``sigma`` (the λ_max bound used and
        whether it is proven: ``sigma_proven``), ``lambda_min``/``lambda_max``
        (extreme Ritz values seen), ``lambda_min_bound``/``lambda_max_bound``
        (their residual bounds), ``values`` (the c deflated eigenvalue estimates),
        ``runs``, ``steps`` (total), ``hvps``, ``restarts``; ``last_stage``: per run
        of the last stage (in run order) its ``kind``, failure bound ``d``, ``steps``,
        smallest Ritz value ``lambda_min`` and ``sigma``.
    """
    from saddlesim.curvature.adaptive import MatrixSource, OperatorSource

    t0 = time.time()
    rng = np.random.default_rng(rng)
    op = as_operator(op_or_matrix)
    tau = float(tau)
    if not (np.isfinite(tau) and tau >= 0):
        raise ValueError(f"tau must be a finite number >= 0, got {tau!r}")
    R = int(restarts)
    if R < 1:
        raise ValueError(f"restarts must be >= 1, got {restarts!r}")
    n = op.n
    if max_steps is None:
        # 600 steps, or as many Lanczos vectors as fit in 400 MB (8n bytes each) at large n
        max_steps = max(steps, min(600, int(4e8 // (8 * n))))
    max_steps = min(n, int(max_steps))
    entropy = int(rng.integers(0, 2**63))
    serial = (workers == 1 and scheduler is None) or R == 1
    if not serial:
        if source is None and isinstance(op_or_matrix, np.ndarray):
            source = MatrixSource(matrix=np.asarray(op_or_matrix, dtype=np.float64))
        if not isinstance(source, OperatorSource) or not source.portable:
            raise ValueError("runs on several workers need a source that rebuilds the operator there "
                             "(a LossSource or an explicit matrix)")
    deadline = None if max_seconds is None else t0 + float(max_seconds)
    Y = np.empty((0, n))
    HY = np.empty((0, n))
    sigma, sigma_proven = op.norm_bound, op.norm_bound is not None
    out = {"index": None, "lower": 0, "delta": 1.0, "residual": 0.0, "runs": 0, "steps": 0, "restarts": R,
           "lambda_min": np.inf, "lambda_min_bound": np.inf, "lambda_max": -np.inf, "lambda_max_bound": np.inf}
    used = 0                    # products of every run, wherever it ran (every product is a run's)

    def finish(status, certified=False, d=1.0, reason=None, message=None):
        mu = _theta_values(Y, HY)
        if reason is None:
            reason = "certified" if certified else "cannot"
        if message is None:
            message = "the count is certified" if certified else "cannot certify: " + status.removeprefix("unproven: ")
        out.update(index=int(np.sum(mu < -tau)) if certified else None, status=status, delta=float(d),
                   sigma=sigma, sigma_proven=sigma_proven, values=mu[mu < -tau], hvps=used,
                   stop_reason=reason, stop_message=message)
        return out

    stage = 0
    while True:
        if len(Y) >= n:
            # everything deflated: the compression is H itself, up to the residual e
            e = _residual(Y, HY) + 64 * EPS * np.sqrt(n) * (sigma or 0.0)
            if _ambiguous(_theta_values(Y, HY), tau, e):
                return finish("unproven: an eigenvalue within its residual bound of -tau")
            return finish("certified", True, 0.0)
        if len(Y) > max_count + 600:
            return finish("unproven: too many invariant subspaces to deflate")
        room = None if max_hvps is None else int(max_hvps) - used
        if room is not None and room < R:
            return finish(f"unproven: the budget of {max_hvps} HVPs is spent", reason="max-hvps",
                          message=f"budget ({max_hvps} HVPs) spent before the count was certified")
        if deadline is not None and time.time() > deadline:
            return finish(f"unproven: the time budget of {max_seconds} s is spent", reason="max-seconds",
                          message=f"time budget ({max_seconds} s) spent before the count was certified")
        st = _Stage(Y=Y, HY=HY, tau=tau, sigma=sigma, sigma_proven=sigma_proven, steps=int(steps),
                    max_steps=max_steps, max_count=int(max_count), delta=float(delta) ** (1.0 / R),
                    entropy=entropy, stage=stage, budget=None if room is None else room // R, deadline=deadline)
        runs = _stage_runs(st, R, op if serial else None, source, workers, scheduler)
        stage += 1
        out["runs"] += R
        for r in runs:
            used += r["hvps"]
            out["steps"] += r["steps"]
            if r["lambda_min"] < out["lambda_min"]:
                out["lambda_min"], out["lambda_min_bound"] = r["lambda_min"], r["lambda_min_bound"]
            if r["lambda_max"] > out["lambda_max"]:
                out["lambda_max"], out["lambda_max_bound"] = r["lambda_max"], r["lambda_max_bound"]
            out["lower"] = max(out["lower"], r["lower"])
            if not sigma_proven:
                sigma = max(sigma or 0.0, r["sigma"])
        out["residual"] = max(r["residual"] for r in runs)     # e of this stage's deflated vectors
        out["last_stage"] = [{"kind": r["kind"], "d": r["d"], "steps": r["steps"], "lambda_min": r["lambda_min"],
                              "sigma": r["sigma"]} for r in runs]
        if out["lower"] > max_count:
            return finish(f"unproven: more than {max_count} eigenvalues below -tau")
        kinds = [r["kind"] for r in runs]
        if "cannot" in kinds:
            first = runs[kinds.index("cannot")]
            return finish(first["status"])
        deflate = [r for r in runs if r["kind"] == "deflate"]
        if deflate:
            Y, HY = _deflate(Y, HY, deflate, tau, max_count)
            out["lower"] = max(out["lower"], _interlacing_lower(Y, HY, None, tau))
            if out["lower"] > max_count:
                return finish(f"unproven: more than {max_count} eigenvalues below -tau")
            continue
        # no run saw anything below -τ': independent runs, so their failure bounds multiply
        d = float(np.prod([r["d"] for r in runs]))
        if d <= delta:
            return finish("certified", True, d)
        budgets = [r["kind"] for r in runs if r["kind"] in ("max-hvps", "max-seconds")]
        if budgets:
            what = f"{max_hvps} HVPs" if budgets[0] == "max-hvps" else f"{max_seconds} s"
            return finish(f"unproven: failure bound {d:.2g} > {delta:g} when the budget ({what}) ran out", False, d,
                          reason=budgets[0], message=f"budget ({what}) spent with failure bound {d:.2g} > {delta:g}")
        need = max(r["m_need"] for r in runs)
        more = "" if not math.isfinite(need) else f"; about {int(need)} steps per run would be needed"
        return finish(f"unproven: failure bound {d:.2g} > {delta:g} after the step budget", False, d,
                      message=f"cannot certify within {max_steps} Lanczos steps per run: failure bound {d:.2g} > "
                              f"{delta:g} (the smallest Ritz value is too close to -τ for its σ){more}")


def _stage_runs(st: _Stage, R: int, op, source, workers, scheduler) -> list[dict]:
    """The R runs of one stage, in run order (wherever they ran)."""
    if op is not None:
        return [_run(op, st, j) for j in range(R)]
    from saddlesim.runtime.parallel import map_unordered

    done = dict(map_unordered(partial(_run_item, source, st), list(range(R)), workers=workers, scheduler=scheduler))
    return [done[j] for j in range(R)]


def _run_item(source, st: _Stage, j: int) -> dict:
    """Run j of a stage on the operator rebuilt once per worker process (shared with SLQ's probes)."""
    from saddlesim.curvature.adaptive import built

    return _run(built(source), st, j)


def _run(op, st: _Stage, j: int) -> dict:
    """One Lanczos run in the complement of span(Y), checked as it grows; see the module docstring.

    Returns a dict with ``kind``: "certified" (failure bound ``d`` ≤ the stage's
    δ), "deflate" (``U``/``HU``: vectors to deflate, orthonormal to Y and to each
    other, and their products), "cannot" (``status``), "steps" (step budget
    spent: ``d``, ``m_need``), "max-hvps"/"max-seconds"; and what it saw:
    extremes with bounds, ``lower`` (interlacing on span(Y, Q)), ``residual``, ``sigma``.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):   # one BLAS thread: the same rounding in every process
        return _run_pinned(op, st, j)


def _run_pinned(op, st: _Stage, j: int) -> dict:
    Y, HY, tau, max_count, delta, max_steps = st.Y, st.HY, st.tau, st.max_count, st.delta, st.max_steps
    n = op.n
    hvps0 = op.hvps
    sigma, sigma_proven = st.sigma, st.sigma_proven
    mu = _theta_values(Y, HY)
    proc = LanczosProcess(op, start_vector(n, st.entropy, st.stage, j), basis=Y, budget=max_steps)
    r = {"kind": None, "d": 1.0, "m_need": math.inf, "steps": 0, "lower": 0, "status": "",
         "lambda_min": np.inf, "lambda_min_bound": np.inf, "lambda_max": -np.inf, "lambda_max_bound": np.inf}
    checks = 0

    def end(kind, **kw):
        r.update(kind=kind, steps=proc.m, hvps=op.hvps - hvps0, sigma=sigma or 0.0, residual=float(e), **kw)
        # the compression to span(Y, Q) of this run: a lower bound by interlacing (before any deflation)
        r["lower"] = max(r["lower"], _interlacing_lower(Y, HY, proc, tau))
        return r

    e = _residual(Y, HY) + 64 * EPS * np.sqrt(n) * (sigma or 0.0)
    while True:
        chunk = min(max(st.steps, proc.m // 4), max_steps - proc.m)
        if st.budget is not None:
            chunk = min(chunk, st.budget - (op.hvps - hvps0))
            if chunk < 1:
                return end("max-hvps")
        if st.deadline is not None and time.time() > st.deadline and proc.m > 0:
            return end("max-seconds")
        # checks at a geometric pace: each costs an m × m tridiagonal eigensolve
        proc.extend(chunk)
        rp = proc.ritz()
        theta, rb = rp.values, rp.bounds
        if theta[0] < r["lambda_min"]:
            r["lambda_min"], r["lambda_min_bound"] = float(theta[0]), float(rb[0])
        if theta[-1] > r["lambda_max"]:
            r["lambda_max"], r["lambda_max_bound"] = float(theta[-1]), float(rb[-1])
        if not sigma_proven:
            sigma = max(sigma or 0.0, 1.01 * (r["lambda_max"] + r["lambda_max_bound"]))
            e = _residual(Y, HY) + 64 * EPS * np.sqrt(n) * sigma
        # compressions to span(Q) and to span(Y) each give a lower bound by interlacing (cheap: watched
        # at every check); the joint one, on span(Y, Q), is computed once at the end
        r["lower"] = max(r["lower"], int(np.sum(theta < -tau)), int(np.sum(mu < -tau)))
        if r["lower"] > max_count:
            return end("cannot", status=f"unproven: more than {max_count} eigenvalues below -tau")
        below = theta < -tau
        conv = rb <= 0.1 * tau / np.sqrt(max_count + 1)
        exhausted = proc.invariant or proc.m >= proc.max_steps or proc.m >= max_steps
        if below.any() and np.all(conv[theta - rb < -tau]):
            return _deflation(op, Y, proc, rp, np.flatnonzero(below & conv), end)
        if not below.any() and not np.any(theta - rb < -tau):
            if 2 * e >= tau:
                return end("cannot", status="unproven: residual of the deflated vectors not below tau/2")
            if _ambiguous(mu, tau, e):
                return end("cannot", status="unproven: an eigenvalue within its residual bound of -tau")
            tau_p = tau - e
            checks += 1
            eps_rel = (theta[0] + tau_p) / (sigma + tau_p)
            d = min(1.0, checks * kw_failure_bound(n, proc.m, eps_rel))
            if proc.invariant and proc.m == proc.max_steps:
                d = 0.0                         # the whole complement was spanned
            if d <= delta:
                return end("certified", d=d)
            if proc.invariant:
                # an invariant Krylov space (repeated eigenvalues: one start vector sees each value once)
                # is deflated whole, so the next start explores its complement
                return _deflation(op, Y, proc, rp, np.arange(proc.m), end)
            if exhausted:
                # ε only shrinks as steps are added (Ritz values move outward): the steps a next check
                # would need at least. Not a reason to stop earlier: more steps may instead find an
                # eigenvalue below -τ, deflate it, and certify in a fresh run.
                return end("steps", d=d, m_need=kw_steps_needed(n, eps_rel, delta, checks + 1))
        elif exhausted:
            if proc.invariant and np.all(np.abs(theta + tau) > rb):
                return _deflation(op, Y, proc, rp, np.arange(proc.m), end)
            return end("cannot", status="unproven: a Ritz value stays within its residual bound of -tau")


def _deflation(op, Y, proc, rp, idx, end) -> dict:
    """End a run with the Ritz vectors ``idx`` orthonormalised against Y (twice) and each other, and H applied."""
    U = rp.vectors(idx)
    rows, Hrows = [], []
    for u in U:
        for _ in range(2):
            if len(Y):
                u = u - (Y @ u) @ Y
            if rows:
                B = np.asarray(rows)
                u = u - (B @ u) @ B
        u = u / np.linalg.norm(u)
        rows.append(u)
        Hrows.append(op.matvec(u))
    return end("deflate", U=np.asarray(rows), HU=np.asarray(Hrows), invariant=bool(proc.invariant))


def _deflate(Y, HY, runs, tau, max_count):
    """Y and HY with the deflation vectors of this stage's runs appended.

    One run: its vectors as they are. Several: Rayleigh–Ritz on the span of all
    of them (H applied by linearity, no new products); Ritz pairs whose residual
    passes the convergence test and that lie below −τ (any, after an invariant
    run) are kept. When none pass, the first run's vectors are used.
    """
    if len(runs) == 1:
        return np.vstack([Y, runs[0]["U"]]), np.vstack([HY, runs[0]["HU"]])
    G = np.vstack([r["U"] for r in runs])
    HG = np.vstack([r["HU"] for r in runs])
    s2, V = np.linalg.eigh(G @ G.T)
    keep = s2 > 1e-12 * s2[-1]
    C = V[:, keep] / np.sqrt(s2[keep])             # W = Cᵀ G is orthonormal
    W, HW = C.T @ G, C.T @ HG
    Theta = W @ HW.T
    theta, Z = np.linalg.eigh((Theta + Theta.T) / 2)
    X, HX = Z.T @ W, Z.T @ HW
    res = np.linalg.norm(HX - theta[:, None] * X, axis=1)
    ok = res <= 0.1 * tau / np.sqrt(max_count + 1)
    if not any(r.get("invariant") for r in runs):
        ok &= theta < -tau
    if not ok.any():
        return np.vstack([Y, runs[0]["U"]]), np.vstack([HY, runs[0]["HU"]])
    rows, Hrows = [], []
    for x, hx in zip(X[ok], HX[ok]):
        for _ in range(2):                        # keep Y orthonormal: the same combination on HY
            if len(Y):
                c = Y @ x
                x, hx = x - c @ Y, hx - c @ HY
            if rows:
                B, HB = np.asarray(rows), np.asarray(Hrows)
                c = B @ x
                x, hx = x - c @ B, hx - c @ HB
        nx = np.linalg.norm(x)
        rows.append(x / nx)
        Hrows.append(hx / nx)
    return np.vstack([Y, rows]), np.vstack([HY, Hrows])


def _theta_values(Y, HY) -> np.ndarray:
    """Eigenvalues μ of Θ = Y H Yᵀ."""
    if len(Y) == 0:
        return np.empty(0)
    Theta = Y @ HY.T
    return np.linalg.eigvalsh((Theta + Theta.T) / 2)


def _ambiguous(mu, tau, e) -> bool:
    """Some deflated eigenvalue estimate within e of −τ: the Weyl step cannot place it."""
    return bool(np.any(np.abs(mu + tau) <= e))


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
