"""Rare-event benchmark: accuracy, wall time and cost growth of the splitting estimator.

Targets (wall time on 2 cores, errors against the exact
:func:`saddlesim.theory.log10_p_min`):

* default: GOE n = 20 (P ≈ 1e-51) in ≤ 30 s with |log10 error| ≤ 0.1, and
  n = 30 (P ≈ 1e-113) in ≤ 2 min with |log10 error| ≤ 0.15;
* ``--full``: GOE n = 50 (P ≈ 1e-307) in ≤ 5 min and n = 80 (P ≈ 1e-785) in
  ≤ 15 min, each with the exact value inside the 95 % interval and
  |log10 error| ≤ 0.05; GOE n = 100 (P ≈ 1e-1210) in ≤ 30 min with the exact
  value inside; GUE n = 70 (P ≈ 1e-1180), exact inside (no time target).

Baseline measured in the same run: plain Monte Carlo (exact β-Hermite
spectra, count λ_min > 0). It prints the log10 of the time plain MC would
need for the same relative error, ``(1-P)/(P r²)`` samples at the measured
rate, over the splitting wall time.

Cost model: CPU seconds at GOE n = 10 … 40 with the default budget, times
the squared interval half-width, is the cost of a fixed accuracy (the
variance of ln P̂ falls like 1/walkers at fixed levels); its log-log slope
against n is the growth exponent. The default sweeps (∝ n), levels (∝ n)
and the O(n²) single-eigenvalue sweep predict n⁴ at fixed walkers, and the
variance per level grows too.
"""

from __future__ import annotations

import math
import os
import resource
import time

import numpy as np

from saddlesim.models import beta_hermite_spectra
from saddlesim.rare import estimate_p_min

__all__ = ["run", "CASES", "cost_model"]

#: (model, n) -> (budget, replicates, max seconds, max |log10 error|, exact inside, full only)
CASES = {
    ("goe", 20): (0.8, 12, 30.0, 0.10, False, False),
    ("goe", 30): (1.5, 16, 120.0, 0.15, False, False),
    ("goe", 50): (1.0, 16, 300.0, 0.05, True, True),
    ("goe", 80): (1.0, 16, 900.0, 0.05, True, True),
    ("goe", 100): (1.0, 16, 1800.0, None, True, True),
    ("gue", 70): (1.0, 16, None, None, True, True),
}

_LN10 = math.log(10.0)
_BETA = {"goe": 1.0, "gue": 2.0}


def _plain_mc_rate(n: int, beta: float, size: int = 20000) -> float:
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    lam = beta_hermite_spectra(n, size, beta, rng)
    _ = np.count_nonzero(lam[:, 0] > 0)
    return size / (time.perf_counter() - t0)


def _exact(n: int, beta: float) -> float:
    from saddlesim.theory import log10_p_min

    return log10_p_min(n, beta)


def _cpu() -> float:
    # this process and its finished worker processes
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def cost_model(ns=(10, 20, 30, 40), workers: int = 1) -> tuple[list[tuple[int, float, float]], float]:
    """CPU seconds and 95 % half-width per n at the default budget, and the fitted exponent.

    Returns
    -------
    rows : list of (n, seconds, half_width)
    exponent : float
        Least-squares slope of ``ln(seconds · half_width²)`` against ``ln n``.
    """
    rows = []
    for n in ns:
        t0 = _cpu() if workers > 1 else time.process_time()
        est = estimate_p_min(n, "goe", rng=np.random.SeedSequence(20261126), workers=workers)
        sec = (_cpu() if workers > 1 else time.process_time()) - t0
        rows.append((n, sec, (est.log10_p_hi - est.log10_p_lo) / 2))
    x = np.log([r[0] for r in rows])
    y = np.log([r[1] * r[2] ** 2 for r in rows])
    return rows, float(np.polyfit(x, y, 1)[0])


def run(full: bool) -> None:
    workers = min(2, os.cpu_count() or 1)
    print(f"P(min) by splitting, {workers} workers, seed 20261126; budget 1 = 1000 walkers")
    print(f"{'model':>5} {'n':>3} {'log10 P exact':>14} {'estimate':>10} {'95% interval':>22} {'error':>7} "
          f"{'wall s':>7} {'target':>26} {'log10 MC/split':>14}  ok")
    for (model, n), (budget, reps, max_s, max_err, inside, full_only) in CASES.items():
        if full_only and not full:
            continue
        beta = _BETA[model]
        t0 = time.perf_counter()
        est = estimate_p_min(n, model, walkers=round(1000 * budget), replicates=reps,
                             rng=np.random.SeedSequence(20261126), workers=workers)
        wall = time.perf_counter() - t0
        exact = _exact(n, beta)
        err = est.log10_p - exact
        rel = (est.log10_p_hi - est.log10_p_lo) / 2 / 1.96 * _LN10  # relative error of P̂
        log10_mc_time = (-est.log10_p - 2 * math.log10(rel)) - math.log10(_plain_mc_rate(n, beta))
        covered = est.log10_p_lo <= exact <= est.log10_p_hi
        ok = (np.isfinite(est.log10_p) and (max_s is None or wall <= max_s)
              and (max_err is None or abs(err) <= max_err) and (covered or not inside))
        target = " ".join(filter(None, [f"≤{max_s:.0f}s" if max_s else "",
                                        f"|err|≤{max_err}" if max_err else "",
                                        "inside" if inside else ""]))
        print(f"{model:>5} {n:>3} {exact:>14.3f} {est.log10_p:>10.3f} "
              f"[{est.log10_p_lo:>9.3f},{est.log10_p_hi:>10.3f}] {err:>+7.3f} {wall:>7.1f} {target:>26} "
              f"{log10_mc_time - math.log10(wall):>14.0f}  {'PASS' if ok else 'FAIL'}", flush=True)
    ns = (10, 20, 30, 40) if full else (8, 12, 16, 20)
    rows, exponent = cost_model(ns, workers=workers)
    print("cost model, GOE, default budget (1000 walkers, 16 replicates): "
          "cpu seconds x half-width^2 = cost of a fixed accuracy")
    for n, sec, hw in rows:
        print(f"  n = {n:>3}: {sec:>7.1f} cpu s, half-width {hw:.3f}, cost {sec * hw * hw:.3g}")
    print(f"  growth exponent (fit over n = {ns[0]}..{ns[-1]}): cost ∝ n^{exponent:.2f}", flush=True)
