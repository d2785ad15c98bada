"""The certificate's independent restarts, budgets and stop reasons (saddlesim/curvature/certify.py, issue 30).

With R runs per stage, each from its own stream, the chance that all miss an
eigenvalue ≤ −τ' is the product of their Kuczyński–Woźniakowski bounds; each
run aims at δ^(1/R). Oracles: rotated diagonal matrices with chosen
eigenvalues; the bound recomputed from its formula.

Slips caught: the runs' bounds combined by min, max or sum instead of the
product; each run aiming at δ instead of δ^(1/R) (longer runs); start vectors
keyed by worker or completion order (results that depend on the workers);
merged deflation vectors kept without the convergence test or above −τ; a
budget that is not passed on or not honoured; the SLQ-above-max_count shortcut
taken on the lanczos route, or on the wrong side of its threshold.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature import spectrum
from saddlesim.curvature.certify import certified_index
from tests.matrices import rotated


def kw(n, m, eps):
    return 1.0 if eps <= 0 else min(1.0, 1.648 * n ** 0.5 * np.exp(-(eps ** 0.5) * (2 * m - 1)))


def _psd(n=120, seed=0):
    rng = np.random.default_rng(seed)
    return rotated(rng.uniform(0.0, 2.0, n), seed + 1), 0.05


@pytest.mark.parametrize("R", [2, 3])
def test_failure_bound_is_the_product_over_independent_runs(R):
    """One check per run (steps = budget): δ = ∏_j kw(n, m, ε_j), each ε_j from run j's smallest Ritz value."""
    A, tau = _psd()
    c = certified_index(A, tau, steps=30, max_steps=30, delta=1e-30, rng=5, restarts=R)
    runs = c["last_stage"]
    assert len(runs) == R and c["runs"] == R and all(r["steps"] == 30 for r in runs)
    tau_p = tau - c["residual"]
    d = [kw(120, 30, (r["lambda_min"] + tau_p) / (c["sigma"] + tau_p)) for r in runs]
    assert all(1e-6 < x < 1 for x in d)                         # neither capped nor negligible
    assert [r["d"] for r in runs] == pytest.approx(d, rel=1e-9)
    assert c["delta"] == pytest.approx(np.prod(d), rel=1e-9)
    # certified exactly when the product is within delta (each run's share is delta**(1/R))
    yes = certified_index(A, tau, steps=30, max_steps=30, delta=c["delta"] * 1.001, rng=5, restarts=R)
    no = certified_index(A, tau, steps=30, max_steps=30, delta=c["delta"] * 0.999, rng=5, restarts=R)
    assert yes["index"] == 0 and yes["stop_reason"] == "certified"
    assert no["index"] is None and no["stop_reason"] == "cannot"


def test_each_run_aims_at_its_share_of_delta():
    """Two runs aiming at δ^(1/2) stop sooner than one aiming at δ, and the product still meets δ."""
    A, tau = _psd()
    one = certified_index(A, tau, steps=5, delta=1e-8, rng=6, restarts=1)
    two = certified_index(A, tau, steps=5, delta=1e-8, rng=6, restarts=2)
    assert one["index"] == two["index"] == 0 and two["delta"] <= 1e-8
    assert max(r["steps"] for r in two["last_stage"]) < one["last_stage"][0]["steps"]
    assert all(r["d"] <= 1e-4 for r in two["last_stage"])


@pytest.mark.parametrize("seed", range(6))
def test_restarts_deflate_and_count_exactly(seed):
    """Five separated eigenvalues below −τ, a bulk above: 3 runs per stage deflate them (merged when
    several runs converge) and the certified count is the dense one."""
    rng = np.random.default_rng(seed)
    tau = 0.05
    lam = np.r_[[-2.0, -1.5, -1.0, -0.6, -0.3], rng.uniform(0.0, 2.0, 115)]
    c = certified_index(rotated(lam, seed), tau, rng=seed, restarts=3)
    assert c["stop_reason"] == "certified" and c["index"] == 5 and c["lower"] == 5
    np.testing.assert_allclose(np.sort(c["values"]), [-2.0, -1.5, -1.0, -0.6, -0.3], atol=1e-6)
    assert 2 * c["residual"] < tau


def test_one_and_two_workers_give_identical_certificates():
    rng = np.random.default_rng(3)
    lam = np.r_[[-1.0, -0.5], rng.uniform(0.0, 2.0, 78)]
    A = rotated(lam, 3)
    one = certified_index(A, 0.05, rng=9, restarts=2, workers=1)
    two = certified_index(A, 0.05, rng=9, restarts=2, workers=2)
    assert one["index"] == 2
    for k in one:
        a, b = one[k], two[k]
        assert (np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b), k


