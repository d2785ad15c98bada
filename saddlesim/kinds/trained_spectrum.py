"""The ``kind = "trained_spectrum"`` experiment: Hessian spectra of digits classifiers along training.

Two tanh MLPs on scikit-learn's digits (1797 × 64, 10 classes), trained full
batch in float64 with Adam: a *checkable* one (64→32→10, 2410 parameters),
whose Hessian is also formed and decomposed, and a *large* one
(64→256→256→10, 85 002 parameters), seen only through Hessian-vector
products. At evenly spaced checkpoints (the start included):

- the spectral density by stochastic Lanczos quadrature (SLQ; Ubaru, Chen & Saad 2017);
- the top eigenvalues by Lanczos, against the number of classes (Sagun et al.
  2017, Papyan 2020: about as many outliers as classes);
- the index #{λ < −τ} with its 95 % interval and the negative mass index/n,
  against the coin-flip ½ (each sign a fair coin), for each τ in ``taus``;
- |∇L|: training checkpoints are **not critical points**, so "index" here
  is the number of negative curvature directions of a point, not of a saddle.

On the checkable network, against the dense eigenvalues at every checkpoint:
SLQ interval coverage of the dense count over ``coverage_seeds`` independent
probe sets — the reported interval, which covers quadrature error and probe
noise, and for contrast the t-interval of probe noise alone (the coverage
runs use the formed Hessian's products, the same
algorithm on the same numbers to rounding: ``hvp_vs_dense`` records the
largest relative difference seen); Lanczos extreme eigenvalues against
``eigvalsh``; the certified count (:mod:`saddlesim.curvature.certify`)
against the dense count.

Spec keys (each has a default in :data:`DEFAULTS`): ``seed``, ``dataset``,
``weight_decay``, ``lr``, ``networks`` (table: name → ``hidden``, ``steps``,
``checkpoints``, ``probes``, ``lanczos_steps``, ``top``, ``top_steps`` (Lanczos
budget for the top eigenvalues), ``check``), ``taus``
(absolute thresholds), ``coverage_seeds``, ``certify_max_steps``, and
``[quick]`` overriding any of them.

Writes ``checkpoints.csv``, ``density.csv``, ``top_eigenvalues.csv``,
``checks.csv``, ``coverage.csv``, ``parameters.npz`` (the parameter vector of
every checkpoint, compressed; each network's description, layout and loss in
``meta.json`` under ``summary.models``), ``meta.json`` and the figures of
:func:`plot_experiment`.

No τ may sit on the weight decay: every parameter the data loss does not
touch (dead pixels, some hidden-unit and bias symmetries) gives an eigenvalue
exactly +wd, so a count of |λ| ≤ τ at τ = wd is decided by rounding (129 such
eigenvalues on the checkable network: 753 vs 743 recomputed). Such a τ is
refused.

References
----------
Sagun, Evci, Güney, Dauphin & Bottou (2017), Empirical analysis of the Hessian
of over-parametrized neural networks, arXiv:1706.04454.
Ghorbani, Krishnan & Xiao (2019), ICML, arXiv:1901.10159.
Papyan (2020), JMLR 21(252), arXiv:2008.11865.
Ubaru, Chen & Saad (2017), SIAM J. Matrix Anal. Appl. 38(4), 1075–1099.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.curvature.certify import certified_index
from saddlesim.curvature.lanczos import extreme_eigenpairs
from saddlesim.curvature.operators import landscape_operator, matrix_operator
from saddlesim.curvature.slq import slq
from saddlesim.runtime.io import atomic_path, atomic_write_csv, read_tables
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record

__all__ = ["run_experiment", "plot_experiment", "DEFAULTS", "NETWORK_KEYS"]

#: Stream key of each network name (fixed, so adding one never changes another's draws).
NETWORK_KEYS = {"checkable": 0, "large": 1}

DEFAULTS = {
    "seed": 20261203,
    "dataset": "digits",
    "weight_decay": 1e-3,
    "lr": 1e-2,
    "taus": [2e-3, 1e-4],  # never the weight decay (see the module docstring)
    "coverage_seeds": 20,
    "certify_max_steps": 800,
    "networks": {
        "checkable": {"hidden": [32], "steps": 600, "checkpoints": 3, "probes": 20, "lanczos_steps": 80,
                      "top": 20, "check": True},
        "large": {"hidden": [256, 256], "steps": 600, "checkpoints": 3, "probes": 8, "lanczos_steps": 40,
                  "top": 15, "top_steps": 100, "check": False},
    },
}


def _parse(spec: dict, quick: bool) -> dict:
    cfg = {k: spec.get(k, v) for k, v in DEFAULTS.items()}
    if quick:
        cfg.update(spec.get("quick", {}))
    unknown = sorted(set(cfg["networks"]) - set(NETWORK_KEYS))
    if unknown:
        raise ValueError(f"spec 'networks': unknown {', '.join(unknown)}; use {', '.join(NETWORK_KEYS)}")
    for name, net in cfg["networks"].items():
        for key in ("steps", "checkpoints", "probes", "lanczos_steps", "top"):
            v = net.get(key)
            if isinstance(v, bool) or not isinstance(v, int) or v < (2 if key in ("checkpoints", "probes") else 1):
                raise ValueError(f"spec networks.{name}.{key} must be an integer >= 2 (>= 1 for steps), got {v!r}")
    if not cfg["taus"] or any(not (float(t) > 0) for t in cfg["taus"]):
        raise ValueError("spec 'taus' must be a non-empty list of numbers > 0")
    wd = float(cfg["weight_decay"])
    for t in cfg["taus"]:
        if wd > 0 and abs(float(t) - wd) <= 0.01 * wd:
            raise ValueError(f"spec 'taus': τ = {float(t):g} is the weight decay, where every parameter the data "
                             "does not touch puts an eigenvalue exactly: the count at it is decided by rounding; "
                             "take a τ away from it")
    return cfg


def _rng(cfg, *key):
    return np.random.default_rng(np.random.SeedSequence(cfg["seed"], spawn_key=key))


def _dense_hessian(land, x) -> np.ndarray:
    """H from HVPs over blocks of basis vectors (:mod:`saddlesim.curvature.dense`; 2× faster than one by one)."""
    return land.hessian(x)


def _network(cfg, name, progress):
    from saddlesim.landscapes.classifier import MLPClassifier, train
    from saddlesim.landscapes.datasets import load_dataset

    net = cfg["networks"][name]
    key = NETWORK_KEYS[name]
    data = load_dataset(cfg["dataset"])
    model = MLPClassifier(data, hidden=tuple(net["hidden"]), weight_decay=float(cfg["weight_decay"]))
    land = model.landscape()
    run = train(model, _rng(cfg, key, 0), optimizer="adam", steps=net["steps"], lr=float(cfg["lr"]),
                checkpoints=net["checkpoints"])
    rows, dens, tops, checks, cover = [], [], [], [], []
    params = {}
    for c, (step, x, loss) in enumerate(zip(run.steps, run.points, run.losses)):
        params[f"{name}_step{int(step)}"] = np.asarray(x, dtype=np.float64)
        if progress:
            print(f"  {name} (n = {model.dim}): checkpoint {c + 1}/{len(run.steps)}, step {step}", flush=True)
        op = landscape_operator(land, x)
        res = slq(op, probes=net["probes"], steps=net["lanczos_steps"], rng=_rng(cfg, key, 1, c))
        top = extreme_eigenpairs(op, net["top"], which="largest", rtol=1e-6, max_steps=net.get("top_steps", 300),
                                 rng=_rng(cfg, key, 2, c))
        nodes, weights = res.density()
        dens.append(pd.DataFrame({"network": name, "step": int(step), "node": nodes, "weight": weights}))
        vals, bounds = top["largest"], top["largest_bounds"]
        tops.append(pd.DataFrame({"network": name, "step": int(step), "rank": np.arange(1, vals.size + 1),
                                  "value": vals, "bound": bounds}))
        ratio = vals[:-1] / np.maximum(vals[1:], 1e-300)
        base = {"network": name, "n": model.dim, "hidden": "-".join(map(str, net["hidden"])), "step": int(step),
                "loss": float(loss), "accuracy": model.accuracy(x),
                "grad_norm": float(np.linalg.norm(land.gradient(x))),
                "lambda_max": float(vals[0]), "lambda_min_slq": res.extremes[0],
                "outliers_by_gap": int(np.argmax(ratio[vals[1:] > 0]) + 1) if np.any(vals[1:] > 0) else 0,
                "classes": int(data.n_classes), "probes": net["probes"], "lanczos_steps": net["lanczos_steps"]}
        for tau in cfg["taus"]:
            b, z = res.count_below(-float(tau)), res.count_within(float(tau))
            rows.append({**base, "tau": float(tau), "index": b["estimate"], "index_lo": b["lo"],
                         "index_hi": b["hi"], "index_probe_lo": b["probe_lo"], "index_probe_hi": b["probe_hi"],
                         "negative_mass": b["estimate"] / model.dim,
                         "negative_mass_lo": b["lo"] / model.dim, "negative_mass_hi": b["hi"] / model.dim,
                         "nullity": z["estimate"], "nullity_lo": z["lo"], "nullity_hi": z["hi"]})
        if net.get("check"):
            ch, cv = _check(cfg, land, x, op, net, key, c, int(step))
            checks += ch
            cover += cv
    return rows, dens, tops, checks, cover, (model.describe(), params)


def _check(cfg, land, x, op, net, key, c, step):
    """Dense eigenvalues against SLQ intervals, Lanczos extremes and the certified count at one checkpoint."""
    H = _dense_hessian(land, x)
    lam = np.linalg.eigvalsh(H)
    dense_op = matrix_operator(H)
    v = _rng(cfg, key, 3, c).standard_normal((3, land.dim))
    hvp_diff = max(float(np.linalg.norm(land.hvp(x, u) - H @ u) / np.linalg.norm(H @ u)) for u in v)
    ext = extreme_eigenpairs(op, 1, rtol=1e-12, max_steps=600, rng=_rng(cfg, key, 4, c))
    rows, cover = [], []
    taus = [float(t) for t in cfg["taus"]]
    # one SLQ run per probe set, read at every τ
    seeds = np.random.SeedSequence(cfg["seed"], spawn_key=(key, 5, c)).spawn(int(cfg["coverage_seeds"]))
    runs = [slq(dense_op, probes=net["probes"], steps=net["lanczos_steps"], rng=np.random.default_rng(child))
            for child in seeds]
    for t_i, tau in enumerate(taus):
        dense_index, dense_null = int(np.sum(lam < -tau)), int(np.sum(np.abs(lam) <= tau))
        hits_i = hits_n = hits_p = 0
        widths, pwidths, nwidths, ests = [], [], [], []
        for s, r in enumerate(runs):
            b, z = r.count_below(-tau), r.count_within(tau)
            hi_ok = b["lo"] <= dense_index <= b["hi"]
            hn_ok = z["lo"] <= dense_null <= z["hi"]
            hp_ok = b["probe_lo"] <= dense_index <= b["probe_hi"]
            hits_i += hi_ok
            hits_n += hn_ok
            hits_p += hp_ok
            widths.append(b["hi"] - b["lo"])
            pwidths.append(b["probe_hi"] - b["probe_lo"])
            nwidths.append(z["hi"] - z["lo"])
            ests.append(b["estimate"])
            cover.append({"step": step, "tau": tau, "probe_seed": s, "dense_index": dense_index,
                          "index": b["estimate"], "index_lo": b["lo"], "index_hi": b["hi"], "covered": bool(hi_ok),
                          "index_probe_lo": b["probe_lo"], "index_probe_hi": b["probe_hi"],
                          "probe_covered": bool(hp_ok),
                          "dense_nullity": dense_null, "nullity": z["estimate"], "nullity_lo": z["lo"],
                          "nullity_hi": z["hi"], "nullity_covered": bool(hn_ok)})
        cert = certified_index(op, tau, max_steps=int(cfg["certify_max_steps"]), rng=_rng(cfg, key, 6, c, t_i))
        rows.append({
            "step": step, "n": land.dim, "tau": tau, "dense_index": dense_index, "dense_nullity": dense_null,
            "coverage_seeds": len(seeds), "index_coverage": hits_i / len(seeds),
            "nullity_coverage": hits_n / len(seeds), "index_mean_width": float(np.mean(widths)),
            "nullity_mean_width": float(np.mean(nwidths)),
            "index_probe_coverage": hits_p / len(seeds), "index_probe_mean_width": float(np.mean(pwidths)),
            "index_bias": float(np.mean(ests) - dense_index),
            "certified_index": -1 if cert["index"] is None else int(cert["index"]),
            "certified_lower": int(cert["lower"]), "certified_status": cert["status"],
            "certified_delta": cert["delta"], "certified_hvps": int(cert["hvps"]),
            "certified_equals_dense": cert["index"] == dense_index if cert["index"] is not None else None,
            "eig_min": float(lam[0]), "eig_max": float(lam[-1]),
            "lanczos_min": float(ext["smallest"][0]), "lanczos_min_bound": float(ext["smallest_bounds"][0]),
            "lanczos_max": float(ext["largest"][0]), "lanczos_max_bound": float(ext["largest_bounds"][0]),
            "lanczos_min_relerr": abs(float(ext["smallest"][0]) - lam[0]) / abs(lam[0]),
            "lanczos_max_relerr": abs(float(ext["largest"][0]) - lam[-1]) / abs(lam[-1]),
            "lanczos_steps": int(ext["steps"]), "hvp_vs_dense": hvp_diff,
        })
    return rows, cover


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True) -> Path:
    """Train both networks, measure their spectra, check the small one; write tables, meta.json, figures."""
    out = Path(out)
    watch = Stopwatch()
    cfg = _parse(spec, quick)
    parts = {k: [] for k in ("checkpoints", "density", "top_eigenvalues", "checks", "coverage")}
    models, params = {}, {}
    from threadpoolctl import threadpool_limits

    # one BLAS thread: the products here are small (n × m panels), and threaded BLAS on a
    # shared 2-core machine spent more time waiting than multiplying (measured 100x slower)
    with threadpool_limits(1):
        for name in cfg["networks"]:
            *got, (models[name], xs) = _network(cfg, name, progress)
            params.update(xs)
            for k, g in zip(parts, got):
                parts[k] += g
    tables = {
        "checkpoints": pd.DataFrame(parts["checkpoints"]),
        "density": pd.concat(parts["density"], ignore_index=True),
        "top_eigenvalues": pd.concat(parts["top_eigenvalues"], ignore_index=True),
        "checks": pd.DataFrame(parts["checks"]),
        "coverage": pd.DataFrame(parts["coverage"]),
    }
    for key, df in tables.items():
        atomic_write_csv(out / f"{key}.csv", df.round(12) if key == "density" else df)
    # every checkpoint a table reports on, so anyone can recompute its loss and Hessian without retraining
    with atomic_path(out / "parameters.npz") as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **params)
    checks = tables["checks"]
    summary = {"rows": {f"{k}.csv": int(len(v)) for k, v in tables.items()},
               "models": models,
               "parameters": "parameters.npz: array '<network>_step<step>' (float64, shape (n,)) for every row of "
                             "checkpoints.csv; the layout and loss are in models.<network>"}
    if len(checks):
        summary.update({
            "min_index_coverage": float(checks["index_coverage"].min()),
            "min_nullity_coverage": float(checks["nullity_coverage"].min()),
            "min_index_probe_coverage": float(checks["index_probe_coverage"].min()),
            "max_lanczos_max_relerr": float(checks["lanczos_max_relerr"].max()),
            "max_lanczos_min_relerr": float(checks["lanczos_min_relerr"].max()),
            "certified": int((checks["certified_index"] >= 0).sum()),
            "certified_equal_dense": int((checks["certified_equals_dense"] == True).sum()),  # noqa: E712
            "checks": int(len(checks)),
        })
    write_record(out, make_record("trained_spectrum", resolved_spec(spec, cfg, quick=quick), seed_entropy=cfg["seed"],
                                  timings=watch.timings(workers=1), summary=summary))
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake ``density``, ``index_along_training``, ``outliers`` and ``checks`` (.png, .pdf) from the tables."""
    from saddlesim.plots.spectrum import plot_checks, plot_index_along_training, plot_outliers, plot_training_densities
    from saddlesim.plots.style import save_figure

    out = Path(out)
    points, density, top, checks, coverage = read_tables(
        out, "checkpoints.csv", "density.csv", "top_eigenvalues.csv", "checks.csv", "coverage.csv")
    paths = save_figure(plot_training_densities(density, points), out / "density")
    paths += save_figure(plot_index_along_training(points), out / "index_along_training")
    paths += save_figure(plot_outliers(top, points), out / "outliers")
    if len(checks):
        paths += save_figure(plot_checks(checks, coverage), out / "checks")
    return paths
