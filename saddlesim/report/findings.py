"""What each results folder found, as sentences whose numbers are read from its tables.

One builder per known kind (or landscape study); any other folder gets
:func:`generic_findings`, built from its ``meta.json`` summary and the shape
of its tables. A builder's first sentence is its headline: the top of the
report quotes it. Builders return lists of :data:`~saddlesim.report.numbers.Sentence`.
"""

from __future__ import annotations

import math
from typing import Callable

import pandas as pd

from saddlesim.report.folders import Folder
from saddlesim.report.numbers import Num, cell

__all__ = ["FINDERS", "findings", "generic_findings", "aggregate", "model_label"]

_LABELS = {"independent": "independent signs", "goe": "GOE (β = 1)", "gue": "GUE (β = 2)",
           "gse": "GSE (β = 4)"}


def model_label(model: str, beta=None) -> str:
    """Plain name of a Hessian model: 'GOE (β = 1)', 'independent signs', 'β = 0.5'."""
    if model in _LABELS:
        return _LABELS[model]
    if beta is not None and not pd.isna(beta):
        return f"{model} (β = {float(beta):g})"
    return str(model)


def aggregate(df: pd.DataFrame, how: str, column: str, source: str, style: str = "num", /, **where) -> Num:
    """An aggregate (``max``, ``min``, ``mean``, ``maxabs``) of a column over the rows matching ``where``."""
    rows = df
    for key, value in where.items():
        rows = rows[rows[key] == value]
    values = rows[column].astype(float).dropna()
    if not len(values):
        raise KeyError(f"{source}: no {column} values with {where}")
    value = {"max": values.max, "min": values.min, "mean": values.mean,
             "maxabs": lambda: values.abs().max()}[how]()
    return Num(float(value), style, source, f"{how}({column})", tuple(where.items()))


def _row_key(row, keys) -> dict:
    return {k: row[k] for k in keys if k in row and not pd.isna(row[k])}


# --- kind "sweep": P(min) against n ------------------------------------------------------------

def sweep_findings(f: Folder) -> list:
    src = "results.csv"
    df = f.table(src)
    keys = [k for k in ("model", "beta", "n", "phi", "eps", "shift") if k in df]
    out = []
    groups = list(df.groupby([k for k in ("model", "beta") if k in df], dropna=False, sort=False))
    # the independent-sign model first: it is the coin-flip claim made exact
    groups.sort(key=lambda kg: kg[0][0] != "independent")
    for (model, *rest), g in groups:
        label = model_label(model, rest[0] if rest else None)
        g = g.sort_values("n")
        seen = g[g["minima"] > 0]
        if len(seen):
            r = seen.iloc[-1]
            at = _row_key(r, keys)
            s = [f"{label}: at n = ", cell(df, "n", src, "int", **at),
                 ", the largest n with a minimum among ", cell(df, "samples", src, "int", **at),
                 " draws, P(min) = ", cell(df, "p_min", src, "p", **at),
                 " (95 % interval ", cell(df, "p_min_lo", src, "p", **at), " to ",
                 cell(df, "p_min_hi", src, "p", **at), ") against the coin-flip 2^−n = ",
                 cell(df, "coinflip_p_min", src, "p", **at)]
            if "exact_p_min" in df and not pd.isna(r["exact_p_min"]) and model != "independent":
                s += [" and the exact ", cell(df, "exact_p_min", src, "p", **at)]
            s.append(".")
            if model == "independent" and "z_min_coinflip" in df:
                s += [" Over its ", Num(len(g), "int", src, "count(rows)", (("model", model),)),
                      " cells the largest |z| against 2^−n is ",
                      aggregate(df, "maxabs", "z_min_coinflip", src, model=model), "."]
            out.append(s)
        unseen = g[g["minima"] == 0]
        if len(unseen):
            r = unseen.iloc[-1]
            at = _row_key(r, keys)
            out.append([f"{label}: no minimum at all in ", Num(len(unseen), "int", src, "count(minima == 0)",
                                                                 (("model", model),)),
                        " cells; at n = ", cell(df, "n", src, "int", **at), " the 95 % upper bound is ",
                        cell(df, "p_min_hi", src, "p", **at), " where the coin-flip claim says ",
                        cell(df, "coinflip_p_min", src, "p", **at), "."])
    if "draws" in f.summary:
        out.append(["In all, ", Num(f.summary["draws"], "int", "meta.json", "summary.draws"), " draws."])
    return out


