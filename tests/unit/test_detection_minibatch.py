"""Minibatch Hessians of the tanh network: exact at b = m, unbiased, reproducible, validated."""

from itertools import combinations

import numpy as np
import pytest

from saddlesim.detection.minibatch import minibatch_hessian, minibatch_hessians, subset_hessian
from saddlesim.landscapes.mlp import tanh_mlp


def _net(m=5, rng=3):
    net = tanh_mlp(d=2, h=2, m=m, rng=rng)
    x = net.random_point(np.random.default_rng(4)) + 0.3  # off the teacher: residuals contribute
    return net, x


def test_full_batch_is_the_exact_hessian_bit_for_bit():
    """b = m reproduces net.hessian(x): catches a normalisation by anything but the batch's own size
    (e.g. 1/(2·b·o) mixed with m) and rows reordered or duplicated."""
    net, x = _net(m=12)
    H = net.hessian(x)
    for seed in (0, 1, 2):
        assert np.array_equal(minibatch_hessian(net, x, 12, rng=seed), H)
    assert np.abs(H).max() > 1e-2  # a meaningful Hessian, not zeros


def test_average_over_all_subsets_is_the_full_hessian():
    """Exact unbiasedness: the mean of Ĥ_B over all C(5, 2) = 10 subsets equals ∇²L to 1e-12.
    Catches a sum-normalised batch loss (mean would be (b/m)∇²L = 0.4∇²L) or 1/m instead of 1/b."""
    net, x = _net()
    H = net.hessian(x)
    subsets = list(combinations(range(5), 2))
    mean = np.mean([subset_hessian(net, x, s) for s in subsets], axis=0)
    assert np.allclose(mean, H, rtol=0, atol=1e-12 * np.abs(H).max())
    # a single subset is not the full Hessian: the test has something to average
    assert np.abs(subset_hessian(net, x, subsets[0]) - H).max() > 1e-3 * np.abs(H).max()


def test_draws_are_uniform_subsets_without_replacement():
    """Every drawn Ĥ is the Hessian of some 2-row subset of distinct rows (catches replace=True: a
    repeated row matches none of them), each of the 10 subsets is drawn at its rate 1/10 within 6σ
    (catches a sampler stuck on some rows), and the Monte Carlo mean is within 6 standard errors of
    ∇²L in every entry, with the standard errors from the exact variance over subsets. The smallest
    error it is sure to catch is a bias of 6 SE; a sum normalisation (bias 0.6|∇²L|) is far beyond."""
    net, x = _net()
    H = net.hessian(x)
    subsets = list(combinations(range(5), 2))
    exact = np.array([subset_hessian(net, x, s) for s in subsets])
    N = 4000
    draws = minibatch_hessians(net, x, 2, N, rng=np.random.SeedSequence(7))
    dist = np.abs(draws[:, None] - exact[None]).max(axis=(2, 3))
    which = dist.argmin(axis=1)
    assert np.all(dist[np.arange(N), which] < 1e-12)
    freq = np.bincount(which, minlength=10) / N
    assert np.all(np.abs(freq - 0.1) < 6 * np.sqrt(0.1 * 0.9 / N))
    se = exact.std(axis=0) / np.sqrt(N)
    mask = se > 0
    assert mask.sum() > 10
    z = np.abs(draws.mean(axis=0) - H)[mask] / se[mask]
    assert z.max() < 6
    # negative control: the sum-normalised estimator (b/m)·Ĥ is caught by the same bound
    z_bad = np.abs(0.4 * draws.mean(axis=0) - H)[mask] / se[mask]
    assert z_bad.max() > 6


def test_same_rng_same_result_different_rng_different_rows():
    net, x = _net(m=12)
    a = minibatch_hessians(net, x, 4, 5, rng=np.random.SeedSequence(1, spawn_key=(2,)))
    b = minibatch_hessians(net, x, 4, 5, rng=np.random.SeedSequence(1, spawn_key=(2,)))
    c = minibatch_hessians(net, x, 4, 5, rng=np.random.SeedSequence(1, spawn_key=(3,)))
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)
    # successive draws from one stream use different rows
    assert not np.allclose(a[0], a[1])
    assert np.allclose(a, np.swapaxes(a, 1, 2))


