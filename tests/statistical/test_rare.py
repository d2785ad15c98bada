"""The rare-event estimator against exact P(min): closed forms, exact GOE/GUE, coverage.

Tolerance: the estimate's own 95 % interval, widened to ±2 half-widths
(≈ 4 standard errors), with a guard that the interval is narrow enough for
the test to fail on a wrong answer; a negative control shows it does.

Power: with 8 replicates a half-width h is t₀.₉₇₅,₇ = 2.36 standard errors, so
the check fails for sure (noise within another 2 h) once the bias in log10 P
exceeds 4 h: 0.2 at n = 2 (h ≤ 0.05) and 0.6 at n = 3…12 (h ≤ 0.15). A
bias of +0.01…0.06 in log10 (a wrong Markov-move acceptance) is far below
that: such bugs are for move-invariance tests to catch, not for these.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from saddlesim.rare import CoulombGas, estimate_p_min
from saddlesim.rare.estimate import run_replicates, summarise
from saddlesim.theory import log10_p_min

LOG10_2 = math.log10(2.0)


def n2_exact_log10(beta: float) -> float:
    """n = 2, any β: P(min) = ∫_{-π/4}^{π/4} |sin φ|^β dφ / ∫_0^{2π} |sin φ|^β dφ."""
    num = integrate.quad(lambda p: abs(math.sin(p)) ** beta, -math.pi / 4, math.pi / 4, points=[0])[0]
    den = 4 * integrate.quad(lambda p: math.sin(p) ** beta, 0, math.pi / 2)[0]
    return math.log10(num / den)


def check(est, exact: float, *, max_halfwidth: float) -> None:
    half = (est.log10_p_hi - est.log10_p_lo) / 2
    assert half < max_halfwidth, f"interval ±{half:.3g} too wide to test anything"
    assert abs(est.log10_p - exact) <= 2 * half, (
        f"log10 P̂ = {est.log10_p:.4f} [{est.log10_p_lo:.4f}, {est.log10_p_hi:.4f}], exact {exact:.4f}"
    )


@pytest.mark.parametrize(
    "beta, closed_form",
    [
        (1.0, (2 - math.sqrt(2)) / 4),
        (2.0, 0.25 - 1 / (2 * math.pi)),
        (4.0, 0.25 - 2 / (3 * math.pi)),
        (0.5, None),
    ],
)
def test_n2_against_closed_forms(beta, closed_form):
    exact = n2_exact_log10(beta)
    if closed_form is not None:
        assert exact == pytest.approx(math.log10(closed_form), abs=1e-12)
    est = estimate_p_min(2, "beta", beta=beta, walkers=400, replicates=8, rng=11)
    check(est, exact, max_halfwidth=0.05)


@pytest.mark.parametrize("model, beta", [("goe", 1), ("gue", 2)])
@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_small_n_against_exact_theory(model, beta, n):
    est = estimate_p_min(n, model, walkers=300, replicates=8, rng=12)
    check(est, log10_p_min(n, beta), max_halfwidth=0.15)


def test_gue_n12_against_exact_theory():
    est = estimate_p_min(12, "gue", walkers=400, replicates=8, rng=13, workers=2)
    check(est, log10_p_min(12, 2), max_halfwidth=0.15)


def test_independent_control_recovers_two_to_the_minus_n():
    # The generic splitting path (indicator weights, identity transport).
    est = estimate_p_min(12, "independent", walkers=400, replicates=8, rng=14)
    check(est, -12 * LOG10_2, max_halfwidth=0.15)


class _WrongShiftWeight(CoulombGas):
    """Negative control: drops the -n δ²/2 term of the shift weight."""

    def log_weights(self, x, level, next_level):
        w = super().log_weights(x, level, next_level)
        if np.isfinite(level):
            d = next_level - level
            w = w + 0.5 * self.n * d * d
        return w


def test_negative_control_a_wrong_weight_is_caught():
    rng = np.random.default_rng(15)
    jobs = [(_WrongShiftWeight(5, 1.0), 300, child) for child in rng.spawn(8)]
    est = summarise(None, 5, run_replicates(jobs))
    with pytest.raises(AssertionError):
        check(est, log10_p_min(5, 1), max_halfwidth=0.15)


def _coverage(model: str, n: int, exact: float, repeats: int, seed: int) -> float:
    hits = 0
    for child in np.random.SeedSequence(seed).spawn(repeats):
        est = estimate_p_min(n, model, walkers=100, replicates=4, rng=child)
        hits += est.log10_p_lo <= exact <= est.log10_p_hi
    return hits / repeats


@pytest.mark.slow
@pytest.mark.parametrize(
    "model, n, exact",
    [("goe", 3, log10_p_min(3, 1)), ("gse", 2, n2_exact_log10(4.0))],
    ids=["goe-n3", "gse-n2"],
)
def test_interval_coverage(model, n, exact):
    # 150 repeats: were the true coverage 95 %, P(observed < 90 %) ≈ 3e-3.
    assert _coverage(model, n, exact, repeats=150, seed=16) >= 0.90
