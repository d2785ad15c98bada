"""Index over a grid of thresholds τ, and the headline rule for τ.

A trained network's Hessian has a bulk of eigenvalues near zero, so
#{λ < −τ} moves with τ through that bulk: at τ = √ε·max|λ| the count on a
2410-parameter digits MLP was 482, at 10⁻⁴·max|λ| 49. One number at one τ is
then not the answer; :func:`count_table` gives the count at every decade
τ = 10⁻ᵏ·max|λ| from the Hessian's numerical floor (√ε·max|λ|: the
accuracy of eigenvalues of a Hessian whose entries carry rounding of order
ε·|H|) to 10⁻¹·max|λ|, with intervals, from one computation — the dense
eigenvalues, or one SLQ run (its per-probe quadrature rules give every τ,
:func:`saddlesim.curvature.slq.count_interval`) — and the near-kernel
count #{|λ| ≤ τ} beside it.

The headline rule (:data:`HEADLINE_RTOL`): τ = 10⁻⁴·max|λ|. Eigenvalues
within 10⁻⁴ of the largest curvature change the loss by less than 10⁻⁴ of
what the stiffest direction does over the same step: at the precision a
network is trained to they are flat, not signs. Being relative, the rule
gives a loss multiplied by any constant the same τ/max|λ|, counts and verdict.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["HEADLINE_RTOL", "FLOOR_RTOL", "TAU_RULE", "tau_grid", "count_table", "headline_tau"]

#: The headline τ relative to max|λ|.
HEADLINE_RTOL = 1e-4
#: The numerical floor relative to max|λ| (√ε).
FLOOR_RTOL = float(np.sqrt(np.finfo(float).eps))
#: The rule in words, printed with every headline count.
TAU_RULE = "τ = 1e-4·max|λ| (eigenvalues within 1e-4 of the largest curvature count as flat)"


def headline_tau(scale: float, rtol: float = HEADLINE_RTOL) -> float:
    """τ = rtol · max|λ| for ``scale`` = max|λ|."""
    return float(rtol) * float(scale)


def tau_grid(scale: float) -> np.ndarray:
    """Relative decades: [√ε, 10⁻⁷, 10⁻⁶, …, 10⁻¹] · ``scale``, ascending, shape (8,) (empty for scale 0)."""
    if not (np.isfinite(scale) and scale > 0):
        return np.zeros(0)
    top = 1
    bottom = math.floor(-math.log10(FLOOR_RTOL))          # 7: the first decade above the floor
    rel = [FLOOR_RTOL] + [10.0 ** -k for k in range(bottom, top - 1, -1)]
    return np.asarray(rel) * float(scale)


def count_table(source, scale: float | None = None) -> list[dict]:
    """#{λ < −τ} and #{|λ| ≤ τ} at every τ of :func:`tau_grid`, with intervals.

    Parameters
    ----------
    source : ndarray (n,) or SLQ
        The dense eigenvalues (exact counts, interval of width 0) or one
        :class:`~saddlesim.curvature.slq.SLQ` run (estimate and its covering
        95 % interval at each τ).
    scale : float, optional
        max|λ|; default from the eigenvalues or the SLQ run's extreme nodes.

    Returns
    -------
    list of dict
        One row per τ, ascending: ``rtol`` (τ / max|λ|), ``tau``, ``index``,
        ``index_lo``, ``index_hi``, ``nullity``, ``nullity_lo``, ``nullity_hi``.
    """
    from saddlesim.curvature.slq import SLQ

    rows = []
    if isinstance(source, SLQ):
        if scale is None:
            scale = max(abs(source.extremes[0]), abs(source.extremes[1]))
        for tau in tau_grid(scale):
            b, w = source.count_below(-tau), source.count_within(tau)
            rows.append({"rtol": float(tau / scale), "tau": float(tau), "index": b["estimate"], "index_lo": b["lo"],
                         "index_hi": b["hi"], "nullity": w["estimate"], "nullity_lo": w["lo"],
                         "nullity_hi": w["hi"]})
        return rows
    lam = np.asarray(source, dtype=np.float64)
    if scale is None:
        scale = float(np.max(np.abs(lam))) if lam.size else 0.0
    for tau in tau_grid(scale):
        k = int(np.sum(lam < -tau))
        z = int(np.sum(np.abs(lam) <= tau))
        rows.append({"rtol": float(tau / scale), "tau": float(tau), "index": k, "index_lo": k, "index_hi": k,
                     "nullity": z, "nullity_lo": z, "nullity_hi": z})
    return rows
