"""Spherical p-spin: exact mean numbers of critical points at finite N, and their complexity.

The landscape is ``H(σ) = N^{-(p-1)/2} Σ J_{i₁…i_p} σ_{i₁}⋯σ_{i_p}`` on the sphere
``|σ|² = N`` (J i.i.d. N(0, 1) over all ordered tuples), energy per spin
``u = H/N``. Auffinger, Ben Arous & Černý (2013, §2: the exact finite-N
identity behind their complexity theorems) give the mean number of critical
points of index k (k = 0..N-1, the N - 1 tangent directions) with ``u ∈ B``:

    E Crt_{N,k}(B) = 2 √(2/p) (p-1)^{N/2}
                     E[ exp(-N (p-2) λ_k² / (2p)) 1{λ_k ∈ √(p/(2(p-1))) B} ],

with ``λ_0 ≤ … ≤ λ_{N-1}`` the eigenvalues of an N×N GOE with
``E M_ij² = (1 + δ_ij)/(2N)``. In saddlesim's GOE normalisation
(``x = √N λ``, density ∝ |Δ| e^{-Σx²/2}) the weight is ``exp(-(p-2) x_k²/(2p))``
and the window is ``x_k ∈ √(N p/(2(p-1))) B``.

The expectation is evaluated as ``∫ f(x) p_k(x) dx`` with the exact density
``p_k`` of the k-th GOE eigenvalue (:func:`~saddlesim.theory.goe_order.goe_kth_density`,
a de Bruijn Pfaffian) and Gauss-Legendre quadrature on ``|x| ≤ √(2N) + 9``
(beyond which every p_k is below e^{-50}); the densities are smooth (entire),
so the rule converges geometrically: 96 nodes reach 1e-13 at N = 8.

Hessian at a critical point. In an orthonormal basis of the tangent space the
Riemannian Hessian of H is, exactly,

    Hess H(σ) = P ∇²H(σ) P - p u I_{N-1}          (Euler: σ·∇H = p H),

and at a fixed σ the tangent block ``P ∇²H P`` is ``√(2p(p-1)/N)`` times an
(N-1)×(N-1) saddlesim GOE, independent of H(σ) and ∇H(σ). So *given* a
critical point at energy u (the Kac-Rice conditioning), the Hessian is that
scaled GOE shifted by ``-p u`` — weighted by ``|det|`` when one looks at the
critical points actually present (Kac-Rice). :func:`pspin_hessian_law`
returns the scale and the shift.

References
----------
A. Auffinger, G. Ben Arous and J. Černý, "Random matrices and complexity of
spin glasses", Comm. Pure Appl. Math. 66 (2013) 165-201, arXiv:1003.1129,
§2 (the finite-N identity, the complexities Θ_{k,p}, Θ_p, E_∞ and E_0) and
§3 (the conditional law of the Hessian).
N. G. de Bruijn, J. Indian Math. Soc. 19 (1955) 133-151 (the Pfaffian).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import scipy.optimize

from saddlesim.theory.exact import PrecisionError
from saddlesim.theory.goe_order import goe_kth_density, goe_kth_density_mp, order_working_precision

__all__ = [
    "pspin_mean_counts",
    "pspin_count_density",
    "pspin_p_min",
    "pspin_hessian_law",
    "pspin_e_inf",
    "pspin_e0",
    "pspin_complexity",
    "pspin_index_complexity",
    "quadrature_nodes",
]


def _check_N_p(N, p) -> tuple[int, int]:
    for name, v, lo in (("N", N, 2), ("p", p, 2)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}")
    return int(N), int(p)


def quadrature_nodes(N: int) -> int:
    """Gauss-Legendre nodes used at size N: 96, growing with the spectrum's width."""
    return max(96, 8 * N + 40)


def _edge(N: int) -> float:
    return math.sqrt(2.0 * N) + 9.0


