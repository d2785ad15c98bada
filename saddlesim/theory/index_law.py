"""Exact index distribution of the GOE: P(k negative eigenvalues), k = 0..n.

Give each negative eigenvalue a weight z: with ``w_z(x) = e^{-x²/2}`` for
x > 0 and ``z e^{-x²/2}`` for x < 0, de Bruijn's Pfaffian of the skew moments
of ``w_z`` is the generating polynomial ``Σ_k P(index = k) z^k`` (times the
normalisation ``Z_n(1)/n!``). By reflecting x → -x, the moments of ``w_z`` on
R are those of the half-line:

    A_ij(z) = A⁺_ij (1 - (-1)^{i+j} z²) + z m_i m_j ((-1)^i - (-1)^j),
    b_i(z)  = m_i (1 + (-1)^i z)            (border column, odd n),

where ``A⁺`` and ``m`` are :func:`~saddlesim.theory.moments.half_line_skew_moments`
and :func:`~saddlesim.theory.moments.half_line_moments`. The polynomial, of
degree n, is evaluated at the n+1 roots of unity and inverted by a discrete
Fourier transform.

Accuracy: the DFT makes an *absolute* error of about ``10^-dps`` times
``max |f(z)| = f(1) = 1``, so the working precision is raised by the number
of digits in ``1/P(index = 0)`` (the smallest coefficient); every result is
also computed at two precisions and checked for agreement (relative 1e-12 in
each probability), for normalisation and for ``P(0) = P(min)``.

References
----------
N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151.
S. N. Majumdar, C. Nadal, A. Scardicchio and P. Vivo, "How many eigenvalues of
a Gaussian random matrix are positive?", Phys. Rev. E 83 (2011) 041105
(large-n law of the same distribution).
"""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
from mpmath import mpf

from saddlesim.runtime.validate import check_n
from saddlesim.theory.exact import LN10, PrecisionError, log_p_min, working_precisions
from saddlesim.theory.linalg import pfaffian
from saddlesim.theory.moments import half_line_moments, half_line_skew_moments, log_mehta_integral

__all__ = ["goe_index_law", "goe_index_law_mp", "MAX_INDEX_LAW_N"]

#: Largest n accepted by :func:`goe_index_law`: it costs n+1 complex Pfaffians at
#: ~(3n + digits of 1/P(min)) digits, ~1.5 s at n = 20 but ~45 s at n = 40.
MAX_INDEX_LAW_N = 20


def goe_index_law_mp(n: int, dps: int) -> list:
    """P(index = k), k = 0..n, at one working precision, unchecked.

    Returns
    -------
    p : list of mpf, length n + 1
    """
    n = check_n(n)
    with mpmath.workdps(dps):
        Ap = half_line_skew_moments(n)
        m = half_line_moments(n)
        sgn = [1 - 2 * (i % 2) for i in range(n)]
        scale = mpmath.exp(mpmath.loggamma(n + 1) - log_mehta_integral(n, 1))
        K = n + 1
        values = []
        for r in range(K):
            z = mpmath.expjpi(mpf(2 * r) / K)  # e^{2πi r/K}
            z2 = z * z
            A = [
                [
                    Ap[i][j] * (1 - sgn[i] * sgn[j] * z2) + z * m[i] * m[j] * (sgn[i] - sgn[j])
                    for j in range(n)
                ]
                for i in range(n)
            ]
            if n % 2:
                b = [m[i] * (1 + sgn[i] * z) for i in range(n)]
                for i in range(n):
                    A[i].append(b[i])
                A.append([-bi for bi in b] + [mpf(0)])
            values.append(pfaffian(A) * scale)
        coeffs = []
        for k in range(K):
            s = mpmath.fsum(values[r] * mpmath.expjpi(mpf(-2 * r * k) / K) for r in range(K))
            coeffs.append(mpmath.re(s) / K)
        return coeffs


@functools.lru_cache(maxsize=None)
def _index_law_checked(n: int) -> tuple:
    extra = int(-log_p_min(n, 1) / LN10) + 1
    low, high = (d + extra for d in working_precisions(n))
    a = goe_index_law_mp(n, low)
    b = goe_index_law_mp(n, high)
    for k, (x, y) in enumerate(zip(a, b)):
        if not (y > 0 and abs(x - y) <= mpf("1e-12") * y):
            raise PrecisionError(f"GOE index law n={n}: P(index={k}) disagrees at {low} and {high} digits")
    p = np.array([float(y) for y in b])
    if not math.isclose(p.sum(), 1.0, rel_tol=0, abs_tol=1e-12):
        raise PrecisionError(f"GOE index law n={n} sums to {p.sum()!r}, not 1")
    if not math.isclose(math.log(p[0]), log_p_min(n, 1), rel_tol=0, abs_tol=1e-9):
        raise PrecisionError(f"GOE index law n={n}: P(index=0) disagrees with the direct P(min)")
    return tuple(p)


def goe_index_law(n: int) -> np.ndarray:
    """Exact distribution of the GOE index (number of negative eigenvalues).

    Parameters
    ----------
    n : int
        Dimension, ``1 <= n <= MAX_INDEX_LAW_N``.

    Returns
    -------
    p : ndarray, shape (n + 1,)
        ``p[k] = P(index = k)``; sums to 1, ``p[k] == p[n - k]``, and
        ``p[0] == P(min)`` of :func:`~saddlesim.theory.exact.log_p_min`.

    Raises
    ------
    ValueError
        ``n`` out of range.

    Examples
    --------
    >>> goe_index_law(2)   # P(1) = √2/2
    array([0.14644661, 0.70710678, 0.14644661])
    """
    n = check_n(n)
    if n > MAX_INDEX_LAW_N:
        raise ValueError(f"the exact GOE index law is implemented for n <= {MAX_INDEX_LAW_N}, got n={n}")
    return np.array(_index_law_checked(n))
