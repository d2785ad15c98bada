"""P(λ_min > −s) for several shifts s from one splitting run, against exact values
(n = 2 by quadrature, n = 6 by saddlesim.theory.log10_p_above, n = 5 by plain Monte Carlo).

n = 2, any β: with u = (λ₁+λ₂)/√2 and v = |λ₂−λ₁|/√2, λ_min = (u − v)/√2, so

    P(λ_min > w) = ∫₀^∞ v^β e^{−v²/2} Φc(√2 w + v) dv / ∫₀^∞ v^β e^{−v²/2} dv,

one quadrature per wall (at w = 0, β = 1 it gives (2 − √2)/4). Tolerance: the
estimate's own 95 % interval widened to ±2 half-widths, with a guard that the
half-width is below 0.05 in log10. Bugs it catches: the sign of the shift
(a wall at +s instead of −s changes log10 P by ≥ 0.5 here), an off-by-one in
summing the level ratios up to a wall (one ratio is ≈ log10 0.5 = −0.3), a
stop that does not land exactly on the wall.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special

from saddlesim.models import beta_hermite_spectra
from saddlesim.rare import estimate_p_min

SHIFTS = (-0.8, 0.5, 1.5)


def n2_log10_p_above(wall: float, beta: float) -> float:
    """Exact log10 P(λ_min > wall) of the 2×2 Gaussian β-ensemble (quadrature)."""
    def f(v):
        return v**beta * math.exp(-v * v / 2) * special.ndtr(-(math.sqrt(2) * wall + v))
    num = integrate.quad(f, 0, np.inf, epsabs=0, epsrel=1e-12)[0]
    den = 2 ** ((beta - 1) / 2) * math.gamma((beta + 1) / 2)
    return math.log10(num / den)


def test_quadrature_reproduces_the_closed_form_at_zero():
    assert n2_log10_p_above(0.0, 1.0) == pytest.approx(math.log10((2 - math.sqrt(2)) / 4), abs=1e-12)
    assert n2_log10_p_above(0.0, 2.0) == pytest.approx(math.log10(0.25 - 1 / (2 * math.pi)), abs=1e-12)


def _check(p, lo, hi, exact, max_half=0.05):
    half = (hi - lo) / 2
    assert half < max_half, f"interval ±{half:.3g} too wide to test anything"
    assert abs(p - exact) <= 2 * half, f"{p:.4f} [{lo:.4f}, {hi:.4f}] vs exact {exact:.4f}"


@pytest.mark.parametrize("model, beta", [("goe", 1.0), ("gue", 2.0)])
def test_every_shift_of_one_run_matches_exact_n2(model, beta):
    est = estimate_p_min(2, model, walkers=400, replicates=8, rng=31, shifts=SHIFTS)
    assert est.shifts == SHIFTS
    for s, (p, lo, hi) in zip(est.shifts, est.log10_shifts):
        _check(p, lo, hi, n2_log10_p_above(-s, beta))
    _check(est.log10_p, est.log10_p_lo, est.log10_p_hi, n2_log10_p_above(0.0, beta))


def test_shift_at_n5_against_plain_monte_carlo():
    # P(λ_min > -1) ≈ 0.06 for GOE n = 5: 400 000 exact draws give its
    # log10 to ±0.005 (1σ), well inside the estimate's tolerance.
    rng = np.random.default_rng(np.random.SeedSequence(32, spawn_key=(5,)))
    lam_min = beta_hermite_spectra(5, 400_000, 1.0, rng)[:, 0]
    mc = math.log10(np.mean(lam_min > -1.0))
    est = estimate_p_min(5, "goe", walkers=400, replicates=8, rng=33, shifts=(1.0,))
    (p, lo, hi), = est.log10_shifts
    _check(p, lo, hi, mc, max_half=0.06)


@pytest.mark.parametrize("model, beta", [("goe", 1), ("gue", 2)])
def test_every_shift_of_one_run_matches_exact_theory_n6(model, beta):
    # Exact P(λ_min > t) at any wall: de Bruijn's Pfaffian (β = 1), a Hankel
    # determinant (β = 2).
    from saddlesim.theory import log10_p_above

    shifts = (-0.5, 0.7, 1.5)
    est = estimate_p_min(6, model, walkers=400, replicates=10, rng=34, shifts=shifts)
    for s, (p, lo, hi) in zip(est.shifts, est.log10_shifts):
        _check(p, lo, hi, log10_p_above(6, -s, beta), max_half=0.12)
