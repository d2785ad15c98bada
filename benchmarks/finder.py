"""Landscape finder: all critical points of one p-spin instance, and autoencoder class recovery.

Targets (issue 8): p-spin p = 3, counts saturated as the starts double and
≥ 97 % of the exact Kac–Rice mean on average — N = 8 in ≤ 5 s, N = 12 in
≤ 2 min on one core; autoencoder k = 16, p = 4: ≥ 90 % of 2517 classes in
≤ 15 min on 2 cores with no accepted point off the exact set. The
autoencoder runs twice: random + descent starts only (the old finder), and
hopping from found points along Hessian eigenvectors (two independent chains,
one per core, classes united).

Each run solves S_max starts once; the counts for S_max/8, /4, /2 come from
the ``first_start`` column (which start found each point first), and their
time is the measured time scaled by the fraction of starts (solves are i.i.d.).
The baseline, measured in the same run, is one Hessian + eigendecomposition at
that size: "solve cost" is in those units, so machine load cancels.
"""

from __future__ import annotations

import os
import time

import numpy as np

from saddlesim.landscapes import make_landscape
from saddlesim.critical.find import find_critical_points
from saddlesim.critical.starts import make_starts


#: Hops per chain in the autoencoder bench (two chains, two cores).
BENCH_HOPS = 9900


def _baseline(L, x, repeats=200):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        t0 = time.perf_counter()
        for _ in range(repeats):
            np.linalg.eigh(L.hessian(x))
    return (time.perf_counter() - t0) / repeats


def _pspin(N, instances, s_max):
    from saddlesim.theory.pspin import pspin_mean_counts

    exact = pspin_mean_counts(N, 3).sum()
    ss = np.random.SeedSequence(20261126, spawn_key=(N,))
    rows = []
    for inst, child in enumerate(ss.spawn(instances)):
        d, s = child.spawn(2)
        L = make_landscape("pspin", rng=np.random.default_rng(d), N=N, p=3)
        starts = make_starts(L, s_max, np.random.default_rng(s))
        base = _baseline(L, starts[0])
        t0 = time.perf_counter()
        f = find_critical_points(L, starts)
        sec = time.perf_counter() - t0
        first = f.points["first_start"].to_numpy()
        for frac in (8, 4, 2, 1):
            S = s_max // frac
            rows.append((inst, S, int((first < S).sum()), sec * S / s_max, sec / s_max / base))
    print(f"p-spin N = {N}, p = 3, exact mean total {exact:.1f}; {instances} instances, one core")
    print(f"  {'starts':>7} {'found/inst':>10} {'found/exact':>11} {'sec/inst':>9} {'solve cost':>10}")
    for S in sorted({r[1] for r in rows}):
        sel = [r for r in rows if r[1] == S]
        found = np.mean([r[2] for r in sel])
        print(f"  {S:>7} {found:>10.1f} {found / exact:>11.3f} {np.mean([r[3] for r in sel]):>9.2f} "
              f"{np.mean([r[4] for r in sel]):>9.1f}x")


def _autoencoder(starts, hops=0, instances=1, workers=1):
    """Classes recovered (union over ``instances`` independent chains, ``workers`` processes)."""
    import tempfile

    from saddlesim.critical.dedup import deduplicate
    from saddlesim.searches.plan import make_landscape_plan
    from saddlesim.searches.run import run_landscape
    from saddlesim.theory.linear_ae import linear_ae_critical_set

    L = make_landscape("linear-ae", rng=0, k=16, width=4)
    exact = linear_ae_critical_set(16, 4)
    plan = make_landscape_plan("linear-ae", {"k": 16, "width": 4}, instances=instances, starts=starts,
                               entropy=20261126, descent_fraction=0.5, hops=hops)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        r = run_landscape(plan, tmp, workers=workers)
    wall = time.perf_counter() - t0
    cpu = r.meta["timings"]["cpu_seconds"]
    pts = r.critical_points
    coords = r.coordinates[[f"x{j}" for j in range(L.dim)]].to_numpy()
    first, _ = deduplicate(np.array([L.canonical(x) for x in coords]))
    keys = {(round(a, 8), int(b), int(c)) for a, b, c in zip(exact["loss"], exact["index"], exact["nullity"])}
    got = [(round(a, 8), int(b), int(c)) for a, b, c in zip(pts["loss"], pts["index"], pts["nullity"])]
    off = sum(g not in keys for g in got)
    solves = instances * (starts + hops)
    print(f"autoencoder k = 16, p = 4, {instances} x ({starts} starts + {hops} hops), {workers} workers: "
          f"{len(first)} of {len(exact)} classes ({len(first) / len(exact):.1%}) in {wall:.0f} s wall, "
          f"{cpu:.0f} s CPU ({cpu / solves:.3f} s/solve); accepted off the exact (loss, index, nullity) set: "
          f"{off}; rejected: {len(r.rejected)}", flush=True)


def run(full: bool = False) -> None:
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    _pspin(8, instances=3, s_max=4000)
    if full:
        _pspin(12, instances=1, s_max=32000)
        # before hops: 1000 starts, one core (120 classes measured)
        _autoencoder(starts=1000)
        # hops from found points (saddlesim.critical.hop): two chains on two cores
        _autoencoder(starts=100, hops=BENCH_HOPS, instances=2, workers=2)
