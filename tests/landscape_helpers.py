"""Small landscapes with known critical points, for the finder's tests.

``quadratic`` is u(x) = xᵀSx/N on the sphere |x|² = N (the p = 2 p-spin up to
scale): its critical points are exactly ±√N v_k for the unit eigenvectors v_k
of S, and ±√N v_k has index k (eigenvalues in increasing order), so 2N
points with indices 0 … N−1, each twice.

``double_well`` is a Euclidean loss with an exact zero mode (a line of
critical points), for the nullity labels.
"""

from __future__ import annotations

import numpy as np

from saddlesim.landscapes.base import Euclidean, Sphere

__all__ = ["Quadratic", "quadratic", "DoubleWell", "double_well", "exact_autoencoder_set", "check_against_exact"]


class Quadratic(Sphere):
    """u(x) = xᵀ S x / N on |x|² = N."""

    name = "quadratic"
    convention = "x and -x distinct"

    def __init__(self, S):
        self.S = np.asarray(S, dtype=float)
        self.dim = self.S.shape[0]
        self.params = {"N": self.dim}

    def value(self, x):
        return float(x @ self.S @ x) / self.dim

    def egrad(self, x):
        return 2.0 * self.S @ x / self.dim

    def ehess(self, x):
        return 2.0 * self.S / self.dim


def quadratic(rng, N: int = 4) -> Quadratic:
    """A GOE-coupled quadratic form on the sphere, drawn from ``rng``."""
    rng = np.random.default_rng(rng)
    A = rng.standard_normal((N, N))
    return Quadratic((A + A.T) / 2)


class DoubleWell(Euclidean):
    """L(x, y, z) = (x² − 1)² + y², flat along z.

    Critical points: x ∈ {−1, 0, 1}, y = 0, any z (a line of critical points,
    one zero mode). canonical(x) sets z = 0, so each line counts once: three
    classes, minima at x = ±1 (degenerate minima: nullity 1) and a degenerate
    saddle at x = 0 (index 1, nullity 1).
    """

    name = "double-well"
    convention = "points differing only in z are one"
    dim = 3

    def __init__(self, scale: float = 1.0):
        self.scale = float(scale)
        self.params = {"scale": self.scale}

    def value(self, x):
        return float(self.scale * ((x[0] ** 2 - 1) ** 2 + x[1] ** 2))

    def gradient(self, x):
        return self.scale * np.array([4 * x[0] * (x[0] ** 2 - 1), 2 * x[1], 0.0])

    def hessian(self, x):
        return self.scale * np.diag([12 * x[0] ** 2 - 4, 2.0, 0.0])

    def random_point(self, rng):
        return rng.uniform(-2, 2, size=3)

    def canonical(self, x):
        return np.array([x[0], x[1], 0.0])


def double_well(rng, scale: float = 1.0) -> DoubleWell:
    """A :class:`DoubleWell` (no disorder; ``rng`` unused)."""
    return DoubleWell(scale)


def exact_autoencoder_set(eigenvalues, width: int) -> dict:
    """Every gauge class of the linear autoencoder's critical points, exactly.

    Classes ↔ subsets I of Σ's eigendirections with |I| = m ≤ p (Baldi &
    Hornik 1989): loss Σ_{j∉I} λ_j / k, index
    Σ_{i∈I} #{j ∉ I : λ_j > λ_i} + (p − m)(k − m), and nullity m(2p − m):
    the GL(m) gauge of the active units (m²) plus, for each of the p − m
    dead units, its 2m weights to and from the directions in I (the dead
    unit's weights to j ∉ I pair into ±λ_j/k, the (p − m)(k − m) term).

    Returns
    -------
    dict
        ``frozenset(I) → (loss, index, nullity)``.
    """
    from itertools import combinations

    lam = np.asarray(eigenvalues, dtype=float)
    k = len(lam)
    out = {}
    for m in range(width + 1):
        for I in combinations(range(k), m):
            rest = [j for j in range(k) if j not in I]
            loss = float(sum(lam[j] for j in rest) / k)
            index = sum(sum(lam[j] > lam[i] for j in rest) for i in I) + (width - m) * (k - m)
            out[frozenset(I)] = (loss, int(index), m * (2 * width - m))
    return out


def check_against_exact(points, exact: dict, rtol: float = 1e-8) -> np.ndarray:
    """For each row of ``points`` (loss, index, nullity), True when it matches an exact class.

    The loss must agree with some class's loss to ``rtol`` (Σ's eigenvalues are
    distinct integers here, so losses identify classes up to ties, which are
    resolved by index and nullity).
    """
    ok = np.zeros(len(points), dtype=bool)
    table = list(exact.values())
    for r, (loss, index, nullity) in enumerate(zip(points["loss"], points["index"], points["nullity"])):
        ok[r] = any(abs(loss - L) <= rtol * max(1.0, abs(L)) and index == i and nullity == z
                    for L, i, z in table)
    return ok


def source_env() -> dict:
    """Environment for a subprocess that must import this checkout's saddlesim (not an installed copy).

    Only saddlesim's own folder goes on PYTHONPATH: a user's loss module is
    still found from the subprocess's current folder, as the CLI promises.
    """
    import os
    from pathlib import Path

    import saddlesim

    return {**os.environ, "PYTHONPATH": str(Path(saddlesim.__file__).resolve().parents[1])}
