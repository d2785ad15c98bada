"""Declarative experiments: ``experiments/<name>.toml`` → ``results/<name>/``.

An experiment spec is a TOML file with a ``kind`` key naming what runs it:

``kind = "sweep"``  Monte Carlo index histograms over a grid (:mod:`saddlesim.sweep`)
``kind = "exact"``  exact random-matrix probabilities (:mod:`saddlesim.theory`)
``kind = "rare"``   rare-event estimates of P(min) (:mod:`saddlesim.rare`)

Each kind provides a *runner* ``run(spec, out, *, workers, quick, progress)``
that writes tables, ``meta.json`` (with the spec, under key ``"spec"``, and
the kind, under ``"kind"``) and figures into ``out``, and a *plotter*
``plot(out) -> list[Path]`` that remakes the figures from the tables alone.
"""

from __future__ import annotations

import importlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

__all__ = ["Kind", "KINDS", "load_spec", "run_experiment", "plot_results"]


@dataclass(frozen=True)
class Kind:
    """Where a kind's runner and plotter live (imported lazily)."""

    module: str
    runner: str = "run_experiment"
    plotter: str = "plot_experiment"

    def get(self, role: str) -> Callable[..., Any]:
        """The callable for ``role`` ("runner" or "plotter"), imported on first use."""
        # The role names the *field* holding the function's name; looking the
        # role itself up on the module asked for a non-existent attribute.
        name = {"runner": self.runner, "plotter": self.plotter}.get(role, role)
        return getattr(importlib.import_module(self.module), name)


#: kind name → module providing ``run_experiment`` and ``plot_experiment``.
KINDS: dict[str, Kind] = {
    "sweep": Kind("saddlesim.sweep"),
    "exact": Kind("saddlesim.theory.experiment"),
    "rare": Kind("saddlesim.rare.experiment"),
}


def load_spec(path: str | Path) -> dict:
    """Read and minimally validate an experiment spec.

    Raises
    ------
    ValueError
        Unreadable or malformed TOML, or a missing/unknown ``kind``.
    """
    path = Path(path)
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read experiment spec {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed experiment spec {path}: {exc}") from None
    kind = spec.get("kind")
    if kind not in KINDS:
        known = ", ".join(sorted(KINDS)) or "none registered"
        raise ValueError(f"{path}: 'kind' must be one of {known}, got {kind!r}")
    spec.setdefault("name", path.stem)
    return spec


def run_experiment(path, out_root="results", *, workers=None, quick=False, progress=True) -> Path:
    """Run the experiment in spec file ``path`` into ``out_root/<name>``; return that folder."""
    spec = load_spec(path)
    out = Path(out_root) / spec["name"]
    KINDS[spec["kind"]].get("runner")(spec, out, workers=workers, quick=quick, progress=progress)
    return out


def plot_results(out) -> list[Path]:
    """Remake the figures of a results folder from its tables and ``meta.json``."""
    out = Path(out)
    try:
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    except OSError:
        raise ValueError(f"{out} has no readable meta.json: not a saddlesim results folder") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{out / 'meta.json'} is not valid JSON: {exc}") from None
    kind = meta.get("kind")
    if kind not in KINDS:
        raise ValueError(f"{out / 'meta.json'}: unknown kind {kind!r}")
    return KINDS[kind].get("plotter")(out)
