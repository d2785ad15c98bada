"""Guards against one-line slips in the newer code: weights, shifts, metrics, sweep plans and tables.

Every test states the smallest bug it is sure to catch. Closed forms are
computed by hand in the test (a five-draw weighted sample, a 2-class confusion
matrix, a Wilson interval written out), so a slip in the library cannot hide
behind the same slip in a helper. The dynamics, descent, detection, energy and
parsing guards are in ``test_newcode_mutation_guards_more.py``.
"""

from __future__ import annotations

import json
import math
import zlib

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom, norm

from saddlesim.index.metrics import always_label, classification_metrics, confusion_matrix, metrics_from_confusion
from saddlesim.models.gaussian import draw_tridiagonal_rows, goe_matrices, gse_matrices, tridiagonal_to_dense
from saddlesim.models.independent import independent_sign_spectra
from saddlesim.models.spec import Model
from saddlesim.index.shifted import _tolerances, _tridiagonal_shifts, check_shifts, sample_index_shifted
from saddlesim.index.sampling import index_histogram
from saddlesim.sweep import index_counts_table, make_plan, results_table, sweep_counts
from saddlesim.sweep.executors import run_chunk
from saddlesim.sweep.plan import MAX_CHUNK_SAMPLES, Cell, default_chunk_size
from saddlesim.index.weights import add_tallies, empty_tally, weighted_proportion, weighted_tally

EPS = np.finfo(float).eps


def _wilson(p, N, confidence=0.95):
    """The Wilson score interval written out (not saddlesim.stats), for a proportion p of N trials."""
    z = norm.ppf(0.5 + confidence / 2)
    denom = 1 + z * z / N
    centre = (p + z * z / (2 * N)) / denom
    half = z * math.sqrt(p * (1 - p) / N + z * z / (4 * N * N)) / denom
    return (0.0 if p == 0 else centre - half), (1.0 if p == 1 else centre + half)


# -- weights: a five-draw sample by hand -----------------------------------------------------------
#
# n = 2, bins index 0, 1, 2, degenerate. Draws (index, w): (0, 1), (0, 3), (1, 2), (2, 4), (-1, 10).
# S1 = 20, S2 = 1 + 9 + 4 + 16 + 100 = 130, Kish n_eff = 400/130.
# minima:  S1_A = 4, S2_A = 10: p = 0.2, V = (0.64·10 + 0.04·120)/400 = 0.028,  n* = 0.16/0.028
# saddles: S1_A = 2, S2_A = 4:  p = 0.1, V = (0.81·4 + 0.01·126)/400 = 0.01125, n* = 8
# maxima:  S1_A = 4, S2_A = 16: p = 0.2, V = (0.64·16 + 0.04·114)/400 = 0.037,  n* = 0.16/0.037

INDEX = np.array([0, 0, 1, 2, -1])
W = np.array([1.0, 3.0, 2.0, 4.0, 10.0])
HAND = {  # bins: (p, V, n*)
    "min": ([0], 0.2, 0.028, 0.16 / 0.028),
    "saddle": ([1], 0.1, 0.01125, 8.0),
    "max": ([2], 0.2, 0.037, 0.16 / 0.037),
}


def _tally():
    return weighted_tally(INDEX, np.log(W), 2)


def test_weighted_tally_rows_by_hand():
    """Catches log(S1^2) stored for log S2 (2·logsumexp(lw) instead of logsumexp(2 lw)) and the degenerate
    draw's weight filed under the maximum bin n instead of bin n + 1."""
    t = _tally()
    np.testing.assert_array_equal(t[0], [2, 1, 1, 1])
    np.testing.assert_allclose(np.exp(t[1]), [4, 2, 4, 10], rtol=1e-12)
    np.testing.assert_allclose(np.exp(t[2]), [10, 4, 16, 100], rtol=1e-12)


