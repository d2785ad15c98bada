"""Core benchmark: the fast index path against dense diagonalisation and against drawing alone.

Prints samples/s and two ratios measured in the same run (medians of repeats):

* speed-up over (i) "dense GOE batch + numpy.linalg.eigvalsh + count";
* slowdown over (ii) drawing the tridiagonal model's random variates alone
  (the floor any exact sampler of this model pays).
"""

from __future__ import annotations

import time

import numpy as np

from saddlesim.models.gaussian import _draw_tridiagonal_rows, goe_matrices
from saddlesim.sampling import _BLOCK_ELEMENTS, sample_index

__all__ = ["run", "measure"]

TARGETS = {10: (15.0, None), 100: (100.0, 1.25)}


def _median_rate(fn, size: int, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return size / float(np.median(times))


def _dense_baseline(n: int, size: int, rng) -> np.ndarray:
    return np.count_nonzero(np.linalg.eigvalsh(goe_matrices(n, size, rng)) < 0, axis=1)


def _variates_only(n: int, size: int, rng) -> None:
    # the same blocking as sample_index, so only the Sturm work differs
    block = max(1, _BLOCK_ELEMENTS // n)
    for start in range(0, size, block):
        _draw_tridiagonal_rows(n, min(block, size - start), 1.0, rng)


def measure(n: int, size: int, dense_size: int, repeats: int = 5) -> dict:
    """Throughputs (samples/s) of the fast path, the dense baseline and variates alone at GOE n."""
    rng = np.random.default_rng(20261126)
    fast = _median_rate(lambda: sample_index("goe", n, size, rng), size, repeats)
    dense = _median_rate(lambda: _dense_baseline(n, dense_size, rng), dense_size, repeats)
    draws = _median_rate(lambda: _variates_only(n, size, rng), size, repeats)
    return {"n": n, "fast": fast, "dense": dense, "variates": draws,
            "speedup_vs_dense": fast / dense, "cost_vs_variates": draws / fast}


def run(full: bool = False) -> None:
    """Print the fast-path table for GOE at n = 10 and n = 100."""
    print(f"{'n':>4} {'fast /s':>12} {'dense /s':>12} {'variates /s':>12} "
          f"{'fast/dense':>11} {'target':>7} {'time/variates':>14} {'target':>7}")
    for n, size, dense_size in ((10, 400_000, 20_000), (100, 100_000, 2_000)):
        r = measure(n, size * (2 if full else 1), dense_size, repeats=7 if full else 5)
        t_dense, t_var = TARGETS[n]
        print(f"{n:>4} {r['fast']:>12,.0f} {r['dense']:>12,.0f} {r['variates']:>12,.0f} "
              f"{r['speedup_vs_dense']:>10.1f}x {'>=' + format(t_dense, 'g') + 'x':>7} "
              f"{r['cost_vs_variates']:>13.2f}x {('<=' + format(t_var, 'g') + 'x') if t_var else '':>7}",
              flush=True)
