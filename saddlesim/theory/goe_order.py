"""GOE eigenvalues around a point: the counting law and the k-th eigenvalue's density.

For the GOE with eigenvalue density ``∝ |Δ(λ)| e^{-Σλ²/2}`` (diagonal N(0, 1),
off-diagonal N(0, 1/2)) and a point s, two exact finite-n objects:

counting law
    ``P(#{i : λ_i < s} = j)``, j = 0..n. Weight every eigenvalue below s by
    u: ``E Π_i u^{1{λ_i < s}} = Σ_j P_j u^j`` is de Bruijn's Pfaffian of the
    skew moments of ``w_u(x) = e^{-x²/2} (u if x < s else 1)``.
density of λ_k (k-th smallest, k = 0..n-1)
    Fix one eigenvalue at s and integrate out the others:
    ``Σ_k p_k(s) u^k = n ∫_{R^{n-1}} |Δ_n(s, y)| Π g(y_j) u^{1{y_j<s}} dy / Z_n``.
    Since ``|Δ_n(s, y)| = Π_j |y_j - s| |Δ_{n-1}(y)|``, this is again a de Bruijn
    Pfaffian, of size n - 1, with basis ``y^i (y - s)`` and weight
    ``g(y) (-u if y < s else 1)`` (the sign turns ``y - s`` into ``|y - s|``).

Both polynomials in u are evaluated at roots of unity and inverted by a
discrete Fourier transform, as in :mod:`saddlesim.theory.index_law` (which is
the counting law at s = 0). The moments over ``(s, ∞)`` are the closed-form
recurrences of :mod:`saddlesim.theory.moments` (no quadrature), and those over
``(-∞, s)`` follow by reflecting ``x → -x``. Everything is exact up to rounding at the working precision; the
public functions compute at two precisions and check that they agree.

References
----------
N. G. de Bruijn, "On some multiple integrals involving determinants",
J. Indian Math. Soc. 19 (1955) 133-151.
M. L. Mehta, *Random Matrices*, 3rd ed. (2004), ch. 7 (GOE gap probabilities).
"""

from __future__ import annotations

import mpmath
import numpy as np
from mpmath import mpf

from saddlesim.runtime.validate import check_n
from saddlesim.theory.exact import PrecisionError
from saddlesim.theory.linalg import pfaffian
from saddlesim.theory.moments import tail_moments, tail_skew_moments

__all__ = [
    "goe_counting_law",
    "goe_kth_density",
    "goe_counting_law_mp",
    "goe_kth_density_mp",
    "order_working_precision",
]


def order_working_precision(n: int) -> int:
    """Decimal digits for size-n Pfaffians of incomplete moments.

    Pivoted elimination on monomial moments loses about 1.1 n digits (see
    :func:`saddlesim.theory.exact.working_precisions`); the DFT adds an
    absolute error of ``10^-dps`` relative to the largest coefficient, and the
    results are wanted to ~15 digits in absolute terms, so ``25 + 2n``.
    """
    return 25 + 2 * n


def _split_tables(n: int, s):
    """Moments ``m_i = ∫ x^i g`` and skew moments ``S_ij = ∫∫ sgn(y-x) x^i y^j g g`` left and right of s.

    ``g(x) = e^{-x²/2}``; i, j = 0..n-1. Right of the wall, ``(s, ∞)``, they are
    :func:`~saddlesim.theory.moments.tail_moments` and
    :func:`~saddlesim.theory.moments.tail_skew_moments` (centre 0, monomials);
    left of it, ``(-∞, s)``, the same at ``-s`` reflected by ``x → -x``, which
    multiplies ``m_i`` by ``(-1)^i`` and ``S_ij`` by ``-(-1)^{i+j}`` (``sgn``
    flips). Must run inside a ``workdps`` block.
    """
    s = mpf(s)
    mR, SR = tail_moments(n, s), tail_skew_moments(n, s)
    ml, Sl = tail_moments(n, -s), tail_skew_moments(n, -s)
    sg = [1 - 2 * (i % 2) for i in range(n)]
    mL = [sg[i] * ml[i] for i in range(n)]
    SL = [[-sg[i] * sg[j] * Sl[i][j] for j in range(n)] for i in range(n)]
    return mL, SL, mR, SR


def _weighted_pfaffian(mL, SL, mR, SR, v):
    """de Bruijn Pfaffian for weight ``v`` on the left of the wall and 1 on the right."""
    d = len(mL)
    A = [
        [v * v * SL[i][j] + SR[i][j] + v * (mL[i] * mR[j] - mR[i] * mL[j]) for j in range(d)]
        for i in range(d)
    ]
    if d % 2:
        b = [v * mL[i] + mR[i] for i in range(d)]
        for i in range(d):
            A[i].append(b[i])
        A.append([-bi for bi in b] + [mpf(0)])
    return pfaffian(A)


