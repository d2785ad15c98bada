"""Landscape derivatives: exact Hessians against the finite-difference Hessian they replace.

For each built-in landscape prints gradient and Hessian evaluations per
second and the speed-up of the exact (analytic or R-operator) Hessian over a
central-difference Hessian built from 2·dim exact gradients, measured in the
same run (median over repeats of per-repeat ratios), plus the largest
difference between the two, relative to the Hessian's size.
"""

from __future__ import annotations

import time

import numpy as np

from saddlesim.landscapes import make_landscape

__all__ = ["run", "CASES"]

CASES = [
    ("pspin", {"N": 12, "p": 3}),
    ("pspin", {"N": 30, "p": 3}),
    ("linear-ae", {"k": 16, "width": 4}),
    ("mlp", {"d": 8, "h": 10, "m": 100}),
]


def _fd_hessian(L, x, h=1e-5):
    U = L.tangent_basis(x)
    cols = [U.T @ (L.gradient(L.retract(x, h * u)) - L.gradient(L.retract(x, -h * u))) / (2 * h) for u in U.T]
    H = np.array(cols)
    return (H + H.T) / 2


def _per_call(fn, reps):
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def run(full: bool = False) -> None:
    repeats = 5 if full else 3
    print(f"{'landscape':<28}{'dim':>5}{'grad/s':>10}{'hess/s':>10}{'FD/exact':>10}{'max|ΔH|/|H|':>14}")
    for name, params in CASES:
        L = make_landscape(name, 1, **params)
        x = L.random_point(np.random.default_rng(2))
        ratios, tg, th = [], [], []
        for _ in range(repeats):
            tg.append(_per_call(lambda: L.gradient(x), 50))
            th.append(_per_call(lambda: L.hessian(x), 5))
            tf = _per_call(lambda: _fd_hessian(L, x), 1)
            ratios.append(tf / th[-1])
        H = L.hessian(x)
        err = np.abs(_fd_hessian(L, x) - H).max() / np.abs(H).max()
        label = f"{name} {','.join(f'{k}={v}' for k, v in params.items())}"
        print(f"{label:<28}{L.manifold_dim:>5}{1 / np.median(tg):>10.0f}{1 / np.median(th):>10.0f}"
              f"{np.median(ratios):>10.1f}{err:>14.1e}")