# --- kind "exact": exact P(min) for GOE, GUE, GSE --------------------------------------------

def exact_findings(f: Folder) -> list:
    src = "exact.csv"
    df = f.table(src)
    out = []
    for beta, g in df.groupby("beta", sort=True):
        label = {1.0: "GOE", 2.0: "GUE", 4.0: "GSE"}.get(float(beta), f"β = {beta:g}")
        n_max = int(g["n"].max())
        for n in sorted({10, n_max} & set(g["n"].astype(int))):
            out.append([f"{label}, n = ", cell(df, "n", src, "int", beta=beta, n=n), ": exact P(min) = ",
                        cell(df, "log10_p_min", src, "log10", beta=beta, n=n), ", the coin-flip 2^−n = ",
                        cell(df, "log10_coinflip_p_min", src, "log10", beta=beta, n=n), "."])
    return out


# --- kind "rare": rare-event P(min) and the exponent θ ---------------------------------------

def rare_findings(f: Folder) -> list:
    out = []
    if f.has("fits.csv"):
        src = "fits.csv"
        fits = f.table(src)
        for beta in sorted(fits["beta"].unique()):
            if not ((fits["beta"] == beta) & (fits["source"] == "estimate")).any():
                continue
            w = {"beta": beta, "source": "estimate"}
            out.append([f"β = {beta:g}: ln P(min) ≈ −θ n² with θ = ", cell(fits, "theta", src, "num4", **w),
                        " (95 % interval ", cell(fits, "theta_lo", src, "num4", **w), " to ",
                        cell(fits, "theta_hi", src, "num4", **w),
                        ") fitted to the rare-event estimates for n = ", cell(fits, "n_min", src, "int", **w),
                        " to ", cell(fits, "n_max", src, "int", **w), "; Dean–Majumdar's β (ln 3)/4 = ",
                        cell(fits, "theta_dm", src, "num4", **w), "; the coin-flip −n ln 2 has θ → 0."])
    src = "results.csv"
    df = f.table(src)
    for model, g in df.groupby("model", sort=False):
        r = g.sort_values("n").iloc[-1]
        w = {"model": model, "n": r["n"]}
        s = [f"{model_label(model)}, n = ", cell(df, "n", src, "int", **w), ": rare-event P(min) = ",
             cell(df, "log10_p", src, "log10", **w), " (95 % interval ", cell(df, "log10_p_lo", src, "log10", **w),
             " to ", cell(df, "log10_p_hi", src, "log10", **w), ")"]
        if "log10_exact" in df and not pd.isna(r["log10_exact"]):
            s += [", exact ", cell(df, "log10_exact", src, "log10", **w)]
        s += [", coin flips ", cell(df, "log10_coinflip", src, "log10", **w), "."]
        out.append(s)
    return out


# --- kind "energy": P(min) of H = G + sI against the shift -----------------------------------

