"""What a model must supply to the rare-event engine: a small protocol.

The engine (:mod:`saddlesim.rare.smc`) estimates ``P(score(X) > target)``
for ``X`` drawn from a model's law by moving a population of walkers through
the conditioned laws ``π_w = law(X | score(X) > w)`` for an increasing
sequence of levels ``w``. It needs four things from the model, and nothing
else; a new model (a non-Gaussian Hessian law, a different score such as
the index) plugs in by implementing them.

* ``initial(size, rng)``: exact draws from the unconditioned law (level -inf).
* ``score(x)``: the quantity whose upper tail is rare (λ_min for P(min)).
* ``log_weights(x, level, next_level)`` and ``transport(x, level, next_level)``:
  a map ``T`` taking walkers from ``π_level`` towards ``π_next`` and the log
  of the importance weight ``dπ_next∘T / dπ_level`` (unnormalised). The
  generic choice, :class:`IndicatorTransport`, is the identity map with
  weight ``1{score > next}`` -- this is subset simulation / multilevel
  splitting. A model with a symmetry can do much better (the Coulomb gas
  shifts every eigenvalue, which keeps its Vandermonde factor).
* ``move(x, level, rng, state)``: a Markov kernel leaving ``π_level``
  invariant (e.g. Metropolis with proposals outside the level rejected).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = ["SplittingModel", "IndicatorTransport"]


@runtime_checkable
class SplittingModel(Protocol):
    """A law plus a score, as the rare-event engine sees it.

    Walkers are arrays ``x`` of shape ``(size, d)``; levels are floats, the
    first one ``-inf``.
    """

    def initial(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Exact draws from the unconditioned law, shape ``(size, d)``."""

    def score(self, x: np.ndarray) -> np.ndarray:
        """Score of each walker, shape ``(size,)``."""

    def log_weights(self, x: np.ndarray, level: float, next_level: float) -> np.ndarray:
        """Log incremental weights of moving ``π_level`` walkers to ``π_next``, shape ``(size,)``.

        ``mean(exp(log_weights))`` must be an unbiased estimate of
        ``P(score > next_level) / P(score > level)`` for ``x ~ π_level``.
        """

    def transport(self, x: np.ndarray, level: float, next_level: float) -> np.ndarray:
        """The deterministic map paired with :meth:`log_weights`."""

    def move(
        self, x: np.ndarray, level: float, rng: np.random.Generator, state: dict[str, Any]
    ) -> np.ndarray:
        """Apply a ``π_level``-invariant Markov kernel; ``state`` carries tuned step sizes."""


class IndicatorTransport:
    """Mixin: identity transport with weight ``1{score > next_level}`` (multilevel splitting).

    References
    ----------
    S.-K. Au and J. L. Beck, "Estimation of small failure probabilities in
    high dimensions by subset simulation", Probab. Eng. Mech. 16 (2001) 263.
    F. Cérou and A. Guyader, "Adaptive multilevel splitting for rare event
    analysis", Stoch. Anal. Appl. 25 (2007) 417.
    """

    def log_weights(self, x, level, next_level):
        s = self.score(x)
        return np.where(s > next_level, 0.0, -np.inf)

    def transport(self, x, level, next_level):
        return x