@pytest.mark.parametrize("what", list(HAND))
def test_weighted_proportion_by_hand_uses_n_star_not_n_or_kish(what):
    """p, se, n_eff and the interval of the hand sample: the interval is Wilson(p, n*) with n* = p(1-p)/V.
    Catches an interval on the raw count (N = 5), on Kish's n_eff (3.08) instead of n*, a variance
    with (1 - p) for (1 - p)^2 or without the p^2 (S2 - S2_A) term, Kish n_eff inverted, and ln E w
    taken with log10 of the sample count."""
    bins, p, var, n_star = HAND[what]
    r = weighted_proportion(_tally(), bins)
    assert r["p"] == pytest.approx(p, rel=1e-12)
    assert r["se"] == pytest.approx(math.sqrt(var), rel=1e-10)
    assert r["n_eff"] == pytest.approx(400 / 130, rel=1e-12)
    assert r["log_mean_w"] == pytest.approx(math.log(20 / 5), rel=1e-12)
    lo, hi = _wilson(p, n_star)
    assert (r["lo"], r["hi"]) == pytest.approx((lo, hi), rel=1e-9)
    # the three candidate sample sizes give visibly different intervals, so the check above decides
    for wrong in (5.0, 400 / 130):
        assert abs(_wilson(p, wrong)[1] - hi) > 1e-3


def test_weighted_interval_follows_the_confidence_level():
    """Catches the confidence argument not passed on to the Wilson interval (always 95 %)."""
    bins, p, _, n_star = HAND["min"]
    r = weighted_proportion(_tally(), bins, confidence=0.99)
    assert (r["lo"], r["hi"]) == pytest.approx(_wilson(p, n_star, 0.99), rel=1e-9)
    r80 = weighted_proportion(_tally(), bins, confidence=0.8)
    assert r80["hi"] - r80["lo"] < r["hi"] - r["lo"]


def test_no_event_uses_kish_n_eff_of_unequal_weights():
    """p = 0 (V = 0): the interval is Wilson(0, n_eff) with n_eff = S1²/S2 = 36/14, not the 3 draws.
    Catches the fallback sample size replaced by the raw count or by S1 (sum of weights)."""
    t = weighted_tally(np.array([1, 1, 2]), np.log([1.0, 2.0, 3.0]), 2)
    r = weighted_proportion(t, [0])
    assert r["p"] == 0 and r["lo"] == 0 and r["se"] == 0
    assert r["n_eff"] == pytest.approx(36 / 14, rel=1e-12)
    assert r["hi"] == pytest.approx(_wilson(0.0, 36 / 14)[1], rel=1e-9)


def test_add_tallies_of_hand_halves_is_the_whole():
    """Halves sharing a bin: catches counts or log-sums merged with max (or plain +) instead of adding
    (log-add-exp), and the S1 row merged into the S2 row."""
    first = np.array([True, False, True, True, False])  # the two minima land in different halves
    a = weighted_tally(INDEX[first], np.log(W[first]), 2)
    b = weighted_tally(INDEX[~first], np.log(W[~first]), 2)
    assert a[0, 0] == b[0, 0] == 1
    np.testing.assert_allclose(add_tallies(a, b), _tally(), rtol=1e-12)
    np.testing.assert_allclose(add_tallies(b, a), _tally(), rtol=1e-12)
    # the empty tally is the identity: zero counts, log-sums -inf
    np.testing.assert_allclose(add_tallies(empty_tally(2), _tally()), _tally(), rtol=1e-12)
    assert weighted_proportion(empty_tally(2), [0])["n_eff"] == 0


# -- shifted ensembles ------------------------------------------------------------------------------


def test_default_tolerance_is_n_eps_frobenius_norm_of_the_shifted_matrix():
    """_tolerances against n·eps·||T + sI||_F assembled densely, shifts of both signs. Catches the n in
    n s^2 dropped, the square root dropped, the cross term 2 s Σa with the wrong sign and Σb² not doubled."""
    rng = np.random.default_rng(0)
    n, m = 5, 7
    a = rng.normal(1.0, 1.0, (n, m))  # Σa far from 0, so the cross term's sign matters
    b = rng.normal(size=(n - 1, m))
    shifts = [-2.5, 0.0, 1.5]
    got = _tolerances(n, shifts, None, np.einsum("ij,ij->j", a, a), a.sum(axis=0), (b * b).sum(axis=0))
    T = tridiagonal_to_dense(a.T, b.T)
    for j, s in enumerate(shifts):
        want = n * EPS * np.linalg.norm(T + s * np.eye(n), axis=(1, 2))
        np.testing.assert_allclose(got[j], want, rtol=1e-12)
    fixed = _tolerances(n, shifts, 1e-3, a[0], a[0], a[0])
    assert fixed.shape == (3, m) and np.all(fixed == 1e-3)


