"""The Dask executor: same tables as the process pool, faults, resume across executors.

Every test here that needs a cluster shares one ``distributed.LocalCluster``
(2 worker processes, 1 thread each) started in this process; the client side
connects to it by address, as it would to a remote scheduler.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.sweep import make_plan, run_sweep

distributed = pytest.importorskip("distributed")

from saddlesim.runtime.cluster import SchedulerLostError, connect  # noqa: E402

# Many small chunks (n=10: 2^15 // 10 = 3276 draws each) so several are in flight at once.
PLAN = make_plan(["goe", "independent"], [3, 10], 30_000, entropy=20261126, chunk_elements=1 << 15)
TABLES = ("results.csv", "index_counts.csv")
SPEC = Path(__file__).resolve().parents[2] / "experiments" / "index_probabilities.toml"
PSPIN_SPEC = SPEC.with_name("pspin.toml")


def _same_tables(a, b) -> None:
    for name in TABLES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def cluster():
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=":0")
    try:
        yield local
    finally:
        local.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The plan's tables from the local process pool."""
    out = tmp_path_factory.mktemp("ref") / "pool"
    run_sweep(PLAN, out, workers=2)
    return out


class _Stop(Exception):
    pass


def _stop_after(k):
    seen = []

    def on_chunk(chunk, counts, seconds):
        seen.append(chunk)
        if len(seen) == k:
            raise _Stop

    return on_chunk


@pytest.mark.slow
def test_dask_tables_byte_identical_to_process_pool_and_resume_either_way(cluster, reference, tmp_path):
    """Catches a Dask path that seeds chunks by submission order or worker, or drops/duplicates a chunk.

    Also: a sweep begun on one executor resumes on the other to the same bytes.
    """
    with connect(cluster.scheduler_address) as dask:
        run_sweep(PLAN, tmp_path / "dask", scheduler=dask)
        _same_tables(tmp_path / "dask", reference)

        # begun on Dask, interrupted, finished on the process pool
        with pytest.raises(_Stop):
            run_sweep(PLAN, tmp_path / "d2p", scheduler=dask, on_chunk=_stop_after(3))
        assert len(list((tmp_path / "d2p" / ".chunks").glob("*.npz"))) >= 3
        p = run_sweep(PLAN, tmp_path / "d2p", workers=2)
        assert p.meta["timings"]["chunks_resumed"] >= 3
        _same_tables(tmp_path / "d2p", reference)

        # begun on the process pool, finished on Dask
        with pytest.raises(_Stop):
            run_sweep(PLAN, tmp_path / "p2d", workers=2, on_chunk=_stop_after(3))
        d = run_sweep(PLAN, tmp_path / "p2d", scheduler=dask)
        assert d.meta["timings"]["chunks_resumed"] >= 3
        assert d.meta["timings"]["executor"] == "dask"
        _same_tables(tmp_path / "p2d", reference)


@pytest.mark.slow
def test_rare_replicates_on_dask_equal_local(cluster):
    """Catches replicates matched to the wrong job (results must come back in job order)."""
    from saddlesim.models import Model
    from saddlesim.rare import estimate_table

    cells = [(Model("goe"), 3), (Model("goe"), 4)]
    kw = dict(entropy=7, walkers=20, replicates=3)
    local = estimate_table(cells, workers=1, **kw)
    dask = estimate_table(cells, scheduler=cluster.scheduler_address, **kw)
    assert local.equals(dask)


@pytest.mark.slow
def test_worker_sigkilled_mid_sweep_gives_identical_table(cluster, reference, tmp_path):
    """Catches an executor that loses, or counts twice, the chunks of a worker killed with SIGKILL."""
    killed = []
    with connect(cluster.scheduler_address) as dask:
        client = dask.client
        pids = client.run(os.getpid)  # {worker address: pid}

        def kill_busy_worker(chunk, counts, seconds):
            if killed:
                return
            busy = {w: tasks for w, tasks in client.processing().items() if tasks and w in pids}
            if busy:
                addr = next(iter(busy))
                os.kill(pids[addr], signal.SIGKILL)
                killed.append((addr, len(busy[addr])))

        run_sweep(PLAN, tmp_path / "out", scheduler=dask, on_chunk=kill_busy_worker)
    assert killed and killed[0][1] >= 1, "no worker had chunks in flight when the kill came"
    _same_tables(tmp_path / "out", reference)


# -- landscape searches -------------------------------------------------------------

LANDSCAPE_TABLES = ("critical_points.csv", "coordinates.csv", "rejected.csv", "summary.csv")


def _landscape_plan():
    from saddlesim.searches.plan import make_landscape_plan

    return make_landscape_plan("pspin", {"N": 4, "p": 3}, instances=4, starts=30, entropy=20261126)


