"""Exact finite-n mean index of a shifted Gaussian ensemble, ``E[#{λ(G) < -s}]``.

The index of ``H = G + s·I`` counts the eigenvalues of ``G`` below ``y = -s``.
Give each of them a weight z: the generating function ``E[z^N]`` is the
β-integral with weight ``z e^{-x²/2}`` on ``(-∞, y)`` and ``e^{-x²/2}`` on
``(y, ∞)``, a determinant (β = 2) or Pfaffian (β = 1, 4) ``D(z)`` of moment
matrices, with ``D(1)`` the full-line integral. The mean is
``d/dz ln D(z)`` at ``z = 1``:

beta = 2
    ``D(z) = det(z L + R)`` (Hankel moments over left and right parts):
    ``E[N] = tr(H^{-1} L)``, ``H = L + R`` the full-line Hankel matrix.
beta = 1 (de Bruijn)
    ``A(z) = z² S_LL + z C + S_RR`` with ``C_ij = l_i r_j - r_i l_j``, border
    ``z l + r`` for odd n; ``d ln Pf(A) = ½ tr(A^{-1} dA)``, so
    ``E[N] = ½ tr(A(1)^{-1} (2 S_LL + C))`` (border derivative ``l``).
beta = 4
    ``B(z)_ij = (j - i)(z l_{i+j-1} + r_{i+j-1})`` is linear in z:
    ``E[N] = ½ tr(B(1)^{-1} B_L)``.

Here ``l_k = ∫_{-∞}^y x^k e^{-x²/2} dx = (-1)^k ν_k(-y)`` and ``r_k = ν_k(y)``
(:func:`~saddlesim.theory.moments.tail_moments`), and ``S_LL`` is the
reflected tail skew-moment matrix, ``-(-1)^{i+j} T_ij(-y)``. This is the
integral of the exact one-point density (for β = 2 the Hermite kernel, for
β = 1 with Mehta's correction term) done in closed form. Computed at two
precisions and checked to 1e-10 absolute.

References
----------
N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151;
M. L. Mehta, *Random Matrices*, 3rd ed. (2004), ch. 6-7 (one-point densities);
S. N. Majumdar, C. Nadal, A. Scardicchio and P. Vivo, Phys. Rev. E 83 (2011)
041105 (the index of Gaussian matrices at a shifted threshold).
"""

from __future__ import annotations

import functools
import math

import mpmath
from mpmath import mpf

from saddlesim.runtime.validate import check_n
from saddlesim.theory.exact import PrecisionError, check_exact_beta, working_precisions
from saddlesim.theory.linalg import trace_solve
from saddlesim.theory.moments import tail_moments, tail_skew_moments

__all__ = ["mean_index", "mean_index_fraction", "mean_index_mp", "MAX_MEAN_INDEX_N"]

#: Largest n accepted: the trace needs an O(n³) solve with n right-hand sides.
MAX_MEAN_INDEX_N = 100

_AGREEMENT = mpf("1e-10")


def _left_right(count: int, y):
    r = tail_moments(count, y, 0)
    left = tail_moments(count, -y, 0)
    l_ = [v if k % 2 == 0 else -v for k, v in enumerate(left)]
    return l_, r


def mean_index_mp(n: int, shift, beta, dps: int):
    """E[index of G + s·I] at one working precision, unchecked; see :func:`mean_index`."""
    y = -float(shift)
    with mpmath.workdps(dps):
        if beta == 2:
            l_, r = _left_right(2 * n - 1, y)
            H = [[l_[i + j] + r[i + j] for j in range(n)] for i in range(n)]
            L = [[l_[i + j] for j in range(n)] for i in range(n)]
            return trace_solve(H, L)
        if beta == 4:
            m = 2 * n
            l_, r = _left_right(2 * m - 1, y)
            B = [[(j - i) * (l_[i + j - 1] + r[i + j - 1]) if i + j else mpf(0) for j in range(m)]
                 for i in range(m)]
            BL = [[(j - i) * l_[i + j - 1] if i + j else mpf(0) for j in range(m)] for i in range(m)]
            return trace_solve(B, BL) / 2
        l_, r = _left_right(n, y)
        S_RR = tail_skew_moments(n, y, 0)
        T = tail_skew_moments(n, -y, 0)
        S_LL = [[-T[i][j] if (i + j) % 2 == 0 else T[i][j] for j in range(n)] for i in range(n)]
        C = [[l_[i] * r[j] - r[i] * l_[j] for j in range(n)] for i in range(n)]
        A = [[S_LL[i][j] + C[i][j] + S_RR[i][j] for j in range(n)] for i in range(n)]
        dA = [[2 * S_LL[i][j] + C[i][j] for j in range(n)] for i in range(n)]
        if n % 2:
            b = [l_[i] + r[i] for i in range(n)]
            for i in range(n):
                A[i].append(b[i])
                dA[i].append(l_[i])
            A.append([-v for v in b] + [mpf(0)])
            dA.append([-v for v in l_] + [mpf(0)])
        return trace_solve(A, dA) / 2


@functools.lru_cache(maxsize=4096)
def _mean_index_checked(n: int, shift: float, beta: int) -> float:
    low, high = working_precisions(n, 0.0, beta)
    for _ in range(3):
        a = mean_index_mp(n, shift, beta, low)
        b = mean_index_mp(n, shift, beta, high)
        if abs(a - b) <= _AGREEMENT:
            return min(max(float(b), 0.0), float(n))
        low, high = high, 2 * high
    raise PrecisionError(f"mean index for n={n}, shift={shift:g}, beta={beta} did not converge")


def mean_index(n: int, shift, beta) -> float:
    """Exact mean index of ``H = G + s·I``: the expected number of eigenvalues of G below ``-s``.

    Parameters
    ----------
    n : int
        ``1 <= n <= MAX_MEAN_INDEX_N`` (and ``n <= MAX_GSE_N`` for β = 4).
    shift : float
        ``s``; ``s > 0`` favours minima (fewer negative eigenvalues).
    beta : {1, 2, 4}
        Density ∝ |Δ|^β e^{-Σλ²/2}.

    Returns
    -------
    mean : float
        In ``[0, n]``; ``n/2`` at ``s = 0`` and ``Φ(-s)`` at n = 1;
        ``mean(s) + mean(-s) = n``.

    Raises
    ------
    ValueError
        Bad n, beta or shift.
    PrecisionError
        If two working precisions disagree.
    """
    n = check_n(n)
    if n > MAX_MEAN_INDEX_N:
        raise ValueError(f"the exact mean index is implemented for n <= {MAX_MEAN_INDEX_N}, got n={n}")
    b = check_exact_beta(beta, n)
    s = float(shift)
    if not math.isfinite(s):
        raise ValueError(f"shift must be finite, got {shift!r}")
    return _mean_index_checked(n, s, b)


def mean_index_fraction(n: int, shift, beta) -> float:
    """:func:`mean_index` divided by n; compare with the semicircle's α(s/√(2βn))."""
    return mean_index(n, shift, beta) / check_n(n)
