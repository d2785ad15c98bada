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
about (n + the LDLᵀ time in HVPs) / (probes × steps). The dense route forms H from HVPs over blocks
of basis vectors (:mod:`saddlesim.curvature.dense`, cheaper than ``jax.hessian`` and than rows one by one) and counts by LDLᵀ inertia of H + τI
(cheaper than ``eigvalsh``: n³/3 flops). The 10⁵ run is a
separate process so that its peak resident memory (``ru_maxrss``) is its own.

Default: the JAX device, and the comparison at 2410 parameters (seconds);
``--full``: 12 010 parameters (SLQ on 1 and 2 worker processes, against H
formed from HVP blocks + LDLᵀ inertia), the default ``saddlesim spectrum`` at
85 002 parameters (τ = 10⁻⁴·max|λ|, target width 2 % of n, wall and peak
memory), and 99 126 parameters (about 20 minutes on 2 loaded cores).

On a GPU (when JAX's default device is one) the same SLQ also runs with the
probes batched — one ``vmap``-ped product for a block of lockstep probes —
and both timings are printed; on a CPU only today's path (one product at a
time, which measured faster there) runs. Nothing here needs a GPU.
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
    H = land.hessian(x)   # from HVP blocks (curvature/dense.py); includes its compile, ~1 s of the total
    t1 = time.perf_counter()
    H[np.diag_indices_from(H)] += TAU
    _, d, _ = ldl(H, overwrite_a=True, check_finite=False)
    # D is block diagonal (1×1 and 2×2 blocks), so tridiagonal: its inertia is H + τI's
    index = int(np.sum(eigvalsh_tridiagonal(np.diag(d).copy(), np.diag(d, 1).copy()) < 0))
    t2 = time.perf_counter()
    return index, t1 - t0, t2 - t1


def _device() -> str:
    import jax

    d = jax.devices()[0]
    return f"{jax.default_backend()} ({getattr(d, 'device_kind', d.platform)}, {len(jax.devices())} device(s))"


def _batched(land, x, probes=PROBES, steps=STEPS):
    """On a GPU: lockstep SLQ with products one at a time vs vmapped over the block of probes."""
    import jax

    from saddlesim.curvature.operators import landscape_operator
    from saddlesim.curvature.slq import slq

    if jax.default_backend() != "gpu":
        print("  device is not a GPU: probes run one product at a time (the CPU path); no batched run")
        return
    times = {}
    for batched in (False, True):
        op = landscape_operator(land, x, batched=batched)
        slq(op, probes=2, steps=2, rng=0)                # compile outside the clock
        t0 = time.perf_counter()
        res = slq(op, probes=probes, steps=steps, rng=1)
        times[batched] = time.perf_counter() - t0
        print(f"  GPU, {'batched (vmap over probes)' if batched else 'one product at a time'}: "
              f"{res.hvps} HVPs, {times[batched]:.2f} s")
    print(f"  batched / one at a time = {times[True] / times[False]:.2f}")


