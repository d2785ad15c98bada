"""Guards against one-line slips in the landscape code (finder, solver, starts, dedup, hops, losses).

Every test uses an exact value (a quadratic or quartic landscape, hand-computed
numbers), an invariance, a finite-difference oracle, or a property the code's
comments promise; statistical checks use analytic 6σ bands. Each docstring
names the smallest bug the test is sure to catch.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from saddlesim.index.classify import label_with_nullity
from saddlesim.index.inertia import inertia_from_eigenvalues
from saddlesim.landscapes.base import Euclidean
from saddlesim.critical.dedup import deduplicate
from saddlesim.critical.find import default_null_tol, find_critical_points
from saddlesim.landscapes.gauss_newton import gauss_newton, hessian_split, output_jacobian, wigner_epsilon
from saddlesim.critical.hop import ClassBook, hop_starts
from saddlesim.landscapes.linear_ae import LinearAutoencoder, linear_autoencoder
from saddlesim.landscapes.mlp import tanh_mlp
from saddlesim.searches.plan import make_landscape_plan
from saddlesim.landscapes.pspin import PSpin
from saddlesim.landscapes.quadratic import Quadratic
from saddlesim.critical.solve import CONVERGED, DIVERGED, STALLED, newton_mr
from saddlesim.critical.starts import descent_path, make_starts
from saddlesim.theory.linear_ae import linear_ae_point
from tests.landscape_helpers import DoubleWell
from tests.landscape_helpers import Quadratic as SphereQuadratic
from tests.unit.landscape_checks import fd_euclidean, fd_riemannian

SQRT_EPS = math.sqrt(np.finfo(float).eps)


# -- small landscapes with closed-form behaviour -----------------------------------------


class Quartic(Euclidean):
    """f(x) = x⁴/4 on ℝ: Newton-MR's step is exactly x → 2x/3 (s = −x³/(3x²)), so |∇f|² = x⁶
    falls by (2/3)⁶ per step and every solve is predictable to rounding. canonical() maps
    every point to 0 (one class), so copies of the minimum differ only in how well they converged."""

    name = "quartic"
    convention = "one class"
    dim = 1

    def value(self, x):
        return float(x[0] ** 4 / 4)

    def gradient(self, x):
        return np.array([x[0] ** 3])

    def hessian(self, x):
        return np.array([[3.0 * x[0] ** 2]])

    def random_point(self, rng):
        return rng.uniform(-1, 1, size=1)

    def canonical(self, x):
        return np.zeros(1)


class FixedStartParabola(Euclidean):
    """f(x) = x²/2 on ℝ with random_point always 1.0 (it consumes nothing): every descent run is
    the same path. Counts random_point calls (one per random start, one per descent run)."""

    name = "parabola"
    convention = "x"
    dim = 1

    def __init__(self):
        self.calls = 0

    def value(self, x):
        return float(0.5 * x[0] ** 2)

    def gradient(self, x):
        return np.array([x[0]])

    def hessian(self, x):
        return np.eye(1)

    def random_point(self, rng):
        self.calls += 1
        return np.array([1.0])


class GradientFlat(Euclidean):
    """f(x) = x³/3 + 0.01x: f′ = x² + 0.01 never vanishes, |∇f|² has a non-critical minimum 1e-4 at 0."""

    name = "gradient-flat"
    convention = "x"
    dim = 1

    def value(self, x):
        return float(x[0] ** 3 / 3 + 0.01 * x[0])

    def gradient(self, x):
        return np.array([x[0] ** 2 + 0.01])

    def hessian(self, x):
        return np.array([[2.0 * x[0]]])

    def random_point(self, rng):
        return rng.uniform(-1, 1, size=1)


def _rotation(n, seed):
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return q * np.sign(np.diag(r))


# -- solve.py: newton_mr -------------------------------------------------------------------


@pytest.mark.parametrize("polish", [0, 1, 3])
def test_newton_quartic_iteration_count_is_exact(polish):
    """x⁴/4 from x₀ = 1: |∇f|² after n steps is (2/3)^{6n}; the first n with (2/3)^{6n} ≤ 1e-10 is 10,
    then exactly ``polish`` further steps, so iterations = 10 + polish and x = (2/3)^iterations.
    With grad_tol = 1e-20 the count is 19 + polish.

    Catches: acceptance on |∇L| instead of |∇L|² (19 steps, not 10); one polish step too many or
    too few; a Newton step of the wrong sign (the full step is rejected, damping takes over);
    a result that reports |∇L| as grad_norm2."""
    L = Quartic()
    r = newton_mr(L, np.array([1.0]), polish=polish)
    assert r.status == CONVERGED and r.success
    assert r.iterations == 10 + polish
    np.testing.assert_allclose(r.x, [(2 / 3) ** r.iterations], rtol=1e-12)
    assert r.grad_norm2 == pytest.approx((2 / 3) ** (6 * r.iterations), rel=1e-10)
    assert r.value == pytest.approx((2 / 3) ** (4 * r.iterations) / 4, rel=1e-10)
    tight = newton_mr(L, np.array([1.0]), grad_tol=1e-20, polish=polish)
    assert tight.iterations == 19 + polish and tight.grad_norm2 <= 1e-20


def test_newton_is_exact_in_one_step_on_a_rotated_quadratic():
    """f = ½xᵀAx with A = R diag(−3, −1, 2, 5) Rᵀ (a saddle, R a rotation): the Newton-MR step
    −A⁻¹∇f lands on x = 0 exactly, so one step (max_iter = 1) gives |x| ≤ 1e-12.

    Catches the step expressed in the wrong eigenbasis (Q instead of Qᵀ), a sign error in the
    step, or a step taken in the wrong tangent coordinates: each needs many damped steps."""
    R = _rotation(4, 0)
    L = Quadratic(R @ np.diag([-3.0, -1.0, 2.0, 5.0]) @ R.T)
    rng = np.random.default_rng(1)
    for _ in range(5):
        x0 = 3 * rng.standard_normal(4)
        r = newton_mr(L, x0, max_iter=1, polish=0)
        assert r.iterations == 1 and np.linalg.norm(r.x) <= 1e-12 * np.linalg.norm(x0)
        assert r.status == CONVERGED


def test_newton_reports_a_gradient_flat_point_as_stalled_not_converged():
    """x³/3 + 0.01x has no critical point; Newton-MR is drawn to x = 0 where |∇f|² = 1e-4 and must
    report STALLED (a gradient-flat point) with grad_norm2 ≥ 1e-4, never CONVERGED.

    Catches a stall reported as convergence and an acceptance test that ignores grad_tol."""
    L = GradientFlat()
    for x0 in (1.0, -0.5, 2.0):
        r = newton_mr(L, np.array([x0]))
        assert r.status == STALLED and not r.success
        assert r.grad_norm2 >= 1e-4 and abs(r.x[0]) < 1e-3
    assert len(find_critical_points(L, [np.array([1.0]), np.array([0.3])]).points) == 0


def test_newton_accepts_nearly_every_random_start_and_only_true_critical_points():
    """The module docstring's measurements, on fixed instances: serial Newton-MR accepts ≥ 190 of 200
    random starts on five N = 6, p = 3 p-spin instances (measured 198) and ≥ 85 of 90 on three
    k = 5, p = 3 autoencoders (measured 90); each accepted end point has |∇L|² ≤ 1e-10 by the
    landscape's own gradient.

    Catches kicks that refuse any rise of |∇L|² (p-spin: 137 of 200), damping that is raised
    instead of relaxed after a success (autoencoder: 35 of 90), and a dishonest acceptance."""
    from saddlesim.landscapes import make_landscape

    for loss, kw, seeds, per, need in [("pspin", dict(N=6, p=3), range(5), 40, 190),
                                       ("linear-ae", dict(k=5, width=3), range(3), 30, 85)]:
        ok = 0
        for seed in seeds:
            L = make_landscape(loss, rng=seed, **kw)
            rng = np.random.default_rng(seed + 10)
            for _ in range(per):
                r = newton_mr(L, L.random_point(rng), max_iter=100, polish=3)
                if r.success:
                    g = L.gradient(r.x)
                    assert float(g @ g) <= 1e-10 and r.grad_norm2 <= 1e-10
                    ok += 1
        assert ok >= need, (loss, ok)


def test_newton_reports_nonfinite_start_as_diverged():
    """A NaN start is DIVERGED at iteration 0, not accepted. Catches a finiteness test dropped."""
    r = newton_mr(Quartic(), np.array([np.nan]))
    assert r.status == DIVERGED and not r.success and r.iterations == 0


# -- find.py ---------------------------------------------------------------------------------


def test_default_null_tol_is_sqrt_eps_max_abs_plus_ten_grad_norm():
    """tol = √eps·max(1, max|λ|) + 10·|∇L| by hand: [−100, 0.5, 1e-9] with |∇L|² = 1e-6 gives
    100√eps + 1e-2; [0.2, −0.3] with |∇L|² = 0 gives √eps.

    Catches 10·|∇L|² where 10·|∇L| belongs (1e-5 instead of 1e-2), max λ instead of max|λ|
    (0.5√eps), and a dropped max(1, ·)."""
    lam = np.array([[-100.0, 0.5, 1e-9], [0.2, -0.3, 0.1]])
    tol = default_null_tol(lam, [1e-6, 0.0])
    np.testing.assert_allclose(tol, [100 * SQRT_EPS + 1e-2, SQRT_EPS], rtol=1e-12)


def test_finder_keeps_the_best_copy_and_points_at_the_first_start():
    """Quartic (one class): starts [NaN, 0.5, 0.3, 0.9, −0.6]. The NaN start diverges; the four
    others find the one minimum with different |∇L|²; the reported copy is the one with the
    smallest |∇L|² (start 0.9, the third accepted), found first by start 1 (0-based over all starts).

    Catches 'keep the best' keeping the worst or the first copy, first_start counted among the
    accepted solves only (0 instead of 1), times_found off."""
    L = Quartic()
    starts = [np.array([v]) for v in (np.nan, 0.5, 0.3, 0.9, -0.6)]
    solo = [newton_mr(L, s, max_iter=100, polish=3) for s in starts]  # the finder's settings
    g2 = np.array([r.grad_norm2 for r in solo[1:]])
    assert solo[0].status == DIVERGED and all(r.success for r in solo[1:])
    assert int(np.argmin(g2)) == 2 and g2[0] > 2 * g2.min()  # the first copy is not the best
    f = find_critical_points(L, starts)
    assert len(f.points) == 1 and f.starts == 5 and len(f.rejected) == 0
    row = f.points.iloc[0]
    assert row["grad_norm2"] == g2.min()
    np.testing.assert_array_equal(f.coords[0], solo[3].x)
    assert row["loss"] == L.value(solo[3].x)
    assert row["times_found"] == 4 and row["first_start"] == 1
    assert (row["index"], row["nullity"], row["positive"]) == (0, 0, 1)


def test_finder_passes_its_settings_and_reports_rejected_points_exactly():
    """Quartic from x₀ = 1 with max_iter = 2: rejected, with x = 4/9, |∇L|² = (4/9)⁶, loss (4/9)⁴/4,
    2 iterations, status 'maximum number of iterations', inertia (0, 1, 0): its eigenvalue
    3(4/9)² ≈ 0.59 is below the null threshold 10·|∇L| = 10(4/9)³ ≈ 0.88. With grad_tol = 1e-20
    the accepted point has |∇L|² ≤ 1e-20; an explicit null_tol is used as given.

    Catches grad_tol, max_iter or null_tol not passed on to the solver/labels, a rejected table
    built from the wrong rows or columns."""
    L = Quartic()
    f = find_critical_points(L, [np.array([1.0])], max_iter=2)
    assert len(f.points) == 0 and len(f.rejected) == 1
    row = f.rejected.iloc[0]
    assert row["grad_norm2"] == pytest.approx((4 / 9) ** 6, rel=1e-12)
    assert row["loss"] == pytest.approx((4 / 9) ** 4 / 4, rel=1e-12)
    assert row["iterations"] == 2 and row["status"] == "maximum number of iterations reached"
    assert (row["index"], row["nullity"], row["positive"]) == (0, 1, 0)
    tight = find_critical_points(L, [np.array([1.0])], grad_tol=1e-20)
    assert tight.points["grad_norm2"].iloc[0] <= 1e-20
    Q = Quadratic(np.diag([-2.0, -0.5, 1.0, 3.0]))
    pts = find_critical_points(Q, [np.ones(4)], null_tol=0.6).points
    assert (pts["index"].iloc[0], pts["nullity"].iloc[0], pts["label"].iloc[0]) == (1, 1, "degenerate saddle")


def test_finder_solves_exactly_the_requested_number_of_hops():
    """10 starts + 70 hops in rounds of 32 are 80 solves (the last round is cut to 6), every accepted
    point is the exact minimum of the quartic.

    Catches a last round that is not cut (10 + 96 solves) and hops that ignore their count."""
    L = Quartic()
    starts = make_starts(L, 10, np.random.default_rng(0))
    f = find_critical_points(L, starts, hops=70, rng=3, hop_round=32)
    assert f.starts == 80 and len(f.points) == 1
    assert f.points["times_found"].iloc[0] == 80


def test_finder_on_rotated_quadratic_exact_inertia_and_min_abs_eig():
    """½xᵀAx, A = R diag(−2, −0.5, 1, 3) Rᵀ: one point x = 0, index 2, nullity 0, 'saddle',
    loss 0, min|λ| = 0.5 exactly, found by all three starts, first by start 0.

    Catches min_abs_eig taken as the signed minimum (−2), an off-by-one index, a lost count.
    Rotating the coordinates (another R) must not change any of it."""
    for seed in (0, 1):
        R = _rotation(4, seed)
        L = Quadratic(R @ np.diag([-2.0, -0.5, 1.0, 3.0]) @ R.T)
        f = find_critical_points(L, [np.full(4, 1.0), np.arange(4.0), -np.ones(4)])
        assert len(f.points) == 1
        row = f.points.iloc[0]
        assert (row["index"], row["nullity"], row["positive"], row["label"]) == (2, 0, 2, "saddle")
        assert row["min_abs_eig"] == pytest.approx(0.5, rel=1e-12)
        assert abs(row["loss"]) < 1e-24 and row["times_found"] == 3 and row["first_start"] == 0


def test_labels_and_classes_are_invariant_under_loss_scaling():
    """DoubleWell scaled by c ∈ {1e-3, 1, 1e3}: the same three classes with the same (index, nullity,
    label, times_found). Newton-MR is scale free and the null threshold is relative.

    Catches an absolute null threshold or dedup tolerance that depends on the loss scale."""
    starts = make_starts(DoubleWell(), 30, np.random.default_rng(4))
    ref = None
    for c in (1e-3, 1.0, 1e3):
        pts = find_critical_points(DoubleWell(c), starts).points
        got = sorted(zip(pts["index"], pts["nullity"], pts["label"], pts["times_found"]))
        assert len(got) == 3
        ref = got if ref is None else ref
        assert got == ref
    assert sorted(x[2] for x in ref) == ["degenerate minimum", "degenerate minimum", "degenerate saddle"]


def test_finder_on_exact_autoencoder_classes_k3_p2():
    """k = 3, p = 2, Σ = diag(1, 2, 3): starts at the Baldi–Hornik representative of every subset
    (and one gauge-transformed copy of {1, 3}) give exactly 7 classes with the hand-computed
    (loss, index, nullity, label); the copy is merged.

    Catches a wrong nullity threshold on gauge zero modes, the canonical form W₁W₂ (not gauge
    invariant: the copy is counted twice), an index off by one."""
    L = linear_autoencoder(3, 2)
    subsets = [(), (1,), (2,), (3,), (1, 2), (1, 3), (2, 3)]
    starts = [L.join(*linear_ae_point(s, 3, 2)) for s in subsets]
    W1, W2 = L.split(starts[5])
    C = np.array([[2.0, 1.0], [0.5, 3.0]])
    starts.append(L.join(C @ W1, W2 @ np.linalg.inv(C)))
    f = find_critical_points(L, starts)
    got = sorted((round(float(a), 12), int(b), int(c), d, int(t)) for a, b, c, d, t in
                 zip(f.points["loss"], f.points["index"], f.points["nullity"], f.points["label"],
                     f.points["times_found"]))
    expected = sorted([
        (2.0, 6, 0, "saddle", 1), (round(5 / 3, 12), 4, 3, "degenerate saddle", 1),
        (round(4 / 3, 12), 3, 3, "degenerate saddle", 1), (1.0, 2, 3, "degenerate saddle", 1),
        (1.0, 2, 4, "degenerate saddle", 1), (round(2 / 3, 12), 1, 4, "degenerate saddle", 2),
        (round(1 / 3, 12), 0, 4, "degenerate minimum", 1),
    ])
    assert got == expected


def test_autoencoder_labels_survive_a_badly_conditioned_gauge():
    """Starts at exact k = 3, p = 2 critical points moved along the gauge orbit by C = diag(1e4, 1e-3)
    keep their exact (index, nullity): the finder balances before labelling (without it the
    nullity threshold swallows the crushed eigenvalues: e.g. {1, 3} comes out index 0, nullity 7).

    Catches balancing skipped or its result discarded."""
    L = linear_autoencoder(3, 2)
    C = np.diag([1e4, 1e-3])
    expected = {(1, 3): (1, 4), (2, 3): (0, 4), (1,): (4, 3), (1, 2): (2, 4)}
    starts = []
    for subset in expected:
        W1, W2 = L.split(L.join(*linear_ae_point(subset, 3, 2)))
        starts.append(L.join(C @ W1, W2 @ np.linalg.inv(C)))
    pts = find_critical_points(L, starts).points
    assert list(zip(pts["index"], pts["nullity"])) == list(expected.values())


# -- classify / inertia ----------------------------------------------------------------------


@pytest.mark.parametrize("neg, zero, pos, label", [
    (0, 1, 3, "degenerate minimum"), (3, 1, 0, "degenerate maximum"), (1, 1, 2, "degenerate saddle"),
    (0, 0, 4, "minimum"), (4, 0, 0, "maximum"), (2, 0, 2, "saddle"), (0, 4, 0, "flat"), (0, 1, 0, "flat"),
])
def test_label_with_nullity_single_null_direction(neg, zero, pos, label):
    """Nullity 1 is already degenerate. Catches 'zero > 1' (off by one in the nullity test) and
    labels read from the wrong count."""
    assert label_with_nullity(np.array([neg]), np.array([zero]), np.array([pos]))[0] == label


def test_inertia_exact_zero_and_per_spectrum_tolerance():
    """With tol = 0 an exact 0 is null (|λ| ≤ tol); a per-spectrum tolerance applies row by row.

    Catches |λ| < tol (exact zero counted positive), a negative count that includes null
    eigenvalues, a tolerance array applied to the wrong rows."""
    neg, zero, pos = inertia_from_eigenvalues([[0.0, 1.0, -1.0]], tol=0.0)
    assert (neg[0], zero[0], pos[0]) == (1, 1, 1)
    lam = np.array([[-1e-3, 2e-3, 5.0], [-1e-3, 2e-3, 5.0]])
    neg, zero, pos = inertia_from_eigenvalues(lam, tol=np.array([2e-3, 1e-4]))
    assert neg.tolist() == [0, 1] and zero.tolist() == [2, 0] and pos.tolist() == [1, 2]


# -- dedup.py ----------------------------------------------------------------------------------


def test_deduplicate_bound_is_on_the_distance_not_its_square():
    """rtol = 1e-6. At |x| = 1: a copy 5e-7 away merges, one 1e-4 away does not. At |x| = 100 the
    bound is 1e-4: 5e-5 merges, 2e-4 does not.

    Catches the squared distance compared with the unsquared bound (1e-8 ≤ 1e-6 merges the 1e-4
    pair), |x|² in place of |x| in the relative scale (bound 1e-2 merges the 2e-4 pair), and an
    absolute bound (5e-5 at |x| = 100 not merged)."""
    a = np.array([1.0, 0.0])
    b = np.array([60.0, 80.0])
    X = np.array([a, a + [0, 5e-7], a + [1e-4, 0], b, b + [5e-5, 0], b + [0, 2e-4]])
    first, group = deduplicate(X, rtol=1e-6)
    assert first.tolist() == [0, 2, 3, 5]
    assert group.tolist() == [0, 0, 1, 2, 2, 3]


def test_deduplicate_is_scale_invariant_above_unit_norm_and_picks_the_nearest_class():
    """Scaling every canonical point by 100 (all |x| ≥ 1) scales distances and bounds alike: the
    grouping is unchanged. A point close to the second class joins it, not the first.

    Catches a bound not proportional to |x| and a match to the wrong kept class."""
    rng = np.random.default_rng(3)
    centres = 2.0 + rng.standard_normal((3, 4))
    X = np.vstack([centres, centres[[1, 0, 2, 1]] + 1e-7 * rng.standard_normal((4, 4)),
                   centres[0] + 5e-5])  # 1e-4 away: beyond rtol·|x| and rtol·|x|² (|x| ≈ 4)
    for s in (1.0, 100.0):
        first, group = deduplicate(s * X, rtol=1e-6)
        assert first.tolist() == [0, 1, 2, 7]
        assert group.tolist() == [0, 1, 2, 1, 0, 2, 1, 3]


# -- hop.py ------------------------------------------------------------------------------------


def test_classbook_bound_is_on_the_distance_and_grows_past_its_buffer():
    """Same bound as deduplicate (rtol·max(1, |c|) on the distance), and more than 64 classes fit.

    Catches the squared distance against the unsquared bound, and a buffer that does not grow."""
    book = ClassBook(1e-6)
    c = np.array([1.0, 0.0, 0.0])
    assert book.add(c, c)
    assert not book.add(c + [0, 5e-7, 0], c)
    assert book.add(c + [1e-4, 0, 0], c)
    d = np.array([0.0, 60.0, 80.0])
    assert book.add(d, d) and not book.add(d + [5e-5, 0, 0], d) and book.add(d + [0, 0, 2e-4], d)
    for i in range(70):
        assert book.add(np.array([10.0 + i, 0.0, 0.0]), c)
    assert len(book) == 74


def test_parents_are_least_visited_first():
    """Three points, 7 parents: visit counts 3, 2, 2 in some order, then 2 more make 3, 3, 3.

    Catches 'least visited' read as 'most visited' (one point hopped from 9 times)."""
    book = ClassBook(1e-6)
    for v in (1.0, 2.0, 3.0):
        book.add(np.array([v]), np.array([v]))
    rng = np.random.default_rng(0)
    assert sorted(np.bincount(book.parents(7, rng), minlength=3)) == [2, 2, 3]
    book.parents(2, rng)
    assert book.visits == [3, 3, 3]


def test_hop_directions_are_every_non_null_eigenvector_without_repeats():
    """Hessian diag(−2, −1, 0, 3) at x = 0: the hop directions are ±e₀, ±e₁, ±e₃ (the null e₂ is
    skipped, negative ones are kept); the first three hops use three distinct axes, the fourth
    repeats the first.

    Catches keeping only positive (or |λ| ≥ 0, i.e. all) eigenvectors, and cycling that repeats."""
    L = Quadratic(np.diag([-2.0, -1.0, 0.0, 3.0]))
    book = ClassBook(1e-6)
    book.add(np.zeros(4), np.zeros(4))
    rng = np.random.default_rng(5)
    axes = [int(np.argmax(np.abs(hop_starts(L, book, [0], rng)[0]))) for _ in range(4)]
    assert sorted(axes[:3]) == [0, 1, 3] and axes[3] == axes[0]
    assert book.directions[0].shape == (4, 3) and book.hops == [4]


def test_hop_lengths_are_log_uniform_and_signed():
    """From x = 0 (so max(1, |x|) = 1) the hop is t·v with |v| = 1 and t = ±exp(U(ln 10, ln 100)).
    Over n = 4000 hops: mean ln|t| = ln √1000 ± 6·(ln 10/√12)/√n, the fraction with |t| < √1000 is
    ½ ± 6·½/√n, the sign is + half the time ± 6·½/√n, and 10 ≤ |t| ≤ 100 always. From |x| = 5 the
    length scales by 5.

    Catches t uniform in [10, 100] instead of log-uniform (mean ln|t| 3.86 vs 3.45, fraction
    below the median 0.24), a dropped sign, and a length not relative to |x|."""
    n = 4000
    L = Quadratic(np.diag([1.0, 2.0, 3.0]))
    book = ClassBook(1e-6)
    book.add(np.zeros(3), np.zeros(3))
    x5 = np.array([3.0, 4.0, 0.0])
    book.add(x5, x5)
    rng = np.random.default_rng(20240611)
    steps = np.array(hop_starts(L, book, [0] * n, rng))
    t = np.linalg.norm(steps, axis=1)
    assert np.all((t >= 10 * (1 - 1e-12)) & (t <= 100 * (1 + 1e-12)))
    lt = np.log(t)
    assert abs(lt.mean() - 0.5 * math.log(1000)) < 6 * (math.log(10) / math.sqrt(12)) / math.sqrt(n)
    assert abs(np.mean(t < math.sqrt(1000)) - 0.5) < 6 * 0.5 / math.sqrt(n)
    signs = np.sign(steps[np.arange(n), np.argmax(np.abs(steps), axis=1)])
    assert abs(np.mean(signs > 0) - 0.5) < 6 * 0.5 / math.sqrt(n)
    flat = ClassBook(1e-6)
    flat.add(np.zeros(3), np.zeros(3))
    rnd = np.linalg.norm(np.array(hop_starts(Quadratic(np.zeros((3, 3))), flat, [0] * 200, rng)), axis=1)
    assert np.all((rnd >= 10 * (1 - 1e-12)) & (rnd <= 100 * (1 + 1e-12)))  # all null: a random unit direction
    far = np.array(hop_starts(L, book, [1] * 200, rng)) - x5
    r = np.linalg.norm(far, axis=1) / 5.0
    assert np.all((r >= 10 * (1 - 1e-12)) & (r <= 100 * (1 + 1e-12)))


# -- starts.py ---------------------------------------------------------------------------------


def test_descent_path_first_steps_are_exact():
    """x²/2 from 1: the first step is x ← x − 0.1x and the step then grows by 1.5 (0.15, 0.225).

    Catches an ascent step and a wrong growth factor."""
    pts, vals = descent_path(FixedStartParabola(), np.array([1.0]), steps=3)
    np.testing.assert_allclose(pts[:, 0], [1.0, 0.9, 0.9 * 0.85, 0.9 * 0.85 * 0.775], rtol=1e-14)
    np.testing.assert_allclose(vals, 0.5 * pts[:, 0] ** 2, rtol=1e-14)


def test_descent_path_follows_the_grow_and_halve_rule():
    """x²/2: a step t multiplies x by 1 − t and lowers the loss iff |1 − t| < 1. The rule 'grow by 1.5
    after a success, halve after a failure' then fixes the whole path; the first 15 steps agree
    with a hand-rolled loop over t alone (steps 9 and 12 need a halving).

    Catches a wrong halving factor, a growth applied after failures too, steps not kept."""
    pts, _ = descent_path(FixedStartParabola(), np.array([1.0]), steps=15)
    x, t, expected, halvings = 1.0, 0.1, [1.0], 0
    for _ in range(15):
        while abs(1 - t) >= 1:
            t *= 0.5
            halvings += 1
        x *= 1 - t
        expected.append(x)
        t *= 1.5
    assert halvings >= 2
    np.testing.assert_allclose(pts[:, 0], expected, rtol=1e-12)


def test_descent_starts_are_uniform_in_loss_along_the_path():
    """Every descent run is the same path v₀ > v₁ > … > v_K. A level ℓ uniform in [v_K, v₀] picks
    the iterate with the smallest value ≥ ℓ, so P(start value ≤ v_i) = (v_i − v_K)/(v₀ − v_K)
    exactly; 400 starts match that CDF at every v_i within 6 binomial σ, and each start is an
    iterate.

    Catches the iterate index mirrored (points[j] for the reversed array's j: almost every start
    at the path's end), and levels drawn outside [v_K, v₀]."""
    L = FixedStartParabola()
    pts, vals = descent_path(L, np.array([1.0]))
    n = 400
    starts = make_starts(L, n, np.random.default_rng(7), descent_fraction=1.0)
    sv = np.array([L.value(s) for s in starts])
    assert len(starts) == n and np.all(np.isin(sv, vals))
    for v in vals[1:-1]:
        F = (v - vals[-1]) / (vals[0] - vals[-1])
        assert abs(np.mean(sv <= v) - F) <= 6 * math.sqrt(F * (1 - F) / n) + 1.0 / n, v


def test_make_starts_rounds_the_descent_share():
    """count = 10, descent_fraction = 0.35: round(3.5) = 4 descent starts (one run of 4) after 6
    random ones, i.e. 7 random_point calls; all descent gives ⌈10/4⌉ = 3 runs.

    Catches int() for round() (3 descent starts, 8 calls) and the shares swapped."""
    L = FixedStartParabola()
    s = make_starts(L, 10, np.random.default_rng(0), descent_fraction=0.35)
    assert len(s) == 10 and L.calls == 7
    assert all(x[0] == 1.0 for x in s[:6])
    L.calls = 0
    assert len(make_starts(L, 10, np.random.default_rng(0), descent_fraction=1.0)) == 10 and L.calls == 3


# -- plan.py -------------------------------------------------------------------------------------


def _plan(**kw):
    args = dict(loss="pspin", params={"N": 4, "p": 3}, instances=3, starts=20, entropy=99, check=False)
    args.update(kw)
    return make_landscape_plan(args.pop("loss"), args.pop("params"), **args)


def test_instance_streams_are_distinct_and_keyed_by_the_loss():
    """Instances 0 and 1 draw different, uncorrelated streams (|corr| < 6/√n over n = 2000 normals);
    the same instance twice is identical; the same instance of another parameter set (N = 5) draws
    another stream; a setting that is not part of the loss (starts) keeps the stream.

    Catches a spawn key without the instance (all instances share one stream) and a tag that
    drops the parameters (two losses share one stream)."""
    plan = _plan()
    n = 2000
    a = np.random.default_rng(plan.seed_sequence(0)).standard_normal(n)
    b = np.random.default_rng(plan.seed_sequence(1)).standard_normal(n)
    assert abs(np.corrcoef(a, b)[0, 1]) < 6 / math.sqrt(n)
    np.testing.assert_array_equal(a, np.random.default_rng(plan.seed_sequence(0)).standard_normal(n))
    other = np.random.default_rng(_plan(params={"N": 5, "p": 3}).seed_sequence(0)).standard_normal(n)
    assert abs(np.corrcoef(a, other)[0, 1]) < 6 / math.sqrt(n)
    assert _plan(params={"N": 5, "p": 3}).tag != plan.tag
    same = np.random.default_rng(_plan(starts=7).seed_sequence(0)).standard_normal(n)
    np.testing.assert_array_equal(a, same)


def test_plan_keeps_every_setting_where_it_belongs():
    """make_landscape_plan(..., grad_tol=1e-9, descent_fraction=0.25, null_tol=1e-5, max_iter=7,
    hops=3) stores each value in its own field, and the fingerprint reports them under their names.

    Catches two settings passed to the plan in swapped positions."""
    plan = _plan(grad_tol=1e-9, descent_fraction=0.25, null_tol=1e-5, max_iter=7, hops=3, instances=2, starts=5)
    got = {k: getattr(plan, k) for k in ("grad_tol", "descent_fraction", "null_tol", "max_iter", "hops",
                                         "instances", "starts", "entropy")}
    assert got == {"grad_tol": 1e-9, "descent_fraction": 0.25, "null_tol": 1e-5, "max_iter": 7, "hops": 3,
                   "instances": 2, "starts": 5, "entropy": 99}
    fp = plan.fingerprint()
    assert {k: fp[k] for k in got if k != "entropy"} == {k: v for k, v in got.items() if k != "entropy"}
    assert fp["entropy"] == "99" and fp["params"] == {"N": 4, "p": 3} and fp["loss"] == "pspin"


@pytest.mark.parametrize("change", [
    {"instances": 4}, {"starts": 21}, {"entropy": 100}, {"grad_tol": 1e-9}, {"descent_fraction": 0.5},
    {"null_tol": 1e-6}, {"max_iter": 50}, {"hops": 10}, {"params": {"N": 5, "p": 3}},
    {"loss": "linear-ae", "params": {"k": 3, "width": 1}},
])
def test_fingerprint_changes_with_every_setting(change):
    """Two runs resume each other only if nothing that determines their tables differs.

    Catches a fingerprint that drops one setting (a resumed run would reuse instances made with
    another grad_tol, null_tol, descent_fraction, hops, …)."""
    base = _plan().fingerprint()
    other = _plan(**change).fingerprint()
    assert other != base
    assert json.loads(json.dumps(other)) == other and base == _plan().fingerprint()


# -- base.py (Sphere) and the losses ---------------------------------------------------------


def test_sphere_geometry_and_riemannian_derivatives_on_a_quadratic_form():
    """u = xᵀSx/N on |x|² = N (the Sphere mixin with only egrad/ehess supplied): random points and
    retractions land on |x|² = N, the gradient is tangent, gradient and Hessian match differences
    along the retraction, and at ±√N v_k the Hessian eigenvalues are 2(μ_j − μ_k)/N exactly.

    Catches the projection without 1/r² (non-tangent gradient), the radial term with the wrong
    sign, a retraction or random point on the unit sphere instead of |x|² = N."""
    N = 5
    rng = np.random.default_rng(2)
    A = rng.standard_normal((N, N))
    L = SphereQuadratic((A + A.T) / 2)
    x = L.random_point(rng)
    assert x @ x == pytest.approx(N, rel=1e-12)
    y = L.retract(x, 0.7 * rng.standard_normal(N))
    assert y @ y == pytest.approx(N, rel=1e-12)
    g = L.gradient(x)
    assert abs(x @ g) < 1e-12 * np.linalg.norm(g) * math.sqrt(N)
    U = L.tangent_basis(x)
    np.testing.assert_allclose(U.T @ U, np.eye(N - 1), atol=1e-13)
    np.testing.assert_allclose(U.T @ x, 0.0, atol=1e-12)
    U, fg, fH = fd_riemannian(L, x)
    np.testing.assert_allclose(U.T @ g, fg, atol=1e-7)
    np.testing.assert_allclose(L.hessian(x), fH, atol=1e-5)
    mu, V = np.linalg.eigh(L.S)
    for k in (0, 2, N - 1):
        xc = -math.sqrt(N) * V[:, k]
        assert np.linalg.norm(L.gradient(xc)) < 1e-12
        ev = np.linalg.eigvalsh(L.hessian(xc))
        np.testing.assert_allclose(ev, np.sort(2 * (np.delete(mu, k) - mu[k]) / N), atol=1e-12)


def test_quadratic_landscape_value_is_half_the_form():
    """A = [[2, 1], [1, −3]], x = (1, 2): f = ½(2 + 4 − 12) = −3; gradient and Hessian agree with
    central differences. Catches a dropped ½ (f = −6, FD gradient 2Ax)."""
    L = Quadratic(np.array([[2.0, 1.0], [1.0, -3.0]]))
    x = np.array([1.0, 2.0])
    assert L.value(x) == pytest.approx(-3.0, rel=1e-15)
    g, H = fd_euclidean(L, x)
    np.testing.assert_allclose(L.gradient(x), g, rtol=1e-8)
    np.testing.assert_allclose(L.hessian(x), H, atol=1e-7)


@pytest.mark.parametrize("p", [3, 4])
def test_pspin_energy_from_raw_couplings(p):
    """u(σ) = N^{-(p−1)/2} Σ J_{i…} σ_i⋯ / N from the *unsymmetrised* J (einsum here), and
    N·u = hamiltonian; egrad and ehess match central differences of value and egrad.

    Catches the symmetrisation dividing by p instead of p! (u off by 2 at p = 3), the energy not
    per spin (missing 1/N), a dropped factor p or p − 1 in the derivatives."""
    N = 3
    rng = np.random.default_rng(p)
    J = rng.standard_normal((N,) * p)
    L = PSpin(J)
    s = L.random_point(rng)
    H = np.einsum(J, list(range(p)), *[a for i in range(p) for a in (s, [i])], [])
    assert L.value(s) == pytest.approx(N ** (-(p - 1) / 2) * H / N, rel=1e-12)
    assert L.hamiltonian(s) == pytest.approx(N ** (-(p - 1) / 2) * H, rel=1e-12)
    g, Hs = fd_euclidean(SimpleNamespace(dim=N, value=L.value, gradient=L.egrad), s)
    np.testing.assert_allclose(L.egrad(s), g, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(L.ehess(s), Hs, rtol=1e-6, atol=1e-8)


def test_linear_autoencoder_derivatives_and_gauge_invariant_canonical():
    """Sample covariance, k = 4, p = 2, a random (non-critical) point: the backprop gradient and the
    R-operator Hessian match central differences; canonical is unchanged by W₁ ↦ CW₁, W₂ ↦ W₂C⁻¹;
    balance keeps W₂W₁ and the loss.

    Catches a wrong 2/k in the gradient, a dropped dY·V₂ cross term in the Hessian, W₁W₂ (not
    gauge invariant) as the canonical form."""
    L = linear_autoencoder(4, 2, sigma="sample", samples=9, rng=3)
    rng = np.random.default_rng(8)
    x = L.random_point(rng) + 0.3 * rng.standard_normal(L.dim)
    g, H = fd_euclidean(L, x)
    np.testing.assert_allclose(L.gradient(x), g, atol=1e-7 * (1 + np.abs(g).max()))
    np.testing.assert_allclose(L.hessian(x), H, atol=1e-6 * np.abs(H).max())
    W1, W2 = L.split(x)
    C = np.array([[1.5, 0.4], [-0.7, 2.0]])
    y = LinearAutoencoder.join(C @ W1, W2 @ np.linalg.inv(C))
    np.testing.assert_allclose(L.canonical(y), L.canonical(x), atol=1e-12)
    assert L.canonical(x).shape == (16,)
    b = L.balance(x)
    np.testing.assert_allclose(L.canonical(b), L.canonical(x), atol=1e-12)
    assert L.value(b) == pytest.approx(L.value(x), rel=1e-12)


def test_mlp_derivatives_with_two_outputs_and_noisy_targets():
    """d = 2, h = 2, m = 5, o = 2 with label noise at a random point with biases (nonzero residual):
    value = ‖Y − T‖²/(2 m o) by hand, gradient and Hessian match central differences.

    Catches 1/(2m) for 1/(2mo) (value and gradient disagree by o), tanh′ = 1 − Z, the residual
    term −2 dZ·Z·RZ with the wrong sign."""
    L = tanh_mlp(d=2, h=2, m=5, outputs=2, noise=0.3, rng=6)
    rng = np.random.default_rng(9)
    x = L.random_point(rng) + 0.7 * rng.standard_normal(L.dim)
    W1, b1, W2, b2 = L.split(x)
    Y = np.tanh(L.X @ W1.T + b1) @ W2.T + b2
    assert L.value(x) == pytest.approx(np.sum((Y - L.T) ** 2) / 20, rel=1e-12)
    g, H = fd_euclidean(L, x)
    np.testing.assert_allclose(L.gradient(x), g, atol=1e-8 * (1 + np.abs(g).max()))
    np.testing.assert_allclose(L.hessian(x), H, atol=1e-7 * (1 + np.abs(H).max()))


def test_mlp_canonical_is_invariant_under_sign_flips_and_permutations():
    """Flipping one hidden unit's in-weights, bias and out-weights, or permuting the units, is a
    symmetry: canonical() equal.

    Catches the sign reference taken from the signed argmax (not the largest |entry|), which is
    not a class invariant, and units left unsorted."""
    L = tanh_mlp(d=3, h=3, m=6, outputs=2, rng=2)
    x = np.random.default_rng(1).standard_normal(L.dim)
    W1, b1, W2, b2 = L.split(x)
    for u in range(3):
        s = np.ones(3)
        s[u] = -1.0
        y = L.join(s[:, None] * W1, s * b1, W2 * s, b2)
        assert L.value(y) == pytest.approx(L.value(x), rel=1e-12)
        np.testing.assert_allclose(L.canonical(y), L.canonical(x), atol=1e-14)
    perm = [2, 0, 1]
    y = L.join(W1[perm], b1[perm], W2[:, perm], b2)
    np.testing.assert_allclose(L.canonical(y), L.canonical(x), atol=1e-14)


# -- gauss_newton.py -----------------------------------------------------------------------------


def test_gauss_newton_two_outputs_and_wigner_epsilon_by_hand():
    """At the teacher of a two-output net (zero residual) JᵀJ/(m o) is the whole Hessian; the output
    Jacobian matches central differences; and for H₀ = 2.5·I₃, H = H₀ + R with ‖R‖²_F = 6,
    g = 2.5 and ε = 6/(2·3·2.5²) = 0.16.

    Catches JᵀJ/m (a factor o = 2), tanh′ = 1 − Z in the Jacobian, ε divided by g instead of g²."""
    net = tanh_mlp(2, 3, 8, 2, rng=5)
    H = net.hessian(net.teacher)
    np.testing.assert_allclose(gauss_newton(net, net.teacher), H, atol=1e-12 * np.abs(H).max())
    x = net.random_point(np.random.default_rng(3)) + 0.5
    e = 1e-6
    fd = np.stack([(net.forward(x + e * v) - net.forward(x - e * v)).ravel() / (2 * e)
                   for v in np.eye(net.dim)], 1)
    np.testing.assert_allclose(output_jacobian(net, x), fd, atol=1e-8)
    split = hessian_split(net, x)
    G = gauss_newton(net, x)
    assert split["gn_mean"] == pytest.approx(np.trace(G) / net.dim, rel=1e-12)
    assert split["eps_loss"] == pytest.approx(net.value(x) / split["gn_mean"], rel=1e-12)
    assert split["eps_hessian"] == pytest.approx(wigner_epsilon(G, net.hessian(x))[1], rel=1e-12)
    R = np.array([[1.0, 1.0, 0.0], [1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    R[2, 2] = math.sqrt(2.0)  # ‖R‖² = 4 + 2 = 6
    g, eps = wigner_epsilon(2.5 * np.eye(3), 2.5 * np.eye(3) + R)
    assert g == pytest.approx(2.5, rel=1e-15) and eps == pytest.approx(0.16, rel=1e-12)


def test_fit_epsilon_scale_recovers_a_planted_constant_with_weights():
    """α exactly α(2.5·u, φ = 1/4) at four losses, unequal weights: c = 2.5 to 1e-5, residual ~0.

    Catches the coarse scan keeping the worst grid point (argmax) and a fit of 1/c."""
    from saddlesim.landscapes.gauss_newton import fit_epsilon_scale
    from saddlesim.theory.wishart_wigner import ww_alpha

    u = np.array([0.03, 0.08, 0.15, 0.3])
    alpha = np.array([ww_alpha(2.5 * t, 0.25) for t in u])
    c, rms = fit_epsilon_scale(u, alpha, 0.25, weights=[1.0, 2.0, 1.0, 3.0])
    assert c == pytest.approx(2.5, rel=1e-5) and rms < 1e-6
