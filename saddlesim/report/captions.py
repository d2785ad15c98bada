"""Figure captions generated from the tables the figure was drawn from.

One function per known figure (folder kind or study, figure stem); any other
figure gets :func:`generic_caption`, naming the tables beside it. Captions are
sentences in the sense of :mod:`saddlesim.report.numbers`.
"""

from __future__ import annotations

from typing import Callable

from saddlesim.report.findings import aggregate, finder_key
from saddlesim.report.folders import Folder
from saddlesim.report.numbers import Num, cell

__all__ = ["CAPTIONS", "caption"]


def _sweep_p(what: str):
    def build(f: Folder) -> list:
        df = f.table("results.csv")
        models = ", ".join(dict.fromkeys(df["model"]))
        s = [f"P({what}) against the dimension n for {models}: ", Num(int(df["samples"].max()), "int", "results.csv",
                                                                       "max(samples)"),
             " draws per point, 95 % Wilson intervals; black: the coin-flip prediction; dashed: exact theory."]
        if what != "saddle" and (df["minima" if what == "min" else "maxima"] == 0).any():
            col = f"p_{what}_hi"
            bound = df.loc[df["minima" if what == "min" else "maxima"] == 0, col]
            s += [" Open triangles: no event seen, 95 % upper bound (down to ",
                  Num(float(bound.min()), "p", "results.csv", f"min({col}) where none seen"), ")."]
        if what == "min" and "exact_p_min" in df:
            n_max = df["n"].max()
            exact = df.loc[df["n"] == n_max, "exact_p_min"].dropna()
            if len(exact):
                s += [" The axis follows the measured points; the exact curves continue below it, to ",
                      Num(float(exact.min()), "p", "results.csv", "min(exact_p_min)", (("n", int(n_max)),)),
                      " at n = ", Num(int(n_max), "int", "results.csv", "max(n)"), "."]
        return s
    return build


def _energy_pmin(f: Folder) -> list:
    df = f.table("p_min.csv")
    ns = sorted(int(n) for n in df["n"].unique())
    s = ["log10 P(min) of H = G + sI against the scaled shift x = s/√(2βn), one panel per n (",
         ", ".join(str(n) for n in ns), "), each on its own scale: points Monte Carlo (",
         Num(int(df["samples"].max()), "int", "p_min.csv", "max(samples)"),
         " draws, 95 % Wilson), crosses exact, open squares rare-event estimates, dotted the coin-flip 2^−n. "
         "At x = 1 the semicircle's lower edge reaches 0, so beyond it almost every draw is a minimum."]
    if "exact_log10_p_min" in df:
        s += [" The exact values span down to ", aggregate(df, "min", "exact_log10_p_min", "p_min.csv", "log10"), "."]
    return s


def _energy_index(f: Folder) -> list:
    df = f.table("index_fraction.csv")
    return ["Mean index / n of G + sI against x for n = ", ", ".join(str(int(n)) for n in sorted(df["n"].unique())),
            " (±6 standard errors, largest ", aggregate(df, "max", "mean_index_fraction_se", "index_fraction.csv"),
            "), against the semicircle's α(x) as n → ∞ (black) and exact finite-n values (crosses)."]


def _rare(f: Folder) -> list:
    df = f.table("results.csv")
    return ["(a) log10 P(min) against n from rare-event estimates (", Num(int(df["walkers"].max()), "int", "results.csv",
                                                                        "max(walkers)"),
            " walkers, ", Num(int(df["replicates"].max()), "int", "results.csv", "max(replicates)"),
            " replicates, 95 % intervals) with exact values (lines), Dean–Majumdar (dotted) and the coin-flip claim (dashed); "
            "(b) θ_n = −ln P(min)/n², which tends to β (ln 3)/4, and the fitted θ at the right. "
            "The smallest estimate is ", aggregate(df, "min", "log10_p", "results.csv", "log10"), "."]


def _pspin_counts(f: Folder) -> list:
    sat = f.table("saturation.csv")
    last = sat.sort_values("starts").groupby("N").tail(1)
    return ["Left: mean number of critical points per index k (points, 95 % interval over instances) against the exact "
            "Kac–Rice mean (lines), N = ", ", ".join(str(int(n)) for n in sorted(sat["N"].unique())),
            ". Right: found / exact as the starts per instance double; the error bar at each N's largest budget is the "
            "95 % interval over instances. Values above 1 (up to ",
            Num(float(last["fraction"].max()), "num4", "saturation.csv", "max(fraction at max starts)"),
            ") are instance spread: the exact count is a mean, and a few instances hold more critical points than it."]


