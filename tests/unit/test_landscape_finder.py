"""The critical-point finder on landscapes whose critical points are known exactly.

Each test names the plausible bug it catches.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.index.classify import label_with_nullity
from saddlesim.index.inertia import inertia_from_eigenvalues
from saddlesim.landscapes import make_landscape
from saddlesim.critical.dedup import deduplicate
from saddlesim.critical.find import find_critical_points
from saddlesim.critical.solve import CONVERGED, newton_mr
from saddlesim.critical.starts import descent_path, make_starts
from tests.landscape_helpers import DoubleWell, check_against_exact, exact_autoencoder_set


# -- inertia and labels --------------------------------------------------------------


def test_inertia_counts_null_eigenvalues_apart():
    """Catches a strict/non-strict sign slip (a null eigenvalue counted negative) and a lost count."""
    lam = np.array([[-2.0, -1e-12, 0.0, 1e-12, 3.0], [-1.0, -0.5, 0.5, 1.0, 2.0]])
    neg, zero, pos = inertia_from_eigenvalues(lam, tol=1e-9)
    assert neg.tolist() == [1, 2] and zero.tolist() == [3, 0] and pos.tolist() == [1, 3]
    assert np.all(neg + zero + pos == 5)
    # at the edge: |λ| == tol is null, just outside is not
    n, z, p = inertia_from_eigenvalues([[-1e-9, 1e-9 * (1 + 1e-9)]], tol=1e-9)
    assert (n[0], z[0], p[0]) == (0, 1, 1)


def test_inertia_default_tol_matches_index_rule():
    """The default tolerance is inertia.py's n·eps·‖λ‖ rule: nullity 0 exactly when index_from_eigenvalues ≠ -1."""
    from saddlesim.index.inertia import index_from_eigenvalues

    rng = np.random.default_rng(5)
    lam = rng.standard_normal((200, 6))
    lam[::7, 2] = 1e-17
    neg, zero, _ = inertia_from_eigenvalues(lam)
    idx = index_from_eigenvalues(lam)
    assert np.array_equal(zero > 0, idx == -1)
    assert np.array_equal(neg[idx >= 0], idx[idx >= 0])


@pytest.mark.parametrize(
    "neg, zero, pos, label",
    [
        (0, 0, 4, "minimum"), (4, 0, 0, "maximum"), (1, 0, 3, "saddle"),
        (0, 2, 2, "degenerate minimum"), (2, 2, 0, "degenerate maximum"), (1, 1, 2, "degenerate saddle"),
        (0, 4, 0, "flat"),
    ],
)
def test_label_with_nullity_rule(neg, zero, pos, label):
    """Catches a label read from the wrong count (e.g. 'degenerate minimum' for index > 0)."""
    assert label_with_nullity([neg], [zero], [pos])[0] == label


# -- solver ----------------------------------------------------------------------------


def test_newton_converges_to_saddles_and_maxima_not_only_minima():
    """p = 2 p-spin from random starts: end points of every index, each an exact eigenvector.

    Catches a solver that only descends (it would find index 0 alone) and a
    wrong Riemannian Newton step (no convergence to |grad|^2 <= 1e-10)."""
    L = make_landscape("pspin", rng=3, N=5, p=2)
    rng = np.random.default_rng(0)
    res = [newton_mr(L, L.random_point(rng)) for _ in range(200)]
    assert all(r.status == CONVERGED and r.grad_norm2 <= 1e-10 for r in res)
    idx = {int((np.linalg.eigvalsh(L.hessian(r.x)) < 0).sum()) for r in res}
    assert idx == set(range(5))


def test_gradient_cutoff_is_enforced():
    """One Newton step from a far start cannot reach 1e-10: nothing accepted. Catches a dropped acceptance test."""
    L = DoubleWell()
    r = newton_mr(L, np.array([1.9, 1.0, 0.3]), max_iter=1)
    assert not r.success and r.grad_norm2 > 1e-10
    f = find_critical_points(L, [np.array([1.9, 1.0, 0.3])], max_iter=1)
    assert len(f.points) == 0 and len(f.rejected) == 1


def test_descent_path_lowers_the_loss():
    """Catches a sign error in the descent used for loss-uniform starts."""
    L = make_landscape("pspin", rng=1, N=6, p=3)
    _, values = descent_path(L, L.random_point(np.random.default_rng(2)), steps=50)
    assert np.all(np.diff(values) < 0) and len(values) > 10


# -- dedup and conventions --------------------------------------------------------------


def test_deduplicate_groups_within_tolerance_only():
    """Catches an absolute tolerance (merging distinct small points) or a lost group id."""
    X = np.array([[1.0, 0.0], [1.0 + 1e-9, 0.0], [-1.0, 0.0], [1e-3, 0.0], [1.0, 1e-9]])
    first, group = deduplicate(X, rtol=1e-6)
    assert first.tolist() == [0, 2, 3] and group.tolist() == [0, 0, 1, 2, 0]


