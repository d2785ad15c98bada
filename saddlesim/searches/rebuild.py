"""Rebuild a landscape run's instance from its results folder: ``from_run(DIR, instance=i)``.

A landscape run's ``meta.json`` holds its plan (``fingerprint``: loss,
parameters, seed entropy, …), and an instance's disorder is a pure function
of ``(plan, instance)`` (:mod:`saddlesim.searches.plan`), so the folder
alone rebuilds the very loss whose critical points ``critical_points.csv``
and ``coordinates.csv`` report; a reader can then recompute any point's
gradient and Hessian with their own code.

A user loss (``file.py:loss``, ``module:function``) is looked up as it was
given, from the current folder; if that fails, from the file the run
recorded in ``summary.landscape.source`` (absolute path), so a folder can be
read from anywhere on the machine that made it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from saddlesim.searches.plan import LandscapePlan, build_landscape

__all__ = ["from_run", "run_plan", "loss_source"]


def loss_source(loss: str) -> str | None:
    """Absolute path of the file a user loss ``loss`` comes from (None for a built-in or unknown one)."""
    if ":" not in loss:
        return None
    target = loss.split(":")[0]
    if target.endswith(".py") or "/" in target:
        path = Path(target)
        return str(path.resolve()) if path.is_file() else None
    module = sys.modules.get(target)
    file = getattr(module, "__file__", None)
    return str(Path(file).resolve()) if file else None


def run_plan(out) -> tuple[LandscapePlan, dict]:
    """The plan a landscape run's folder records, and its ``meta.json``.

    Raises
    ------
    ValueError
        No ``meta.json``, or not a landscape run's.
    """
    path = Path(out) / "meta.json"
    try:
        meta = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    fp = meta.get("fingerprint") or {}
    if meta.get("kind") != "landscape" or "loss" not in fp:
        raise ValueError(f"{path} is not a landscape run's record (kind {meta.get('kind')!r}); "
                         "an experiment folder keeps its landscape runs under runs/")
    plan = LandscapePlan(fp["loss"], tuple(sorted(fp["params"].items())), int(fp["instances"]), int(fp["starts"]),
                         int(fp["entropy"]), float(fp["grad_tol"]), float(fp["descent_fraction"]), fp["null_tol"],
                         int(fp["max_iter"]), int(fp["hops"]))
    return plan, meta


def from_run(out, instance: int = 0):
    """The landscape of instance ``instance`` of the landscape run in folder ``out``, as the run drew it.

    Parameters
    ----------
    out : path
        A folder written by ``saddlesim landscape`` or
        :func:`saddlesim.searches.run.run_landscape` (its ``meta.json``).
    instance : int
        0 … instances − 1, the ``instance`` column of the run's tables.

    Returns
    -------
    Landscape
        ``value``, ``gradient``, ``hessian`` … of that instance; e.g.
        ``from_run("runs/ps8", 3).gradient(x)`` for a row of coordinates.csv.

    Raises
    ------
    ValueError
        Not a landscape run, an instance out of range, or a user loss that
        can be found neither as given nor at its recorded source.

    Examples
    --------
    >>> land = from_run("runs/ps8", instance=0)                  # doctest: +SKIP
    >>> xs = pd.read_csv("runs/ps8/coordinates.csv")             # doctest: +SKIP
    """
    plan, meta = run_plan(out)
    if isinstance(instance, bool) or not isinstance(instance, (int, np.integer)) or not 0 <= instance < plan.instances:
        raise ValueError(f"instance must be an integer in 0..{plan.instances - 1}, got {instance!r}")
    # the first child of the instance's stream draws the disorder (see run.run_instance)
    disorder = plan.seed_sequence(int(instance)).spawn(1)[0]
    try:
        return build_landscape(plan.loss, plan.param_dict, np.random.default_rng(disorder))
    except ValueError:
        source = (meta.get("summary", {}).get("landscape") or {}).get("source")
        if not source or not Path(source).is_file():
            raise
    target, attr = plan.loss.split(":")
    if target.endswith(".py") or "/" in target:
        return build_landscape(f"{source}:{attr}", plan.param_dict, np.random.default_rng(disorder))
    sys.path.insert(0, str(Path(source).parent))
    try:
        return build_landscape(plan.loss, plan.param_dict, np.random.default_rng(disorder))
    finally:
        sys.path.remove(str(Path(source).parent))
