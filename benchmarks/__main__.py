"""Run every benchmark section: ``python -m benchmarks [--full] [SECTION ...]``.

A section is a module ``benchmarks/<name>.py`` with ``run(full: bool) -> None``
that prints its own table. ``--full`` includes the long runs (minutes).
"""

from __future__ import annotations

import argparse
import importlib
import time

SECTIONS = ["startup", "core", "sweep", "shift", "rare", "rare_coverage", "exact_wall", "landscapes", "finder", "dask",
            "newton_hvp", "dense",
            "spectrum"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("sections", nargs="*", default=SECTIONS, help=f"any of {SECTIONS}")
    parser.add_argument("--full", action="store_true", help="include the long runs")
    args = parser.parse_args()
    for name in args.sections:
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}; choose from {SECTIONS}")
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"benchmarks.{name}":
                raise
            continue
        print(f"\n== {name} ==", flush=True)
        t0 = time.perf_counter()
        module.run(full=args.full)
        print(f"({name}: {time.perf_counter() - t0:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
