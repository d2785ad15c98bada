"""Large-n laws: Dean & Majumdar's rate function and the index variance.

Normalisation: saddlesim's eigenvalue density is ``∝ |Δ|^β e^{-Σλ²/2}``
(every sampler's convention; see docs/architecture.md). Dean & Majumdar use
``∝ |Δ|^β e^{-(β/2)Σλ²}``, whose spectrum is ours divided by √β; it fills the semicircle ``[-√(2n), √(2n)]`` for every
β, so their walls sit at ``ζ√n`` in *their* units. The probability that all
eigenvalues exceed 0 does not depend on the scale, so
``ln P(min) ≈ -β θ n²`` with ``θ = (ln 3)/4`` holds as is in our normalisation.
For a wall at ``ζ√n`` in their units -- ``ζ√(βn)`` in ours --
``P(λ_max ≤ ζ√n) = P(all λ ≥ -ζ√n) ≈ exp(-β n² Φ₋(ζ))`` for ``ζ < √2``.

References
----------
D. S. Dean and S. N. Majumdar, "Large deviations of extreme eigenvalues of
random matrices", Phys. Rev. Lett. 97 (2006) 160201; "Extreme value
statistics of eigenvalues of Gaussian random matrices", Phys. Rev. E 77
(2008) 041108.
S. N. Majumdar, C. Nadal, A. Scardicchio and P. Vivo, "The index distribution
of Gaussian random matrices", Phys. Rev. Lett. 103 (2009) 220603; "How many
eigenvalues of a Gaussian random matrix are positive?", Phys. Rev. E 83
(2011) 041105.
S. N. Majumdar and G. Schehr, "Top eigenvalue of a random matrix: large
deviations and third order phase transition", J. Stat. Mech. (2014) P01012
(review; the cubic behaviour of Φ₋ at the edge).
"""

from __future__ import annotations

import math

import numpy as np

from saddlesim.runtime.validate import check_beta, check_n

__all__ = [
    "THETA",
    "INDEX_VARIANCE_CONSTANT_GUE",
    "dean_majumdar_rate",
    "asymptotic_log_p_min",
    "asymptotic_log10_p_min",
    "index_variance_asymptotic",
    "dean_majumdar_log_p_above",
    "semicircle_index_fraction",
    "fit_rate",
]

#: Dean-Majumdar exponent per unit β: ln P(min) ≈ -β θ n², θ = (ln 3)/4 ≈ 0.274653.
THETA = math.log(3.0) / 4.0

#: C in Var(index) ≈ ln n / (2π²) + C for the GUE (Majumdar et al. 2011):
#: (γ + 1 + 3 ln 2) / (2π²) ≈ 0.185248.
INDEX_VARIANCE_CONSTANT_GUE = (np.euler_gamma + 1.0 + 3.0 * math.log(2.0)) / (2.0 * math.pi**2)

_SQRT2 = math.sqrt(2.0)


def dean_majumdar_rate(zeta):
    """Left rate function Φ₋(ζ) of the largest eigenvalue.

    ``P(λ_max ≤ ζ√n) ≈ exp(-β n² Φ₋(ζ))`` in Dean & Majumdar's units, with

        Φ₋(ζ) = [36ζ² - ζ⁴ - (15ζ + ζ³)√(ζ² + 6) + 27(ln 18 - 2 ln(ζ + √(ζ² + 6)))] / 108

    for ``ζ < √2`` and ``Φ₋(ζ) = 0`` for ``ζ ≥ √2`` (the wall is beyond the
    semicircle edge and costs nothing at order n²). By symmetry this is also
    the rate of "all eigenvalues ≥ -ζ√n"; ``Φ₋(0) = (ln 3)/4`` is P(min).
    Near the edge ``Φ₋(√2 - ε) ≈ ε³ / (6√2)`` (third-order transition).

    Parameters
    ----------
    zeta : float or array_like
        Wall position in units of √n (Dean & Majumdar's normalisation).

    Returns
    -------
    phi : float or ndarray, same shape as ``zeta``
        Non-negative, decreasing in ζ.

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. Lett. 97 (2006) 160201;
    Phys. Rev. E 77 (2008) 041108.
    """
    z = np.asarray(zeta, dtype=float)
    with np.errstate(invalid="ignore"):
        r = np.sqrt(z * z + 6.0)
        phi = (
            36.0 * z**2
            - z**4
            - (15.0 * z + z**3) * r
            + 27.0 * (math.log(18.0) - 2.0 * np.log(z + r))
        ) / 108.0
    phi = np.where(z >= _SQRT2, 0.0, np.maximum(phi, 0.0))
    return float(phi) if phi.ndim == 0 else phi


def asymptotic_log_p_min(n: int, beta) -> float:
    """Leading-order ln P(min) ≈ -β ((ln 3)/4) n² (Dean & Majumdar 2006).

    Only the n² term is known in this form; lower orders (O(n), O(ln n))
    are absent, so compare exponents ``-ln P / n²``, not probabilities.
    """
    return -check_beta(beta) * THETA * check_n(n) ** 2


def asymptotic_log10_p_min(n: int, beta) -> float:
    """:func:`asymptotic_log_p_min` in base 10."""
    return asymptotic_log_p_min(n, beta) / math.log(10.0)