def _pspin_pmin(f: Folder) -> list:
    df = f.table("pmin.csv")
    n = int(df["N"].max())
    r = df[df["N"] == n]
    return ["P(min) = minima / critical points against the number of spins N: exact Kac–Rice, enumerated, the coin-flip "
            "2^−(N−1) and a GOE Hessian of dimension N − 1. At N = ", Num(n, "int", "pmin.csv", "max(N)"), ": ",
            Num(float(r["enumerated"].iloc[0]), "num", "pmin.csv", "enumerated", (("N", n),)), " against the coin-flip ",
            Num(float(r["coinflip"].iloc[0]), "p", "pmin.csv", "coinflip", (("N", n),)), "."]


def _autoencoder(f: Folder) -> list:
    rec = f.table("recovery.csv").iloc[0]
    return ["Left: loss and index of every exact critical class; the ",
            Num(int(rec["classes"] - rec["recovered"]), "int", "recovery.csv", "classes − recovered"),
            " not recovered drawn on top as vermillion crosses, the ", Num(int(rec["recovered"]), "int", "recovery.csv",
                                                                             "recovered"),
            " recovered as blue dots. Right: the ", Num(int(rec["rejected"]), "int", "recovery.csv", "rejected"),
            " rejected end points, coloured by log10 |∇L|²."]


def _mlp(f: Folder) -> list:
    fit = f.json("fit.json")
    return ["Index fraction of ", Num(int(fit["points"]), "int", "fit.json", "points"),
            " critical points of a tanh network against ε = c·L/g (grey), binned means ± 2 SE (blue), the Wishart + "
            "Wigner α(ε) and the 3/2 law. The data follow neither line (rms residual ",
            Num(float(fit["rms_alpha_residual"]), "num", "fit.json", "rms_alpha_residual"), ")."]


def _ww(f: Folder) -> list:
    df = f.table("ww_index.csv")
    return ["Wishart + Wigner index fraction against ε for φ = ", ", ".join(f"{p:g}" for p in sorted(df["phi"].unique())),
            ": Monte Carlo at n = ", Num(int(df["n"].max()), "int", "ww_index.csv", "max(n)"),
            " (±2 SE), free-convolution theory (lines), and near threshold the 3/2 law (right, log–log)."]


def _exact_log10(f: Folder) -> list:
    df = f.table("exact.csv")
    return ["log10 P(min) against n: the coin-flip 2^−n and the exact values for β = ",
            ", ".join(f"{b:g}" for b in sorted(df["beta"].unique())), " up to n = ",
            aggregate(df, "max", "n", "exact.csv", "int"), "; the lowest, ", aggregate(df, "min", "log10_p_min",
                                                                                        "exact.csv", "log10"),
            ", is far below the smallest double (10^−308), which is why saddlesim keeps probabilities as logs."]


def _exact_theta(f: Folder) -> list:
    df = f.table("exact.csv")
    return ["θ_n = −ln P(min)/n² against n from the exact values, approaching β (ln 3)/4 (dashed), while the coin-flip "
            "ln 2/n (dotted) goes to 0; at the largest n, θ_n = ", *_theta_parts(df), "."]


def _theta_parts(df) -> list:
    parts = []
    for i, beta in enumerate(sorted(df["beta"].unique())):
        n = int(df.loc[df["beta"] == beta, "n"].max())
        parts += [", " if i else "", aggregate(df, "max", "theta_n", "exact.csv", "num4", beta=beta, n=n),
                  f" (β = {beta:g}, n = {n})"]
    return parts


def _wall_rate(f: Folder) -> list:
    fits = f.table("rate_fits.csv")
    return ["Exact −ln P(λ_min > t)/(βn²) over Dean–Majumdar's Φ₋(ζ) against 1/n at ", Num(len(fits), "int",
                                                                                          "rate_fits.csv", "count(rows)"),
            " walls (β, ζ); every curve must reach 1 at 1/n = 0 if Φ₋ is right. The fitted intercepts over Φ₋ lie "
            "within ", Num(float((fits["phi_fit"] / fits["phi_dm"] - 1).abs().max()), "num", "rate_fits.csv",
                           "max|phi_fit / phi_dm − 1|"), " of 1."]


def _wall_index(f: Folder) -> list:
    df = f.table("mean_index.csv")
    return ["Exact mean index fraction of G + sI against x = s/√(2βn) for n = ",
            ", ".join(str(int(n)) for n in sorted(df["n"].unique())), " and β = ",
            ", ".join(f"{b:g}" for b in sorted(df["beta"].unique())), ", against the semicircle's α(x)."]


