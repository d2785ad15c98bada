"""Experiment kind ``"energy"``: P(min) and the index against an energy shift H = G + s·I.

In a random landscape the Hessian at a critical point of lower energy is a
right-shifted random matrix (in the spherical p-spin exactly a GOE shifted by
-p·u; Auffinger, Ben Arous & Černý 2013), so the curve that matters is P(min)
and the mean index fraction against the shift. Shifts are given on the scale
of the spectrum, ``x = s / sqrt(2 beta n)`` (x = 1: the whole semicircle moved
to the right of 0), so that every n shares one axis.

Spec keys (``experiments/energy.toml``)::

    kind = "energy"
    title = "..."
    models = ["goe"]             # names or {name, beta} tables, as kind "sweep"
    n = [5, 10, 20, 50]
    x = "-0.25:1.5:36"           # scaled shifts: list or START:STOP:POINTS
    samples = 1_000_000          # draws per (model, n); all shifts share them
    quick_samples = 20_000       # with --quick
    quick_x = "0:1.2:7"          # with --quick (default: every third x)
    seed = 20261126              # root entropy; omitted = fresh, recorded in meta.json
    exact_mean_index_points = 12 # exact finite-n mean index at this many of the x (costly at n = 50)

    [wishart_wigner]             # optional: panel (c), Pennington & Bahri's H0 + H1
    phi = [0.25, 0.5, 0.75]
    n = 200                      # dense matrices
    samples = 40                 # per (phi, eps)
    excess = [0.1, 0.3, 1, 3, 10]  # eps = eps_c(phi) (1 + excess)
    quick_n = 60
    quick_samples = 8

    [rare]                       # optional: rare-event estimates below Monte Carlo's reach
    walkers = 200                # per replicate (saddlesim.rare.estimate_p_min)
    replicates = 8
    below = 100                  # at shifts x >= 0 where Monte Carlo saw fewer minima
    quick_walkers = 50           # with --quick
    quick_replicates = 4

Writes ``p_min.csv`` (the sweep's ``results.csv`` columns, one row per
(model, n, shift), plus ``x``), ``rare.csv`` (with ``[rare]``: rare-event
``log10 P(min)`` with its 95 % interval at the shifts x >= 0 where Monte
Carlo saw fewer than ``below`` minima; all shifts of a (model, n) from one
splitting run that passes their walls on its way to lambda_min > 0),
``ww_index.csv`` and ``ww_theory.csv`` (with
``[wishart_wigner]``: Monte Carlo index fraction of H0 + H1 against eps for
each phi, and the free-convolution alpha(eps, phi) with the 3/2 law near
eps_c(phi)), ``index_fraction.csv`` (mean index fraction
per (model, n, shift) with its standard error, the exact finite-n mean
fraction at ``exact_mean_index_points`` of the shifts (GOE/GUE/GSE), and the
semicircle alpha(x)),
``meta.json`` and the figures of :func:`plot_experiment`. Exact values come
through :func:`saddlesim.theory.shifted.model_log_p_min_shifted` (``exact_*``
columns; NaN where it has none), and the figure draws them wherever present,
beside the Dean–Majumdar large-n leading order ``dm_log10_p_min``
(:func:`saddlesim.theory.asymptotics.dean_majumdar_log_p_above`).

References
----------
A. J. Bray and D. S. Dean, Phys. Rev. Lett. 98 (2007) 150201; Y. V. Fyodorov,
Phys. Rev. Lett. 92 (2004) 240601; A. Auffinger, G. Ben Arous and J. Černý,
Comm. Pure Appl. Math. 66 (2013) 165–201.
"""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.runtime.io import atomic_write_csv, read_tables
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.runtime.parsing import parse_float_list
from saddlesim.kinds.sweep import models_from_spec, ns_from_spec
from saddlesim.sweep.plan import make_plan
from saddlesim.sweep.run import sweep_counts
from saddlesim.sweep.table import results_table
from saddlesim.theory.asymptotics import dean_majumdar_log_p_above, semicircle_index_fraction
from saddlesim.theory.exact import has_exact
from saddlesim.theory.mean_index import MAX_MEAN_INDEX_N, mean_index_fraction
from saddlesim.theory.shifted import semicircle_radius

__all__ = ["SPEC_KEYS", "run_experiment", "plot_experiment", "index_fraction_table"]

SPEC_KEYS = {"kind", "name", "title", "description", "models", "n", "x", "samples", "quick_samples", "seed",
             "rare", "exact_mean_index_points", "quick_x", "wishart_wigner"}
WW_KEYS = {"phi", "n", "samples", "excess", "quick_n", "quick_samples"}
_LN10 = np.log(10.0)
RARE_KEYS = {"walkers", "replicates", "below", "quick_walkers", "quick_replicates"}
_QUICK_SAMPLES = 20_000


