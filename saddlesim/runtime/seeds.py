"""Root seeds: every run draws from one ``SeedSequence`` whose entropy is recorded.

Streams for parts of a run (chunks, replicates, cells) are derived from the
root with ``SeedSequence(entropy, spawn_key=(...))`` keyed by what the part
*is*, never by ``seed + i``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fresh_entropy"]


def fresh_entropy() -> int:
    """New root entropy from the OS (a 128-bit int), to be recorded with the results."""
    return int(np.random.SeedSequence().entropy)
