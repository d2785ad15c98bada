"""The researcher's path: pytree flattening, batches, float64, coin-flip numbers, the τ rule."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import special, stats

jax = pytest.importorskip("jax")

import saddlesim  # noqa: E402
from saddlesim.landscapes.autodiff import import_jax  # noqa: E402
from saddlesim.networks import NetworkLoss, coin_flip  # noqa: E402
from saddlesim.networks.pytree import Flattener  # noqa: E402

import_jax()
jnp = jax.numpy


def _data(rows=100, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, 6))
    Y = np.eye(3)[rng.integers(0, 3, rows)]
    return X, Y


def _params(seed=1):
    rng = np.random.default_rng(seed)
    # insertion order deliberately not sorted: ravel_pytree sorts dict keys
    return {"out": {"W": rng.standard_normal((5, 3)), "b": 0.1 * rng.standard_normal(3)},
            "hidden": {"W": rng.standard_normal((6, 5)), "b": 0.1 * rng.standard_normal(5)}}


def loss(p, batch):
    X, Y = batch
    h = jnp.tanh(X @ p["hidden"]["W"] + p["hidden"]["b"])
    z = h @ p["out"]["W"] + p["out"]["b"]
    return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 1e-3 * jnp.sum(p["out"]["W"] ** 2)


def flat_loss_factory(X, Y):
    """The same model as a flat-vector loss, flattened by hand in ravel_pytree's order (sorted keys)."""
    def f(x):
        hW, hb = x[:30].reshape(6, 5), x[30:35]
        oW, ob = x[35:50].reshape(5, 3), x[50:53]
        h = jnp.tanh(X @ hW + hb)
        z = h @ oW + ob
        return jnp.mean(jax.nn.logsumexp(z, axis=1) - jnp.sum(z * Y, axis=1)) + 1e-3 * jnp.sum(oW ** 2)
    return f


def _by_hand(p):
    return np.concatenate([p["hidden"]["W"].ravel(), p["hidden"]["b"], p["out"]["W"].ravel(), p["out"]["b"]])


# --- flattening -----------------------------------------------------------------

def test_flatten_order_is_sorted_keys_and_round_trips():
    p = _params()
    fl = Flattener(p)
    assert np.array_equal(fl.x0, _by_hand(p))          # insertion order would put "out" first
    back = fl.to_pytree(fl.x0)
    assert jax.tree_util.tree_structure(back) == jax.tree_util.tree_structure(p)
    for a, b in zip(jax.tree_util.tree_leaves(back), jax.tree_util.tree_leaves(p)):
        assert np.array_equal(np.asarray(a), b)
    X, Y = _data()
    land = NetworkLoss(loss, p, (X, Y))
    assert land.value(land.x0) == pytest.approx(float(flat_loss_factory(X, Y)(jnp.asarray(_by_hand(p)))), rel=1e-14)


def test_npz_arrays_load_in_the_tree_order_whatever_the_file_order(tmp_path):
    p = _params()
    fl = Flattener(p)
    v = np.arange(fl.n, dtype=float)
    fl.save_npz(tmp_path / "v.npz", v)
    with np.load(tmp_path / "v.npz") as z:
        arrays = {k: z[k] for k in reversed(z.files)}      # a file written in another order
    assert list(arrays) != fl.paths
    assert np.array_equal(fl.from_arrays(arrays), v)
    with pytest.raises(ValueError, match="missing"):
        fl.from_arrays({k: a for k, a in list(arrays.items())[1:]})


def test_integer_leaves_are_refused_in_one_line():
    with pytest.raises(ValueError, match="not a float array"):
        Flattener({"w": np.ones(3), "step": np.int32(4)})


# --- batches ----------------------------------------------------------------------

