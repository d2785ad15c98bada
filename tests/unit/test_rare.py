"""Unit tests of the rare-event estimator: shapes, invariants, errors, reproducibility."""

from __future__ import annotations

import math

import numpy as np
import pytest

from saddlesim.models import Model
from saddlesim.rare import (
    CoulombGas,
    IndependentSigns,
    SplittingModel,
    cell_seed,
    combine_replicates,
    estimate_p_min,
    run_splitting,
)
from saddlesim.rare.fit import fit_theta


def test_models_satisfy_the_protocol():
    assert isinstance(CoulombGas(3, 1.0), SplittingModel)
    assert isinstance(IndependentSigns(3), SplittingModel)


def test_initial_spectra_are_exchangeable_not_sorted():
    x = CoulombGas(5, 1.0).initial(2000, np.random.default_rng(0))
    assert x.shape == (2000, 5)
    # Sorted input biases the sequential sweep (see CoulombGas.initial);
    # each position must hold the smallest eigenvalue about 1/5 of the time.
    share = np.bincount(x.argmin(axis=1), minlength=5) / 2000
    assert np.all(np.abs(share - 0.2) < 0.05)


@pytest.mark.parametrize("level", [-np.inf, -1.0, 0.5])
def test_move_respects_the_wall_and_leaves_input_alone(level):
    gas = CoulombGas(6, 2.0, sweeps=2)
    rng = np.random.default_rng(1)
    x = np.abs(gas.initial(300, rng)) + (level if np.isfinite(level) else 0.0) + 1e-3
    before = x.copy()
    state = {}
    y = gas.move(x, level, rng, state)
    np.testing.assert_array_equal(x, before)
    assert y.shape == x.shape and np.all(y > level)
    assert not np.array_equal(y, x)
    assert 0.05 < state["accept"] < 0.95


def test_shift_weight_matches_the_identity_at_n1():
    # n=1: P(λ > w) = Φ(-w); the shift weight exp(-δλ - δ²/2) averaged over
    # λ ~ N(0,1) | λ > w must give Φ(-w')/Φ(-w) (checked by quadrature).
    from scipy import integrate, stats

    gas, w, w2 = CoulombGas(1, 1.0), -0.5, 0.7
    def f(lam):
        return math.exp(gas.log_weights(np.array([[lam]]), w, w2)[0]) * stats.norm.pdf(lam)
    ratio = integrate.quad(f, w, np.inf)[0] / stats.norm.sf(w)
    assert ratio == pytest.approx(stats.norm.sf(w2) / stats.norm.sf(w), rel=1e-9)


def test_run_splitting_levels_rise_to_the_target():
    run = run_splitting(CoulombGas(8, 1.0), 200, np.random.default_rng(2))
    assert run.levels[-1] == 0.0
    assert np.all(np.diff(run.levels) > 0)
    assert np.isfinite(run.log_p) and run.log_p == pytest.approx(run.log_ratios.sum())
    assert run.n_levels == run.levels.size


def test_same_seed_same_estimate_whatever_the_workers():
    a = estimate_p_min(4, "gue", walkers=50, replicates=3, rng=7, workers=1)
    b = estimate_p_min(4, "gue", walkers=50, replicates=3, rng=7, workers=2)
    c = estimate_p_min(4, "gue", walkers=50, replicates=3, rng=8, workers=1)
    np.testing.assert_array_equal(a.log10_replicates, b.log10_replicates)
    assert a.log10_p == b.log10_p and a.log10_p != c.log10_p


def test_default_sweeps_grow_like_the_number_of_levels():
    from saddlesim.rare import default_sweeps

    assert CoulombGas(3, 1.0).sweeps == 4 == default_sweeps(3)
    assert CoulombGas(30, 1.0).sweeps == 10 and CoulombGas(30, 2.0).sweeps == 15
    assert CoulombGas(30, 4.0).sweeps == 20 and CoulombGas(30, 4.0, sweeps=2).sweeps == 2


def test_cell_seed_depends_on_what_the_cell_is():
    goe, gue = Model("goe"), Model("gue")
    def s(m, n):
        return cell_seed(5, m, n).generate_state(2).tolist()
    assert s(goe, 10) == s(goe, 10)
    assert len({str(s(goe, 10)), str(s(goe, 11)), str(s(gue, 10))}) == 3


def test_no_underflow_far_below_the_float_range():
    # β = 100, n = 8: ln P ≈ -β ((ln 3)/4) n² ≈ -1758, i.e. P ≈ 1e-760.
    est = estimate_p_min(8, "beta", beta=100.0, walkers=60, replicates=2, sweeps=2, rng=3)
    assert np.isfinite(est.log10_p) and est.log10_p < -500
    assert est.log10_p_lo < est.log10_p < est.log10_p_hi


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n=0), "n must be"),
        (dict(n=3, model="foo"), "unknown model"),
        (dict(n=3, model="beta"), "positive beta"),
        (dict(n=3, model="beta", beta=-1.0), "beta must be"),
        (dict(n=3, walkers=5), "walkers"),
        (dict(n=3, replicates=1), "replicates"),
        (dict(n=3, sweeps=0), "sweeps"),
        (dict(n=2.5), "integer"),
    ],
)
def test_bad_input_raises_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        estimate_p_min(**kwargs)