def test_degeneracy_band_is_two_sided_at_every_shift():
    """diag(1, 2, 3) at shifts -2 (λ + s has an exact 0), -1.5 (λ + s = -0.5, 0.5, 1.5: degenerate once the
    band |λ + s| <= tol reaches 0.5) and 0.5 (never), three shifts in one compiled count. Catches the band's
    upper point placed at -s - tol (a one-sided band: degeneracy never seen)."""
    a = np.array([[1.0], [2.0], [3.0]])
    b2 = np.zeros((2, 1))
    shifts = [-2.0, -1.5, 0.5]
    index, _ = _tridiagonal_shifts(a, b2, shifts, None, False)
    assert index[:, 0].tolist() == [-1, 1, 0]
    # λ + s = -0.5, 0.5, 1.5 at s = -1.5: |±0.5| <= 0.6 is degenerate; at s = 0.5 all are >= 1.5
    index, _ = _tridiagonal_shifts(a, b2, shifts, 0.6, False)
    assert index[:, 0].tolist() == [-1, -1, 0]
    index, _ = _tridiagonal_shifts(a, b2, shifts, 0.4, False)
    assert index[:, 0].tolist() == [-1, 1, 0]
    # the band is closed on its upper side too: λ + s = 0.5 = tol exactly (and nothing at -tol)
    index, _ = _tridiagonal_shifts(a, b2, [-0.5, 3.0], 0.5, False)
    assert index[:, 0].tolist() == [-1, 0]


def test_tridiagonal_index_and_logdet_at_many_shifts_match_the_dense_matrix():
    """Same draws rebuilt densely: index[j] = #{λ < -s_j} and log|det(T + s_j I)| for five shifts at once.
    Catches counting at +s instead of -s, the LDLᵀ pivots taken at +s (log|det(T - sI)|) and a shift
    applied to the wrong row."""
    n, size, seed = 4, 300, 17
    shifts = [-1.5, -0.3, 0.0, 0.8, 2.0]
    index, logw = sample_index_shifted("goe", n, size, seed, shifts=shifts, weight="det")
    a, b2 = draw_tridiagonal_rows(n, size, 1.0, np.random.default_rng(seed))
    lam = np.linalg.eigvalsh(tridiagonal_to_dense(a.T, np.sqrt(b2).T))
    for j, s in enumerate(shifts):
        assert np.min(np.abs(lam + s)) > 1e-9  # no draw sits at a degeneracy: the counts are exact
        np.testing.assert_array_equal(index[j], np.count_nonzero(lam < -s, axis=1))
        np.testing.assert_allclose(logw[j], np.log(np.abs(lam + s)).sum(axis=1), rtol=1e-9, atol=1e-9)


