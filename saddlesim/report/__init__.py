"""The results report: one HTML page for every results folder, read from disk, never simulated.

:func:`build_report` discovers every ``results/*/meta.json`` and writes one
section per folder: its title, figures (PNG shown, PDF linked), a headline
table, what it found as sentences whose numbers are read from its tables,
how it was made, and links to its files. ``make report`` and
``saddlesim report`` both call it. Only the CLI imports this package.
"""

from saddlesim.report.build import build_report

__all__ = ["build_report"]
