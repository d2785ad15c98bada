"""One call for the curvature of a point: index with interval, near-kernel, extremes, density.

:func:`spectrum` picks a route by size: below :data:`DENSE_LIMIT` the dense
eigenvalues (exact up to backward-stable rounding); above it, matrix-free —
the certified count of :mod:`saddlesim.curvature.certify` when few
eigenvalues lie below −τ, stochastic Lanczos quadrature
(:mod:`saddlesim.curvature.slq`) for the density, the near-kernel count and
the index otherwise. ``method="both"`` runs the matrix-free route and the
dense one and reports both, for checking one against the other.
"""

from __future__ import annotations

import time

import numpy as np

from saddlesim.curvature.adaptive import MatrixSource, OperatorSource, adaptive_slq
from saddlesim.curvature.certify import certified_index
from saddlesim.curvature.operators import as_operator

__all__ = ["spectrum", "METHODS", "DENSE_LIMIT", "RTOL"]

METHODS = ("auto", "exact", "lanczos", "slq", "both")
#: Largest n for which "auto" forms and decomposes the Hessian (n² floats: 3000 → 72 MB, seconds).
DENSE_LIMIT = 3000
#: Default threshold τ = RTOL · max|λ| (√ε: the accuracy of eigenvalues of a Hessian whose
#: entries carry rounding of order ε·|H|; the same rule as ``saddlesim point``).
RTOL = float(np.sqrt(np.finfo(float).eps))


