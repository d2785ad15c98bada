"""The independent-sign model as a splitting model: a control with P(min) = 2^-n exactly.

It exercises the *generic* path of the engine (indicator weights, identity
transport) that any new model gets for free, against a known answer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from saddlesim.runtime.validate import check_n
from saddlesim.rare.protocol import IndicatorTransport

__all__ = ["IndependentSigns"]


class IndependentSigns(IndicatorTransport):
    """i.i.d. N(0, 1) eigenvalues (the default independent-sign law), score λ_min.

    Parameters
    ----------
    n : int
        Number of eigenvalues, ``n >= 1``.

    Notes
    -----
    The kernel is an exact Gibbs step: every coordinate is redrawn from
    N(0, 1) truncated to ``(level, inf)`` by inversion, which leaves the
    conditioned law invariant (it *is* that law).
    """

    def __init__(self, n: int):
        self.n = check_n(n)

    def __repr__(self) -> str:
        return f"IndependentSigns(n={self.n})"

    def initial(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return rng.standard_normal((size, self.n))

    def score(self, x: np.ndarray) -> np.ndarray:
        return x.min(axis=1)

    def move(
        self, x: np.ndarray, level: float, rng: np.random.Generator, state: dict[str, Any]
    ) -> np.ndarray:
        # Inversion in the upper tail via the survival function: -ndtri(u * ndtr(-level))
        # stays accurate for levels far above 0, where 1 - ndtr(level) would cancel.
        tail = ndtr(-level) if np.isfinite(level) else 1.0
        u = rng.random(x.shape)
        return -ndtri(u * tail)
