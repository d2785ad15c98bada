"""The journal of a rare-event run: finished pilots and replicates, for resuming.

Layout of ``OUT/.replicates/`` while a run is under way::

    plan.json                its fingerprint (:meth:`RarePlan.fingerprint`)
    pilot0000003.npz         the pilot run of cell 3 (its levels are the replicates' schedule)
    replicate0000012.npz     replicate job 12 (jobs numbered over all cells)

Every job carries its own generator, so a resumed run's tables are byte
identical to an uninterrupted one, on any number of workers or executor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from saddlesim.runtime.journal import Journal
from saddlesim.models.spec import Model

__all__ = ["RarePlan", "ReplicateStore", "REPLICATES_DIR"]

REPLICATES_DIR = ".replicates"
_NAME = re.compile(r"^(pilot|replicate)(\d+)\.npz$")


@dataclass(frozen=True)
class RarePlan:
    """Everything that determines a rare-event table (and nothing that does not, like workers)."""

    cells: tuple[tuple[Model, int], ...]
    entropy: int
    walkers: int
    replicates: int
    sweeps: int | None
    shifts: tuple[float, ...]

    def fingerprint(self) -> dict:
        """JSON-able identity: two runs resume each other only if these agree."""
        return {
            "cells": [{"model": m.name, "beta": m.beta, "n": int(n)} for m, n in self.cells],
            "entropy": str(self.entropy),
            "walkers": int(self.walkers),
            "replicates": int(self.replicates),
            "sweeps": None if self.sweeps is None else int(self.sweeps),
            "shifts": [float(s) for s in self.shifts],
        }


class ReplicateStore(Journal):
    """Finished jobs of one rare-event run in ``out/.replicates``."""

    def __init__(self, out: Path, plan: RarePlan):
        super().__init__(out, plan, REPLICATES_DIR, "rare-event run")

    def save(self, key: tuple[str, int], result: tuple) -> None:
        """Persist one job's result ``(ln P̂, levels, seconds, budget, {wall: ln P̂}, levels visited)``."""
        kind, i = key
        main, n_levels, seconds, budget, at, levels = result
        walls = sorted(at)
        self.write(f"{kind}{i:07d}.npz", main=float(main), n_levels=int(n_levels), seconds=float(seconds),
                   budget=int(budget), walls=np.asarray(walls, dtype=float),
                   at=np.asarray([at[w] for w in walls], dtype=float), levels=np.asarray(levels, dtype=float))

    def load(self) -> dict[tuple[str, int], tuple]:
        """Finished jobs as ``{("pilot" | "replicate", i): result}``; unreadable files are ignored."""
        done = {}
        for path in self.files():
            m = _NAME.match(path.name)
            if not m:
                continue
            try:
                with np.load(path) as z:
                    at = dict(zip(z["walls"].tolist(), z["at"].tolist()))
                    done[(m.group(1), int(m.group(2)))] = (
                        float(z["main"]), int(z["n_levels"]), float(z["seconds"]), int(z["budget"]), at,
                        z["levels"].copy())
            except (OSError, ValueError, KeyError):
                continue  # a torn or foreign file: its job simply reruns
        return done