def index_variance_asymptotic(n: int, beta) -> float:
    """Large-n variance of the index (number of negative eigenvalues).

    ``Var ≈ ln n / (β π²) + C_β``. The constant is known in closed form for
    the GUE, ``C_2 = (γ + 1 + 3 ln 2) / (2π²) ≈ 0.185248`` (checked there
    against an exact finite-n formula); for other β only the logarithmic
    term is returned (``C_β`` taken as 0), which is the leading behaviour.

    References
    ----------
    S. N. Majumdar, C. Nadal, A. Scardicchio and P. Vivo, Phys. Rev. Lett.
    103 (2009) 220603; Phys. Rev. E 83 (2011) 041105.
    """
    n, b = check_n(n), check_beta(beta)
    const = INDEX_VARIANCE_CONSTANT_GUE if b == 2.0 else 0.0
    return math.log(n) / (b * math.pi**2) + const


def dean_majumdar_log_p_above(n: int, t, beta):
    """Large-n ln P(λ_min > t) in saddlesim's normalisation: ``-β n² Φ₋(-t / √(βn))``.

    saddlesim's spectrum is Dean & Majumdar's times √β, so the wall ``t`` sits
    at ``-ζ√n`` in their units with ``ζ = -t/√(βn)``, and by λ → -λ
    ``P(λ_min > t) = P(λ_max < ζ√n)`` in their units. ``t = 0`` gives
    ``-β n² (ln 3)/4``; walls below the semicircle edge ``-√(2βn)`` cost
    nothing at order n² (the exact value there is O(1), not 0).

    Parameters
    ----------
    n : int
    t : float or array_like
        Wall(s); for ``H = G + s·I``, ``t = -s``.
    beta : float

    Returns
    -------
    logp : float or ndarray, shape of ``t``
        Leading order only: the finite-n correction is O(n) (see the
        convergence check :func:`fit_rate`).

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. E 77 (2008) 041108.
    """
    n, b = check_n(n), check_beta(beta)
    zeta = -np.asarray(t, dtype=float) / math.sqrt(b * n)
    out = -b * n * n * np.asarray(dean_majumdar_rate(zeta))
    return float(out) if out.ndim == 0 else out


def semicircle_index_fraction(x):
    """Mean index fraction of ``G + s·I`` as n → ∞, at scaled shift ``x = s / √(2βn)``.

    The semicircle mass below ``-x`` (radius 1):
    ``α(x) = 1/2 - (x√(1 - x²) + arcsin x)/π`` for ``|x| ≤ 1``, 0 for
    ``x ≥ 1`` (every eigenvalue positive), 1 for ``x ≤ -1``. For density
    ∝ |Δ|^β e^{-Σλ²/2} the spectrum fills ``[-√(2βn), √(2βn)]``.

    Parameters
    ----------
    x : float or array_like

    Returns
    -------
    alpha : float or ndarray, shape of ``x``

    References
    ----------
    E. P. Wigner, Ann. Math. 67 (1958) 325-327; A. J. Bray and D. S. Dean,
    Phys. Rev. Lett. 98 (2007) 150201 (index against energy).
    """
    y = np.clip(np.asarray(x, dtype=float), -1.0, 1.0)
    # clip: rounding leaves -1e-16 at the edge, and a fraction is in [0, 1]
    a = np.clip(0.5 - (y * np.sqrt(1.0 - y * y) + np.arcsin(y)) / np.pi, 0.0, 1.0)
    return float(a) if a.ndim == 0 else a


def fit_rate(beta, zeta: float, ns) -> dict:
    """Extrapolate exact finite-n values to Dean & Majumdar's Φ₋(ζ).

    At the wall ``t = -ζ√(βn)`` (ζ in Dean & Majumdar's units) the exact
    ``f(n) = -ln P(λ_min > t) / (β n²)`` is fitted by least squares to

        f(n) = Φ + a/n + c ln(n)/n² + b/n²,

    the form of the large-n expansion of a log-gas partition function (the
    O(n) term vanishes for β = 2). ``Φ`` should equal ``Φ₋(ζ)``; at ζ = 0,
    (ln 3)/4.

    Parameters
    ----------
    beta : {1, 2, 4}
    zeta : float
        Wall in Dean & Majumdar's units, ``ζ < √2``.
    ns : sequence of int, length >= 4
        Dimensions to fit (e.g. 10..100).

    Returns
    -------
    fit : dict
        ``phi`` (fitted), ``a``, ``c``, ``b``, ``phi_dm`` = Φ₋(ζ), ``f`` the
        exact values (ndarray, shape (len(ns),)) and ``ns``.

    References
    ----------
    D. S. Dean and S. N. Majumdar, Phys. Rev. E 77 (2008) 041108.
    """
    from saddlesim.theory.exact import log_p_above

    b_ = check_beta(beta)
    ns = [check_n(n) for n in ns]
    if len(ns) < 4:
        raise ValueError(f"fit_rate needs at least 4 dimensions, got {len(ns)}")
    n = np.asarray(ns, dtype=float)
    f = np.array([-log_p_above(k, -zeta * math.sqrt(b_ * k), beta) / (b_ * k * k) for k in ns])
    X = np.column_stack([np.ones_like(n), 1 / n, np.log(n) / n**2, 1 / n**2])
    phi, a, c, b = np.linalg.lstsq(X, f, rcond=None)[0]
    return {"phi": float(phi), "a": float(a), "c": float(c), "b": float(b),
            "phi_dm": dean_majumdar_rate(zeta), "f": f, "ns": ns}
