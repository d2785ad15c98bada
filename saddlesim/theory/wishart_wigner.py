"""Wishart + Wigner (Pennington & Bahri 2017): free-convolution theory of the index fraction.

Model: ``H = H₀ + H₁`` with ``H₀ = X Xᵀ / m``, X ∈ ℝ^{n×m} standard normal
(Marchenko–Pastur with ratio ``φ = n/m``, mean eigenvalue 1), and H₁ a Wigner
matrix whose semicircle has radius ``2√(2ε)`` (variance ``σ² = 2ε``). For
large n the spectrum of H is the free additive convolution of the two laws:
R-transforms add,

    R(w) = 1/(1 - φ w) + 2ε w,

and the Stieltjes transform ``G(z) = ∫ ρ(x)/(z - x) dx`` solves
``z = R(G) + 1/G``, i.e. the cubic

    2εφ G³ - (2ε + φ z) G² + (z + φ - 1) G - 1 = 0.

At real x the physical root is the one with ``Im G < 0`` (the other complex
root is its conjugate), and ``ρ(x) = -Im G(x)/π``; where all three roots are
real, ``ρ = 0``. The support's edges are the real zeros of the cubic's
discriminant, a quartic in z, so the edges are exact roots rather than grid
guesses. The index fraction is ``α(ε, φ) = ∫_{-∞}^0 ρ``.

Threshold and the 3/2 law. For φ < 1 the spectrum stays positive up to
``ε_c(φ) = (1 - 20φ - 8φ² + (1+8φ)^{3/2})/16`` (Pennington & Bahri, eq. 9);
for φ ≥ 1 the atom of H₀ at 0 makes ``ε_c = 0``. Just above ε_c the lower
edge ``x_e`` crosses 0 linearly, ``x_e ≈ -κ(ε - ε_c)``, and the density there
is a square root, ``ρ ≈ c √(x - x_e)``, so

    α ≈ α₀(φ) ((ε - ε_c)/ε_c)^{3/2},   α₀ = (2/3) c (κ ε_c)^{3/2}.

:func:`ww_alpha0` evaluates this *derived* α₀ from the double root G* of the
cubic at z = 0, ε = ε_c (with F the cubic: ``c = √(2 F_z / F_GG)/π``,
``κ = F_ε / F_z``); the tests check it against the exact α at small
``ε - ε_c``.

References
----------
J. Pennington and Y. Bahri, "Geometry of neural network loss surfaces via
random matrix theory", ICML 2017, §3-4.
D. Voiculescu, K. Dykema and A. Nica, *Free Random Variables*, AMS (1992)
(R-transform additivity).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.polynomial import polynomial as P
from scipy import integrate

__all__ = [
    "ww_epsilon_c",
    "ww_density",
    "ww_support",
    "ww_alpha",
    "ww_alpha0",
    "ww_three_halves_law",
    "fit_three_halves_law",
]


def _check(phi, eps):
    phi, eps = float(phi), float(eps)
    if not (math.isfinite(phi) and phi > 0):
        raise ValueError(f"phi must be a positive number, got {phi!r}")
    if not (math.isfinite(eps) and eps >= 0):
        raise ValueError(f"eps must be a number >= 0, got {eps!r}")
    return phi, eps


def ww_epsilon_c(phi: float) -> float:
    """Critical ε below which H has no negative spectrum: P&B's ε_c(φ), 0 for φ ≥ 1.

    ``(1 - 20φ - 8φ² + (1+8φ)^{3/2})/16`` for φ < 1 (1/8 as φ → 0, where H₀ = I
    and the semicircle of radius 2√(2ε) reaches -1 at ε = 1/8).
    """
    phi, _ = _check(phi, 0.0)
    if phi >= 1:
        return 0.0
    return (1 - 20 * phi - 8 * phi**2 + (1 + 8 * phi) ** 1.5) / 16


def _cubic(z, phi, eps):
    """Coefficients (a, b, c, d) of ``a G³ + b G² + c G + d`` at z (broadcasts)."""
    z = np.asarray(z, dtype=complex)
    return (
        np.full_like(z, 2 * eps * phi),
        -(2 * eps + phi * z),
        z + phi - 1,
        np.full_like(z, -1.0),
    )


def ww_density(x, phi: float, eps: float) -> np.ndarray:
    """Limiting eigenvalue density of H = H₀ + H₁ (free convolution), ε > 0.

    Parameters
    ----------
    x : float or array_like, shape (m,)
    phi : float
        ``n/m > 0``.
    eps : float
        ``> 0``; the Wigner part's semicircle radius is ``2√(2ε)``.

    Returns
    -------
    rho : ndarray, shape (m,)

    References
    ----------
    Pennington & Bahri, ICML 2017, eq. (8).
    """
    phi, eps = _check(phi, eps)
    if eps == 0:
        raise ValueError("ww_density needs eps > 0 (at eps = 0 it is Marchenko-Pastur, with an atom if phi > 1)")
    x = np.atleast_1d(np.asarray(x, dtype=float))
    a, b, c, d = _cubic(x, phi, eps)
    comp = np.zeros((x.size, 3, 3), dtype=complex)
    comp[:, 0, 0] = -b / a
    comp[:, 0, 1] = -c / a
    comp[:, 0, 2] = -d / a
    comp[:, 1, 0] = 1
    comp[:, 2, 1] = 1
    roots = np.linalg.eigvals(comp)
    return np.maximum(0.0, -roots.imag.min(axis=1)) / math.pi


def _discriminant_poly(phi, eps):
    """Discriminant of the cubic in G as a polynomial in z (coefficients low → high)."""
    a = np.array([2 * eps * phi])
    b = np.array([-2 * eps, -phi])
    c = np.array([phi - 1, 1.0])
    d = np.array([-1.0])
    m = P.polymul
    terms = [
        18 * m(m(a, b), m(c, d)),
        -4 * m(m(b, b), m(b, d)),
        m(m(b, b), m(c, c)),
        -4 * m(a, m(c, m(c, c))),
        -27 * m(m(a, a), m(d, d)),
    ]
    out = np.zeros(max(len(t) for t in terms))
    for t in terms:
        out[: len(t)] += t
    return out


def ww_support(phi: float, eps: float) -> list[tuple[float, float]]:
    """Intervals where the limiting density is positive, from the discriminant's real roots.

    Returns
    -------
    intervals : list of (float, float)
        Sorted, disjoint; one interval, or two when φ > 1 and ε is small (the
        smeared atom at 0 and the Marchenko–Pastur bulk).
    """
    phi, eps = _check(phi, eps)
    if eps == 0:
        raise ValueError("ww_support needs eps > 0")
    r = P.polyroots(_discriminant_poly(phi, eps))
    r = np.sort(r[np.abs(r.imag) <= 1e-9 * (1 + np.abs(r.real))].real)
    out = []
    for lo, hi in zip(r[:-1], r[1:]):
        if hi > lo and ww_density(0.5 * (lo + hi), phi, eps)[0] > 0:
            if out and out[-1][1] == lo:
                # a tangency of the discriminant inside the support, not an edge
                out[-1] = (out[-1][0], float(hi))
            else:
                out.append((float(lo), float(hi)))
    return out


def ww_alpha(eps: float, phi: float) -> float:
    """Index fraction α(ε, φ) = ∫_{-∞}^0 ρ: the fraction of negative eigenvalues as n → ∞.

    Parameters
    ----------
    eps : float
        ``>= 0``.
    phi : float
        ``> 0``.

    Returns
    -------
    alpha : float
        0 for ``ε ≤ ε_c(φ)``; → ½ as ε → ∞; accurate to ~1e-10.

    References
    ----------
    Pennington & Bahri, ICML 2017, §4.
    """
    phi, eps = _check(phi, eps)
    if eps == 0:
        return 0.0
    total = 0.0
    for lo, hi in ww_support(phi, eps):
        top = min(hi, 0.0)
        if top > lo:
            total += integrate.quad(lambda t: ww_density(t, phi, eps)[0], lo, top,
                                    epsabs=1e-13, epsrel=1e-11, limit=200)[0]
    return total


def _double_root(phi):
    """G* and ε_c: the cubic at z = 0 has a double root exactly at ε = ε_c (φ < 1)."""
    e = ww_epsilon_c(phi)
    # F_G = 6εφ G² - 4ε G + (φ - 1) = 0 at z = 0; the root that also solves F = 0.
    cands = np.roots([6 * e * phi, -4 * e, phi - 1])
    F = [abs(2 * e * phi * g**3 - 2 * e * g**2 + (phi - 1) * g - 1) for g in cands]
    return float(np.real(cands[int(np.argmin(F))])), e


def ww_alpha0(phi: float) -> float:
    """Prefactor of the 3/2 law, α ≈ α₀(φ) ((ε-ε_c)/ε_c)^{3/2}, derived at the double root.

    ``α₀ = (2/3) c (κ ε_c)^{3/2}`` with ``c = √(2F_z/F_GG)/π`` (edge density
    ``ρ ≈ c√(x - x_e)``) and ``κ = F_ε/F_z`` (edge speed ``-dx_e/dε``), F the
    cubic, all at z = 0, ε = ε_c, G = G*. Defined for 0 < φ < 1.
    """
    phi, _ = _check(phi, 0.0)
    if phi >= 1:
        raise ValueError(f"the 3/2 law needs phi < 1 (eps_c = 0 for phi >= 1), got {phi}")
    g, e = _double_root(phi)
    F_z = -phi * g * g + g
    F_GG = 12 * e * phi * g - 4 * e
    F_eps = 2 * phi * g**3 - 2 * g * g
    c = math.sqrt(abs(2 * F_z / F_GG)) / math.pi
    kappa = F_eps / F_z
    return 2.0 / 3.0 * c * (kappa * e) ** 1.5


def ww_three_halves_law(eps, phi: float) -> np.ndarray:
    """``α₀(φ) max(0, (ε-ε_c)/ε_c)^{3/2}``, the near-threshold approximation to :func:`ww_alpha`."""
    eps = np.asarray(eps, dtype=float)
    e = ww_epsilon_c(phi)
    return ww_alpha0(phi) * np.maximum(0.0, (eps - e) / e) ** 1.5


def fit_three_halves_law(x, alpha, weights=None) -> tuple[float, float]:
    """Least-squares fit of ``α = α₀ max(0, (x - x_c)/x_c)^{3/2}`` to measured index fractions.

    For data where the control variable is not ε itself (e.g. the loss of a
    network's critical points, which Pennington & Bahri take proportional to
    ε), this is the "fitted 3/2 law" overlay.

    Parameters
    ----------
    x : array_like, shape (m,)
        Positive control values (ε, or loss).
    alpha : array_like, shape (m,)
        Index fractions in [0, 1].
    weights : array_like, shape (m,), optional
        Inverse standard errors; default equal.

    Returns
    -------
    x_c, alpha0 : float
        Threshold and prefactor.

    References
    ----------
    Pennington & Bahri, ICML 2017, eq. (10) and Fig. 3.
    """
    from scipy.optimize import curve_fit

    x = np.asarray(x, dtype=float)
    a = np.asarray(alpha, dtype=float)
    if x.shape != a.shape or x.ndim != 1 or x.size < 3:
        raise ValueError("need at least 3 (x, alpha) pairs of equal length")
    if np.any(~np.isfinite(x)) or np.any(x <= 0) or np.any(~np.isfinite(a)):
        raise ValueError("x must be positive and finite, alpha finite")
    if not np.any(a > 0):
        raise ValueError("no positive index fraction: the threshold is not bracketed")

    def law(t, xc, a0):
        return a0 * np.maximum(0.0, (t - xc) / xc) ** 1.5

    pos = x[a > 0]
    zero = x[a <= 0]
    xc0 = 0.5 * (pos.min() + (zero.max() if zero.size and zero.max() < pos.min() else 0.5 * pos.min()))
    a00 = float(a.max() / max(1e-12, ((x[np.argmax(a)] - xc0) / xc0) ** 1.5))
    sigma = None if weights is None else 1.0 / np.asarray(weights, dtype=float)
    (xc, a0), _ = curve_fit(law, x, a, p0=(xc0, a00), sigma=sigma, bounds=([1e-12, 0.0], [np.inf, np.inf]),
                            maxfev=20000)
    return float(xc), float(a0)
