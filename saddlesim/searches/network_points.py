"""Critical points of a trained network's loss, found from points along its training runs.

The protocol of Dauphin et al. (2014, Fig. 1) as Frye et al. (2021) repeat it
with Newton-MR: train the network several times, keep checkpoints along each
run, pick starts spread uniformly in loss among them, and run Newton-MR (which
converges to critical points of any index, not only minima) from each
(:func:`~saddlesim.critical.polish.polish_point`). Every
end point then gets the verdict of :func:`~saddlesim.critical.verdict.point_verdict`,
whose thresholds scale with the loss's own curvature:

``critical``
    the gradient is zero to rounding (or the remaining Newton step is below
    it): a critical point, with its index, nullity and positive count;
``flat``
    *gradient-flat* (Frye et al. 2021): the gradient is not zero but lies in
    the Hessian's near-kernel, so Newton-MR cannot reduce it — a point of
    low gradient norm that is not a critical point;
``failed``
    neither (the solve stopped elsewhere).

References
----------
Dauphin et al. (2014), Identifying and attacking the saddle point problem in
high-dimensional non-convex optimization, NeurIPS, arXiv:1406.2572.
Frye, Simon, Wadia, Ligeralde, DeWeese & Bouchard (2021), Critical point-finding
methods reveal gradient-flat regions of deep network losses, Neural
Computation 33(6), arXiv:2003.10397.
Roosta, Liu, Xu & Mahoney (2018), Newton-MR, arXiv:1810.00303.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from saddlesim.landscapes.classifier import MLPClassifier, train
from saddlesim.landscapes.datasets import load_dataset
from saddlesim.critical.polish import polish_point
from saddlesim.runtime.parallel import map_unordered

__all__ = ["STATUSES", "Checkpoints", "model_from_description", "training_checkpoints", "loss_uniform",
           "solve_from", "status_of"]

STATUSES = ("critical", "flat", "failed")


def model_from_description(d: dict) -> MLPClassifier:
    """Rebuild the classifier that :meth:`MLPClassifier.describe` described (e.g. from a meta.json).

    Raises
    ------
    ValueError
        PCA inputs described without the sign convention (a record older than it): its projection's
        signs were LAPACK's, so the inputs cannot be rebuilt exactly.
    """
    from saddlesim.landscapes.datasets import PCA_SIGN_CONVENTION

    if d.get("inputs") == "pca" and d.get("pca_sign_convention") != PCA_SIGN_CONVENTION:
        raise ValueError("this description of PCA inputs records no sign convention (made before it existed): "
                         "rerun the experiment to get a record that rebuilds exactly")
    data = load_dataset(d["dataset"], d.get("inputs", "raw"), d.get("components"))
    return MLPClassifier(data, hidden=tuple(d["hidden"]), activation=d["activation"],
                         weight_decay=float(d["weight_decay"]))


@dataclass(frozen=True, eq=False)
class Checkpoints:
    """Points along several training runs.

    Attributes
    ----------
    table : DataFrame
        One row per checkpoint: ``run``, ``step``, ``loss``, ``accuracy``.
    points : ndarray, shape (len(table), dim)
    """

    table: pd.DataFrame
    points: np.ndarray


def training_checkpoints(model: MLPClassifier, rng=None, *, runs: int = 8, steps: int = 3000, lr: float = 1e-2,
                         checkpoints: int = 100, optimizer: str = "adam", batch_size: int | None = None) -> Checkpoints:
    """Train ``model`` ``runs`` times from independent starts; keep ``checkpoints`` points per run.

    Each run gets its own child stream of ``rng`` (``SeedSequence.spawn``),
    so run r is the same whatever the number of runs after it.
    """
    rng = np.random.default_rng(rng)
    rows, points = [], []
    for r, child in enumerate(rng.bit_generator.seed_seq.spawn(runs)):
        run = train(model, np.random.default_rng(child), optimizer=optimizer, steps=steps, lr=lr,
                    batch_size=batch_size, checkpoints=checkpoints)
        for step, x, loss in zip(run.steps, run.points, run.losses):
            rows.append({"run": r, "step": int(step), "loss": float(loss), "accuracy": model.accuracy(x)})
            points.append(x)
    return Checkpoints(pd.DataFrame(rows), np.stack(points))


def loss_uniform(losses, count: int) -> np.ndarray:
    """Indices of ``count`` distinct entries of ``losses`` spread uniformly in loss.

    For each of ``count`` targets evenly spaced from min to max loss (in
    order), the unused entry nearest to it; so the starts cover the whole
    range of training losses, not mostly the long tail near convergence
    where checkpoints crowd.

    Parameters
    ----------
    losses : array_like, shape (m,)
    count : int
        ≤ m.

    Returns
    -------
    ndarray of int, shape (count,)
    """
    losses = np.asarray(losses, dtype=float)
    if not 1 <= count <= len(losses):
        raise ValueError(f"need 1 <= count <= {len(losses)} checkpoints, got {count}")
    order = np.argsort(losses, kind="stable")
    sorted_losses = losses[order]
    free = np.ones(len(losses), dtype=bool)
    picked = []
    for target in np.linspace(sorted_losses[0], sorted_losses[-1], count):
        cand = np.flatnonzero(free)
        j = cand[np.argmin(np.abs(sorted_losses[cand] - target))]
        free[j] = False
        picked.append(order[j])
    return np.asarray(picked)


def status_of(verdict: str) -> str:
    """``critical`` / ``flat`` / ``failed`` from a :func:`point_verdict` verdict."""
    return {"critical": "critical", "near-critical": "critical", "gradient-flat": "flat"}.get(verdict, "failed")


@functools.lru_cache(maxsize=4)
def _landscape(description: str):
    """The landscape of a JSON model description, built once per process (workers rebuild, never unpickle JAX)."""
    return model_from_description(json.loads(description)).landscape()


def _solve_one(item) -> tuple[dict, np.ndarray]:
    """Newton-MR from one start (dense or on HVPs by size, as the finder), then its end point's verdict."""
    description, x0, max_iter = item
    landscape = _landscape(description)
    x, p = polish_point(landscape, x0, max_iter=max_iter)
    row = {"status": status_of(p["verdict"]), "verdict": p["verdict"], "loss": p["loss"], "index": p["index"],
           "nullity": p["nullity"], "positive": p["positive"], "n": landscape.manifold_dim,
           "grad_norm": p["grad_norm"], "distance": p["distance"], "iterations": p["iterations"],
           "solver": p["solver"]}
    return row, x