def test_combine_replicates_lognormal_mean_and_t_interval():
    from scipy import stats

    l = np.array([-10.0, -10.2, -9.9, -10.1])
    est, lo, hi = combine_replicates(l)
    s2 = np.var(l, ddof=1)
    assert est == pytest.approx(l.mean() + s2 / 2)
    assert hi - est == pytest.approx(stats.t.ppf(0.975, 3) * math.sqrt(s2 / 4))
    assert est - lo == pytest.approx(hi - est)
    with pytest.raises(ValueError):
        combine_replicates([-1.0])
    with pytest.raises(RuntimeError, match="died"):
        combine_replicates([-1.0, -np.inf])


def test_fit_theta_recovers_the_exponent_and_covers_it():
    n = np.arange(8, 31, 2.0)
    ln_p = -0.3 * n**2 + 0.8 * n - 0.5 * np.log(n) + 1.0
    theta, lo, hi = fit_theta(n, ln_p / math.log(10))
    assert theta == pytest.approx(0.3, abs=1e-9) and lo <= 0.3 <= hi
    noisy = ln_p + np.random.default_rng(0).normal(0, 0.05, n.size)
    theta, lo, hi = fit_theta(n, noisy / math.log(10), np.full(n.size, 1.96 * 0.05 / math.log(10)))
    assert lo < 0.3 < hi and hi - lo < 0.01
    with pytest.raises(ValueError):
        fit_theta([1, 2, 3], [0, 0, 0])


def test_combine_budgets_averages_the_halves_and_widens_on_disagreement():
    from scipy import stats

    from saddlesim.rare.estimate import combine_budgets

    a = np.array([-10.0, -10.2, -9.9, -10.1])
    b = a + 0.01
    budget = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    est, lo, hi, flag = combine_budgets(np.concatenate([a, b]), budget)
    ea, la, _ = combine_replicates(a)
    eb, _, _ = combine_replicates(b)
    se = np.hypot((ea - la) / stats.t.ppf(0.975, 3), (ea - la) / stats.t.ppf(0.975, 3))
    assert est == pytest.approx((ea + eb) / 2)
    assert hi - est == pytest.approx(stats.t.ppf(0.975, 6) * se / 2)
    assert not flag
    # Halves 1.0 apart with spreads of 0.1 disagree: flagged, interval spans both.
    est2, lo2, hi2, flag2 = combine_budgets(np.concatenate([a, a + 1.0]), budget)
    _, la2, _ = combine_replicates(a)
    _, _, hb2 = combine_replicates(a + 1.0)
    assert flag2 and lo2 == pytest.approx(la2) and hi2 == pytest.approx(hb2)
    # Too few per half: the single-budget rule.
    assert combine_budgets(a, np.array([0, 0, 1, 1]))[:3] == combine_replicates(a)


def test_run_splitting_stops_exactly_on_requested_walls():
    walls = (-2.0, -0.7, -0.3)
    run = run_splitting(CoulombGas(5, 1.0), 200, np.random.default_rng(4), walls=walls)
    assert set(walls) <= set(run.levels.tolist()) and run.levels[-1] == 0.0
    at = [run.log_p_at(w) for w in walls]
    assert np.all(np.diff(at) < 0) and run.log_p_at(0.0) == pytest.approx(run.log_p)
    with pytest.raises(ValueError, match="not visited"):
        run.log_p_at(-0.5)


def test_fixed_schedule_is_followed_and_validated():
    schedule = [-1.5, -0.8, -0.2, 0.0]
    run = run_splitting(CoulombGas(4, 1.0), 100, np.random.default_rng(5), schedule=schedule)
    assert run.levels.tolist() == schedule
    with pytest.raises(ValueError, match="schedule"):
        run_splitting(CoulombGas(4, 1.0), 100, np.random.default_rng(5), schedule=[-1.0, -1.5, 0.0])


def test_plan_alternates_two_mixing_budgets_and_keeps_a_pilot_seed():
    from saddlesim.rare.estimate import plan_cell

    plan = plan_cell(30, "goe", walkers=50, replicates=6, rng=1, walls=(-1.0,))
    assert [job[0].sweeps for job in plan.jobs] == [10, 5] * 3 and plan.pilot[0].sweeps == 10
    assert plan.jobs[0][3]["walls"] == (-1.0, 0.0) and plan.pilot[3]["target"] == 0.0
    # Fewer than 3 replicates per half: one budget.
    assert {job[0].sweeps for job in plan_cell(30, "goe", replicates=5, rng=1).jobs} == {10}
