"""Newton-MR on many starts at once, for landscapes with vectorised derivatives.

For small dense problems (the p-spin at N ≤ 12) a serial solve is dominated
by Python overhead, not arithmetic: every start pays a few hundred
interpreter-level numpy calls. Here all starts advance together: one batched
eigendecomposition per iteration, and each iteration evaluates a fixed
ladder of candidate steps for every start at once (the full and half
Newton-MR step, then Levenberg–Marquardt damping μ·4^j, j = 0 … 8) and keeps,
per start, the first candidate that lowers ``|∇L|²`` — the same rule, in the
same order, as :func:`saddlesim.critical.solve.newton_mr`, with the same
kicks and stall detection. The tangent basis is a Householder reflection of
``x`` (any orthonormal basis gives the same step).

A landscape takes this path when :func:`batch_derivatives` knows how to
vectorise it; today that is the spherical p-spin (through its public
symmetrised couplings ``S``, order ``p`` and the documented scale of
u = H/N), and any Euclidean JAX loss (``jax.vmap`` of its compiled
derivatives, :meth:`saddlesim.landscapes.autodiff.JaxEuclidean.batched`),
where the tangent basis is the identity and the retraction is ``x + v``.

References
----------
Roosta et al. (2018), arXiv:1810.00303 (Newton-MR); Moré (1978), LNM 630
(Levenberg–Marquardt); Absil, Mahony & Sepulchre (2008), §5.5 (Riemannian
Hessian on the sphere).
"""

from __future__ import annotations

import numpy as np

from saddlesim.critical.solve import CONVERGED, DIVERGED, MAX_ITER, STALLED, NewtonResult, STATUS_MESSAGES

__all__ = ["SpherePSpinBatch", "batch_derivatives", "newton_mr_batch"]


class SpherePSpinBatch:
    """Vectorised value, Euclidean gradient and Hessian of a :class:`~saddlesim.landscapes.pspin.PSpin`.

    u(σ) = c·S[σ, …, σ] with c = N^{-(p-1)/2}/N (the p-spin module's scale).
    """

    geometry = "sphere"

    def __init__(self, landscape):
        self.S = np.asarray(landscape.S, dtype=float)
        self.p = int(landscape.p)
        self.N = int(landscape.N)
        self.c = self.N ** (-(self.p - 1) / 2) / self.N

    def _contract(self, X, times):
        """S contracted ``times`` times with each row of X: shape (B,) + (N,)*(p - times)."""
        M = np.tensordot(X, self.S, axes=([1], [self.p - 1]))
        for _ in range(times - 1):
            M = np.einsum("b...i,bi->b...", M, X)
        return M

    def value(self, X):
        return self.c * self._contract(X, self.p)

    def egrad(self, X):
        return self.p * self.c * self._contract(X, self.p - 1)

    def ehess(self, X):
        if self.p == 2:
            return np.broadcast_to(2 * self.c * self.S, (len(X), self.N, self.N))
        return self.p * (self.p - 1) * self.c * self._contract(X, self.p - 2)


def batch_derivatives(landscape):
    """A vectorised twin of ``landscape``, or None when there is none.

    The twin has ``value(X)``, ``egrad(X)``, ``ehess(X)`` for X of shape (B, N)
    and a ``geometry``, ``"sphere"`` or ``"euclidean"``.
    """
    from saddlesim.landscapes.autodiff import JaxEuclidean
    from saddlesim.landscapes.pspin import PSpin

    if isinstance(landscape, PSpin):
        return SpherePSpinBatch(landscape)
    if isinstance(landscape, JaxEuclidean):
        return landscape.batched()
    return None


def _basis(X, r2):
    """Orthonormal tangent bases, shape (B, N, N-1): Householder reflection of x onto ±e₁, columns 2…N."""
    B, N = X.shape
    u = X / np.sqrt(r2)
    s = np.where(u[:, 0] >= 0, 1.0, -1.0)
    v = u.copy()
    v[:, 0] += s
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    H = np.eye(N)[None] - 2.0 * v[:, :, None] * v[:, None, :]
    return H[:, :, 1:]


