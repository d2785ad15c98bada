"""``make mutants``: plant plausible one-line bugs in the core formulas and check the tests notice.

Each mutant in ``tests/mutants.toml`` names a file, an exact snippet that
occurs once in it, its replacement, why the bug is plausible, and the fast
tests that should kill it. The package and its tests are copied to a
temporary folder once; every mutant is applied there alone, the listed tests
run with ``-x``, and the copy is restored. The working tree is never touched.

A mutant is *killed* when its tests fail, *survived* when they pass, and
*stale* when its snippet no longer occurs exactly once (the code moved on:
fix the list). Exit code 0 only when every mutant is killed.

Usage::

    python -m benchmarks.mutants            # all mutants
    python -m benchmarks.mutants --only goe-offdiag-scale,sturm-offbyone
    python -m benchmarks.mutants --list
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Mutant", "load_mutants", "apply", "main"]

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "tests" / "mutants.toml"
# What a test run needs; results/, .venv and .git stay behind.
COPY = ("saddlesim", "tests", "experiments", "pyproject.toml")
TIMEOUT = 180.0


@dataclass(frozen=True)
class Mutant:
    """One planted bug: replace ``original`` by ``replacement`` in ``file``."""

    id: str
    file: str
    original: str
    replacement: str
    why: str
    tests: tuple[str, ...]
    owner: str = ""


def load_mutants(path: Path = LIST) -> list[Mutant]:
    """Read the mutant list; ids must be unique and every entry must name tests."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out, seen = [], set()
    for m in data["mutant"]:
        if m["id"] in seen:
            raise ValueError(f"{path}: duplicate mutant id {m['id']!r}")
        seen.add(m["id"])
        if not m.get("tests"):
            raise ValueError(f"{path}: mutant {m['id']!r} names no tests")
        out.append(Mutant(m["id"], m["file"], m["original"], m["replacement"], m["why"],
                          tuple(m["tests"]), m.get("owner", "")))
    return out


def apply(text: str, mutant: Mutant) -> str | None:
    """The mutated source, or None when the snippet does not occur exactly once."""
    if text.count(mutant.original) != 1:
        return None
    return text.replace(mutant.original, mutant.replacement)


def _pytest(tmp: Path, tests, timeout: float) -> tuple[int, float, str]:
    env = dict(os.environ, PYTHONPATH=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    env.pop("CI", None)
    # Tests marked slow are left out to keep the whole run near 5 minutes;
    # `make test` runs them too, so they can only add kills.
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header",
           "-o", "addopts=", "-m", "not slow", *tests]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - t0, "timeout"
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    if proc.returncode == 5:  # nothing collected: the list names tests that are gone
        tail = f"no tests collected from {' '.join(tests)}"
    return proc.returncode, time.perf_counter() - t0, tail


def _check_isolated(tmp: Path) -> None:
    """The copy, not the editable install of the working tree, must be what the tests import."""
    env = dict(os.environ, PYTHONPATH=str(tmp))
    where = subprocess.run([sys.executable, "-c", "import saddlesim; print(saddlesim.__file__)"],
                           cwd=tmp, env=env, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(tmp.resolve()):
        raise SystemExit(f"mutants: tests would import {where}, not the temporary copy; aborting")


def _copy(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def _run_mutant(tmp: Path, m: Mutant, timeout: float):
    path = tmp / m.file
    original = path.read_text(encoding="utf-8")
    mutated = apply(original, m)
    if mutated is None:
        return m, "stale", 0.0, f"snippet found {original.count(m.original)} times"
    path.write_text(mutated, encoding="utf-8")
    try:
        rc, secs, tail = _pytest(tmp, m.tests, timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    # rc 1: a test failed. Anything else (collection error, timeout) is
    # reported separately: it may be the mutant's syntax, not a test.
    return m, {0: "SURVIVED", 1: "killed"}.get(rc, "error"), secs, tail


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.mutants", description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--list", action="store_true", help="print the mutants and exit")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per mutant")
    ap.add_argument("--jobs", "-j", type=int, default=2, help="mutants tested at once (one package copy each)")
    args = ap.parse_args(argv)
    mutants = load_mutants()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {m.id for m in mutants}
        if unknown:
            ap.error(f"unknown mutant ids: {', '.join(sorted(unknown))}")
        mutants = [m for m in mutants if m.id in wanted]
    if args.list:
        for m in mutants:
            print(f"{m.id:28s} {m.file}: {m.why}")
        return 0

    with tempfile.TemporaryDirectory(prefix="saddlesim-mutants-") as tmpdir:
        # one copy per job: a mutant is applied to its copy alone
        copies = [_copy(Path(tmpdir) / f"copy{j}") for j in range(max(1, args.jobs))]
        _check_isolated(copies[0])
        targets = sorted({t for m in mutants for t in m.tests})
        rc, secs, tail = _pytest(copies[0], targets, 4 * args.timeout)
        print(f"baseline (unmutated, {len(targets)} test targets): {tail} [{secs:.0f} s]", flush=True)
        if rc != 0:
            print("mutants: the unmutated tests fail; fix them first", file=sys.stderr)
            return 2
        free: queue.Queue[Path] = queue.Queue()
        for c in copies:
            free.put(c)

        def run_one(m: Mutant):
            tmp = free.get()
            try:
                return _run_mutant(tmp, m, args.timeout)
            finally:
                free.put(tmp)

        results = []
        with ThreadPoolExecutor(len(copies)) as pool:
            for m, status, secs, tail in pool.map(run_one, mutants):
                results.append((m, status, secs, tail))
                owner = f" [{m.owner}]" if m.owner else ""
                print(f"{status:9s} {m.id:30s} {secs:5.1f} s  {m.file}{owner}  ({tail})", flush=True)

    counts = {s: sum(r[1] == s for r in results) for s in ("killed", "SURVIVED", "stale", "error")}
    print(f"\n{counts['killed']}/{len(results)} killed, {counts['SURVIVED']} survived, "
          f"{counts['stale']} stale, {counts['error']} errors")
    for m, status, _, _ in results:
        if status != "killed":
            print(f"  {status}: {m.id} ({m.file}): {m.why}")
    return 0 if counts["killed"] == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
