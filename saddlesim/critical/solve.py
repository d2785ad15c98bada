"""Newton-MR: a Newton solver on ∇L = 0 that goes to saddles as readily as to minima.

Gradient descent only finds minima; plain Newton goes to any critical point
but diverges or cycles where the Hessian is indefinite and ill-conditioned.
Newton-MR takes the *minimum-residual* Newton step, the least-squares
solution ``s = −H⁺g`` of ``H s = −g`` (pseudo-inverse through the
eigendecomposition of the Riemannian Hessian in the tangent basis), which is
a descent direction for ``|∇L|²`` wherever ``g`` is not in the kernel of ``H``:

    d/dt ½|g(x + t s)|²  at t = 0  =  gᵀ H s  =  -gᵀ H H⁺ g  ≤  0,

and it treats minima, saddles and maxima alike. Globalisation: try the full
and the half step; failing both, damp it (Levenberg–Marquardt on the
residual ``g`` with Jacobian ``H``, ``s = −(H² + μI)⁻¹ H g``, μ raised until
``|∇L|²`` falls); when the iterate is trapped in a local minimum of ``|∇L|²``
that is not a critical point, take a few undamped "kicks". The step lives in
the tangent space (``v = U s``, ``U`` the landscape's tangent basis) and
``x ← retract(x, v)``.

A point is *accepted* only when ``|∇L|² ≤ grad_tol`` (default 1e-10, Frye et
al. 2019). Where the iteration stalls with a small but larger gradient, ``g``
has drifted into the Hessian's near-kernel: a "gradient-flat" point, which is
returned with its own status so that callers report it rather than count it.

Measured on one N = 8, p = 3 p-spin instance and one k = 5, p = 3
autoencoder (30-40 random starts each): pure Newton-MR with a line search
converged from 5 of 40 autoencoder starts; damping brought that to 29 of 30,
and the kicks (allowed to raise ``|∇L|²`` up to 1e6-fold) took the p-spin
from about 80 % to 30 of 30.

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

__all__ = ["STATUS_MESSAGES", "NewtonResult", "newton_mr", "CONVERGED", "STALLED", "MAX_ITER", "DIVERGED"]

#: ``status`` values of :class:`NewtonResult`.
CONVERGED, STALLED, MAX_ITER, DIVERGED = 0, 1, 2, 3

STATUS_MESSAGES = {
    CONVERGED: "|grad|^2 <= grad_tol",
    STALLED: "|grad|^2 stopped decreasing above grad_tol (gradient-flat or ill-conditioned)",
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
    verdict : str
        ``critical``, ``gradient-flat`` or ``failed``
        (:func:`saddlesim.critical.newton_hvp.end_verdict`); empty where the
        solver does not say (the dense solvers: the finder labels their end points).
    flat_residual : float
        ``|H s + g| / |g|`` of the end point's Newton system (NaN if not computed).
    """

    x: np.ndarray
    value: float
    grad_norm2: float
    iterations: int
    status: int
    message: str
    verdict: str = ""
    flat_residual: float = float("nan")

    @property
    def success(self) -> bool:
        """True when the point was accepted (``|∇L|² ≤ grad_tol``)."""
        return self.status == CONVERGED


