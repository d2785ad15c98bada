"""Dask benchmark: scaling over Dask workers, overhead against the process pool, memory, a projection.

Prints, measured in the same run (a scheduler and workers started as
``dask scheduler`` / ``dask worker`` subprocesses on this machine, the client
in a fresh interpreter, every timed sweep preceded by a warm-up so worker
start-up and imports are not counted):

* draws/s of GOE n = 100 on 1 and 2 Dask workers and the speed-up (target
  >= 1.7x on 2 idle cores), beside a control: the 2-process speed-up of a
  trivial CPU task, i.e. the idle cores the machine really offers now;
* wall time of a long GOE n = 10 sweep on the 2-process pool and on 2
  Dask workers, interleaved and best of 2 each, and Dask's overhead (target
  <= 10 %): 10^7 draws (10^8 with ``--full``; the issue's 10^8 is minutes of
  two cores per run);
* peak RSS of the scheduler, the largest worker process and the client
  during those Dask sweeps (target < 300 MB each; memory is bounded by the
  chunk size, so 10^9 draws would show the same);
* the projected wall time of 10^12 draws at n = 100 on 100 such workers,
  from the measured per-worker rate and overhead.

Skipped with a note when dask is not installed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

__all__ = ["run"]

SPEEDUP_TARGET = 1.7
OVERHEAD_TARGET = 0.10
RSS_TARGET_MB = 300

_CLIENT = r"""
import json, resource, sys, tempfile, time
from saddlesim.sweep import make_plan, run_sweep
n, samples, workers = map(int, sys.argv[1:4])
address = sys.argv[4] if len(sys.argv) > 4 else None
plan = make_plan(["goe"], [n], samples, entropy=20261126)
# many small chunks, so every worker has imported and run the sampler before the clock starts
warm = make_plan(["goe"], [n], 4000 * workers, entropy=1, chunk_elements=1000 * n)
with tempfile.TemporaryDirectory() as d:
    if address:
        from saddlesim.runtime.cluster import connect
        with connect(address, timeout=60) as cluster:
            run_sweep(warm, d + "/warm", scheduler=cluster)
            t0 = time.perf_counter()
            run_sweep(plan, d + "/out", scheduler=cluster)
            wall = time.perf_counter() - t0
    else:
        run_sweep(warm, d + "/warm", workers=workers)
        t0 = time.perf_counter()
        run_sweep(plan, d + "/out", workers=workers)
        wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "client_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Cluster:
    """``dask scheduler`` + ``dask worker --nworkers k --nthreads 1`` as subprocesses, RSS polled."""

    def __init__(self, workers: int):
        import psutil

        dask_cli = os.path.join(os.path.dirname(sys.executable), "dask")
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.scheduler = subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                           "--no-dashboard"], **quiet)
        self.workers = subprocess.Popen([dask_cli, "worker", self.address, "--nworkers", str(workers),
                                         "--nthreads", "1", "--no-dashboard"], **quiet)
        self._ps = psutil
        self.peak = {"scheduler": 0, "worker": 0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self):
        psutil = self._ps
        while not self._stop.is_set():
            try:
                self.peak["scheduler"] = max(self.peak["scheduler"],
                                             psutil.Process(self.scheduler.pid).memory_info().rss)
                for p in psutil.Process(self.workers.pid).children(recursive=True):
                    self.peak["worker"] = max(self.peak["worker"], p.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    def reset_peaks(self):
        self.peak = {"scheduler": 0, "worker": 0}

    def close(self):
        self._stop.set()
        for p in (self.workers, self.scheduler):
            p.terminate()
        for p in (self.workers, self.scheduler):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _client(n: int, samples: int, workers: int, address: str | None = None) -> dict:
    args = [sys.executable, "-c", _CLIENT, str(n), str(samples), str(workers)] + ([address] if address else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(full: bool = False) -> None:
    """Print the scaling, overhead, memory and projection lines."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("dask not installed (pip install 'saddlesim[dask]'): skipped")
        return
    from benchmarks.sweep import core_control
    from saddlesim.sweep import default_chunk_size

    print(f"load average {os.getloadavg()[0]:.1f}; control: 2-process speed-up of a trivial CPU task = "
          f"{core_control():.2f}x (2.0 = two idle cores)", flush=True)
    n = 100
    samples = default_chunk_size(n) * 8
    rates = {}
    long_n, long_samples = 10, (10**8 if full else 10**7)
    pool_walls, dask_walls, peaks = [], [], {"scheduler": 0, "worker": 0}
    for k in (1, 2):
        cluster = _Cluster(k)
        try:
            # best of 2: on a shared machine the load changes from second to second
            rates[k] = max(samples / _client(n, samples, k, cluster.address)["wall"] for _ in range(2))
            if k == 2:
                # pool and Dask interleaved, so both see the same load; best of each
                for _ in range(2):
                    pool_walls.append(_client(long_n, long_samples, 2)["wall"])
                    cluster.reset_peaks()
                    dask_long = _client(long_n, long_samples, 2, cluster.address)
                    dask_walls.append(dask_long["wall"])
                    peaks = {key: max(peaks[key], cluster.peak[key]) for key in peaks}
        finally:
            cluster.close()
    print(f"GOE n={n}, {samples:,} draws: 1 Dask worker {rates[1]:,.0f}/s, 2 workers {rates[2]:,.0f}/s, "
          f"speed-up {rates[2] / rates[1]:.2f}x (target >= {SPEEDUP_TARGET:g}x)", flush=True)
    overhead = min(dask_walls) / min(pool_walls) - 1
    print(f"GOE n={long_n}, {long_samples:,} draws on 2 workers, best of 2 interleaved: process pool "
          f"{min(pool_walls):.1f} s, Dask {min(dask_walls):.1f} s, overhead {100 * overhead:+.1f} % "
          f"(target <= {100 * OVERHEAD_TARGET:.0f} %)", flush=True)
    print(f"peak RSS during the Dask sweeps: scheduler {peaks['scheduler'] / 2**20:.0f} MB, "
          f"largest worker {peaks['worker'] / 2**20:.0f} MB, client {dask_long['client_kb'] / 1024:.0f} MB "
          f"(target < {RSS_TARGET_MB} MB each)")
    print(f"control again: {core_control():.2f}x", flush=True)
    draws, workers = 10**12, 100
    seconds = draws / (workers * rates[1]) * (1 + max(overhead, 0.0))
    chunks = draws // default_chunk_size(n)
    print(f"projection: 10^12 draws at n={n} on {workers} workers at {rates[1]:,.0f} draws/s each "
          f"(+{100 * max(overhead, 0):.0f} %): {seconds / 3600:.1f} h, {chunks:,} chunks "
          f"= {chunks / seconds:.0f} tasks/s for the scheduler and journal writes/s for the client")