def test_dense_paths_count_below_minus_shift_and_halve_gse_pairs():
    """Dense GOE: index = #{λ < -s} and log|det(H + sI)|; dense GSE (2n x 2n complex): half the count and half
    the log|det|. Catches λ - s for λ + s, a GSE index not halved (Kramers pairs counted twice) and a
    GSE weight not halved."""
    shifts = [-0.7, 0.4]
    H = goe_matrices(3, 200, np.random.default_rng(3))
    lam = np.linalg.eigvalsh(H)
    index, logw = sample_index_shifted("goe", 3, 200, 3, shifts=shifts, method="dense", weight="det")
    for j, s in enumerate(shifts):
        np.testing.assert_array_equal(index[j], np.count_nonzero(lam < -s, axis=1))
        np.testing.assert_allclose(logw[j], np.log(np.abs(lam + s)).sum(axis=1), rtol=1e-10)
    lam4 = np.linalg.eigvalsh(gse_matrices(3, 200, np.random.default_rng(4)))
    index, logw = sample_index_shifted("gse", 3, 200, 4, shifts=shifts, method="dense", weight="det")
    assert index.max() <= 3
    for j, s in enumerate(shifts):
        np.testing.assert_array_equal(index[j], np.count_nonzero(lam4 < -s, axis=1) // 2)
        np.testing.assert_allclose(logw[j], 0.5 * np.log(np.abs(lam4 + s)).sum(axis=1), rtol=1e-10)


def test_independent_model_counts_each_shift_on_the_same_spectra():
    """Independent-sign fast path: index[j] = #{λ < -s_j} on the very spectra sample_index draws, and
    P(min at s) = Φ(s)^n within 6σ. Catches every shift counted at the first shift (the wrong cell)."""
    n, size, seed = 3, 20_000, 8
    shifts = [-1.0, 0.0, 0.6]
    index, logw = sample_index_shifted("independent", n, size, seed, shifts=shifts, weight="det")
    lam = independent_sign_spectra(n, size, np.random.default_rng(seed))
    for j, s in enumerate(shifts):
        np.testing.assert_array_equal(index[j], np.count_nonzero(lam < -s, axis=1))
        np.testing.assert_allclose(logw[j], np.log(np.abs(lam + s)).sum(axis=1), rtol=1e-12)
        p = norm.cdf(s) ** n
        assert abs((index[j] == 0).mean() - p) < 6 * math.sqrt(p * (1 - p) / size)


def test_check_shifts_accepts_a_scalar_and_refuses_any_non_finite():
    """Catches `any` for `all` in the finiteness test (one inf among finite shifts passes) and a scalar
    shift not wrapped in a list."""
    assert check_shifts(0.5) == (0.5,)
    assert check_shifts((2, -1)) == (2.0, -1.0)  # order kept
    assert str(check_shifts([-0.0, 1.0])[0]) == "0.0"
    for bad in ([1.0, 1], [0.5, 2.0, 0.5]):
        with pytest.raises(ValueError, match="repeat"):
            check_shifts(bad)
    for bad in ([0.0, np.inf], [np.nan, 1.0], [1.0, -np.inf]):
        with pytest.raises(ValueError, match="finite"):
            check_shifts(bad)


# -- metrics: a 2-class confusion matrix by hand ----------------------------------------------------
#
# truth   min min min sad sad sad sad sad
# pred    min sad sad min sad sad sad sad
# minimum: tp 1, fp 1, fn 2 -> precision 1/2, recall 1/3, F1 2/5
# saddle:  tp 4, fp 2, fn 1 -> precision 2/3, recall 4/5, F1 8/11; accuracy 5/8;
# maximum and degenerate occur nowhere: F1 undefined, left out of macro-F1 = (2/5 + 8/11)/2.

TRUTH = ["minimum"] * 3 + ["saddle"] * 5
PRED = ["minimum", "saddle", "saddle", "minimum", "saddle", "saddle", "saddle", "saddle"]


def test_two_class_metrics_by_hand():
    """Catches precision and recall swapped (1/2 vs 1/3), a transposed confusion matrix, F1 as
    tp/(tp + fp + fn) (Jaccard), and macro-F1 averaged over all four classes instead of those present."""
    C = confusion_matrix(TRUTH, PRED)
    assert C[:2, :2].tolist() == [[1, 2], [1, 4]] and C.sum() == 8
    m = metrics_from_confusion(C)
    pc = m.per_class.set_index("class")
    np.testing.assert_allclose(pc.loc["minimum", ["precision", "recall", "f1"]].astype(float), [1 / 2, 1 / 3, 2 / 5])
    np.testing.assert_allclose(pc.loc["saddle", ["precision", "recall", "f1"]].astype(float), [2 / 3, 4 / 5, 8 / 11])
    assert pc.loc["minimum", "support"] == 3 and pc.loc["minimum", "predicted"] == 2
    assert pc.loc[["maximum", "degenerate"], ["precision", "recall", "f1"]].isna().all().all()
    assert m.accuracy == pytest.approx(5 / 8)
    assert m.macro_f1 == pytest.approx((2 / 5 + 8 / 11) / 2, rel=1e-12)
    assert classification_metrics(TRUTH, PRED).macro_f1 == m.macro_f1


def test_recall_is_undefined_where_nothing_is_true():
    """A class predicted but never true: precision 0, recall NaN (not 0). Catches NaN replaced by 0."""
    m = classification_metrics(["saddle", "saddle"], ["maximum", "saddle"])
    mx = m.per_class.set_index("class").loc["maximum"]
    assert mx.precision == 0 and np.isnan(mx.recall) and mx.f1 == 0


def test_always_label_can_name_every_class_in_full():
    """Catches a label array too narrow for 'degenerate' (10 characters, silently cut to 'degenera')."""
    truth = np.array(["saddle", "degenerate", "minimum"])
    for label in ("degenerate", "minimum", "maximum", "saddle"):
        pred = always_label(truth, label)
        assert pred.tolist() == [label] * 3
    m = classification_metrics(truth, always_label(truth, "degenerate"))
    assert m.accuracy == pytest.approx(1 / 3)


def test_confusion_matrix_must_be_non_negative_counts():
    """Catches the non-negativity check dropped (a -1 count gives a 'precision' above 1)."""
    C = np.zeros((4, 4), int)
    C[0, 0], C[1, 0] = 2, -1
    with pytest.raises(ValueError, match="counts >= 0"):
        metrics_from_confusion(C)
    with pytest.raises(ValueError, match="counts >= 0"):
        metrics_from_confusion(np.full((4, 4), 0.5))


# -- sweep plans: chunk sizes, streams, groups, fingerprints ----------------------------------------


def test_default_chunk_size_exact_values():
    """floor(chunk_elements / n), capped at 10^6, at least 1. Catches +1 (or ceil) in the division,
    the floor of 1 dropped (0-draw chunks) and true division (a float chunk size)."""
    assert default_chunk_size(3, 10) == 3
    assert default_chunk_size(5, 10) == 2
    assert default_chunk_size(11, 10) == 1
    assert default_chunk_size(1, 10) == 10
    assert default_chunk_size(2, 10 * MAX_CHUNK_SAMPLES) == MAX_CHUNK_SAMPLES
    assert isinstance(default_chunk_size(7, 100), int)


def test_chunk_sizes_and_indices_are_exact():
    """10 draws in chunks of floor(7/2) = 3: sizes 3, 3, 3, 1. Catches a last chunk not cut short and
    chunk indices not counting from 0 within each (model, n)."""
    plan = make_plan(["goe"], [2, 3], 10, entropy=1, chunk_elements=7)
    chunks = plan.chunks()
    by_cell = {}
    for c in chunks:
        by_cell.setdefault(c.cell, []).append((c.index, c.size))
    assert by_cell == {0: [(0, 3), (1, 3), (2, 3), (3, 1)], 1: [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2)]}


