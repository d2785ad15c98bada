"""Coverage of the rare-event 95 % interval, measured against exact P(min).

For each cell (model, n), ``seeds`` independent estimates (each: pilot run,
then ``replicates`` replicates at two mixing budgets, see
:mod:`saddlesim.rare.estimate`) are compared with the exact log10 P(min)
(:func:`saddlesim.theory.log10_p_min`). Printed per cell: the fraction of
intervals containing the exact value with its Clopper-Pearson 95 % interval,
the mean error and half-width, the fraction flagged by the two-budget check,
and CPU seconds. Target: coverage ≥ 90 % in every cell.

Runs under ``make bench-full`` (minutes); directly, e.g.
``python -m benchmarks.rare_coverage --seeds 40 --cells goe:5,gue:5``; with
``--shifts -0.5,1`` also the coverage of ``P(λ_min > −s)`` from the same runs.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from scipy import stats

from saddlesim.models import Model
from saddlesim.rare.estimate import plan_cell, run_cells
from saddlesim.theory import log10_p_above, log10_p_min

__all__ = ["run", "coverage", "CELLS"]

#: The cells of the issue: GOE n = 5, 10, 20, 30 and GUE n = 5, 10, 15.
CELLS = [("goe", 5), ("goe", 10), ("goe", 20), ("goe", 30), ("gue", 5), ("gue", 10), ("gue", 15)]


def clopper_pearson(k: int, m: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for a proportion k/m."""
    a = (1 - level) / 2
    lo = stats.beta.ppf(a, k, m - k + 1) if k > 0 else 0.0
    hi = stats.beta.ppf(1 - a, k + 1, m - k) if k < m else 1.0
    return float(lo), float(hi)


def coverage(model: str, n: int, *, seeds: int = 40, walkers: int = 200, replicates: int = 8,
             entropy: int = 20261126, workers: int = 1, shifts=()) -> list:
    """Run ``seeds`` estimates of one cell; one summary of coverage per shift (0 first)."""
    m = Model(model)
    root = np.random.SeedSequence(entropy, spawn_key=(n, int(m.beta)))
    plans = [plan_cell(n, m, walkers=walkers, replicates=replicates, rng=child,
                       walls=[-s for s in shifts])
             for child in root.spawn(seeds)]
    t0 = time.process_time()
    ests = run_cells(plans, workers)
    cpu = sum(e.seconds for e in ests)
    rows = []
    for k, s in enumerate((0.0, *sorted(shifts))):
        if k == 0:
            exact = log10_p_min(n, int(m.beta))
            trip = np.array([(e.log10_p, e.log10_p_lo, e.log10_p_hi) for e in ests])
        else:
            exact = log10_p_above(n, -s, int(m.beta))
            trip = np.array([e.log10_shifts[k - 1] for e in ests])
        rows.append(_summary(model, n, s, seeds, exact, trip, ests,
                             cpu if workers > 1 else time.process_time() - t0))
    return rows


def _summary(model, n, shift, seeds, exact, trip, ests, cpu) -> dict:
    p, lo, hi = trip.T
    hits = int(np.sum((lo <= exact) & (exact <= hi)))
    return {
        "model": model, "n": n, "shift": shift, "seeds": seeds, "hits": hits, "coverage": hits / seeds,
        "ci": clopper_pearson(hits, seeds), "mean_error": float(np.mean(p - exact)),
        "se_error": float(np.std(p - exact, ddof=1) / np.sqrt(seeds)),
        "mean_half": float(np.mean((hi - lo) / 2)), "flagged": float(np.mean([e.mixing_flag for e in ests])),
        "cpu_s": cpu,
    }


def _print(row: dict) -> None:
    lo, hi = row["ci"]
    ok = "ok" if row["coverage"] >= 0.90 else "LOW"
    print(f"{row['model']:>4} {row['n']:>3} {row['shift']:>5g} {row['seeds']:>5} {row['coverage']:>8.3f} "
          f"[{lo:.3f}, {hi:.3f}] {row['mean_error']:>+9.4f}±{row['se_error']:.4f} "
          f"{row['mean_half']:>8.4f} {row['flagged']:>7.2f} {row['cpu_s']:>7.1f}  {ok}", flush=True)


def run(full: bool, cells=None, seeds: int = 40, walkers: int = 200, replicates: int = 8,
        shifts=()) -> None:
    if not full and cells is None:
        print("coverage study runs with --full only (several CPU-minutes)")
        return
    workers = min(2, os.cpu_count() or 1)
    print(f"coverage of 95 % intervals: {walkers} walkers, {replicates} replicates, {seeds} seeds/cell")
    print(f"{'':>4} {'n':>3} {'shift':>5} {'seeds':>5} {'coverage':>8} {'binomial 95%':>16} {'mean err (log10)':>17} "
          f"{'half':>8} {'flagged':>7} {'cpu s':>7}")
    for model, n in (CELLS if cells is None else cells):
        for row in coverage(model, n, seeds=seeds, walkers=walkers, replicates=replicates,
                            workers=workers, shifts=shifts):
            _print(row)


def _cells(text: str) -> list:
    out = []
    for item in text.split(","):
        model, n = item.split(":")
        out.append((model, int(n)))
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rare_coverage", description=__doc__)
    parser.add_argument("--cells", type=_cells, default=None, help="e.g. goe:5,gue:10 (default: all)")
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--walkers", type=int, default=200)
    parser.add_argument("--replicates", type=int, default=8)
    parser.add_argument("--shifts", type=lambda t: [float(v) for v in t.split(",")], default=(),
                        help="also the coverage of P(λ_min > -s) at these shifts, e.g. -0.5,1")
    a = parser.parse_args()
    run(True, a.cells, a.seeds, a.walkers, a.replicates, a.shifts)