def _gd_escape(f: Folder) -> list:
    df = f.table("escape.csv")
    return ["Steps gradient descent needs to leave a saddle (", Num(len(df), "int", "escape.csv", "count(rows)"),
            " saddles on ", ", ".join(dict.fromkeys(df["landscape"])), "): (a) against ε|λ_min| with the bound "
            "⌈ln(r/δ)/ln(1+ε|λ_min|)⌉, (b) against the prediction from the start's component along the escape "
            "direction, (c) against the index. The most steps: ", aggregate(df, "max", "steps", "escape.csv", "int"), "."]


def _gd_raise(f: Folder) -> list:
    df = f.table("raise.csv")
    return ["Fraction of gradient steps that raised the loss against c = ε·λ_max at the step, per landscape, beside "
            "the fraction the second-order condition predicts (", Num(len(df), "int", "raise.csv", "count(rows)"),
            " steps)."]


def _gd_plateau(f: Folder) -> list:
    pts = f.table("plateau_points.csv")
    return ["One training run of the tanh network: the loss (top) and, at ", Num(len(pts), "int", "plateau_points.csv",
                                                                               "count(rows)"),
            " checkpoints, the index at the iterate and at the critical point Newton's method reaches from it (bottom); "
            "the largest index of a reached critical point is ",
            aggregate(pts, "max", "critical_index", "plateau_points.csv", "int"), "."]


def _det_scores(estimator: str, what: str):
    def build(f: Folder) -> list:
        df = f.table("metrics.csv")
        part = df[df["estimator"] == estimator]
        return [what, " (", Num(len(part), "int", "metrics.csv", "count(rows)", (("estimator", estimator),)),
                " settings in metrics.csv); always answering 'saddle' has an accuracy of up to ",
                aggregate(df, "max", "baseline_accuracy", "metrics.csv", "pct", estimator=estimator), "."]
    return build


def _pspin_energy(f: Folder) -> list:
    df = f.table("points.csv")
    return ["Index / (N − 1) against the energy per spin u = H/N for all ", Num(len(df), "int", "points.csv",
                                                                              "count(rows)"),
            " critical points found, with ±E_∞ (dashed) and −E₀ (dotted): the index rises with the energy."]


def _network(f: Folder) -> list:
    pts = f.table("points.csv")
    bins = f.table("bins.csv")
    crit = pts[pts["status"] == "critical"]
    top = bins.loc[bins["mean"].idxmax()]
    return ["Left: index / n of the ", Num(len(crit), "int", "points.csv", "count(status = critical)"),
            " critical end points against their loss, and binned means over distinct points (bins.csv); the highest "
            "bin mean is ", aggregate(bins, "max", "mean", "bins.csv"), " at loss ",
            Num(float(top["loss_mid"]), "num4", "bins.csv", "loss_mid at max(mean)"),
            ", far below the coin-flip band ½ ± 2 sd (sd ", aggregate(bins, "max", "binomial_sd", "bins.csv"),
            "). Right: the histogram of index fractions against Binomial(n, ½)/n, the coin-flip law."]


def _per_network(pts, column: str, src: str, style: str = "num") -> list:
    """' A → B (name network)' for each network: ``column`` at its first and last step, at the smallest τ."""
    tau = float(pts["tau"].min())
    parts = []
    for net, g in pts[pts["tau"] == tau].groupby("network", sort=False):
        w = {"network": net, "tau": tau}
        parts += ["; " if parts else "", cell(pts, column, src, style, step=g["step"].min(), **w), " → ",
                  cell(pts, column, src, style, step=g["step"].max(), **w), f" ({net} network)"]
    return parts


def _spectrum_density(f: Folder) -> list:
    pts = f.table("checkpoints.csv")
    return ["Hessian spectral density (SLQ, Gaussian-broadened, log scale) at each checkpoint, one panel per "
            "network. From the first to the last checkpoint the largest eigenvalue goes ",
            *_per_network(pts, "lambda_max", "checkpoints.csv"),
            ", and the smallest SLQ node, the edge of the negative side, ",
            *_per_network(pts, "lambda_min_slq", "checkpoints.csv"), "."]


def _spectrum_index(f: Folder) -> list:
    pts = f.table("checkpoints.csv")
    return ["Left: the negative mass #{λ < −τ}/n with its 95 % interval against the Adam step falls ",
            *_per_network(pts, "negative_mass", "checkpoints.csv"),
            " at the smallest τ, nowhere near the coin-flip claim's ½ (dashed). Right: |∇L| at each checkpoint, "
            "never 0 (down to ", aggregate(pts, "min", "grad_norm", "checkpoints.csv"),
            "): these are points along training, not critical points."]


