"""Half-line moments of the Gaussian weight and the Mehta-Selberg normaliser.

With weight ``w(x) = exp(-x^2/2)`` and monomials ``x^i`` (i = 0..n-1) as the
functions in the Vandermonde determinant, every moment needed for P(all
eigenvalues > 0) has a closed form or a two-term recurrence; no quadrature is
involved, so the only error is rounding at the working precision.

Everything here must be called inside an ``mpmath.workdps`` block; results are
``mpf``.
"""

from __future__ import annotations

import mpmath
from mpmath import mpf

__all__ = [
    "half_line_moments",
    "half_line_skew_moments",
    "log_mehta_integral",
]


def half_line_moments(count: int) -> list:
    """``m_k = ∫_0^∞ x^k e^{-x²/2} dx = 2^{(k-1)/2} Γ((k+1)/2)``, k = 0..count-1.

    Returns
    -------
    m : list of mpf, length count
    """
    return [mpmath.gamma(mpf(k + 1) / 2) * mpmath.power(2, mpf(k - 1) / 2) for k in range(count)]


def half_line_skew_moments(n: int) -> list:
    """de Bruijn's skew moments of ``x^i e^{-x²/2}`` on ``(0, ∞)``.

    ``A_ij = ∫∫_{x,y>0} sgn(y - x) x^i y^j e^{-(x²+y²)/2} dx dy``, i, j = 0..n-1.

    Returns
    -------
    A : list of lists of mpf, shape (n, n)
        Skew-symmetric.

    Notes
    -----
    ``A_ij = a_ij - a_ji`` with ``a_ij = ∫_0^∞ y^j e^{-y²/2} F_i(y) dy`` and
    ``F_i(y) = ∫_0^y x^i e^{-x²/2} dx``. Integrating by parts,
    ``F_i(y) = (i-1) F_{i-2}(y) - y^{i-1} e^{-y²/2}`` (i ≥ 2) and
    ``F_1(y) = 1 - e^{-y²/2}``, so with ``g_k = ∫_0^∞ y^k e^{-y²} dy = Γ((k+1)/2)/2``:

    - ``a_ij = (i-1) a_{i-2,j} - g_{i+j-1}`` for i ≥ 2,
    - ``a_1j = m_j - g_j``,
    - ``a_0j = (j-1) a_{0,j-2} + g_{j-1}`` for j ≥ 1 (parts on ``y e^{-y²/2}``),
      ``a_00 = F_0(∞)²/2 = π/4``.

    References
    ----------
    N. G. de Bruijn, "On some multiple integrals involving determinants",
    J. Indian Math. Soc. 19 (1955) 133-151.
    """
    m = half_line_moments(n)
    g = [mpmath.gamma(mpf(k + 1) / 2) / 2 for k in range(2 * n)]
    a = [[mpf(0)] * n for _ in range(n)]
    a[0][0] = mpmath.pi / 4
    for j in range(1, n):
        a[0][j] = (j - 1) * (a[0][j - 2] if j >= 2 else 0) + g[j - 1]
    if n > 1:
        for j in range(n):
            a[1][j] = m[j] - g[j]
    for i in range(2, n):
        for j in range(n):
            a[i][j] = (i - 1) * a[i - 2][j] - g[i + j - 1]
    return [[a[i][j] - a[j][i] for j in range(n)] for i in range(n)]


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