def _xs(value, where: str) -> list[float]:
    if isinstance(value, str):
        return parse_float_list(value, name=f"{where}: x")
    if not isinstance(value, list) or not value or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(f"{where}: 'x' must be a list of numbers or a range like '-0.25:1.5:36'")
    return [float(v) for v in value]


def _parse(spec: dict, quick: bool):
    where = f"experiment {spec.get('name', '?')!r}"
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(SPEC_KEYS))}")
    for key in ("models", "n", "x", "samples"):
        if key not in spec:
            raise ValueError(f"{where}: missing key {key!r}")
    points = spec.get("exact_mean_index_points", 12)
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise ValueError(f"{where}: exact_mean_index_points must be an integer >= 0, got {points!r}")
    samples = spec["samples"]
    if quick and isinstance(samples, int):
        samples = min(samples, spec.get("quick_samples", _QUICK_SAMPLES))
    if "wishart_wigner" in spec:
        _ww_parse(spec["wishart_wigner"], where)
    rare = spec.get("rare")
    if rare is not None:
        if not isinstance(rare, dict) or set(rare) - RARE_KEYS:
            raise ValueError(f"{where}: 'rare' must be a table with keys among {', '.join(sorted(RARE_KEYS))}")
        for key, value in rare.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{where}: rare.{key} must be an integer >= 1, got {value!r}")
    xs = _xs(spec["x"], where)
    if quick:
        # exact theory costs per shift (0.4 s per wall at n = 50): fewer shifts keep --quick quick
        xs = _xs(spec["quick_x"], where) if "quick_x" in spec else xs[::3]
    return models_from_spec(spec["models"], where), ns_from_spec(spec["n"], where), xs, samples, where


def _rare_rows(model, n, xs, shifts, minima, rare: dict, quick: bool, entropy: int, workers) -> list[dict]:
    """Rare-event log10 P(min) at the shifts x >= 0 where Monte Carlo saw fewer than ``below`` minima."""
    from saddlesim.rare import estimate_p_min
    from saddlesim.sweep.plan import Cell

    pick = [i for i, (x, k) in enumerate(zip(xs, minima)) if x >= 0 and k < rare.get("below", 100)]
    if not pick or not model.is_gaussian:
        return []
    walkers = rare.get("quick_walkers", 50) if quick else rare.get("walkers", 200)
    replicates = rare.get("quick_replicates", 4) if quick else rare.get("replicates", 8)
    # its own stream, keyed by what it is: (tag "energy-rare", model, n)
    seq = np.random.SeedSequence(entropy, spawn_key=(zlib.crc32(b"energy-rare"), *Cell(model, n).key))
    est = estimate_p_min(n, model, walkers=walkers, replicates=replicates, rng=seq, workers=workers,
                         shifts=[shifts[i] for i in pick])
    by_shift = dict(zip(est.shifts, est.log10_shifts))
    rows = []
    for i in pick:
        lp, lo, hi = by_shift[min(by_shift, key=lambda s: abs(s - shifts[i]))]
        rows.append({"model": model.name, "beta": model.beta, "n": n, "shift": shifts[i], "x": xs[i],
                     "log10_p_min": lp, "log10_p_min_lo": lo, "log10_p_min_hi": hi,
                     "walkers": walkers, "replicates": replicates, "mixing_flag": bool(est.mixing_flag)})
    return rows


def index_fraction_table(plan, counts) -> pd.DataFrame:
    """Mean index fraction E[index]/n per cell over its non-degenerate draws, with its standard error.

    Returns
    -------
    DataFrame
        ``model, beta, n, shift, samples, mean_index_fraction, mean_index_fraction_se``.
    """
    rows = []
    for cell, c in zip(plan.cells, counts):
        c = np.asarray(c, dtype=float)[: cell.n + 1]  # drop the degenerate bin
        k = np.arange(cell.n + 1) / cell.n
        total = c.sum()
        mean = float((k * c).sum() / total)
        var = float((k * k * c).sum() / total - mean * mean)
        rows.append({
            "model": cell.model.name,
            "beta": np.nan if cell.model.beta is None else cell.model.beta,
            "n": cell.n,
            "shift": cell.shift,
            "samples": int(total),
            "mean_index_fraction": mean,
            "mean_index_fraction_se": float(np.sqrt(max(var, 0.0) / total)),
        })
    return pd.DataFrame(rows)