def spectrum(op_or_landscape, x=None, *, method: str = "auto", tol: float | None = None,
             probes: int = 20, steps: int = 80, rng=None, max_count: int = 50, delta: float = 1e-6,
             dense_limit: int = DENSE_LIMIT, width: float | None = None, max_hvps: int | None = None,
             max_seconds: float | None = None, workers: int | None = 1, scheduler=None, source=None,
             journal=None, progress=None, rtol: float = RTOL, restarts: int = 1) -> dict:
    """Index at threshold τ with a 95 % interval, near-kernel count, extremes and spectral density.

    Parameters
    ----------
    op_or_landscape : Operator, ndarray (n, n), or landscape
        A landscape needs the point ``x``; its Hessian is used through
        ``hvp``/``hvps`` (never formed) on the matrix-free routes.
    x : array_like, shape (dim,), optional
    method : {"auto", "exact", "lanczos", "slq", "both"}
        ``exact``: dense ``eigvalsh``; ``lanczos``: certified count (index None
        when it declines; ``index_lo`` stays the proven lower bound) plus SLQ
        for nullity and density; ``slq``: SLQ only; ``auto``: exact when
        n ≤ ``dense_limit`` and the operator has a dense form, else the
        certified count when it succeeds and SLQ's estimate otherwise;
        ``both``: ``auto``'s matrix-free route and the exact one (``exact_*`` keys).
    tol : float, optional
        Absolute τ: index = #{λ < −τ}, nullity = #{|λ| ≤ τ}. Default
        ``rtol`` · max|λ| (max|λ| from the extremes found).
    probes, steps : int
        SLQ probes P and Lanczos steps m per probe (the first round's, with ``width``).
    rng : seed or Generator
        Probe i's start vector comes from its own stream keyed by i
        (:func:`~saddlesim.curvature.adaptive.probe_vector`), so results do not
        depend on ``workers``.
    max_count, delta : see :func:`~saddlesim.curvature.certify.certified_index`.
    dense_limit : int
    width : float, optional
        Target width of the 95 % index interval (a fraction of n when < 1,
        else a count): SLQ adds Lanczos steps and probes until the interval is
        that narrow, the budget runs out, or it says it cannot
        (:func:`~saddlesim.curvature.adaptive.adaptive_slq`). None: one round.
    max_hvps, max_seconds : optional
        Budget of the whole call: the adaptive SLQ first, the certificate gets what is left.
    restarts : int
        Independent Lanczos runs per deflation stage of the certificate
        (:func:`~saddlesim.curvature.certify.certified_index`; they run on the workers).
        1 here (the finder's verdicts run one point per worker); ``saddlesim.spectrum``
        and the CLI use 2: on one core about 1.3–1.45× the products of one run, on two
        about 1.5× faster (measured on test matrices with 0, 5 and 20 eigenvalues below −τ).
    workers, scheduler :
        Where probes and the certificate's runs go (:func:`saddlesim.runtime.parallel.map_unordered`);
        more than one worker needs a ``source`` that rebuilds the operator
        there (an explicit matrix is its own).
    source : OperatorSource, optional
        :class:`~saddlesim.networks.files.LossSource` for a loss given by its spec.
    journal : ProbeJournal, optional
        Finished probes are kept there (an interrupted run resumes).
    progress : callable, optional
        ``progress(line)`` gets a line per SLQ round.
    rtol : float
        The default τ relative to max|λ| (:data:`RTOL`; the network path's
        headline rule is :data:`saddlesim.curvature.thresholds.HEADLINE_RTOL`).

    Returns
    -------
    dict
        ``n``, ``method`` (the route taken), ``tol``, ``index``, ``index_lo``,
        ``index_hi`` (for SLQ a 95 % interval that covers quadrature error and
        probe noise, see :mod:`saddlesim.curvature.slq`), ``index_probe_lo``/
        ``index_probe_hi`` and ``nullity_probe_*`` (SLQ routes: the t-interval of
        probe noise alone, narrower and not covering when a bulk straddles ±τ),
        ``index_status`` ("exact", "certified", "slq" or "unproven: …"), ``index_delta`` (failure bound of a certified count),
        ``nullity``, ``nullity_lo``, ``nullity_hi``, ``lambda_min``,
        ``lambda_max``, ``grad_norm`` (landscape points, else None), ``hvps``,
        ``seconds``, ``density_nodes``, ``density_weights`` (arrays; weights
        sum to n), ``probes``, ``steps``, ``lambda_min_bound``/``lambda_max_bound``
        (residual bounds of the extremes: each is within its bound of an
        eigenvalue; 0 when exact), ``stop_reason`` and ``stop_message`` (what
        ended the SLQ rounds: see :data:`~saddlesim.curvature.adaptive.STOP_REASONS`;
        "exact"/"certified" on those routes), ``width`` (of the index interval)
        and ``width_target``; ``slq`` (the :class:`~saddlesim.curvature.slq.SLQ` run on the
        matrix-free routes, else None: every other τ from it); ``certificate_stop_reason`` and
        ``certificate_stop_message`` (what ended the certificate on the lanczos/auto routes: one of
        :data:`~saddlesim.curvature.certify.CERT_STOP_REASONS`, None where it did not run).
    """
    t0 = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if tol is not None and not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    rng = np.random.default_rng(rng)
    op = as_operator(op_or_landscape, x)
    grad_norm = None
    if x is not None:
        g = np.asarray(op_or_landscape.gradient(np.asarray(x, dtype=float)), dtype=float)
        if hasattr(op_or_landscape, "manifold_dim") and op_or_landscape.manifold_dim != op_or_landscape.dim:
            g = op_or_landscape.tangent_basis(x).T @ g
        grad_norm = float(np.linalg.norm(g))
    route = method
    if method == "auto":
        route = "exact" if op.n <= dense_limit and op.has_dense else "lanczos"
    if route in ("exact", "both") and not op.has_dense:
        raise ValueError(f"{op.name} has no dense Hessian; use --method lanczos or slq")
    out = {"n": op.n, "grad_norm": grad_norm, "probes": None, "steps": None, "index_delta": None, "slq": None,
           "certificate_stop_reason": None, "certificate_stop_message": None}
    if route == "exact":
        out.update(_exact(op, tol, rtol))
    else:
        s_rng, c_rng = rng.spawn(2)
        entropy = int(s_rng.integers(0, 2**63))
        if source is None:
            source = MatrixSource(matrix=op.dense()) if (
                _explicit(op_or_landscape) and ((workers or 2) > 1 or scheduler is not None)) else op
        elif not isinstance(source, OperatorSource):
            raise ValueError("source must be an OperatorSource (MatrixSource, networks.files.LossSource)")
        if not isinstance(source, OperatorSource) or not source.portable:
            if (workers is None or workers > 1) or scheduler is not None:
                raise ValueError("probes on several workers need a source that rebuilds the operator there "
                                 "(a LossSource or an explicit matrix)")
        pool = None
        if scheduler is None and (workers is None or workers > 1) and isinstance(source, OperatorSource) \
                and source.portable:
            # one pool for the whole call: workers start (and build the operator) once, not per SLQ
            # round and per certificate stage
            from saddlesim.runtime.parallel import ProcessPool, default_workers

            pool = scheduler = ProcessPool(default_workers() if workers is None else workers)
        try:
            return _matrix_free(out, op, op_or_landscape, x, route, method, tol, rtol, probes, steps, width,
                                max_hvps, max_seconds, entropy, workers, scheduler, source, journal, progress,
                                max_count, delta, restarts, c_rng, t0)
        finally:
            if pool is not None:
                pool.close()
    out["hvps"] = op.hvps
    out.update(method=route, seconds=time.perf_counter() - t0)
    return out


