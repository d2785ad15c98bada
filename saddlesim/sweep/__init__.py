"""Monte Carlo sweeps: cells (model x n) → chunks → executor → additive counts → tables.

The ``sweep`` experiment kind (spec files, figures) is :mod:`saddlesim.kinds.sweep`.
"""

from saddlesim.sweep.executors import default_workers, process_executor, run_chunk, serial_executor
from saddlesim.sweep.plan import Cell, Chunk, SweepPlan, default_chunk_size, fresh_entropy, make_plan
from saddlesim.sweep.run import SweepResult, run_sweep, sweep_counts
from saddlesim.sweep.store import ChunkStore
from saddlesim.sweep.table import add_theory_columns, index_counts_table, results_table

__all__ = [
    "Cell",
    "Chunk",
    "SweepPlan",
    "make_plan",
    "default_chunk_size",
    "fresh_entropy",
    "run_chunk",
    "serial_executor",
    "process_executor",
    "default_workers",
    "sweep_counts",
    "run_sweep",
    "SweepResult",
    "ChunkStore",
    "results_table",
    "index_counts_table",
    "add_theory_columns",
]
