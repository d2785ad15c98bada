"""The certified index's two conditions, pinned at their boundaries (saddlesim/curvature/certify.py).

The lower bound is Cauchy interlacing on the compression of H to span(Y, Q);
the upper bound is certified at level δ = checks · 1.648 √n e^{−√ε (2m − 1)}
(Kuczyński & Woźniakowski 1992, Thm 4.2) with ε = (θ'₁ + τ')/(σ + τ'),
τ' = τ − e. Oracles: rotated diagonal matrices with chosen eigenvalues and
``numpy.linalg.eigvalsh``; the failure bound recomputed here from its formula.

Smallest slips caught: (2m + 1) or 2m for (2m − 1), ε instead of √ε, √n
dropped or squared, the constant changed; ε taken with σ − τ' or θ'₁ − τ';
τ' = τ + e; a certificate returned when δ > ``delta`` (or declined when
δ ≤ ``delta``); the decisive eigenvalue just inside or just outside −τ
counted on the wrong side (``<=`` for ``<``, +τ for −τ); the interlacing count
taken on Y alone or Q alone instead of span(Y, Q), or with ``<=``.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature.certify import _interlacing_lower, certified_index, kw_failure_bound
from saddlesim.curvature.lanczos import LanczosProcess
from saddlesim.curvature.operators import as_operator
from tests.matrices import rotated


def kw(n, m, eps):
    """The Kuczyński–Woźniakowski bound, written out independently (capped at 1)."""
    if eps <= 0:
        return 1.0
    return min(1.0, 1.648 * n ** 0.5 * np.exp(-(eps ** 0.5) * (2 * m - 1)))


@pytest.mark.parametrize("n, m, eps", [(1, 1, 4.0), (4, 1, 9.0), (100, 7, 0.25), (300, 30, 0.01),
                                       (2, 2, 1.0), (5000, 200, 1e-3)])
def test_kw_failure_bound_is_the_theorem_at_every_step_count(n, m, eps):
    """m = 1 (2m − 1 = 1) and n = 1 pin the exponent's offset and the √n factor exactly."""
    want = kw(n, m, eps)
    assert want < 1.0                      # the cap is not what is tested
    assert kw_failure_bound(n, m, eps) == pytest.approx(want, rel=1e-12)


def test_kw_failure_bound_caps_and_declines_without_a_gap():
    assert kw_failure_bound(100, 1, 1e-4) == 1.0
    assert kw_failure_bound(100, 50, 0.0) == 1.0 and kw_failure_bound(100, 50, -0.5) == 1.0
    assert kw_failure_bound(100, 0, 1.0) == 1.0


def _psd_case():
    rng = np.random.default_rng(0)
    return rotated(rng.uniform(0.0, 2.0, 100), 2), 0.05


@pytest.mark.parametrize("m", [20, 40])
def test_reported_failure_bound_is_kw_of_the_run_it_describes(m):
    """One check (steps = budget): δ = kw(n, m, (θ'₁ + τ − e)/(σ + τ − e)) with σ = ‖A‖_∞ (proven)."""
    A, tau = _psd_case()
    c = certified_index(A, tau, steps=m, max_steps=m, delta=1e-30, rng=3)
    assert c["index"] is None and c["status"].startswith("unproven: failure bound")
    assert c["runs"] == 1 and c["steps"] == m
    assert c["sigma_proven"] and c["sigma"] == pytest.approx(np.abs(A).sum(axis=1).max(), rel=1e-12)
    assert 0 < c["residual"] < 1e-10                  # rounding only: nothing deflated
    tau_p = tau - c["residual"]
    eps = (c["lambda_min"] + tau_p) / (c["sigma"] + tau_p)
    assert 1e-4 < kw(100, m, eps) < 1.0              # a bound that is neither capped nor negligible
    assert c["delta"] == pytest.approx(kw(100, m, eps), rel=1e-9)


def test_certified_exactly_when_the_bound_is_within_delta():
    """Both ways: δ a hair above the run's bound certifies the count (0), a hair below declines."""
    A, tau = _psd_case()
    d = certified_index(A, tau, steps=40, max_steps=40, delta=1e-30, rng=3)["delta"]
    yes = certified_index(A, tau, steps=40, max_steps=40, delta=d * 1.001, rng=3)
    no = certified_index(A, tau, steps=40, max_steps=40, delta=d * 0.999, rng=3)
    assert (yes["status"], yes["index"], yes["delta"]) == ("certified", 0, pytest.approx(d, rel=1e-12))
    assert no["index"] is None and no["status"].startswith("unproven") and no["lower"] == 0


