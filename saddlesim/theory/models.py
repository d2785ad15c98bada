"""Exact P(min) for a :class:`~saddlesim.models.Model`, wherever theory has it.

The one place that decides which (model, n) have an exact answer, for every
table that carries exact columns (sweeps, rare events).
"""

from __future__ import annotations

import math

from saddlesim.runtime.validate import check_n
from saddlesim.models.spec import Model
from saddlesim.theory.exact import has_exact, log_p_min
from saddlesim.theory.coin_flip import coinflip_log_p_min

__all__ = ["model_log_p_min"]


def model_log_p_min(model: Model | str, n: int) -> float:
    """Exact ln P(min) of ``model`` at dimension ``n``, or NaN where no exact result exists.

    Exact for: the independent-sign model (the coin-flip ``2^-n`` is its law),
    any model at ``n = 1`` (a symmetric law gives 1/2), GOE and GUE at any n
    and GSE for ``n <= MAX_GSE_N`` (:func:`~saddlesim.theory.exact.log_p_min`).
    NaN for larger GSE and for general beta at ``n >= 2``.
    """
    model = model if isinstance(model, Model) else Model(model)
    n = check_n(n)
    if model.name == "wishart-wigner":
        return math.nan  # not symmetric about 0, and no finite-n theory
    if not model.is_gaussian or n == 1:
        return coinflip_log_p_min(n)
    if has_exact(model.beta, n):
        return log_p_min(n, model.beta)
    return math.nan
