import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from saddlesim.index.inertia import (
    DEGENERATE,
    default_tol,
    index_dense,
    index_from_eigenvalues,
    index_tridiagonal,
    sturm_count,
)
from saddlesim.models import haar_orthogonal, tridiagonal_to_dense

small_ints = st.integers(-3, 3).map(float)


@st.composite
def tridiagonals(draw, max_n=8):
    """Integer-valued tridiagonals: zero off-diagonals (reducible, repeated eigenvalues) and
    exactly singular matrices are common."""
    n = draw(st.integers(1, max_n))
    d = draw(arrays(float, n, elements=small_ints))
    e = draw(arrays(float, n - 1, elements=st.sampled_from([0.0, 0.0, 1.0, -1.0, 2.0, 0.5])))
    return d, e


@given(tridiagonals(), st.floats(-4, 4))
def test_sturm_count_equals_eigenvalue_count(T, shift):
    d, e = T
    lam = np.linalg.eigvalsh(tridiagonal_to_dense(d, e))[0]
    # away from eigenvalues the count is exact, whatever the pivots did
    assume(np.min(np.abs(lam - shift)) > 1e-9)
    assert sturm_count(d, e, shift)[0] == np.count_nonzero(lam < shift)


@given(tridiagonals())
def test_index_tridiagonal_agrees_with_dense_route(T):
    d, e = T
    lam = np.linalg.eigvalsh(tridiagonal_to_dense(d, e))[0]
    tol = default_tol(len(d), np.linalg.norm(lam))
    idx = index_tridiagonal(d, e)[0]
    near_zero = np.abs(lam) <= tol
    if np.any(np.abs(np.abs(lam) - tol) < 1e-3 * max(tol, 1e-300)):
        return  # eigenvalue on the band edge: either label is defensible
    if near_zero.any():
        assert idx == DEGENERATE
    else:
        assert idx == np.count_nonzero(lam < 0)
    # the strict count at 0 with exactly singular matrices lies between the band counts
    c = sturm_count(d, e, 0.0)[0]
    assert np.count_nonzero(lam < -1e-9) <= c <= np.count_nonzero(lam < 1e-9)


@given(arrays(float, (4, 4), elements=st.floats(-10, 10)), st.integers(0, 2**32 - 1))
def test_index_invariant_under_orthogonal_conjugation(A, seed):
    H = (A + A.T) / 2
    lam = np.linalg.eigvalsh(H)
    assume(np.min(np.abs(lam)) > 1e-6 * max(1.0, np.abs(lam).max()))
    Q = haar_orthogonal(4, 1, rng=seed)[0]
    assert index_dense(Q @ H @ Q.T)[0] == index_dense(H)[0] == np.count_nonzero(lam < 0)


def test_zero_pivot_cases():
    # d1 = 0 with nonzero coupling: [[0,1],[1,0]] has eigenvalues ±1
    assert sturm_count([0.0, 0.0], [1.0])[0] == 1
    # zero pivot next to a zero off-diagonal: 0/0 would be NaN without the safe path
    assert sturm_count([0.0, 0.0, -1.0], [0.0, 0.0])[0] == 1
    assert sturm_count([0.0, 1.0, -1.0, 0.0], [0.0, 1.0, 0.0])[0] == np.count_nonzero(
        np.linalg.eigvalsh(tridiagonal_to_dense([0.0, 1.0, -1.0, 0.0], [0.0, 1.0, 0.0])[0]) < -1e-12
    )
    # signed zero on the diagonal is a zero, not a negative
    assert sturm_count([-0.0, 2.0], [1.0])[0] == 1  # eigenvalues 1 ± √2
    # exactly singular: [[1,1],[1,1]] has eigenvalues 0 and 2
    assert sturm_count([1.0, 1.0], [1.0])[0] == 0
    assert index_tridiagonal([1.0, 1.0], [1.0])[0] == DEGENERATE
    assert index_tridiagonal([0.0], [])[0] == DEGENERATE  # zero matrix, tol = 0
    assert not np.any(np.isnan(sturm_count(np.zeros((3, 5)), np.zeros((3, 4)))))


def test_huge_and_tiny_entries_do_not_overflow():
    d = np.array([1e-300, -1e300, 1.0])
    e = np.array([1e-300, 1e150])
    lam = np.linalg.eigvalsh(tridiagonal_to_dense(d, e))[0]
    assert sturm_count(d, e, 0.0)[0] == np.count_nonzero(lam < 0)


def test_index_from_eigenvalues_and_tolerance():
    lam = np.array([[1.0, -2.0, 3.0], [1.0, 1e-20, -1.0], [1.0, 1e-3, 2.0]])
    np.testing.assert_array_equal(index_from_eigenvalues(lam), [1, DEGENERATE, 0])
    np.testing.assert_array_equal(index_from_eigenvalues(lam, tol=1e-2), [1, DEGENERATE, DEGENERATE])
    np.testing.assert_array_equal(index_from_eigenvalues(lam, tol=0), [1, 1, 0])
    # the default scales with the matrix: 1e-20 is not degenerate in a matrix of scale 1e-18
    assert index_from_eigenvalues([1e-18, -1e-20])[0] == 1


