import numpy as np
import pytest

from saddlesim.index.metrics import (
    CLASSES,
    always_label,
    classification_metrics,
    confusion_matrix,
    format_value,
    metrics_from_confusion,
)

nan = np.nan


def _row(m, cls):
    return m.per_class.set_index("class").loc[cls]


def test_hand_computed_confusion_matrix():
    """Truth 3 min, 5 saddle, 2 max; one saddle predicted degenerate. Every number below is by hand:
    catches swapped rows/columns (precision ↔ recall), F1 as arithmetic mean, an off-by-one in counts."""
    truth = ["minimum"] * 3 + ["saddle"] * 5 + ["maximum"] * 2
    pred = ["minimum", "minimum", "saddle", "minimum", "saddle", "saddle", "saddle", "degenerate", "maximum", "maximum"]
    C = confusion_matrix(truth, pred)
    assert C.tolist() == [[2, 1, 0, 0], [1, 3, 0, 1], [0, 0, 2, 0], [0, 0, 0, 0]]
    m = metrics_from_confusion(C)
    assert m.accuracy == pytest.approx(7 / 10)
    expect = {  # precision, recall, f1
        "minimum": (2 / 3, 2 / 3, 2 / 3),
        "saddle": (3 / 4, 3 / 5, 2 / 3),
        "maximum": (1.0, 1.0, 1.0),
        "degenerate": (0.0, nan, 0.0),  # predicted once, never true: precision 0, recall undefined
    }
    for cls, (p, r, f) in expect.items():
        row = _row(m, cls)
        np.testing.assert_allclose([row.precision, row.recall, row.f1], [p, r, f], rtol=1e-12)
    assert m.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1 + 0) / 4)
    assert _row(m, "saddle").support == 5 and _row(m, "saddle").predicted == 4


def test_always_saddle_baseline():
    """The coin-flip §3 point: accuracy = saddle prevalence, minimum recall 0 with precision undefined
    (not 0), and macro-F1 charges 0 for each class never named."""
    truth = np.array(["minimum"] + ["saddle"] * 8 + ["maximum"])
    m = classification_metrics(truth, always_label(truth))
    assert m.accuracy == pytest.approx(0.8)
    mn = _row(m, "minimum")
    assert mn.recall == 0 and np.isnan(mn.precision) and mn.f1 == 0
    sd = _row(m, "saddle")
    assert sd.precision == pytest.approx(0.8) and sd.recall == 1 and sd.f1 == pytest.approx(8 / 9)
    dg = _row(m, "degenerate")
    assert np.isnan(dg.precision) and np.isnan(dg.recall) and np.isnan(dg.f1)
    assert m.macro_f1 == pytest.approx((0 + 8 / 9 + 0) / 3)


def test_empty_and_single_class():
    m = metrics_from_confusion(np.zeros((4, 4), int))
    assert np.isnan(m.accuracy) and np.isnan(m.macro_f1)
    assert m.per_class[["precision", "recall", "f1"]].isna().all().all()
    m = classification_metrics(["saddle"] * 3, ["saddle"] * 3)
    assert m.accuracy == 1 and m.macro_f1 == 1  # classes absent from both sides do not count


def test_perfect_classifier_on_every_class():
    truth = np.repeat(CLASSES, [1, 2, 3, 4])
    m = classification_metrics(truth, truth)
    assert np.all(m.per_class[["precision", "recall", "f1"]].to_numpy() == 1)
    assert np.array_equal(m.confusion, np.diag([1, 2, 3, 4]))


def test_errors_and_rendering():
    with pytest.raises(ValueError, match="unknown label.*'minima'"):
        confusion_matrix(["minima"], ["saddle"])
    with pytest.raises(ValueError, match="differ in length"):
        confusion_matrix(["saddle"], ["saddle", "saddle"])
    with pytest.raises(ValueError, match="4x4"):
        metrics_from_confusion(np.ones((3, 3)))
    with pytest.raises(ValueError, match="label must be one of"):
        always_label(["saddle"], "minima")
    assert format_value(nan) == "—" and format_value(0.0) == "0.0000" and format_value(0.5, 2) == "0.50"