def energy_findings(f: Folder) -> list:
    src = "p_min.csv"
    df = f.table(src)
    out = []
    for (model, n), g in sorted(df.groupby(["model", "n"]), key=lambda kg: -kg[0][1]):
        g = g.sort_values("x")
        lo, hi = g.iloc[0], g.iloc[-1]
        wl, wh = {"model": model, "n": n, "x": lo["x"]}, {"model": model, "n": n, "x": hi["x"]}
        s = [f"{model_label(model)}, n = ", cell(df, "n", src, "int", **wl), ": P(min) rises from "]
        if "exact_log10_p_min" in df and not pd.isna(lo["exact_log10_p_min"]):
            s += [cell(df, "exact_log10_p_min", src, "log10", **wl), " (exact)"]
        else:
            s += [cell(df, "p_min", src, "p", **wl)]
        s += [" at x = ", cell(df, "x", src, **wl), " (shift s = ", cell(df, "shift", src, **wl), ") to ",
              cell(df, "p_min", src, "p", **wh), " at x = ", cell(df, "x", src, **wh), " (s = ",
              cell(df, "shift", src, **wh), "); the coin-flip 2^−n = ", cell(df, "coinflip_p_min", src, "p", **wl),
              " whatever the shift."]
        out.append(s)
    return out


# --- kind "exact-wall": the rate against Dean–Majumdar ---------------------------------------

def exact_wall_findings(f: Folder) -> list:
    src = "rate_fits.csv"
    df = f.table(src)
    out = []
    for beta in sorted(df["beta"].unique()):
        for zeta in sorted(df.loc[df["beta"] == beta, "zeta"].unique()):
            if zeta != 0:
                continue
            w = {"beta": beta, "zeta": zeta}
            out.append([f"β = {beta:g}, wall at ζ = {zeta:g}: the large-n fit of the exact rate −ln P / (βn²) is ",
                        cell(df, "phi_fit", src, "num4", **w), " against Dean–Majumdar's Φ₋ = ",
                        cell(df, "phi_dm", src, "num4", **w),
                        " (n = ", cell(df, "n_min", src, "int", **w), " to ", cell(df, "n_max", src, "int", **w), ")."])
    if f.has("mean_index.csv"):
        mi = f.table("mean_index.csv")
        n = int(mi["n"].max())
        gap = (mi["fraction_exact"] - mi["fraction_semicircle"]).abs()[mi["n"] == n]
        out.append(["At n = ", Num(n, "int", "mean_index.csv", "max(n)"),
                    " the exact mean index fraction of G + sI is within ",
                    Num(float(gap.max()), "num", "mean_index.csv", "max|fraction_exact − fraction_semicircle|",
                        (("n", n),)),
                    " of the semicircle's α(x) at every shift."])
    return out


# --- kind "gd_saddles": gradient descent near saddles ----------------------------------------

def gd_findings(f: Folder) -> list:
    out = []
    if f.has("escape.csv"):
        src = "escape.csv"
        df = f.table(src)
        for land in df["landscape"].unique():
            out.append([f"{land}: gradient descent leaves a saddle in ", aggregate(df, "mean", "steps", src, landscape=land),
                        " steps on average, against ", aggregate(df, "mean", "predicted_projected", src, landscape=land),
                        " predicted from the start's overlap with the escape direction (",
                        Num(int((df["landscape"] == land).sum()), "int", src, "count(rows)", (("landscape", land),)),
                        " saddles)."])
    if f.has("raise.csv"):
        src = "raise.csv"
        df = f.table(src)
        cs = sorted(df["c0"].unique())
        below = [c for c in cs if c < 2]
        above = [c for c in cs if c > 2]
        if below and above:
            b, a = below[-1], above[0]
            out.append(["Gradient descent with step ε = c₀/λ_max(x₀), over every landscape: the loss rose at ",
                        aggregate(df, "mean", "raised", src, "pct", c0=b), " of steps with c₀ = ",
                        aggregate(df, "min", "c0", src, "num", c0=b), " and at ",
                        aggregate(df, "mean", "raised", src, "pct", c0=a), " with c₀ = ",
                        aggregate(df, "min", "c0", src, "num", c0=a), " (a quadratic's threshold is 2)."])
    return out


# --- kind "min_detection": labels from estimated Hessians ------------------------------------

