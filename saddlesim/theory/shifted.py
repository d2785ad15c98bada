"""Exact P(min) of a shifted model H = G + s·I, wherever theory has it.

P(min of G + s I) = P(lambda_min(G) > -s). Exact here:

- shift 0: :func:`saddlesim.theory.models.model_log_p_min`;
- the independent-sign model: its eigenvalues are i.i.d. N(0, 1) (fair signs
  times |N(0, 1)|, :mod:`saddlesim.models.independent`), so
  P(min) = Phi(s)^n;
- any Gaussian ensemble at n = 1 (H = N(0, 1) + s): Phi(s);
- GOE and GUE at any n, GSE up to its exact size limit: the exact
  P(lambda_min > t) at the wall t = -s (:func:`saddlesim.theory.exact.log_p_above`).

Elsewhere (general beta) NaN.
"""

from __future__ import annotations

import math

from scipy.special import log_ndtr

from saddlesim.runtime.validate import check_n
from saddlesim.models.spec import Model
from saddlesim.theory.exact import has_exact, log_p_above
from saddlesim.theory.models import model_log_p_min

__all__ = ["model_log_p_min_shifted", "semicircle_radius"]


def model_log_p_min_shifted(model: Model | str, n: int, shift: float) -> float:
    """Exact ln P(min) of ``G + shift·I``, or NaN where no exact result is implemented here.

    Parameters
    ----------
    model : Model or str
    n : int
    shift : float

    Returns
    -------
    float
        Natural log; finite far below the float range where the formula is a log.
    """
    model = model if isinstance(model, Model) else Model(model)
    n, s = check_n(n), float(shift)
    if s == 0.0:
        return model_log_p_min(model, n)
    if not model.is_gaussian:
        return float(n * log_ndtr(s))
    if n == 1:
        return float(log_ndtr(s))
    if has_exact(model.beta, n):
        return log_p_above(n, -s, model.beta)
    return math.nan


def semicircle_radius(n: int, beta: float = 1.0) -> float:
    """Edge of the Gaussian beta-ensemble spectrum for large n: ``sqrt(2 beta n)``.

    With density ∝ |Δ|^beta exp(-Σ lambda^2/2) the empirical spectrum of
    lambda / sqrt(2 beta n) tends to the semicircle on [-1, 1].

    References
    ----------
    E. P. Wigner, Ann. Math. 67 (1958) 325; I. Dumitriu and A. Edelman (2002).
    """
    return math.sqrt(2.0 * float(beta) * check_n(n))

