"""The results folder of a sweep: finished-chunk journal, tables and ``meta.json``.

Layout of ``OUT/``::

    results.csv        one row per cell (see saddlesim.sweep.table)
    index_counts.csv   tidy index histogram, degenerate as index -1
    meta.json          spec, root seed entropy, provenance, timings; written LAST,
                       so its presence means the tables are complete
    .chunks/           while a sweep runs: plan.json (its fingerprint) and one
                       small .npz per finished chunk, each written atomically
                       and fsynced. Removed when the sweep completes.

Resume rule: a run whose fingerprint (:meth:`SweepPlan.fingerprint`: grid,
samples, seed, method, tol, chunk bound) equals the one in ``.chunks/plan.json``
reuses the finished chunks; a different sweep in the same folder is an error
unless ``overwrite=True``, which discards the old chunks and starts fresh.
The worker count is not part of the fingerprint: it does not change results.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from saddlesim.runtime.journal import Journal
from saddlesim.sweep.plan import Chunk, SweepPlan

__all__ = ["ChunkStore", "CHUNKS_DIR"]

CHUNKS_DIR = ".chunks"
_CHUNK_NAME = re.compile(r"^cell(\d+)-chunk(\d+)\.npz$")


class ChunkStore(Journal):
    """Finished chunks of one sweep in ``out/.chunks``, for resuming.

    Parameters
    ----------
    out : Path
        The results folder.
    plan : SweepPlan
    """

    def __init__(self, out: Path, plan: SweepPlan):
        super().__init__(out, plan, CHUNKS_DIR, "sweep")

    @staticmethod
    def _name(chunk: Chunk) -> str:
        return f"cell{chunk.cell:05d}-chunk{chunk.index:07d}.npz"

    def save(self, chunk: Chunk, counts: np.ndarray, seconds: float) -> None:
        """Persist one finished chunk atomically and durably (fsync before rename)."""
        # int64 histograms, or float64 weighted tallies (counts, log-sums)
        self.write(self._name(chunk), counts=np.asarray(counts), seconds=float(seconds))

    def load(self) -> dict[tuple[int, int], tuple[np.ndarray, float]]:
        """Finished chunks as ``{(cell, chunk index): (counts, seconds)}``.

        A file that does not match the plan (wrong length or total) is
        ignored, so its chunk is simply recomputed.
        """
        done = {}
        if not self.dir.is_dir():
            return done  # a fresh run: no need to list a 10^11-draw plan's chunks
        expected = {(c.cell, c.index): c.size for c in self.plan.chunks()}
        for path in self.files():
            m = _CHUNK_NAME.match(path.name)
            if not m:
                continue
            key = (int(m.group(1)), int(m.group(2)))
            if key not in expected:
                continue
            try:
                with np.load(path, allow_pickle=False) as z:
                    counts, seconds = z["counts"], float(z["seconds"])
            except (OSError, ValueError, KeyError):
                continue
            n = self.plan.cells[key[0]].n
            k = len(self.plan.group_of(key[0]))
            if self.plan.weight is None:
                shape = (n + 2,) if k == 1 else (k, n + 2)
                if counts.shape == shape and counts.dtype == np.int64 and np.all(
                    counts.sum(axis=-1) == expected[key]
                ):
                    done[key] = (counts, seconds)
            elif counts.shape == (k, 3, n + 2) and np.all(counts[:, 0].sum(axis=1) == expected[key]):
                done[key] = (counts.astype(float), seconds)
        return done
