"""Startup benchmark: how long every command takes before it does anything.

``saddlesim --help`` and ``saddlesim sweep --help`` against the floor any
typer CLI on numpy pays, ``python -c "import numpy, typer"``; each run is a
fresh interpreter, timed in turn within each repeat, and the ratio is taken
per repeat before the median. Peak RSS is read from ``resource`` (the largest
child so far, so the base runs first). Targets: ratio <= 3, RSS <= 100 MB.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

__all__ = ["run", "measure"]

TARGET_RATIO = 3.0
TARGET_MB = 100.0
_BASE = [sys.executable, "-c", "import numpy, typer"]
# the console script's own entry point, without depending on PATH
_CLI = [sys.executable, "-c", "import sys; from saddlesim.cli import main; sys.argv[0] = 'saddlesim'; main()"]


def _timed(args) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _peak_mb(args) -> float:
    # RUSAGE_CHILDREN reports the largest child ever waited for: measure each
    # command in its own helper process so the numbers do not mix
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return int(out.stdout) / 1024  # Linux reports KiB


def measure(commands: dict[str, list[str]], repeats: int = 7) -> list[dict]:
    """Median seconds, ratio to the base import and peak RSS of each command."""
    times = {name: [] for name in ["base", *commands]}
    for _ in range(repeats):
        times["base"].append(_timed(_BASE))
        for name, argv in commands.items():
            times[name].append(_timed(_CLI + argv))
    base = np.asarray(times["base"])
    rows = []
    for name, argv in commands.items():
        t = np.asarray(times[name])
        rows.append({"command": name, "seconds": float(np.median(t)), "ratio": float(np.median(t / base)),
                     "base_seconds": float(np.median(base)), "peak_mb": _peak_mb(_CLI + argv)})
    return rows


def run(full: bool = False) -> None:
    rows = measure({"saddlesim --help": ["--help"], "saddlesim sweep --help": ["sweep", "--help"]},
                   repeats=15 if full else 7)
    print(f"base: python -c 'import numpy, typer' {rows[0]['base_seconds']:.3f} s (median)")
    print(f"{'command':<24} {'seconds':>8} {'ratio':>7} {'target':>7} {'peak MB':>8} {'target':>7}")
    for r in rows:
        ok = r["ratio"] <= TARGET_RATIO and r["peak_mb"] <= TARGET_MB
        print(f"{r['command']:<24} {r['seconds']:8.3f} {r['ratio']:6.2f}x {TARGET_RATIO:6.1f}x "
              f"{r['peak_mb']:8.1f} {TARGET_MB:7.0f}  {'ok' if ok else 'MISSED'}")
