"""Rare-event benchmark: accuracy and wall time of the splitting estimator for GOE P(min).

Targets (issue #5): GOE n=20 (P ≈ 1e-51) in ≤ 30 s with |log10 error| ≤ 0.1;
n=30 (P ≈ 1e-113) in ≤ 2 min with |log10 error| ≤ 0.15; with ``--full``,
n=50 (P ≈ 1e-307) to the end without underflow in ≤ 15 min. Errors are
against :func:`saddlesim.theory.log_p_min`.

Baseline measured in the same run: plain Monte Carlo (exact β-Hermite
spectra, count λ_min > 0). It prints the log10 of the time plain MC would
need for the same relative error, ``(1-P)/(P r²)`` samples at the measured
rate, over the splitting wall time.
"""

from __future__ import annotations

import math
import os
import time

import numpy as np

from saddlesim.models import beta_hermite_spectra
from saddlesim.rare import estimate_p_min

__all__ = ["run", "CASES"]

#: n -> (walkers, replicates, max seconds, max |log10 error|, full only)
CASES = {
    20: (800, 12, 30.0, 0.10, False),
    30: (1500, 16, 120.0, 0.15, False),
    50: (2000, 16, 900.0, None, True),
}

_LN10 = math.log(10.0)


def _plain_mc_rate(n: int, size: int = 20000) -> float:
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    lam = beta_hermite_spectra(n, size, 1.0, rng)
    _ = np.count_nonzero(lam[:, 0] > 0)
    return size / (time.perf_counter() - t0)


def _exact(n: int) -> float:
    try:
        from saddlesim.theory import log10_p_min
    except ImportError:
        return math.nan
    return log10_p_min(n, 1)


def run(full: bool) -> None:
    workers = min(2, os.cpu_count() or 1)
    print(f"GOE P(min) by splitting, {workers} workers, seed 20261126")
    print(f"{'n':>3} {'log10 P exact':>14} {'estimate':>10} {'95% interval':>20} {'error':>7} "
          f"{'wall s':>7} {'target':>16} {'log10 MC/split':>14}  ok")
    for n, (walkers, reps, max_s, max_err, full_only) in CASES.items():
        if full_only and not full:
            continue
        t0 = time.perf_counter()
        est = estimate_p_min(n, "goe", walkers=walkers, replicates=reps, rng=np.random.SeedSequence(20261126),
                             workers=workers)
        wall = time.perf_counter() - t0
        exact = _exact(n)
        err = est.log10_p - exact
        rel = (est.log10_p_hi - est.log10_p_lo) / 2 / 1.96 * _LN10  # relative error of P̂
        log10_mc_time = (-est.log10_p - 2 * math.log10(rel)) - math.log10(_plain_mc_rate(n))
        ok = wall <= max_s and np.isfinite(est.log10_p) and (max_err is None or abs(err) <= max_err)
        target = f"≤{max_s:.0f}s" + (f" |err|≤{max_err}" if max_err else " finite")
        print(f"{n:>3} {exact:>14.3f} {est.log10_p:>10.3f} [{est.log10_p_lo:>8.3f},{est.log10_p_hi:>9.3f}] "
              f"{err:>+7.3f} {wall:>7.1f} {target:>16} {log10_mc_time - math.log10(wall):>14.0f}  "
              f"{'PASS' if ok else 'FAIL'}", flush=True)