def test_four_unequal_batches_equal_the_full_batch_and_equal_weighting_would_not():
    X, Y = _data(100)
    p = _params()
    full = NetworkLoss(loss, p, (X, Y))
    cuts = [0, 40, 80, 90, 100]                          # sizes 40, 40, 10, 10: two shapes, two compilations
    batches = [(X[a:b], Y[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]
    parts = NetworkLoss(loss, p, batches=batches)
    x = full.x0
    v = np.random.default_rng(2).standard_normal(full.dim)
    assert np.allclose(parts.weights, np.diff(cuts) / 100, rtol=0, atol=1e-15)
    assert abs(parts.value(x) - full.value(x)) <= 1e-12
    assert np.max(np.abs(parts.gradient(x) - full.gradient(x))) <= 1e-12
    assert np.max(np.abs(parts.hvp(x, v) - full.hvp(x, v))) <= 1e-12
    # the test has teeth: batches averaged equally give another loss
    equal = np.mean([float(parts._f(jnp.asarray(x), b)) for b in parts._batches])
    assert abs(equal - full.value(x)) > 1e-4


def test_dense_hessian_from_hvp_blocks_equals_jax_hessian():
    X, Y = _data(60)
    p = _params()
    land = NetworkLoss(loss, p, (X, Y))
    H = np.asarray(jax.jit(jax.hessian(flat_loss_factory(jnp.asarray(X), jnp.asarray(Y))))(jnp.asarray(land.x0)))
    for block in (8, 64):                                 # does not divide n = 53; larger than n
        assert np.max(np.abs(land.hessian(land.x0, block=block) - H)) <= 1e-12


def test_a_batch_whose_arrays_disagree_on_rows_is_refused():
    X, Y = _data(10)
    with pytest.raises(ValueError, match="leading dimension"):
        NetworkLoss(loss, _params(), batches=[(X, Y[:9])])
    with pytest.raises(ValueError, match="not both"):
        NetworkLoss(loss, _params(), (X, Y), batches=[(X, Y)])


# --- float64 ----------------------------------------------------------------------

def test_float32_params_and_data_are_cast_with_a_note_and_the_verdict_is_float64():
    X, Y = _data()
    p32 = jax.tree_util.tree_map(lambda a: np.asarray(a, dtype=np.float32), _params())
    with pytest.warns(UserWarning, match="cast to float64"):
        r32 = saddlesim.point(loss, p32, (X.astype(np.float32), Y.astype(np.float32)))
    p64 = jax.tree_util.tree_map(lambda a: np.asarray(a, dtype=np.float64), p32)
    r64 = saddlesim.point(loss, p64, (X.astype(np.float32).astype(np.float64), Y))
    assert r32["loss"] == r64["loss"] and r32["grad_norm"] == r64["grad_norm"]
    assert (r32["index"], r32["nullity"], r32["verdict"]) == (r64["index"], r64["nullity"], r64["verdict"])
    # a float32 computation would differ in the 8th digit
    f32 = float(jax.jit(loss)(jax.tree_util.tree_map(jnp.float32, p32), (jnp.float32(X), jnp.float32(Y))))
    assert abs(f32 - r64["loss"]) > 1e-12 and isinstance(r32["loss"], float)


def test_a_loss_computing_in_float32_is_refused_in_one_line():
    X, Y = _data()

    def loss32(p, b):
        return loss(p, b).astype(jnp.float32)

    with pytest.raises(ValueError, match="float32 for float64") as e:
        NetworkLoss(loss32, _params(), (X, Y))
    assert "\n" not in str(e.value)


# --- coin-flip numbers ---------------------------------------------------------------

@pytest.mark.parametrize("n, k", [(10, 0), (10, 3), (101, 50), (101, 80), (2410, 1100), (2410, 1205), (400, 150)])
def test_coin_flip_numbers_equal_scipy_binomial(n, k):
    c = coin_flip(n, k)
    assert c["coin_mean"] == n / 2 and c["coin_sd"] == pytest.approx(math.sqrt(n) / 2, rel=1e-15)
    assert c["coin_z"] == pytest.approx((k - n / 2) / (math.sqrt(n) / 2), rel=1e-14, abs=1e-15)
    two_sided = min(1.0, 2 * min(stats.binom.cdf(k, n, 0.5), stats.binom.sf(k - 1, n, 0.5)))
    assert 10 ** c["coin_log10_p"] == pytest.approx(two_sided, rel=1e-9)
    assert c["coin_log10_p_min"] == pytest.approx(-n * math.log10(2), rel=1e-15)


def _log10_tail_by_sum(k, n, terms):
    """log10 of 2·P(X ≤ k) for X ~ Bin(n, ½), summing `terms` pmf terms down from k in log space."""
    j = np.arange(max(0, k - terms), k + 1, dtype=float)
    ln = special.gammaln(n + 1) - special.gammaln(j + 1) - special.gammaln(n - j + 1) - n * math.log(2)
    return (special.logsumexp(ln) + math.log(2)) / math.log(10)


@pytest.mark.parametrize("n, k", [(85_002, 4_692), (4_000, 10), (2_410, 49), (2_410, 316),   # 316: subnormal tail
                                  (100_000_000, 49_810_000)])
def test_coin_flip_p_values_far_below_1e_308_in_log_space(n, k):
    got = coin_flip(n, k)["coin_log10_p"]
    want = _log10_tail_by_sum(k, n, terms=min(k, 40_000))
    assert want < -308
    assert got == pytest.approx(want, abs=1e-9 * abs(want))
    # and symmetric: n − k gives the same p
    assert coin_flip(n, n - k)["coin_log10_p"] == pytest.approx(got, rel=1e-12)


def test_coin_flip_against_mpmath_in_the_far_tail():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    n, k = 3000, 40
    s = mpmath.fsum(mpmath.binomial(n, j) for j in range(k + 1))
    want = float(mpmath.log10(2 * s / mpmath.mpf(2) ** n))
    assert coin_flip(n, k)["coin_log10_p"] == pytest.approx(want, abs=1e-10)


def test_least_extreme_end_of_the_interval():
    below = coin_flip(1000, 100, 80.3, 130.7)
    assert below["coin_least_index"] == 130
    assert below["coin_least_log10_p"] == pytest.approx(coin_flip(1000, 130)["coin_log10_p"], rel=1e-14)
    above = coin_flip(1000, 900, 870.2, 950.0)
    assert above["coin_least_index"] == 871
    holds = coin_flip(1001, 480, 400.0, 700.0)
    assert holds["coin_least_index"] in (500, 501) and holds["coin_least_log10_p"] == 0.0
    assert coin_flip(1000, 100)["coin_least_index"] is None


# --- the τ rule ----------------------------------------------------------------------

@pytest.mark.parametrize("c", [1e-6, 1e6])
def test_a_loss_times_a_constant_keeps_its_verdict_and_table(c):
    X, Y = _data()
    p = _params()
    a = saddlesim.point(loss, p, (X, Y))
    b = saddlesim.point(lambda q, d: c * loss(q, d), p, (X, Y))
    keys = ("index", "nullity", "label", "verdict", "coin_z")
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys}
    assert b["null_tol"] == pytest.approx(c * a["null_tol"], rel=1e-9)
    assert [r["index"] for r in a["tau_table"]] == [r["index"] for r in b["tau_table"]]


def test_headline_tau_is_1e_minus_4_of_max_abs_eigenvalue_and_the_table_counts_exactly():
    X, Y = _data()
    land = NetworkLoss(loss, _params(), (X, Y))
    lam = np.linalg.eigvalsh(land.hessian(land.x0))
    r = saddlesim.point(loss, _params(), (X, Y))
    scale = np.max(np.abs(lam))
    assert r["null_tol"] == pytest.approx(1e-4 * scale, rel=1e-12)
    assert r["index"] == int(np.sum(lam < -1e-4 * scale))
    assert [row["rtol"] for row in r["tau_table"]] == pytest.approx([2 ** -26, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1])
    for row in r["tau_table"]:
        assert row["index"] == int(np.sum(lam < -row["tau"]))
        assert row["nullity"] == int(np.sum(np.abs(lam) <= row["tau"]))
    assert "1e-4" in r["tau_rule"]


def test_eigenvector_comes_back_as_the_models_pytree():
    X, Y = _data()
    p = _params()
    r = saddlesim.point(loss, p, (X, Y))
    ev = r["eigenvector_min"]
    assert jax.tree_util.tree_structure(ev) == jax.tree_util.tree_structure(p)
    land = NetworkLoss(loss, p, (X, Y))
    v = Flattener(ev).x0
    assert np.linalg.norm(land.hvp(land.x0, v) - r["lambda_min"] * v) <= 1e-8 * abs(r["lambda_max"])


def test_flat_vector_loss_keeps_working_and_agrees_with_the_pytree_path():
    X, Y = _data()
    p = _params()
    a = saddlesim.point(loss, p, (X, Y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = saddlesim.point(flat_loss_factory(jnp.asarray(X), jnp.asarray(Y)), _by_hand(p))
    assert (a["index"], a["nullity"], a["verdict"]) == (b["index"], b["nullity"], b["verdict"])
    assert a["loss"] == pytest.approx(b["loss"], abs=1e-12)
    assert a["lambda_min"] == pytest.approx(b["lambda_min"], abs=1e-10)


def test_mixed_float32_and_float64_leaves_are_all_computed_in_float64():
    """ravel_pytree's unravel casts each leaf back to its own dtype: a float32 leaf left as such would be float32 inside."""
    X, Y = _data()
    p = _params()
    mixed = {"hidden": p["hidden"], "out": {k: np.asarray(a, dtype=np.float32) for k, a in p["out"].items()}}
    as64 = {"hidden": p["hidden"], "out": {k: np.asarray(a, dtype=np.float64) for k, a in mixed["out"].items()}}
    with pytest.warns(UserWarning, match=r"\['out'\]\['W'\] \(float32\)"):
        a = NetworkLoss(loss, mixed, (X, Y))
    b = NetworkLoss(loss, as64, (X, Y))
    v = np.random.default_rng(5).standard_normal(a.dim)
    assert a.value(a.x0) == b.value(b.x0)
    assert np.array_equal(a.gradient(a.x0), b.gradient(b.x0)) and np.array_equal(a.hvp(a.x0, v), b.hvp(b.x0, v))
    assert all(leaf.dtype == np.float64 for leaf in jax.tree_util.tree_leaves(a.to_pytree(a.x0)))
