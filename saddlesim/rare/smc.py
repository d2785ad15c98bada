"""The splitting engine: one replicate of a sequential Monte Carlo run up to a level.

Walkers start from exact draws of the model (level -inf). Each step picks the
next level so that the incremental weights keep an effective sample size of
``ess_fraction`` of the population (the adaptive rule of Zhou, Johansen &
Aston 2016), accumulates ``log mean(weight)`` into ``log P``, transports and
resamples the walkers, and lets the model's Markov kernel decorrelate the
copies. Everything is in log space: ``log P`` is a sum of log-ratios, so
P = 1e-307 or 1e-3000 is as easy to represent as P = 0.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from saddlesim.rare.protocol import SplittingModel

__all__ = ["SplittingRun", "run_splitting"]

# Bisection on the next level: 2^-40 of the remaining gap is far finer than
# the ESS target can resolve.
_BISECT = 40


@dataclass(frozen=True)
class SplittingRun:
    """Result of one replicate of :func:`run_splitting`.

    Attributes
    ----------
    log_p : float
        Natural log of the estimate of ``P(score > target)``; ``-inf`` if the
        population died out (all weights zero at some level).
    levels : ndarray, shape (K,)
        The levels visited after the initial one, ending at ``target``.
    log_ratios : ndarray, shape (K,)
        ``log`` of the estimated conditional probability at each level.
    state : dict
        The model's kernel state (tuned step sizes) at the end of the run.
    """

    log_p: float
    levels: np.ndarray
    log_ratios: np.ndarray
    state: dict = field(default_factory=dict, repr=False)

    @property
    def n_levels(self) -> int:
        return int(self.levels.size)

    def log_p_at(self, wall: float) -> float:
        """Natural log of the estimate of ``P(score > wall)`` for a level this run visited.

        Raises
        ------
        ValueError
            If ``wall`` is not one of :attr:`levels` (pass it as ``walls=`` to
            :func:`run_splitting`).
        """
        hit = np.flatnonzero(self.levels == wall)
        if hit.size == 0:
            raise ValueError(f"level {wall!r} was not visited by this run")
        return float(np.sum(self.log_ratios[: hit[0] + 1]))


def logsumexp(a: np.ndarray) -> float:
    """log Σ exp(a) of a 1-d array, ``-inf`` if every entry is ``-inf``.

    scipy.special.logsumexp does the same but its array-API dispatch costs
    ~0.5 ms a call, which dominated the level bisection.
    """
    m = a.max()
    if not np.isfinite(m):
        return float(m)
    return float(m + np.log(np.exp(a - m).sum()))


def _ess(log_w: np.ndarray) -> float:
    """Kish effective sample size ``(Σw)² / Σw²`` of unnormalised log-weights."""
    m = log_w.max()
    if not np.isfinite(m):
        return 0.0
    w = np.exp(log_w - m)
    return float(w.sum() ** 2 / (w * w).sum())


def _next_level(model, x, level, target, min_ess) -> float:
    """Largest level in (level, target] whose weights keep ESS >= min_ess (bisection)."""
    if _ess(model.log_weights(x, level, target)) >= min_ess:
        return target
    lo = level if np.isfinite(level) else float(model.score(x).min())
    hi = target
    for _ in range(_BISECT):
        mid = 0.5 * (lo + hi)
        if _ess(model.log_weights(x, level, mid)) >= min_ess:
            lo = mid
        else:
            hi = mid
    # lo can equal `level` only if even tiny steps lose the ESS target, which
    # would stall the run; take hi then (one step of low ESS, still unbiased).
    return lo if lo > level else hi


def _systematic_resample(log_w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices drawn by systematic resampling (lowest variance of the standard schemes)."""
    w = np.exp(log_w - logsumexp(log_w))
    cdf = np.cumsum(w)
    cdf[-1] = 1.0
    u = (rng.random() + np.arange(w.size)) / w.size
    return np.searchsorted(cdf, u, side="right")


def run_splitting(
    model: SplittingModel,
    walkers: int,
    rng: np.random.Generator,
    *,
    target: float = 0.0,
    ess_fraction: float = 0.5,
    max_levels: int = 100_000,
    walls=(),
    schedule=None,
    state: dict | None = None,
    tune: bool = True,
) -> SplittingRun:
    """One replicate of the adaptive splitting / SMC estimate of ``P(score > target)``.

    Parameters
    ----------
    model : SplittingModel
    walkers : int
        Population size, ``>= 2``.
    rng : numpy.random.Generator
        Internal helper: the caller normalises the generator.
    target : float
        The rare level.
    ess_fraction : float in (0, 1)
        Effective sample size kept at each step; smaller means fewer, larger
        steps and noisier ratios.
    max_levels : int
        Safety stop against a model whose weights never let the level move.
    walls : sequence of float, optional
        Levels below ``target`` the run must stop at, so that
        :meth:`SplittingRun.log_p_at` gives ``P(score > wall)`` for each from
        this one run (no extra cost beyond at most one extra level per wall).
    schedule : sequence of float, optional
        A fixed increasing sequence of levels ending at ``target`` (e.g. the
        levels of a pilot run). The adaptive choice is then skipped, which
        removes its O(1/walkers) bias: with a fixed schedule and fixed kernels
        ``P̂`` is exactly unbiased (Del Moral 2004).
    state : dict, optional
        Initial kernel state (tuned step sizes), e.g. from a pilot run; it is
        copied, not modified.
    tune : bool
        Let the model retune its kernel between levels (``state['frozen']``
        is set to ``not tune``; models that honour it keep their steps).

    Returns
    -------
    SplittingRun

    References
    ----------
    P. Del Moral, A. Doucet and A. Jasra, "Sequential Monte Carlo samplers",
    J. R. Stat. Soc. B 68 (2006) 411.
    Y. Zhou, A. M. Johansen and J. A. D. Aston, "Toward automatic model
    comparison: an adaptive sequential Monte Carlo approach", J. Comput. Graph.
    Stat. 25 (2016) 701 (ESS-based choice of the next level).
    """
    x = model.initial(walkers, rng)
    level = -np.inf
    state = dict(state or {})
    state["frozen"] = not tune
    levels, ratios = [], []
    min_ess = ess_fraction * walkers
    stops = sorted({float(w) for w in walls if w < target} | {float(target)})
    fixed = None if schedule is None else [float(v) for v in schedule]
    if fixed is not None and (not fixed or fixed[-1] != target or np.any(np.diff(fixed) <= 0)):
        raise ValueError("schedule must be increasing and end at target")
    while level < target:
        if len(levels) >= max_levels:
            raise RuntimeError(f"no convergence to level {target} after {max_levels} levels")
        if fixed is not None:
            nxt = fixed[len(levels)]
        else:
            # Never step over a requested wall: stop on it exactly.
            stop = next(w for w in stops if w > level)
            nxt = _next_level(model, x, level, stop, min_ess)
        log_w = model.log_weights(x, level, nxt)
        if not np.any(np.isfinite(log_w)):
            levels.append(nxt)
            ratios.append(-np.inf)
            break
        ratios.append(float(logsumexp(log_w) - np.log(walkers)))
        levels.append(nxt)
        x = model.transport(x, level, nxt)[_systematic_resample(log_w, rng)]
        level = nxt
        x = model.move(x, level, rng, state)
    return SplittingRun(float(np.sum(ratios)), np.asarray(levels), np.asarray(ratios), state)
