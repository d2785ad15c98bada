"""Core benchmark: the fast index path against dense diagonalisation and against drawing alone.

Prints samples/s and two ratios measured in the same run (medians over
repeats of per-repeat ratios):

* speed-up over (i) "dense GOE batch + numpy.linalg.eigvalsh + count";
* slowdown over (ii) drawing the tridiagonal model's random variates alone
  (the floor any exact sampler of this model pays).
"""

from __future__ import annotations

import time

import numpy as np

from saddlesim.models.gaussian import draw_tridiagonal_rows, goe_matrices
from saddlesim.index.sampling import BLOCK_ELEMENTS, sample_index

__all__ = ["run", "measure"]

TARGETS = {10: (15.0, None), 100: (100.0, 1.25)}


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _dense_baseline(n: int, size: int, rng) -> np.ndarray:
    return np.count_nonzero(np.linalg.eigvalsh(goe_matrices(n, size, rng)) < 0, axis=1)


def _variates_only(n: int, size: int, rng) -> None:
    # the same blocking as sample_index, so only the Sturm work differs
    block = max(1, BLOCK_ELEMENTS // n)
    for start in range(0, size, block):
        draw_tridiagonal_rows(n, min(block, size - start), 1.0, rng)


def measure(n: int, size: int, dense_size: int, repeats: int = 5) -> dict:
    """Throughputs (samples/s) of the fast path, the dense baseline and variates alone at GOE n.

    The three are timed in turn within each repeat, and ratios are taken per
    repeat before the median, so that load drifting during the run (other
    processes, CPU frequency) cancels out of the ratios.
    """
    rng = np.random.default_rng(20261126)
    fast, dense, draws = [], [], []
    for _ in range(repeats):
        fast.append(_timed(lambda: sample_index("goe", n, size, rng)) / size)
        dense.append(_timed(lambda: _dense_baseline(n, dense_size, rng)) / dense_size)
        draws.append(_timed(lambda: _variates_only(n, size, rng)) / size)
    fast, dense, draws = map(np.asarray, (fast, dense, draws))
    return {
        "n": n,
        "fast": 1 / np.median(fast),
        "dense": 1 / np.median(dense),
        "variates": 1 / np.median(draws),
        "speedup_vs_dense": float(np.median(dense / fast)),
        "cost_vs_variates": float(np.median(fast / draws)),
    }


def run(full: bool = False) -> None:
    """Print the fast-path table for GOE at n = 10 and n = 100."""
    print(f"{'n':>4} {'fast /s':>12} {'dense /s':>12} {'variates /s':>12} "
          f"{'fast/dense':>11} {'target':>7} {'time/variates':>14} {'target':>7}")
    for n, size, dense_size in ((10, 400_000, 20_000), (100, 100_000, 2_000)):
        r = measure(n, size * (2 if full else 1), dense_size, repeats=15 if full else 9)
        t_dense, t_var = TARGETS[n]
        print(f"{n:>4} {r['fast']:>12,.0f} {r['dense']:>12,.0f} {r['variates']:>12,.0f} "
              f"{r['speedup_vs_dense']:>10.1f}x {'>=' + format(t_dense, 'g') + 'x':>7} "
              f"{r['cost_vs_variates']:>13.2f}x {('<=' + format(t_var, 'g') + 'x') if t_var else '':>7}",
              flush=True)
