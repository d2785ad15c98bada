"""Guards against one-line slips in dynamics, the gd_saddles tables, detection, energy and parsing.

Companion of ``test_newcode_mutation_guards.py``; every test states the
smallest bug it is sure to catch. Quadratics give the dynamics in closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from saddlesim.kinds.gd_saddles import DEFAULTS, _parse, _rng, descent_tables
from saddlesim.detection.estimate import (
    finite_difference_hessians,
    labels_from_spectra,
    noisy_hessians,
    quartic_directions,
    relative_tol_labels,
)
from saddlesim.detection.minibatch import check_batch, minibatch_hessians
from saddlesim.descent.dynamics import escape_steps, gradient_descent, predicted_escape_steps, second_order_raise
from saddlesim.kinds.energy import _exact_mean_fraction, _scale, index_fraction_table, wishart_wigner_tables
from saddlesim.kinds.energy import _parse as energy_parse
from saddlesim.landscapes import Quadratic, make_landscape
from saddlesim.landscapes.mlp import tanh_mlp
from saddlesim.models.spec import Model
from saddlesim.runtime.parsing import parse_count, parse_float_list, parse_int_list, parse_seed
from saddlesim.sweep import make_plan

# -- gradient descent on quadratics -----------------------------------------------------------------


def test_descent_on_a_line_is_the_closed_form():
    """L = ½·2x², ε = 0.3: x_t = 0.4^t exactly, L_t = x_t², |g_t| = 2|x_t|, 4 steps give 5 iterates. Catches
    an iterate or loss recorded one step late, a missing last iterate, |g|² for |g| and the step taken
    with the wrong sign or size."""
    L = Quadratic(np.array([[2.0]]))
    run = gradient_descent(L, np.array([1.0]), 0.3, 4)
    x = 0.4 ** np.arange(5)
    assert run.x.shape == (5, 1) and run.eps == 0.3
    np.testing.assert_allclose(run.x[:, 0], x, rtol=1e-13)
    np.testing.assert_allclose(run.loss, x * x, rtol=1e-13)
    np.testing.assert_allclose(run.grad_norm, 2 * x, rtol=1e-13)
    assert run.raised.shape == (4,) and not run.raised.any() and run.raise_fraction == 0
    # ε = 1.2: x_{t+1} = -1.4 x_t, every step raises the loss
    up = gradient_descent(L, np.array([1.0]), 1.2, 3, predict=True)
    np.testing.assert_allclose(up.x[:, 0], (-1.4) ** np.arange(4), rtol=1e-13)
    assert up.raised.all() and up.predicted.all() and up.raise_fraction == 1
    assert gradient_descent(L, np.array([1.0]), 0.3, 0).raised.size == 0


def test_no_rise_is_reported_at_a_critical_point():
    """From x = 0 the loss stays exactly 0: no step raised it. Catches `>=` for `>` in the rise test."""
    L = Quadratic(np.diag([1.0, -2.0]))
    run = gradient_descent(L, np.zeros(2), 0.1, 5)
    assert np.all(run.loss == 0) and not run.raised.any()


@pytest.mark.parametrize("eps,expect", [(1.5, False), (1.99, False), (2.01, True), (3.0, True)])
def test_second_order_condition_switches_at_eps_lambda_2(eps, expect):
    """λ = 1: ½ε²λ|g|² > ε|g|² iff ε > 2. Catches the ½ dropped (switch at ε = 1) and ε for ε² (never)."""
    L = Quadratic(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert second_order_raise(L, np.array([0.3, -0.4]), eps) is expect


def test_second_order_condition_never_fires_on_negative_curvature():
    L = Quadratic(np.array([[-1.0]]))
    assert second_order_raise(L, np.array([1.0]), 5.0) is False


def test_predicted_escape_steps_hand_values():
    """⌈ln(100)/ln(1.5)⌉ = ⌈11.36⌉ = 12 and ⌈ln 4 / ln 2⌉ = 2 exactly. Catches log10 for ln in the numerator
    (5), floor for ceil (11), and |λ| dropped (log1p of a negative step)."""
    assert predicted_escape_steps(0.5, -1.0, 1e-2, 1.0) == 12
    assert predicted_escape_steps(1.0, -1.0, 0.25, 1.0) == 2
    assert predicted_escape_steps(0.1, -3.0, 1e-3, 2.0) == math.ceil(math.log(2000) / math.log(1.3))


def test_escape_counts_steps_until_the_distance_reaches_r():
    """λ = -1, ε = 1: the distance doubles, 0.25 -> 0.5 -> 1.0 = r after exactly 2 steps (powers of two are
    exact). Catches `>` for `>=`, and the perturbation not normalised (a direction of length 8 starts at
    distance 2 > r)."""
    L = Quadratic(np.diag([-1.0, 3.0]))
    e = np.array([1.0, 0.0])
    assert escape_steps(L, np.zeros(2), 1.0, 0.25, 1.0, direction=e) == 2
    assert escape_steps(L, np.zeros(2), 1.0, 0.25, 1.0, direction=8 * e) == 2


def test_escape_budget_is_inclusive():
    """Escape that takes exactly max_steps steps is reported, one step fewer is -1. Catches range(max_steps)
    for range(max_steps + 1)."""
    L = Quadratic(np.diag([-2.0, 1.0]))
    e = np.array([1.0, 0.0])
    k = predicted_escape_steps(0.1, -2.0, 1e-6, 1.0)
    assert escape_steps(L, np.zeros(2), 0.1, 1e-6, 1.0, direction=e, max_steps=k) == k
    assert escape_steps(L, np.zeros(2), 0.1, 1e-6, 1.0, direction=e, max_steps=k - 1) == -1


# -- the gd_saddles tables --------------------------------------------------------------------------

SPEC = {
    "seed": 3,
    "landscapes": {"quadratic": {"n": 3}, "pspin": {"N": 4, "p": 3}},
    "raise_c": [0.5, 2.5], "raise_instances": 1, "raise_steps": 5,
    "escape_instances": 1, "escape_starts": 3, "plateau_steps": 20, "plateau_checkpoints": 3,
    "plateau_mlp": {"d": 2, "h": 2, "m": 6},
}


@pytest.fixture(scope="module")
def tables():
    return descent_tables(SPEC)


def test_raise_rows_start_at_c0_and_record_each_step(tables):
    """Step 0 of every run has c_local = ε·λ_max(x_0) = c0, each run has raise_steps rows numbered 0..4, and
    loss_change is L_{t+1} - L_t (the next row's loss minus this one's). Catches ε = c0·λ_max for c0/λ_max,
    the local curvature read at x_{t+1}, the loss change with the wrong sign and a step dropped."""
    rs = tables["raise"]
    assert len(rs) == 2 * 2 * 5
    for _, run in rs.groupby(["landscape", "instance", "c0"]):
        assert run["step"].tolist() == list(range(5))
        assert run["c_local"].iloc[0] == pytest.approx(run["c0"].iloc[0], rel=1e-10)
        np.testing.assert_allclose(run["loss_change"].iloc[:-1].to_numpy(), np.diff(run["loss"].to_numpy()),
                                   rtol=1e-10, atol=1e-14)
        assert (run["loss_change"][run["raised"]] > 0).all()
    q = rs[rs["landscape"] == "quadratic"]
    assert np.allclose(q["c_local"], q["c0"])  # constant Hessian: c_t = c0 at every step


def test_escape_rows_use_the_largest_curvature_for_the_step(tables):
    """ε·max|λ| = escape_c, eps_abs_lam_min = ε|λ_min| and predicted = ⌈ln(r/δ)/ln(1 + ε|λ_min|)⌉ row by row;
    one p-spin saddle has |λ_min| > λ_max. Catches ε = c/λ_max (a step too long where negative curvature
    dominates) and the index counted among positive eigenvalues."""
    es = tables["escape"]
    assert len(es) >= 2
    big = np.maximum(np.abs(es["lam_min"]), es["lam_max"])
    np.testing.assert_allclose(es["eps"] * big, 0.5, rtol=1e-12)
    assert (np.abs(es["lam_min"]) > es["lam_max"]).any()
    np.testing.assert_allclose(es["eps_abs_lam_min"], es["eps"] * np.abs(es["lam_min"]), rtol=1e-12)
    for row in es.itertuples():
        assert row.predicted == predicted_escape_steps(row.eps, row.lam_min, row.delta, row.r)
    assert ((es["index"] >= 1) & (es["index"] < es["dim"])).all()
    q = es[es["landscape"] == "quadratic"].iloc[0]
    assert q.steps == q.predicted_projected


def test_quadratic_escape_row_is_the_landscape_rebuilt(tables):
    """The quadratic's escape row against its own Hessian, rebuilt from the documented stream
    (part 1, landscape 0, instance 0, role 0): index = #negative eigenvalues, λ_min, λ_max, dim. Catches the
    index counted among the positive eigenvalues and λ_min/λ_max read from the wrong end."""
    cfg = tables["_cfg"]
    L = make_landscape("quadratic", _rng(cfg, 1, 0, 0, 0), n=3)
    lam = np.linalg.eigvalsh(L.hessian(np.zeros(3)))
    q = tables["escape"][tables["escape"]["landscape"] == "quadratic"].iloc[0]
    assert q["index"] == np.count_nonzero(lam < 0) and q.dim == 3
    assert q.lam_min == pytest.approx(lam[0], rel=1e-12) and q.lam_max == pytest.approx(lam[-1], rel=1e-12)
    assert q.loss == 0.0 and q.delta == 1e-4 and q.r == 0.1


def test_quick_overrides_apply_only_with_quick():
    """Catches the [quick] table applied always (or never)."""
    spec = {"quick": {"raise_steps": 2, "escape_starts": 1}}
    assert _parse(spec, True)["raise_steps"] == 2 and _parse(spec, True)["escape_starts"] == 1
    assert _parse(spec, False)["raise_steps"] == DEFAULTS["raise_steps"]
    with pytest.raises(ValueError, match="raise_steps"):
        _parse({"raise_steps": 0}, False)


def test_landscape_streams_are_keyed_by_name_not_position(tables):
    """Dropping the quadratic from the spec leaves every p-spin row unchanged. Catches streams keyed by the
    landscape's position in the spec (adding one would change the others' draws)."""
    alone = descent_tables({**SPEC, "landscapes": {"pspin": SPEC["landscapes"]["pspin"]}})
    for key in ("raise", "escape"):
        a = alone[key].reset_index(drop=True)
        b = tables[key][tables[key]["landscape"] == "pspin"].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)


def test_plateau_run_is_the_documented_descent(tables):
    """The curve is gradient descent from x0 = init_scale·(random point) with ε = c/λ_max(x0), plateau_steps + 1
    rows; checkpoints start at 0 and end at the last step. Catches the initial scale dropped, ε from
    another curvature, a step missing from the curve and step 0 left out of the checkpoints."""
    cfg = tables["_cfg"]
    L = make_landscape("mlp", _rng(cfg, 2, 2, 0, 0), **cfg["plateau_mlp"])
    x0 = 0.05 * L.random_point(_rng(cfg, 2, 2, 0, 1))
    eps = 0.5 / np.linalg.eigvalsh(L.hessian(x0))[-1]
    run = gradient_descent(L, x0, eps, 20)
    curve = tables["plateau_curve"]
    assert curve["step"].tolist() == list(range(21))
    np.testing.assert_allclose(curve["loss"], run.loss, rtol=1e-12)
    pts = tables["plateau_points"]
    assert pts["step"].iloc[0] == 0 and pts["step"].iloc[-1] == 20
    np.testing.assert_allclose(pts["eps"], eps, rtol=1e-12)
    np.testing.assert_allclose(pts["loss"], run.loss[pts["step"]], rtol=1e-12)


# -- detection ---------------------------------------------------------------------------------------


def test_finite_differences_of_a_pure_quadratic_are_exact():
    """κ = 0, f₀ = 0: central differences of ½xᵀHx are exact up to rounding. Catches the ½ of the quadratic
    term dropped (2H), a 1/(2h²) off-diagonal stencil and a diagonal stencil without the 2f(0)."""
    H = np.array([[[2.0, -0.7, 0.3], [-0.7, 1.0, 0.5], [0.3, 0.5, -1.5]]])
    W = np.zeros((1, 3, 3))
    D = finite_difference_hessians(H, 0.1, W, kappa=0.0, f0=0.0)
    np.testing.assert_allclose(D, H, rtol=0, atol=1e-12)
    # and with an offset f0 = 1 the diagonal still cancels it
    np.testing.assert_allclose(finite_difference_hessians(H, 0.1, W, kappa=0.0, f0=1.0), H, atol=1e-12)


def test_finite_difference_quartic_bias_by_hand():
    """w₁ = (1, 1), w₂ = (0, 1), κ = 1, h = 0.1: bias h²/12·(1, 2) on the diagonal and h²/6·2 off it.
    Catches κ/12 for κ/24 in the model loss."""
    H = np.zeros((1, 2, 2))
    W = np.array([[[1.0, 1.0], [0.0, 1.0]]])
    h = 0.1
    D = finite_difference_hessians(H, h, W, kappa=1.0, f0=0.0)[0]
    np.testing.assert_allclose(D, [[h * h / 12, h * h / 3], [h * h / 3, 2 * h * h / 12]], rtol=1e-6)


def test_quartic_directions_have_variance_one_over_n():
    """Entries N(0, 1/n): the sample variance of 10⁴ entries within 6σ of 1/n. Catches /n for /√n."""
    n = 5
    w = quartic_directions(400, n, rng=1)
    assert w.shape == (400, n, n)
    v = w.var()
    assert abs(v - 1 / n) < 6 * (1 / n) * math.sqrt(2 / w.size)


def test_noise_is_relative_to_each_matrix_norm():
    """‖Ĥ − H‖_F = σ‖H‖_F per matrix, whatever ‖H‖: catches noise scaled by ‖G‖ or by a batch-wide norm."""
    H = np.stack([np.eye(3), 100 * np.diag([1.0, -2.0, 0.5])])
    Hn = noisy_hessians(H, 0.1, rng=2)
    np.testing.assert_allclose(np.linalg.norm(Hn - H, axis=(1, 2)), 0.1 * np.linalg.norm(H, axis=(1, 2)),
                               rtol=1e-12)


def test_relative_tolerance_is_tau_times_the_frobenius_norm():
    """diag(0.3, 4, 4): ‖H‖_F = 5.665, ‖H‖_2 = 4. At τ = 0.065 the band τ‖H‖_F = 0.368 holds 0.3 (degenerate);
    the spectral-norm band 0.26 would not, nor τ alone; at τ = 0.05 (band 0.283) it is a minimum, which τ‖H‖_F²
    (1.6) would call degenerate. Catches the spectral norm, a tolerance missing the norm or squaring it."""
    H = np.diag([0.3, 4.0, 4.0])[None]
    assert relative_tol_labels(H, 0.065).tolist() == ["degenerate"]
    assert relative_tol_labels(H, 0.05).tolist() == ["minimum"]
    assert relative_tol_labels(-H, 0.05).tolist() == ["maximum"]


def test_labels_from_spectra_use_the_dimension_not_the_batch_size():
    """Three 2 x 2 spectra: n = 2 is the number of eigenvalues per row, not the number of rows. Catches
    lam.shape[0] for lam.shape[-1] (every maximum called a saddle)."""
    lam = np.array([[-2.0, -1.0], [-1.0, 3.0], [1.0, 2.0]])
    assert labels_from_spectra(lam, np.ones(3), 0.0).tolist() == ["maximum", "saddle", "minimum"]


def test_degeneracy_band_is_closed():
    """|λ| <= τ‖H‖_F is degenerate, boundary included: λ = ±0.5 at band 0.5, and an exact 0 at τ = 0.
    Catches `<` for `<=`."""
    lam = np.array([[0.5, 2.0], [-3.0, -0.5], [0.0, 1.0], [0.51, 1.0]])
    got = labels_from_spectra(lam, np.array([1.0, 1.0, 1.0, 1.0]), 0.5).tolist()
    assert got == ["degenerate", "degenerate", "degenerate", "minimum"]
    assert labels_from_spectra(lam[2:3], np.ones(1), 0.0).tolist() == ["degenerate"]


def test_minibatch_draw_count_and_full_batch():
    """`draws` minibatches come back, b = m is accepted and reproduces the full Hessian. Catches one draw
    too few and an exclusive upper bound on b."""
    net = tanh_mlp(d=2, h=2, m=6, rng=1)
    x = net.random_point(np.random.default_rng(2)) + 0.2
    H = minibatch_hessians(net, x, 6, 3, rng=0)
    assert H.shape == (3, net.dim, net.dim)
    assert all(np.array_equal(h, net.hessian(x)) for h in H)
    assert minibatch_hessians(net, x, 2, 4, rng=0).shape[0] == 4
    assert check_batch(6, 6) == 6 and check_batch(1, 6) == 1
    # a network without biases: the subset network must keep bias=False (else its parameters do not fit x)
    nb = tanh_mlp(d=2, h=2, m=5, bias=False, rng=3)
    xb = nb.random_point(np.random.default_rng(4)) + 0.2
    assert np.array_equal(minibatch_hessians(nb, xb, 5, 1, rng=1)[0], nb.hessian(xb))


# -- energy ------------------------------------------------------------------------------------------


def test_energy_scale_is_sqrt_2_beta_n():
    """x = s / sqrt(2 β n): at n = 8 GUE has scale 4√2, β = 0.5 scale 2√2, the independent model the GOE's 4.
    Catches β dropped from the scale (every β on the GOE's axis)."""
    assert _scale(Model("gue"), 8) == pytest.approx(4 * math.sqrt(2))
    assert _scale(Model("goe"), 8) == pytest.approx(4.0)
    assert _scale(Model("beta", beta=0.5), 8) == pytest.approx(math.sqrt(8))
    assert _scale(Model("independent"), 8) == pytest.approx(4.0)


def test_index_fraction_table_by_hand():
    """n = 2, histogram [2, 5, 3 | 1 degenerate]: fractions (0, ½, 1), mean 0.55, variance 0.1225, se
    sqrt(0.1225/10), 10 samples (degenerate left out). Catches index/(n + 1), the se divided by N instead
    of √N, and the degenerate draw counted in the samples."""
    plan = make_plan(["goe"], [2], 10, entropy=1, shifts=[0.0, 1.0])
    t = index_fraction_table(plan, [np.array([2, 5, 3, 1]), np.array([6, 3, 1, 0])])
    r = t.iloc[0]
    assert r.samples == 10 and r["shift"] == 0.0
    assert r.mean_index_fraction == pytest.approx(0.55, rel=1e-12)
    assert r.mean_index_fraction_se == pytest.approx(math.sqrt(0.1225 / 10), rel=1e-12)
    r = t.iloc[1]  # [6, 3, 1]: mean 0.25, E k² = 0.175, var 0.1125
    assert r["shift"] == 1.0 and r.mean_index_fraction == pytest.approx(0.25, rel=1e-12)
    assert r.mean_index_fraction_se == pytest.approx(math.sqrt(0.1125 / 10), rel=1e-12)


def test_exact_mean_fraction_at_evenly_spread_shifts():
    """7 shifts, 3 exact points: shifts 0, 3 and 6 get the exact GOE mean index fraction, the rest NaN;
    --quick keeps at most 4 points. Catches the spread running past the last shift (or stopping short)."""
    from saddlesim.theory.mean_index import mean_index_fraction

    shifts = [-1.0, -0.5, 0.0, 0.3, 0.6, 1.0, 1.5]
    out = _exact_mean_fraction(Model("goe"), 3, shifts, {"exact_mean_index_points": 3}, False)
    assert np.flatnonzero(np.isfinite(out)).tolist() == [0, 3, 6]
    np.testing.assert_allclose(out[[0, 3, 6]], [mean_index_fraction(3, s, 1.0) for s in (-1.0, 0.3, 1.5)])
    quick = _exact_mean_fraction(Model("goe"), 3, shifts, {"exact_mean_index_points": 12}, True)
    assert np.isfinite(quick).sum() == 4 and np.isfinite(quick[[0, 6]]).all()
    assert np.isnan(_exact_mean_fraction(Model("independent"), 3, shifts, {}, False)).all()


def test_energy_quick_parse_thins_shifts_and_caps_samples():
    """--quick: every third x (or quick_x) and min(samples, quick_samples). Catches the cap taken as a max
    and the thinning starting at the second x."""
    spec = {"name": "e", "models": ["goe"], "n": [2], "x": "0:1:7", "samples": 50_000, "quick_samples": 300}
    _, ns, xs, samples, _ = energy_parse(spec, True)
    assert ns == [2] and samples == 300 and xs == pytest.approx([0.0, 0.5, 1.0])
    assert energy_parse({**spec, "samples": 100}, True)[3] == 100
    assert energy_parse({**spec, "quick_x": "0.2,0.4"}, True)[2] == [0.2, 0.4]
    _, _, xs, samples, _ = energy_parse(spec, False)
    assert samples == 50_000 and len(xs) == 7


def test_wishart_wigner_table_recovers_eps_and_excess():
    """eps = eps_c(φ)(1 + excess) and the table's excess column is that excess again. Catches the ratio
    eps/eps_c written without the -1."""
    from saddlesim.theory.wishart_wigner import ww_epsilon_c

    ww = {"phi": [0.5], "excess": [0.5, 3.0], "n": 8, "samples": 3, "quick_n": 8, "quick_samples": 3}
    mc, theory = wishart_wigner_tables(ww, quick=False, entropy=1, workers=1, progress=False)
    np.testing.assert_allclose(mc["excess"], [0.5, 3.0], rtol=1e-12)
    np.testing.assert_allclose(mc["eps"], ww_epsilon_c(0.5) * np.array([1.5, 4.0]), rtol=1e-12)
    assert (mc["samples"] <= 3).all() and mc["mean_index_fraction"].between(0, 1).all()
    np.testing.assert_allclose(theory["eps"], theory["eps_c"] * (1 + theory["excess"]), rtol=1e-12)


# -- parsing -----------------------------------------------------------------------------------------


def test_float_ranges_include_both_ends():
    """START:STOP:POINTS: k evenly spaced points, both ends included, k = 2 allowed. Catches /k for /(k - 1),
    and k = 2 refused (`2 < k` for `2 <= k`)."""
    assert parse_float_list("0:1:2") == [0.0, 1.0]
    assert parse_float_list("0:1:5") == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert parse_float_list("1:-1:3") == [1.0, 0.0, -1.0]
    assert parse_float_list("2,0:1:3,1") == [2.0, 0.0, 0.5, 1.0]  # order kept, repeats dropped


def test_float_list_normalises_minus_zero_and_caps_points():
    """'-0' is 0.0 (its text is '0.0'), the range cap is inclusive, and more values than max_points are
    refused. Catches -0.0 kept (a cell named '-0.0') and the overall count check dropped."""
    assert str(parse_float_list("-0")[0]) == "0.0"
    assert [str(v) for v in parse_float_list("-0,1,0")] == ["0.0", "1.0"]
    assert len(parse_float_list("0:1:4", max_points=4)) == 4
    with pytest.raises(ValueError, match="2..4 points"):
        parse_float_list("0:1:5", max_points=4)
    with pytest.raises(ValueError, match="more than 3"):
        parse_float_list("1,2,3,4", max_points=3)


def test_int_ranges_are_inclusive_and_checked_at_their_low_end():
    """'3-3' is [3]; '0-2' is refused at minimum 1 but read at minimum 0. Catches a one-point range refused
    as running backwards, range(lo, hi) for range(lo, hi + 1), and the minimum tested on the range's top."""
    assert parse_int_list("3-3") == [3]
    assert parse_int_list("5,2-3") == [2, 3, 5]
    assert parse_int_list("0-2", minimum=0) == [0, 1, 2]
    with pytest.raises(ValueError, match=">= 1, got 0"):
        parse_int_list("0-2")
    with pytest.raises(ValueError, match="backwards"):
        parse_int_list("4-3")
    with pytest.raises(ValueError, match="too long"):
        parse_int_list("1-1000002")
    assert len(parse_int_list("1-1000001")) == 1_000_001


def test_float_list_refuses_non_finite_and_malformed_items():
    """Catches the finiteness check dropped (an inf shift reaches the sampler) and a two-part item read."""
    for bad in ("0,inf", "-inf:1:3", "nan", "0:1", "0:1:2:3"):
        with pytest.raises(ValueError, match="--shift"):
            parse_float_list(bad)


def test_counts_and_seeds():
    """A count is >= 1 and whole ('2.5e3' is 2500, '0' and '1e-1' are refused); a seed is digits only
    ('0' is allowed, '1e3' and '-3' are not). Catches the count's lower bound at 0 and whole-number checks
    dropped."""
    assert parse_count("1") == 1 and parse_count("2.5e3") == 2500 and parse_count(" 4_000 ") == 4000
    for bad in ("0", "-2", "1e-1", "2.5", "inf", "x"):
        with pytest.raises(ValueError, match="--samples"):
            parse_count(bad)
    assert parse_seed("0") == 0 and parse_seed(" 1_0 ") == 10
    for bad in ("1e3", "-3", "1.0", ""):
        with pytest.raises(ValueError, match="--seed"):
            parse_seed(bad)
