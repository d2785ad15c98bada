"""Experiment kind ``"exact-wall"``: exact finite-n values at walls against the large-n laws.

Two checks of the large-n theory by the exact finite-n one:

1. Dean & Majumdar's Φ₋: at the wall ``t = -ζ√(βn)`` the exact
   ``f(n) = -ln P(λ_min > t)/(βn²)`` is extrapolated in 1/n
   (:func:`~saddlesim.theory.asymptotics.fit_rate`) and compared with Φ₋(ζ).
2. The mean index fraction of ``G + s·I`` (:func:`~saddlesim.theory.mean_index`)
   at ``s = x√(2βn)`` against the semicircle's α(x).

Spec keys (``experiments/exact_wall.toml``):

``zetas``        walls in Dean & Majumdar's units (default ``[-0.5, 0, 0.5, 1]``)
``rate_ns``      table ``{"1": [...], "2": [...], "4": [...]}`` of dimensions per β
``index_ns``     dimensions for the mean index (default ``[5, 10, 20, 50]``)
``index_betas``  (default ``[1, 2]``)
``index_x``      ``[start, stop, points]`` of scaled shifts (default ``[-1.2, 1.2, 25]``)

Writes ``rate.csv``, ``rate_fits.csv``, ``mean_index.csv``, ``meta.json`` and
the figures of :func:`plot_experiment`. Deterministic; ``workers`` changes only
the wall time. Budget: ~3 min CPU (GOE n = 100 dominates); ``quick=True``
keeps n ≤ :data:`QUICK_N_MAX` (~10 s).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.runtime.io import atomic_write_csv, read_tables
from saddlesim.runtime.parallel import map_all
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.theory.asymptotics import dean_majumdar_rate, semicircle_index_fraction
from saddlesim.theory.exact import MAX_GSE_N, has_exact, log_p_above
from saddlesim.theory.mean_index import MAX_MEAN_INDEX_N, mean_index_fraction
from saddlesim.theory.shifted import semicircle_radius

__all__ = ["run_experiment", "plot_experiment", "fit_rows", "QUICK_N_MAX"]

#: ``quick=True`` keeps dimensions up to here.
QUICK_N_MAX = 20

_DEFAULT_RATE_NS = {"1": list(range(10, 101, 10)), "2": list(range(10, 101, 10)), "4": list(range(6, 41, 4))}


def _rate_cell(task):
    beta, zeta, n = task
    t = -zeta * math.sqrt(beta * n)
    lp = log_p_above(n, t, beta)
    return {"beta": float(beta), "zeta": zeta, "n": n, "wall": t, "log_p": lp,
            "f": -lp / (beta * n * n), "phi_dm": dean_majumdar_rate(zeta)}


def _index_cell(task):
    beta, n, x = task
    s = x * semicircle_radius(n, beta)
    return {"beta": float(beta), "n": n, "x": x, "shift": s,
            "fraction_exact": mean_index_fraction(n, s, beta),
            "fraction_semicircle": semicircle_index_fraction(x)}


def _parse_spec(spec: dict, quick: bool):
    zetas = [float(z) for z in spec.get("zetas", [-0.5, 0.0, 0.5, 1.0])]
    if any(not z < math.sqrt(2) for z in zetas):
        raise ValueError(f"spec 'zetas' must lie below the edge √2, got {zetas}")
    rate_ns = {int(b): [int(n) for n in ns] for b, ns in spec.get("rate_ns", _DEFAULT_RATE_NS).items()}
    for b, ns in rate_ns.items():
        if not ns or any(not has_exact(b, n) or n < 1 for n in ns):
            raise ValueError(f"spec 'rate_ns' for beta={b}: need exact results at every n, got {ns}")
    index_ns = [int(n) for n in spec.get("index_ns", [5, 10, 20, 50])]
    index_betas = [int(b) for b in spec.get("index_betas", [1, 2])]
    if any(n > MAX_MEAN_INDEX_N or n < 1 for n in index_ns):
        raise ValueError(f"spec 'index_ns' must lie in 1..{MAX_MEAN_INDEX_N}, got {index_ns}")
    if any(not has_exact(b) for b in index_betas) or (4 in index_betas and max(index_ns) > MAX_GSE_N):
        raise ValueError(f"spec 'index_betas' must be 1, 2 or 4 (GSE n <= {MAX_GSE_N}), got {index_betas}")
    lo, hi, k = spec.get("index_x", [-1.2, 1.2, 25])
    xs = [float(v) for v in np.linspace(float(lo), float(hi), int(k))]
    if quick:
        rate_ns = {b: [n for n in ns if n <= QUICK_N_MAX] for b, ns in rate_ns.items()}
        index_ns = [n for n in index_ns if n <= QUICK_N_MAX]
        xs = xs[:: max(1, len(xs) // 9)]
    return zetas, rate_ns, index_ns, index_betas, xs


def fit_rows(rate: pd.DataFrame) -> pd.DataFrame:
    """Fit ``f(n) = Φ + a/n + c ln n/n² + b/n²`` per (β, ζ) from ``rate.csv`` rows.

    Returns
    -------
    fits : DataFrame
        ``beta, zeta, phi_fit, a, c, b, phi_dm, n_min, n_max, f_at_n_max``;
        ``phi_fit`` NaN where fewer than 4 dimensions are available.
    """
    rows = []
    for (beta, zeta), part in rate.groupby(["beta", "zeta"], sort=True):
        part = part.sort_values("n")
        n = part["n"].to_numpy(float)
        f = part["f"].to_numpy(float)
        coef = [math.nan] * 4
        if len(n) >= 4:
            X = np.column_stack([np.ones_like(n), 1 / n, np.log(n) / n**2, 1 / n**2])
            coef = np.linalg.lstsq(X, f, rcond=None)[0].tolist()
        rows.append({"beta": beta, "zeta": zeta, "phi_fit": coef[0], "a": coef[1], "c": coef[2],
                     "b": coef[3], "phi_dm": float(part["phi_dm"].iloc[0]), "n_min": int(n.min()),
                     "n_max": int(n.max()), "f_at_n_max": float(f[-1])})
    return pd.DataFrame(rows)


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True,
                   scheduler=None) -> Path:
    """Compute the wall tables and write them with ``meta.json`` and figures into ``out``.

    Parameters
    ----------
    spec : dict
        Parsed spec (see the module docstring).
    out : Path
    workers : int, optional
        Processes; default one per core; 1 runs in this process.
    scheduler : str or saddlesim.runtime.cluster.DaskCluster, optional
        Run the cells on Dask instead (:func:`saddlesim.runtime.parallel.map_unordered`).
    quick : bool
        Dimensions up to :data:`QUICK_N_MAX` only.
    progress : bool

    Returns
    -------
    out : Path
    """
    out = Path(out)
    zetas, rate_ns, index_ns, index_betas, xs = _parse_spec(spec, quick)
    # Largest n first: cost grows like n³, so the long tasks start early.
    rate_tasks = sorted(((b, z, n) for b, ns in rate_ns.items() for z in zetas for n in ns),
                        key=lambda t: -t[2] * (2 if t[0] == 4 else 1))
    index_tasks = sorted(((b, n, x) for b in index_betas for n in index_ns for x in xs), key=lambda t: -t[1])
    watch = Stopwatch()
    rate = map_all(_rate_cell, rate_tasks, workers=workers, scheduler=scheduler, progress=progress, label="exact walls")
    index = map_all(_index_cell, index_tasks, workers=workers, scheduler=scheduler, progress=progress,
                    label="mean index")
    rate = pd.DataFrame([rate[t] for t in rate_tasks]).sort_values(["beta", "zeta", "n"]).reset_index(drop=True)
    index = pd.DataFrame([index[t] for t in index_tasks]).sort_values(["beta", "n", "x"]).reset_index(drop=True)
    fits = fit_rows(rate)
    atomic_write_csv(out / "rate.csv", rate)
    atomic_write_csv(out / "rate_fits.csv", fits)
    atomic_write_csv(out / "mean_index.csv", index)
    settings = {"rate_ns": {str(b): ns for b, ns in rate_ns.items()}, "zetas": zetas,
                "index_ns": index_ns, "index_betas": index_betas, "index_x": xs}
    summary = {
        "phi_fit": {f"beta={r.beta:g},zeta={r.zeta:g}": float(r.phi_fit) for r in fits.itertuples(index=False)},
        "phi_dean_majumdar": {f"beta={r.beta:g},zeta={r.zeta:g}": float(r.phi_dm) for r in fits.itertuples(index=False)},
        "files": {"rate.csv": "exact -ln P(lambda_min > zeta*sqrt(2 beta n)) / (beta n^2) per (beta, zeta, n)",
                  "rate_fits.csv": "large-n fit of the rate per (beta, zeta) beside Dean-Majumdar",
                  "mean_index.csv": "exact mean index fraction per (beta, n, x) beside the semicircle"},
    }
    write_record(out, make_record("exact-wall", resolved_spec(spec, settings, quick=quick), seed_entropy=None,
                                  timings=watch.timings(workers=workers), summary=summary))
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake ``rate_convergence`` and ``mean_index`` figures from the tables in ``out``."""
    from saddlesim.plots.style import save_figure
    from saddlesim.plots.wall import plot_mean_index, plot_rate_convergence

    out = Path(out)
    rate, fits, index = read_tables(out, "rate.csv", "rate_fits.csv", "mean_index.csv")
    paths = save_figure(plot_rate_convergence(rate, fits), out / "rate_convergence")
    paths += save_figure(plot_mean_index(index), out / "mean_index")
    return paths
