"""Exact P(minimum) for the Gaussian orthogonal and unitary ensembles, any n.

A critical point with a GOE (beta = 1) or GUE (beta = 2) Hessian is a minimum
when all eigenvalues are positive. With eigenvalue density
``∝ |Δ(λ)|^β exp(-Σλ²/2)`` on R^n,

    P(min) = ∫_{(0,∞)^n} |Δ|^β e^{-Σλ²/2} dλ / Z_n(β),

and both integrals reduce to finite linear algebra on moments:

beta = 1 (de Bruijn)
    ``n! ∫_{0<λ_1<...<λ_n} det[λ_j^{i-1}] Π w(λ_j) dλ = n! Pf(A)`` with the skew
    moments ``A`` of :func:`~saddlesim.theory.moments.half_line_skew_moments`;
    for odd n, ``A`` is bordered by the column of single moments ``m_i``.
beta = 2 (Andréief / Heine)
    ``∫_{(0,∞)^n} Δ² Π w = n! det[m_{i+j}]_{i,j=0}^{n-1}``.

Both are normalised by Mehta's integral ``Z_n(β)`` in closed form. Results
travel as natural logs: P(min) is ~1e-1210 at n = 100 (GOE).

Precision is *checked, not assumed*: every value is computed at two working
precisions and must agree to ``1e-12`` in ``ln P`` (relative 1e-12 in P);
otherwise the precision is raised and, failing that, :class:`PrecisionError`
is raised.

References
----------
N. G. de Bruijn, "On some multiple integrals involving determinants",
J. Indian Math. Soc. 19 (1955) 133-151.
M. L. Mehta, *Random Matrices*, 3rd ed. (2004), ch. 5-7 and eq. (17.6.7).
D. S. Dean and S. N. Majumdar, "Large deviations of extreme eigenvalues of
random matrices", Phys. Rev. Lett. 97 (2006) 160201 (the large-n law these
values approach; see :mod:`saddlesim.theory.asymptotics`).
"""

from __future__ import annotations

import functools
import math

import mpmath
from mpmath import mpf

from saddlesim._validate import check_n
from saddlesim.theory.linalg import pfaffian, spd_determinant
from saddlesim.theory.moments import half_line_moments, half_line_skew_moments, log_mehta_integral

__all__ = [
    "EXACT_BETAS",
    "PrecisionError",
    "has_exact",
    "log_p_min",
    "log10_p_min",
    "p_min",
    "log_p_saddle",
    "log_p_min_mp",
    "working_precisions",
    "LN10",
]

#: Dyson indices with exact finite-n P(min): GOE and GUE.
EXACT_BETAS = (1, 2)

LN10 = math.log(10.0)

#: Two results agree when their ln P differ by at most this (relative 1e-12 in P).
AGREEMENT = mpf("1e-12")


class PrecisionError(ArithmeticError):
    """Two working precisions disagree: the result cannot be trusted."""


def has_exact(beta) -> bool:
    """True if exact finite-n P(min) is available for Dyson index ``beta``."""
    try:
        return float(beta) in EXACT_BETAS
    except (TypeError, ValueError):
        return False


def _check_beta(beta) -> int:
    if not has_exact(beta):
        raise ValueError(
            f"exact P(min) is available for beta = 1 (GOE) and beta = 2 (GUE) only, got beta={beta!r}"
        )
    return int(float(beta))


def _pfaffian_integral(n: int):
    """``∫_{0<λ_1<...<λ_n} Π_{i<j}(λ_j - λ_i) Π e^{-λ²/2} dλ`` (de Bruijn)."""
    A = half_line_skew_moments(n)
    if n % 2:
        m = half_line_moments(n)
        for i in range(n):
            A[i].append(m[i])
        A.append([-mi for mi in m] + [mpf(0)])
    return pfaffian(A)


def _hankel_integral(n: int):
    """``(1/n!) ∫_{(0,∞)^n} Δ² Π e^{-λ²/2} dλ = det[m_{i+j}]`` (Heine)."""
    m = half_line_moments(2 * n - 1)
    return spd_determinant([[m[i + j] for j in range(n)] for i in range(n)])


def log_p_min_mp(n: int, beta, dps: int):
    """ln P(min) at one fixed working precision, unchecked.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    beta : {1, 2}
    dps : int
        Decimal digits of working precision.

    Returns
    -------
    logp : mpf or None
        ``None`` when rounding made the integral non-positive (precision far
        too low).
    """
    n, beta = check_n(n), _check_beta(beta)
    with mpmath.workdps(dps):
        integral = _pfaffian_integral(n) if beta == 1 else _hankel_integral(n)
        if not integral > 0:
            return None
        return +(mpmath.log(integral) + mpmath.loggamma(n + 1) - log_mehta_integral(n, beta))


def working_precisions(n: int) -> tuple[int, int]:
    """The two decimal precisions a size-n result is computed at.

    Pivoted elimination loses about 1.1 n digits here (measured at n = 100:
    the results at 230 and 345 digits agree to 1e-119 in ln P for both GOE
    and GUE, and 80 digits give a wrong value); ``30 + 2n`` covers that with
    margin, and the second, 50% higher, precision is the check.
    """
    low = 30 + 2 * n
    return low, low + low // 2


@functools.lru_cache(maxsize=None)
def _log_p_min_checked(n: int, beta: int) -> float:
    low, high = working_precisions(n)
    for _ in range(4):
        a = log_p_min_mp(n, beta, low)
        b = log_p_min_mp(n, beta, high)
        if a is not None and b is not None and abs(a - b) <= AGREEMENT:
            return float(b)
        low, high = high, 2 * high
    raise PrecisionError(
        f"P(min) for n={n}, beta={beta} did not converge up to {high // 2} digits"
    )


def log_p_min(n: int, beta) -> float:
    """Natural log of the exact probability that all eigenvalues are positive.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    beta : {1, 2}
        Dyson index: 1 for GOE, 2 for GUE (density ∝ |Δ|^β e^{-Σλ²/2}).

    Returns
    -------
    logp : float
        ``ln P(min)``, finite for every n (no underflow: -2785 at n = 100, GOE).
        Also ``ln P(max)`` by the symmetry λ → -λ.

    Raises
    ------
    ValueError
        ``n < 1`` or a beta without exact results.
    PrecisionError
        If two working precisions disagree (not seen for n ≤ 200 GOE, n ≤ 100 GUE).

    Examples
    --------
    >>> import math
    >>> math.exp(log_p_min(2, 1))  # (2 - √2)/4
    0.14644660940672627
    """
    return _log_p_min_checked(check_n(n), _check_beta(beta))


def log10_p_min(n: int, beta) -> float:
    """Base-10 log of the exact P(min); see :func:`log_p_min`."""
    return log_p_min(n, beta) / LN10


def p_min(n: int, beta) -> float:
    """Exact P(min) as a float; 0.0 only if it is truly below the float range."""
    return math.exp(log_p_min(n, beta))


def log_p_saddle(n: int, beta) -> float:
    """ln P(saddle) = ln(1 - 2 P(min)), computed as log1p so it stays accurate.

    ``-inf`` at n = 1, where every critical point is a minimum or a maximum.
    """
    x = -2.0 * p_min(n, beta)
    return -math.inf if x == -1.0 else math.log1p(x)
