"""The τ table: exact counts from eigenvalues, covering intervals from one SLQ run, relative decades."""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature.slq import slq
from saddlesim.curvature.thresholds import FLOOR_RTOL, count_table, tau_grid


def _matrix(lam, seed=0):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((lam.size, lam.size)))
    return (Q * lam) @ Q.T


# eigenvalues in every decade between the floor and max|λ| = 2, both signs
LAM = np.concatenate([-2.0 * 10.0 ** -np.arange(0.125, 9, 0.25), 1.5 * 10.0 ** -np.arange(0.1, 9, 0.5), [2.0]])


def test_grid_is_relative_decades_from_the_floor_to_a_tenth():
    g = tau_grid(3.0)
    assert g == pytest.approx(3.0 * np.array([FLOOR_RTOL, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]), rel=1e-15)
    assert tau_grid(0.0).size == 0


def test_dense_table_counts_exactly():
    rows = count_table(LAM)
    for r in rows:
        assert r["index"] == int(np.sum(LAM < -r["tau"])) == r["index_lo"] == r["index_hi"]
        assert r["nullity"] == int(np.sum(np.abs(LAM) <= r["tau"]))
    assert rows[4]["rtol"] == pytest.approx(1e-4) and rows[4]["tau"] == pytest.approx(2e-4)


def test_slq_table_covers_the_exact_counts_at_every_tau_from_one_run():
    A = _matrix(LAM)
    res = slq(A, probes=20, steps=30, rng=1)
    rows = count_table(res, scale=2.0)
    assert [r["tau"] for r in rows] == pytest.approx(list(tau_grid(2.0)))
    widths = []
    for r in rows:
        exact_idx = int(np.sum(LAM < -r["tau"]))
        exact_null = int(np.sum(np.abs(LAM) <= r["tau"]))
        assert r["index_lo"] <= exact_idx <= r["index_hi"], r
        assert r["nullity_lo"] <= exact_null <= r["nullity_hi"], r
        widths.append(r["index_hi"] - r["index_lo"])
    assert max(widths) > 0          # an SLQ interval, not a dense count