def test_groups_are_one_per_model_and_n_and_chunks_name_the_first_cell():
    """2 models x 2 n x 3 shifts: 4 groups of 3 consecutive cells, each counted once per chunk. Catches
    groups keyed by model alone (two n sharing draws) and a chunk pointing at a later cell of its group."""
    plan = make_plan(["goe", "independent"], [2, 3], 50, entropy=1, shifts=[-1.0, 0.0, 1.0])
    assert plan.groups == ((0, 1, 2), (3, 4, 5), (6, 7, 8), (9, 10, 11))
    assert {c.cell for c in plan.chunks()} == {0, 3, 6, 9}
    assert plan.group_of(7) == (6, 7, 8)
    for g in plan.groups:
        assert len({(plan.cells[i].model, plan.cells[i].n) for i in g}) == 1
        assert [plan.cells[i].shift for i in g] == [-1.0, 0.0, 1.0]


def test_cells_of_different_models_or_n_have_different_keys_and_streams():
    """Keys of eight distinct (model, n) cells are distinct, and so are their first chunks' states.
    Catches a tag without beta (two β-ensembles share a stream), a Wishart+Wigner tag without eps, and
    a key without n."""
    cells = [Cell(Model("beta", beta=0.5), 3), Cell(Model("beta", beta=1.5), 3),
             Cell(Model("wishart-wigner", phi=0.5, eps=0.1), 3), Cell(Model("wishart-wigner", phi=0.5, eps=0.2), 3),
             Cell(Model("wishart-wigner", phi=0.25, eps=0.1), 3), Cell(Model("goe"), 3), Cell(Model("goe"), 4),
             Cell(Model("gue"), 3)]
    assert len({c.tag for c in cells if c.n == 3}) == 7
    assert len({c.key for c in cells}) == len(cells)
    plan = make_plan([Model("beta", beta=0.5), Model("beta", beta=1.5), "goe"], [3, 4], 100, entropy=9)
    states = [tuple(plan.seed_sequence(c).generate_state(4)) for c in plan.chunks()]
    assert len(plan.chunks()) == 6 and len(set(states)) == 6
    # shifts share draws: the key has no shift in it
    assert Cell(Model("goe"), 3, 1.0).key == Cell(Model("goe"), 3).key


def test_cell_tags_and_keys_are_stable_text_and_crc32():
    """The key is (CRC-32 of the tag, n), the same in every process. Catches Python's salted hash() for the
    CRC and a tag spelled differently from its documented form."""
    assert Cell(Model("goe"), 3).tag == "goe"
    assert Cell(Model("beta", beta=0.5), 3).tag == "beta=0.5"
    assert Cell(Model("wishart-wigner", phi=0.5, eps=0.1), 3).tag == "wishart-wigner:phi=0.5,eps=0.1"
    assert Cell(Model("goe"), 3).key == (zlib.crc32(b"goe"), 3)
    assert Cell(Model("beta", beta=0.5), 7).key == (zlib.crc32(b"beta=0.5"), 7)


