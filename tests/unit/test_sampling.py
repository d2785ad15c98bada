import numpy as np
import pytest

from saddlesim.index.inertia import DEGENERATE
from saddlesim.models import Model
from saddlesim.index.sampling import index_histogram, sample_index

MODELS = ["independent", "goe", "gue", "gse", Model("beta", beta=0.7)]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("n", [1, 3, 30])
def test_shape_range_and_reproducibility(model, n):
    a = sample_index(model, n, 500, rng=1)
    assert a.shape == (500,) and a.dtype == np.int64
    assert np.all((a >= 0) & (a <= n))
    np.testing.assert_array_equal(a, sample_index(model, n, 500, rng=1))
    assert sample_index(model, n, 0, rng=1).shape == (0,)


def test_blocks_do_not_change_the_law_of_large_batches(monkeypatch):
    import saddlesim.index.sampling as s

    monkeypatch.setattr(s, "BLOCK_ELEMENTS", 64)  # many tiny blocks
    idx = sample_index("goe", 8, 1000, rng=2)
    assert idx.shape == (1000,) and np.all((idx >= 0) & (idx <= 8))


def test_dense_method_for_named_ensembles_only():
    for model in ["independent", "goe", "gue", "gse"]:
        assert sample_index(model, 3, 10, rng=3, method="dense").shape == (10,)
    with pytest.raises(ValueError, match="dense"):
        sample_index(Model("beta", beta=3.0), 3, 10, method="dense")
    with pytest.raises(ValueError, match="unknown method"):
        sample_index("goe", 3, 10, method="qr")


def test_huge_tolerance_makes_everything_degenerate():
    assert np.all(sample_index("goe", 4, 50, rng=4, tol=1e6) == DEGENERATE)
    assert np.all(sample_index("goe", 4, 50, rng=4, method="dense", tol=1e6) == DEGENERATE)


@pytest.mark.parametrize(
    "args, match",
    [
        (("goe", 0, 10), "n must be"),
        (("goe", 3, -1), "size must be"),
        (("wishart", 3, 10), "unknown model"),
        (("goe", 3, 10.5), "size must be an integer"),
    ],
)
def test_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        sample_index(*args)


def test_index_histogram():
    np.testing.assert_array_equal(index_histogram([0, 2, 2, -1, 3], 3), [1, 0, 2, 1, 1])
    np.testing.assert_array_equal(index_histogram([], 2), [0, 0, 0, 0])
    with pytest.raises(ValueError, match="indices"):
        index_histogram([4], 3)
    # additive over batches
    a, b = sample_index("goe", 4, 300, rng=5), sample_index("goe", 4, 200, rng=6)
    np.testing.assert_array_equal(
        index_histogram(np.concatenate([a, b]), 4), index_histogram(a, 4) + index_histogram(b, 4)
    )
