"""Moments of the Gaussian weight over a half-line and the Mehta-Selberg normaliser.

With weight ``w(x) = exp(-x^2/2)`` and powers ``(x - c)^i`` of a shifted
variable as the functions in the Vandermonde determinant, every moment needed
for P(all eigenvalues > t) is a complementary error function followed by a
two-term recurrence; no quadrature is involved, so the only error is rounding
at the working precision.

The centre ``c`` does not change any determinant or Pfaffian built from these
moments (the change of basis ``x^i -> (x - c)^i`` is unit triangular and
``Δ(x) = Δ(x - c)``), only its conditioning: for a wall ``t > 0`` the
eigenvalues crowd just above ``t``, and powers of ``x - t`` separate them far
better than powers of ``x``.

Everything here must be called inside an ``mpmath.workdps`` block; results are
``mpf``.
"""

from __future__ import annotations

import math

import mpmath
from mpmath import mpf

__all__ = [
    "tail_moments",
    "tail_skew_moments",
    "recurrence_guard_digits",
    "half_line_moments",
    "half_line_skew_moments",
    "log_mehta_integral",
]


def recurrence_guard_digits(count: int, t: float, centre: float) -> int:
    """Decimal digits the moment recurrences can lose for a wall ``t`` and centre ``c``.

    With ``c > 0`` the step ``ν_{k+1} = k ν_{k-1} - c ν_k + ...`` subtracts
    nearly equal numbers while ``c² > k`` (the moments fall like ``k!/c^k``):
    about ``log10(c²/k)`` digits per step. Computing the moments with these
    extra digits leaves them correct to the working precision.
    """
    c2 = float(centre) ** 2
    if c2 == 0.0:
        return 10
    return 10 + math.ceil(sum(max(0.0, math.log10(c2 / k)) for k in range(1, count + 1)))


def _weights(t, centre):
    """``a = t - c``, ``w(t) = e^{-t²/2}``, ``ν_0 = ∫_t^∞ w``, ``G_0 = ∫_t^∞ w²``."""
    t, c = mpf(t), mpf(centre)
    wt = mpmath.exp(-t * t / 2)
    nu0 = mpmath.sqrt(mpmath.pi / 2) * mpmath.erfc(t / mpmath.sqrt(2))
    g0 = mpmath.sqrt(mpmath.pi) / 2 * mpmath.erfc(t)
    return t - c, c, wt, nu0, g0


def tail_moments(count: int, t=0, centre=0) -> list:
    """``ν_k = ∫_t^∞ (x - c)^k e^{-x²/2} dx``, k = 0..count-1.

    Writing ``x = c + u`` and integrating ``u^k (u + c) e^{-(u+c)²/2}`` by
    parts gives, with ``a = t - c``,

        ν_0 = √(π/2) erfc(t/√2),   ν_{k+1} = a^k e^{-t²/2} + k ν_{k-1} - c ν_k.

    At ``t = c = 0`` this is ``2^{(k-1)/2} Γ((k+1)/2)``.

    Parameters
    ----------
    count : int
    t : real
        The wall; any real number.
    centre : real
        ``c``; 0 or ``t`` in practice.

    Returns
    -------
    nu : list of mpf, length count
    """
    a, c, wt, nu0, _ = _weights(t, centre)
    nu = [nu0]
    if count > 1:
        nu.append(wt - c * nu0)
    ak = mpf(1)
    for k in range(1, count - 1):
        ak *= a
        nu.append(ak * wt + k * nu[k - 1] - c * nu[k])
    return nu[:count]


