"""What a results folder holds, read from disk: its record, tables and figures.

A results folder is any directory with a ``meta.json`` in the one record
format (:mod:`saddlesim.runtime.record`). The report never simulates and
never needs to know a kind in advance: what is here is what it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from saddlesim.runtime.io import current_columns

__all__ = ["Folder", "discover"]


@dataclass
class Folder:
    """One results folder: its path, its parsed ``meta.json``, and its files by type."""

    path: Path
    meta: dict
    tables: list[str] = field(default_factory=list)    # CSV file names, sorted
    figures: list[str] = field(default_factory=list)   # figure stems with a PNG, sorted
    pdfs: list[str] = field(default_factory=list)      # PDF file names, sorted
    others: list[str] = field(default_factory=list)    # other files (JSON beside meta.json …)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def study(self) -> str | None:
        return (self.meta.get("summary") or {}).get("study")

    @property
    def summary(self) -> dict:
        return self.meta.get("summary") or {}

    @property
    def spec(self) -> dict:
        return self.meta.get("spec") or {}

    @property
    def title(self) -> str:
        """The run's own title (summary, then spec), else the folder name."""
        for source in (self.summary, self.spec):
            if isinstance(source.get("title"), str) and source["title"].strip():
                return source["title"].strip()
        return self.name.replace("_", " ")

    @cached_property
    def _frames(self) -> dict:
        return {}

    def table(self, name: str) -> pd.DataFrame:
        """The CSV ``name`` of this folder, read once."""
        if name not in self._frames:
            self._frames[name] = current_columns(pd.read_csv(self.path / name))
        return self._frames[name]

    def has(self, *names: str) -> bool:
        return all((self.path / n).is_file() for n in names)

    def json(self, name: str) -> dict:
        return json.loads((self.path / name).read_text(encoding="utf-8"))


def discover(results) -> list[Folder]:
    """Every results folder directly under ``results`` (each ``results/*/meta.json``), by name.

    Folders whose ``meta.json`` is not valid JSON are skipped with no
    section (they are incomplete: the record is written last).

    Raises
    ------
    ValueError
        ``results`` is not a directory.
    """
    results = Path(results)
    if not results.is_dir():
        raise ValueError(f"{results} is not a directory")
    folders = []
    for meta_path in sorted(results.glob("*/meta.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(meta, dict):
            continue
        d = meta_path.parent
        files = sorted(p.name for p in d.iterdir() if p.is_file() and not p.name.startswith("."))
        folders.append(Folder(
            path=d, meta=meta,
            tables=[f for f in files if f.endswith(".csv")],
            figures=[f[:-4] for f in files if f.endswith(".png")],
            pdfs=[f for f in files if f.endswith(".pdf")],
            others=[f for f in files if f != "meta.json" and not f.endswith((".csv", ".png", ".pdf"))],
        ))
    return folders