def test_make_plan_orders_cells_model_major_and_drops_repeats():
    """Cells run model by model, then n, then shift, in the order given; a repeated n adds nothing.
    Catches the loops swapped (n-major tables) and repeated (model, n) pairs kept."""
    plan = make_plan(["gue", "goe"], [3, 2, 3], 10, entropy=1, shifts=[0.5, -0.5])
    got = [(c.model.name, c.n, c.shift) for c in plan.cells]
    assert got == [("gue", 3, 0.5), ("gue", 3, -0.5), ("gue", 2, 0.5), ("gue", 2, -0.5),
                   ("goe", 3, 0.5), ("goe", 3, -0.5), ("goe", 2, 0.5), ("goe", 2, -0.5)]
    assert not make_plan(["goe"], [2], 10, entropy=1).shifted and plan.shifted


def test_shifted_sweep_counts_each_cell_at_its_own_shift():
    """sweep_counts of a 3-shift, 2-chunk plan equals the histograms of sample_index_shifted on each chunk's
    stream, row j at shift j. Catches every cell of a group counted at the first cell's shift, or a chunk's
    rows added to the wrong cells."""
    plan = make_plan(["independent", "goe"], [2], 300, entropy=4, chunk_elements=300, shifts=[-1.0, 0.0, 1.5])
    counts, _ = sweep_counts(plan)
    want = [np.zeros(4, dtype=np.int64) for _ in plan.cells]
    for chunk in plan.chunks():
        cell = plan.cells[chunk.cell]
        rng = np.random.default_rng(plan.seed_sequence(chunk))
        index, _ = sample_index_shifted(cell.model, 2, chunk.size, rng, shifts=[-1.0, 0.0, 1.5])
        for j, i in enumerate(plan.group_of(chunk.cell)):
            want[i] += index_histogram(index[j], 2)
    for got, w in zip(counts, want):
        np.testing.assert_array_equal(got, w)
    assert counts[0][0] < counts[1][0] < counts[2][0]  # more minima as the shift grows


def test_streams_of_distinct_cells_are_uncorrelated():
    """Two β-ensemble cells: 4000 normals from each cell's chunk stream correlate within 6/sqrt(N) of 0, and
    their index histograms differ. Catches two cells sharing a stream (correlation 1)."""
    plan = make_plan([Model("beta", beta=0.5), Model("beta", beta=1.5)], [3], 4000, entropy=3)
    draws = []
    for c in plan.chunks():
        rng = np.random.default_rng(plan.seed_sequence(c))
        draws.append(rng.standard_normal(4000))
    r = np.corrcoef(draws[0], draws[1])[0, 1]
    assert abs(r) < 6 / math.sqrt(4000)
    h = [run_chunk(plan, c)[0] for c in plan.chunks()]
    assert not np.array_equal(h[0], h[1])


def test_chunks_of_one_cell_never_share_a_stream():
    """Catches the chunk index left out of the spawn key (every chunk of a cell repeats the first)."""
    plan = make_plan(["goe"], [2], 40, entropy=5, chunk_elements=20)
    keys = [plan.seed_sequence(c).spawn_key for c in plan.chunks()]
    assert len(plan.chunks()) == 4 and len(set(keys)) == 4
    assert [k[-1] for k in keys] == [0, 1, 2, 3]
    assert all(k[:2] == plan.cells[0].key for k in keys)


def _fp(**kw):
    base = dict(models=["goe"], ns=[3], samples=1000, entropy=7, method="tridiagonal", tol=None,
                chunk_elements=4000, shifts=[0.0, 1.0], weight=None)
    base.update(kw)
    return make_plan(base.pop("models"), base.pop("ns"), base.pop("samples"), **base).fingerprint()


