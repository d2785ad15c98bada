"""The ``kind = "landscape"`` experiment: critical points of real losses against exact theory.

One kind, three studies (``study = ...`` in the spec):

``pspin``
    For each N: ``instances`` p-spin instances, ``starts`` solves each
    (``[N_table]`` per-N overrides). Tables: ``counts.csv`` (mean count per
    (N, index) with interval and exact Kac–Rice mean), ``saturation.csv``
    (total count found with the first S/8, S/4, S/2, S starts against the
    exact total), ``points.csv`` (every point: N, instance, energy u, index),
    ``pmin.csv`` (P(min) by N: exact, enumerated, the coin-flip 2^-(N-1), GOE at
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

Every run goes through :func:`saddlesim.searches.run.run_landscape` into
``out/runs/<tag>/`` (so an interrupted experiment resumes), and the plotter
remakes the figures from the tables alone.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from saddlesim.runtime.io import atomic_write_csv, atomic_write_json
from saddlesim.critical.completeness import missing_warning
from saddlesim.searches.plan import make_landscape_plan
from saddlesim.searches.run import instance_landscape, run_landscape
from saddlesim.runtime.record import Stopwatch, make_record, resolved_spec, write_record
from saddlesim.runtime.seeds import fresh_entropy

__all__ = ["run_experiment", "plot_experiment", "STUDIES"]

STUDIES = ("pspin", "linear_autoencoder", "mlp")


def _setting(spec: dict, key: str, quick: bool, default=None):
    if quick and key in spec.get("quick", {}):
        return spec["quick"][key]
    return spec.get(key, default)


def _run(loss, params, instances, starts, entropy, out, workers, progress, scheduler=None, **kw):
    plan = make_landscape_plan(loss, params, instances=instances, starts=starts, entropy=entropy, **kw)
    tag = loss + "".join(f"_{k}{v}" for k, v in sorted(params.items()))
    result = run_landscape(plan, out / "runs" / tag, workers=workers, progress=progress, overwrite=True,
                           scheduler=scheduler)
    warning = missing_warning(result.meta["summary"]["completeness"])
    if warning:
        print(f"{tag}: {warning}", file=sys.stderr)
    return plan, result


# -- p-spin ------------------------------------------------------------------------------


def _pspin(spec, out, workers, quick, progress, entropy, scheduler):
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
        _, r = _run("pspin", {"N": N, "p": p}, K, S, entropy, out, workers, progress, scheduler)
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
                     "coinflip": 2.0 ** (-(N - 1)), "goe": p_min(N - 1, 1) if N > 1 else 1.0})
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


#: |∇L|² cutoffs of Frye et al. (2019, Fig. 2): tight, loose, none
AE_CUTOFFS = (1e-10, 1e-6, math.inf)


def _ae_loss_tol(loss: float, grad_norm2: float, gap: float) -> float:
    """How far a point's loss may sit from its class's: rounding plus |∇L|²/gap.

    ``gap`` is the class's smallest nonzero Hessian |eigenvalue|
    (:func:`saddlesim.theory.linear_ae.linear_ae_gap`); the second-order bound
    is |∇L|²/(2·gap), taken with a factor 2 of margin. On the digits spectrum,
    whose close eigenvalues give gaps down to ~1e-4, a point accepted at
    |∇L|² = 1e-11 may sit 7e-8 from its class's loss, above a flat 1e-8.
    """
    return 1e-8 * max(1.0, abs(loss)) + grad_norm2 / gap


def _ae_cutoffs(pts: pd.DataFrame, rej: pd.DataFrame, truth: pd.DataFrame, gap: float) -> pd.DataFrame:
    """The loss–index relation of the end points kept by each |∇L|² cutoff.

    Every solve's end point is either accepted (``pts``, one row per distinct
    point, |∇L|² ≤ 1e-10 after polishing) or rejected (``rej``, one row per
    solve); a cutoff c keeps those with |∇L|² ≤ c. For each cutoff: how many
    points, how many are off the exact (loss, index) set (a point is on it
    when its index equals a class's and its loss does within
    :func:`_ae_loss_tol`, with ``gap`` the smallest over all classes), and the least-squares
    fit loss ≈ a + b·index + c·index² — the exact relation's own fit on the
    classes is the row ``cutoff = "exact"``, so a curvature c far from the
    exact one is the artefact Frye et al. (2019) warn of.

    Returns
    -------
    DataFrame
        Columns cutoff, points, off_exact, slope, intercept, curvature, index_max.
    """
    ends = pd.concat([pts[["loss", "index", "grad_norm2"]].assign(accepted=True),
                      rej[["loss", "index", "grad_norm2"]].assign(accepted=False)], ignore_index=True)
    exact_pairs = truth[["loss", "index"]].to_numpy()

    def on_exact(loss, index, grad_norm2):
        same = exact_pairs[:, 1] == index
        return bool(np.any(np.abs(exact_pairs[same, 0] - loss) <= _ae_loss_tol(loss, grad_norm2, gap)))

    def fit(loss, index):
        c2, c1, c0 = np.polyfit(index, loss, 2) if len(np.unique(index)) > 2 else (np.nan, np.nan, np.nan)
        return {"slope": c1, "intercept": c0, "curvature": c2, "index_max": int(index.max()) if len(index) else 0}

    rows = [{"cutoff": "exact", "points": len(truth), "off_exact": 0,
             **fit(truth["loss"].to_numpy(), truth["index"].to_numpy())}]
    for c in AE_CUTOFFS:
        kept = ends[ends["grad_norm2"] <= c]
        off = sum(not on_exact(a, i, g) for a, i, g in zip(kept["loss"], kept["index"], kept["grad_norm2"]))
        rows.append({"cutoff": "none" if math.isinf(c) else f"{c:g}", "points": len(kept), "off_exact": int(off),
                     **fit(kept["loss"].to_numpy(), kept["index"].to_numpy())})
    return pd.DataFrame(rows)


def _autoencoder(spec, out, workers, quick, progress, entropy, scheduler):
    from saddlesim.theory.linear_ae import linear_ae_critical_set, linear_ae_gap

    k, width = int(_setting(spec, "k", quick, 16)), int(_setting(spec, "width", quick, 4))
    K = int(_setting(spec, "instances", quick, 2))
    S = int(_setting(spec, "starts", quick, 100))
    frac = float(_setting(spec, "descent_fraction", quick, 0.5))
    hops = int(_setting(spec, "hops", quick, 0))
    sigma = _setting(spec, "sigma", quick, "diag")
    # Frye et al.'s |∇L|² ≤ 1e-10 is an absolute cutoff; on the digits spectrum (curvatures down to
    # ~1e-4) it accepts points in gradient-flat regions, so a spec may ask for a tighter one
    grad_tol = float(_setting(spec, "grad_tol", quick, 1e-10))
    params = {"k": k, "width": width} if sigma == "diag" else {"k": k, "width": width, "sigma": sigma}
    plan, r = _run("linear-ae", params, K, S, entropy, out, workers, progress, scheduler,
                   descent_fraction=frac, hops=hops, grad_tol=grad_tol)
    eigenvalues = np.diag(instance_landscape(plan, 0).sigma).copy()
    coords = r.coordinates[[f"x{j}" for j in range(2 * k * width)]].to_numpy()
    pts = r.critical_points[["instance", "loss", "index", "nullity", "grad_norm2", "label"]].copy()
    pts["subset"] = _ae_subset(coords, k, width)
    exact = linear_ae_critical_set(k, width, eigenvalues)
    exact["key"] = [",".join(str(i) for i in s) for s in exact["subset"]]
    truth = exact.set_index("key")
    gaps = {key: linear_ae_gap(sub, k, width, eigenvalues) for key, sub in zip(exact["key"], exact["subset"])}
    ok = []
    for row in pts.itertuples(index=False):
        if row.subset in truth.index:
            t = truth.loc[row.subset]
            ok.append(bool(abs(row.loss - t["loss"]) <= _ae_loss_tol(t["loss"], row.grad_norm2, gaps[row.subset])
                           and row.index == t["index"] and row.nullity == t["nullity"]))
        else:
            ok.append(False)
    pts["matches_exact"] = ok
    exact["recovered"] = exact["key"].isin(set(pts.loc[pts["matches_exact"], "subset"]))
    rej = r.rejected[["instance", "loss", "grad_norm2", "index", "nullity", "status"]]
    recovery = pd.DataFrame([{
        "k": k, "width": width, "classes": len(exact), "recovered": int(exact["recovered"].sum()),
        "fraction": float(exact["recovered"].mean()), "accepted_off_exact_set": int((~pts["matches_exact"]).sum()),
        "solves": K * (S + hops), "rejected": len(rej),
    }])
    atomic_write_csv(out / "points.csv", pts)
    atomic_write_csv(out / "rejected.csv", rej)
    atomic_write_csv(out / "classes.csv", exact.drop(columns=["subset"]))
    atomic_write_csv(out / "recovery.csv", recovery)
    atomic_write_csv(out / "cutoffs.csv", _ae_cutoffs(pts, rej, truth, min(gaps.values())))
    # timings go to meta.json, never into a table (a rerun is then byte-identical)
    return {"k": k, "width": width, "sigma": sigma, "grad_tol": grad_tol, _TIMINGS: {"compute_seconds": r.meta["timings"]["cpu_seconds"]}}


# -- tanh network ------------------------------------------------------------------------


def _mlp_points(plan, r) -> pd.DataFrame:
    """Every point with its index fraction and Pennington–Bahri coordinates (gn_mean, eps_loss, eps_hessian)."""
    from saddlesim.landscapes.gauss_newton import hessian_split
    from saddlesim.searches.run import instance_landscape

    n = r.meta["summary"]["landscape"]["manifold_dim"]
    cp, co = r.critical_points, r.coordinates
    # both tables come from the same instances in the same order
    assert cp["instance"].tolist() == co["instance"].tolist() and cp["point"].tolist() == co["point"].tolist()
    X = co[[c for c in co.columns if c.startswith("x")]].to_numpy()
    pts = cp[["instance", "point", "loss", "index", "nullity", "label"]].copy()
    pts["index_fraction"] = pts["index"] / n
    nets, rows = {}, []
    for inst, x in zip(pts["instance"], X):
        if inst not in nets:
            nets[inst] = instance_landscape(plan, int(inst))
        rows.append(hessian_split(nets[inst], x))
    split = pd.DataFrame(rows, columns=["gn_mean", "eps_loss", "eps_hessian"], index=pts.index)
    return pd.concat([pts, split], axis=1)


def _mlp_bins(pts: pd.DataFrame, nb: int) -> pd.DataFrame:
    """Index fraction by eps_loss bin (equal-count bins); se is the standard error of the bin mean."""
    u = pts["eps_loss"].to_numpy()
    edges = np.quantile(u, np.linspace(0, 1, nb + 1)) if len(u) else np.zeros(nb + 1)
    b = np.clip(np.searchsorted(edges, u, side="right") - 1, 0, nb - 1)
    bins = (pts.assign(bin=b).groupby("bin")
            .agg(loss=("loss", "mean"), eps_loss=("eps_loss", "mean"), eps_hessian=("eps_hessian", "mean"),
                 alpha=("index_fraction", "mean"), sd=("index_fraction", "std"), count=("loss", "size"))
            .reset_index())
    bins["se"] = bins["sd"].fillna(0) / np.sqrt(bins["count"])
    return bins


def _mlp_fit(pts: pd.DataFrame, bins: pd.DataFrame, n: int, phi: float) -> dict:
    """The scale c of ε = c·L/g, the 3/2 law on ε, and a plain list of where the data depart from theory."""
    from saddlesim.landscapes.gauss_newton import fit_epsilon_scale
    from saddlesim.theory.wishart_wigner import fit_three_halves_law, ww_alpha, ww_alpha0, ww_epsilon_c

    fit = {"phi": phi, "params": n, "points": int(len(pts))}
    use = bins[bins["eps_loss"] > 0]
    # one SE floor of 1/(2n) per bin: a bin whose points all share one index has sd 0, not no error
    w = 1.0 / np.maximum(use["se"].to_numpy(), 0.5 / n)
    try:
        c, rms = fit_epsilon_scale(use["eps_loss"], use["alpha"], phi, weights=w)
        fit["c_fitted"] = True
    except ValueError as exc:  # no bin with L > 0 (every point a global minimum): nothing to fit
        c, rms = 1.0, math.nan
        fit.update({"c_fitted": False, "c_fit_error": str(exc)})
    ratio = pts.loc[pts["eps_loss"] > 0, "eps_hessian"] / pts.loc[pts["eps_loss"] > 0, "eps_loss"]
    fit.update({"c": c, "rms_alpha_residual": rms,
                "c_direct_median": float(ratio.median()) if len(ratio) else math.nan,
                "c_direct_iqr": [float(ratio.quantile(0.25)), float(ratio.quantile(0.75))] if len(ratio) else []})
    eps = c * bins["eps_loss"].to_numpy()
    bins["eps"] = eps
    bins["theory_alpha"] = [ww_alpha(float(e), phi) for e in eps]
    eps_c = ww_epsilon_c(phi)
    fit["eps_c_theory"] = eps_c
    if phi < 1:
        fit["alpha0_theory"] = ww_alpha0(phi)
        s = np.maximum(0.0, (eps - eps_c) / eps_c) ** 1.5
        ws = 1.0 / np.maximum(bins["se"].to_numpy(), 0.5 / n)
        # α₀ with ε_c held at theory: linear least squares, always well posed
        fit["alpha0_at_eps_c"] = float(np.sum(ws**2 * bins["alpha"] * s) / np.sum(ws**2 * s**2)) if np.any(s > 0) else math.nan
        # the theory's own 3/2 law is within ~35 % of α(ε, φ) only up to ε ≈ 1.5 ε_c: count the data there
        eps_pts = c * pts["eps_loss"].to_numpy()
        fit["points_near_threshold"] = int(np.sum((eps_pts > eps_c) & (eps_pts < 1.5 * eps_c)))
        fit["eps_max_over_eps_c"] = float(eps_pts.max() / eps_c) if len(eps_pts) else math.nan
        try:
            good = eps > 0
            ec, a0 = fit_three_halves_law(eps[good], bins["alpha"].to_numpy()[good], weights=ws[good])
            fit.update({"eps_c_fit": ec, "alpha0_fit": a0,
                        # a threshold below every bin is not bracketed by the data: the fit then says nothing
                        "fit_degenerate": bool(ec < eps[good].min())})
        except (ValueError, RuntimeError) as exc:
            fit.update({"eps_c_fit": math.nan, "alpha0_fit": math.nan, "fit_degenerate": True, "fit_error": str(exc)})
    fit["departures"] = _departures(pts, bins, fit, n, phi, eps_c)
    return fit


def _departures(pts, bins, fit, n, phi, eps_c) -> list[str]:
    """Plain sentences, from the numbers, on where the data leave the Wishart + Wigner theory."""
    out = []
    c = fit["c"]
    below = pts[c * pts["eps_loss"] < eps_c] if eps_c > 0 else pts.iloc[:0]
    if len(below):
        out.append(f"{(below['index'] > 0).mean():.0%} of the {len(below)} points below the theoretical "
                   f"threshold eps_c = {eps_c:.3g} have index > 0, where the n -> infinity theory has none; "
                   f"with n = {n} parameters the index fraction moves in steps of 1/n = {1 / n:.3f}.")
    off = bins[np.abs(bins["alpha"] - bins["theory_alpha"]) > 2 * np.maximum(bins["se"], 0.5 / n)]
    out.append(f"{len(off)} of {len(bins)} loss bins differ from alpha(c L/g, phi) by more than 2 SE "
               f"(rms residual {fit['rms_alpha_residual']:.3f}); the largest gap is "
               f"{np.abs(bins['alpha'] - bins['theory_alpha']).max():.3f} at eps = "
               f"{bins['eps'].iloc[int(np.argmax(np.abs(bins['alpha'] - bins['theory_alpha'])))]:.3g}.")
    cd = fit["c_direct_median"]
    if np.isfinite(cd):
        out.append(f"The fitted scale c = {c:.3g} against {cd:.3g} (median, IQR {fit['c_direct_iqr'][0]:.3g}–"
                   f"{fit['c_direct_iqr'][1]:.3g}) read directly from tr(H1^2)/(2n g^2) per point: "
                   + ("they agree within a factor 2." if 0.5 <= c / cd <= 2 else
                      "they disagree by more than a factor 2, so the residual part H1 is not the Wigner matrix "
                      "of the model at this size (its scale does not follow the loss alone)."))
    deg = int((pts["nullity"] > 0).sum())
    if deg:
        out.append(f"{deg} of {len(pts)} points are degenerate (median nullity {pts['nullity'].median():.0f} "
                   f"of n = {n}): flat directions (dead units with outgoing weight 0, saturated tanh units) that a Wishart + Wigner "
                   f"matrix almost surely lacks. They are kept; their index counts negative eigenvalues "
                   f"and is divided by n, as in Dauphin et al. and Pennington & Bahri.")
    if phi < 1:
        out.append(f"The 3/2 law is the theory's near-threshold form (within ~35 % of alpha only for eps < 1.5 eps_c); "
                   f"{fit['points_near_threshold']} points lie there and the data reach "
                   f"{fit['eps_max_over_eps_c']:.0f} eps_c, so the fitted alpha0 describes an effective curve over "
                   f"the whole range and is not a test of the theory's alpha0.")
    if phi >= 1:
        out.append(f"phi = {phi:.2f} >= 1: eps_c = 0 and H0 has an atom at 0, so there is no 3/2 law to fit.")
    elif fit.get("fit_degenerate"):
        out.append("The free 3/2 fit is degenerate (its threshold lies below every bin: the data never "
                   "show an index-0 band), so only alpha0 at the theoretical eps_c is reported: "
                   f"{fit['alpha0_at_eps_c']:.3g} against the theory's {fit['alpha0_theory']:.3g}.")
    else:
        out.append(f"Free 3/2 fit: eps_c = {fit['eps_c_fit']:.3g} (theory {eps_c:.3g}), alpha0 = "
                   f"{fit['alpha0_fit']:.3g} (theory {fit['alpha0_theory']:.3g}).")
    return out


def _mlp(spec, out, workers, quick, progress, entropy, scheduler):
    params = {key: int(_setting(spec, key, quick, d)) for key, d in (("d", 2), ("h", 3), ("m", 24), ("outputs", 1))}
    K = int(_setting(spec, "instances", quick, 8))
    S = int(_setting(spec, "starts", quick, 100))
    frac = float(_setting(spec, "descent_fraction", quick, 0.5))
    plan, r = _run("mlp", params, K, S, entropy, out, workers, progress, scheduler, descent_fraction=frac)
    n = r.meta["summary"]["landscape"]["manifold_dim"]
    pts = _mlp_points(plan, r)
    bins = _mlp_bins(pts, int(_setting(spec, "bins", quick, 8)))
    phi = n / (params["m"] * params["outputs"])
    fit = _mlp_fit(pts, bins, n, phi)
    atomic_write_csv(out / "points.csv", pts)
    atomic_write_csv(out / "bins.csv", bins)
    atomic_write_json(out / "fit.json", fit)
    return {**params, "fit": fit}


#: key under which a study's runner hands its own timings to meta.json
_TIMINGS = "_timings"


def run_experiment(spec: dict, out, *, workers=None, quick=False, progress=True, scheduler=None) -> list[Path]:
    """Run the landscape study ``spec["study"]`` into ``out``; tables, ``meta.json``, figures.

    ``scheduler`` (an address, ``"local"`` or an open
    :class:`saddlesim.runtime.cluster.DaskCluster`) runs every instance on Dask; the
    tables do not depend on it.
    """
    out = Path(out)
    study = spec.get("study")
    if study not in STUDIES:
        raise ValueError(f"{spec.get('name', 'landscape spec')}: 'study' must be one of {', '.join(STUDIES)}, got {study!r}")
    # Connect before creating anything: an unreachable scheduler leaves no folder behind.
    if isinstance(scheduler, str):
        from saddlesim.runtime.cluster import connect

        with connect(scheduler, workers=workers) as cluster:
            return run_experiment(spec, out, workers=workers, quick=quick, progress=progress, scheduler=cluster)
    entropy = int(spec["seed"]) if "seed" in spec else fresh_entropy()
    watch = Stopwatch()
    out.mkdir(parents=True, exist_ok=True)
    run = {"pspin": _pspin, "linear_autoencoder": _autoencoder, "mlp": _mlp}[study]
    settings = run(spec, out, workers, quick, progress, entropy, scheduler)
    part_timings = settings.pop(_TIMINGS, {})
    found = {k: settings.pop(k) for k in ("fit",) if k in settings}  # results, not settings
    record = make_record("landscape", resolved_spec(spec, settings, quick=quick), seed_entropy=entropy,
                         timings=watch.timings(workers=workers, **part_timings), summary={"study": study, **found})
    write_record(out, record)
    return [out / "meta.json", *plot_experiment(out)]


def plot_experiment(out) -> list[Path]:
    """Remake the study's figures from its tables (never simulates)."""
    from saddlesim.plots import landscape as lp
    from saddlesim.plots.style import save_figure

    out = Path(out)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    summary, spec = meta.get("summary", {}), meta.get("spec", {})
    study = summary.get("study")
    paths = []
    if study is None:
        # a folder written by `saddlesim landscape` (one loss, no study): its summary
        land = summary.get("landscape", {})
        title = ", ".join(t for t in (land.get("loss", ""), _param_text(land.get("params", {})),
                                      f"dimension {land['manifold_dim']}" if "manifold_dim" in land else "") if t)
        fig = lp.plot_index_summary(pd.read_csv(out / "summary.csv"), title=title)
        paths += save_figure(fig, out / "index_counts")
    elif study == "pspin":
        p = int(spec["p"])
        counts, sat = pd.read_csv(out / "counts.csv"), pd.read_csv(out / "saturation.csv")
        points = pd.read_csv(out / "points.csv")
        paths += save_figure(lp.plot_pspin_counts(counts, sat, points=points), out / "pspin_counts")
        paths += save_figure(lp.plot_pspin_energy_index(points, p), out / "pspin_energy_index")
        paths += save_figure(lp.plot_pspin_pmin(pd.read_csv(out / "pmin.csv")), out / "pspin_pmin")
    elif study == "linear_autoencoder":
        fig = lp.plot_autoencoder(pd.read_csv(out / "classes.csv"), pd.read_csv(out / "points.csv"),
                                  pd.read_csv(out / "rejected.csv"), pd.read_csv(out / "recovery.csv"))
        paths += save_figure(fig, out / "autoencoder_critical_points")
        if (out / "cutoffs.csv").exists():
            fig = lp.plot_autoencoder_cutoffs(pd.read_csv(out / "classes.csv"), pd.read_csv(out / "points.csv"),
                                              pd.read_csv(out / "rejected.csv"), pd.read_csv(out / "cutoffs.csv"))
            paths += save_figure(fig, out / "loss_index_cutoffs")
    else:
        fit = json.loads((out / "fit.json").read_text(encoding="utf-8"))
        fig = lp.plot_mlp_index_vs_loss(pd.read_csv(out / "points.csv"), pd.read_csv(out / "bins.csv"), fit)
        paths += save_figure(fig, out / "mlp_index_vs_loss")
    return paths


def _param_text(params: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
