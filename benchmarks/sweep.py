"""Sweep benchmark: throughput with 1 and 2 workers, and peak memory of a long run vs a short one.

Prints, measured in the same run:

* samples/s of a whole sweep (chunking, executor, histogram merging) at GOE
  n = 10 and n = 100 with 1 and 2 worker processes, and the 2-worker
  speed-up (target >= 1.7x on 2 otherwise idle cores);
* a control: the 2-process speed-up of a trivial CPU-bound task, i.e. how
  many idle cores the machine really offers right now (on a shared, loaded
  machine the sweep's speed-up cannot exceed it);
* peak resident memory of a sweep 10x (40x with --full) longer than a
  one-chunk sweep, each in a fresh interpreter: the ratio should stay near 1,
  because memory is bounded by the chunk size, not the number of samples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from saddlesim.sweep import default_chunk_size, make_plan, sweep_counts

__all__ = ["run", "throughput", "peak_memory", "core_control"]

SPEEDUP_TARGET = 1.7


def _burn(_=None) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(5_000_000):
        x += i
    return time.perf_counter() - t0


def core_control() -> float:
    """Speed-up of 2 processes over 1 on a trivial CPU-bound task (ideal: 2.0)."""
    import multiprocessing

    t0 = time.perf_counter()
    _burn(), _burn()
    serial = time.perf_counter() - t0
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(2) as pool:
        pool.map(_burn, [0])  # warm up: exclude process start-up
        t0 = time.perf_counter()
        pool.map(_burn, [0, 1], chunksize=1)
        parallel = time.perf_counter() - t0
    return serial / parallel


def throughput(n: int, samples: int, workers: int, repeats: int = 1) -> float:
    """Best-of-``repeats`` samples/s of :func:`sweep_counts` for GOE at dimension ``n``."""
    plan = make_plan(["goe"], [n], samples, entropy=20261126)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        sweep_counts(plan, workers=workers)
        best = min(best, time.perf_counter() - t0)
    return samples / best


_CHILD = r"""
import json, resource, sys, tempfile
from saddlesim.sweep import make_plan, run_sweep
n, samples, workers = map(int, sys.argv[1:4])
with tempfile.TemporaryDirectory() as d:
    run_sweep(make_plan(["goe"], [n], samples, entropy=1), d + "/out", workers=workers)
print(json.dumps({"self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def peak_memory(n: int, samples: int, workers: int) -> dict:
    """Peak RSS (kB; Linux units) of a fresh interpreter running one sweep to its tables."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, "-c", _CHILD, str(n), str(samples), str(workers)],
                         capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(full: bool = False) -> None:
    """Print the throughput and memory tables."""
    print(f"control: 2-process speed-up of a trivial CPU task = {core_control():.2f}x "
          f"(2.0 = two idle cores)", flush=True)
    print(f"{'n':>4} {'samples':>10} {'1 worker /s':>13} {'2 workers /s':>13} {'speed-up':>9} {'target':>7}")
    for n in (10, 100):
        # a multiple of 2 chunks, so both workers get equal work
        samples = default_chunk_size(n) * (16 if full else 8)
        r1 = throughput(n, samples, 1, repeats=2)
        r2 = throughput(n, samples, 2, repeats=2)
        print(f"{n:>4} {samples:>10,} {r1:>13,.0f} {r2:>13,.0f} {r2 / r1:>8.2f}x "
              f"{'>=' + format(SPEEDUP_TARGET, 'g') + 'x':>7}", flush=True)
    # again after: on a shared machine the idle cores change during the run
    print(f"control again: {core_control():.2f}x", flush=True)

    n = 10
    chunk = default_chunk_size(n)
    factor = 40 if full else 10
    print(f"\npeak RSS, GOE n={n}, chunk = {chunk:,} samples "
          f"(fresh interpreter each; 'pool' = largest worker process,"
          f" which counts pages shared with the parent at fork)")
    print(f"{'run':>6} {'samples':>12} {'workers':>8} {'main MB':>9} {'pool MB':>9}")
    rows = {}
    # short = 2 chunks, so the 2-worker run really uses the pool in both cases
    for label, samples in (("short", 2 * chunk), ("long", 2 * chunk * factor)):
        for workers in (1, 2):
            m = peak_memory(n, samples, workers)
            rows[label, workers] = m
            pool = f"{m['children_kb'] / 1024:>9.1f}" if workers > 1 else f"{'-':>9}"
            print(f"{label:>6} {samples:>12,} {workers:>8} {m['self_kb'] / 1024:>9.1f} {pool}", flush=True)
    for workers in (1, 2):
        s, l = rows["short", workers], rows["long", workers]
        key = "self_kb" if workers == 1 else "children_kb"
        print(f"long/short peak RSS ({workers} worker{'s' if workers > 1 else ''}, "
              f"{factor}x the samples): {l[key] / s[key]:.2f}x")
