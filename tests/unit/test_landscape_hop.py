"""Hopping from found critical points, and the autoencoder's balanced gauge.

Each test names the plausible bug it catches.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.landscapes import make_landscape
from saddlesim.critical.find import find_critical_points
from saddlesim.critical.hop import ClassBook, hop_starts
from saddlesim.searches.plan import make_landscape_plan
from saddlesim.critical.starts import make_starts
from saddlesim.theory.linear_ae import linear_ae_point
from tests.landscape_helpers import check_against_exact, exact_autoencoder_set


def _ae(k=6, width=3):
    return make_landscape("linear-ae", rng=0, k=k, width=width)


def _point(L, subset):
    """The Baldi–Hornik representative of a 1-based subset, as a point."""
    return L.join(*linear_ae_point(subset, L.k, L.width))


def test_balance_keeps_the_product_and_equalises_the_factors():
    """W₂W₁ unchanged, W₁W₁ᵀ = W₂ᵀW₂ (both diag(s)), dead units zero.

    Catches S instead of S^½ in the split (product off by S), a transposed
    factor, or a rank cut that drops live units."""
    L = _ae()
    rng = np.random.default_rng(1)
    x = L.random_point(rng)
    W1, W2 = L.split(x)
    W1[0] *= 1e4  # a badly conditioned gauge: unit 0 in ×1e4, out ×1e-4
    W2[:, 0] *= 1e-4
    W1[2], W2[:, 2] = 0.0, 0.0  # a dead unit
    x = L.join(W1, W2)
    b = L.balance(x)
    B1, B2 = L.split(b)
    assert np.allclose(B2 @ B1, W2 @ W1, atol=1e-12)
    assert np.isclose(L.value(b), L.value(x), rtol=1e-12)
    assert np.allclose(B1 @ B1.T, B2.T @ B2, atol=1e-12)
    assert np.allclose(B1[2], 0.0) and np.allclose(B2[:, 2], 0.0)
    assert np.linalg.matrix_rank(B1) == 2


def test_labels_survive_a_badly_conditioned_gauge():
    """Starts at exact critical points moved far along the GL(p) orbit (W₁ ×1e3, W₂ ×1e-3 on
    one unit) keep their exact (loss, index, nullity).

    Negative control first: the nullity threshold at the unbalanced point itself
    miscounts, so the test can fail; then catches labelling an end point
    without balancing it."""
    L = _ae()
    lam = np.arange(1.0, 7.0)
    exact = exact_autoencoder_set(lam, 3)
    C = np.diag([1e3, 1.0, 1.0])
    starts = []
    for subset in [(1, 2, 3), (2, 5, 6), (1, 4, 6), (3, 4, 5)]:
        W1, W2 = L.split(_point(L, subset))
        starts.append(L.join(C @ W1, W2 @ np.linalg.inv(C)))
    from saddlesim.critical.find import default_null_tol

    bad = 0
    for x in starts:
        ev = np.linalg.eigvalsh(L.hessian(x))
        bad += int((np.abs(ev) <= default_null_tol(ev[None])[0]).sum() != 9)
    assert bad >= 1
    f = find_critical_points(L, starts)
    assert len(f.points) == 4
    assert check_against_exact(f.points, exact).all()


@pytest.mark.slow
def test_hops_find_new_classes_and_stay_on_the_exact_set():
    """k = 8, p = 3 (93 classes): 20 starts + 200 hops reach clearly more classes than
    220 random starts (measured: 67 against 33), and every accepted point is on the exact set.

    Catches hops that fall back into their parent (a step too short, or along
    null gauge directions), and balanced/polished points labelled wrongly."""
    L = _ae(8, 3)
    exact = exact_autoencoder_set(np.arange(1.0, 9.0), 3)
    f = find_critical_points(L, make_starts(L, 20, np.random.default_rng(0)), hops=200, rng=1)
    g = find_critical_points(L, make_starts(L, 220, np.random.default_rng(0)))
    assert check_against_exact(f.points, exact).all()
    assert check_against_exact(g.points, exact).all()
    assert len(f.points) >= len(g.points) + 15


def test_hops_are_reproducible_and_default_off():
    """Same rng ⇒ identical points; hops = 0 gives exactly the starts' result.

    Catches draws from global state, and a default that hops."""
    L = _ae(5, 2)
    starts = make_starts(L, 10, np.random.default_rng(3))
    a = find_critical_points(L, starts, hops=40, rng=7)
    b = find_critical_points(L, starts, hops=40, rng=np.random.default_rng(7))
    assert a.starts == 50 and a.points.equals(b.points)
    c = find_critical_points(L, starts)
    d = find_critical_points(L, starts, hops=0, rng=99)
    assert c.starts == 10 and c.points.equals(d.points)


def test_classbook_parents_least_visited_and_directions_cycle():
    """Parents spread evenly; a parent's eigen-directions are used without repeats.

    Catches always hopping from the first point found, and redrawing the same
    direction."""
    L = _ae(4, 2)
    book = ClassBook(1e-6)
    for subset in [(1, 2), (3, 4), (1, 4)]:
        x = _point(L, subset)
        assert book.add(L.canonical(x), x)
    assert not book.add(L.canonical(book.x[0]), book.x[0])
    rng = np.random.default_rng(0)
    par = book.parents(6, rng)
    assert sorted(np.bincount(par, minlength=3)) == [2, 2, 2]
    steps = [hop_starts(L, book, [0], rng)[0] - book.x[0] for _ in range(4)]
    n = book.directions[0].shape[1]
    dirs = [np.abs(s / np.linalg.norm(s)) for s in steps[:min(4, n)]]
    for i in range(len(dirs)):
        for j in range(i):
            assert not np.allclose(dirs[i], dirs[j])


def test_plan_validates_hops():
    """Catches a negative or fractional hop count accepted silently."""
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="hops"):
            make_landscape_plan("linear-ae", {"k": 3, "width": 1}, hops=bad, entropy=1)
    plan = make_landscape_plan("linear-ae", {"k": 3, "width": 1}, hops=5, entropy=1)
    assert plan.fingerprint()["hops"] == 5
