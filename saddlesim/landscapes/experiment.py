"""The ``kind = "landscape"`` experiment: critical points of real losses against exact theory.

One kind, three studies (``study = ...`` in the spec):

``pspin``
    For each N: ``instances`` p-spin instances, ``starts`` solves each
    (``[N_table]`` per-N overrides). Tables: ``counts.csv`` (mean count per
    (N, index) with interval and exact Kac–Rice mean), ``saturation.csv``
    (total count found with the first S/8, S/4, S/2, S starts against the
    exact total), ``points.csv`` (every point: N, instance, energy u, index),
    ``pmin.csv`` (P(min) by N: exact, enumerated, the seed's 2^-(N-1), GOE at
    dimension N − 1).
``linear_autoencoder``
    Σ = diag(1…k) has no disorder, so the ``instances`` are independent
    batches of starts on the same loss (one per worker); the union of their
    gauge classes is matched against the exact Baldi–Hornik set.
    Tables: ``points.csv`` (loss, index, nullity, matched class),
    ``rejected.csv``, ``classes.csv`` (the exact set with a ``recovered``
    flag), ``recovery.csv``.
``mlp``
    ``instances`` tanh-network instances; ``points.csv`` (loss, index fraction)
    and ``bins.csv`` (index fraction by loss bin) with the Pennington–Bahri
    Wishart + Wigner α(ε, φ) and a fitted 3/2 law.

Every run goes through :func:`saddlesim.landscapes.run.run_landscape` into
``out/runs/<tag>/`` (so an interrupted experiment resumes), and the plotter
remakes the figures from the tables alone.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.io import atomic_write_csv, atomic_write_json, provenance
from saddlesim.landscapes.plan import make_landscape_plan
from saddlesim.landscapes.run import run_landscape
from saddlesim.seeds import fresh_entropy

__all__ = ["run_experiment", "plot_experiment", "STUDIES"]

STUDIES = ("pspin", "linear_autoencoder", "mlp")


def _setting(spec: dict, key: str, quick: bool, default=None):
    if quick and key in spec.get("quick", {}):
        return spec["quick"][key]
    return spec.get(key, default)


def _run(loss, params, instances, starts, entropy, out, workers, progress, **kw):
    plan = make_landscape_plan(loss, params, instances=instances, starts=starts, entropy=entropy, **kw)
    tag = loss + "".join(f"_{k}{v}" for k, v in sorted(params.items()))
    return run_landscape(plan, out / "runs" / tag, workers=workers, progress=progress, overwrite=True)


# -- p-spin ------------------------------------------------------------------------------


def _pspin(spec, out, workers, quick, progress, entropy):
    from saddlesim.theory.exact import p_min
    from saddlesim.theory.pspin import pspin_mean_counts, pspin_p_min

    p = int(spec.get("p", 3))
    Ns = [int(n) for n in _setting(spec, "N", quick)]
    table = _setting(spec, "N_table", quick, {}) or {}
    counts, sat, pts, pmin = [], [], [], []
    for N in Ns:
        over = table.get(str(N), {})
        K = int(over.get("instances", _setting(spec, "instances", quick, 10)))
        S = int(over.get("starts", _setting(spec, "starts", quick, 200)))
        r = _run("pspin", {"N": N, "p": p}, K, S, entropy, out, workers, progress)
        exact = pspin_mean_counts(N, p)
        s = r.summary
        for row in s.itertuples(index=False):
            counts.append({"N": N, "index": row.index, "mean_count": row.mean_count, "mean_count_lo": row.mean_count_lo,
                           "mean_count_hi": row.mean_count_hi, "theory_mean": exact[row.index],
                           "instances": K, "starts": S})
        cp = r.critical_points
        for frac in (8, 4, 2, 1):
            n_starts = max(1, S // frac)
            found = cp[cp["first_start"] < n_starts]
            sat.append({"N": N, "starts": n_starts, "mean_total": len(found) / K,
                        "mean_minima": (found["index"] == 0).sum() / K, "theory_total": exact.sum(),
                        "fraction": len(found) / K / exact.sum()})
        pts.append(pd.DataFrame({"N": N, "instance": cp["instance"], "energy": cp["loss"], "index": cp["index"]}))
        total = len(cp)
        pmin.append({"N": N, "exact": pspin_p_min(N, p), "enumerated": (cp["index"] == 0).sum() / total if total else np.nan,
                     "enumerated_minima": int((cp["index"] == 0).sum()), "enumerated_total": total,
                     "seed": 2.0 ** (-(N - 1)), "goe": p_min(N - 1, 1) if N > 1 else 1.0})
    atomic_write_csv(out / "counts.csv", pd.DataFrame(counts))
    atomic_write_csv(out / "saturation.csv", pd.DataFrame(sat))
    atomic_write_csv(out / "points.csv", pd.concat(pts, ignore_index=True))
    atomic_write_csv(out / "pmin.csv", pd.DataFrame(pmin))
    return {"p": p, "N": Ns}


# -- linear autoencoder ------------------------------------------------------------------


def _ae_subset(coords: np.ndarray, k: int, p: int) -> list[str]:
    """The class label I of each point: the eigendirections A = W₂W₁ projects onto (Σ diagonal)."""
    out = []
    for x in coords:
        W1 = x[: p * k].reshape(p, k)
        W2 = x[p * k:].reshape(k, p)
        d = np.diag(W2 @ W1)
        out.append(",".join(str(i + 1) for i in np.flatnonzero(d > 0.5)))
    return out


def _autoencoder(spec, out, workers, quick, progress, entropy):
    from saddlesim.theory.linear_ae import linear_ae_critical_set

    k, width = int(_setting(spec, "k", quick, 16)), int(_setting(spec, "width", quick, 4))
    K = int(_setting(spec, "instances", quick, 2))
    S = int(_setting(spec, "starts", quick, 100))
    frac = float(_setting(spec, "descent_fraction", quick, 0.5))
    hops = int(_setting(spec, "hops", quick, 0))
    r = _run("linear-ae", {"k": k, "width": width}, K, S, entropy, out, workers, progress, descent_fraction=frac,
             hops=hops)
    coords = r.coordinates[[f"x{j}" for j in range(2 * k * width)]].to_numpy()
    pts = r.critical_points[["instance", "loss", "index", "nullity", "grad_norm2", "label"]].copy()
    pts["subset"] = _ae_subset(coords, k, width)
    exact = linear_ae_critical_set(k, width)
    exact["key"] = [",".join(str(i) for i in s) for s in exact["subset"]]
    truth = exact.set_index("key")
    ok = []
    for row in pts.itertuples(index=False):
        if row.subset in truth.index:
            t = truth.loc[row.subset]
            ok.append(bool(abs(row.loss - t["loss"]) <= 1e-8 * max(1.0, abs(t["loss"]))
                           and row.index == t["index"] and row.nullity == t["nullity"]))
        else:
            ok.append(False)
    pts["matches_exact"] = ok
    exact["recovered"] = exact["key"].isin(set(pts.loc[pts["matches_exact"], "subset"]))
    rej = r.rejected[["instance", "loss", "grad_norm2", "index", "nullity", "status"]]
    recovery = pd.DataFrame([{
        "k": k, "width": width, "classes": len(exact), "recovered": int(exact["recovered"].sum()),
        "fraction": float(exact["recovered"].mean()), "accepted_off_exact_set": int((~pts["matches_exact"]).sum()),
        "solves": K * (S + hops), "rejected": len(rej), "compute_seconds": r.meta["timings"]["compute_seconds"],
    }])
    atomic_write_csv(out / "points.csv", pts)
    atomic_write_csv(out / "rejected.csv", rej)
    atomic_write_csv(out / "classes.csv", exact.drop(columns=["subset"]))
    atomic_write_csv(out / "recovery.csv", recovery)
    return {"k": k, "width": width}


# -- tanh network ------------------------------------------------------------------------


def _mlp(spec, out, workers, quick, progress, entropy):
    from saddlesim.theory.wishart_wigner import fit_three_halves_law

    params = {key: int(_setting(spec, key, quick, d)) for key, d in (("d", 2), ("h", 3), ("m", 24), ("outputs", 1))}
    K = int(_setting(spec, "instances", quick, 8))
    S = int(_setting(spec, "starts", quick, 100))
    frac = float(_setting(spec, "descent_fraction", quick, 0.5))
    r = _run("mlp", params, K, S, entropy, out, workers, progress, descent_fraction=frac)
    n = r.meta["landscape"]["manifold_dim"]
    pts = r.critical_points[["instance", "loss", "index", "nullity", "label"]].copy()
    pts["index_fraction"] = pts["index"] / n
    nb = int(_setting(spec, "bins", quick, 8))
    edges = np.quantile(pts["loss"], np.linspace(0, 1, nb + 1)) if len(pts) else np.zeros(nb + 1)
    b = np.clip(np.searchsorted(edges, pts["loss"], side="right") - 1, 0, nb - 1)
    bins = (pts.assign(bin=b).groupby("bin")
            .agg(loss=("loss", "mean"), alpha=("index_fraction", "mean"), sd=("index_fraction", "std"),
                 count=("loss", "size")).reset_index())
    bins["se"] = bins["sd"].fillna(0) / np.sqrt(bins["count"])
    phi = n / (params["m"] * params["outputs"])
    fit = {"phi": phi, "params": n}
    try:
        good = bins["loss"] > 0
        x_c, a0 = fit_three_halves_law(bins.loc[good, "loss"], bins.loc[good, "alpha"])
        fit.update({"loss_c": float(x_c), "alpha0": float(a0)})
    except (ValueError, RuntimeError) as exc:
        fit.update({"loss_c": math.nan, "alpha0": math.nan, "fit_error": str(exc)})
    atomic_write_csv(out / "points.csv", pts)
    atomic_write_csv(out / "bins.csv", bins)
    atomic_write_json(out / "fit.json", fit)
    return params


def run_experiment(spec: dict, out, *, workers=None, quick=False, progress=True) -> list[Path]:
    """Run the landscape study ``spec["study"]`` into ``out``; tables, ``meta.json``, figures."""
    out = Path(out)
    study = spec.get("study")
    if study not in STUDIES:
        raise ValueError(f"{spec.get('name', 'landscape spec')}: 'study' must be one of {', '.join(STUDIES)}, got {study!r}")
    entropy = int(spec["seed"]) if "seed" in spec else fresh_entropy()
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    run = {"pspin": _pspin, "linear_autoencoder": _autoencoder, "mlp": _mlp}[study]
    settings = run(spec, out, workers, quick, progress, entropy)
    meta = {"kind": "landscape", "study": study, "spec": spec, "settings": settings, "quick": quick,
            "seed_entropy": str(entropy), "provenance": provenance(),
            "timings": {"wall_seconds": round(time.perf_counter() - t0, 3), "workers": workers}}
    atomic_write_json(out / "meta.json", meta)
    return [out / "meta.json", *plot_experiment(out)]


def plot_experiment(out) -> list[Path]:
    """Remake the study's figures from its tables (never simulates)."""
    from saddlesim.plots import landscape as lp
    from saddlesim.plots.style import save_figure

    out = Path(out)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    study = meta["study"]
    paths = []
    if study == "pspin":
        p = int(meta["settings"]["p"])
        counts, sat = pd.read_csv(out / "counts.csv"), pd.read_csv(out / "saturation.csv")
        paths += save_figure(lp.plot_pspin_counts(counts, sat), out / "pspin_counts")
        paths += save_figure(lp.plot_pspin_energy_index(pd.read_csv(out / "points.csv"), p), out / "pspin_energy_index")
        paths += save_figure(lp.plot_pspin_pmin(pd.read_csv(out / "pmin.csv")), out / "pspin_pmin")
    elif study == "linear_autoencoder":
        fig = lp.plot_autoencoder(pd.read_csv(out / "classes.csv"), pd.read_csv(out / "points.csv"),
                                  pd.read_csv(out / "rejected.csv"), pd.read_csv(out / "recovery.csv"))
        paths += save_figure(fig, out / "autoencoder_critical_points")
    else:
        fit = json.loads((out / "fit.json").read_text(encoding="utf-8"))
        fig = lp.plot_mlp_index_vs_loss(pd.read_csv(out / "points.csv"), pd.read_csv(out / "bins.csv"), fit)
        paths += save_figure(fig, out / "mlp_index_vs_loss")
    return paths
