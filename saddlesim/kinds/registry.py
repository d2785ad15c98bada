"""Declarative experiments: ``experiments/<name>.toml`` → ``results/<name>/``.

An experiment spec is a TOML file with a ``kind`` key naming what runs it:

``kind = "sweep"``  Monte Carlo index histograms over a grid (:mod:`saddlesim.sweep`)
``kind = "exact"``  exact random-matrix probabilities (:mod:`saddlesim.theory`)
``kind = "rare"``   rare-event estimates of P(min) (:mod:`saddlesim.rare`)
``kind = "energy"`` P(min) and index against a shift H = G + s·I (:mod:`saddlesim.kinds.energy`)
``kind = "min_detection"``  labels from estimated Hessians scored against exact ones (:mod:`saddlesim.detection`)
``kind = "gd_saddles"``  gradient descent near saddles: rising steps, escape times (:mod:`saddlesim.descent`)
``kind = "exact-wall"``  exact walls against Φ₋ and the semicircle (:mod:`saddlesim.kinds.exact_wall`)
``kind = "landscape"`` critical points of real losses (:mod:`saddlesim.kinds.landscape`)
``kind = "network"``   critical points of a digits classifier from its training runs (:mod:`saddlesim.kinds.network`)

Each kind provides a *runner* ``run(spec, out, *, workers, quick, progress)``
that writes tables, ``meta.json`` (one record format for every kind:
:mod:`saddlesim.runtime.record`) and figures into ``out``, and a *plotter*
``plot(out) -> list[Path]`` that remakes the figures from the tables alone.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from saddlesim.runtime.io import atomic_write_json

__all__ = [
    "Kind",
    "KINDS",
    "load_spec",
    "fingerprint",
    "is_up_to_date",
    "run_experiment",
    "plot_results",
]


@dataclass(frozen=True)
class Kind:
    """Where a kind's runner and plotter live (imported lazily)."""

    module: str
    runner: str = "run_experiment"
    plotter: str = "plot_experiment"

    def get(self, role: str) -> Callable[..., Any]:
        """The function playing ``role`` ('runner' or 'plotter'), imported on demand."""
        return getattr(importlib.import_module(self.module), getattr(self, role))


#: kind name → module providing ``run_experiment`` and ``plot_experiment``.
KINDS: dict[str, Kind] = {
    "sweep": Kind("saddlesim.kinds.sweep"),
    "exact": Kind("saddlesim.kinds.exact"),
    "rare": Kind("saddlesim.kinds.rare"),
    "energy": Kind("saddlesim.kinds.energy"),
    "min_detection": Kind("saddlesim.kinds.min_detection"),
    "gd_saddles": Kind("saddlesim.kinds.gd_saddles"),
    "exact-wall": Kind("saddlesim.kinds.exact_wall"),
    "landscape": Kind("saddlesim.kinds.landscape"),
    "network": Kind("saddlesim.kinds.network"),
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


def _code_digest() -> str:
    """SHA-256 over every saddlesim source file (path and content), in path order."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(path, *, quick: bool = False) -> dict:
    """What a results folder was made from: the spec's bytes, the code, the budget.

    Content hashes rather than file times: a fresh clone gives every file a
    new mtime, and committed results must still count as up to date there.
    """
    try:
        spec_bytes = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read experiment spec {path}: {exc.strerror or exc}") from None
    return {
        "spec_sha256": hashlib.sha256(spec_bytes).hexdigest(),
        "code_sha256": _code_digest(),
        "quick": bool(quick),
    }


def _meta_path(path, out_root) -> Path:
    return Path(out_root) / load_spec(path)["name"] / "meta.json"


def is_up_to_date(path, out_root="results", *, quick: bool = False) -> bool:
    """True when ``out_root/<name>/meta.json`` records this spec, this code and this budget."""
    try:
        meta = json.loads(_meta_path(path, out_root).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return meta.get("provenance", {}).get("experiment") == fingerprint(path, quick=quick)


def run_experiment(path, out_root="results", *, workers=None, quick=False, progress=True,
                   scheduler=None) -> Path:
    """Run the experiment in spec file ``path`` into ``out_root/<name>``; return that folder.

    The kind's runner writes tables, figures and ``meta.json`` (the record of
    :mod:`saddlesim.runtime.record`); the :func:`fingerprint` of what the run was made
    from is then added to its provenance, as ``experiment``, for :func:`is_up_to_date`. ``scheduler`` (a Dask cluster,
    see :func:`saddlesim.runtime.parallel.map_unordered`) goes to runners that take a
    ``scheduler`` argument; kinds without parallel work run here as before.
    """
    spec = load_spec(path)
    stamp = fingerprint(path, quick=quick)
    out = Path(out_root) / spec["name"]
    runner = KINDS[spec["kind"]].get("runner")
    extra = {}
    if scheduler is not None and "scheduler" in inspect.signature(runner).parameters:
        extra["scheduler"] = scheduler
    runner(spec, out, workers=workers, quick=quick, progress=progress, **extra)
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["provenance"]["experiment"] = stamp
    atomic_write_json(meta_path, meta)
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
