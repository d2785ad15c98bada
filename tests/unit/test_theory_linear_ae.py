"""Deep linear autoencoder: the exact critical set against explicit points and full Hessians."""

import math

import numpy as np
import pytest

from saddlesim.landscapes.linear_ae import LinearAutoencoder
from saddlesim.theory.linear_ae import (
    LINEAR_AE_COLUMNS,
    linear_ae_class,
    linear_ae_class_count,
    linear_ae_critical_set,
    linear_ae_hessian,
    linear_ae_point,
)

TOL = 1e-8  # nonzero Hessian eigenvalues here are >= (2/k) min λ ~ 0.1


def _landscape(k, p, lam, Q=None):
    Q = np.eye(k) if Q is None else Q
    sigma = Q @ np.diag(lam) @ Q.T
    return LinearAutoencoder(np.diag(np.sqrt(lam)) @ Q.T, p), sigma


def test_hessian_matches_landscape_and_finite_differences():
    k, p = 5, 3
    rng = np.random.default_rng(0)
    land, sigma = _landscape(k, p, np.arange(1.0, k + 1))
    np.testing.assert_allclose(land.sigma, sigma, atol=1e-12)
    x = rng.standard_normal(2 * p * k)
    H = linear_ae_hessian(*land.split(x), sigma)
    np.testing.assert_allclose(H, land.hessian(x), atol=1e-10)
    h = 1e-5
    fd = np.array([(land.gradient(x + h * e) - land.gradient(x - h * e)) / (2 * h) for e in np.eye(x.size)])
    np.testing.assert_allclose(H, fd, atol=1e-6)


def _check_every_class(k, p, lam, Q=None):
    land, sigma = _landscape(k, p, lam, Q)
    df = linear_ae_critical_set(k, p, lam)
    assert len(df) == linear_ae_class_count(k, p)
    mismatches = []
    for r in df.itertuples():
        W1, W2 = linear_ae_point(r.subset, k, p, Q)
        x = LinearAutoencoder.join(W1, W2)
        assert np.abs(land.gradient(x)).max() < 1e-12
        assert land.value(x) == pytest.approx(r.loss, abs=1e-12)
        ev = np.linalg.eigvalsh(linear_ae_hessian(W1, W2, sigma))
        got = (int((ev < -TOL).sum()), int((np.abs(ev) <= TOL).sum()), int((ev > TOL).sum()))
        if got != (r.index, r.nullity, r.positive):
            mismatches.append((r.subset, got, (r.index, r.nullity, r.positive)))
    return mismatches


@pytest.mark.parametrize("k,p", [(5, 3), (6, 4), (4, 4), (3, 1), (6, 2)])
def test_index_and_nullity_formulas_for_every_class(k, p):
    """Every subset: explicit point is critical, loss exact, and the full Hessian's
    (negative, zero, positive) counts equal the formulas. Catches a missing
    (p-m)(k-m) dead-unit term, nullity p² instead of p²-(p-m)², or a reversed
    comparison λ_j > λ_i."""
    assert _check_every_class(k, p, np.arange(1.0, k + 1)) == []


def test_general_spectrum_and_rotated_sigma():
    k, p = 5, 2
    rng = np.random.default_rng(5)
    lam = np.sort(rng.uniform(0.2, 3.0, k))
    Q, _ = np.linalg.qr(rng.standard_normal((k, k)))
    assert _check_every_class(k, p, lam, Q) == []


def test_negative_control_baldi_hornik_term_alone_is_wrong_below_full_rank():
    # Without the dead-unit term the index would be wrong at every m < p.
    k, p = 5, 3
    lam = np.arange(1.0, k + 1)
    W1, W2 = linear_ae_point((2,), k, p)
    ev = np.linalg.eigvalsh(linear_ae_hessian(W1, W2, np.diag(lam)))
    bh_only = sum(1 for j in range(1, k + 1) if j != 2 and lam[j - 1] > lam[1])
    assert int((ev < -TOL).sum()) != bh_only
    assert int((ev < -TOL).sum()) == linear_ae_class((2,), k, p)["index"]


def test_frye_case_k16_p4():
    df = linear_ae_critical_set(16, 4)
    assert list(df.columns) == list(LINEAR_AE_COLUMNS)
    assert len(df) == 2517 == sum(math.comb(16, m) for m in range(5))
    best = df.iloc[0]
    assert best["subset"] == (13, 14, 15, 16) and best["index"] == 0 and best["nullity"] == 16
    assert best["loss"] == pytest.approx(sum(range(1, 13)) / 16)
    assert (df["index"] == 0).sum() == 1  # no spurious local minima (Baldi & Hornik)
    origin = df[df["m"] == 0].iloc[0]
    assert origin["index"] == 4 * 16 and origin["nullity"] == 0 and origin["loss"] == pytest.approx(8.5)
    assert np.all(df["index"] + df["nullity"] + df["positive"] == 2 * 4 * 16)
    assert df["loss"].is_monotonic_increasing


def test_bad_input():
    with pytest.raises(ValueError):
        linear_ae_critical_set(3, 4)
    with pytest.raises(ValueError):
        linear_ae_critical_set(3, 2, [1.0, 1.0, 2.0])
    with pytest.raises(ValueError):
        linear_ae_class((1, 2, 3), 5, 2)
    with pytest.raises(ValueError):
        linear_ae_class((0,), 5, 2)


def test_hessian_gap_is_the_smallest_nonzero_curvature_by_count():
    """k = p = 1, L = λ(1 − ab)²: at the origin H = [[0, −2λ], [−2λ, 0]] (gap 2λ, nullity 0);
    at a = b = 1, H = 2λ[[1, 1], [1, 1]] (eigenvalues 0 and 4λ, nullity 1, gap 4λ)."""
    from saddlesim.theory.linear_ae import linear_ae_gap

    assert linear_ae_gap((), 1, 1, [3.0]) == pytest.approx(6.0)
    assert linear_ae_gap((1,), 1, 1, [3.0]) == pytest.approx(12.0)
    # the gap of the digits-like close spectrum shrinks with the closest eigenvalue pair
    assert linear_ae_gap((1,), 2, 1, [1.0, 1.01]) < linear_ae_gap((1,), 2, 1, [1.0, 2.0]) / 10