def detection_findings(f: Folder) -> list:
    src = "metrics.csv"
    df = f.table(src)
    out = []
    noise = df[(df["estimator"] == "noise") & (df["tol"] == 0)]
    for n in sorted(noise["n"].unique()):
        g = noise[noise["n"] == n]
        lo, hi = g["level"].min(), g["level"].max()
        w0 = {"n": n, "estimator": "noise", "tol": 0.0, "level": lo}
        w1 = {"n": n, "estimator": "noise", "tol": 0.0, "level": hi}
        out.append([f"n = {int(n)}: from exact Hessians (noise ", cell(df, "level", src, **w0), ") the minimum label has F1 ",
                    cell(df, "f1_minimum", src, **w0), "; with noise ", cell(df, "level", src, **w1), " it falls to ",
                    cell(df, "f1_minimum", src, **w1), ", where always saying 'saddle' is right for ",
                    cell(df, "baseline_accuracy", src, "pct", **w1), " of points."])
    return out


# --- kind "landscape": p-spin, linear autoencoder, tanh network ------------------------------

def pspin_findings(f: Folder) -> list:
    src = "pmin.csv"
    df = f.table(src)
    out = []
    Ns = sorted(int(n) for n in df["N"])
    for N in [Ns[-1]] + [n for n in Ns[:-1] if n in (Ns[0], 5, 8)]:
        w = {"N": N}
        out.append([f"Spherical {f.spec.get('p', '')}-spin, N = ", cell(df, "N", src, "int", **w),
                    ": a fraction ", cell(df, "enumerated", src, **w), " of the critical points found are minima (",
                    cell(df, "enumerated_minima", src, "int", **w), " of ", cell(df, "enumerated_total", src, "int", **w),
                    "; exact Kac–Rice ", cell(df, "exact", src, **w), "), against the coin-flip 2^−(N−1) = ",
                    cell(df, "coinflip", src, "p", **w), " and a GOE Hessian's ", cell(df, "goe", src, "p", **w), "."])
    if f.has("saturation.csv"):
        sat = f.table("saturation.csv")
        last = sat.sort_values("starts").groupby("N").tail(1)
        out.append(["At each N's largest budget, found/exact critical points lies between ",
                    Num(float(last["fraction"].min()), "num4", "saturation.csv", "min(fraction at max starts)"), " and ",
                    Num(float(last["fraction"].max()), "num4", "saturation.csv", "max(fraction at max starts)"),
                    ": the exact count is a mean over instances, so a few instances with more points than the mean "
                    "put the ratio above 1."])
    return out


def autoencoder_findings(f: Folder) -> list:
    src = "recovery.csv"
    df = f.table(src)
    r = df.iloc[0]
    w = {"k": r["k"], "width": r["width"]}
    out = [["Deep linear autoencoder k = ", cell(df, "k", src, "int", **w), ", p = ", cell(df, "width", src, "int", **w),
            ": ", cell(df, "recovered", src, "int", **w), " of the ", cell(df, "classes", src, "int", **w),
            " exact critical classes recovered (", cell(df, "fraction", src, "pct", **w), "), ",
            cell(df, "accepted_off_exact_set", src, "int", **w), " accepted points off the exact set, ",
            cell(df, "rejected", src, "int", **w), " end points rejected as gradient-flat."]]
    if f.has("classes.csv"):
        c = f.table("classes.csv")
        miss = c[~c["recovered"].astype(bool)]
        if len(miss):
            out.append(["The classes not recovered have index ",
                        Num(float(miss["index"].min()), "int", "classes.csv", "min(index) where not recovered"), " to ",
                        Num(float(miss["index"].max()), "int", "classes.csv", "max(index) where not recovered"),
                        " and loss from ", Num(float(miss["loss"].min()), "num", "classes.csv", "min(loss) where not recovered"),
                        "; every minimum (index 0) is ",
                        "recovered." if c.loc[c["index"] == 0, "recovered"].astype(bool).all() else "not recovered."])
    return out + _cutoff_findings(f)