def _matrix_free(out, op, op_or_landscape, x, route, method, tol, rtol, probes, steps, width, max_hvps,
                 max_seconds, entropy, workers, scheduler, source, journal, progress, max_count, delta,
                 restarts, c_rng, t0) -> dict:
    """The SLQ rounds, then the certificate (lanczos/auto), then the dense check ("both")."""
    res, info = adaptive_slq(source, tau_of=lambda r: _relative_tau(r, rtol) if tol is None else float(tol),
                             width=width, probes=probes, steps=steps, max_hvps=max_hvps,
                             max_seconds=max_seconds, entropy=entropy, workers=workers,
                             scheduler=scheduler, journal=journal, progress=progress, local=op)
    hvps_after_slq = op.hvps
    lmin, lmax = res.extremes
    bmin, bmax = res.extreme_bounds()
    tau = info["tol"]
    below, null = res.count_below(-tau), res.count_within(tau)
    nodes, weights = res.density()
    out.update(tol=tau, index=below["estimate"], index_lo=below["lo"], index_hi=below["hi"],
               index_probe_lo=below["probe_lo"], index_probe_hi=below["probe_hi"],
               index_status="slq", nullity=null["estimate"], nullity_lo=null["lo"], nullity_hi=null["hi"],
               nullity_probe_lo=null["probe_lo"], nullity_probe_hi=null["probe_hi"],
               lambda_min=lmin, lambda_max=lmax, density_nodes=nodes, density_weights=weights,
               probes=info["probes"], steps=info["steps"], lambda_min_bound=bmin, lambda_max_bound=bmax,
               stop_reason=info["stop_reason"], stop_message=info["stop_message"],
               width=info["width"], width_target=info["width_target"], slq=res)
    if method == "auto" and out["index_lo"] > 2 * max_count:
        # SLQ's interval puts the index far above what the certificate deflates: it would decline
        # after spending its products, so do not start it (the lanczos route always tries)
        out["certificate_stop_reason"] = "cannot"
        out["certificate_stop_message"] = (f"cannot certify: SLQ's 95 % interval puts more than {max_count} "
                                           f"eigenvalues below -τ (not tried)")
    elif route != "slq":
        spent = res.hvps + op.hvps - hvps_after_slq
        cert = certified_index(
            op, tau, max_count=max_count, delta=delta, rng=c_rng, restarts=restarts,
            max_hvps=None if max_hvps is None else max(0, int(max_hvps) - spent),
            max_seconds=None if max_seconds is None else max(1e-9, float(max_seconds) - (time.perf_counter() - t0)),
            workers=workers, scheduler=scheduler,
            source=source if isinstance(source, OperatorSource) and source.portable else None)
        msg = cert["stop_message"]
        if cert["stop_reason"] in ("max-hvps", "max-seconds"):
            msg += " (what SLQ left of the call's budget)"
        out["certificate_stop_reason"], out["certificate_stop_message"] = cert["stop_reason"], msg
        out["certificate_hvps"] = cert["hvps"]
        if cert["lambda_min"] < lmin:
            out["lambda_min"], out["lambda_min_bound"] = cert["lambda_min"], cert["lambda_min_bound"]
        if cert["lambda_max"] > lmax:
            out["lambda_max"], out["lambda_max_bound"] = cert["lambda_max"], cert["lambda_max_bound"]
        out["index_delta"] = cert["delta"]
        if cert["index"] is not None:
            out.update(index=cert["index"], index_lo=cert["index"], index_hi=cert["index"],
                       index_status="certified", width=0.0, stop_reason="certified",
                       stop_message="the count is certified (deflated Lanczos)")
        elif method == "lanczos":
            out.update(index=None, index_lo=cert["lower"], index_hi=None, index_status=cert["status"])
        else:
            # SLQ's estimate and interval, raised to the proven lower bound
            low = cert["lower"]
            out.update(index=max(out["index"], low), index_lo=max(out["index_lo"], low),
                       index_hi=max(out["index_hi"], low), index_probe_lo=max(out["index_probe_lo"], low),
                       index_probe_hi=max(out["index_probe_hi"], low),
                       index_status=f"slq ({cert['status']})")
    if route == "both":
        ex = _exact(op, tau, rtol)
        out.update({f"exact_{k}": v for k, v in ex.items()
                    if k in ("index", "nullity", "lambda_min", "lambda_max")})
    route = {"auto": "lanczos"}.get(route, route)
    # the probes' and the certificate's products may have run on workers' operators: res.hvps and
    # certificate_hvps count them wherever they ran (op.hvps only what ran here)
    out["hvps"] = res.hvps + max(op.hvps - hvps_after_slq, out.pop("certificate_hvps", 0))
    out.update(method=route, seconds=time.perf_counter() - t0)
    return out


