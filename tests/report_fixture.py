"""A small results tree for the report's tests: one sweep folder (a known kind) and one of a kind
the report has never heard of, each with tables, figures and a record in the one format."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.runtime.record import make_record


def _sweep_table() -> pd.DataFrame:
    rows = []
    for model, beta in (("independent", np.nan), ("goe", 1.0)):
        for n in (1, 2, 3, 4):
            samples = 1000
            seed = 0.5 ** n
            p = seed if model == "independent" else [0.5, 0.146, 0.0299, 0.0][n - 1]
            minima = int(round(p * samples))
            p = minima / samples
            lo, hi = max(p - 0.01, 0.0), min(p + 0.012, 1.0) if minima else 0.0037
            rows.append({
                "model": model, "beta": beta, "n": n, "samples": samples, "minima": minima,
                "maxima": minima, "saddles": samples - 2 * minima if n > 1 else 0, "degenerate": 0,
                "p_min": p, "p_min_lo": lo, "p_min_hi": hi, "p_max": p, "p_max_lo": lo, "p_max_hi": hi,
                "p_saddle": 1 - 2 * p if n > 1 else 0.0, "p_saddle_lo": max(1 - 2 * p - 0.02, 0),
                "p_saddle_hi": min(1 - 2 * p + 0.02, 1), "coinflip_p_min": seed, "coinflip_p_max": seed,
                "coinflip_p_saddle": 1 - 2 * seed if n > 1 else 0.0,
                # mixed signs: the largest |z| is not the largest z
                "z_min_coinflip": [0.4, -1.7, 0.9, 0.6][n - 1] * (1 if model == "independent" else 10),
                "exact_p_min": seed if model == "independent" else [0.5, 0.1464, 0.0299, 0.0025][n - 1],
            })
    return pd.DataFrame(rows)


def _checks_table() -> pd.DataFrame:
    # coverage is a fraction of the probe sets (1.0 = all 20): the page must not print it as a count
    return pd.DataFrame({
        "step": [0, 0, 50, 50], "n": 58, "tau": [0.002, 0.0002] * 2, "dense_index": [13, 15, 2, 3],
        "coverage_seeds": 20, "index_coverage": [1.0, 0.95, 1.0, 1.0],
        "index_probe_coverage": [0.65, 0.0, 0.4, 0.25], "certified_index": [13, -1, 2, -1],
        "lanczos_max_relerr": [1e-15, 2e-15, 3e-15, 1e-15], "lanczos_min_relerr": [4e-14, 1e-14, 2e-14, 3e-14]})


def _checkpoints_table() -> pd.DataFrame:
    rows = []
    for step, mass, grad in ((0, 0.22, 0.7), (50, 0.034, 0.05)):
        for tau in (0.002, 0.0002):
            rows.append({"network": "checkable", "n": 58, "step": step, "tau": tau, "loss": 2.3 - step / 100,
                         "negative_mass": mass, "negative_mass_lo": mass - 0.01, "negative_mass_hi": mass + 0.02,
                         "grad_norm": grad, "outliers_by_gap": 9, "classes": 10})
    return pd.DataFrame(rows)


def _network_points() -> pd.DataFrame:
    # four end points reach one minimum (symmetric copies): over end points the positive fraction is 0.86,
    # over the 3 distinct critical points 0.7; the largest index (4 of 10) is at loss 2.0, not the highest loss
    rows = [("critical", 0.9, 0)] * 4 + [("critical", 1.5, 2), ("critical", 2.0, 4), ("flat", 2.5, 1)]
    return pd.DataFrame([{"status": s, "loss": loss, "index": k, "nullity": 0, "positive": 10 - k, "n": 10}
                         for s, loss, k in rows])


def _record(kind: str, spec: dict, summary: dict) -> dict:
    return make_record(kind, spec, seed_entropy=7, timings={"wall_seconds": 1.5, "cpu_seconds": 2.0},
                       summary=summary)


@functools.cache
def _template() -> Path:
    # drawn once per test process: the figures take seconds, a copy milliseconds
    root = Path(tempfile.mkdtemp(prefix="saddlesim-report-fixture-"))
    atexit.register(shutil.rmtree, root, True)
    return _build(root)


def make_results_tree(root) -> Path:
    """Write ``root/results`` with folders ``small_sweep`` (kind sweep), ``small_spectrum`` (kind trained_spectrum,
    tables only) and ``mystery`` (an unknown kind)."""
    results = Path(root) / "results"
    shutil.copytree(_template(), results)
    return results


def _build(root: Path) -> Path:
    from saddlesim.kinds.registry import plot_results
    from saddlesim.plots.style import new_figure, save_figure

    results = Path(root) / "results"
    sweep = results / "small_sweep"
    sweep.mkdir(parents=True)
    _sweep_table().to_csv(sweep / "results.csv", index=False)
    (sweep / "meta.json").write_text(json.dumps(_record(
        "sweep", {"kind": "sweep", "models": ["independent", "goe"], "n": "1-4", "samples": 1000},
        {"title": "Small sweep: P(min) against n", "draws": 8000})), encoding="utf-8")
    plot_results(sweep)

    spectrum = results / "small_spectrum"
    spectrum.mkdir()
    _checks_table().to_csv(spectrum / "checks.csv", index=False)
    _checkpoints_table().to_csv(spectrum / "checkpoints.csv", index=False)
    (spectrum / "meta.json").write_text(json.dumps(_record(
        "trained_spectrum", {"kind": "trained_spectrum", "weight_decay": 0.001, "taus": [0.002, 0.0002]},
        {"title": "Small trained spectrum"})), encoding="utf-8")

    network = results / "small_network"
    network.mkdir()
    points = _network_points()
    points.to_csv(network / "points.csv", index=False)
    pd.DataFrame({"status": ["critical", "flat", "failed"],
                  "count": [int((points["status"] == s).sum()) for s in ("critical", "flat", "failed")]}).to_csv(
        network / "counts.csv", index=False)
    pd.DataFrame({"loss_mid": [0.9, 1.75], "mean": [0.0, 0.3], "binomial_sd": [0.5 / np.sqrt(10)] * 2}).to_csv(
        network / "bins.csv", index=False)
    (network / "meta.json").write_text(json.dumps(_record(
        "network", {"kind": "network", "starts": 7}, {"title": "Small network"})), encoding="utf-8")

    mystery = results / "mystery"
    mystery.mkdir()
    pd.DataFrame({"step": [0, 1, 2], "loss": [1.0, 0.5, 0.25]}).to_csv(mystery / "curve.csv", index=False)
    fig, ax = new_figure()
    ax.plot([0, 1, 2], [1.0, 0.5, 0.25])
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    save_figure(fig, mystery / "curve")
    (mystery / "meta.json").write_text(json.dumps(_record(
        "not_a_kind_the_report_knows", {"kind": "not_a_kind_the_report_knows", "steps": 3},
        {"title": "A kind the report has never seen", "final_loss": 0.25, "steps": 3})), encoding="utf-8")
    return results
