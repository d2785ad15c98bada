"""Exact-wall benchmark: seconds for P(λ_min > t) at n = 100 (GOE, GUE) and n = 50 (GSE).

Target (issue 10): exact P(λ_min > t) at n = 100 for any t in ≤ 10 s. Each
value is the full checked computation (two working precisions, caches
cleared). Baseline measured in the same run: the same n at t = 0 (the
unshifted P(min), which the repo already computed); the ratio column shows
what a wall costs on top of it (walls above the bulk need more digits).
Both CPU seconds (process time, what the target means on a quiet machine)
and wall seconds are printed, since this machine is often shared.
"""

from __future__ import annotations

import time

__all__ = ["run"]

WALLS = (0.0, -20.0, -10.0, -3.0, 3.0, 10.0, 20.0)
CASES = ((1, 100), (2, 100), (4, 50))


def _timed(n: int, t: float, beta: int) -> tuple[float, float, float]:
    from saddlesim.theory import exact as ex

    ex._log_p_above_checked.cache_clear()
    c0, w0 = time.process_time(), time.perf_counter()
    lp = ex.log_p_above(n, t, beta)
    return lp, time.process_time() - c0, time.perf_counter() - w0


def run(full: bool) -> None:
    walls = WALLS if full else WALLS[:2] + WALLS[4:6]
    print(f"{'beta':>4} {'n':>4} {'t':>6} {'log10 P':>12} {'cpu s':>7} {'wall s':>7} {'cpu/base':>8}  target ≤ 10 s")
    for beta, n in CASES:
        base = None
        for t in walls:
            lp, cpu, wall = _timed(n, t, beta)
            base = base or cpu
            ok = "ok" if cpu <= 10.0 else "SLOW"
            print(f"{beta:>4} {n:>4} {t:>6g} {lp / 2.302585092994046:>12.4f} {cpu:>7.2f} {wall:>7.2f} "
                  f"{cpu / base:>8.2f}  {ok}", flush=True)