@pytest.mark.slow
def test_landscape_tables_on_dask_identical_to_process_pool_and_resume_either_way(cluster, tmp_path):
    """Catches a landscape Dask path that seeds instances by worker or completion order, drops or
    duplicates an instance, or journals on the workers instead of the client.

    Also: a search begun on the process pool resumes on Dask to the same bytes, and the CLI's
    ``--scheduler`` reaches the same code.
    """
    from saddlesim.searches.run import INSTANCES_DIR, run_landscape

    plan = _landscape_plan()
    run_landscape(plan, tmp_path / "pool", workers=2)
    with connect(cluster.scheduler_address) as dask:
        d = run_landscape(plan, tmp_path / "dask", scheduler=dask)
        assert d.meta["timings"]["executor"] == "dask"
        for name in LANDSCAPE_TABLES:
            assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes(), name

        seen = []

        def stop(r):
            seen.append(r)
            if len(seen) == 2:
                raise _Stop

        with pytest.raises(_Stop):
            run_landscape(plan, tmp_path / "p2d", workers=2, on_instance=stop)
        assert len(list((tmp_path / "p2d" / INSTANCES_DIR).glob("instance*.npz"))) >= 2
        r = run_landscape(plan, tmp_path / "p2d", scheduler=dask)
        assert r.meta["timings"]["instances_resumed"] >= 2
    for name in LANDSCAPE_TABLES:
        assert (tmp_path / "p2d" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes(), name

    res = CliRunner().invoke(app, ["landscape", "--dim", "4", "--p", "3", "--instances", "4", "--starts", "30", "--hops", "0",
                                   "--seed", "20261126", "--quiet", "--out", str(tmp_path / "cli"),
                                   "--scheduler", cluster.scheduler_address])
    assert res.exit_code == 0, res.output
    for name in LANDSCAPE_TABLES:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "pool" / name).read_bytes(), name


@pytest.mark.slow
def test_landscape_experiment_on_dask_equals_local(cluster, tmp_path):
    """Catches the landscape experiment runner ignoring ``scheduler`` or computing different tables on it."""
    from saddlesim.kinds.landscape import run_experiment

    spec = {"kind": "landscape", "study": "pspin", "name": "ps", "seed": 5, "p": 3, "N": [3, 4],
            "instances": 2, "starts": 20}
    run_experiment(spec, tmp_path / "local", workers=1, progress=False)
    with connect(cluster.scheduler_address) as dask:
        run_experiment(spec, tmp_path / "dask", progress=False, scheduler=dask)
    for name in ("counts.csv", "saturation.csv", "points.csv", "pmin.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    meta = (tmp_path / "dask" / "runs" / "pspin_N4_p3" / "meta.json").read_text()
    assert '"executor": "dask"' in meta


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["sweep", "rare", "run", "landscape", "run-landscape"])
def test_unreachable_scheduler_is_exit_2_one_line_and_writes_nothing(tmp_path, monkeypatch, command):
    """Catches a command without --scheduler wired in, a traceback, a hang, or a half-made folder."""
    monkeypatch.setattr("saddlesim.runtime.cluster.CONNECT_TIMEOUT", 1.0)
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_free_port()}"
    args = {
        "sweep": ["sweep", "--n", "3", "--samples", "1000", "--seed", "1", "--no-plot", "--quiet", "--out", str(out)],
        "rare": ["rare", "--n", "3", "--seed", "1", "--out", str(out)],
        "run": ["run", str(SPEC), "--quick", "--quiet", "--out-root", str(out)],
        "landscape": ["landscape", "--dim", "4", "--p", "3", "--seed", "1", "--quiet", "--out", str(out)],
        "run-landscape": ["run", str(PSPIN_SPEC), "--quick", "--quiet", "--out-root", str(out)],
    }[command]
    r = CliRunner().invoke(app, [*args, "--scheduler", address])
    assert r.exit_code == 2
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert lines[-1].startswith("Error: cannot reach the Dask scheduler at " + address)
    assert "Traceback" not in r.output
    assert not out.exists()


def test_env_var_selects_the_scheduler(tmp_path, monkeypatch):
    """SADDLESIM_SCHEDULER is read when --scheduler is absent (here: an unreachable one)."""
    monkeypatch.setattr("saddlesim.runtime.cluster.CONNECT_TIMEOUT", 1.0)
    monkeypatch.setenv("SADDLESIM_SCHEDULER", f"tcp://127.0.0.1:{_free_port()}")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["sweep", "--n", "3", "--samples", "1000", "--seed", "1", "--no-plot",
                                 "--quiet", "--out", str(out)])
    assert r.exit_code == 2 and "cannot reach the Dask scheduler" in r.output
    assert not out.exists()


_NO_DASK = r"""
import sys
from saddlesim.cli import main
sys.argv = ["saddlesim", "sweep", "--n", "3,4", "--samples", "4000", "--seed", "1", "--workers", "2",
            "--no-plot", "--quiet", "--out", sys.argv[1]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
from saddlesim.rare import estimate_table
from saddlesim.models import Model
estimate_table([(Model("goe"), 3)], entropy=1, walkers=10, replicates=2, workers=2)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
print("LEAKED", leaked)
"""