def _spectrum_outliers(f: Folder) -> list:
    pts = f.table("checkpoints.csv")
    last = pts[pts["step"] == pts.groupby("network")["step"].transform("max")]
    at_classes = (last["outliers_by_gap"] == last["classes"]).any()
    return ["The largest Hessian eigenvalues against their rank (Lanczos), one curve per checkpoint. The number "
            "of outliers before the largest relative gap, start → end: ",
            *_per_network(pts, "outliers_by_gap", "checkpoints.csv", "int"), ", against ",
            aggregate(pts, "max", "classes", "checkpoints.csv", "int"),
            " classes (dashed)" + ("." if at_classes else ": at the last checkpoint the gap is not at the number "
                                   "of classes.")]


def _spectrum_checks(f: Folder) -> list:
    ch = f.table("checks.csv")
    return ["Can SLQ's index interval be trusted? On the ", aggregate(ch, "max", "n", "checks.csv", "int"),
            "-parameter network, where the dense spectrum is computable: left panels, one 95 % interval per "
            "probe set (", aggregate(ch, "max", "coverage_seeds", "checks.csv", "int"),
            " sets per checkpoint) against the dense count #{λ < −τ} (black bar); right, the fraction of "
            "probe sets whose interval covers it. The interval with quadrature bounds covers in at least ",
            aggregate(ch, "min", "index_coverage", "checks.csv", "pct"),
            " of sets everywhere; the probe-noise-only interval as few as ",
            aggregate(ch, "min", "index_probe_coverage", "checks.csv", "pct"), " of them."]


CAPTIONS: dict[tuple[str, str], Callable[[Folder], list]] = {
    ("network", "index_vs_loss"): _network,
    ("trained_spectrum", "density"): _spectrum_density,
    ("trained_spectrum", "index_along_training"): _spectrum_index,
    ("trained_spectrum", "outliers"): _spectrum_outliers,
    ("trained_spectrum", "checks"): _spectrum_checks,
    ("sweep", "p_min"): _sweep_p("min"),
    ("sweep", "p_max"): _sweep_p("max"),
    ("sweep", "p_saddle"): _sweep_p("saddle"),
    ("energy", "p_min_vs_shift"): _energy_pmin,
    ("energy", "index_fraction_vs_shift"): _energy_index,
    ("energy", "wishart_wigner_index"): _ww,
    ("rare", "rare_events"): _rare,
    ("landscape/pspin", "pspin_counts"): _pspin_counts,
    ("landscape/pspin", "pspin_pmin"): _pspin_pmin,
    ("landscape/linear_autoencoder", "autoencoder_critical_points"): _autoencoder,
    ("landscape/mlp", "mlp_index_vs_loss"): _mlp,
    ("landscape/pspin", "pspin_energy_index"): _pspin_energy,
    ("exact", "log10_p_min"): _exact_log10,
    ("exact", "theta"): _exact_theta,
    ("exact-wall", "rate_convergence"): _wall_rate,
    ("exact-wall", "mean_index"): _wall_index,
    ("gd_saddles", "escape"): _gd_escape,
    ("gd_saddles", "raise_fraction"): _gd_raise,
    ("gd_saddles", "plateau"): _gd_plateau,
    ("min_detection", "f1_vs_noise"): _det_scores("noise", "F1 of 'minimum', macro-F1 and accuracy against the "
                                                  "noise σ added to exact Hessians, at τ = 0 and at the best τ"),
    ("min_detection", "pr_minimum"): _det_scores("noise", "Precision against recall of the label 'minimum' as the "
                                                 "tolerance τ varies, one curve per noise level σ"),
    ("min_detection", "fd_step"): _det_scores("fd", "F1 of 'minimum' and accuracy against the finite-difference "
                                              "step h at τ = 0, one line per n"),
    ("min_detection", "pspin_noise"): _det_scores("pspin-noise", "Scores against the noise σ at p-spin critical "
                                                  "points, with exact labels from the Riemannian Hessian"),
    ("min_detection", "mlp_batch"): _det_scores("mlp-batch", "F1 of 'minimum' and macro-F1 against the minibatch "
                                                "size at tanh-network critical points"),
}


def generic_caption(f: Folder, stem: str) -> list:
    """'Figure <stem>, drawn from this folder's tables (name: rows, …).'"""
    parts = [f"{stem.replace('_', ' ')}, drawn by saddlesim plot from this folder's tables ("]
    for i, name in enumerate(f.tables):
        parts += [", " if i else "", f"{name}: ", Num(len(f.table(name)), "int", name, "count(rows)"), " rows"]
    parts.append(")." if f.tables else "none).")
    return parts


def caption(f: Folder, stem: str) -> list:
    """The caption of figure ``stem`` of folder ``f``, from its data; generic where none is known or it fails."""
    build = CAPTIONS.get((finder_key(f), stem))
    if build is not None:
        try:
            return build(f)
        except (KeyError, ValueError, IndexError, OSError, TypeError):
            pass
    return generic_caption(f, stem)