def _cutoff_findings(f: Folder) -> list:
    """The loss–index relation at the |∇L|² cutoffs (``cutoffs.csv``), where the folder has one."""
    if not f.has("cutoffs.csv"):
        return []
    src = "cutoffs.csv"
    df = f.table(src).astype({"cutoff": str})
    out = []
    for c, name in (("1e-10", "|∇L|² ≤ 1e-10"), ("1e-06", "|∇L|² ≤ 1e-6"), ("none", "no cutoff")):
        if c in set(df["cutoff"]):
            out.append(["With ", name, ": ", cell(df, "points", src, "int", cutoff=c), " end points, ",
                        cell(df, "off_exact", src, "int", cutoff=c), " off the exact (loss, index) set; fitted slope "
                        "of loss against index ", cell(df, "slope", src, "num", cutoff=c), " (exact classes: ",
                        cell(df, "slope", src, "num", cutoff="exact"), ")."])
    return out


def _distinct_critical(pts: pd.DataFrame) -> pd.DataFrame:
    """Critical end points counted once each: one per symmetry class (``class``, as ``kinds/network.py``)."""
    crit = pts[pts["status"] == "critical"]
    if "class" in crit:
        return crit.drop_duplicates("class")
    return crit.assign(_key=crit["loss"].round(9)).drop_duplicates(["_key", "index"]).drop(columns="_key")


def network_findings(f: Folder) -> list:
    """Critical points of a trained network: counts by status, then statistics over DISTINCT critical points.

    Many starts end at one point (permuted or sign-flipped hidden units reach one loss), so averages
    over end points weigh a point by its basin; the sentences average over distinct points, like
    ``bins.csv``, and name the one end-point average they keep.
    """
    src = "points.csv"
    pts = f.table(src)
    counts = f.table("counts.csv")
    crit = pts[pts["status"] == "critical"]
    out = [["Newton-MR from ", Num(len(pts), "int", src, "count(rows)"), " training checkpoints: ",
            cell(counts, "count", "counts.csv", "int", status="critical"), " end points critical, ",
            cell(counts, "count", "counts.csv", "int", status="flat"), " gradient-flat, ",
            cell(counts, "count", "counts.csv", "int", status="failed"), " failed."]]
    if not len(crit):
        return out
    d = _distinct_critical(pts)
    frac = d["index"] / d["n"]
    top = d.loc[frac.idxmax()]
    n = float(crit["n"].iloc[0])
    dmin = d[d["index"] == 0]
    over = "over distinct critical points"
    out.insert(0, ["Over the ", Num(len(d), "int", src, "count(distinct critical points)"),
                   " distinct critical points of a trained network (n = ", Num(n, "int", src, "n (every row)"),
                   " parameters) the fraction of positive eigenvalues averages ",
                   Num(float((d["positive"] / d["n"]).mean()), "num", src, f"mean(positive / n) {over}"),
                   ", not the coin-flip claim's 0.5; the largest index fraction is ",
                   Num(float(frac.max()), "num", src, f"max(index / n) {over}"), " (index ",
                   Num(float(top["index"]), "int", src, f"index at max(index / n) {over}"), ", at loss ",
                   Num(float(top["loss"]), "num4", src, f"loss at max(index / n) {over}"), ")."])
    out.append(["The ", cell(counts, "count", "counts.csv", "int", status="critical"),
                " critical end points are ", Num(len(d), "int", src, "count(distinct critical points)"),
                " distinct points (same loss to 1e-9 and index), ",
                Num(len(dmin), "int", src, "count(distinct minima)"), " of them minima",
                *([" (loss ", Num(float(dmin["loss"].min()), "num", src, "min(loss) over distinct minima"), " to ",
                   Num(float(dmin["loss"].max()), "num", src, "max(loss) over distinct minima"), ", reached by ",
                   Num(int((crit["index"] == 0).sum()), "int", src, "count(index = 0, status = critical)"),
                   " end points)"] if len(dmin) else []),
                "; independent fair signs give a minimum with probability 2⁻ⁿ."])
    out.append(["Over distinct points the index fraction ranges from ",
                Num(float(frac.min()), "num", src, f"min(index / n) {over}"), " to ",
                Num(float(frac.max()), "num", src, f"max(index / n) {over}"), " with mean ",
                Num(float(frac.mean()), "num", src, f"mean(index / n) {over}"),
                "; independent fair signs (Binomial(n, ½)/n) would keep it within 0.5 ± ",
                Num(3 * 0.5 / math.sqrt(n), "num", src, "3/(2√n) from n"),
                ". Averaged over end points instead (each point weighted by the starts that reached it) "
                "the positive fraction is ",
                Num(float((crit["positive"] / crit["n"]).mean()), "num", src,
                    "mean(positive / n) over critical end points"), "."])
    return out


