"""Searches: the finder run over many instances of a loss — the plan (instances and their
streams), the resumable run, the summary table, rebuilding an instance from a results folder
(``from_run``), and critical points started from a network's training checkpoints."""

from saddlesim.searches.rebuild import from_run

__all__ = ["from_run"]
