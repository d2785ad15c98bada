"""The compiled Sturm kernels against eigenvalues, across block edges and on the dlaneg path."""

import numpy as np
import pytest

from saddlesim.models.gaussian import draw_tridiagonal_rows
from saddlesim.index.sturm import PIVMIN, count_below, pivots


def _dense(a, b2, j):
    b = np.sqrt(b2[:, j])
    return np.diag(a[:, j]) + np.diag(b, 1) + np.diag(b, -1)


def test_counts_at_many_points_match_eigenvalues_across_blocks():
    """Catches a block edge that skips or repeats draws, or points paired with the wrong draw."""
    rng = np.random.default_rng(20261126)
    n, m, k = 7, 203, 5  # 203 draws: three full blocks of 64 and a ragged one
    a, b2 = draw_tridiagonal_rows(n, m, 1.0, rng)
    points = rng.normal(0.0, 2.0, size=(k, m))
    # one draw in the ragged last block is made singular at its point with a zero
    # off-diagonal next to a zero pivot: 0/0 in the fast loop, the dlaneg path
    a[0, 200], b2[0, 200], points[2, 200] = 1.5, 0.0, 1.5
    got = count_below(a, b2, points)
    lam = np.stack([np.linalg.eigvalsh(_dense(a, b2, j)) for j in range(m)])
    want = (lam[None, :, :] < points[:, :, None]).sum(axis=2)
    assert got.shape == (k, m)
    np.testing.assert_array_equal(got, want)
    # one point per draw (the numpy loop), also through the dlaneg column
    np.testing.assert_array_equal(count_below(a, b2, points[3]), want[3])
    np.testing.assert_array_equal(count_below(a, b2, points[2]), want[2])


def test_numpy_and_compiled_paths_agree_on_zero_pivots():
    """Catches the two paths parting on signed zeros, 0/0 or -inf pivots (integer matrices hit them all)."""
    rng = np.random.default_rng(3)
    n, m = 6, 500
    a = rng.integers(-1, 2, size=(n, m)).astype(float)
    b2 = rng.integers(0, 2, size=(n - 1, m)).astype(float)
    points = np.repeat(np.array([[-1.0], [0.0], [1.0]]), m, axis=1)
    compiled = count_below(a, b2, points)  # 3 points: the numba kernel
    one_by_one = np.stack([count_below(a, b2, p) for p in points])  # the numpy loop
    np.testing.assert_array_equal(compiled, one_by_one)
    lam = np.stack([np.linalg.eigvalsh(_dense(a, b2, j)) for j in range(m)])
    # integer eigenvalues sit exactly at the points; off them the count is exact
    clear = np.all(np.abs(lam[None] - points[:, :, None]) > 1e-9, axis=2)
    want = (lam[None] < points[:, :, None]).sum(axis=2)
    np.testing.assert_array_equal(compiled[clear], want[clear])


def test_plain_sweeps_do_not_import_numba():
    """Catches numba imported on the one-point path: ~128 MB resident in every sweep worker."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from saddlesim.index.sampling import sample_index\n"
        "from saddlesim.index.shifted import sample_index_shifted\n"
        "sample_index('goe', 6, 100, np.random.default_rng(1))\n"
        "sample_index_shifted('goe', 6, 100, 1, shifts=[0.5])\n"
        "assert 'numba' not in sys.modules, 'numba imported'\n"
        "sample_index_shifted('goe', 6, 100, 1, shifts=[0.5, 1.0])\n"
        "assert 'numba' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pivots_multiply_to_the_determinant_and_replace_zeros():
    """Catches a pivot stored at the wrong position or a zero pivot left at zero (log|det| = -inf)."""
    rng = np.random.default_rng(7)
    n, m = 5, 70
    a, b2 = draw_tridiagonal_rows(n, m, 1.0, rng)
    x = rng.normal(size=(2, m))
    d = pivots(a, b2, x)
    assert d.shape == (n, 2, m)
    for p in range(2):
        for j in (0, 63, 64, 69):
            ref = np.linalg.slogdet(_dense(a, b2, j) - x[p, j] * np.eye(n))[1]
            assert np.log(np.abs(d[:, p, j])).sum() == pytest.approx(ref, rel=1e-10, abs=1e-9)
    # the 2x2 zero matrix at x = 0: both pivots are zeros, replaced by +pivmin
    z = pivots(np.zeros((2, 1)), np.zeros((1, 1)), np.zeros((1, 1)))
    np.testing.assert_array_equal(z[:, 0, 0], [PIVMIN, PIVMIN])
    # a zero pivot before b^2 = 4: the pair must multiply to -b^2, not overflow to inf
    d = pivots(np.zeros((2, 1)), np.full((1, 1), 4.0), np.zeros((1, 1)))[:, 0, 0]
    assert np.isfinite(d).all() and np.log(np.abs(d)).sum() == pytest.approx(np.log(4.0))
