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
