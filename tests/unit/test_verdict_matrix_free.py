"""``point_verdict`` above its dense limit: the matrix-free route gives the dense route's verdict."""

from __future__ import annotations

import numpy as np
import pytest

import saddlesim.critical.verdict as verdict

jnp = pytest.importorskip("jax.numpy")


def _land(c, quartic=0.0):
    from saddlesim.landscapes.autodiff import jax_landscape

    c = np.asarray(c, float)
    return jax_landscape(lambda x: 0.5 * jnp.sum(jnp.asarray(c) * x**2) + quartic * jnp.sum(x**4), c.size)


@pytest.mark.parametrize("x_value, quartic", [(0.0, 0.0), (0.3, 0.1)])
def test_matrix_free_matches_dense(monkeypatch, x_value, quartic):
    """Critical (x = 0) and not-critical points: same verdict, label, index, nullity as the dense route."""
    c = np.concatenate([[-2.0, -1.5, -1.0], np.zeros(2), np.linspace(0.5, 3.0, 35)])
    land = _land(c, quartic)
    x = np.full(c.size, x_value)
    dense = verdict.point_verdict(land, x)
    monkeypatch.setattr(verdict, "DENSE_LIMIT", 10)
    free = verdict.point_verdict(land, x)
    assert free["index_status"] == "certified"
    for k in ("verdict", "label", "index", "nullity", "positive"):
        assert free[k] == dense[k], k
    assert free["lambda_min"] == pytest.approx(dense["lambda_min"], rel=1e-8)
    assert free["lambda_max"] == pytest.approx(dense["lambda_max"], rel=1e-8)
    assert free["grad_norm"] == pytest.approx(dense["grad_norm"], rel=1e-12)


def test_above_the_real_limit_never_forms_the_hessian(monkeypatch):
    c = np.concatenate([[-1.0, -0.5], np.linspace(0.5, 2.0, verdict.DENSE_LIMIT)])
    land = _land(c)

    def no_hessian(x):
        raise AssertionError("the Hessian was formed")

    monkeypatch.setattr(land, "hessian", no_hessian)
    v = verdict.point_verdict(land, np.zeros(c.size))
    assert (v["verdict"], v["label"], v["index"], v["nullity"]) == ("critical", "saddle", 2, 0)
