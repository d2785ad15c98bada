"""Check a landscape's hand-written derivatives against finite differences before a run trusts them.

A wrong gradient makes the finder report confident, wrong "critical points";
a wrong Hessian, wrong indices. At a few random points, along tangent basis
directions ``b_i`` (a random subset of at most :data:`COMPONENTS`):

- gradient: ⟨grad f(x), b_i⟩ against the central difference
  (f(R(x, h b_i)) − f(R(x, −h b_i))) / 2h;
- Hessian: b_iᵀ Hess f(x) b_i and (b_i + b_j)ᵀ Hess (b_i + b_j) / 2 against
  the second central difference of t ↦ f(R(x, t u)), which equals uᵀ Hess u
  at t = 0 for a second-order retraction (Euclidean x + v, and the sphere's
  metric projection; Absil, Mahony & Sepulchre 2008, Prop. 5.5.5).

Errors are relative to the size of what is compared (|grad|, max|λ| of the
Hessian) plus the rounding floor of the differences, so the check does not
depend on the loss's scale.

References
----------
Nocedal & Wright (2006), *Numerical Optimization*, 2nd ed., §8.1
(central differences, step h ~ ε^{1/3} and ε^{1/4}).
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_derivatives", "COMPONENTS", "RTOL"]

#: Tangent directions checked per point (all of them below this dimension).
COMPONENTS = 32
#: Largest relative error accepted; a one-line bug gives O(1), differences ~1e-7.
RTOL = 1e-4
_EPS = np.finfo(float).eps


def check_derivatives(landscape, rng=None, *, points: int = 3, components: int = COMPONENTS,
                      rtol: float = RTOL) -> dict:
    """Raise a one-line ValueError if ``gradient`` or ``hessian`` disagree with finite differences.

    Parameters
    ----------
    landscape : Landscape
    rng : None, int, SeedSequence or Generator
        Where the points and directions are drawn.
    points : int
        Random points (``landscape.random_point``).
    components : int
        Tangent directions per point, at most.
    rtol : float

    Returns
    -------
    dict
        ``gradient_error`` and ``hessian_error``: the worst relative errors seen.

    Raises
    ------
    ValueError
        Naming the worst component, e.g. ``gradient component 3 at check point 0:
        hand-written 1.2, finite differences 2.4 (relative error 0.5)``.
    """
    rng = np.random.default_rng(rng)
    worst = {"gradient_error": 0.0, "hessian_error": 0.0}
    for k in range(points):
        x = np.asarray(landscape.random_point(rng), dtype=float)
        U = landscape.tangent_basis(x)
        m = U.shape[1]
        idx = np.sort(rng.choice(m, size=min(components, m), replace=False))
        f0 = float(landscape.value(x))
        scale_x = max(1.0, float(np.linalg.norm(x)))

        def f_along(u, t):
            return float(landscape.value(landscape.retract(x, t * u)))

        g = U.T @ np.asarray(landscape.gradient(x), dtype=float)
        h1 = _EPS ** (1 / 3) * scale_x
        fd = np.array([(f_along(U[:, i], h1) - f_along(U[:, i], -h1)) / (2 * h1) for i in idx])
        floor = _EPS * max(abs(f0), 1.0) / h1 * 10
        err = np.abs(fd - g[idx]) / (np.linalg.norm(g) + floor)
        j = int(np.argmax(err))
        worst["gradient_error"] = max(worst["gradient_error"], float(err[j]))
        if err[j] > rtol:
            raise ValueError(
                f"{landscape.name}: gradient component {idx[j]} at check point {k}: hand-written "
                f"{g[idx[j]]:.6g}, finite differences {fd[j]:.6g} (relative error {err[j]:.2g}); "
                "fix the derivatives or pass --no-derivative-check")

        H = np.asarray(landscape.hessian(x), dtype=float)
        h2 = _EPS ** (1 / 4) * scale_x
        pairs = [(i, i) for i in idx] + [tuple(rng.choice(idx, size=2, replace=False))
                                         for _ in range(min(len(idx), 8)) if len(idx) > 1]
        exact, diff = [], []
        for i, jj in pairs:
            c = np.zeros(m)
            c[i] += 1.0
            c[jj] += 1.0
            c /= np.linalg.norm(c)
            u = U @ c
            exact.append(c @ H @ c)
            diff.append((f_along(u, h2) - 2 * f0 + f_along(u, -h2)) / h2**2)
        exact, diff = np.array(exact), np.array(diff)
        floor = _EPS * max(abs(f0), 1.0) / h2**2 * 10
        size = float(np.max(np.abs(np.linalg.eigvalsh((H + H.T) / 2)))) if m else 0.0
        err = np.abs(diff - exact) / (size + floor)
        j = int(np.argmax(err))
        worst["hessian_error"] = max(worst["hessian_error"], float(err[j]))
        if err[j] > rtol * 10:  # second differences carry ~ε^{1/2} error, ten times the first's
            i, jj = pairs[j]
            where = f"H[{i},{i}]" if i == jj else f"the ({i},{jj}) block"
            raise ValueError(
                f"{landscape.name}: Hessian {where} at check point {k}: hand-written curvature "
                f"{exact[j]:.6g}, finite differences {diff[j]:.6g} (relative error {err[j]:.2g}); "
                "fix the derivatives or pass --no-derivative-check")
    return worst