def newton_mr_batch(landscape, X0, *, grad_tol=1e-10, max_iter=200, polish=3, mu0=1e-4, kicks=5,
                    patience=30, kick_growth=1e6) -> list[NewtonResult]:
    """Solve from every row of ``X0`` at once; same rules as :func:`~saddlesim.critical.solve.newton_mr`.

    Parameters
    ----------
    landscape : Landscape
        A landscape with :func:`batch_derivatives` (the p-spin, or a Euclidean JAX loss).
    X0 : array_like, shape (B, N)
        Starts on the sphere.
    grad_tol, max_iter, polish, mu0, kicks, patience, kick_growth
        As in :func:`~saddlesim.critical.solve.newton_mr`.

    Returns
    -------
    list of NewtonResult, length B
    """
    D = batch_derivatives(landscape)
    if D is None:
        raise ValueError(f"no batched derivatives for {type(landscape).__name__}")
    sphere = D.geometry == "sphere"
    r2 = float(landscape.radius2) if sphere else 1.0
    X = np.array(X0, dtype=float)
    B, N = X.shape
    # tangent dimension: N − 1 on the sphere, N in Euclidean space (basis = identity)
    T = N - 1 if sphere else N

    def rgrad(Y):
        E = D.egrad(Y)
        if not sphere:
            return E, E
        return E - Y * (np.einsum("bi,bi->b", Y, E) / r2)[:, None], E

    def retract(Y, V):
        Z = Y + V
        if not sphere:
            return Z
        return Z * np.sqrt(r2 / np.einsum("bi,bi->b", Z, Z))[:, None]

    def basis(Y):
        return _basis(Y, r2) if sphere else None

    def to_tangent(U, V):
        """Ambient → tangent coordinates, rows of V (…, b, N) → (…, b, T)."""
        return V if U is None else np.einsum("bji,...bj->...bi", U, V)

    def to_ambient(U, C):
        return C if U is None else np.einsum("bij,...bj->...bi", U, C)

    G, _ = rgrad(X)
    g2 = np.einsum("bi,bi->b", G, G)
    status = np.full(B, MAX_ITER)
    iters = np.zeros(B, dtype=np.int64)
    extra = np.zeros(B, dtype=np.int64)
    kicks_left = np.full(B, kicks)
    mu = np.full(B, float(mu0))
    hist = np.full((B, patience + 1), np.nan)
    hist[:, 0] = g2
    hlen = np.ones(B, dtype=np.int64)
    active = np.ones(B, dtype=bool)
    ladder_t = (1.0, 0.5)
    n_mu = 9
    for _ in range(max_iter):
        bad = active & ~np.isfinite(g2)
        status[bad], active[bad] = DIVERGED, False
        done = active & (g2 <= grad_tol) & ((extra >= polish) | (g2 == 0.0))
        status[done], active[done] = CONVERGED, False
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        x, g, gg = X[idx], G[idx], g2[idx]
        U = basis(x)
        if sphere:
            E = D.egrad(x)
            radial = np.einsum("bi,bi->b", x, E) / r2
            Hm = np.einsum("bji,bjk,bkl->bil", U, D.ehess(x), U) - radial[:, None, None] * np.eye(T)[None]
        else:
            Hm = D.ehess(x)
        Hm = (Hm + np.swapaxes(Hm, 1, 2)) / 2
        if not np.all(np.isfinite(Hm)):
            fin = np.all(np.isfinite(Hm), axis=(1, 2))
            status[idx[~fin]], active[idx[~fin]] = DIVERGED, False
            continue
        lam, Q = np.linalg.eigh(Hm)
        c = np.einsum("bji,bj->bi", Q, to_tangent(U, g))
        lam2 = lam * lam
        scale = np.maximum(lam2.max(axis=1), np.finfo(float).tiny)
        keep = np.abs(lam) > 1e-12 * np.sqrt(scale)[:, None]
        coef_mr = np.where(keep, c / np.where(keep, lam, 1.0), 0.0)
        # candidate steps (tangent coordinates), in the serial solver's order
        cands = [t * coef_mr for t in ladder_t]
        mus = mu[idx][:, None] * 4.0 ** np.arange(n_mu)[None]
        cands += [lam * c / (lam2 + mus[:, j:j + 1] * scale[:, None]) for j in range(n_mu)]
        m = len(cands)
        coef = np.stack(cands)  # (m, b, T)
        V = -to_ambient(U, np.einsum("bij,mbj->mbi", Q, coef))
        Xn = retract(np.broadcast_to(x, V.shape).reshape(-1, N), V.reshape(-1, N))
        Gn, _ = rgrad(Xn)
        gn2 = np.einsum("bi,bi->b", Gn, Gn).reshape(m, -1)
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(gn2)
            ok[:2] &= gn2[:2] <= (1.0 - 1e-4 * np.array(ladder_t))[:, None] * gg[None]
            ok[2:] &= gn2[2:] < gg[None]
        any_ok = ok.any(axis=0)
        pick = np.argmax(ok, axis=0)
        cols = np.arange(idx.size)
        new_x = Xn.reshape(m, -1, N)[pick, cols]
        new_g = Gn.reshape(m, -1, N)[pick, cols]
        new_g2 = gn2[pick, cols]
        # damping bookkeeping as in the serial solver: success at mu·4^j → mu·4^j/10
        j = pick - 2
        damped = any_ok & (j >= 0)
        mu_new = mu[idx].copy()
        mu_new[damped] = np.maximum(mus[damped, j[damped]] / 10.0, 1e-16)
        mu_new[~any_ok] = mus[~any_ok, -1] * 4.0
        iters[idx] += 1
        h = hist[idx]
        hl = hlen[idx]
        crawl = (hl > patience) & (gg > 0.1 * h[:, 0])
        want_kick = (crawl | ~any_ok) & (gg > grad_tol) & (kicks_left[idx] > 0)
        if want_kick.any():
            Uk = None if U is None else U[want_kick]
            kx = retract(x[want_kick], -to_ambient(Uk, np.einsum("bij,bj->bi", Q[want_kick], coef_mr[want_kick])))
            kg, _ = rgrad(kx)
            kg2 = np.einsum("bi,bi->b", kg, kg)
            kok = np.isfinite(kg2) & (kg2 <= kick_growth * gg[want_kick])
            w = np.flatnonzero(want_kick)
            new_x[w[kok]], new_g[w[kok]], new_g2[w[kok]] = kx[kok], kg[kok], kg2[kok]
            any_ok[w] = kok
            kicks_left[idx[w]] -= 1
            mu_new[w] = float(mu0)
            hl[w] = 1
            h[w, 0] = gg[want_kick]
        stop = ~any_ok
        status[idx[stop]] = np.where(gg[stop] <= grad_tol, CONVERGED, STALLED)
        active[idx[stop]] = False
        go = any_ok
        extra[idx[go & (gg <= grad_tol)]] += 1
        X[idx[go]], G[idx[go]], g2[idx[go]] = new_x[go], new_g[go], new_g2[go]
        mu[idx] = mu_new
        # history of the last patience+1 values of |grad|^2 (oldest first)
        full = hl > patience
        h[full] = np.roll(h[full], -1, axis=1)
        hl = np.minimum(hl + 1, patience + 1)
        h[np.arange(idx.size), hl - 1] = np.where(go, new_g2, gg)
        hist[idx], hlen[idx] = h, hl
        stall = go & (kicks_left[idx] == 0) & (hl > patience) & (g2[idx] > grad_tol) & (g2[idx] > 0.1 * h[:, 0])
        status[idx[stall]], active[idx[stall]] = STALLED, False
    else:
        fin = active & (g2 <= grad_tol)
        status[fin] = CONVERGED
    values = D.value(X)
    return [NewtonResult(X[i].copy(), float(values[i]), float(g2[i]), int(iters[i]), int(status[i]),
                         STATUS_MESSAGES[int(status[i])]) for i in range(B)]