def solve_from(model: MLPClassifier, starts: np.ndarray, *, max_iter: int = 200, workers: int | None = 1,
               progress=None) -> tuple[pd.DataFrame, np.ndarray]:
    """Newton-MR from every start, then the scale-free verdict of each end point.

    Parameters
    ----------
    model : MLPClassifier
        Rebuilt from :meth:`~MLPClassifier.describe` in each worker process.
    starts : ndarray, shape (B, dim)
    max_iter : int
        Newton steps at most per start (:func:`~saddlesim.critical.polish.polish_point`:
        dense up to ``DENSE_LIMIT`` parameters, on Hessian-vector products beyond;
        scale-free acceptance).
    workers : int or None
        Processes (1: here; None: one per core); results do not depend on it.
    progress : callable, optional
        Called with no argument as each start finishes.

    Returns
    -------
    table : DataFrame
        One row per start, in order: ``status``, ``verdict``, ``loss``, ``index``,
        ``nullity``, ``positive``, ``n``, ``grad_norm``, ``distance`` (moved),
        ``iterations``, ``solver`` (dense or hvp).
    ends : ndarray, shape (B, dim)
        The end points.
    """
    description = json.dumps(model.describe(), sort_keys=True)
    items = [(i, (description, np.asarray(x, dtype=np.float64), int(max_iter))) for i, x in enumerate(starts)]
    found = {}
    for (i, _), result in map_unordered(_solve_indexed, items, workers=workers):
        found[i] = result
        if progress is not None:
            progress()
    rows = [found[i][0] for i in range(len(items))]
    return pd.DataFrame(rows), np.stack([found[i][1] for i in range(len(items))])


def _solve_indexed(item):
    return _solve_one(item[1])