def _full_pfaffian(n: int):
    """``Z_n / n!`` as the de Bruijn Pfaffian of the whole line (same basis and scale)."""
    mL, SL, mR, SR = _split_tables(n, 0)
    return _weighted_pfaffian(mL, SL, mR, SR, mpf(1))


def _dft_coefficients(values, degree: int):
    """Real coefficients of a degree-``degree`` polynomial from its values at roots of unity."""
    K = degree + 1
    out = []
    for k in range(K):
        acc = mpmath.fsum(values[r] * mpmath.expjpi(mpf(-2 * r * k) / K) for r in range(K))
        out.append(mpmath.re(acc) / K)
    return out


def _roots_values(poly_at, degree: int):
    """``poly_at(u)`` at the K = degree + 1 roots of unity, using ``P(ū) = conj P(u)``."""
    K = degree + 1
    values = [None] * K
    for r in range(K // 2 + 1):
        values[r] = poly_at(mpmath.expjpi(mpf(2 * r) / K))
    for r in range(K // 2 + 1, K):
        values[r] = mpmath.conj(values[K - r])
    return values


def goe_counting_law_mp(n: int, s, dps: int) -> list:
    """``P(#{λ_i < s} = j)``, j = 0..n, at one working precision, unchecked.

    Returns
    -------
    p : list of mpf, length n + 1
    """
    n = check_n(n)
    with mpmath.workdps(dps):
        mL, SL, mR, SR = _split_tables(n, s)
        norm = _full_pfaffian(n)
        values = _roots_values(lambda u: _weighted_pfaffian(mL, SL, mR, SR, u) / norm, n)
        return _dft_coefficients(values, n)


def goe_kth_density_mp(n: int, s, dps: int) -> list:
    """Density of the k-th smallest eigenvalue at ``s``, k = 0..n-1, unchecked.

    Returns
    -------
    p : list of mpf, length n
        ``p[k]`` = density of λ_k at s.
    """
    n = check_n(n)
    with mpmath.workdps(dps):
        s = mpf(s)
        norm = _full_pfaffian(n)
        gs = mpmath.exp(-s * s / 2)
        if n == 1:
            return [gs / norm]
        mL, SL, mR, SR = _split_tables(n, s)
        d = n - 1
        # Basis ψ_i(y) = y^{i+1} - s y^i, i < n - 1: a linear map T of the monomials.
        def tv(v):
            return [v[i + 1] - s * v[i] for i in range(d)]

        def tmt(M):
            rows = [[M[i + 1][j] - s * M[i][j] for j in range(n)] for i in range(d)]
            return [[r[j + 1] - s * r[j] for j in range(d)] for r in rows]

        tmL, tSL, tmR, tSR = tv(mL), tmt(SL), tv(mR), tmt(SR)
        values = _roots_values(
            lambda u: _weighted_pfaffian(tmL, tSL, tmR, tSR, -u) * gs / norm, d
        )
        return _dft_coefficients(values, d)


def _checked(fn, n, s, what):
    low = order_working_precision(n)
    a = fn(n, s, low)
    b = fn(n, s, low + low // 2)
    for k, (x, y) in enumerate(zip(a, b)):
        if abs(x - y) > mpf("1e-15") * (1 + abs(y)):
            raise PrecisionError(f"{what} n={n}, s={s}: entry {k} disagrees at two precisions")
    return np.array([float(y) for y in b])


def goe_counting_law(n: int, s: float) -> np.ndarray:
    """Exact law of the number of GOE eigenvalues below ``s``.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    s : float
        The point (any real); GOE with density ``∝ |Δ| e^{-Σλ²/2}``.

    Returns
    -------
    p : ndarray, shape (n + 1,)
        ``p[j] = P(#{i : λ_i < s} = j)``, absolute accuracy ~1e-15.
        ``p[0] = P(λ_min > s)``; at ``s = 0`` this is the index law.

    References
    ----------
    N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151.
    """
    return _checked(goe_counting_law_mp, check_n(n), float(s), "GOE counting law")


def goe_kth_density(n: int, s: float) -> np.ndarray:
    """Exact densities of the ordered GOE eigenvalues at ``s``.

    Parameters
    ----------
    n : int
        Dimension, ``n >= 1``.
    s : float
        The point (any real); GOE with density ``∝ |Δ| e^{-Σλ²/2}``.

    Returns
    -------
    p : ndarray, shape (n,)
        ``p[k]`` = density at s of λ_k, the k-th smallest eigenvalue
        (``λ_0 ≤ … ≤ λ_{n-1}``); ``Σ_k p[k]`` is n times the one-point density.

    References
    ----------
    N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151.
    """
    return _checked(goe_kth_density_mp, check_n(n), float(s), "GOE k-th eigenvalue density")
