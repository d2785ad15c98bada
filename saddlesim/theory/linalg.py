"""Pfaffians and determinants in arbitrary precision (mpmath).

The exact finite-n probabilities are Pfaffians (beta = 1) and determinants
(beta = 2) of moment matrices whose entries span hundreds of orders of
magnitude. Both are computed by elimination with pivoting on plain lists of
``mpmath`` numbers -- faster than ``mpmath.matrix`` for the O(n^3) inner loop,
and the pivoting keeps the precision needed near O(n) digits rather than
O(n^2) (the two-precision check in :mod:`saddlesim.theory.exact` verifies
this for every result instead of trusting it).
"""

from __future__ import annotations

from mpmath import mpf

__all__ = ["pfaffian", "determinant", "spd_determinant", "trace_solve"]


def pfaffian(A):
    """Pfaffian of a skew-symmetric matrix by pivoted skew Gaussian elimination.

    Parameters
    ----------
    A : list of lists of mpf or mpc, shape (m, m)
        Skew-symmetric; not modified. Evaluate inside the ``mpmath`` precision
        context the result is wanted at.

    Returns
    -------
    pf : mpf or mpc
        ``Pf(A)``; zero for odd ``m``. ``Pf(A)^2 = det(A)``.

    Notes
    -----
    Writing ``A = [[0, a, u], [-a, 0, v], [-u^T, -v^T, B]]``,
    ``Pf(A) = a Pf(B + (v u^T - u v^T) / a)``. Swapping index ``k+1`` with the
    column holding the largest ``|A[k, p]|`` first (which flips the sign)
    is the Parlett-Reid pivot that keeps the update bounded.

    References
    ----------
    M. Wimmer, "Efficient numerical computation of the Pfaffian for dense and
    banded skew-symmetric matrices", ACM Trans. Math. Softw. 38 (2012) 30.
    """
    m = len(A)
    if m % 2:
        return mpf(0)
    A = [list(row) for row in A]
    pf = mpf(1)
    for k in range(0, m - 1, 2):
        p = max(range(k + 1, m), key=lambda j: abs(A[k][j]))
        if p != k + 1:
            # Permuting rows and columns k+1 <-> p is a congruence by a
            # transposition: the Pfaffian changes sign.
            A[k + 1], A[p] = A[p], A[k + 1]
            for row in A:
                row[k + 1], row[p] = row[p], row[k + 1]
            pf = -pf
        a = A[k][k + 1]
        if a == 0:
            return a * 0
        pf *= a
        u, v = A[k], A[k + 1]
        inv = 1 / a
        for i in range(k + 2, m):
            vi, ui = v[i] * inv, u[i] * inv
            Ai = A[i]
            # Only the upper triangle is computed; the lower is its negative.
            for j in range(i + 1, m):
                x = Ai[j] + vi * u[j] - ui * v[j]
                Ai[j] = x
                A[j][i] = -x
    return pf


def determinant(A):
    """Determinant by Gaussian elimination with partial pivoting.

    Parameters
    ----------
    A : list of lists of mpf, shape (m, m)
        Not modified.

    Returns
    -------
    det : mpf
    """
    m = len(A)
    A = [list(row) for row in A]
    det = mpf(1)
    for k in range(m):
        p = max(range(k, m), key=lambda i: abs(A[i][k]))
        if A[p][k] == 0:
            return mpf(0)
        if p != k:
            A[k], A[p] = A[p], A[k]
            det = -det
        piv = A[k][k]
        det *= piv
        rk = A[k]
        for i in range(k + 1, m):
            f = A[i][k] / piv
            if f:
                Ai = A[i]
                for j in range(k + 1, m):
                    Ai[j] -= f * rk[j]
    return det


def spd_determinant(A):
    """Determinant of a symmetric positive-definite matrix by LDL^T elimination.

    Half the work of :func:`determinant` (only the upper triangle is
    updated) and no pivoting, which positive definiteness makes unnecessary.

    Parameters
    ----------
    A : list of lists of mpf, shape (m, m)
        Symmetric positive definite; not modified.

    Returns
    -------
    det : mpf
        Product of the pivots; ``0`` if a pivot is not positive, which for a
        positive-definite input means the working precision was too low.
    """
    m = len(A)
    A = [list(row) for row in A]
    det = mpf(1)
    for k in range(m):
        piv = A[k][k]
        if not piv > 0:
            return mpf(0)
        det *= piv
        rk = A[k]
        inv = 1 / piv
        for i in range(k + 1, m):
            f = rk[i] * inv
            if f:
                Ai = A[i]
                for j in range(i, m):
                    Ai[j] -= f * rk[j]
    return det


def trace_solve(A, B):
    """``tr(A^{-1} B)`` by Gauss-Jordan elimination with partial pivoting.

    Parameters
    ----------
    A : list of lists of mpf, shape (m, m)
        Non-singular; not modified.
    B : list of lists of mpf, shape (m, m)
        Not modified.

    Returns
    -------
    trace : mpf
        Zero-pivot-free inputs only; a singular ``A`` raises ``ZeroDivisionError``.
    """
    m = len(A)
    M = [list(A[i]) + list(B[i]) for i in range(m)]
    w = 2 * m
    for k in range(m):
        p = max(range(k, m), key=lambda i: abs(M[i][k]))
        M[k], M[p] = M[p], M[k]
        rk = M[k]
        inv = 1 / rk[k]
        for j in range(k, w):
            rk[j] *= inv
        for i in range(m):
            if i != k:
                f = M[i][k]
                if f:
                    Mi = M[i]
                    for j in range(k, w):
                        Mi[j] -= f * rk[j]
    return sum((M[i][m + i] for i in range(m)), mpf(0))