@functools.lru_cache(maxsize=None)
def _node_densities(N: int, nodes: int):
    """GL nodes on [-X, X], weights, and p_k at every node (symmetric: only x ≥ 0 computed)."""
    X = _edge(N)
    t, w = np.polynomial.legendre.leggauss(nodes)
    x, w = X * t, X * w
    dens = np.empty((nodes, N))
    low = order_working_precision(N)
    half = [i for i in range(nodes) if x[i] >= 0]
    for i in half:
        j = nodes - 1 - i
        dens[i] = [float(v) for v in goe_kth_density_mp(N, float(x[i]), low)]
        # λ → -λ maps the k-th smallest eigenvalue to the (N-1-k)-th.
        if j != i:
            dens[j] = dens[i][::-1]
    # Every node at one precision, and a second precision at the centre, the
    # middle and the outermost node (where cancellation is worst) as the check:
    # 2.5x cheaper than checking every node, and the error is smooth in x.
    for i in (half[0], half[len(half) // 2], half[-1]):
        hi = goe_kth_density_mp(N, float(x[i]), low + low // 2)
        if np.any(np.abs(dens[i] - np.array([float(v) for v in hi])) > 1e-15 * (1 + np.abs(dens[i]))):
            raise PrecisionError(f"k-th eigenvalue density at N={N}, x={x[i]:.3g} disagrees at two precisions")
    return x, w, dens


def _prefactor(N: int, p: int) -> float:
    return 2.0 * math.sqrt(2.0 / p) * (p - 1) ** (N / 2.0)


def _x_of_u(N: int, p: int) -> float:
    """dx/du: saddlesim-GOE eigenvalue per unit energy per spin."""
    return math.sqrt(N * p / (2.0 * (p - 1)))


def pspin_mean_counts(N: int, p: int, energy=None, nodes: int | None = None) -> np.ndarray:
    """Exact mean number of critical points of each index (Auffinger–Ben Arous–Černý).

    Parameters
    ----------
    N : int
        Number of spins, ``N >= 2``; indices k = 0..N-1.
    p : int
        Interaction order, ``p >= 2``.
    energy : None or (float, float)
        Count only critical points with energy per spin ``u = H/N`` in
        ``[lo, hi]`` (either end may be infinite). ``None``: all energies.
    nodes : int, optional
        Quadrature nodes (default :func:`quadrature_nodes`).

    Returns
    -------
    counts : ndarray, shape (N,)
        ``counts[k] = E Crt_{N,k}``. For p = 2 and all energies, exactly 2
        each (±√N times each eigenvector of the coupling matrix).

    Examples
    --------
    >>> pspin_mean_counts(3, 2)
    array([2., 2., 2.])

    References
    ----------
    Auffinger, Ben Arous & Černý, CPAM 66 (2013), arXiv:1003.1129, §2.
    """
    N, p = _check_N_p(N, p)
    nodes = quadrature_nodes(N) if nodes is None else int(nodes)
    c = (p - 2) / (2.0 * p)
    if energy is None:
        if p == 2:
            return np.full(N, 2.0)
        x, w, dens = _node_densities(N, nodes)
    else:
        lo, hi = (float(v) for v in energy)
        if not lo <= hi:
            raise ValueError(f"energy window must have lo <= hi, got {energy!r}")
        X = _edge(N)
        a = min(max(lo * _x_of_u(N, p), -X), X)
        b = min(max(hi * _x_of_u(N, p), -X), X)
        if a == b:
            return np.zeros(N)
        t, w = np.polynomial.legendre.leggauss(nodes)
        x, w = (a + b) / 2 + (b - a) / 2 * t, (b - a) / 2 * w
        dens = np.array([goe_kth_density(N, float(s)) for s in x])
    f = np.exp(-c * x * x)
    return _prefactor(N, p) * ((w * f) @ dens)


def pspin_count_density(N: int, p: int, u) -> np.ndarray:
    """Mean density of critical points in energy: ``d E Crt_{N,k}((-∞, u]) / du``.

    Parameters
    ----------
    N, p : int
        Spins and order, both ``>= 2``; ``p > 2`` (for p = 2 the energies
        are eigenvalues and the density is the GOE's, also returned).
    u : float or array_like, shape (m,)
        Energies per spin.

    Returns
    -------
    rho : ndarray, shape (m, N)
        ``rho[i, k]`` for index k at ``u[i]``; integrates over u to
        :func:`pspin_mean_counts`.

    References
    ----------
    Auffinger, Ben Arous & Černý, CPAM 66 (2013), arXiv:1003.1129, §2.
    """
    N, p = _check_N_p(N, p)
    u = np.atleast_1d(np.asarray(u, dtype=float))
    r = _x_of_u(N, p)
    c = (p - 2) / (2.0 * p)
    out = np.empty((u.size, N))
    for i, ui in enumerate(u):
        x = ui * r
        out[i] = _prefactor(N, p) * math.exp(-c * x * x) * goe_kth_density(N, x) * r
    return out


def pspin_p_min(N: int, p: int) -> float:
    """This landscape's answer to the coin-flip claim: P(min) = E Crt_{N,0} / Σ_k E Crt_{N,k}.

    Compare with the independent-sign claim ``2^{-(N-1)}`` (N - 1 tangent
    directions). For p = 2 it is exactly 1/N.
    """
    counts = pspin_mean_counts(N, p)
    return float(counts[0] / counts.sum())


def pspin_hessian_law(N: int, p: int, u: float) -> tuple[float, float]:
    """Scale and shift of the Hessian at a critical point of energy u.

    Returns
    -------
    scale, shift : float
        Given a critical point at ``u = H/N`` (Kac–Rice conditioning), the
        Riemannian Hessian of H in an orthonormal tangent basis is
        ``scale · G + shift · I`` with G an (N-1)×(N-1) saddlesim GOE
        (diagonal N(0, 1), off-diagonal N(0, 1/2)), ``scale = √(2p(p-1)/N)``
        and ``shift = -p u``. The Hessian of u itself is this divided by N.

    References
    ----------
    Auffinger, Ben Arous & Černý, CPAM 66 (2013), arXiv:1003.1129, §3.
    """
    N, p = _check_N_p(N, p)
    return math.sqrt(2.0 * p * (p - 1) / N), -p * float(u)


def pspin_e_inf(p: int) -> float:
    """E_∞ = 2√((p-1)/p): below -E_∞ the critical points are mostly minima."""
    return 2.0 * math.sqrt((p - 1) / p)


def _i1(u: float, p: int) -> float:
    """ABC's I_1(u) for u ≤ -E_∞: the GOE λ_min large-deviation rate at √(p/(2(p-1))) u."""
    e = pspin_e_inf(p)
    if u >= -e:
        return 0.0
    r = math.sqrt(u * u - e * e)
    return -u / (e * e) * r - math.log(-u + r) + math.log(e)


def pspin_index_complexity(u, p: int, k: int) -> float:
    """Θ_{p,k}(u) = lim (1/N) ln E Crt_{N,k}((-∞, u]) (ABC 2013, §2).

    ``½ ln(p-1) - (p-2)u²/(4(p-1)) - (k+1) I_1(u)`` for ``u ≤ -E_∞``, and
    ``½ ln(p-1) - (p-2)/p`` above.
    """
    u = float(u)
    if u >= -pspin_e_inf(p):
        return 0.5 * math.log(p - 1) - (p - 2) / p
    return 0.5 * math.log(p - 1) - (p - 2) * u * u / (4 * (p - 1)) - (k + 1) * _i1(u, p)


def pspin_complexity(u, p: int) -> float:
    """Θ_p(u) = lim (1/N) ln E Crt_N((-∞, u]), all indices (ABC 2013, §2).

    ``½ ln(p-1)`` for u ≥ 0 (the total complexity), ``½ ln(p-1) - (p-2)u²/(4(p-1))``
    on ``[-E_∞, 0]``, and minus ``I_1(u)`` more below ``-E_∞``.
    """
    u = float(u)
    base = 0.5 * math.log(p - 1)
    if u >= 0:
        return base
    return base - (p - 2) * u * u / (4 * (p - 1)) - _i1(u, p)


def pspin_e0(p: int) -> float:
    """E_0 > 0 with Θ_{p,0}(-E_0) = 0: the (annealed) ground-state energy is -E_0.

    E_0(3) = 1.657..., just beyond E_∞(3) = 1.633 (ABC 2013, §2).
    """
    if p < 3:
        raise ValueError(f"E_0 needs p >= 3 (for p = 2 minima are not exponentially many), got {p}")
    e = pspin_e_inf(p)
    return -scipy.optimize.brentq(lambda u: pspin_index_complexity(u, p, 0), -10 * e - 10, -e, xtol=1e-15)
