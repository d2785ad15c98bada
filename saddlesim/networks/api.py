"""``saddlesim.point`` and ``saddlesim.spectrum``: the verdict and the spectrum of a network at its parameters.

Both take the model as a researcher holds it — ``loss(params, batch)`` with
``params`` any JAX pytree and the data as one batch or a sequence of batches
(:class:`~saddlesim.networks.loss.NetworkLoss`), or today's flat
``loss(x)`` with ``params`` a vector — and return the dict the CLI prints
with ``--format json`` (same keys), plus:

- the coin-flip numbers of the reported index (:func:`~saddlesim.networks.coin.coin_flip`);
- ``tau_table``: the index and near-kernel count at every decade of τ from
  the numerical floor to 10⁻¹·max|λ|, from the same run
  (:func:`~saddlesim.curvature.thresholds.count_table`), and ``tau_rule``,
  the headline rule the reported index and the verdict follow
  (τ = 10⁻⁴·max|λ| unless ``rtol``/``tol`` say otherwise);
- vectors as the user's pytree: ``eigenvector_min`` (dense route) and,
  after ``polish``, ``polished["point"]``.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, Sequence

import numpy as np

from saddlesim.curvature.thresholds import HEADLINE_RTOL, TAU_RULE, count_table
from saddlesim.networks.coin import coin_flip
from saddlesim.networks.loss import NetworkLoss

__all__ = ["point", "spectrum", "network_loss", "budget_callback"]


def network_loss(loss: Callable, params, data=None, *, batches: Sequence | None = None,
                 name: str = "network") -> NetworkLoss:
    """The :class:`NetworkLoss` of ``loss`` at ``params`` (a pytree, or a flat vector for ``loss(x)``)."""
    return NetworkLoss(loss, params, data, batches=batches, name=name)


def _rule(rtol, tol) -> str:
    if tol is not None:
        return f"τ = {tol:.3g} (given)"
    return TAU_RULE if rtol == HEADLINE_RTOL else f"τ = {rtol:.3g}·max|λ| (given)"


def budget_callback(max_seconds: float | None = None, progress: bool = False, stream=None, *,
                    start: float | None = None, reserve: float = 0.0) -> Callable:
    """A Newton callback: a line per step with |∇L| (``progress``), stop when the budget is spent.

    Parameters
    ----------
    max_seconds : float, optional
        Wall seconds from ``start`` (default: now) for the whole job.
    progress : bool
    stream : file, optional
        Where the lines go (stderr).
    start : float, optional
        ``time.perf_counter()`` at which the budget began (a command's start, so the work
        before the solve counts).
    reserve : float
        Seconds kept for what follows the solve (the end point's verdict): the solve stops
        once ``elapsed + reserve ≥ max_seconds``.

    Returns
    -------
    callable
        ``callback(iteration, x, |∇L|²) -> bool`` (True: stop); its
        ``stopped`` attribute says whether the budget ended the solve.
    """
    t0 = time.perf_counter() if start is None else float(start)
    out = sys.stderr if stream is None else stream

    def callback(it, x, g2):
        elapsed = time.perf_counter() - t0
        if progress:
            print(f"Newton-MR step {it}: |grad| {np.sqrt(g2):.3e}  ({elapsed:.1f} s)", file=out, flush=True)
        if max_seconds is not None and elapsed + reserve >= max_seconds:
            callback.stopped = True
            return True
        return False

    callback.stopped = False
    return callback


def _coin(r: dict) -> dict:
    lo, hi = r.get("index_lo"), r.get("index_hi")
    return coin_flip(r["n"], r["index"], lo if lo is not None and hi is not None and hi > lo else None,
                     hi if lo is not None and hi is not None and hi > lo else None)


def point(loss: Callable, params, data=None, *, batches: Sequence | None = None, rtol: float = HEADLINE_RTOL,
          polish: bool = False, max_iter: int = 100, max_seconds: float | None = None, progress: bool = False,
          rng=0) -> dict:
    """Is ``params`` a minimum, a maximum or a saddle of ``loss`` — and are its signs fair coins?

    Parameters
    ----------
    loss : callable
        ``loss(params, batch)`` with ``data`` or ``batches``; ``loss(params)`` without.
    params : pytree or ndarray (n,)
    data : pytree, optional
        One batch (the whole data set).
    batches : sequence of pytrees, optional
        Batches whose size-weighted mean is the loss.
    rtol : float
        τ = rtol·max|λ| for the index, the nullity and the verdict (the headline rule, 10⁻⁴).
    polish : bool
        Also run Newton-MR from the point and report its end (``polished``).
    max_iter, max_seconds : int, float
        Budgets of the polish: Newton steps, and wall seconds for the whole call (the verdicts
        at both ends included: the solve stops when what is left would not pay for the end
        point's verdict, estimated by the first one's time); at the budget the last iterate's
        verdict is reported. A Newton step is not interrupted, so a budget below two verdicts
        and one step ends after them.
    progress : bool
        A line per Newton step with |∇L| on stderr.
    rng : seed
        For the matrix-free route (SLQ probes).

    Returns
    -------
    dict
        :func:`saddlesim.critical.verdict.point_verdict`'s keys (``n``,
        ``loss``, ``grad_norm``, ``index``, ``nullity``, ``positive``,
        ``label``, ``verdict``, ``lambda_min``, ``lambda_max``, ``grad_tol``,
        ``null_tol`` = τ, ``newton_step``, ``flat_residual``; matrix-free
        also ``method``, ``index_lo``, ``index_hi``, ``index_status``,
        ``hvps``), the coin-flip keys (:data:`~saddlesim.networks.coin.COIN_KEYS`),
        ``tau_rule``, ``tau_table`` (list of rows), ``eigenvector_min``
        (pytree of the lowest eigenvector, dense route, else None), ``seconds``
        and, with ``polish``, ``polished`` (its ``point`` a pytree).
    """
    from saddlesim.critical.verdict import DENSE_LIMIT, matrix_free_verdict, point_verdict

    t0 = time.perf_counter()
    land = params if isinstance(params, NetworkLoss) else network_loss(loss, params, data, batches=batches)
    x = land.x0
    if not np.all(np.isfinite(x)):
        raise ValueError("the parameters have non-finite entries")
    if land.dim > DENSE_LIMIT:
        v = matrix_free_verdict(land, x, rtol_null=rtol, rng=rng)
        table = count_table(v.pop("slq"), max(abs(v["lambda_min"]), abs(v["lambda_max"])))
        v["eigenvector_min"] = None
    else:
        H = land.hessian(x)
        lam, V = np.linalg.eigh(H)     # one decomposition for the verdict, the τ table and the eigenvector
        v = point_verdict(_Cached(land, x, H), x, rtol_null=rtol, eigh=(lam, V))
        table = count_table(lam)
        v["eigenvector_min"] = land.to_pytree(V[:, 0])
    v.update(_coin(v))
    v["tau_rule"], v["tau_table"] = _rule(rtol, None), table
    if polish:
        from saddlesim.critical.polish import polish_point

        # the budget is the whole call's: the end point's verdict costs about what the first one did
        verdict_seconds = time.perf_counter() - t0
        cb = budget_callback(max_seconds, progress, start=t0, reserve=verdict_seconds)
        xp, q = polish_point(land, x, max_iter=max_iter, callback=cb, rtol_null=rtol)
        q["stopped_by"] = "max-seconds" if cb.stopped else ("max-iter" if q["iterations"] >= max_iter else "solver")
        q["point"] = land.to_pytree(xp)
        v["polished"] = q
    v["seconds"] = time.perf_counter() - t0
    return v


class _Cached:
    """The landscape with its Hessian at ``x`` formed once (the verdict and the τ table share it)."""

    def __init__(self, land, x, H):
        self._land, self._x, self._H = land, x, H

    def __getattr__(self, name):
        return getattr(self._land, name)

    def hessian(self, x):
        return self._H if np.array_equal(x, self._x) else self._land.hessian(x)


def spectrum(loss: Callable, params, data=None, *, batches: Sequence | None = None, method: str = "auto",
             rtol: float = HEADLINE_RTOL, tol: float | None = None, probes: int = 20, steps: int = 80,
             rng=None, width: float | None = None, max_hvps: int | None = None, max_seconds: float | None = None,
             workers: int | None = 1, scheduler=None, source=None, journal=None, progress=None,
             restarts: int = 2) -> dict:
    """Index with its interval, near-kernel, extremes and density of the Hessian at ``params``; the τ table.

    Parameters
    ----------
    loss, params, data, batches
        As in :func:`point`.
    method : {"auto", "exact", "lanczos", "slq", "both"}
        See :func:`saddlesim.curvature.spectrum.spectrum`.
    rtol : float
        Headline τ = rtol·max|λ| (10⁻⁴), unless ``tol`` (absolute) is given.
    probes, steps : int
        SLQ probes and Lanczos steps per probe.
    rng : seed
    width, max_hvps, max_seconds, workers, scheduler, source, journal, progress, restarts
        The adaptive SLQ's target width of the index interval, the budgets of the call, where its
        probes and the certificate's runs go, its journal: see :func:`saddlesim.curvature.spectrum.spectrum` (several workers need a
        ``source`` that rebuilds the loss there, :class:`saddlesim.networks.files.LossSource`).

    Returns
    -------
    dict
        The keys of ``saddlesim spectrum --format json`` (``n``, ``method``,
        ``tol`` = τ, ``index``, ``index_lo``, ``index_hi``, ``index_status``,
        ``nullity``, … ``lambda_min``, ``lambda_max``, ``grad_norm``,
        ``loss``, ``hvps``, ``seconds``), the coin-flip keys, ``tau_rule``,
        ``tau_table``, ``density_nodes``, ``density_weights``.
    """
    from saddlesim.curvature.spectrum import spectrum as compute

    land = params if isinstance(params, NetworkLoss) else network_loss(loss, params, data, batches=batches)
    x = land.x0
    loss_value = land.value(x)
    if not np.isfinite(loss_value):
        raise ValueError("the loss is not finite at this point")
    r = compute(land, x, method=method, tol=tol, rtol=rtol, probes=probes, steps=steps, rng=rng, width=width,
                max_hvps=max_hvps, max_seconds=max_seconds, workers=workers, scheduler=scheduler, source=source,
                journal=journal, progress=progress, restarts=restarts)
    r["loss"] = loss_value
    res = r.pop("slq")
    scale = max(abs(r["lambda_min"]), abs(r["lambda_max"]))
    r["tau_table"] = count_table(res if res is not None else r["density_nodes"], scale)
    r["tau_rule"] = _rule(rtol, tol)
    if r["index"] is not None:
        r.update(_coin(r))
    return r
