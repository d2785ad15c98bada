"""The ``kind = "sweep"`` experiment: a TOML spec in, tables and figures out.

Spec keys (``experiments/<name>.toml``)::

    kind = "sweep"
    title = "..."                      # figure titles, meta.json
    description = "..."                # optional, free text
    models = ["independent", "goe", {name = "beta", beta = 0.5}]
    n = "1-12"                         # or a list [1, 2, 3]
    samples = 10_000_000               # per cell
    seed = 20261126                    # root entropy; omitted = fresh, recorded in meta.json
    method = "tridiagonal"             # optional, or "dense"
    tol = 1e-12                        # optional degeneracy threshold
    quick_samples = 20_000             # optional: samples per cell with --quick
    shifts = [-1.0, 0.0, 0.5]          # optional: H = G + s·I, all shifts from the same draws
    weight = "det"                     # optional: Kac–Rice |det H| weighted frequencies

A rerun into the same folder resumes an interrupted run of the same spec;
if the spec changed, the folder is started afresh (the spec file is the
authority, and ``make`` only reruns specs that changed or whose code did).
"""

from __future__ import annotations

import json
from pathlib import Path


from saddlesim.runtime.record import resolved_spec
from saddlesim.runtime.io import read_tables
from saddlesim.runtime.parsing import parse_float_list, parse_int_list
from saddlesim.models.spec import Model
from saddlesim.sweep.plan import SweepPlan, make_plan
from saddlesim.sweep.run import SweepResult, run_sweep

__all__ = ["models_from_spec", "ns_from_spec", "SPEC_KEYS", "plan_from_spec", "run_experiment", "plot_experiment"]

#: Keys a sweep spec may have; anything else is a typo and an error.
SPEC_KEYS = {
    "kind", "name", "title", "description", "models", "n", "samples", "seed",
    "method", "tol", "quick_samples", "chunk_elements", "shifts", "weight",
}
_QUICK_SAMPLES = 20_000


def models_from_spec(value, where: str) -> list[Model]:
    """A spec's ``models`` (a name, or a list of names and ``{name, beta, phi, eps}`` tables) as Models.

    ``where`` names the spec in error messages. Shared by every kind that sweeps models.
    """
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: 'models' must be a non-empty list of names or {{name, beta}} tables")
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(Model(item))
        elif isinstance(item, dict) and set(item) <= {"name", "beta", "phi", "eps"} and "name" in item:
            out.append(Model(item["name"], item.get("beta"), item.get("phi"), item.get("eps")))
        else:
            raise ValueError(f"{where}: cannot read model {item!r}; use a name or {{name = ..., beta = ...}}")
    return out


def ns_from_spec(value, where: str) -> list[int]:
    """A spec's ``n`` (an integer, a list, or ranges such as ``"2-10,20"``) as dimensions."""
    if isinstance(value, str):
        return parse_int_list(value, name=f"{where}: n")
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(f"{where}: 'n' must be a range string like '1-12' or a list of integers")
    if min(value) < 1:
        raise ValueError(f"{where}: n values must be >= 1, got {min(value)}")
    return value


def _shifts(value, where: str) -> list[float]:
    if isinstance(value, str):
        return parse_float_list(value, name=f"{where}: shifts")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(f"{where}: 'shifts' must be a list of numbers or a range string like '-2:2:9'")
    return [float(v) for v in value]


def plan_from_spec(spec: dict, *, quick: bool = False) -> SweepPlan:
    """Validate a sweep spec and build its plan (``quick``: ``quick_samples`` per cell).

    Raises
    ------
    ValueError
        Unknown keys, missing or invalid values; the message names the spec.
    """
    where = f"experiment {spec.get('name', '?')!r}"
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(SPEC_KEYS))}")
    for key in ("models", "n", "samples"):
        if key not in spec:
            raise ValueError(f"{where}: missing key {key!r}")
    samples = spec["samples"]
    if quick:
        samples = min(samples, spec.get("quick_samples", _QUICK_SAMPLES)) if isinstance(samples, int) else samples
    try:
        return make_plan(
            models_from_spec(spec["models"], where),
            ns_from_spec(spec["n"], where),
            samples,
            entropy=spec.get("seed"),
            method=spec.get("method"),
            tol=spec.get("tol"),
            **({"chunk_elements": spec["chunk_elements"]} if "chunk_elements" in spec else {}),
            shifts=_shifts(spec["shifts"], where) if "shifts" in spec else None,
            weight=spec.get("weight"),
        )
    except ValueError as exc:
        msg = str(exc)
        raise ValueError(msg if msg.startswith(where) else f"{where}: {msg}") from None


def run_experiment(spec: dict, out: Path, *, workers=None, quick: bool = False, progress: bool = True,
                   scheduler=None) -> SweepResult:
    """Run a sweep spec into ``out`` (tables, ``meta.json``, figures); ``scheduler``: on Dask."""
    plan = plan_from_spec(spec, quick=quick)
    result = run_sweep(
        plan,
        out,
        workers=workers,
        progress=progress,
        overwrite=True,
        meta_extra={"spec": resolved_spec(spec, {"method": plan.method}, quick=quick),
                    "title": spec.get("title", spec.get("name"))},
        scheduler=scheduler,
    )
    plot_experiment(out)
    return result


def plot_experiment(out: Path) -> list[Path]:
    """Remake a sweep folder's figures from ``results.csv`` and ``meta.json`` alone."""
    from saddlesim.plots.sweep import sweep_figures

    out = Path(out)
    (results,) = read_tables(out, "results.csv")
    try:
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        meta = {}
    if "shift" in results:
        # the figures are against n: draw the centred ensembles (shift 0) if swept
        results = results[results["shift"] == 0.0].drop(columns="shift")
        if results.empty:
            return []
    return sweep_figures(results, out, title=meta.get("summary", {}).get("title"))