def _exact_mean_fraction(model, n: int, shifts, spec, quick: bool) -> np.ndarray:
    """Exact mean index / n at ``exact_mean_index_points`` evenly spread shifts; NaN elsewhere."""
    out = np.full(len(shifts), np.nan)
    points = spec.get("exact_mean_index_points", 12)
    if quick:
        points = min(points, 4)
    if not model.is_gaussian or not has_exact(model.beta, n) or n > MAX_MEAN_INDEX_N or points < 1:
        return out
    for i in sorted(set(np.linspace(0, len(shifts) - 1, min(points, len(shifts))).round().astype(int))):
        out[i] = mean_index_fraction(n, shifts[i], model.beta)
    return out


def _ww_parse(ww, where: str) -> dict:
    if not isinstance(ww, dict) or set(ww) - WW_KEYS:
        raise ValueError(f"{where}: 'wishart_wigner' must be a table with keys among {', '.join(sorted(WW_KEYS))}")
    out = {"phi": ww.get("phi", [0.25, 0.5, 0.75]), "excess": ww.get("excess", [0.1, 0.3, 1, 3, 10])}
    for key in ("phi", "excess"):
        v = out[key]
        if not isinstance(v, list) or not v or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x > 0 for x in v
        ):
            raise ValueError(f"{where}: wishart_wigner.{key} must be a list of positive numbers")
    for key, default in (("n", 200), ("samples", 40), ("quick_n", 60), ("quick_samples", 8)):
        v = ww.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{where}: wishart_wigner.{key} must be an integer >= 1, got {v!r}")
        out[key] = v
    if any(p >= 1 for p in out["phi"]):
        raise ValueError(f"{where}: wishart_wigner.phi must lie in (0, 1): eps_c = 0 for phi >= 1")
    return out


def wishart_wigner_tables(ww: dict, *, quick: bool, entropy: int, workers, progress: bool):
    """Monte Carlo index fraction of Wishart + Wigner at eps = eps_c (1 + excess), and its theory.

    Returns
    -------
    mc : DataFrame
        ``phi, eps, excess, eps_c, n, samples, mean_index_fraction,
        mean_index_fraction_se, alpha_theory, alpha_three_halves``.
    theory : DataFrame
        ``phi, eps, excess, eps_c, alpha0, alpha_theory, alpha_three_halves`` on a
        dense log grid of the excess (1e-2 .. 30), for the figure's curves.

    References
    ----------
    J. Pennington and Y. Bahri, ICML 2017 (the model, eps_c and the 3/2 law).
    """
    from saddlesim.models.spec import Model
    from saddlesim.theory.wishart_wigner import ww_alpha, ww_alpha0, ww_epsilon_c, ww_three_halves_law

    n = ww["quick_n"] if quick else ww["n"]
    samples = ww["quick_samples"] if quick else ww["samples"]
    models = []
    for phi in ww["phi"]:
        ec = ww_epsilon_c(phi)
        models += [Model("wishart-wigner", phi=phi, eps=ec * (1 + r)) for r in ww["excess"]]
    plan = make_plan(models, [n], samples, entropy=entropy, method="dense")
    counts, _ = sweep_counts(plan, workers=workers, progress=progress)
    mc = index_fraction_table(plan, counts).drop(columns=["model", "beta", "shift"])
    mc.insert(0, "phi", [c.model.phi for c in plan.cells])
    mc.insert(1, "eps", [c.model.eps for c in plan.cells])
    mc.insert(2, "eps_c", [ww_epsilon_c(c.model.phi) for c in plan.cells])
    mc.insert(2, "excess", mc["eps"] / mc["eps_c"] - 1)
    mc["alpha_theory"] = [ww_alpha(e, p) for p, e in zip(mc["phi"], mc["eps"])]
    mc["alpha_three_halves"] = [float(ww_three_halves_law(e, p)) for p, e in zip(mc["phi"], mc["eps"])]
    rows = []
    for phi in ww["phi"]:
        ec, a0 = ww_epsilon_c(phi), ww_alpha0(phi)
        for r in np.logspace(-2, np.log10(30), 40):
            e = ec * (1 + r)
            rows.append({"phi": phi, "eps": e, "excess": r, "eps_c": ec, "alpha0": a0,
                         "alpha_theory": ww_alpha(e, phi), "alpha_three_halves": float(ww_three_halves_law(e, phi))})
    return mc, pd.DataFrame(rows)