@pytest.mark.parametrize(
    "H, match",
    [
        (np.ones((2, 3)), "square"),
        (np.ones((2, 2, 3)), "square"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "not symmetric"),
        (np.array([[np.nan, 0.0], [0.0, 1.0]]), "NaN"),
        (np.array([[np.inf, 0.0], [0.0, 1.0]]), "NaN or infinite"),
        (np.ones(3), "shape"),
        (np.array(["a", "b"]), "numeric"),
        (np.zeros((0, 0)), "n >= 1"),
    ],
)
def test_dense_validation(H, match):
    with pytest.raises(ValueError, match=match):
        index_dense(H)


def test_ragged_input_is_rejected():
    with pytest.raises(ValueError):
        index_dense([[1.0, 0.0], [0.0]])


def test_tridiagonal_validation():
    with pytest.raises(ValueError, match="offdiag must have shape"):
        index_tridiagonal(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        sturm_count([1.0, np.nan], [1.0])
    with pytest.raises(ValueError, match="tol"):
        index_tridiagonal([1.0], [], tol=-1)


def test_hermitian_dense_index():
    H = np.array([[1.0, 2j], [-2j, 1.0]])  # eigenvalues -1, 3
    assert index_dense(H)[0] == 1


@pytest.mark.parametrize(
    "d, e, expected",
    [([0.0], [], DEGENERATE), ([1.0, 1.0], [1.0], DEGENERATE), ([0.0, 2.0], [0.0], DEGENERATE),
     ([-0.0, 2.0], [0.0], DEGENERATE), ([2.0, 0.0, 3.0], [1.0, 0.0], 1), ([1.0, -2.0], [0.5], 1),
     ([-1.0, 0.0, -1.0], [1.0, 1.0], 2)],
)
def test_three_routes_agree_at_tol_zero(d, e, expected):
    """tol = 0 means 'exactly singular': every route flags exactly the matrices with a zero eigenvalue.

    [[1, 1], [1, 1]] (eigenvalues 0, 2) is the case an upper shift nudged by
    one ulp got wrong: 1 − 5e−324 rounds to 1, so the Sturm route saw no
    eigenvalue at 0 while the eigenvalue and dense routes did.
    """
    assert index_tridiagonal(d, e, tol=0)[0] == expected
    assert index_dense(tridiagonal_to_dense(d, e), tol=0)[0] == expected


def test_band_is_closed_at_both_ends_on_every_route():
    """An eigenvalue exactly at ±tol is degenerate (|λ| <= tol), whichever route computes it."""
    for lam0 in (0.5, -0.5):
        assert index_from_eigenvalues([lam0, 3.0], tol=0.5)[0] == DEGENERATE
        assert index_tridiagonal([lam0, 3.0], [0.0], tol=0.5)[0] == DEGENERATE
        assert index_dense(np.diag([lam0, 3.0]), tol=0.5)[0] == DEGENERATE
    # just outside the band: a definite sign
    assert index_tridiagonal([-0.5000001, 3.0], [0.0], tol=0.5)[0] == 1
    assert index_tridiagonal([0.5000001, 3.0], [0.0], tol=0.5)[0] == 0


def test_default_tolerance_is_n_eps_frobenius_on_every_route():
    """The default band is n·eps·‖H‖_F, with the tridiagonal norm counting each off-diagonal twice.

    T = [[0, 1, 0], [1, 0, 0], [0, 0, mu]] has eigenvalues ±1 and mu exactly
    (the zero coupling decouples mu) and ‖T‖_F = √(2 + mu²). With n = 3 the
    band is 3·eps·√2 ≈ 9.4e-16: mu = 8e-16 lies inside it, but outside
    eps·√2 (n dropped) and outside 3·eps·1 (off-diagonal counted once);
    mu = 1e-15 lies outside.
    """
    eps = np.finfo(float).eps
    for mu, inside in ((8e-16, True), (1e-15, False)):
        assert (3 * eps * np.sqrt(2 + mu * mu) >= mu) == inside  # the premise
        expected = DEGENERATE if inside else 1
        assert index_tridiagonal([0.0, 0.0, mu], [1.0, 0.0])[0] == expected
        assert index_from_eigenvalues([mu, 1.0, -1.0])[0] == expected
        assert index_dense(tridiagonal_to_dense([0.0, 0.0, mu], [1.0, 0.0]))[0] == expected
    np.testing.assert_allclose(default_tol(3, [np.sqrt(2.0)]), 3 * eps * np.sqrt(2.0), rtol=1e-15)
