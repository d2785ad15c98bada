"""A real interruption: Ctrl-C (SIGINT) or kill -9 of a running ``saddlesim sweep``, then resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from saddlesim.sweep import make_plan, run_sweep

# 3 chunks (838 860, 838 860 and 322 280 draws): the two workers, each held after journaling its first
# chunk, leave at least one chunk for the resume, and the last chunk is a short one.
ARGS = ["--model", "goe", "--n", "10", "--samples", "2000000", "--seed", "5", "--workers", "2", "--no-plot"]
CLI = [sys.executable, "-c", "from saddlesim.cli import main; main()", "sweep"]
# The interrupted run is the real CLI, held still after journaling its first
# chunk: the signal then always meets a running sweep with work left, however
# loaded the machine (polling alone lost the race once in 20 runs: the whole
# sweep finished between two looks).
HELD_CLI = [sys.executable, "-c", """
import time
import saddlesim.sweep.store as store

save = store.ChunkStore.save
def held(self, *args, **kwargs):
    save(self, *args, **kwargs)
    time.sleep(600)
store.ChunkStore.save = held
from saddlesim.cli import main
main()
""", "sweep"]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_killed_sweep_resumes_to_uninterrupted_tables(tmp_path, sig):
    out = tmp_path / "out"
    # own session, so the signal reaches the CLI and its workers as a terminal's would
    proc = subprocess.Popen([*HELD_CLI, *ARGS, "--out", str(out), "--quiet"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and any(p.suffix == ".npz" for p in (out / ".chunks").glob("*.npz")):
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"sweep ended before its first chunk: {proc.communicate()}"
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert "resume" in err and "Traceback" not in err
    assert not (out / "meta.json").exists()
    resumed_chunks = len(list((out / ".chunks").glob("*.npz")))
    plan = make_plan(["goe"], [10], 2_000_000, entropy=5)
    assert 1 <= resumed_chunks < len(plan.chunks())          # the resume has work left to do

    done = subprocess.run([*CLI, *ARGS, "--out", str(out), "--quiet"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    run_sweep(plan, tmp_path / "ref", workers=2)
    for name in ("results.csv", "index_counts.csv"):
        assert (out / name).read_bytes() == (tmp_path / "ref" / name).read_bytes()
