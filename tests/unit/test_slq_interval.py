"""The SLQ interval's width and coverage with few probes (saddlesim/curvature/slq.py: count_interval).

Every reported interval is mean ± t_{1−α/2, P−1} · sd / √P of per-probe
numbers. With few probes (P = 2, 3, 5) the Student quantile differs most from
its neighbours (t_{.975} = 12.71, 4.30, 2.78 at 1, 2, 4 degrees of freedom;
3.18 at 3, 1.96 for the normal), so the width pins the degrees of freedom.
The quantiles are computed here from ``scipy.stats.t`` and checked against
tabulated values; the per-probe numbers from :func:`probe_counts`.

Smallest slips caught: P (or P − 2, or ∞) degrees of freedom for P − 1; the
one-sided quantile (confidence instead of ½ + confidence/2); ddof 0 for 1;
sd/P or sd without /√P; lo built from the upper bounds (or hi from the
lower); the probe-noise interval centred off the estimate; the clip at n
dropped. Coverage over 300 probe sets at P = 3 and 5 (≥ 88 %: 5σ below the
≈ 95 % measured) catches the normal quantile (≈ 76 % / 88 % measured).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from saddlesim.curvature.slq import count_interval, probe_counts, slq
from tests.matrices import rotated

T975 = {1: 12.7062047362, 2: 4.30265272975, 4: 2.77644510520}


def test_tabulated_quantiles():
    """The oracle's own check: scipy's t quantiles are the tabulated ones."""
    for dof, v in T975.items():
        assert stats.t.ppf(0.975, dof) == pytest.approx(v, rel=1e-9)


def _per_probe(res, a, b, closed):
    return np.array([probe_counts(al, be, t, w, res.n, a, b, closed=closed)
                     for (al, be), t, w in zip(res.tridiagonals, res.nodes, res.weights)])


@pytest.fixture(scope="module")
def matrix():
    rng = np.random.default_rng(40)
    lam = np.r_[rng.uniform(-3, -1, 100), rng.uniform(-0.05, 0.05, 30), rng.uniform(1, 3, 70)]
    return rotated(lam, 41)


@pytest.mark.parametrize("P", [2, 3, 5])
@pytest.mark.parametrize("confidence", [0.95, 0.8])
def test_interval_width_is_the_exact_student_quantile(matrix, P, confidence):
    """lo, hi, probe_lo, probe_hi and se from the per-probe bounds and t_{½+c/2, P−1}, unclipped here."""
    res = slq(matrix, probes=P, steps=12, rng=1)
    b = res.count_below(-0.3, confidence=confidence)
    per = _per_probe(res, -np.inf, -0.3, closed=False)
    t = stats.t.ppf(0.5 + confidence / 2, P - 1)
    if confidence == 0.95:
        assert t == pytest.approx(T975[P - 1], rel=1e-9)
    sd = per.std(axis=0, ddof=1)
    assert b["estimate"] == pytest.approx(per[:, 0].mean(), rel=1e-12)
    assert b["se"] == pytest.approx(sd[0] / np.sqrt(P), rel=1e-12)
    want = {"probe_lo": per[:, 0].mean() - t * sd[0] / np.sqrt(P), "probe_hi": per[:, 0].mean() + t * sd[0] / np.sqrt(P),
            "lo": per[:, 1].mean() - t * sd[1] / np.sqrt(P), "hi": per[:, 2].mean() + t * sd[2] / np.sqrt(P)}
    for k, v in want.items():
        assert 0 < v < 200, k               # no clipping: the width itself is compared
        assert b[k] == pytest.approx(v, rel=1e-10), k
    np.testing.assert_array_equal(b["per_probe"], per[:, 0])


def test_interval_is_clipped_to_zero_and_n():
    """Two probes of a 10 × 10 matrix with a count that varies widely: t = 12.7 pushes the ends past [0, n]."""
    rng = np.random.default_rng(3)
    A = rotated(np.r_[-np.ones(5), np.ones(5)] * rng.uniform(1, 2, 10), 4)
    res = slq(A, probes=2, steps=10, rng=5)
    b = count_interval(res, -np.inf, 0.0, closed=False)
    per = _per_probe(res, -np.inf, 0.0, closed=False)
    t = T975[1]
    raw_lo = per[:, 1].mean() - t * per[:, 1].std(ddof=1) / np.sqrt(2)
    raw_hi = per[:, 2].mean() + t * per[:, 2].std(ddof=1) / np.sqrt(2)
    assert raw_lo < 0 and raw_hi > 10
    assert (b["lo"], b["hi"]) == (0.0, 10.0)
    assert 0.0 <= b["probe_lo"] <= b["probe_hi"] <= 10.0


def test_closed_band_interval_uses_both_radau_ends(matrix):
    """The near-kernel [−τ, τ] from count_within equals count_interval on the closed band, bounds included."""
    res = slq(matrix, probes=5, steps=15, rng=8)
    z = res.count_within(0.3)
    per = _per_probe(res, -0.3, 0.3, closed=True)
    t = T975[4]
    assert z["lo"] == pytest.approx(max(0.0, per[:, 1].mean() - t * per[:, 1].std(ddof=1) / np.sqrt(5)), abs=1e-10)
    assert z["hi"] == pytest.approx(min(200.0, per[:, 2].mean() + t * per[:, 2].std(ddof=1) / np.sqrt(5)), rel=1e-10)
    assert z["lo"] <= 30 <= z["hi"]


@pytest.mark.parametrize("P, floor", [(3, 0.88), (5, 0.88)])
def test_interval_covers_at_its_level_with_few_probes(P, floor):
    """300 probe sets; the count (10 below −0.3) is covered in ≥ 88 % (measured ≈ 94–96 %).

    Negative control: the normal quantile instead of Student's covers markedly less at P = 3 (≈ 76 %).
    """
    rng = np.random.default_rng(0)
    lam = np.r_[rng.uniform(-3, -1, 10), rng.uniform(-0.05, 0.05, 8), rng.uniform(0.5, 3, 22)]
    A = rotated(lam, 1)
    hit = hit_z = 0
    for child in np.random.SeedSequence(50 + P).spawn(300):
        b = slq(A, probes=P, steps=40, rng=np.random.default_rng(child)).count_below(-0.3)
        hit += b["lo"] <= 10 <= b["hi"]
        hit_z += abs(b["estimate"] - 10) <= stats.norm.ppf(0.975) * b["se"]
    assert hit / 300 >= floor
    if P == 3:
        assert hit_z / 300 < floor


def test_extremes_are_ritz_values_inside_the_spectrum(matrix):
    """extremes = (min first node, max last node): within [λ_min, λ_max] (interlacing) and close to them."""
    lam = np.linalg.eigvalsh(matrix)
    lo, hi = slq(matrix, probes=3, steps=30, rng=2).extremes
    assert lam[0] - 1e-12 <= lo <= lam[0] + 1e-3 * abs(lam[0])
    assert lam[-1] - 1e-3 * abs(lam[-1]) <= hi <= lam[-1] + 1e-12


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_probe_runs_stop_on_an_invariant_krylov_space_at_any_scale(scale):
    """Three distinct eigenvalues: every probe's Krylov space is invariant after 3 steps, whatever |H|."""
    A = rotated(np.repeat([-1.0, 0.5, 2.0], 10), 6) * scale
    res = slq(A, probes=3, steps=10, rng=3)
    assert [len(a) for a, _ in res.tridiagonals] == [3, 3, 3]
    np.testing.assert_allclose(np.sort(res.nodes[0]) / scale, [-1.0, 0.5, 2.0], rtol=1e-10)
    assert res.count_below(0.0)["estimate"] == pytest.approx(np.mean([10 * 3 * w[0] for w in res.weights]),
                                                             rel=1e-10)