def test_budgets_stop_with_what_they_have():
    rng = np.random.default_rng(4)
    lam = np.r_[[-1.0, -0.5, -0.25], rng.uniform(0.0, 2.0, 197)]
    A = rotated(lam, 4)
    full = certified_index(A, 0.05, rng=1, restarts=2)
    assert full["index"] == 3
    c = certified_index(A, 0.05, rng=1, restarts=2, max_hvps=full["hvps"] // 2)
    assert c["stop_reason"] == "max-hvps" and c["index"] is None and "HVPs" in c["stop_message"]
    assert c["hvps"] <= full["hvps"] // 2 and 0 <= c["lower"] <= 3
    t = certified_index(A, 0.05, rng=1, restarts=2, max_seconds=1e-9)
    assert t["stop_reason"] == "max-seconds" and t["index"] is None and t["lower"] <= 3


def test_spectrum_passes_what_is_left_of_the_budget_to_the_certificate():
    rng = np.random.default_rng(5)
    lam = np.r_[[-1.0, -0.5, -0.25], rng.uniform(0.0, 2.0, 297)]
    A = rotated(lam, 5)
    free = spectrum(A, method="lanczos", tol=0.05, probes=4, steps=20, rng=2, dense_limit=0)
    assert free["index"] == 3 and free["certificate_stop_reason"] == "certified"
    tight = spectrum(A, method="lanczos", tol=0.05, probes=4, steps=20, rng=2, dense_limit=0,
                     max_hvps=80 + free["hvps"] // 4, width=1000)
    assert tight["certificate_stop_reason"] == "max-hvps" and tight["hvps"] <= 80 + free["hvps"] // 4
    assert tight["index"] is None and tight["index_lo"] <= 3


def test_auto_skips_the_certificate_only_when_slq_puts_the_index_far_above_max_count():
    """A bulk of 60 eigenvalues below −τ with max_count = 5: SLQ's lower end (> 10) says the certificate
    would decline; auto does not start it, lanczos still tries (and declines with a proven lower bound)."""
    rng = np.random.default_rng(6)
    lam = np.r_[rng.uniform(-2.0, -0.5, 60), rng.uniform(0.5, 2.0, 140)]
    A = rotated(lam, 6)
    auto = spectrum(A, method="auto", tol=0.05, probes=6, steps=30, rng=3, dense_limit=0, max_count=5)
    assert auto["index_lo"] > 10 and auto["certificate_stop_reason"] == "cannot"
    assert "not tried" in auto["certificate_stop_message"] and auto["index_status"] == "slq"
    lan = spectrum(A, method="lanczos", tol=0.05, probes=6, steps=30, rng=3, dense_limit=0, max_count=5)
    assert lan["certificate_stop_reason"] == "cannot" and "not tried" not in lan["certificate_stop_message"]
    assert lan["index"] is None and 5 < lan["index_lo"] <= 60
    # negative control: max_count above the SLQ interval -> auto tries and certifies
    tried = spectrum(A, method="auto", tol=0.05, probes=6, steps=30, rng=3, dense_limit=0, max_count=70)
    assert tried["certificate_stop_reason"] == "certified" and tried["index"] == 60


def test_merge_deflates_only_converged_ritz_pairs_below_minus_tau():
    """Two runs' vectors: both near v₁ (λ = −2), one also v₂ (λ = −1), and a run holding an unconverged
    mix of two close eigenvectors (λ = −0.60, −0.59: residual 5·10⁻³, above the test 0.1τ/√(c+1) ≈ 7·10⁻⁴
    and below τ). Rayleigh–Ritz on their span keeps v₁ and v₂ only, each once, with H applied by linearity."""
    from saddlesim.curvature.certify import _deflate

    n, tau = 40, 0.05
    lam = np.r_[-2.0, -1.0, -0.60, -0.59, np.linspace(0.1, 2.0, n - 4)]
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * lam) @ Q.T
    v = Q.T                                                  # rows: eigenvectors
    w = rng.standard_normal(n)
    w -= (v[:1] @ w) @ v[:1]
    a1 = v[0] + 1e-10 * w / np.linalg.norm(w)
    a1 /= np.linalg.norm(a1)
    mix = (v[2] + v[3]) / np.sqrt(2)
    runs = [{"U": a1[None, :], "HU": (A @ a1)[None, :]},
            {"U": np.vstack([v[0], v[1], mix]), "HU": np.vstack([A @ v[0], A @ v[1], A @ mix])}]
    Y, HY = _deflate(np.empty((0, n)), np.empty((0, n)), runs, tau, 50)
    assert Y.shape == (2, n)
    np.testing.assert_allclose(Y @ Y.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(HY, Y @ A, atol=1e-12)
    np.testing.assert_allclose(np.sort(np.diag(Y @ HY.T)), [-2.0, -1.0], atol=1e-12)
