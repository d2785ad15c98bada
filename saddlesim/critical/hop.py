"""Hopping: new starts from critical points already found, along their Hessian eigenvectors.

Newton-MR from generic random starts is strongly biased: on the deep linear
autoencoder k = 16, p = 4 a thousand random and descent starts reach only
about 120 of the 2517 gauge classes, again and again the same ones. The
critical points of a landscape are, however, linked to each other by their
Hessian eigendirections: leaving a saddle along an eigenvector (downhill
along a negative one, uphill along a positive one) and solving again lands,
far more often than a random start does, on a *neighbouring* critical point
that has not been seen (on the autoencoder an eigendirection rotates one
hidden unit from one eigendirection of Σ towards another, or revives a dead
unit). This is the eigenvector-following / basin-hopping idea of
energy-landscape exploration, used here only to make starts: every
accepted point is still a Newton-MR end point with |∇L|² ≤ grad_tol.

The walk, in rounds of ``round_size`` hops:

1. parents: the distinct points found so far that have been hopped from the
   fewest times (ties broken at random), so the walk spreads over the whole
   set instead of circling the points found first;
2. direction: the parent's non-null Hessian eigenvectors (null ones only
   move along the symmetry orbit), taken in a random order without repeats
   until all have been used, each with a random sign;
3. length: ``t · max(1, |x|)`` with ``t`` log-uniform in ``hop_scale``,
   default 10 … 100: the start is then essentially the eigenvector itself
   (Newton-MR's step is scale-free enough to come back), a *structured*
   start that random ones are not. Measured on the autoencoder k = 8, p = 3
   (30 starts + 300 hops; 93 classes): t in 0.3 … 3 reached 45 classes,
   1 … 10: 56, 3 … 30: 74, 10 … 100: 84, 30 … 300: 83; short hops fall
   back into the parent's basin;
4. solve all hops of the round (batched where the landscape has batched
   derivatives), and add the new distinct points to the parents.

Nothing here uses the landscape's structure beyond its Hessian and
``canonical``, and every random choice comes from the one generator passed
in, so the walk is a pure function of (landscape, starts, rng).

References
----------
Wales (2003), *Energy Landscapes*, Cambridge University Press, ch. 6
(eigenvector-following, basin-hopping and discrete path sampling).
Farrell, Birkisson & Funke (2015), "Deflation techniques for finding
distinct solutions of nonlinear partial differential equations", SIAM J.
Sci. Comput. 37, A2026 (finding further solutions from known ones).
Frye et al. (2019), arXiv:1901.10603 (the autoencoder benchmark).
"""

from __future__ import annotations

import numpy as np

__all__ = ["ClassBook", "hop_starts", "HOP_SCALE"]

#: Default range of the hop length relative to ``max(1, |x|)``.
HOP_SCALE = (10.0, 100.0)


class ClassBook:
    """The distinct points found so far, matched by canonical form within a relative tolerance.

    Parameters
    ----------
    rtol : float
        As :func:`saddlesim.critical.dedup.deduplicate`.
    """

    def __init__(self, rtol: float):
        self.rtol = float(rtol)
        self.canon: list[np.ndarray] = []
        self.x: list[np.ndarray] = []
        self.visits: list[int] = []
        #: point number → its non-null Hessian eigenvectors (tangent coordinates)
        self.directions: dict[int, np.ndarray] = {}
        #: point number → hops taken from it so far
        self.hops: list[int] = []
        self._kept = None

    def __len__(self) -> int:
        return len(self.x)

    def add(self, canonical: np.ndarray, x: np.ndarray) -> bool:
        """Record a point; True if its class is new."""
        c = np.ravel(np.asarray(canonical, dtype=float))
        if self._kept is not None and len(self.canon):
            d = self._kept[:len(self.canon)] - c
            d2 = np.einsum("ij,ij->i", d, d)
            if d2.min() <= (self.rtol * max(1.0, float(np.sqrt(c @ c)))) ** 2:
                return False
        if self._kept is None:
            self._kept = np.empty((64, c.size))
        elif len(self.canon) == len(self._kept):
            self._kept = np.concatenate([self._kept, np.empty_like(self._kept)])
        self._kept[len(self.canon)] = c
        self.canon.append(c)
        self.x.append(np.asarray(x, dtype=float).copy())
        self.visits.append(0)
        self.hops.append(0)
        return True

    def parents(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """``count`` parent numbers, least hopped-from first, ties at random; updates the visit counts."""
        out = []
        visits = np.asarray(self.visits)
        for _ in range(int(count)):
            low = np.flatnonzero(visits == visits.min())
            j = int(low[rng.integers(low.size)])
            visits[j] += 1
            out.append(j)
        self.visits = visits.tolist()
        return np.asarray(out, dtype=np.int64)


def hop_starts(landscape, book: ClassBook, parents, rng: np.random.Generator, *,
               hop_scale=HOP_SCALE) -> list[np.ndarray]:
    """One start per parent: a step along a random non-null Hessian eigenvector of that point.

    Parameters
    ----------
    landscape : Landscape
    book : ClassBook
        The points found so far; each parent's eigenvectors are computed once
        and kept in ``book.directions``.
    parents : sequence of int
        Numbers of the points (in ``book``) to hop from.
    rng : numpy.random.Generator
    hop_scale : (float, float)
        ``t`` is log-uniform in this range; the step length is ``t·max(1, |x|)``.

    Returns
    -------
    starts : list of ndarray, shape (dim,)
    """
    lo, hi = (float(v) for v in hop_scale)
    if not 0.0 < lo <= hi:
        raise ValueError(f"hop_scale must be 0 < lo <= hi, got {hop_scale}")
    out = []
    for j in parents:
        x = book.x[int(j)]
        Q = book.directions.get(int(j))
        if Q is None:
            lam, Q = np.linalg.eigh(landscape.hessian(x))
            tol = np.sqrt(np.finfo(float).eps) * max(1.0, float(np.abs(lam).max(initial=0.0)))
            # visit the eigenvectors in a random order, without repeats until all are used
            Q = book.directions[int(j)] = Q[:, rng.permutation(np.flatnonzero(np.abs(lam) > tol))]
        U = landscape.tangent_basis(x)
        if Q.shape[1] == 0:
            v = U @ rng.standard_normal(U.shape[1])
            v /= max(float(np.linalg.norm(v)), np.finfo(float).tiny)
        else:
            v = U @ Q[:, book.hops[int(j)] % Q.shape[1]]
        book.hops[int(j)] += 1
        t = np.exp(rng.uniform(np.log(lo), np.log(hi))) * rng.choice((-1.0, 1.0))
        out.append(landscape.retract(x, t * max(1.0, float(np.linalg.norm(x))) * v))
    return out