@pytest.mark.slow
def test_dask_is_never_imported_without_a_scheduler(tmp_path):
    """Catches any import of dask/distributed on the default path (sweep CLI with a pool, rare)."""
    env = {k: v for k, v in os.environ.items() if k != "SADDLESIM_SCHEDULER"}
    r = subprocess.run([sys.executable, "-c", _NO_DASK, str(tmp_path / "out")], capture_output=True,
                       text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "LEAKED []" in r.stdout
    assert (tmp_path / "out" / "meta.json").exists()


_MISSING = r"""
import sys
sys.modules["distributed"] = None  # as if dask[distributed] were not installed
from saddlesim.cli import main
sys.argv = ["saddlesim", "sweep", "--n", "3", "--samples", "100", "--seed", "1", "--no-plot", "--quiet",
            "--out", sys.argv[1], "--scheduler", "local"]
main()
"""


@pytest.mark.slow
def test_scheduler_without_dask_installed_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-c", _MISSING, str(tmp_path / "out")], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "Error: --scheduler needs Dask: pip install 'saddlesim[dask]' (dask[distributed])"]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_losing_the_scheduler_keeps_finished_chunks_and_names_the_folder(reference, tmp_path):
    """Catches a lost scheduler that hangs, loses the journal, or gives a message without the folder."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask_cli = os.path.join(os.path.dirname(sys.executable), "dask")
    sched = subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dask_cli, "worker", address, "--nworkers", "1", "--nthreads", "1",
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = tmp_path / "out"
    try:
        with connect(address, timeout=60) as dask:
            deadline = time.monotonic() + 60
            while not dask.client.nthreads() and time.monotonic() < deadline:
                time.sleep(0.2)

            def kill_scheduler(chunk, counts, seconds):
                if sched.poll() is None and len(list((out / ".chunks").glob("*.npz"))) >= 2:
                    sched.kill()
                    sched.wait()

            with pytest.raises(SchedulerLostError) as err:
                run_sweep(PLAN, out, scheduler=dask, on_chunk=kill_scheduler)
    finally:
        for p in (worker, sched):
            if p.poll() is None:
                p.kill()
                p.wait()
    message = str(err.value)
    assert f"lost the Dask scheduler at {address}" in message and f"{out}/.chunks" in message
    assert "\n" not in message
    kept = len(list((out / ".chunks").glob("*.npz")))
    assert 2 <= kept < len(PLAN.chunks())
    resumed = run_sweep(PLAN, out, workers=1)
    assert resumed.meta["timings"]["chunks_resumed"] == kept
    _same_tables(out, reference)


def test_map_unordered_yields_every_item_once_on_each_local_executor():
    """Catches a generic executor that drops, repeats or mismatches items (serial and process pool)."""
    from saddlesim.runtime.parallel import map_unordered

    items = list(range(23))
    for workers in (1, 2):
        got = dict(map_unordered(np.negative, items, workers=workers))
        assert got == {i: -i for i in items}


@pytest.mark.slow
def test_workers_with_other_versions_are_refused(cluster, monkeypatch):
    """Catches a client that would mix numbers from workers running another numpy or saddlesim."""
    import saddlesim.runtime.cluster as sc

    monkeypatch.setattr(sc, "_versions", lambda: {"saddlesim": "0.0.0", "numpy": "0"})
    with pytest.raises(ValueError, match="install the same versions everywhere"):
        connect(cluster.scheduler_address)


@pytest.mark.slow
def test_dask_submission_is_bounded_and_every_item_comes_back_once(cluster):
    """Catches submit-everything-at-once (a 10^11-draw sweep would hold millions of futures) and lost items."""
    from saddlesim.runtime.parallel import IN_FLIGHT_PER_WORKER

    with connect(cluster.scheduler_address) as dask:
        submitted = []
        real_submit = dask.client.submit

        def counting_submit(*args, **kwargs):
            submitted.append(args[-1])  # (wrapper, func, item): the item is last
            return real_submit(*args, **kwargs)

        dask.client.submit = counting_submit
        got, worst = {}, 0
        for item, value in dask.map_unordered(np.negative, range(40)):
            got[item] = value
            worst = max(worst, len(submitted) - len(got) + 1)
    assert got == {i: -i for i in range(40)}
    assert sorted(submitted) == list(range(40))
    assert worst <= max(4, IN_FLIGHT_PER_WORKER * 2)


@pytest.mark.slow
def test_scheduler_local_from_the_cli_matches_the_process_pool(tmp_path):
    """Catches a broken ``--scheduler local`` (LocalCluster set-up, teardown) or one that changes numbers."""
    args = ["sweep", "--n", "3,10", "--samples", "20000", "--seed", "11", "--no-plot", "--quiet"]
    cli = [sys.executable, "-c", "from saddlesim.cli import main; main()"]
    env = {k: v for k, v in os.environ.items() if k != "SADDLESIM_SCHEDULER"}
    for name, extra in (("pool", ["--workers", "2"]), ("local", ["--workers", "1", "--scheduler", "local"])):
        r = subprocess.run([*cli, *args, "--out", str(tmp_path / name), *extra], capture_output=True,
                           text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
    _same_tables(tmp_path / "local", tmp_path / "pool")
