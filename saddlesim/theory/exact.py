"""Exact P(all eigenvalues > t) for the Gaussian orthogonal, unitary and symplectic ensembles.

A critical point whose Hessian is ``H = G + s·I`` is a minimum when every
eigenvalue of ``G`` exceeds the wall ``t = -s``. With eigenvalue density
``∝ |Δ(λ)|^β exp(-Σλ²/2)`` on R^n (diagonal entries N(0, 1)),

    P(λ_min > t) = ∫_{(t,∞)^n} |Δ|^β e^{-Σλ²/2} dλ / Z_n(β),

and for β = 1, 2, 4 the integral reduces to finite linear algebra on moments
over ``(t, ∞)`` (:mod:`saddlesim.theory.moments`), in powers of ``x - c``
with ``c = max(t, 0)``:

beta = 1 (de Bruijn)
    ``n! ∫_{t<λ_1<...<λ_n} det[(λ_j - c)^{i-1}] Π w(λ_j) dλ = n! Pf(A)`` with
    the skew moments ``A`` of :func:`~saddlesim.theory.moments.tail_skew_moments`;
    for odd n, ``A`` is bordered by the column of single moments ``ν_i``.
beta = 2 (Andréief / Heine)
    ``∫_{(t,∞)^n} Δ² Π w = n! det[ν_{i+j}]_{i,j=0}^{n-1}``.
beta = 4 (de Bruijn, confluent Vandermonde)
    ``Δ(λ)^4 = det[u_j^i, i u_j^{i-1}]`` (i = 0..2n-1, two columns per
    eigenvalue, ``u = λ - c``), so de Bruijn's theorem gives
    ``∫_{(t,∞)^n} Δ⁴ Π w = n! Pf(B)``, ``B_ij = ∫_t^∞ (φ_i ψ_j - φ_j ψ_i)
    = (j - i) ν_{i+j-1}`` with ``φ_i = u^i w``, ``ψ_i = i u^{i-1} w``:
    single integrals only. At n = 2, t = 0 this gives ¼ - 2/(3π).

All are normalised by Mehta's integral ``Z_n(β)`` in closed form. Results
travel as natural logs: P(min) is ~1e-1210 at n = 100 (GOE).

Precision is *checked, not assumed*: every value is computed at two working
precisions and must agree to ``1e-12`` in ``ln P`` (absolute; relative 1e-12
in P); otherwise the precision is raised and, failing that,
:class:`PrecisionError` is raised.

References
----------
N. G. de Bruijn, "On some multiple integrals involving determinants",
J. Indian Math. Soc. 19 (1955) 133-151.
M. L. Mehta, *Random Matrices*, 3rd ed. (2004), ch. 5-7 (β = 4 via the
confluent Vandermonde, §7.1) and eq. (17.6.7).
D. S. Dean and S. N. Majumdar, "Large deviations of extreme eigenvalues of
random matrices", Phys. Rev. Lett. 97 (2006) 160201 (the large-n law these
values approach; see :mod:`saddlesim.theory.asymptotics`).
"""

from __future__ import annotations

import functools
import math

import mpmath
from mpmath import mpf

from saddlesim.runtime.validate import check_n
from saddlesim.theory.linalg import pfaffian, spd_determinant
from saddlesim.theory.moments import (
    log_mehta_integral,
    recurrence_guard_digits,
    tail_moments,
    tail_skew_moments,
)

__all__ = ["check_exact_beta", 
    "EXACT_BETAS",
    "MAX_GSE_N",
    "PrecisionError",
    "has_exact",
    "log_p_above",
    "log10_p_above",
    "log_p_above_mp",
    "log_p_min",
    "log10_p_min",
    "p_min",
    "log_p_saddle",
    "log_p_min_mp",
    "working_precisions",
    "LN10",
]

#: Dyson indices with exact finite-n P(min): GOE, GUE and GSE.
EXACT_BETAS = (1, 2, 4)

#: Largest n with exact GSE results: a 2n x 2n Pfaffian, as costly as GOE at 2n.
MAX_GSE_N = 50