def test_pspin_p2_has_exactly_2N_points_indices_each_twice():
    """p = 2: exactly the 2N points ±√N v_k, index k twice, energy μ_k/√N.

    Catches: σ and -σ merged (N points), an off-by-one in the index (N-1 vs
    N tangent directions), a wrong energy scale, duplicates not recognised."""
    N = 6
    L = make_landscape("pspin", rng=11, N=N, p=2)
    rng = np.random.default_rng(1)
    f = find_critical_points(L, make_starts(L, 300, rng))
    assert len(f.points) == 2 * N
    assert np.bincount(f.points["index"], minlength=N).tolist() == [2] * N
    assert (f.points["nullity"] == 0).all()
    mu = np.linalg.eigvalsh(L.S)
    by_index = f.points.groupby("index")["loss"]
    np.testing.assert_allclose(by_index.min().to_numpy(), mu / np.sqrt(N), rtol=1e-9)
    np.testing.assert_allclose(by_index.max().to_numpy(), mu / np.sqrt(N), rtol=1e-9)
    assert set(f.points["label"]) == {"minimum", "saddle", "maximum"}


def test_double_well_degenerate_labels_and_canonical_classes():
    """A line of critical points counts once and is labelled by its non-null part.

    Catches nullity ignored ('minimum' instead of 'degenerate minimum'),
    canonical() ignored (many copies of each line)."""
    L = DoubleWell()
    f = find_critical_points(L, make_starts(L, 40, np.random.default_rng(0)))
    pts = f.points.sort_values("loss")
    assert len(pts) == 3
    assert pts["label"].tolist() == ["degenerate minimum", "degenerate minimum", "degenerate saddle"]
    assert pts["nullity"].tolist() == [1, 1, 1] and pts["index"].tolist() == [0, 0, 1]
    np.testing.assert_allclose(pts["loss"], [0.0, 0.0, 1.0], atol=1e-12)


@pytest.mark.slow
def test_autoencoder_every_gauge_class_with_exact_loss_index_nullity():
    """k = 5, p = 3, Σ = diag(1..5): all 26 classes, each with its exact (loss, index, nullity).

    Catches a wrong nullity rule (gauge zero modes counted as null/positive),
    dedup that merges classes or splits gauge copies, a wrong index."""
    L = make_landscape("linear-ae", rng=0, k=5, width=3)
    exact = exact_autoencoder_set(np.arange(1, 6), 3)
    # the rank-deficient classes (|I| < p, W = 0 among them) have small basins: 600 starts
    f = find_critical_points(L, make_starts(L, 600, np.random.default_rng(0), descent_fraction=0.5))
    assert check_against_exact(f.points, exact).all()
    assert len(f.points) == len(exact) == 26
    # as multisets (several classes share a loss and index: 1+4 = 2+3)
    found = sorted((round(a, 9), int(b), int(c)) for a, b, c in zip(f.points["loss"], f.points["index"], f.points["nullity"]))
    assert found == sorted((round(a, 9), b, c) for a, b, c in exact.values())


def test_loose_gradient_cutoff_is_flagged_by_the_checker():
    """Negative control: accepting at |grad|^2 <= 1e-3 lets in points off the exact set.

    Shows that check_against_exact (used above) can fail."""
    L = make_landscape("linear-ae", rng=0, k=5, width=3)
    exact = exact_autoencoder_set(np.arange(1, 6), 3)
    f = find_critical_points(L, make_starts(L, 40, np.random.default_rng(0)), grad_tol=1e-3, polish=0)
    ok = check_against_exact(f.points, exact)
    assert (~ok).sum() >= 5


# -- batched solver ----------------------------------------------------------------------


@pytest.mark.parametrize("p", [2, 3, 4])
def test_batched_pspin_derivatives_match_the_landscape(p):
    """Catches a wrong contraction or scale in the vectorised p-spin (value, gradient, Hessian)."""
    from saddlesim.critical.batch import batch_derivatives

    L = make_landscape("pspin", rng=2, N=5, p=p)
    D = batch_derivatives(L)
    X = np.array([L.random_point(np.random.default_rng(i)) for i in range(4)])
    np.testing.assert_allclose(D.value(X), [L.value(x) for x in X], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(D.egrad(X), [L.egrad(x) for x in X], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(D.ehess(X), [L.ehess(x) for x in X], rtol=1e-12, atol=1e-14)


def test_batched_solver_accepts_only_true_critical_points_and_agrees_with_serial():
    """Every accepted batched end point has |grad|^2 <= 1e-10 by the landscape's own gradient, and
    the distinct points equal the serial solver's. Catches a wrong batched basis or step sign."""
    from saddlesim.critical.batch import newton_mr_batch

    L = make_landscape("pspin", rng=4, N=6, p=3)
    X = np.array(make_starts(L, 300, np.random.default_rng(3)))
    rb = newton_mr_batch(L, X)
    acc = [r for r in rb if r.success]
    assert len(acc) >= 0.9 * len(rb)
    assert all(float(L.gradient(r.x) @ L.gradient(r.x)) <= 1e-10 for r in acc)
    serial = [newton_mr(L, x) for x in X]
    fb, _ = deduplicate(np.array([r.x for r in acc]))
    ok_s = np.array([r.x for r in serial if r.success])
    fs, _ = deduplicate(ok_s)
    both, _ = deduplicate(np.vstack([np.array([r.x for r in acc])[fb], ok_s[fs]]))
    assert len(both) == len(fb) == len(fs)
