import numpy as np
import pytest

from saddlesim.index.classify import (
    LABELS,
    Label,
    classify_eigenvalues,
    classify_matrices,
    classify_tridiagonal,
    labels_from_index,
)


def test_labels_from_index():
    np.testing.assert_array_equal(
        labels_from_index([0, 1, 2, 3, -1], 3), ["minimum", "saddle", "saddle", "maximum", "degenerate"]
    )
    # n = 1: no saddles
    np.testing.assert_array_equal(labels_from_index([0, 1], 1), ["minimum", "maximum"])
    assert LABELS == ("minimum", "maximum", "saddle", "degenerate")
    assert Label.MINIMUM == "minimum"


def test_classify_routes_agree():
    H = np.array([
        np.diag([1.0, 2.0]),
        np.diag([-1.0, -2.0]),
        [[0.0, 1.0], [1.0, 0.0]],
        [[1.0, 1.0], [1.0, 1.0]],
    ])
    expected = ["minimum", "maximum", "saddle", "degenerate"]
    np.testing.assert_array_equal(classify_matrices(H), expected)
    np.testing.assert_array_equal(classify_eigenvalues(np.linalg.eigvalsh(H)), expected)
    d = np.array([[1, 2], [-1, -2], [0, 0], [1, 1]], dtype=float)
    e = np.array([[0], [0], [1], [1]], dtype=float)
    np.testing.assert_array_equal(classify_tridiagonal(d, e), expected)


def test_user_tolerance():
    H = np.diag([1.0, 1e-4])
    assert classify_matrices(H)[0] == "minimum"
    assert classify_matrices(H, tol=1e-3)[0] == "degenerate"


def test_single_matrix_and_errors():
    assert classify_matrices(np.diag([-1.0, 3.0, 2.0])).shape == (1,)
    with pytest.raises(ValueError, match="symmetric"):
        classify_matrices(np.array([[1.0, 5.0], [0.0, 1.0]]))
