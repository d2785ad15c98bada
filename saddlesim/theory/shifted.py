"""Exact P(min) of a shifted model H = G + s·I, wherever theory has it.

P(min of G + s I) = P(lambda_min(G) > -s). Exact here:

- shift 0: :func:`saddlesim.theory.models.model_log_p_min`;
- the independent-sign model: its eigenvalues are i.i.d. N(0, 1) (fair signs
  times |N(0, 1)|, :mod:`saddlesim.models.independent`), so
  P(min) = Phi(s)^n;
- any Gaussian ensemble at n = 1 (H = N(0, 1) + s): Phi(s);
- GOE at n = 2 by a 1-D quadrature (:func:`goe2_log_p_min_shifted`).

Elsewhere NaN (GOE/GUE at any wall and n are the subject of the exact
wall theory, which fills these in where it exists).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate
from scipy.special import log_ndtr

from saddlesim._validate import check_n
from saddlesim.models.spec import Model
from saddlesim.theory.models import model_log_p_min

__all__ = ["model_log_p_min_shifted", "goe2_log_p_min_shifted", "semicircle_radius", "semicircle_index_fraction"]


def goe2_log_p_min_shifted(shift: float) -> float:
    """ln P(lambda_min > -s) for the 2 x 2 GOE with density ∝ exp(-tr H^2 / 2).

    With u = lambda_1 + lambda_2 and d = lambda_1 - lambda_2 >= 0 the joint
    eigenvalue density ∝ |d| exp(-(lambda_1^2 + lambda_2^2)/2) factorises:
    u ~ N(0, 2) (the trace) independently of d, which has density
    (d/2) exp(-d^2/4). Then lambda_min = (u - d)/2 and

        P(lambda_min > t) = ∫_0^∞ (d/2) e^{-d^2/4} Phi̅((2t + d)/√2) dd.

    At s = 0 this is (2 - √2)/4 (the unshifted value).

    References
    ----------
    M. L. Mehta, *Random Matrices*, 3rd ed. (2004), §3.1 (the joint density).
    """
    t = -float(shift)

    def log_integrand(d):
        with np.errstate(divide="ignore"):
            return np.log(0.5 * d) - 0.25 * d * d + log_ndtr(-(2.0 * t + d) / math.sqrt(2.0))

    # integrate exp(L - L_max) so the result stays finite far in the tail
    grid = np.linspace(1e-6, 12.0 + max(0.0, -2.0 * t), 4001)
    L = log_integrand(grid)
    peak = float(grid[np.argmax(L)])
    top = float(L.max())
    val = 0.0
    for lo, hi in ((0.0, peak), (peak, np.inf)):
        val += integrate.quad(lambda d: np.exp(log_integrand(d) - top), lo, hi,
                              epsabs=0, epsrel=1e-12, limit=200)[0]
    return top + math.log(val)


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
    if n == 2 and model.beta == 1.0:
        return goe2_log_p_min_shifted(s)
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


def semicircle_index_fraction(x) -> np.ndarray:
    """Mean index fraction of G + s I as n -> ∞, at scaled shift ``x = s / semicircle_radius``.

    The fraction of semicircle mass below -x:
    alpha(x) = 1/2 - (x sqrt(1 - x^2) + arcsin x) / pi for |x| <= 1,
    0 for x >= 1 (every eigenvalue positive), 1 for x <= -1.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    alpha : ndarray, shape of ``x``

    References
    ----------
    A. J. Bray and D. S. Dean, Phys. Rev. Lett. 98 (2007) 150201 (index against
    energy); E. P. Wigner (1958) (the semicircle).
    """
    y = np.clip(np.asarray(x, dtype=float), -1.0, 1.0)
    return 0.5 - (y * np.sqrt(1.0 - y * y) + np.arcsin(y)) / np.pi
