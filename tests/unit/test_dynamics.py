import math

import numpy as np
import pytest

from saddlesim.descent.dynamics import escape_steps, gradient_descent, predicted_escape_steps, second_order_raise
from saddlesim.landscapes import Quadratic, pspin, quadratic


@pytest.mark.parametrize(
    "lams,eps,delta,r",
    [((-2.0, -0.5, 1.0, 3.0), 0.1, 1e-6, 1.0), ((-0.3, 2.0), 0.05, 1e-3, 0.5), ((-1.0,), 0.7, 1e-8, 2.0)],
)
def test_escape_along_the_unstable_direction_is_the_closed_form(lams, eps, delta, r):
    """On ½xᵀdiag(λ)x from δ·e_min the steps are exactly ⌈ln(r/δ)/ln(1+ε|λ_min|)⌉: catches floor for
    ceil, an off-by-one in the step count, or ln(1 − ε|λ|) for ln(1 + ε|λ|)."""
    L = Quadratic(np.diag(lams))
    e = np.zeros(len(lams))
    e[int(np.argmin(lams))] = 1.0
    ratio = math.log(r / delta) / math.log1p(eps * abs(min(lams)))
    assert abs(ratio - round(ratio)) > 1e-6  # away from the ceiling's jump, so rounding cannot decide
    expected = math.ceil(ratio)
    assert predicted_escape_steps(eps, min(lams), delta, r) == expected
    assert escape_steps(L, np.zeros(len(lams)), eps, delta, r, direction=e) == expected
    # by hand for the first case: ln(1e6)/ln(1.2) = 75.77… → 76
    if lams[0] == -2.0:
        assert expected == 76


def test_a_generic_perturbation_escapes_no_sooner_than_the_prediction():
    """|x_t| ≤ δ(1 + ε|λ_min|)^t while every |1 − ελ_i| ≤ 1 + ε|λ_min|, so random directions take at
    least the predicted steps (and finitely many): catches a growth factor larger than 1 + ε|λ_min|."""
    L = Quadratic(np.diag([-1.5, -0.2, 0.5, 2.0]))
    pred = predicted_escape_steps(0.1, -1.5, 1e-4, 1.0)
    steps = [escape_steps(L, np.zeros(4), 0.1, 1e-4, 1.0, rng=s) for s in range(20)]
    assert min(steps) >= pred and max(steps) < 3 * pred


def test_no_escape_is_reported_not_hidden():
    L = Quadratic(np.diag([1.0, 2.0]))  # a minimum: perturbations shrink
    assert escape_steps(L, np.zeros(2), 0.1, 1e-3, 1.0, rng=0, max_steps=200) == -1


def test_convex_quadratic_raise_fraction_is_zero_or_one_at_the_step_thresholds():
    """Convex quadratic, λ ∈ [1, 5]: with ε·λ_max < 2 every step lowers the loss, with ε·λ_min > 2 every
    step raises it; the coin-flip second-order condition agrees step by step (it is exact here)."""
    L = Quadratic(np.diag([1.0, 2.0, 3.5, 5.0]))
    x0 = np.array([1.0, -1.0, 0.5, 0.3])
    low = gradient_descent(L, x0, 1.95 / 5.0, 30, predict=True)
    assert low.raise_fraction == 0 and low.predicted_fraction == 0
    high = gradient_descent(L, x0, 2.05 / 1.0, 30, predict=True)
    assert high.raise_fraction == 1 and high.predicted_fraction == 1
    # in between: only the modes with ελ > 2 grow, eventually they dominate and every step raises
    mid = gradient_descent(L, x0, 0.5, 60, predict=True)
    assert 0 < mid.raise_fraction < 1 and np.array_equal(mid.raised, mid.predicted)


def test_second_order_prediction_is_exact_on_random_quadratic_saddles():
    for seed in range(5):
        L = quadratic(6, rng=seed)
        lam_max = np.linalg.eigvalsh(L.A).max()
        x0 = L.random_point(np.random.default_rng(seed))
        for c in (0.5, 1.9, 2.2, 3.0):
            run = gradient_descent(L, x0, c / lam_max, 15, predict=True)
            assert np.array_equal(run.raised, run.predicted)


def test_descent_on_the_sphere_stays_on_it_and_small_steps_lower_the_loss():
    L = pspin(6, 3, rng=2)
    run = gradient_descent(L, L.random_point(np.random.default_rng(0)), 0.05, 50)
    assert np.allclose(np.sum(run.x**2, axis=1), 6)
    assert run.raise_fraction == 0 and run.loss[-1] < run.loss[0]
    x = run.x[-1]
    assert second_order_raise(L, x, 0.05) is False


@pytest.mark.parametrize(
    "args,msg",
    [((0.1, 1.0, 1e-3, 1.0), "lam_min must be < 0"), ((0.1, -1.0, 1.0, 0.5), "0 < delta < r"), ((0.0, -1.0, 1e-3, 1.0), "eps")],
)
def test_prediction_errors(args, msg):
    with pytest.raises(ValueError, match=msg):
        predicted_escape_steps(*args)