def _module(hidden) -> str:
    """A loss file for the digits MLP, so worker processes rebuild it from its spec (never pickled)."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="saddlesim-bench-"))
    path = folder / "digits_mlp.py"
    path.write_text("from saddlesim.landscapes.classifier import MLPClassifier\n"
                    "from saddlesim.landscapes.datasets import load_dataset\n"
                    f"_model = MLPClassifier(load_dataset('digits'), hidden={tuple(hidden)!r})\n"
                    "DIM = _model.dim\nloss = _model.loss\n")
    return f"{path}:loss"


def _workers(hidden, heavy=(40, 200)):
    """SLQ on 1 and 2 worker processes (probes keyed by index: the same numbers), the default route, and H + LDLᵀ.

    Two workloads: the default 20 probes × 80 steps (about ten seconds here, so a
    worker's start — Python, JAX, the data, the HVP's compile: a few seconds — is
    a large part of it) and ``heavy`` (probes, steps), where it is not.
    """
    import tempfile
    from pathlib import Path

    from saddlesim.curvature.spectrum import spectrum
    from saddlesim.networks.files import LossSource

    model, land, x = _point(hidden)
    spec = _module(hidden)
    at = Path(tempfile.mkdtemp(prefix="saddlesim-bench-")) / "x.npy"
    np.save(at, x)
    source = LossSource(spec=spec, at=str(at), x=x)
    land.hvp(x, np.ones(land.dim))
    print(f"digits MLP 64-{'-'.join(map(str, hidden))}-10, n = {model.dim}, τ = {TAU:g}; one run each, "
          f"device {_device()}, {len(__import__('os').sched_getaffinity(0))} cores")
    times = {}
    for probes, steps in ((PROBES, STEPS), heavy):
        runs = {}
        for w in (1, 2):
            # one worker: in this process, on the landscape already built and compiled (as the dense route
            # gets it); two: spawned workers that each load the loss file and compile it first
            t0 = time.perf_counter()
            r = spectrum(land, x, method="slq", tol=TAU, probes=probes, steps=steps, rng=1, workers=w,
                         source=source if w > 1 else None)
            runs[w] = (r, time.perf_counter() - t0)
        (r1, s1), (r2, s2) = runs[1], runs[2]
        same = (r1["index_lo"], r1["index_hi"]) == (r2["index_lo"], r2["index_hi"])
        times[(probes, steps)] = (s1, s2, r2)
        print(f"  SLQ {probes} probes x {steps} steps: 1 worker {s1:.1f} s, 2 workers {s2:.1f} s (spawning "
              f"included): 1 / 2 = {s1 / s2:.2f} (target >= 1.7); identical intervals: {same}; "
              f"index {r2['index']:.1f} [{r2['index_lo']:.1f}, {r2['index_hi']:.1f}]")
    # the same heavy run with XLA held to one thread in each worker (2 workers x XLA's own pool
    # oversubscribe 2 cores); set in the environment the workers are spawned with
    import os

    old = os.environ.get("XLA_FLAGS")
    os.environ["XLA_FLAGS"] = ((old or "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
    try:
        t0 = time.perf_counter()
        spectrum(land, x, method="slq", tol=TAU, probes=heavy[0], steps=heavy[1], rng=1, workers=2, source=source)
        s_x = time.perf_counter() - t0
    finally:
        if old is None:
            os.environ.pop("XLA_FLAGS")
        else:
            os.environ["XLA_FLAGS"] = old
    s1h = times[heavy][0]
    print(f"  SLQ {heavy[0]} x {heavy[1]}, 2 workers with XLA on one thread each: {s_x:.1f} s: 1 / 2 = {s1h / s_x:.2f}")
    t0 = time.perf_counter()
    auto = spectrum(land, x, method="lanczos", tol=TAU, probes=PROBES, steps=STEPS, rng=1, workers=2, source=source)
    s_auto = time.perf_counter() - t0
    print(f"  lanczos route (SLQ + certificate, 2 restarts per stage), 2 workers: {s_auto:.1f} s, {auto['hvps']} HVPs, "
          f"index {auto['index']} [{auto['index_lo']}, {auto['index_hi']}] ({auto['index_status']}); "
          f"certificate: {auto['certificate_stop_reason']}")
    dense_index, t_form, t_eig = _dense(land, x)
    s_default = times[(PROBES, STEPS)][1]
    print(f"  dense: index {dense_index}; H by blocks {t_form:.1f} s + LDLᵀ inertia {t_eig:.1f} s = {t_form + t_eig:.1f} s")
    print(f"  dense / SLQ (default, 2 workers) = {(t_form + t_eig) / s_default:.1f}x (target >= 10), "
          f"dense / SLQ (default, 1 worker here) = {(t_form + t_eig) / times[(PROBES, STEPS)][0]:.1f}x; "
          f"dense / lanczos route = {(t_form + t_eig) / s_auto:.1f}x")


_DEFAULT = """
import json, resource, subprocess, sys, time, numpy as np
from benchmarks.spectrum import _point, _module
from saddlesim.curvature.lanczos import extreme_eigenpairs
from saddlesim.curvature.operators import landscape_operator
model, land, x = _point((256, 256))
np.save(sys.argv[1] + "/x.npy", x)
e = extreme_eigenpairs(landscape_operator(land, x), 1, rtol=1e-4, max_steps=120, rng=0)
scale = max(abs(float(e["smallest"][0])), abs(float(e["largest"][0])))
print(json.dumps({"n": model.dim, "tol": 1e-4 * scale, "spec": _module((256, 256))}))
"""


def _default_85k():
    """``saddlesim spectrum`` with its defaults at 85 002 parameters, τ = 10⁻⁴·max|λ|, 2 workers: wall and peak RSS."""
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="saddlesim-85k-")
    prep = subprocess.run([sys.executable, "-c", _DEFAULT, folder], check=True, capture_output=True, text=True)
    d = json.loads(prep.stdout.strip().splitlines()[-1])
    # the defaults: method auto (SLQ, then the certificate unless SLQ puts the index far above what it
    # deflates), τ = 1e-4·max|λ| (the headline rule), --width 0.02; the τ from the prep is printed to compare
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "saddlesim.cli", "spectrum", "--loss", d["spec"],
           "--at", f"{folder}/x.npy", "--workers", "2", "--seed", "1", "--format", "json", "--quiet",
           "--max-seconds", "600"]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        print(f"  85k default spectrum failed: {res.stderr.strip().splitlines()[-1]}")
        return
    r = json.loads(res.stdout.strip().splitlines()[-1])
    rss = [ln for ln in res.stderr.splitlines() if "Maximum resident set size" in ln]
    kb = int(rss[0].split(":")[1]) if rss else 0
    print(f"digits MLP 64-256-256-10, n = {d['n']}: saddlesim spectrum defaults (--width 0.02; --max-seconds 600), τ = {d['tol']:.3g} "
          f"(1e-4 max|λ|), 2 workers; one run")
    print(f"  τ used {r['tol']:.3g}; index {r['index']:.1f} [{r['index_lo']:.1f}, {r['index_hi']:.1f}], width "
          f"{r['width']:.1f} = {r['width'] / d['n']:.2%} of n (target <= 2 %); stop {r['stop_reason']}: "
          f"{r['stop_message']}; certificate: {r['certificate_stop_message']}")
    print(f"  {r['probes']} probes x {r['steps']} steps, {r['hvps']} HVPs; wall {wall:.0f} s (target <= 120), "
          f"peak RSS {kb / 1024:.0f} MB (GNU time: the largest process; target <= 1.5 GB)")


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
    print(f"JAX device: {_device()}")
    if full:
        _workers((160,))
        _default_85k()
        _large()
    else:
        model, land, x = _point((32,))
        _compare((32,))
        _batched(land, x)


if __name__ == "__main__":
    run(full="--full" in sys.argv)
