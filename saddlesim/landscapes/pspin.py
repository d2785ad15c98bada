"""Spherical p-spin glass: a random homogeneous polynomial on the sphere |σ|² = N.

The Hamiltonian is

    H(σ) = N^{-(p-1)/2} Σ_{i₁…i_p} J_{i₁…i_p} σ_{i₁} ⋯ σ_{i_p},   |σ|² = N,

with J i.i.d. N(0, 1) over **all ordered** index tuples (N^p of them, not
only i₁ < … < i_p). This is the normalisation of Auffinger, Ben Arous &
Černý (2013): E[H(σ) H(σ')] = N (σ·σ'/N)^p, so H is of order N and the
energy per spin u = H/N is of order one.

Scale convention
----------------
:meth:`PSpin.value`, :meth:`~PSpin.gradient` and :meth:`~PSpin.hessian` are
all of the **energy per spin** u(σ) = H(σ)/N (the issue's "loss"), so a
solver sees one consistent function. Derivatives of the Hamiltonian are N
times these: Hess H = N · ``hessian(x)``. With that scale, at a critical
point of energy u the Riemannian Hessian of H in an orthonormal tangent
basis is

    Hess H = √(p(p−1)/N) · G − p·u·I_{N−1},

with G an (N−1)×(N−1) GOE with off-diagonal variance 1 and diagonal
variance 2 (independent of u), i.e. a GOE shifted by −p·u. The shift is
Euler's identity σ·∇H = p·H for a degree-p homogeneous H, used by the
sphere's radial term; :meth:`PSpin.hamiltonian` returns H itself.

Counting convention: σ and −σ are distinct points (for odd p they have
opposite energies, for even p equal ones); Kac–Rice counts both, so
``canonical(x) = x``.

For p = 2, H is the quadratic form N^{-1/2} σᵀ S σ with S = (J + Jᵀ)/2, whose
critical points are the 2N points ±√N v_k (v_k the unit eigenvectors of S),
with Riemannian Hessian eigenvalues 2(μ_j − μ_k)/N^{3/2}, j ≠ k, for u.

References
----------
Auffinger, Ben Arous & Černý (2013), Random matrices and complexity of spin
glasses, Comm. Pure Appl. Math. 66, 165–201 (arXiv:1003.1129), eq. (1.1)–(1.3).
Absil, Mahony & Sepulchre (2008), *Optimization Algorithms on Matrix
Manifolds*, §5.5 (Riemannian Hessian on the sphere).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from saddlesim.landscapes._checks import check_int
from saddlesim.landscapes.base import Sphere

__all__ = ["PSpin", "pspin", "MAX_COUPLINGS"]

#: Largest N^p we store (8 bytes each): ~160 MB. Beyond it the dense coupling
#: tensor is the wrong tool and we say so rather than thrash two shared cores.
MAX_COUPLINGS = 20_000_000


def _symmetrise(J: np.ndarray) -> np.ndarray:
    """Average of J over all p! permutations of its axes."""
    p = J.ndim
    S = np.zeros_like(J)
    for perm in itertools.permutations(range(p)):
        S += np.transpose(J, perm)
    return S / math.factorial(p)


def _contract(S: np.ndarray, x: np.ndarray, times: int) -> np.ndarray:
    """Contract the last ``times`` axes of S with x (S symmetric, so which axes is immaterial)."""
    for _ in range(times):
        S = S @ x
    return S


class PSpin(Sphere):
    """One instance of the spherical p-spin model with given couplings.

    Parameters
    ----------
    J : ndarray, shape (N,) * p
        Couplings over all ordered index tuples (i.i.d. N(0, 1) for the
        Auffinger–Ben Arous–Černý model; any real tensor is accepted).

    Attributes
    ----------
    N, p : int
        Number of spins and interaction order.
    S : ndarray, shape (N,) * p
        The symmetrised couplings; H depends on J only through S.
    name, params, convention : str, dict, str
        Registry name, JSON-able parameters, and the counting convention.

    Notes
    -----
    See the module docstring for the scale (everything is of u = H/N) and
    the convention (σ and −σ distinct).
    """

    name = "pspin"
    convention = "sigma and -sigma are distinct critical points (Kac-Rice counts both); canonical(x) = x"

    def __init__(self, J: np.ndarray):
        J = np.asarray(J, dtype=float)
        if J.ndim < 2 or len(set(J.shape)) != 1:
            raise ValueError(f"couplings must be a cubical tensor of order p >= 2, got shape {J.shape}")
        self.N = J.shape[0]
        self.p = J.ndim
        self.dim = self.N
        self.S = _symmetrise(J)
        # N^{-(p-1)/2} from the Hamiltonian, one more 1/N for the energy per spin
        self._scale = self.N ** (-(self.p - 1) / 2) / self.N
        self.params = {"N": self.N, "p": self.p}

    def hamiltonian(self, x: np.ndarray) -> float:
        """H(σ) = N · u(σ), the Hamiltonian itself (order N)."""
        return self.N * self.value(x)

    def value(self, x: np.ndarray) -> float:
        """Energy per spin u(σ) = H(σ)/N at σ = ``x``, shape (N,), on the sphere |x|² = N."""
        x = np.asarray(x, dtype=float)
        return float(self._scale * _contract(self.S, x, self.p))

    energy = value

    def egrad(self, x: np.ndarray) -> np.ndarray:
        """Euclidean gradient of u, shape (N,): p · scale · S[x, …, x, ·]."""
        x = np.asarray(x, dtype=float)
        return self.p * self._scale * _contract(self.S, x, self.p - 1)

    def ehess(self, x: np.ndarray) -> np.ndarray:
        """Euclidean Hessian of u, shape (N, N): p(p−1) · scale · S[x, …, x, ·, ·]."""
        x = np.asarray(x, dtype=float)
        return self.p * (self.p - 1) * self._scale * _contract(self.S, x, self.p - 2)

    def __repr__(self) -> str:
        return f"PSpin(N={self.N}, p={self.p})"


def pspin(N: int = 8, p: int = 3, rng=None) -> PSpin:
    """Draw one spherical p-spin instance: J i.i.d. N(0, 1), shape (N,) * p.

    Parameters
    ----------
    N : int
        Number of spins, N >= 2 (the sphere has dimension N − 1).
    p : int
        Interaction order, p >= 2.
    rng : None, int, SeedSequence or Generator
        Anything :func:`numpy.random.default_rng` accepts; the couplings are
        a pure function of it.

    Returns
    -------
    PSpin

    References
    ----------
    Auffinger, Ben Arous & Černý (2013), arXiv:1003.1129.
    """
    N = check_int("N", N, 2)
    p = check_int("p", p, 2)
    if N**p > MAX_COUPLINGS:
        raise ValueError(f"pspin with N={N}, p={p} needs N^p = {N**p} couplings; at most {MAX_COUPLINGS} are supported")
    rng = np.random.default_rng(rng)
    return PSpin(rng.standard_normal((N,) * p))