def _scale(model, n: int) -> float:
    # the independent model's eigenvalues are N(0, 1): no n-dependent edge; use the GOE's
    return semicircle_radius(n, model.beta if model.is_gaussian else 1.0)


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True) -> Path:
    """Run the energy experiment into ``out``: tables, ``meta.json``, figures.

    One sweep per (model, n) over the shifts ``s = x * sqrt(2 beta n)``, all
    from the same draws (see :mod:`saddlesim.index.shifted`).
    """
    out = Path(out)
    models, ns, xs, samples, where = _parse(spec, quick)
    entropy = spec.get("seed")
    p_tables, f_tables, rare_rows, seconds = [], [], [], {}
    watch = Stopwatch()
    for model in models:
        for n in ns:
            scale = _scale(model, n)
            shifts = [x * scale for x in xs]
            try:
                plan = make_plan([model], [n], samples, entropy=entropy, shifts=shifts)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
            entropy = plan.entropy
            t1 = time.perf_counter()
            counts, _ = sweep_counts(plan, workers=workers, progress=progress)
            seconds[f"{model.name},n={n}"] = round(time.perf_counter() - t1, 3)
            res = results_table(plan, counts)
            res.insert(4, "x", np.asarray(xs))
            res["dm_log10_p_min"] = (dean_majumdar_log_p_above(n, -np.asarray(shifts), model.beta) / _LN10
                                     if model.is_gaussian else np.nan)
            p_tables.append(res)
            frac = index_fraction_table(plan, counts)
            frac.insert(4, "x", np.asarray(xs))
            frac["exact_mean_index_fraction"] = _exact_mean_fraction(model, n, shifts, spec, quick)
            frac["semicircle_index_fraction"] = semicircle_index_fraction(xs)
            f_tables.append(frac)
            if spec.get("rare") is not None:
                t1 = time.perf_counter()
                rare_rows += _rare_rows(model, n, xs, shifts, res["minima"].tolist(), spec["rare"], quick,
                                        plan.entropy, workers)
                seconds[f"{model.name},n={n},rare"] = round(time.perf_counter() - t1, 3)
    ww_tables = None
    if "wishart_wigner" in spec:
        t1 = time.perf_counter()
        ww_tables = wishart_wigner_tables(_ww_parse(spec["wishart_wigner"], where), quick=quick,
                                          entropy=entropy, workers=workers, progress=progress)
        seconds["wishart-wigner"] = round(time.perf_counter() - t1, 3)
    out.mkdir(parents=True, exist_ok=True)
    if ww_tables is not None:
        atomic_write_csv(out / "ww_index.csv", ww_tables[0])
        atomic_write_csv(out / "ww_theory.csv", ww_tables[1])
    if spec.get("rare") is not None:
        atomic_write_csv(out / "rare.csv", pd.DataFrame(rare_rows, columns=[
            "model", "beta", "n", "shift", "x", "log10_p_min", "log10_p_min_lo", "log10_p_min_hi",
            "walkers", "replicates", "mixing_flag"]))
    atomic_write_csv(out / "p_min.csv", pd.concat(p_tables, ignore_index=True))
    atomic_write_csv(out / "index_fraction.csv", pd.concat(f_tables, ignore_index=True))
    summary = {
        "title": spec.get("title", spec.get("name")),
        "files": {
            "p_min.csv": "one row per (model, n, shift): sweep results.csv columns plus x = shift / sqrt(2 beta n)",
            "index_fraction.csv": "mean index fraction per (model, n, shift), its standard error, semicircle alpha(x)",
            "rare.csv": "rare-event log10 P(min) with 95 % interval where Monte Carlo saw few minima ([rare] only)",
            "ww_index.csv": "Wishart + Wigner: Monte Carlo index fraction per (phi, eps) with theory ([wishart_wigner])",
            "ww_theory.csv": "Wishart + Wigner: free-convolution alpha and the 3/2 law on a dense eps grid",
        },
    }
    write_record(out, make_record("energy", resolved_spec(spec, {"samples": samples}, quick=quick),
                                  seed_entropy=entropy, timings=watch.timings(seconds_by_cell=seconds),
                                  summary=summary))
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake ``p_min_vs_shift`` and ``index_fraction_vs_shift`` (PNG + PDF) from the tables alone."""
    from saddlesim.plots.energy import plot_index_fraction_vs_shift, plot_p_min_vs_shift
    from saddlesim.plots.style import save_figure

    out = Path(out)
    p_min, frac = read_tables(out, "p_min.csv", "index_fraction.csv")
    rare = pd.read_csv(out / "rare.csv") if (out / "rare.csv").exists() else None
    try:
        title = json.loads((out / "meta.json").read_text(encoding="utf-8")).get("summary", {}).get("title")
    except (OSError, json.JSONDecodeError):
        title = None
    paths = save_figure(plot_p_min_vs_shift(p_min, rare=rare, title=title), out / "p_min_vs_shift")
    paths += save_figure(plot_index_fraction_vs_shift(frac), out / "index_fraction_vs_shift")
    if (out / "ww_index.csv").exists() and (out / "ww_theory.csv").exists():
        from saddlesim.plots.energy import plot_wishart_wigner

        ww_mc, ww_th = pd.read_csv(out / "ww_index.csv"), pd.read_csv(out / "ww_theory.csv")
        paths += save_figure(plot_wishart_wigner(ww_mc, ww_th), out / "wishart_wigner_index")
    return paths