def test_failure_bound_unions_over_the_checks_of_the_run():
    """Checks at m = 20, 40(, 60): δ = checks · kw(n, m, ε) (a union bound, not the last check alone).

    ``delta`` sits just below 3 · kw(n, 60, ε₆₀) (ε₆₀ from a one-check run of the same start vector):
    the run ends uncertified at 60; without the union factor it would certify there.
    """
    A, tau = _psd_case()
    one = certified_index(A, tau, steps=60, max_steps=60, delta=1e-30, rng=3)
    tau_p = tau - one["residual"]
    eps60 = (one["lambda_min"] + tau_p) / (one["sigma"] + tau_p)
    c = certified_index(A, tau, steps=20, max_steps=60, delta=3 * kw(100, 60, eps60) * (1 - 1e-6), rng=3)
    assert c["steps"] == 60 and c["runs"] == 1 and c["index"] is None and c["stop_reason"] == "cannot"
    tau_p = tau - c["residual"]
    eps = (c["lambda_min"] + tau_p) / (c["sigma"] + tau_p)
    assert eps == pytest.approx(eps60, rel=1e-9)
    assert c["delta"] == pytest.approx(3 * kw(100, 60, eps), rel=1e-9)


def test_step_budget_says_cannot_with_the_steps_a_next_check_would_need():
    """δ = 1e-30 at 60 steps (3 checks): the fourth check would need m ≥ (ln(4·1.648·√n/δ)/√ε + 1)/2."""
    A, tau = _psd_case()
    c = certified_index(A, tau, steps=20, max_steps=60, delta=1e-30, rng=3)
    assert c["index"] is None and c["stop_reason"] == "cannot" and c["steps"] == 60
    tau_p = tau - c["residual"]
    eps = (c["lambda_min"] + tau_p) / (c["sigma"] + tau_p)
    need = int(np.ceil((np.log(4 * 1.648 * 10 / 1e-30) / np.sqrt(eps) + 1) / 2))
    assert "cannot certify within 60 Lanczos steps per run" in c["stop_message"]
    assert f"about {need} steps per run" in c["stop_message"]


@pytest.mark.parametrize("rel", [1e-2, 1e-3, -1e-3, -1e-2])
def test_decisive_eigenvalue_just_outside_or_inside_minus_tau(rel):
    """An eigenvalue at −τ(1 + rel): counted for rel > 0, not for rel < 0; certified and equal to eigvalsh."""
    tau = 0.1
    rng = np.random.default_rng(1)
    lam = np.r_[-2.0, -1.0, -tau * (1 + rel), rng.uniform(0.5, 2.0, 57)]
    dense = int(np.sum(np.linalg.eigvalsh(rotated(lam, 1)) < -tau))
    assert dense == (3 if rel > 0 else 2)
    c = certified_index(rotated(lam, 1), tau, rng=1)
    assert c["status"] == "certified" and c["index"] == dense == c["lower"]
    assert c["delta"] <= 1e-6


@pytest.mark.parametrize("rel", [1e-3, -1e-3])
def test_decisive_eigenvalue_near_plus_tau_is_never_counted(rel):
    """Negative control for the sign of τ: an eigenvalue at +τ(1 + rel) (and one at −τ/2) is not in the index."""
    tau = 0.1
    rng = np.random.default_rng(2)
    lam = np.r_[-1.5, -tau / 2, tau * (1 + rel), rng.uniform(0.5, 2.0, 57)]
    c = certified_index(rotated(lam, 3), tau, rng=2)
    assert c["status"] == "certified" and c["index"] == 1 == c["lower"]


def _orthonormal_rows(rng, c, n):
    Q, _ = np.linalg.qr(rng.standard_normal((n, c)))
    return Q.T


@pytest.mark.parametrize("c, m", [(0, 6), (3, 0), (3, 6), (5, 10)])
def test_interlacing_lower_bound_is_the_count_on_span_y_and_q(c, m):
    """Any orthonormal Y and a Lanczos run Q deflated against it: #{eig(B H Bᵀ) < −τ} for B = [Y; Q]."""
    rng = np.random.default_rng(10 + c + m)
    n, tau = 40, 0.3
    lam = np.r_[-3.0, -2.0, -1.0, -0.5, -0.31, -0.29, rng.uniform(-0.2, 2.0, n - 6)]
    A = rotated(lam, 11)
    Y = _orthonormal_rows(rng, c, n)
    HY = Y @ A
    proc = None
    if m:
        proc = LanczosProcess(as_operator(A), rng.standard_normal(n), basis=Y).extend(m)
    B = np.vstack([Y, proc.Q]) if proc is not None else Y
    K = B @ A @ B.T
    want = int(np.sum(np.linalg.eigvalsh((K + K.T) / 2) < -tau))
    got = _interlacing_lower(Y, HY, proc, tau)
    assert got == want <= int(np.sum(lam < -tau))


