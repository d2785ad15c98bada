"""The ``kind = "gd_saddles"`` experiment: the second-order argument (a step raises the loss when ½ε²gᵀHg > εgᵀg) on real landscapes.

Three parts, each on the landscapes named in the spec (``quadratic``: a GOE
quadratic saddle, the exact local model; ``pspin``; ``mlp``):

1. **raise** — gradient descent from random starts with step ε = c₀/λ_max(x₀)
   for a grid of c₀; for every step, the local c_t = ε·λ_max(H(x_t)), whether
   it raised the loss, and whether the second-order condition
   ½ε²gᵀHg > εgᵀg predicted it (they disagree where the second-order picture
   fails: large steps, curvature changing within a step);
2. **escape** — saddles found by Newton-MR (:func:`saddlesim.critical.solve.newton_mr`,
   accepted at |g|² ≤ 1e-20), perturbed by
   δ in a random tangent direction; gradient-descent steps until the distance
   reaches r, against ⌈ln(r/δ)/ln(1 + ε|λ_min|)⌉ with δ and with the
   perturbation's component δ·|⟨u, e_min⟩| along the most negative direction;
3. **plateau** — one full gradient-descent training run of the tanh network
   (small initialisation), with the index and λ_min of the critical point that
   Newton's method reaches from checkpoints along it.

Spec keys (``experiments/gd_saddles.toml``; each has a default): ``seed``,
``landscapes`` (table: name → parameters), ``raise_c``, ``raise_instances``,
``raise_steps``, ``escape_c``, ``escape_delta``, ``escape_r``,
``escape_instances``, ``escape_starts``, ``escape_max_steps``,
``plateau_steps``, ``plateau_c``, ``plateau_checkpoints``,
``plateau_init_scale``, ``plateau_mlp`` (parameters) and a ``[quick]`` table
overriding any of them.

Streams: ``SeedSequence(seed, spawn_key=(part, landscape, instance, role, …))``
with part 0/1/2 for raise/escape/plateau and the landscape's position in
:data:`LANDSCAPE_KEYS`, so each number is a pure function of what it is.

Writes ``raise.csv``, ``escape.csv``, ``plateau_curve.csv``,
``plateau_points.csv``, ``meta.json`` and the figures of :func:`plot_experiment`.

References
----------
Dauphin et al. (2014), arXiv:1406.2572; Goodfellow, Bengio & Courville (2016), §4.3 and §8.2.3;
Saxe, McClelland & Ganguli (2014), arXiv:1312.6120 (plateaus of small initialisations).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.descent.dynamics import escape_steps, gradient_descent, predicted_escape_steps
from saddlesim.runtime.io import atomic_write_csv, read_tables
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.landscapes import make_landscape
from saddlesim.critical.solve import newton_mr

__all__ = ["run_experiment", "plot_experiment", "descent_tables", "DEFAULTS", "LANDSCAPE_KEYS"]

#: Newton acceptance |∇L|²: saddles are perturbed by δ ≈ 1e-4, so a residual gradient
#: must be far below δ·|λ| (newton_mr's own 1e-10 is for counting critical points).
GRAD_TOL = 1e-20

#: Stream key of each landscape name (fixed, so adding one never changes another's draws).
LANDSCAPE_KEYS = {"quadratic": 0, "pspin": 1, "mlp": 2}

DEFAULTS = {
    "seed": 20261126,
    "landscapes": {"quadratic": {"n": 10}, "pspin": {"N": 8, "p": 3}, "mlp": {"d": 3, "h": 4, "m": 24}},
    "raise_c": [0.25, 0.5, 1.0, 1.5, 1.8, 1.95, 2.05, 2.2, 2.5, 3.0, 4.0],
    "raise_instances": 8,
    "raise_steps": 40,
    "escape_c": 0.5,
    "escape_delta": 1e-4,
    "escape_r": 0.1,
    "escape_instances": 3,
    "escape_starts": 15,
    "escape_max_steps": 20000,
    "plateau_steps": 4000,
    "plateau_c": 0.5,
    "plateau_checkpoints": 12,
    "plateau_init_scale": 0.05,
    "plateau_mlp": {"d": 3, "h": 4, "m": 24},
}


def _parse(spec: dict, quick: bool) -> dict:
    cfg = {k: spec.get(k, v) for k, v in DEFAULTS.items()}
    if quick:
        cfg.update(spec.get("quick", {}))
    unknown = sorted(set(cfg["landscapes"]) - set(LANDSCAPE_KEYS))
    if unknown:
        raise ValueError(f"spec 'landscapes': unknown {', '.join(unknown)}; use {', '.join(LANDSCAPE_KEYS)}")
    for key in ("raise_instances", "raise_steps", "escape_instances", "escape_starts", "escape_max_steps",
                "plateau_steps", "plateau_checkpoints", "seed"):
        v = cfg[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"spec '{key}' must be an integer >= 1, got {v!r}")
    if not (0 < cfg["escape_delta"] < cfg["escape_r"]):
        raise ValueError("spec needs 0 < escape_delta < escape_r")
    if not cfg["raise_c"] or any(not (float(c) > 0) for c in cfg["raise_c"]):
        raise ValueError("spec 'raise_c' must be a non-empty list of numbers > 0")
    return cfg


def _rng(cfg, *key):
    return np.random.default_rng(np.random.SeedSequence(cfg["seed"], spawn_key=key))


def _raise_rows(cfg) -> list[dict]:
    """One row per gradient step: the local c_t = ε·λ_max(H(x_t)), whether the step raised the loss,
    and whether ½ε²gᵀHg > εgᵀg said it would."""
    rows = []
    for name, params in cfg["landscapes"].items():
        ell = LANDSCAPE_KEYS[name]
        for i in range(cfg["raise_instances"]):
            L = make_landscape(name, _rng(cfg, 0, ell, i, 0), **params)
            x0 = L.random_point(_rng(cfg, 0, ell, i, 1))
            lam_max = float(np.linalg.eigvalsh(L.hessian(x0))[-1])
            if lam_max <= 0:
                continue  # no positive curvature at the start: ε·λ_max is no scale here
            for c in cfg["raise_c"]:
                eps = float(c) / lam_max
                with np.errstate(over="ignore", invalid="ignore"):
                    run = gradient_descent(L, x0, eps, cfg["raise_steps"], predict=True)
                for t in range(cfg["raise_steps"]):
                    if not np.isfinite(run.loss[t + 1]):
                        break
                    c_t = eps * float(np.linalg.eigvalsh(L.hessian(run.x[t]))[-1])
                    rows.append({
                        "landscape": name, "instance": i, "c0": float(c), "eps": eps, "step": t,
                        "c_local": c_t, "loss": float(run.loss[t]), "loss_change": float(run.loss[t + 1] - run.loss[t]),
                        "raised": bool(run.raised[t]), "predicted": bool(run.predicted[t]),
                    })
    return rows


def _saddles(L, cfg, ell, i):
    """Distinct critical points with λ_min < 0 reached by Newton from random starts."""
    if L.name == "quadratic":
        return [np.zeros(L.dim)]
    found = []
    for s in range(cfg["escape_starts"]):
        res = newton_mr(L, L.random_point(_rng(cfg, 1, ell, i, 1, s)), grad_tol=GRAD_TOL, max_iter=200)
        if not res.success:
            continue
        c = L.canonical(res.x)
        if any(np.linalg.norm(c - L.canonical(y)) < 1e-6 for y in found):
            continue
        found.append(res.x)
    return found


def _escape_rows(cfg) -> list[dict]:
    rows = []
    delta, r = float(cfg["escape_delta"]), float(cfg["escape_r"])
    for name, params in cfg["landscapes"].items():
        ell = LANDSCAPE_KEYS[name]
        for i in range(cfg["escape_instances"]):
            L = make_landscape(name, _rng(cfg, 1, ell, i, 0), **params)
            for k, xs in enumerate(_saddles(L, cfg, ell, i)):
                lam, V = np.linalg.eigh(L.hessian(xs))
                if lam[0] >= -1e-8 * np.abs(lam).max():
                    continue  # a minimum, or degenerate: the linear escape law says nothing
                U = L.tangent_basis(xs)
                e_min = U @ V[:, 0]
                u = U @ _rng(cfg, 1, ell, i, 2, k).standard_normal(U.shape[1])
                u /= np.linalg.norm(u)
                eps = float(cfg["escape_c"]) / float(np.abs(lam).max())
                steps = escape_steps(L, xs, eps, delta, r, direction=u, max_steps=cfg["escape_max_steps"])
                overlap = abs(float(u @ e_min))
                rows.append({
                    "landscape": name, "instance": i, "saddle": k, "dim": int(L.manifold_dim),
                    "index": int(np.count_nonzero(lam < 0)), "loss": L.value(xs),
                    "lam_min": float(lam[0]), "lam_max": float(lam[-1]), "eps": eps,
                    "eps_abs_lam_min": eps * abs(float(lam[0])), "delta": delta, "r": r,
                    "overlap": overlap, "steps": steps,
                    "predicted": predicted_escape_steps(eps, float(lam[0]), delta, r),
                    "predicted_projected": (predicted_escape_steps(eps, float(lam[0]), delta * overlap, r)
                                            if overlap > 0 else -1),
                })
    return rows


def _plateau(cfg) -> tuple[pd.DataFrame, pd.DataFrame]:
    L = make_landscape("mlp", _rng(cfg, 2, 2, 0, 0), **cfg["plateau_mlp"])
    x0 = float(cfg["plateau_init_scale"]) * L.random_point(_rng(cfg, 2, 2, 0, 1))
    lam_max = float(np.linalg.eigvalsh(L.hessian(x0))[-1])
    eps = float(cfg["plateau_c"]) / max(lam_max, 1e-12)
    run = gradient_descent(L, x0, eps, cfg["plateau_steps"])
    curve = pd.DataFrame({"step": np.arange(run.loss.size), "loss": run.loss, "grad_norm": run.grad_norm})
    marks = np.unique(np.geomspace(1, cfg["plateau_steps"], cfg["plateau_checkpoints"]).astype(int))
    points = []
    for t in [0, *marks]:
        x = run.x[t]
        here = np.linalg.eigvalsh(L.hessian(x))
        # Newton-MR from x_t; what it reaches is recorded with its distance from x_t
        res = newton_mr(L, x, grad_tol=GRAD_TOL, max_iter=300)
        row = {"step": int(t), "loss": float(run.loss[t]), "eps": eps, "lam_min_here": float(here[0]),
               "index_here": int(np.count_nonzero(here < -1e-8 * np.abs(here).max())),
               "newton_success": res.success, "critical_loss": np.nan, "critical_index": -1,
               "critical_lam_min": np.nan, "distance": np.nan}
        if res.success:
            lam = np.linalg.eigvalsh(L.hessian(res.x))
            row.update(critical_loss=res.value, critical_index=int(np.count_nonzero(lam < -1e-8 * np.abs(lam).max())),
                       critical_lam_min=float(lam[0]), distance=float(np.linalg.norm(res.x - x)))
        points.append(row)
    return curve, pd.DataFrame(points)


def descent_tables(spec: dict, *, quick: bool = False, progress: bool = False) -> dict[str, pd.DataFrame]:
    """All four tables of the experiment, keyed ``raise``, ``escape``, ``plateau_curve``, ``plateau_points``."""
    cfg = _parse(spec, quick)
    parts = [("raise", _raise_rows), ("escape", _escape_rows), ("plateau", _plateau)]
    if progress:
        from rich.progress import track

        parts = track(parts, description="gd near saddles", transient=True)
    out = {}
    for key, fn in parts:
        res = fn(cfg)
        if key == "plateau":
            out["plateau_curve"], out["plateau_points"] = res
        else:
            out[key] = pd.DataFrame(res)
    out["_cfg"] = cfg
    return out


def run_experiment(spec: dict, out: Path, *, workers=None, quick=False, progress=True) -> Path:
    """Run all three parts and write their tables, ``meta.json`` and figures (serial; ``workers`` unused)."""
    out = Path(out)
    watch = Stopwatch()
    tables = descent_tables(spec, quick=quick, progress=progress)
    cfg = tables.pop("_cfg")
    for key, df in tables.items():
        atomic_write_csv(out / f"{key}.csv", df)
    summary = {"rows": {f"{key}.csv": int(len(df)) for key, df in tables.items()}}
    write_record(out, make_record("gd_saddles", resolved_spec(spec, cfg, quick=quick), seed_entropy=cfg["seed"],
                                  timings=watch.timings(workers=1), summary=summary))
    plot_experiment(out)
    return out


def plot_experiment(out: Path) -> list[Path]:
    """Remake ``raise_fraction``, ``escape`` and ``plateau`` (.png, .pdf) from the tables alone."""
    from saddlesim.plots.descent import plot_escape, plot_plateau, plot_raise_fraction
    from saddlesim.plots.style import save_figure

    out = Path(out)
    raise_df, escape_df, curve, points = read_tables(
        out, "raise.csv", "escape.csv", "plateau_curve.csv", "plateau_points.csv")
    paths = save_figure(plot_raise_fraction(raise_df), out / "raise_fraction")
    paths += save_figure(plot_escape(escape_df), out / "escape")
    paths += save_figure(plot_plateau(curve, points), out / "plateau")
    return paths
