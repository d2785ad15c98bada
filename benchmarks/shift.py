"""Shift benchmark: a 20-shift sweep at n = 20 against a single-shift sweep, same draws.

Every shift of a (model, n) shares one set of draws, so each extra shift adds
only its Sturm counts (the index at -s and the degeneracy test at -s ∓ tol),
O(n) per draw. Prints, measured in the same run with the two timings
interleaved, the median over repeats of the per-repeat ratio
t(20 shifts) / t(1 shift); the target is <= 3x. The |det H| weight (one more
pivot pass per shift, plus the logs) is timed beside it for information.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from saddlesim.sweep import make_plan, sweep_counts

__all__ = ["run", "shift_ratio", "TARGET"]

#: Issue 10's target for t(20 shifts) / t(1 shift) at n = 20.
TARGET = 3.0


def _time(plan) -> float:
    t0 = time.perf_counter()
    sweep_counts(plan, workers=1)
    return time.perf_counter() - t0


def shift_ratio(n: int = 20, samples: int = 200_000, shifts: int = 20, repeats: int = 5,
                weight: str | None = None) -> tuple[float, float, float]:
    """Median per-repeat ratio t(k shifts) / t(1 shift), and the median times (s)."""
    grid = list(np.linspace(-3.0, 3.0, shifts))
    one = make_plan(["goe"], [n], samples, entropy=20261126, shifts=[0.0])
    many = make_plan(["goe"], [n], samples, entropy=20261126, shifts=grid, weight=weight)
    _time(one)  # warm-up: imports, page faults
    ratios, t1s, tks = [], [], []
    for _ in range(repeats):
        t1, tk = _time(one), _time(many)
        ratios.append(tk / t1)
        t1s.append(t1)
        tks.append(tk)
    return statistics.median(ratios), statistics.median(t1s), statistics.median(tks)


def run(full: bool = False) -> None:
    """Print the shift-cost table."""
    samples = 1_000_000 if full else 200_000
    print(f"GOE n = 20, {samples:,} draws, 1 worker; median of 5 interleaved repeats")
    print(f"{'sweep':>28} {'t (s)':>8} {'1 shift (s)':>12} {'ratio':>7} {'target':>7}")
    ratio, t1, tk = shift_ratio(samples=samples)
    print(f"{'20 shifts':>28} {tk:>8.3f} {t1:>12.3f} {ratio:>6.2f}x {'<=' + format(TARGET, 'g') + 'x':>7}",
          flush=True)
    ratio, t1, tk = shift_ratio(samples=samples, weight="det")
    print(f"{'20 shifts + |det H| weight':>28} {tk:>8.3f} {t1:>12.3f} {ratio:>6.2f}x {'-':>7}", flush=True)