def test_interlacing_lower_bound_is_sharp_on_the_negative_eigenspace():
    """Y = the eigenvectors of the 5 eigenvalues below −τ (one at −τ(1 + 10⁻⁶)), plus one just above: exactly 5."""
    n, tau = 30, 0.2
    rng = np.random.default_rng(12)
    lam = np.r_[-2.0, -1.0, -0.7, -0.5, -tau * (1 + 1e-6), -tau * (1 - 1e-6), rng.uniform(0.1, 1.0, n - 6)]
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * lam) @ Q.T
    Y = Q[:, :6].T
    assert _interlacing_lower(Y, Y @ A, None, tau) == 5
    assert _interlacing_lower(np.empty((0, n)), np.empty((0, n)), None, tau) == 0


def test_lower_bound_is_proven_even_when_declining():
    """Many eigenvalues below −τ (declined at max_count = 3): the lower bound exceeds 3 and never the truth."""
    rng = np.random.default_rng(4)
    lam = np.r_[-np.linspace(1.0, 2.0, 8), rng.uniform(0.5, 2.0, 52)]
    c = certified_index(rotated(lam, 5), 0.1, max_count=3, rng=4)
    assert c["index"] is None and c["status"] == "unproven: more than 3 eigenvalues below -tau"
    assert 3 < c["lower"] <= 8


@pytest.mark.parametrize("seed", range(4))
def test_lower_bound_after_deflating_the_whole_space_is_not_doubled(seed):
    """A run that spans the whole space (n = 16 < steps) is deflated whole; the final count must use Y alone.

    Regression: the compression to [Y; Q] with Q ⊂ span(Y) doubled every eigenvalue, so one at −0.6τ
    counted (−1.2τ < −τ) and the "proven" lower bound exceeded the certified (and true) index.
    """
    tau = 0.1
    rng = np.random.default_rng(20 + seed)
    lam = np.r_[-1.0, -0.3, -0.6 * tau, -0.55 * tau, rng.uniform(0.2, 2.0, 12)]
    dense = int(np.sum(lam < -tau))
    c = certified_index(rotated(lam, 21 + seed), tau, rng=seed)
    assert c["status"] == "certified" and c["index"] == dense == 2
    assert c["lower"] == dense


@pytest.mark.parametrize("seed", range(3))
def test_lower_bound_never_counts_unconverged_ritz_values(seed):
    """A dense bulk just above −τ (in [−0.98τ, −0.5τ]) next to two eigenvalues below: Ritz values in the
    bulk carry residual bounds reaching below −τ for many steps; only θ < −τ is proven (interlacing), so the
    lower bound stays ≤ the dense count 2 whatever the certificate says.
    """
    tau = 0.1
    rng = np.random.default_rng(30 + seed)
    lam = np.r_[-1.0, -0.5, rng.uniform(-0.98 * tau, -0.5 * tau, 60), rng.uniform(0.01, 2.0, 98)]
    c = certified_index(rotated(lam, 31 + seed), tau, steps=10, rng=seed)
    assert c["lower"] <= 2
    assert c["index"] in (None, 2)


@pytest.mark.parametrize("seed", range(4))
def test_weyl_step_declines_a_deflated_value_within_its_residual_of_minus_tau(seed):
    """One eigenvalue at −τ(1 + 10⁻³) next to a bulk from −0.9τ: the deflated Ritz vector keeps a residual
    e of order 10⁻³τ, so μ can sit within e of −τ. Certified only when every μ is farther than e from −τ
    (the Weyl step places it); otherwise declined for exactly that reason, with the proven lower bound 1.
    """
    tau = 0.1
    rng = np.random.default_rng(seed)
    lam = np.r_[-tau * (1 + 1e-3), rng.uniform(-0.9 * tau, 2.0, 199)]
    c = certified_index(rotated(lam, seed), tau, max_count=3, rng=seed)
    near = bool(np.any(np.abs(c["values"] + tau) <= c["residual"]))
    if c["status"] == "certified":
        assert not near and c["index"] == 1 and 2 * c["residual"] < tau
    else:
        assert c["status"] == "unproven: an eigenvalue within its residual bound of -tau" and near
    assert c["lower"] == 1
    assert seed not in (0, 1, 3) or c["status"] != "certified"      # these seeds do put μ within e of −τ
