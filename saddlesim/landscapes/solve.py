"""Newton-MR: a Newton solver on ∇L = 0 that goes to saddles as readily as to minima.

Gradient descent only finds minima; plain Newton goes to any critical point
but diverges or cycles where the Hessian is indefinite and ill-conditioned.
Newton-MR takes the *minimum-residual* Newton step, the least-squares
solution of ``H s = -g`` (a pseudo-inverse through the eigendecomposition of
the Riemannian Hessian in the tangent basis), which is a descent direction
for ``½|∇L|²`` wherever ``g`` is not in the kernel of ``H``:

    d/dt ½|g(x + t s)|²  at t = 0  =  gᵀ H s  =  -gᵀ H H⁺ g  ≤  0,

so a backtracking (Armijo) line search on ``|∇L|²`` globalises it without
preferring minima. The step lives in the tangent space (``v = U s`` with
``U`` the landscape's tangent basis) and ``x ← retract(x, v)``.

A point is *accepted* only when ``|∇L|² ≤ grad_tol`` (default 1e-10, Frye et
al. 2019). Where Newton-MR stalls with a small but larger gradient, ``g`` has
drifted into the Hessian's near-kernel: a "gradient-flat" point, which is
returned with its own status so that callers report it rather than count it.

References
----------
Roosta, Liu, Xu & Mahoney (2018), "Newton-MR: Inexact Newton method with
minimum residual sub-problem solver", arXiv:1810.00303.
Frye, Simon, Wadia, Ligeralde, DeWeese & Bouchard (2019), "Numerically
recovering the critical points of a deep linear autoencoder", arXiv:1901.10603.
Absil, Mahony & Sepulchre (2008), *Optimization Algorithms on Matrix Manifolds*, ch. 6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NewtonResult", "newton_mr", "CONVERGED", "STALLED", "MAX_ITER", "DIVERGED"]

#: ``status`` values of :class:`NewtonResult`.
CONVERGED, STALLED, MAX_ITER, DIVERGED = 0, 1, 2, 3

_MESSAGES = {
    CONVERGED: "|grad|^2 <= grad_tol",
    STALLED: "line search could not reduce |grad|^2 (gradient-flat or ill-conditioned)",
    MAX_ITER: "maximum number of iterations reached",
    DIVERGED: "non-finite loss, gradient or Hessian",
}


@dataclass
class NewtonResult:
    """The end point of one solve, as :class:`scipy.optimize.OptimizeResult` reports it.

    Attributes
    ----------
    x : ndarray, shape (dim,)
        Final point (ambient coordinates).
    value : float
        Loss at ``x``.
    grad_norm2 : float
        ``|∇L(x)|²`` (Riemannian gradient).
    iterations : int
        Newton steps taken.
    status : int
        :data:`CONVERGED`, :data:`STALLED`, :data:`MAX_ITER` or :data:`DIVERGED`.
    message : str
        Why it stopped.
    """

    x: np.ndarray
    value: float
    grad_norm2: float
    iterations: int
    status: int
    message: str

    @property
    def success(self) -> bool:
        """True when the point was accepted (``|∇L|² ≤ grad_tol``)."""
        return self.status == CONVERGED


def _pinv_step(H: np.ndarray, g: np.ndarray, rcond: float) -> np.ndarray:
    """Minimum-norm least-squares solution of ``H s = -g`` (eigenvalues below ``rcond·|λ|max`` cut)."""
    lam, Q = np.linalg.eigh(H)
    cutoff = rcond * max(np.abs(lam).max(initial=0.0), np.finfo(float).tiny)
    inv = np.zeros_like(lam)
    keep = np.abs(lam) > cutoff
    inv[keep] = 1.0 / lam[keep]
    return -Q @ (inv * (Q.T @ g))


def newton_mr(
    landscape,
    x0,
    *,
    grad_tol: float = 1e-10,
    max_iter: int = 100,
    polish: int = 1,
    rcond: float = 1e-12,
    armijo: float = 1e-4,
    min_step: float = 1e-10,
) -> NewtonResult:
    """Find a critical point of ``landscape`` from ``x0`` by Newton-MR with a line search.

    Parameters
    ----------
    landscape : Landscape
        See :mod:`saddlesim.landscapes.base`.
    x0 : array_like, shape (dim,)
        Start, a point of the landscape's manifold.
    grad_tol : float
        Accept when ``|∇L|² ≤ grad_tol`` (default 1e-10, Frye et al. 2019).
    max_iter : int
        Newton steps at most.
    polish : int
        Extra Newton steps taken after acceptance, kept only while they reduce
        ``|∇L|²``: with quadratic convergence one step takes ``|∇L|`` from
        ~1e-5 to rounding level, so the Hessian's null eigenvalues (exact zero
        modes) come out at rounding level too, well inside the nullity
        tolerance.
    rcond : float
        Relative cut-off of the pseudo-inverse.
    armijo : float
        Sufficient-decrease constant of the backtracking line search on ``|∇L|²``.
    min_step : float
        Smallest step length tried before declaring a stall.

    Returns
    -------
    NewtonResult

    References
    ----------
    Roosta et al. (2018), arXiv:1810.00303 (Newton-MR); Frye et al. (2019),
    arXiv:1901.10603 (the ``1e-10`` cut-off and gradient-flat points).
    """
    x = np.asarray(x0, dtype=float).copy()
    g = landscape.gradient(x)
    g2 = float(g @ g)
    status = MAX_ITER
    it = 0
    extra = 0
    while it < max_iter:
        if not np.isfinite(g2):
            status = DIVERGED
            break
        if g2 <= grad_tol:
            if extra >= polish or g2 == 0.0:
                status = CONVERGED
                break
        U = landscape.tangent_basis(x)
        H = landscape.hessian(x)
        gt = U.T @ g
        if not np.all(np.isfinite(H)):
            status = DIVERGED
            break
        s = _pinv_step(H, gt, rcond)
        # gᵀHs = -|P g|² with P the projector on the range of H: the directional
        # derivative of ½|g|² (times 2 for |g|²)
        slope = 2.0 * float(gt @ (H @ s))
        t = 1.0
        accepted = False
        while t >= min_step:
            xn = landscape.retract(x, t * (U @ s))
            gn = landscape.gradient(xn)
            gn2 = float(gn @ gn)
            if np.isfinite(gn2) and gn2 <= g2 + armijo * t * slope:
                accepted = True
                break
            t *= 0.5
        it += 1
        if not accepted:
            # a polishing step that does not help leaves the accepted point alone
            status = CONVERGED if g2 <= grad_tol else STALLED
            break
        if g2 <= grad_tol:
            extra += 1
        x, g, g2 = xn, gn, gn2
    else:
        if g2 <= grad_tol:
            status = CONVERGED
    return NewtonResult(x, float(landscape.value(x)), g2, it, status, _MESSAGES[status])