LN10 = math.log(10.0)

#: Two results agree when their ln P differ by at most this (relative 1e-12 in P).
AGREEMENT = mpf("1e-12")


class PrecisionError(ArithmeticError):
    """Two working precisions disagree: the result cannot be trusted."""


def has_exact(beta, n=None) -> bool:
    """True if exact finite-n P(min) is available for Dyson index ``beta`` (and size ``n``).

    β = 1 and 2 have results at every n; β = 4 for ``n <= MAX_GSE_N``.
    """
    try:
        b = float(beta)
    except (TypeError, ValueError):
        return False
    if b not in EXACT_BETAS:
        return False
    return not (b == 4 and n is not None and n > MAX_GSE_N)


def check_exact_beta(beta, n=None) -> int:
    """``beta`` as 1, 2 or 4 if exact results exist for it (and dimension ``n``), else ValueError."""
    if not has_exact(beta):
        raise ValueError(
            "exact P(min) is available for beta = 1 (GOE), beta = 2 (GUE) and beta = 4 (GSE) only, "
            f"got beta={beta!r}"
        )
    if not has_exact(beta, n):
        raise ValueError(f"exact GSE (beta = 4) results are implemented for n <= {MAX_GSE_N}, got n={n}")
    return int(float(beta))


def _check_wall(t) -> float:
    try:
        t = float(t)
    except (TypeError, ValueError):
        raise ValueError(f"the wall t must be a real number, got {t!r}") from None
    if not math.isfinite(t):
        raise ValueError(f"the wall t must be finite, got {t!r}")
    return t


def _centre(t: float) -> float:
    # Above the bulk (t > 0) the eigenvalues crowd just over t: powers of
    # x - t are nearly independent there, powers of x nearly collinear
    # (at t = 10 they lose hundreds of digits). Below, the bulk sits at 0.
    return max(t, 0.0)


def _pfaffian_integral(n: int, t: float, c: float):
    """``∫_{t<λ_1<...<λ_n} Π_{i<j}(λ_j - λ_i) Π e^{-λ²/2} dλ`` (de Bruijn)."""
    A = tail_skew_moments(n, t, c)
    if n % 2:
        m = tail_moments(n, t, c)
        for i in range(n):
            A[i].append(m[i])
        A.append([-mi for mi in m] + [mpf(0)])
    return A


def _integral(n: int, t: float, beta: int, dps: int):
    """The β-integral over ``(t, ∞)^n`` divided by n!, at ``dps`` digits."""
    c = _centre(t)
    count = {1: 2 * n, 2: 2 * n - 1, 4: 4 * n - 1}[beta]
    # Moments are O(n^2) work: compute them with the digits their recurrences
    # lose, so the O(n^3) elimination starts from correctly rounded entries.
    with mpmath.workdps(dps + recurrence_guard_digits(count, t, c)):
        if beta == 1:
            M = _pfaffian_integral(n, t, c)
        else:
            nu = tail_moments(count, t, c)
            if beta == 2:
                M = [[nu[i + j] for j in range(n)] for i in range(n)]
            else:
                m = 2 * n
                M = [[(j - i) * nu[i + j - 1] if i + j else mpf(0) for j in range(m)] for i in range(m)]
    with mpmath.workdps(dps):
        M = [[+x for x in row] for row in M]
        return spd_determinant(M) if beta == 2 else pfaffian(M)


def log_p_above_mp(n: int, t, beta, dps: int):
    """ln P(λ_min > t) at one fixed working precision, unchecked.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    t : float
        The wall.
    beta : {1, 2, 4}
    dps : int
        Decimal digits of working precision.

    Returns
    -------
    logp : mpf or None
        ``None`` when rounding made the integral non-positive (precision far
        too low).
    """
    n, t = check_n(n), _check_wall(t)
    beta = check_exact_beta(beta, n)
    integral = _integral(n, t, beta, dps)
    with mpmath.workdps(dps):
        if not integral > 0:
            return None
        return +(mpmath.log(integral) + mpmath.loggamma(n + 1) - log_mehta_integral(n, beta))


