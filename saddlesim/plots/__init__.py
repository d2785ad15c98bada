"""Figures from result tables (never from simulation)."""

from saddlesim.plots.style import COLUMN_WIDTH, MARKERS, PALETTE, figure_style, new_figure, save_figure

__all__ = ["PALETTE", "MARKERS", "COLUMN_WIDTH", "figure_style", "new_figure", "save_figure"]