def newton_mr(
    landscape,
    x0,
    *,
    grad_tol: float = 1e-10,
    max_iter: int = 200,
    polish: int = 1,
    mu0: float = 1e-4,
    kicks: int = 5,
    patience: int = 30,
    min_step: float = 0.5,
    kick_growth: float = 1e6,
    callback=None,
) -> NewtonResult:
    """Find a critical point of ``landscape`` from ``x0``: damped minimum-residual Newton on ½|∇L|².

    Each step solves the damped least-squares problem
    ``min_s |g + H s|² + μ|s|²`` (Levenberg–Marquardt on the residual ``g = ∇L``
    whose Jacobian is the Hessian ``H``) through one eigendecomposition
    ``H = Q Λ Qᵀ``: ``s = −Q diag(λ / (λ² + μ)) Qᵀ g``. As μ → 0 this is the
    Newton-MR step ``−H⁺ g`` (quadratic convergence to a nondegenerate
    critical point of any index, exact zero modes ignored); a large μ turns
    it into gradient descent on ½|∇L|², so an increase of ``|∇L|²`` is
    answered by raising μ (×4, reusing the eigendecomposition) and a success
    by lowering it (÷10). The μ-scan plays the role of the line search.

    Parameters
    ----------
    landscape : Landscape
        See :mod:`saddlesim.landscapes.base`.
    x0 : array_like, shape (dim,)
        Start, a point of the landscape's manifold.
    grad_tol : float
        Accept when ``|∇L|² ≤ grad_tol`` (default 1e-10, Frye et al. 2019).
    max_iter : int
        Steps at most.
    polish : int
        Extra steps taken after acceptance, kept only while they reduce
        ``|∇L|²``: with quadratic convergence one step takes ``|∇L|`` from
        ~1e-5 to rounding level, so the Hessian's null eigenvalues (exact zero
        modes) come out at rounding level too, well inside the nullity
        tolerance.
    mu0 : float
        Initial damping, relative to ``max λ²``.
    kicks : int
        How many times the undamped step ``−H⁺g`` is taken regardless of
        μ (non-monotone), when no μ reduces ``|∇L|²`` or when the iterate
        crawls (see ``patience``): a local minimum of ``|∇L|²`` that is not a
        critical point traps a monotone method, and a full Newton-MR step
        often leaves it, though it may first raise ``|∇L|²`` a lot.
    kick_growth : float
        A kick that raises ``|∇L|²`` more than this factor is not taken (it
        would throw the iterate far away; 1e6 lets p-spin iterates leave
        every trap we met, 100 left a fifth of them stuck).
    patience : int
        Declare a stall when ``|∇L|²`` has not fallen ten-fold over the last
        ``patience`` steps and no kick is left: convergence to a
        nondegenerate critical point is quadratic, so a long crawl marks a
        gradient-flat region.

    min_step : float
        Shortest fraction of the undamped step the backtracking search tries
        before switching to damped steps.
    callback : callable, optional
        ``callback(iteration, x, |∇L|²)`` after every step (progress); a true
        return stops the solve there (a time budget), status ``MAX_ITER``.

    Returns
    -------
    NewtonResult
        ``status`` :data:`STALLED` with a small ``grad_norm2`` is a
        gradient-flat point: report it, never count it.

    References
    ----------
    Roosta et al. (2018), arXiv:1810.00303 (Newton-MR); Moré (1978), "The
    Levenberg–Marquardt algorithm: implementation and theory", LNM 630;
    Frye et al. (2019), arXiv:1901.10603 (the 1e-10 cut-off, gradient-flat points).
    """
    x = np.asarray(x0, dtype=float).copy()
    g = landscape.gradient(x)
    g2 = float(g @ g)
    status = MAX_ITER
    it = extra = 0
    mu_rel = float(mu0)
    history = [g2]
    while it < max_iter:
        if not np.isfinite(g2):
            status = DIVERGED
            break
        if g2 <= grad_tol and (extra >= polish or g2 == 0.0):
            status = CONVERGED
            break
        U = landscape.tangent_basis(x)
        H = landscape.hessian(x)
        if not np.all(np.isfinite(H)):
            status = DIVERGED
            break
        try:
            lam, Q = np.linalg.eigh(H)
        except np.linalg.LinAlgError:
            # finite but astronomically large entries (an iterate thrown far away)
            status = DIVERGED
            break
        c = Q.T @ (U.T @ g)
        lam2 = lam * lam
        scale = max(float(lam2.max(initial=0.0)), np.finfo(float).tiny)
        accepted = False
        # the undamped Newton-MR step first, with a short backtracking search:
        # it keeps the big steps that carry an iterate out of a basin of |∇L|²
        keep = np.abs(lam) > 1e-12 * np.sqrt(scale)
        s_mr = -Q[:, keep] @ (c[keep] / lam[keep])
        t = 1.0
        while t >= min_step and not accepted:
            xn = landscape.retract(x, t * (U @ s_mr))
            gn = landscape.gradient(xn)
            gn2 = float(gn @ gn)
            accepted = bool(np.isfinite(gn2) and gn2 <= (1.0 - 1e-4 * t) * g2)
            t *= 0.5
        while mu_rel < 1e12 and not accepted:
            s = -Q @ (lam * c / (lam2 + mu_rel * scale))
            xn = landscape.retract(x, U @ s)
            gn = landscape.gradient(xn)
            gn2 = float(gn @ gn)
            if np.isfinite(gn2) and gn2 < g2:
                accepted = True
                mu_rel = max(mu_rel / 10.0, 1e-16)
            else:
                mu_rel *= 4.0
        it += 1
        crawling = len(history) > patience and g2 > 0.1 * history[-1 - patience]
        if (crawling or not accepted) and g2 > grad_tol and kicks > 0:
            kicks -= 1
            history = [g2]
            mu_rel = float(mu0)
            xn = landscape.retract(x, U @ s_mr)
            gn = landscape.gradient(xn)
            gn2 = float(gn @ gn)
            accepted = bool(np.isfinite(gn2) and gn2 <= kick_growth * g2)
        if not accepted:
            # a polishing step that does not help leaves the accepted point alone
            status = CONVERGED if g2 <= grad_tol else STALLED
            break
        if g2 <= grad_tol:
            extra += 1
        x, g, g2 = xn, gn, gn2
        history.append(g2)
        if callback is not None and callback(it, x, g2):
            return NewtonResult(x, float(landscape.value(x)), g2, it, MAX_ITER, "stopped by the caller (budget)")
        if kicks == 0 and len(history) > patience and g2 > grad_tol and g2 > 0.1 * history[-1 - patience]:
            status = STALLED
            break
    else:
        if g2 <= grad_tol:
            status = CONVERGED
    return NewtonResult(x, float(landscape.value(x)), g2, it, status, STATUS_MESSAGES[status])