def test_every_setting_changes_the_fingerprint():
    """A resumed run must not reuse chunks made with another setting: each setting alone changes the
    fingerprint. Catches any one of samples, entropy, method, tol, chunk_elements, the shifts, the weight,
    n, beta, or Wishart+Wigner's eps dropped from it."""
    base = _fp()
    assert base == _fp() and json.loads(json.dumps(base)) == base
    variants = {
        "samples": _fp(samples=1001), "entropy": _fp(entropy=8), "method": _fp(method="dense"),
        "tol": _fp(tol=1e-9), "chunk_elements": _fp(chunk_elements=4001), "shift": _fp(shifts=[0.0, 2.0]),
        "weight": _fp(weight="det"), "n": _fp(ns=[4]),
    }
    for name, fp in variants.items():
        assert fp != base, name
    beta = [_fp(models=[Model("beta", beta=b)]) for b in (0.5, 1.5)]
    assert beta[0] != beta[1]
    # same law, different tag (and stream): GOE and the beta-ensemble at beta = 1
    assert _fp(models=[Model("beta", beta=1.0)]) != base
    assert _fp(models=["independent"]) != base
    ww = [_fp(models=[Model("wishart-wigner", phi=0.5, eps=e)], method="dense") for e in (0.1, 0.2)]
    assert ww[0] != ww[1]
    ww_phi = [_fp(models=[Model("wishart-wigner", phi=p, eps=0.1)], method="dense") for p in (0.5, 0.25)]
    assert ww_phi[0] != ww_phi[1]


# -- sweep tables ------------------------------------------------------------------------------------


def _table(counts, n=3, confidence=0.95, **kw):
    plan = make_plan(["goe"], [n], 10, entropy=1, **kw)
    return plan, results_table(plan, [np.asarray(c) for c in counts], confidence).iloc[0]


def test_results_row_by_hand():
    """n = 3 histogram [5, 20, 30, 10 | 2 degenerate]: minima 5, saddles 50, maxima 10, samples 67 (degenerate
    included), Wilson intervals of k/67. Catches saddles summed over 1..n (the maxima counted twice), the
    degenerate draws left out of the samples, and the interval's confidence ignored."""
    _, r = _table([[5, 20, 30, 10, 2]])
    assert (r.minima, r.saddles, r.maxima, r.degenerate, r.samples) == (5, 50, 10, 2, 67)
    for what, k in (("min", 5), ("saddle", 50), ("max", 10)):
        assert r[f"p_{what}"] == pytest.approx(k / 67)
        assert (r[f"p_{what}_lo"], r[f"p_{what}_hi"]) == pytest.approx(_wilson(k / 67, 67), rel=1e-9)
    assert r.p_degenerate == pytest.approx(2 / 67)
    _, r99 = _table([[5, 20, 30, 10, 2]], confidence=0.99)
    assert (r99.p_min_lo, r99.p_min_hi) == pytest.approx(_wilson(5 / 67, 67, 0.99), rel=1e-9)


def test_coinflip_columns_by_hand():
    """coin-flip log10 P(min) = -3 log10 2; z-scores (k - Np)/sqrt(Np(1-p)) with p = 1/8 for minima and 3/4 for
    saddles; the two-sided binomial p-value 2 P(X <= 5). Catches ln for log10, the saddle z-score taken
    under the minimum's probability, and the p-value fed a probability where it wants a log10."""
    _, r = _table([[5, 20, 30, 10, 2]])
    N = 67
    assert r.coinflip_log10_p_min == pytest.approx(-3 * math.log10(2), rel=1e-12)
    assert r.coinflip_p_min == pytest.approx(1 / 8) and r.coinflip_p_saddle == pytest.approx(3 / 4)
    assert r.z_min_coinflip == pytest.approx((5 - N / 8) / math.sqrt(N / 8 * 7 / 8), rel=1e-12)
    assert r.z_saddle_coinflip == pytest.approx((50 - N * 0.75) / math.sqrt(N * 0.75 * 0.25), rel=1e-12)
    assert r.log10_pvalue_min_coinflip == pytest.approx(math.log10(2 * binom.cdf(5, N, 1 / 8)), rel=1e-9)
    # saddles under p = 3/4 in 134 draws: 120 > Np = 100.5, the upper tail 2 P(X >= 120)
    _, r2 = _table([[5, 60, 60, 7, 2]])
    assert r2.samples == 134 and r2.saddles == 120
    assert r2.log10_pvalue_saddle_coinflip == pytest.approx(math.log10(2 * binom.sf(119, 134, 0.75)), rel=1e-9)


def test_exact_columns_of_goe_n2_by_hand():
    """GOE n = 2: P(min) = 1/2 - 1/(2√2) exactly, P(saddle) = 1 - 2 P(min). Catches P(saddle) = 1 - P(min),
    the ratio to the coin-flip 2^-n inverted, and the exact z-score under the coin-flip probability."""
    _, r = _table([[10, 60, 9, 1]], n=2)
    p = 0.5 - 1 / (2 * math.sqrt(2))
    assert r.exact_p_min == pytest.approx(p, rel=1e-12)
    assert r.exact_log10_p_min == pytest.approx(math.log10(p), rel=1e-12)
    assert r.exact_p_saddle == pytest.approx(1 - 2 * p, rel=1e-12)
    assert r.exact_over_coinflip_p_min == pytest.approx(4 * p, rel=1e-12)
    assert r.log10_exact_over_coinflip_p_min == pytest.approx(math.log10(4 * p), rel=1e-12)
    assert r.z_min_exact == pytest.approx((10 - 80 * p) / math.sqrt(80 * p * (1 - p)), rel=1e-12)


