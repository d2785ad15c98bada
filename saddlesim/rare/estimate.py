"""log10 P(min) with a 95 % interval from independent replicates of the splitting engine.

Combining replicates. Each replicate r returns ``L_r = ln P̂_r``. For SMC
estimators of a normalising constant, ``P̂_r`` is unbiased and ``L_r`` is
asymptotically normal with variance ``σ²`` and mean ``ln P − σ²/2``
(Bérard, Del Moral & Doucet 2014). So the point estimate is
``ln P̂ = mean(L) + s²/2`` (the log of the lognormal mean, i.e. the log of an
unbiased estimate of P) and the 95 % interval is ``ln P̂ ± t_{0.975, R-1}
s / sqrt(R)``, Student-t because R is small. Everything stays in log space.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from saddlesim._validate import check_n
from saddlesim.models import Model
from saddlesim.rare.coulomb import CoulombGas
from saddlesim.rare.independent import IndependentSigns
from saddlesim.rare.smc import run_splitting

__all__ = [
    "RareEstimate",
    "estimate_p_min",
    "splitting_model",
    "combine_replicates",
    "replicate_jobs",
    "run_replicates",
    "summarise",
]

_LN10 = np.log(10.0)


@dataclass(frozen=True)
class RareEstimate:
    """A rare-event estimate of P(min) for one model and dimension.

    Attributes
    ----------
    model : Model
    n : int
    log10_p, log10_p_lo, log10_p_hi : float
        Point estimate and 95 % interval of log10 P(λ_min > 0).
    log10_replicates : ndarray, shape (replicates,)
        log10 P̂ of each independent replicate.
    n_levels : ndarray, shape (replicates,)
        Number of levels each replicate used.
    seconds : float
        Wall time of :func:`estimate_p_min`; in tables, the replicates'
        summed compute time (comparable across worker counts).
    """

    model: Model
    n: int
    log10_p: float
    log10_p_lo: float
    log10_p_hi: float
    log10_replicates: np.ndarray = field(repr=False)
    n_levels: np.ndarray = field(repr=False)
    seconds: float = 0.0

    @property
    def log10_sd(self) -> float:
        """Standard deviation of one replicate's log10 P̂."""
        return float(np.std(self.log10_replicates, ddof=1))


