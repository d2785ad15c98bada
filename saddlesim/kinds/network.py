"""The ``kind = "network"`` experiment: critical points of a digits classifier (Dauphin et al. 2014, Fig. 1).

A tanh classifier of scikit-learn's digits (softmax cross-entropy with L2
weight decay, :class:`~saddlesim.landscapes.classifier.MLPClassifier`) is
trained ``runs`` times with Adam; ``starts`` checkpoints spread uniformly in
loss are the starts of Newton-MR (dense at this size)
(:func:`~saddlesim.searches.network_points.solve_from`), and every end point
is labelled critical / flat (gradient-flat, Frye et al. 2021) / failed by
the scale-free verdict of :func:`~saddlesim.critical.verdict.point_verdict`.
The coin-flip model says the index of a critical point is Binomial(n, ½): index
fraction ½ ± 1/(2√n) at every loss, P(min) = 2⁻ⁿ. The tables say what the
network does instead.

Spec keys (each has a default, :data:`DEFAULTS`): ``seed``, ``dataset``,
``inputs``, ``components`` (for ``inputs = "pca"``), ``hidden``, ``activation``, ``weight_decay``, ``runs``,
``train_steps``, ``lr``, ``checkpoints``, ``starts``, ``max_iter``,
``loss_bins``, and a ``[quick]`` table overriding any of them.

Writes ``points.csv`` (one row per start: ``status, loss, index, nullity,
positive, n`` and the start's run, step and loss), ``coordinates.csv`` (the
end points), ``checkpoints.csv`` (the training curves), ``bins.csv`` (index
fraction of the distinct critical points by loss bin against the binomial), ``counts.csv``
(end points by status), ``meta.json`` (``summary.model`` rebuilds the loss:
:func:`saddlesim.searches.network_points.model_from_description`) and the
figures of :func:`plot_experiment`.

References
----------
Dauphin et al. (2014), arXiv:1406.2572, Fig. 1; Frye et al. (2021), Neural
Computation 33(6), arXiv:2003.10397.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.landscapes.classifier import MLPClassifier
from saddlesim.landscapes.datasets import load_dataset
from saddlesim.searches.distinct import coin_flip, symmetry_classes
from saddlesim.searches.network_points import STATUSES, loss_uniform, solve_from, training_checkpoints
from saddlesim.runtime.io import atomic_write_csv
from saddlesim.runtime.progress import progress_bar
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.runtime.seeds import fresh_entropy

__all__ = ["run_experiment", "plot_experiment", "DEFAULTS", "loss_bins", "distinct_critical", "index_law_fits"]

DEFAULTS = {
    "dataset": "digits",
    "inputs": "pca",
    "components": 10,
    "hidden": [5],
    "activation": "tanh",
    "weight_decay": 1e-2,
    "runs": 10,
    "train_steps": 3000,
    "lr": 1e-2,
    "checkpoints": 100,
    "starts": 500,
    "max_iter": 40,
    "loss_bins": 8,
}


def _settings(spec: dict, quick: bool) -> dict:
    unknown = set(spec) - set(DEFAULTS) - {"kind", "name", "title", "seed", "quick"}
    if unknown:
        raise ValueError(f"{spec.get('name', 'network spec')}: unknown keys {', '.join(sorted(unknown))}")
    s = {k: spec.get(k, v) for k, v in DEFAULTS.items()}
    if quick:
        s.update(spec.get("quick", {}))
    return s


def distinct_critical(points: pd.DataFrame) -> pd.DataFrame:
    """The critical points counted once each: same loss to 1e-9 and same index is one point.

    Many starts end at the same point (hidden units permuted or sign-flipped give
    the same loss and spectrum), so statistics over end points would weigh each
    point by its basin; these are over points.
    """
    crit = points[points["status"] == "critical"]
    if "class" in crit:   # symmetry classes of the end points (searches/distinct.py)
        return crit.drop_duplicates("class")
    return crit.assign(_key=crit["loss"].round(9)).drop_duplicates(["_key", "index"]).drop(columns="_key")


def index_law_fits(points: pd.DataFrame) -> pd.DataFrame:
    """Index fraction against loss of the distinct critical points, fitted by three laws.

    Rows ``law`` = ``three_halves`` (Pennington & Bahri 2017: α = c·(ε − ε_c)^{3/2}),
    ``linear`` (exponent 1) and ``free`` (exponent fitted), with the columns of
    :func:`~saddlesim.theory.index_fraction_law.fit_index_law`; empty when there are too few
    distinct points or they share one loss.
    """
    from saddlesim.theory.index_fraction_law import fit_index_law

    crit = distinct_critical(points)
    rows = []
    for law, exponent in (("three_halves", 1.5), ("linear", 1.0), ("free", None)):
        try:
            fit = fit_index_law(crit["loss"].to_numpy(), (crit["index"] / crit["n"]).to_numpy(), exponent=exponent)
        except ValueError:
            return pd.DataFrame(columns=["law"])
        rows.append({"law": law, **fit})
    return pd.DataFrame(rows)


def loss_bins(points: pd.DataFrame, bins: int) -> pd.DataFrame:
    """Index fraction of the distinct critical points by loss bin, against the coin-flip Binomial(n, ½).

    Points are :func:`distinct_critical`. Bins are equal-count (quantiles of their loss), so each
    holds about the same number of points. ``sd`` is the spread of the index
    fraction within the bin, ``binomial_sd`` = 1/(2√n) what the coin-flip
    independent fair coins give; ``se`` the standard error of the bin mean.

    Returns
    -------
    DataFrame
        Columns loss_lo, loss_hi, loss_mid, count, mean, sd, se, binomial_sd,
        positive_fraction, minima.
    """
    columns = ["loss_lo", "loss_hi", "loss_mid", "count", "mean", "sd", "se", "binomial_sd", "positive_fraction",
               "minima"]
    crit = distinct_critical(points)
    if crit.empty:
        return pd.DataFrame(columns=columns)
    n = int(crit["n"].iloc[0])
    edges = np.unique(np.quantile(crit["loss"], np.linspace(0, 1, bins + 1)))
    if len(edges) == 1:  # every critical point at one loss: one bin
        edges = np.array([edges[0], edges[0]])
    which = np.clip(np.searchsorted(edges, crit["loss"], side="right") - 1, 0, len(edges) - 2)
    rows = []
    for b in range(len(edges) - 1):
        part = crit[which == b]
        if part.empty:
            continue
        frac = part["index"] / part["n"]
        sd = float(frac.std(ddof=1)) if len(part) > 1 else float("nan")
        rows.append({"loss_lo": edges[b], "loss_hi": edges[b + 1], "loss_mid": float(part["loss"].median()),
                     "count": len(part), "mean": float(frac.mean()), "sd": sd,
                     "se": sd / np.sqrt(len(part)) if len(part) > 1 else float("nan"),
                     "binomial_sd": 0.5 / np.sqrt(n),
                     "positive_fraction": float((part["positive"] / part["n"]).mean()),
                     "minima": int((part["index"] == 0).sum())})
    return pd.DataFrame(rows, columns=columns)


def _findings(points: pd.DataFrame, bins: pd.DataFrame, fits: pd.DataFrame | None = None) -> dict:
    """The numbers the summary states (all from the tables).

    Averages are over the DISTINCT critical points (:func:`distinct_critical`), like ``bins.csv``: the
    end points weigh each point by its basin (184 of 336 end points at 5 minima in the committed run).
    End-point statistics keep the ``endpoint_`` prefix.
    """
    crit = points[points["status"] == "critical"]
    counts = {s: int((points["status"] == s).sum()) for s in STATUSES}
    out = {"end_points": len(points), "counts": counts}
    if crit.empty:
        return out
    n = int(crit["n"].iloc[0])
    distinct = distinct_critical(points)
    frac = distinct["index"] / distinct["n"]
    top = distinct.loc[frac.idxmax()]
    minima = crit[crit["index"] == 0]
    dmin = distinct[distinct["index"] == 0]
    out.update({
        "n": n,
        "averages_over": "distinct critical points (symmetry classes: hidden-unit permutations and sign flips)",
        "distinct_critical": len(distinct),
        "distinct_minima": int(len(dmin)),
        "index_fraction_mean": float(frac.mean()),
        "positive_fraction_mean": float((distinct["positive"] / distinct["n"]).mean()),
        "index_fraction_max": float(frac.max()),
        "index_max": int(top["index"]),
        "index_max_loss": float(top["loss"]),
        "nullity_max": int(distinct["nullity"].max()),
        "within_bin_sd_median": float(bins["sd"].median()) if len(bins) else float("nan"),
        "binomial_sd": 0.5 / np.sqrt(n),
        "minima_loss_range": [float(dmin["loss"].min()), float(dmin["loss"].max())] if len(dmin) else None,
        "critical_loss_range": [float(distinct["loss"].min()), float(distinct["loss"].max())],
        "endpoint_critical": int(len(crit)),
        "endpoint_minima": int(len(minima)),
        "endpoint_index_fraction_mean": float((crit["index"] / crit["n"]).mean()),
        "endpoint_positive_fraction_mean": float((crit["positive"] / crit["n"]).mean()),
        "coinflip_log10_p_min": float(-n * np.log10(2.0)),
    })
    if "coin_log10_p" in distinct:
        out.update({"distinct_coin_z_median": float(distinct["coin_z"].median()),
                    "distinct_coin_log10_p_max": float(distinct["coin_log10_p"].max()),
                    "distinct_coin_rejected_at_1e-3": int((distinct["coin_log10_p"] < -3).sum())})
    if fits is not None and len(fits):
        out["index_law_fits"] = {row["law"]: {k: float(row[k]) for k in ("c", "eps_c", "eps_c_lo", "eps_c_hi",
                                                                           "exponent", "rmse", "aic")}
                                 for _, row in fits.iterrows()}
    return out


def run_experiment(spec: dict, out, *, workers=None, quick=False, progress=True) -> list[Path]:
    """Train, pick starts uniform in loss, Newton-MR from each, label and tabulate; then the figures.

    ``workers`` processes share the solves (None: one per core); the tables
    do not depend on it.
    """
    out = Path(out)
    s = _settings(spec, quick)
    entropy = int(spec["seed"]) if "seed" in spec else fresh_entropy()
    watch = Stopwatch()
    train_seq, = np.random.SeedSequence(entropy).spawn(1)
    components = s["components"] if s["inputs"] == "pca" else None
    model = MLPClassifier(load_dataset(s["dataset"], s["inputs"], components), hidden=tuple(s["hidden"]),
                          activation=s["activation"], weight_decay=s["weight_decay"])
    ckpt = training_checkpoints(model, np.random.default_rng(train_seq), runs=int(s["runs"]),
                                steps=int(s["train_steps"]), lr=float(s["lr"]), checkpoints=int(s["checkpoints"]))
    t_train = watch.timings()["wall_seconds"]
    pick = loss_uniform(ckpt.table["loss"].to_numpy(), min(int(s["starts"]), len(ckpt.table)))
    bar, task = progress_bar(progress, len(pick), label="Newton-MR from training checkpoints")
    with bar:
        table, ends = solve_from(model, ckpt.points[pick], max_iter=int(s["max_iter"]), workers=workers,
                                 progress=lambda: bar.advance(task, 1))
    starts = ckpt.table.iloc[pick].reset_index(drop=True)
    critical = (table["status"] == "critical").to_numpy()
    table["class"] = symmetry_classes(ends, model.sizes, s["activation"], critical=critical)
    coin = coin_flip(table["index"], table["n"])
    coin.loc[~critical] = np.nan   # the coin-flip claim is about critical points only
    points = pd.concat([table, coin, starts.rename(columns={"loss": "start_loss", "accuracy": "start_accuracy"})],
                       axis=1)
    out.mkdir(parents=True, exist_ok=True)
    bins = loss_bins(points, int(s["loss_bins"]))
    counts = pd.DataFrame([{"status": st, "count": int((points["status"] == st).sum())} for st in STATUSES])
    atomic_write_csv(out / "points.csv", points)
    atomic_write_csv(out / "coordinates.csv", pd.DataFrame(ends, columns=[f"x{j}" for j in range(model.dim)]))
    atomic_write_csv(out / "checkpoints.csv", ckpt.table)
    atomic_write_csv(out / "bins.csv", bins)
    atomic_write_csv(out / "counts.csv", counts)
    fits = index_law_fits(points)
    atomic_write_csv(out / "fits.csv", fits)
    summary = {"model": model.describe(), "findings": _findings(points, bins, fits)}
    record = make_record("network", resolved_spec(spec, s, quick=quick), seed_entropy=entropy,
                         timings=watch.timings(training_seconds=t_train), summary=summary)
    write_record(out, record)
    return [out / "meta.json", *plot_experiment(out)]


def plot_experiment(out) -> list[Path]:
    """Remake the figures from the tables alone (never simulates)."""
    from saddlesim.plots.network import plot_index_vs_loss
    from saddlesim.plots.style import save_figure

    out = Path(out)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    fig = plot_index_vs_loss(pd.read_csv(out / "points.csv"), pd.read_csv(out / "bins.csv"),
                             title=_title(meta["summary"]["model"]))
    return save_figure(fig, out / "index_vs_loss")


def _title(m: dict) -> str:
    layers = "→".join(str(v) for v in [m["features"], *m["hidden"], m["classes"]])
    return (f"{m['activation']} network {layers} on {m['dataset']} ({m['inputs']} inputs), "
            f"n = {m['dim']} parameters, weight decay {m['weight_decay']:g}")
