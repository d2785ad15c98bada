"""Exact P(min) for GOE and GUE: closed forms at small n, monotonicity, the
Dean-Majumdar limit, and the two-precision check."""

import math

import mpmath
import pytest

from saddlesim.theory import exact as ex
from saddlesim.theory import THETA, has_exact, log10_p_min, log_p_min, log_p_saddle, p_min
from saddlesim.theory.moments import log_mehta_integral

S2 = math.sqrt(2.0)

# Closed forms. GOE n=2: polar coordinates, ∫|cos φ - sin φ| over the
# positive quadrant / over the circle. GUE n=2: same with (cos φ - sin φ)^2,
# i.e. ∫_{-π/4}^{π/4} sin²φ dφ / ∫_0^{2π} sin²φ dφ in rotated coordinates.
CLOSED = {
    (1, 1): 0.5,
    (2, 1): 0.5,
    (1, 2): (2 - S2) / 4,
    (1, 3): 0.25 - S2 / (2 * math.pi),
    (1, 4): 0.25 - S2 / 16 - 1 / (2 * math.pi),
    (2, 2): 0.25 - 1 / (2 * math.pi),
}


@pytest.mark.parametrize(("beta", "n"), sorted(CLOSED))
def test_closed_forms(beta, n):
    assert math.exp(log_p_min(n, beta)) == pytest.approx(CLOSED[beta, n], rel=0, abs=1e-12)
    assert p_min(n, beta) == pytest.approx(CLOSED[beta, n], rel=1e-12)


def test_closed_form_n4_is_not_the_coinflip_claim():
    # The coin-flip 2^-4 = 0.0625 is 25 times too large.
    assert p_min(4, 1) < 0.0625 / 25


@pytest.mark.parametrize("beta", [1, 2])
def test_p_min_strictly_decreasing(beta):
    logs = [log_p_min(n, beta) for n in range(1, 31)]
    assert all(b < a for a, b in zip(logs, logs[1:]))


def test_theta_approaches_ln3_over_4_from_above_goe():
    ns = [10, 20, 30, 40, 50, 60, 80, 100]
    theta = [-log_p_min(n, 1) / n**2 for n in ns]
    assert all(t > THETA for t in theta)
    assert all(b < a for a, b in zip(theta, theta[1:])), theta
    assert theta[-1] - THETA < 0.015 * THETA  # within 1.5% at n = 100


def test_theta_approaches_limit_from_above_gue():
    ns = [10, 20, 30, 40]
    theta = [-log_p_min(n, 2) / n**2 for n in ns]
    assert all(t > 2 * THETA for t in theta)
    assert all(b < a for a, b in zip(theta, theta[1:]))


def test_no_underflow_at_n100():
    lp = log_p_min(100, 1)
    assert math.isfinite(lp) and -2800 < lp < -2700
    assert p_min(100, 1) == 0.0  # below float range: only the log carries it
    assert log10_p_min(100, 1) == pytest.approx(lp / math.log(10), rel=1e-15)
    # the reference value quoted in the rare-event issue
    assert log10_p_min(100, 1) == pytest.approx(-1209.563, abs=5e-4)


@pytest.mark.parametrize("beta", [1, 2])
def test_two_precisions_agree(beta):
    n = 40
    low, high = ex.working_precisions(n)
    a = ex.log_p_min_mp(n, beta, low)
    b = ex.log_p_min_mp(n, beta, high)
    assert a is not None and b is not None
    assert abs(a - b) < mpmath.mpf("1e-12")
    assert float(b) == log_p_min(n, beta)


@pytest.mark.parametrize("beta", [1, 2])
def test_too_low_precision_is_visible(beta):
    # The check has teeth: at 20 digits n = 40 comes out wrong or non-positive.
    truth = log_p_min(40, beta)
    bad = ex.log_p_min_mp(40, beta, 20)
    assert bad is None or abs(float(bad) - truth) > 1.0


def test_precision_error_when_precisions_never_agree(monkeypatch):
    ex._log_p_above_checked.cache_clear()
    monkeypatch.setattr(ex, "working_precisions", lambda n, t=0.0, beta=1: (4, 5))
    try:
        with pytest.raises(ex.PrecisionError, match="did not converge"):
            ex.log_p_min(40, 1)
    finally:
        ex._log_p_above_checked.cache_clear()


def test_mehta_integral_small_n():
    # Z_1 = √(2π); Z_2(1) = ∫∫|x - y| e^{-(x²+y²)/2} = 4√π (|x-y| ~ √2 |N(0,1)| times 2π).
    with mpmath.workdps(30):
        assert float(log_mehta_integral(1, 1)) == pytest.approx(0.5 * math.log(2 * math.pi))
        assert float(log_mehta_integral(2, 1)) == pytest.approx(math.log(4 * math.sqrt(math.pi)))
        # beta = 2, n = 2: E(x-y)^2 = 2 under N(0,1)², times (2π).
        assert float(log_mehta_integral(2, 2)) == pytest.approx(math.log(4 * math.pi))


def test_log_p_saddle():
    assert log_p_saddle(1, 1) == -math.inf
    assert math.exp(log_p_saddle(2, 1)) == pytest.approx(S2 / 2, rel=1e-13)
    # log1p keeps the tiny deficit: ln(1 - 2p) ≈ -2p for p ~ 1e-52.
    p = p_min(20, 2)
    assert log_p_saddle(20, 2) == pytest.approx(-2 * p, rel=1e-12)


def test_has_exact():
    assert has_exact(1) and has_exact(2.0) and has_exact(4) and has_exact(4, ex.MAX_GSE_N)
    assert has_exact(1, 500) and not has_exact(4, ex.MAX_GSE_N + 1)
    assert not has_exact(0.5) and not has_exact("goe")


@pytest.mark.parametrize("beta", [0.5, 3])
def test_unsupported_beta_names_the_supported_ones(beta):
    with pytest.raises(ValueError, match=r"beta = 1 \(GOE\), beta = 2 \(GUE\) and beta = 4 \(GSE\)"):
        log_p_min(3, beta)


def test_gse_beyond_its_limit_is_a_value_error():
    with pytest.raises(ValueError, match="n <= 50"):
        log_p_min(ex.MAX_GSE_N + 1, 4)


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_bad_n(n):
    with pytest.raises(ValueError, match="n must"):
        log_p_min(n, 1)
