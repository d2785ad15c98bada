"""Matrix-free index with an interval against forming and decomposing the Hessian, on digits MLPs.

Targets (issue 19): at ~12 000 parameters the index with interval in ≤ 2 min
on 2 cores and ≥ 10× faster than forming + decomposing the dense Hessian
(both measured once, in this run); at ~10⁵ parameters ≤ 15 min and peak
memory ≤ 2 GB (the Hessian, 80 GB, is never formed).

The point is a short Adam run's end (the cost of both routes does not depend
on where the point is). Two matrix-free routes are timed: ``method="slq"``,
stochastic Lanczos quadrature's estimate with its covering 95 % interval, and
``method="auto"`` (``dense_limit=0``), which also tries to certify the count
(deflated Lanczos; about a thousand more products when it declines). Both are
dominated by the Hessian-vector products, so the ratio to the dense route is
about (n + the LDLᵀ time in HVPs) / (probes × steps). The dense route forms H row by row from HVPs
(cheaper than ``jax.hessian`` here) and counts by LDLᵀ inertia of H + τI
(cheaper than ``eigvalsh``: n³/3 flops). The 10⁵ run is a
separate process so that its peak resident memory (``ru_maxrss``) is its own.

Default: the comparison at 2410 parameters (seconds); ``--full``: 12 010 and
99 126 parameters (about 10 minutes, most of it the dense baseline).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np

TAU = 1e-3
PROBES, STEPS = 20, 80


def _point(hidden, steps=100):
    from saddlesim.landscapes.classifier import MLPClassifier, train
    from saddlesim.landscapes.datasets import load_dataset

    model = MLPClassifier(load_dataset("digits"), hidden=hidden)
    run = train(model, np.random.SeedSequence(20261203, spawn_key=(len(hidden), hidden[0])), steps=steps,
                checkpoints=2)
    return model, model.landscape(), run.points[-1]


def _matrix_free(land, x, probes=PROBES, steps=STEPS, method="auto"):
    from saddlesim.curvature.spectrum import spectrum

    land.hvp(x, np.ones(land.dim))          # compile outside the clock
    t0 = time.perf_counter()
    r = spectrum(land, x, method=method, dense_limit=0, tol=TAU, probes=probes, steps=steps, rng=1)
    return r, time.perf_counter() - t0


def _dense(land, x):
    """Form H from HVPs, then its exact index #{λ < −τ} by LDLᵀ inertia of H + τI (Sylvester).

    LDLᵀ (LAPACK sytrf, n³/3 flops) is the cheapest exact route, cheaper than
    eigvalsh, so the ratio is against the best dense baseline.
    """
    from scipy.linalg import eigvalsh_tridiagonal, ldl

    t0 = time.perf_counter()
    H = np.empty((land.dim, land.dim))
    e = np.zeros(land.dim)
    for i in range(land.dim):
        e[i] = 1.0
        H[i] = land.hvp(x, e)
        e[i] = 0.0
    H = (H + H.T) / 2
    t1 = time.perf_counter()
    H[np.diag_indices_from(H)] += TAU
    _, d, _ = ldl(H, overwrite_a=True, check_finite=False)
    # D is block diagonal (1×1 and 2×2 blocks), so tridiagonal: its inertia is H + τI's
    index = int(np.sum(eigvalsh_tridiagonal(np.diag(d).copy(), np.diag(d, 1).copy()) < 0))
    t2 = time.perf_counter()
    return index, t1 - t0, t2 - t1


def _compare(hidden):
    model, land, x = _point(hidden)
    runs = {m: _matrix_free(land, x, method=m) for m in ("slq", "auto")}
    dense_index, t_form, t_eig = _dense(land, x)
    dense = t_form + t_eig
    print(f"digits MLP 64-{'-'.join(map(str, hidden))}-10, n = {model.dim}, τ = {TAU:g}, "
          f"{PROBES} probes × {STEPS} steps; one run each")
    for method, (r, sec) in runs.items():
        print(f"  {method + ':':5s} index {r['index']:.1f}, 95 % interval [{r['index_lo']:.1f}, {r['index_hi']:.1f}] "
              f"({r['index_status']}), {r['hvps']} HVPs, {sec:.1f} s; dense / this = {dense / sec:.1f}x")
    print(f"  dense: index {dense_index}, form {t_form:.1f} s + LDLᵀ inertia {t_eig:.1f} s = {dense:.1f} s")


_LARGE = """
import json, resource, time, numpy as np
from benchmarks.spectrum import _point, _matrix_free
model, land, x = _point((300, 256))
r, sec = _matrix_free(land, x, probes=10, steps=50)
print(json.dumps({"n": model.dim, "index": r["index"], "lo": r["index_lo"], "hi": r["index_hi"],
                  "status": r["index_status"], "hvps": r["hvps"], "seconds": sec,
                  "lambda_max": r["lambda_max"], "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _large():
    out = subprocess.run([sys.executable, "-c", _LARGE], check=True, capture_output=True, text=True).stdout
    d = json.loads(out.strip().splitlines()[-1])
    print(f"digits MLP 64-300-256-10, n = {d['n']} (dense H would be {8 * d['n'] ** 2 / 1e9:.0f} GB); one run")
    print(f"  matrix-free: index {d['index']:.1f} [{d['lo']:.1f}, {d['hi']:.1f}] ({d['status']}), "
          f"{d['hvps']} HVPs, {d['seconds']:.1f} s, peak memory {d['maxrss_mb']:.0f} MB (whole process)")


def run(full: bool = False) -> None:
    if full:
        _compare((160,))
        _large()
    else:
        _compare((32,))


if __name__ == "__main__":
    run(full="--full" in sys.argv)