def tail_skew_moments(n: int, t=0, centre=0) -> list:
    """de Bruijn's skew moments of ``(x - c)^i e^{-x²/2}`` on ``(t, ∞)``.

    ``A_ij = ∫∫_{x,y>t} sgn(y - x) (x-c)^i (y-c)^j e^{-(x²+y²)/2} dx dy``,
    i, j = 0..n-1.

    Returns
    -------
    A : list of lists of mpf, shape (n, n)
        Skew-symmetric.

    Notes
    -----
    In ``u = x - c``, ``a = t - c``, ``w(u) = e^{-(u+c)²/2}``:
    ``A_ij = α_ij - α_ji`` with ``α_ij = ∫_a^∞ v^j w(v) F_i(v) dv`` and
    ``F_i(v) = ∫_a^v u^i w(u) du``. Integrating ``u^i (u + c) w(u)`` by parts,
    ``F_{i+1} = a^i w(a) - v^i w(v) + i F_{i-1} - c F_i``, hence with
    ``G_k = ∫_a^∞ v^k w(v)² dv`` (:func:`_square_moments`):

    - ``α_{i+1,j} = a^i e^{-t²/2} ν_j - G_{i+j} + i α_{i-1,j} - c α_ij``,
    - ``α_0j = (j-1) α_{0,j-2} + G_{j-1} - c α_{0,j-1}`` (parts on the outer
      variable; ``F_0(a) = 0``), ``α_00 = ν_0²/2``.

    References
    ----------
    N. G. de Bruijn, "On some multiple integrals involving determinants",
    J. Indian Math. Soc. 19 (1955) 133-151.
    """
    a, c, wt, _, _ = _weights(t, centre)
    nu = tail_moments(n, t, centre)
    G = _square_moments(2 * n, t, centre)
    al = [[mpf(0)] * n for _ in range(n)]
    al[0][0] = nu[0] ** 2 / 2
    for j in range(1, n):
        al[0][j] = (j - 1) * (al[0][j - 2] if j >= 2 else 0) + G[j - 1] - c * al[0][j - 1]
    ai = mpf(1)
    for i in range(n - 1):
        if i:
            ai *= a
        f = ai * wt
        prev = al[i - 1] if i else None
        row = al[i]
        al[i + 1] = [
            f * nu[j] - G[i + j] + (i * prev[j] if i else 0) - c * row[j] for j in range(n)
        ]
    return [[al[i][j] - al[j][i] for j in range(n)] for i in range(n)]


def _square_moments(count: int, t, centre) -> list:
    """``G_k = ∫_t^∞ (x - c)^k e^{-x²} dx``: ``G_{k+1} = (a^k e^{-t²} + k G_{k-1})/2 - c G_k``."""
    a, c, wt, _, g0 = _weights(t, centre)
    w2 = wt * wt
    G = [g0]
    if count > 1:
        G.append(w2 / 2 - c * g0)
    ak = mpf(1)
    for k in range(1, count - 1):
        ak *= a
        G.append((ak * w2 + k * G[k - 1]) / 2 - c * G[k])
    return G[:count]


def half_line_moments(count: int) -> list:
    """``m_k = ∫_0^∞ x^k e^{-x²/2} dx = 2^{(k-1)/2} Γ((k+1)/2)``, k = 0..count-1.

    Returns
    -------
    m : list of mpf, length count
    """
    return tail_moments(count, 0, 0)


def half_line_skew_moments(n: int) -> list:
    """de Bruijn's skew moments of ``x^i e^{-x²/2}`` on ``(0, ∞)``; see :func:`tail_skew_moments`."""
    return tail_skew_moments(n, 0, 0)


def log_mehta_integral(n: int, beta) -> mpf:
    """Natural log of Mehta's integral ``Z_n(β) = ∫_{R^n} |Δ(λ)|^β e^{-Σλ²/2} dλ``.

    ``Z_n(β) = (2π)^{n/2} Π_{j=1}^n Γ(1 + jβ/2) / Γ(1 + β/2)``.

    References
    ----------
    M. L. Mehta, *Random Matrices*, 3rd ed. (2004), eq. (17.6.7);
    P. J. Forrester and S. O. Warnaar, "The importance of the Selberg
    integral", Bull. AMS 45 (2008) 489-534.
    """
    b = mpf(beta) / 2
    s = (mpf(n) / 2) * mpmath.log(2 * mpmath.pi)
    lg1 = mpmath.loggamma(1 + b)
    for j in range(1, n + 1):
        s += mpmath.loggamma(1 + j * b) - lg1
    return s