def log_p_min_mp(n: int, beta, dps: int):
    """ln P(min) = ln P(λ_min > 0) at one fixed working precision; see :func:`log_p_above_mp`."""
    return log_p_above_mp(n, 0.0, beta, dps)


def working_precisions(n: int, t: float = 0.0, beta=1) -> tuple[int, int]:
    """The two decimal precisions a size-n result is computed at.

    Pivoted elimination loses about 1.1 m digits for an m x m moment matrix
    (measured at m = 100, t = 0: the results at 230 and 345 digits agree to
    1e-119 in ln P for both GOE and GUE, and 80 digits give a wrong value);
    ``30 + 2m`` covers that with margin, and the second, 50% higher,
    precision is the check. β = 4 has m = 2n. A wall ``t > 0`` adds
    ``n log10(1 + t)`` digits: the elimination then works on moments that
    fall like ``k!/t^k``.
    """
    m = 2 * n if float(beta) == 4 else n
    low = 30 + 2 * m + math.ceil(n * math.log10(1.0 + max(float(t), 0.0)))
    return low, low + low // 2


@functools.lru_cache(maxsize=4096)
def _log_p_above_checked(n: int, t: float, beta: int) -> float:
    low, high = working_precisions(n, t, beta)
    for _ in range(4):
        a = log_p_above_mp(n, t, beta, low)
        b = log_p_above_mp(n, t, beta, high)
        if a is not None and b is not None and abs(a - b) <= AGREEMENT:
            return float(b)
        low, high = high, 2 * high
    raise PrecisionError(
        f"P(lambda_min > {t:g}) for n={n}, beta={beta} did not converge up to {high // 2} digits"
    )


def log_p_above(n: int, t, beta) -> float:
    """Natural log of the exact probability that every eigenvalue exceeds ``t``.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1`` (``n <= MAX_GSE_N`` for β = 4).
    t : float
        The wall, any finite real. For a shifted Hessian ``H = G + s·I``
        (``s > 0`` favours minima), ``P(H is a minimum) = log_p_above(n, -s, beta)``.
    beta : {1, 2, 4}
        Dyson index: 1 GOE, 2 GUE, 4 GSE; eigenvalue density
        ∝ |Δ|^β e^{-Σλ²/2} (diagonal entries N(0, 1)).

    Returns
    -------
    logp : float
        ``ln P(λ_min > t)``, finite for every n and t (never underflowed); within
        1e-12 of the truth in absolute terms (so for t far below the bulk, where
        P ≈ 1, the small ``-ln P`` is known to 1e-12 absolute, not relatively).
        By λ → -λ also ``ln P(λ_max < -t)``.

    Raises
    ------
    ValueError
        ``n < 1``, a non-finite ``t``, a beta without exact results, or
        ``n > MAX_GSE_N`` for β = 4.
    PrecisionError
        If two working precisions disagree even after raising them.

    Examples
    --------
    >>> import math
    >>> math.exp(log_p_above(1, -1.0, 1))  # Φ(1)
    0.8413447460685429

    References
    ----------
    N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151;
    M. L. Mehta, *Random Matrices*, 3rd ed. (2004), ch. 7.
    """
    n, t = check_n(n), _check_wall(t)
    return _log_p_above_checked(n, t, check_exact_beta(beta, n))


def log10_p_above(n: int, t, beta) -> float:
    """Base-10 log of :func:`log_p_above`."""
    return log_p_above(n, t, beta) / LN10


def log_p_min(n: int, beta) -> float:
    """Natural log of the exact probability that all eigenvalues are positive.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1`` (``n <= MAX_GSE_N`` for β = 4).
    beta : {1, 2, 4}
        Dyson index: 1 for GOE, 2 for GUE, 4 for GSE (density ∝ |Δ|^β e^{-Σλ²/2}).

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
    return log_p_above(n, 0.0, beta)


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