def trained_spectrum_findings(f: Folder) -> list:
    """Hessian spectra along training: interval coverage against the dense count, negative mass against ½."""
    src, csrc = "checkpoints.csv", "checks.csv"
    pts = f.table(src)
    out = []
    if csrc in f.tables and len(f.table(csrc)):
        ch = f.table(csrc)
        out.append(["On the checkable network (", aggregate(ch, "max", "n", csrc, "int"), " parameters) the SLQ 95 % "
                    "interval covered the dense index in at least ", aggregate(ch, "min", "index_coverage", csrc, "pct"),
                    " of the probe sets at every checkpoint and τ (", aggregate(ch, "max", "coverage_seeds", csrc, "int"),
                    " sets each); the interval of probe noise alone covered as few as ",
                    aggregate(ch, "min", "index_probe_coverage", csrc, "pct"),
                    " of them, because the near-zero bulk straddles −τ and the quadrature error dominates."])
        cert = ch[ch["certified_index"] >= 0]
        out.append(["Lanczos extreme eigenvalues match eigvalsh to ",
                    aggregate(ch, "max", "lanczos_max_relerr", csrc), " (largest) and ",
                    aggregate(ch, "max", "lanczos_min_relerr", csrc), " (smallest) relative; the count was certified in ",
                    Num(len(cert), "int", csrc, "count(certified_index >= 0)"), " of ",
                    Num(len(ch), "int", csrc, "count(rows)"), " cases, equal to the dense count in ",
                    Num(int((cert["certified_index"] == cert["dense_index"]).sum()), "int", csrc,
                        "count(certified_index = dense_index)"), "."])
    tau = float(pts["tau"].min())
    head = ["Along training the fraction of Hessian eigenvalues below −τ (τ = ", Num(tau, "num", src, "min(tau)"),
            ") falls"]
    for net, g in pts.groupby("network", sort=False):
        steps = g.loc[g["tau"] == tau, "step"]
        if len(steps) < 2:
            continue
        where = {"network": net, "tau": tau}
        head += [" from " if len(head) == 3 else "; from ", cell(pts, "negative_mass", src, "num", step=steps.min(), **where),
                 " to ", cell(pts, "negative_mass", src, "num", step=steps.max(), **where),
                 f" ({net} network, ", cell(pts, "n", src, "int", step=steps.max(), **where), " parameters)"]
    last_grad = pts[pts["step"] == pts.groupby("network")["step"].transform("max")]["grad_norm"].max()
    if len(head) > 3:
        out.insert(0, head + ["; the coin-flip claim says 0.5 at critical points, and these trained points are not "
                              "critical (|∇L| at the last checkpoints up to ", Num(float(last_grad), "num", src,
                                                                                       "max(grad_norm at each network's last step)"),
                              ")."])
    for net, g in pts.groupby("network", sort=False):
        last = g[(g["step"] == g["step"].max()) & (g["tau"] == tau)]
        first = g[(g["step"] == g["step"].min()) & (g["tau"] == tau)]
        if len(last) != 1 or len(first) != 1:
            continue
        where = {"network": net, "tau": tau}
        step0, step1 = int(first["step"].iloc[0]), int(last["step"].iloc[0])
        out.append([f"{net.capitalize()} network (", cell(pts, "n", src, "int", step=step1, **where),
                    f" parameters), τ = {tau:g}: the negative mass #{{λ < −τ}}/n falls from ",
                    cell(pts, "negative_mass", src, "num", step=step0, **where), " at the start to ",
                    cell(pts, "negative_mass", src, "num", step=step1, **where), " (95 % interval ",
                    cell(pts, "negative_mass_lo", src, "num", step=step1, **where), " to ",
                    cell(pts, "negative_mass_hi", src, "num", step=step1, **where), ") after ", str(step1),
                    " Adam steps, against the coin-flip 0.5; |∇L| = ",
                    cell(pts, "grad_norm", src, "num", step=step1, **where),
                    " there, so the point is not critical. The top eigenvalues break after ",
                    cell(pts, "outliers_by_gap", src, "int", step=step1, **where), " outliers (",
                    cell(pts, "classes", src, "int", step=step1, **where), " classes)."])
    return out


