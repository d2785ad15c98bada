"""Tiny experiment runs that several test modules read, made once per test session.

A run is costly (JAX compiling, ≈ 15 s) and its tables are read-only to the tests, so the modules that
check it share one: the first pytest-xdist worker to ask makes it under the session's common temporary
folder while holding a lock; the others wait for it and read the same folder (without xdist the
session's own temporary folder). A run that raised leaves no ``done`` marker, so the next asker makes it
again and sees the error itself.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

__all__ = ["NETWORK_SPEC", "shared_run", "tiny_network_run"]

# iris, 4 → 3 → 3 tanh (27 parameters), 12 starts from 2 × 10 checkpoints: test_network_kind.py checks
# the classes and coin-flip columns, test_network_summary.py recomputes the summary from the tables.
# It finds 3 distinct critical points: one loss bin holds them all, so the within-bin sd is a number
# (with 3 bins of one point each it would be NaN and its check empty).
NETWORK_SPEC = {"kind": "network", "name": "tiny", "seed": 5, "dataset": "iris", "inputs": "raw", "hidden": [3],
                "activation": "tanh", "weight_decay": 1e-2, "runs": 2, "train_steps": 300, "lr": 5e-2,
                "checkpoints": 10, "starts": 12, "max_iter": 30, "loss_bins": 1}


def shared_run(tmp_path_factory, name: str, make) -> Path:
    """The folder ``make(folder)`` filled, made at most once per session across xdist workers."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent          # the workers' folders sit side by side in the session's folder
    out = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (out / ".done").exists():
                shutil.rmtree(out, ignore_errors=True)
                make(out)
                (out / ".done").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out


def tiny_network_run(tmp_path_factory) -> Path:
    """The network kind's output folder for ``NETWORK_SPEC`` (tables, meta.json and figures)."""
    from saddlesim.kinds.network import run_experiment

    return shared_run(tmp_path_factory, "network-tiny",
                      lambda out: run_experiment(NETWORK_SPEC, out, workers=1, progress=False))