def _exact(op, tol, rtol: float = RTOL) -> dict:
    """Dense eigenvalues (``numpy.linalg.eigvalsh``): exact counts, density = the eigenvalues."""
    lam = np.linalg.eigvalsh(op.dense())
    tau = rtol * float(np.max(np.abs(lam))) if tol is None else float(tol)
    index = int(np.sum(lam < -tau))
    nullity = int(np.sum(np.abs(lam) <= tau))
    return {"tol": tau, "index": index, "index_lo": index, "index_hi": index, "index_status": "exact",
            "nullity": nullity, "nullity_lo": nullity, "nullity_hi": nullity,
            "lambda_min": float(lam[0]), "lambda_max": float(lam[-1]),
            "lambda_min_bound": 0.0, "lambda_max_bound": 0.0, "width": 0.0, "width_target": None,
            "stop_reason": "exact", "stop_message": "dense eigenvalues",
            "density_nodes": lam, "density_weights": np.ones_like(lam)}


def _relative_tau(res, rtol: float = RTOL) -> float:
    """The default τ: ``rtol`` · max|λ| over the extremes seen."""
    lmin, lmax = res.extremes
    return rtol * max(abs(lmin), abs(lmax))


def _explicit(obj) -> bool:
    """An explicit matrix (not a landscape, not an operator): it can travel to workers as itself."""
    from saddlesim.curvature.operators import Operator

    return not isinstance(obj, Operator) and not (hasattr(obj, "dim") and hasattr(obj, "hessian"))