@pytest.mark.parametrize("b", [0, -1, 13, 2.5, 4.0, "4", True, None])
def test_bad_batch_size_is_a_clear_value_error(b):
    net, x = _net(m=12)
    with pytest.raises(ValueError, match="batch size b"):
        minibatch_hessian(net, x, b, rng=0)


def test_bad_draws_and_landscape():
    net, x = _net(m=12)
    with pytest.raises(ValueError, match="draws"):
        minibatch_hessians(net, x, 4, 0, rng=0)
    from saddlesim.landscapes import make_landscape

    ps = make_landscape("pspin", 0, N=4, p=3)
    with pytest.raises(ValueError, match="TanhMLP"):
        minibatch_hessian(ps, np.ones(4) / 2, 2, rng=0)


# -- the experiment's tanh rows ---------------------------------------------------------------------

MLP_SPEC = {
    "kind": "min_detection", "name": "t", "seed": 5, "n": [3], "samples": 200, "chunk": 200,
    "noise": [0.0], "fd_steps": [1e-3], "tol": [0.0], "pspin_instances": 0,
    "mlp": {"d": 3, "h": 2, "m": 32}, "mlp_instances": 2, "mlp_starts": 10, "batch": [4, 16, "full"],
    "batch_draws": 4, "batch_tol": [0.0, 1e-8],
}


def test_mlp_rows_count_every_point_per_draw_and_see_the_rank_limit():
    """Every (b, τ) row counts points × draws with the same truth (catches draws dropped or the full batch
    counted once); the teacher is a strict minimum found at every instance, recalled from the full-data
    Hessian at τ = 0; and at b = 4 < 11 parameters a zero-loss point's minibatch Hessian J_BᵀJ_B/b has
    rank <= 4, so at τ = 1e-8 no minimum is ever predicted (catches a minibatch that secretly uses all rows)."""
    from saddlesim.kinds.min_detection import detection_tables

    conf, met, cfg = detection_tables(MLP_SPEC)
    assert cfg["batch_sizes"] == [4, 16, 32]
    rows = met[met.estimator == "mlp-batch"]
    assert len(rows) == 6 and (rows.n == 11).all()
    assert rows.samples.nunique() == 1 and rows.samples.iloc[0] % 4 == 0
    truth = conf[conf.estimator == "mlp-batch"].groupby(["level", "tol", "truth"])["count"].sum().unstack()
    assert (truth.nunique() == 1).all()  # the same true points for every b and τ
    assert truth["minimum"].iloc[0] >= 2 * 4  # the teachers, once per draw
    full = rows[(rows.level == 32) & (rows.tol == 0)].iloc[0]
    assert full.recall_minimum == 1
    small = rows[(rows.level == 4) & (rows.tol == 1e-8)].iloc[0]
    assert small.recall_minimum == 0
    assert rows.log10_p_min_exact.isna().all()


@pytest.mark.parametrize(
    "change",
    [{"batch": [0]}, {"batch": [33]}, {"batch": [2.5]}, {"batch": ["half"]}, {"batch": []},
     {"batch_draws": 0}, {"mlp": {"d": 3, "h": 2, "m": 0}}, {"batch_tol": [-1.0]}],
)
def test_bad_batch_spec_is_a_value_error_before_anything_runs(change):
    from saddlesim.kinds.min_detection import detection_tables

    with pytest.raises(ValueError, match="batch|m must|mlp"):
        detection_tables({**MLP_SPEC, **change})


def test_cli_run_with_bad_batch_exits_2_and_writes_nothing(tmp_path):
    from typer.testing import CliRunner

    from saddlesim.cli import app

    f = tmp_path / "bad.toml"
    f.write_text('kind = "min_detection"\nmlp = { d = 3, h = 2, m = 32 }\nbatch = [8, 64]\n')
    r = CliRunner().invoke(app, ["run", str(f), "--out-root", str(tmp_path / "res"), "--quiet"])
    assert r.exit_code == 2
    assert "Error:" in r.output and "batch size b must be in 1..32" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "res" / "bad").exists() or not any((tmp_path / "res" / "bad").iterdir())
