"""The ``kind = "min_detection"`` experiment: how well estimated Hessians find the rare minima.

Ground truth: exact GOE Hessians, and exact Riemannian Hessians at critical
points of p-spin instances (estimator ``pspin-noise``; labels with the default
tolerance), and critical points of tanh teacher–student networks (estimator
``mlp-batch``; the finder's nullity-aware labels of the full-data Hessian,
every ``degenerate …`` or ``flat`` label counted as ``degenerate``).
Predictions:
labels of estimated Hessians (:mod:`saddlesim.detection.estimate`) — additive
noise of relative size σ, finite differences with step h, and for the tanh
network minibatch Hessians of batch size b (:mod:`saddlesim.detection.minibatch`;
level = b, the full batch is level = m) — at each relative degeneracy
tolerance τ. The class imbalance is stated from exact
theory: P(min) for the GOE at dimension n (de Bruijn Pfaffian).

Spec keys (``experiments/min_detection.toml``): ``seed``, ``n`` (list of
dimensions), ``samples`` (per n), ``chunk`` (matrices per chunk), ``noise``
(list of σ), ``fd_steps`` (list of h), ``kappa``, ``f0`` (model-loss quartic
strength and offset), ``tol`` (list of τ, including 0), ``pspin`` (N, p),
``pspin_instances``, ``pspin_starts`` (Newton starts per instance), ``mlp``
(parameters of :func:`~saddlesim.landscapes.mlp.tanh_mlp`), ``mlp_instances``,
``mlp_starts`` (random and descent starts per instance, plus the teacher),
``batch`` (list of batch sizes b, integers in 1..m or ``"full"``),
``batch_draws`` (minibatches per critical point and b), ``batch_tol`` (the
τ grid of the minibatch rows), and a ``[quick]``
table overriding any of them.

Streams: chunk c of dimension n draws its Hessians and quartic directions
from ``SeedSequence(seed, spawn_key=(n, c, 0))`` and the noise for level i
from ``spawn_key=(n, c, 1, i)``, so every estimator sees the same exact
Hessians (common random numbers) and results do not depend on chunk order.
Tanh instance i is drawn from ``spawn_key=(0, 4, i)``, its starts from
``(0, 5, i)``, and the minibatches for the j-th batch size from ``(0, 6, i, j)``.

Writes ``confusion.csv`` (tidy: n, estimator, level, tol, truth, predicted,
count), ``metrics.csv`` (one row per n × estimator × level × tol: accuracy,
macro-F1, per-class precision/recall/F1 (NaN where undefined), the
always-saddle baseline, observed prevalence of each class and exact prevalence
of minima),
``meta.json`` and the figures of :func:`plot_experiment`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.index.classify import classify_matrices
from saddlesim.detection.estimate import (
    finite_difference_hessians,
    labels_from_spectra,
    noisy_hessians,
    quartic_directions,
)
from saddlesim.detection.minibatch import check_batch, minibatch_hessians
from saddlesim.runtime.io import atomic_write_csv, read_tables
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.index.metrics import CLASSES, always_label, confusion_matrix, metrics_from_confusion
from saddlesim.models import goe_matrices

__all__ = ["run_experiment", "plot_experiment", "detection_tables", "metrics_table", "DEFAULTS"]

DEFAULTS = {
    "seed": 20261126,
    "n": [3, 4],
    "samples": 100_000,
    "chunk": 20_000,
    "noise": [0.0, 0.01, 0.03, 0.1, 0.2, 0.3],
    "fd_steps": [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.3, 1.0],
    "kappa": 10.0,
    "f0": 1.0,
    "tol": [0.0, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2],
    # critical points of p-spin instances (Newton, |g|² <= 1e-20, σ and −σ both) as a second truth
    "pspin": {"N": 8, "p": 3},
    "pspin_instances": 10,
    "pspin_starts": 20,
    # critical points of tanh teacher–student networks, labels of their minibatch Hessians
    "mlp": {"d": 3, "h": 2, "m": 64},
    "mlp_instances": 8,
    "mlp_starts": 60,
    "batch": [4, 8, 16, 32, "full"],
    "batch_draws": 20,
    # the tanh Hessians' spectra span 1e-5 … 1 at strict minima and hold exact zeros (dead units)
    # at degenerate points, so their relative tolerances run far below the GOE grid
    "batch_tol": [0.0, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3],
}


def _parse(spec: dict, quick: bool) -> dict:
    cfg = {k: spec.get(k, v) for k, v in DEFAULTS.items()}
    if quick:
        cfg.update(spec.get("quick", {}))
    for key in ("samples", "chunk", "seed", "pspin_starts", "mlp_starts", "batch_draws"):
        v = cfg[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"spec '{key}' must be an integer >= 1, got {v!r}")
    for key in ("n", "noise", "fd_steps", "tol", "batch_tol"):
        if not isinstance(cfg[key], list) or not cfg[key]:
            raise ValueError(f"spec '{key}' must be a non-empty list, got {cfg[key]!r}")
    for key in ("pspin_instances", "mlp_instances"):
        v = cfg[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValueError(f"spec '{key}' must be an integer >= 0, got {v!r}")
    cfg["batch_sizes"] = _batch_sizes(cfg)
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 2 for n in cfg["n"]):
        raise ValueError(f"spec 'n' must list integers >= 2, got {cfg['n']!r}")
    if any(not (float(s) >= 0) for s in cfg["noise"] + cfg["tol"] + cfg["batch_tol"]):
        raise ValueError("spec 'noise', 'tol' and 'batch_tol' values must be >= 0")
    if any(not (float(h) > 0) for h in cfg["fd_steps"]):
        raise ValueError("spec 'fd_steps' values must be > 0")
    return cfg


def _batch_sizes(cfg: dict) -> list[int]:
    """The spec's ``batch`` list as integers ("full" = the network's m), checked before anything runs."""
    from saddlesim.landscapes import make_landscape

    if not isinstance(cfg["mlp"], dict):
        raise ValueError(f"spec 'mlp' must be a table of tanh_mlp parameters, got {cfg['mlp']!r}")
    if cfg["mlp_instances"] == 0:
        return []
    batch = cfg["batch"]
    if not isinstance(batch, list) or not batch:
        raise ValueError(f"spec 'batch' must be a non-empty list, got {batch!r}")
    m = make_landscape("mlp", 0, **cfg["mlp"]).m  # bad mlp parameters fail here, in one line
    try:
        return [m if b == "full" else check_batch(b, m) for b in batch]
    except ValueError as exc:
        raise ValueError(f"spec 'batch': {exc} (or \"full\")") from None


def _chunk_counts(cfg: dict, n: int, c: int, size: int) -> dict:
    """Confusion counts of chunk c for every (estimator, level, tol); additive over chunks."""
    root = cfg["seed"]
    rng = np.random.default_rng(np.random.SeedSequence(root, spawn_key=(n, c, 0)))
    H = goe_matrices(n, size, rng)
    W = quartic_directions(size, n, rng)
    truth = classify_matrices(H)
    counts = {}
    estimates = [("noise", float(s), i) for i, s in enumerate(cfg["noise"])]
    estimates += [("fd", float(h), i) for i, h in enumerate(cfg["fd_steps"])]
    for estimator, level, i in estimates:
        if estimator == "noise":
            rng_i = np.random.SeedSequence(root, spawn_key=(n, c, 1, i))
            Hhat = noisy_hessians(H, level, rng_i)
        else:
            Hhat = finite_difference_hessians(H, level, W, kappa=cfg["kappa"], f0=cfg["f0"])
        lam = np.linalg.eigvalsh(Hhat)
        fro = np.linalg.norm(Hhat, axis=(1, 2))
        for tau in cfg["tol"]:
            counts[(estimator, level, float(tau))] = confusion_matrix(truth, labels_from_spectra(lam, fro, float(tau)))
    return counts


def _pspin_hessians(cfg: dict) -> np.ndarray:
    """Exact Riemannian Hessians, shape (points, N−1, N−1), at critical points of p-spin instances.

    Instance i is ``pspin(rng=SeedSequence(seed, spawn_key=(0, 1, i)))``; start s draws from
    ``spawn_key=(0, 3, i, s)`` (three- and four-tuples led by 0 never meet the GOE keys, whose
    first entry is n >= 2). Each critical point σ enters with −σ, as Kac–Rice counts both.
    """
    from saddlesim.landscapes import make_landscape
    from saddlesim.critical.solve import newton_mr

    out = []
    for i in range(cfg["pspin_instances"]):
        L = make_landscape("pspin", np.random.SeedSequence(cfg["seed"], spawn_key=(0, 1, i)), **cfg["pspin"])
        found: list[np.ndarray] = []
        for s in range(cfg["pspin_starts"]):
            x0 = L.random_point(np.random.default_rng(np.random.SeedSequence(cfg["seed"], spawn_key=(0, 3, i, s))))
            res = newton_mr(L, x0, grad_tol=1e-20, max_iter=100)
            if not res.success:
                continue
            for x in (res.x, -res.x):
                if not any(np.linalg.norm(x - y) < 1e-6 for y in found):
                    found.append(x)
        out += [L.hessian(x) for x in found]
    n = cfg["pspin"].get("N", 8) - 1
    return np.array(out).reshape(-1, n, n)


def _pspin_counts(cfg: dict, H: np.ndarray) -> dict:
    """Confusion counts of noisy-Hessian labels at p-spin critical points, per (σ, τ)."""
    truth = classify_matrices(H)
    counts = {}
    for i, sigma in enumerate(cfg["noise"]):
        rng = np.random.SeedSequence(cfg["seed"], spawn_key=(0, 2, i))
        Hhat = noisy_hessians(H, float(sigma), rng)
        lam = np.linalg.eigvalsh(Hhat)
        fro = np.linalg.norm(Hhat, axis=(1, 2))
        for tau in cfg["tol"]:
            counts[("pspin-noise", float(sigma), float(tau))] = confusion_matrix(truth, labels_from_spectra(lam, fro, float(tau)))
    return counts


def _coarse(labels) -> np.ndarray:
    """Nullity-aware landscape labels on the four metric classes: every degenerate kind is 'degenerate'."""
    labels = np.asarray(labels).astype(str)
    return np.where(np.char.startswith(labels, "degenerate") | (labels == "flat"), "degenerate", labels)


def _mlp_points(cfg: dict):
    """Tanh-network critical points: ``[(landscape, coords (K, dim), truth labels (K,)), …]`` per instance.

    The finder runs from the teacher (an exact critical point at loss 0, a
    strict minimum unless units coincide) and ``mlp_starts`` random and
    descent starts; truth is its nullity-aware label of the full-data Hessian.
    """
    from saddlesim.landscapes import make_landscape
    from saddlesim.critical.find import find_critical_points
    from saddlesim.critical.starts import make_starts

    out = []
    for i in range(cfg["mlp_instances"]):
        net = make_landscape("mlp", np.random.SeedSequence(cfg["seed"], spawn_key=(0, 4, i)), **cfg["mlp"])
        rng = np.random.default_rng(np.random.SeedSequence(cfg["seed"], spawn_key=(0, 5, i)))
        starts = make_starts(net, cfg["mlp_starts"], rng, descent_fraction=0.5)
        if net.teacher is not None:
            starts = [net.teacher, *starts]
        found = find_critical_points(net, starts)
        out.append((net, found.coords, _coarse(found.points["label"].to_numpy())))
    return out


def _mlp_counts(cfg: dict, instances) -> dict:
    """Confusion counts of minibatch-Hessian labels at tanh critical points, per (b, τ).

    Every point is scored ``batch_draws`` times per b (each draw its own minibatch),
    so a count is points × draws; the full batch has one Hessian and is counted
    the same number of times, to keep the prevalences equal across b.
    """
    counts = {}
    draws = cfg["batch_draws"]
    for j, b in enumerate(cfg["batch_sizes"]):
        truth, lam, fro = [], [], []
        for i, (net, coords, labels) in enumerate(instances):
            rng = np.random.default_rng(np.random.SeedSequence(cfg["seed"], spawn_key=(0, 6, i, j)))
            for x, t in zip(coords, labels):
                Hhat = minibatch_hessians(net, x, b, 1 if b == net.m else draws, rng)
                Hhat = np.broadcast_to(Hhat, (draws, *Hhat.shape[1:]))
                lam.append(np.linalg.eigvalsh(Hhat))
                fro.append(np.linalg.norm(Hhat, axis=(1, 2)))
                truth += [t] * draws
        if not truth:
            continue
        lam, fro = np.concatenate(lam), np.concatenate(fro)
        for tau in cfg["batch_tol"]:
            counts[("mlp-batch", float(b), float(tau))] = confusion_matrix(truth, labels_from_spectra(lam, fro, float(tau)))
    return counts


def metrics_table(confusion: pd.DataFrame, log10_p_min_exact: dict[int, float]) -> pd.DataFrame:
    """One metrics row per (n, estimator, level, tol) from the tidy confusion table.

    ``log10_p_min_exact`` maps n to log10 of the exact GOE P(min), the prevalence to state.
    """
    rows = []
    keys = ["n", "estimator", "level", "tol"]
    pos = {c: i for i, c in enumerate(CLASSES)}
    for key, part in confusion.groupby(keys, sort=True):
        C = np.zeros((len(CLASSES), len(CLASSES)), dtype=np.int64)
        for t, p, k in part[["truth", "predicted", "count"]].itertuples(index=False):
            C[pos[t], pos[p]] += k
        m = metrics_from_confusion(C)
        truth = np.repeat(CLASSES, C.sum(axis=1))
        b = metrics_from_confusion(confusion_matrix(truth, always_label(truth, "saddle")))
        row = dict(zip(keys, key))
        row.update(samples=int(C.sum()), accuracy=m.accuracy, macro_f1=m.macro_f1,
                   baseline_accuracy=b.accuracy, baseline_macro_f1=b.macro_f1)
        for r in m.per_class.itertuples():
            for metric in ("precision", "recall", "f1"):
                row[f"{metric}_{r[1]}"] = getattr(r, metric)
        row["prevalence_min"] = C[0].sum() / C.sum()
        for k, cls in enumerate(CLASSES[1:], start=1):
            row[f"prevalence_{cls}"] = C[k].sum() / C.sum()
        # exact prevalence exists for GOE draws only; landscape rows report the observed one
        row["log10_p_min_exact"] = log10_p_min_exact.get(int(key[0]), np.nan) if key[1] in ("noise", "fd") else np.nan
        row["p_min_exact"] = 10.0 ** row["log10_p_min_exact"]  # 0 only where it underflows; the log stays
        rows.append(row)
    return pd.DataFrame(rows)


def detection_tables(spec: dict, *, quick: bool = False, progress: bool = False):
    """The experiment's tables without writing anything.

    Returns
    -------
    confusion, metrics : pandas.DataFrame
        See the module docstring.
    cfg : dict
        The parsed spec (defaults filled in, ``[quick]`` applied).
    """
    from saddlesim.theory import log_p_min

    cfg = _parse(spec, quick)
    tasks = []
    for n in cfg["n"]:
        done = 0
        for c in range(-(-cfg["samples"] // cfg["chunk"])):
            size = min(cfg["chunk"], cfg["samples"] - done)
            tasks.append((n, c, size))
            done += size
    it = iter(tasks)
    if progress:
        from rich.progress import track

        it = track(tasks, description="min detection", transient=True)
    totals: dict = {}
    for n, c, size in it:
        for key, C in _chunk_counts(cfg, n, c, size).items():
            totals[(n, *key)] = totals.get((n, *key), 0) + C
    if cfg["pspin_instances"] > 0:
        H = _pspin_hessians(cfg)
        for key, C in _pspin_counts(cfg, H).items():
            totals[(H.shape[-1], *key)] = C
    if cfg["mlp_instances"] > 0:
        instances = _mlp_points(cfg)
        for key, C in _mlp_counts(cfg, instances).items():
            totals[(instances[0][0].dim, *key)] = C
    rows = []
    for (n, estimator, level, tau), C in totals.items():
        for i, t in enumerate(CLASSES):
            for j, p in enumerate(CLASSES):
                rows.append((n, estimator, level, tau, t, p, int(C[i, j])))
    confusion = pd.DataFrame(rows, columns=["n", "estimator", "level", "tol", "truth", "predicted", "count"])
    p_exact = {n: float(log_p_min(n, 1) / np.log(10)) for n in cfg["n"]}  # log10, never underflows
    return confusion, metrics_table(confusion, p_exact), cfg


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True) -> Path:
    """Run the detection experiment; write ``confusion.csv``, ``metrics.csv``, ``meta.json`` and figures.

    ``workers`` is accepted for the common runner interface; the run is serial
    (about a minute at the default budget on one core).
    """
    out = Path(out)
    watch = Stopwatch()
    confusion, metrics, cfg = detection_tables(spec, quick=quick, progress=progress)
    atomic_write_csv(out / "confusion.csv", confusion)
    atomic_write_csv(out / "metrics.csv", metrics)
    p_exact = metrics[metrics["estimator"] == "noise"].groupby("n")["log10_p_min_exact"].first()
    summary = {"log10_p_min_exact": {str(n): float(p) for n, p in p_exact.items()},
               "files": {"confusion.csv": "confusion counts per (estimator, setting)",
                         "metrics.csv": "precision, recall, F1 per class and setting, beside the always-saddle baseline"}}
    write_record(out, make_record("min_detection", resolved_spec(spec, cfg, quick=quick), seed_entropy=cfg["seed"],
                                  timings=watch.timings(workers=1), summary=summary))
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake ``pr_minimum``, ``f1_vs_noise``, ``fd_step``, ``pspin_noise``, ``mlp_batch`` (.png, .pdf) from
    ``metrics.csv`` alone."""
    from saddlesim.plots.detection import (
        plot_f1_vs_noise,
        plot_fd_step,
        plot_mlp_batch,
        plot_pr_minimum,
        plot_pspin_noise,
    )
    from saddlesim.plots.style import save_figure

    out = Path(out)
    (df,) = read_tables(out, "metrics.csv")
    paths = save_figure(plot_pr_minimum(df), out / "pr_minimum")
    paths += save_figure(plot_f1_vs_noise(df), out / "f1_vs_noise")
    paths += save_figure(plot_fd_step(df), out / "fd_step")
    paths += save_figure(plot_pspin_noise(df), out / "pspin_noise")
    paths += save_figure(plot_mlp_batch(df), out / "mlp_batch")
    return paths