def test_shifted_exact_columns_at_n1():
    """n = 1 at shift s: P(min) = Φ(s), P(max) = Φ(-s), P(saddle) = 0. Catches P(max) evaluated at +s
    (the shift's sign), P(saddle) = 1 - 2 P(min) at s ≠ 0 (assuming H -> -H symmetry) and rows matched to
    the wrong shift."""
    shifts = [-0.5, 0.0, 0.8]
    plan = make_plan(["goe"], [1], 10, entropy=1, shifts=shifts)
    df = results_table(plan, [np.array([3, 7, 0]), np.array([5, 5, 0]), np.array([8, 2, 0])])
    assert df["shift"].tolist() == shifts
    np.testing.assert_allclose(df["exact_log10_p_min"], np.log10(norm.cdf(shifts)), rtol=1e-12)
    np.testing.assert_allclose(df["exact_log10_p_max"], np.log10(norm.cdf(np.negative(shifts))), rtol=1e-12)
    np.testing.assert_allclose(df["exact_p_saddle"], 0.0, atol=1e-12)
    assert df["minima"].tolist() == [3, 5, 8] and df["maxima"].tolist() == [7, 5, 2]


def test_weighted_columns_and_w_fraction_by_hand():
    """The hand sample through the tables: w_p_min = 0.2, w_p_saddle = 0.1, w_p_max = 0.2 (not 0.7 with the
    degenerate bin), se, intervals at the table's confidence, n_eff = 400/130; w_fraction = S1 per bin / S1
    = [4, 2, 4, 10]/20. Catches maxima read from bin n + 1, saddles over 1..n, the confidence not passed to
    the weighted intervals, and w_fraction from the S2 row."""
    plan = make_plan(["goe"], [2], 5, entropy=1, weight="det")
    df = results_table(plan, [_tally()], confidence=0.9)
    r = df.iloc[0]
    assert (r.minima, r.saddles, r.maxima, r.degenerate, r.samples) == (2, 1, 1, 1, 5)
    for what, (_, p, var, n_star) in HAND.items():
        assert r[f"w_p_{what}"] == pytest.approx(p, rel=1e-12)
        assert r[f"w_p_{what}_se"] == pytest.approx(math.sqrt(var), rel=1e-10)
        assert (r[f"w_p_{what}_lo"], r[f"w_p_{what}_hi"]) == pytest.approx(_wilson(p, n_star, 0.9), rel=1e-9)
    assert r.n_eff == pytest.approx(400 / 130) and r.log_mean_w == pytest.approx(math.log(4))
    ic = index_counts_table(plan, [_tally()])
    assert ic["index"].tolist() == [0, 1, 2, -1]
    assert ic["count"].tolist() == [2, 1, 1, 1]
    np.testing.assert_allclose(ic["w_fraction"], [0.2, 0.1, 0.2, 0.5], rtol=1e-12)


def test_index_counts_rows_follow_their_cells():
    """Two cells of different n: each row carries its own cell's n, shift and counts in order. Catches
    counts attached to the wrong cell or the index range cut short."""
    plan = make_plan(["goe"], [1, 2], 10, entropy=1, shifts=[0.0, 0.5])
    counts = [np.array([1, 2, 3]), np.array([4, 5, 6]), np.array([7, 8, 9, 10]), np.array([11, 12, 13, 14])]
    ic = index_counts_table(plan, counts)
    assert len(ic) == 3 + 3 + 4 + 4
    got = ic.groupby(["n", "shift"], sort=False)["count"].apply(list).to_dict()
    assert got == {(1, 0.0): [1, 2, 3], (1, 0.5): [4, 5, 6], (2, 0.0): [7, 8, 9, 10], (2, 0.5): [11, 12, 13, 14]}
    assert ic.loc[(ic["n"] == 2) & (ic["index"] == 2), "label"].unique().tolist() == ["maximum"]
    assert isinstance(ic, pd.DataFrame)