def combine_replicates(log_p: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Point estimate and interval of ln P from replicate values ``ln P̂_r``.

    Parameters
    ----------
    log_p : array_like, shape (R,)
        Natural logs of independent, unbiased estimates of P; ``R >= 2``.
    level : float
        Confidence level of the Student-t interval.

    Returns
    -------
    est, lo, hi : float
        Natural logs.

    References
    ----------
    J. Bérard, P. Del Moral and A. Doucet, "A lognormal central limit theorem
    for particle approximations of normalizing constants", Electron. J.
    Probab. 19 (2014) 94.
    """
    log_p = np.asarray(log_p, dtype=float)
    if log_p.size < 2:
        raise ValueError("need at least 2 replicates for an interval")
    if not np.all(np.isfinite(log_p)):
        raise RuntimeError("a replicate's population died out; use more walkers")
    r = log_p.size
    s2 = float(np.var(log_p, ddof=1))
    est = float(np.mean(log_p)) + 0.5 * s2
    half = float(stats.t.ppf(0.5 + level / 2, r - 1)) * np.sqrt(s2 / r)
    return est, est - half, est + half


def splitting_model(model: Model | str, n: int, *, beta: float | None = None, sweeps: int | None = None):
    """The splitting model for a Hessian model: CoulombGas or IndependentSigns."""
    m = model if isinstance(model, Model) else Model(model, beta=beta)
    n = check_n(n)
    if m.is_gaussian:
        return CoulombGas(n, m.beta, sweeps=sweeps)
    return IndependentSigns(n)


def _replicate(args) -> tuple[float, int, float]:
    split_model, walkers, child = args
    t0 = time.perf_counter()
    run = run_splitting(split_model, walkers, child)
    return run.log_p, run.n_levels, time.perf_counter() - t0


def run_replicates(jobs: list, workers: int | None = 1, progress: Callable[[], None] | None = None) -> list:
    """Run replicate jobs ``(split_model, walkers, generator)``; results in job order.

    One process pool serves every job, so a table of many small cells pays
    the pool start-up once. Each job carries its own generator, so the
    results do not depend on ``workers``.
    """
    workers = (os.cpu_count() or 1) if workers is None else max(1, int(workers))
    out = []
    if workers == 1 or len(jobs) <= 1:
        for job in jobs:
            out.append(_replicate(job))
            if progress:
                progress()
        return out
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        for res in pool.map(_replicate, jobs):
            out.append(res)
            if progress:
                progress()
    return out


def replicate_jobs(n, model, *, beta=None, walkers=1000, replicates=16, sweeps=None, rng=None):
    """Validated ``(Model, jobs)`` for :func:`run_replicates`; see :func:`estimate_p_min`."""
    n = check_n(n)
    m = model if isinstance(model, Model) else Model(model, beta=beta)
    checks = [("walkers", walkers, 10), ("replicates", replicates, 2)]
    if sweeps is not None:
        checks.append(("sweeps", sweeps, 1))
    for name, value, least in checks:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            raise ValueError(f"{name} must be an integer >= {least}, got {value!r}")
    split_model = splitting_model(m, n, sweeps=None if sweeps is None else int(sweeps))
    rng = np.random.default_rng(rng)
    return m, [(split_model, int(walkers), child) for child in rng.spawn(int(replicates))]


def summarise(model: Model, n: int, results: list, seconds: float | None = None) -> RareEstimate:
    """Combine replicate results ``(ln P̂, levels, seconds)`` into a :class:`RareEstimate`.

    ``seconds`` defaults to the replicates' summed compute time.
    """
    log_p = np.array([r[0] for r in results])
    est, lo, hi = combine_replicates(log_p)
    return RareEstimate(
        model=model,
        n=n,
        log10_p=est / _LN10,
        log10_p_lo=lo / _LN10,
        log10_p_hi=hi / _LN10,
        log10_replicates=log_p / _LN10,
        n_levels=np.array([r[1] for r in results]),
        seconds=float(sum(r[2] for r in results)) if seconds is None else seconds,
    )


def estimate_p_min(
    n: int,
    model: Model | str = "goe",
    *,
    beta: float | None = None,
    walkers: int = 1000,
    replicates: int = 16,
    sweeps: int | None = None,
    rng=None,
    workers: int | None = 1,
    progress: Callable[[], None] | None = None,
) -> RareEstimate:
    """Estimate log10 P(min) = log10 P(λ_min > 0) with a 95 % interval.

    P(max) equals P(min) for every model here (the laws are symmetric under
    H → −H).

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    model : Model or str
        ``'goe'``, ``'gue'``, ``'gse'``, ``'beta'`` (with ``beta``) or
        ``'independent'`` (a control: P = 2^-n exactly).
    beta : float, optional
        Dyson index for ``model='beta'``.
    walkers : int
        Population per replicate, ``>= 10``. Replicate variance of ln P̂ falls
        like 1/walkers; cost grows like walkers · sweeps · n² · levels, levels ∝ n.
    replicates : int
        Independent replicates, ``>= 2``; they give the interval.
    sweeps : int, optional
        Metropolis sweeps per level (Coulomb gas only); default
        :func:`saddlesim.rare.coulomb.default_sweeps`, ``max(4, ceil(n √β / 3))``.
    rng : None, int, SeedSequence or Generator
        Replicate r uses child r of ``rng``'s seed sequence, so results do not
        depend on ``workers``.
    workers : int or None
        Processes for the replicates; None means all cores.
    progress : callable, optional
        Called once per finished replicate.

    Returns
    -------
    RareEstimate

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. Lett. 97 (2006) 160201
    (ln P(min) ≈ −β ((ln 3)/4) n² at large n).
    """
    m, jobs = replicate_jobs(n, model, beta=beta, walkers=walkers, replicates=replicates,
                             sweeps=sweeps, rng=rng)
    t0 = time.perf_counter()
    results = run_replicates(jobs, workers, progress)
    return summarise(m, check_n(n), results, time.perf_counter() - t0)