def mlp_findings(f: Folder) -> list:
    fit = f.json("fit.json")
    src = "fit.json"

    def n(key, style="num"):
        return Num(float(fit[key]), style, src, key)

    out = [["Tanh network with ", n("params", "int"), " parameters, ", n("points", "int"),
            " critical points: the binned index fraction follows neither the Wishart + Wigner α(ε) nor the 3/2 law "
            "(rms residual ", n("rms_alpha_residual"), "; fitted scale c = ", n("c"), " against ", n("c_direct_median"),
            " read from the Hessians)."]]
    out += [[str(d)] for d in fit.get("departures", [])]
    return out


# --- any other folder --------------------------------------------------------------------------

def _flat(prefix: str, value, depth: int = 0):
    if isinstance(value, dict) and depth < 2:
        for k, v in value.items():
            if "." not in str(k):  # a dotted path names each number; a key like "points.csv" would break it
                yield from _flat(f"{prefix}.{k}", v, depth + 1)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, (int, float)) and math.isfinite(value):
        yield prefix, float(value)


def generic_findings(f: Folder) -> list:
    """Sentences any folder supports: the numbers of its summary and the size of its tables."""
    out = []
    for key, value in list(_flat("summary", f.summary))[:12]:
        style = "int" if float(value).is_integer() else "num"
        out.append([f"{key.removeprefix('summary.').replace('_', ' ')}: ", Num(value, style, "meta.json", key), "."])
    for name in f.tables:
        df = f.table(name)
        out.append([f"{name}: ", Num(len(df), "int", name, "count(rows)"), " rows of ",
                    Num(len(df.columns), "int", name, "count(columns)"), " columns."])
    return out


FINDERS: dict[str, Callable[[Folder], list]] = {
    "sweep": sweep_findings,
    "exact": exact_findings,
    "rare": rare_findings,
    "energy": energy_findings,
    "exact-wall": exact_wall_findings,
    "gd_saddles": gd_findings,
    "min_detection": detection_findings,
    "landscape/pspin": pspin_findings,
    "landscape/linear_autoencoder": autoencoder_findings,
    "landscape/mlp": mlp_findings,
    "network": network_findings,
    "trained_spectrum": trained_spectrum_findings,
}


def finder_key(f: Folder) -> str:
    return f"{f.kind}/{f.study}" if f.study else f.kind


def findings(f: Folder) -> tuple[list, str | None]:
    """(sentences, problem): the kind's builder, or the generic one where there is none or it fails.

    A builder that cannot read its tables (a column renamed, a table
    missing) does not stop the report: its section falls back to the generic
    sentences and says why.
    """
    builder = FINDERS.get(finder_key(f))
    if builder is not None:
        try:
            found = builder(f)
            if found:
                return found, None
            problem = "its builder found nothing to say"
        except (KeyError, ValueError, IndexError, OSError, TypeError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
    else:
        problem = None
    return generic_findings(f), problem

