"""How well a classifier labels critical points: confusion matrix, accuracy, precision, recall, F1.

Minima are the rarest class there is (a GOE critical point at n = 10 is a
minimum with probability 2·10⁻¹⁴), so accuracy alone rewards a classifier
that always answers "saddle". Per-class precision, recall and F1 and their
macro average say what accuracy hides.

Definitions, for a class c with tp = true c predicted c, fp = other predicted
c, fn = true c predicted other:

- precision = tp / (tp + fp), **undefined (NaN)** when nothing was predicted c;
- recall    = tp / (tp + fn), **undefined (NaN)** when no true point is c;
- F1        = 2tp / (2tp + fp + fn), the harmonic mean of precision and
  recall where both are defined, **undefined (NaN)** only when c occurs
  neither in the truth nor in the predictions. A class that exists but is
  never predicted gets F1 = 0 (it found none of them), not NaN;
- accuracy  = Σ tp / total (NaN for no points);
- macro-F1  = mean F1 over the classes where F1 is defined (those that occur
  in the truth or the predictions), so the "always saddle" classifier is
  charged 0 for every class it never names.

Undefined values are NaN in arrays and tables, and "—" when rendered; they
are never shown as 0.

References
----------
Sokolova & Lapalme (2009), A systematic analysis of performance measures for
classification tasks, Information Processing & Management 45, 427–437.
Van Rijsbergen (1979), *Information Retrieval*, ch. 7 (the F measure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from saddlesim.index.classify import LABELS

__all__ = [
    "CLASSES",
    "confusion_matrix",
    "Metrics",
    "metrics_from_confusion",
    "classification_metrics",
    "always_label",
    "format_value",
]

#: Table order of the classes (rows and columns of every confusion matrix).
CLASSES: tuple[str, ...] = ("minimum", "saddle", "maximum", "degenerate")
assert set(CLASSES) == set(LABELS)


def _as_labels(a, what: str) -> np.ndarray:
    a = np.asarray(a).astype(str).ravel()
    known = np.isin(a, CLASSES)
    if not known.all():
        bad = sorted(set(a[~known].tolist()))
        raise ValueError(f"{what} has unknown label(s) {', '.join(map(repr, bad))}; expected one of {', '.join(CLASSES)}")
    return a


def confusion_matrix(truth, predicted) -> np.ndarray:
    """Counts C[i, j] of points whose true class is CLASSES[i] and predicted class CLASSES[j].

    Parameters
    ----------
    truth, predicted : array_like of str, shape (size,)
        Labels from :data:`CLASSES`.

    Returns
    -------
    C : ndarray of int64, shape (4, 4)
        Rows: truth; columns: prediction; order :data:`CLASSES`.

    Raises
    ------
    ValueError
        Different lengths or an unknown label.
    """
    t = _as_labels(truth, "truth")
    p = _as_labels(predicted, "prediction")
    if t.shape != p.shape:
        raise ValueError(f"truth and prediction differ in length: {t.size} and {p.size}")
    k = len(CLASSES)
    ti = np.zeros(t.size, dtype=np.int64)
    pi = np.zeros(p.size, dtype=np.int64)
    for i, c in enumerate(CLASSES):  # vectorised over points; four classes
        ti[t == c] = i
        pi[p == c] = i
    return np.bincount(ti * k + pi, minlength=k * k).reshape(k, k).astype(np.int64)


@dataclass(frozen=True)
class Metrics:
    """Metrics of one confusion matrix (NaN where undefined; see the module docstring).

    Attributes
    ----------
    confusion : ndarray, shape (4, 4)
    accuracy, macro_f1 : float
    per_class : pandas.DataFrame
        One row per class: ``class, support, predicted, tp, precision, recall, f1``.
    """

    confusion: np.ndarray
    accuracy: float
    macro_f1: float
    per_class: pd.DataFrame

    def confusion_frame(self) -> pd.DataFrame:
        """The confusion matrix with labelled rows (truth) and columns (prediction)."""
        return pd.DataFrame(
            self.confusion,
            index=pd.Index(CLASSES, name="truth"),
            columns=pd.Index(CLASSES, name="predicted"),
        )


def metrics_from_confusion(C) -> Metrics:
    """Accuracy, per-class precision/recall/F1 and macro-F1 of a 4×4 confusion matrix.

    Parameters
    ----------
    C : array_like of int, shape (4, 4)
        Rows truth, columns prediction, order :data:`CLASSES`.

    Returns
    -------
    Metrics

    References
    ----------
    Sokolova & Lapalme (2009).
    """
    C = np.asarray(C)
    k = len(CLASSES)
    if C.shape != (k, k) or np.any(C < 0) or not np.all(np.equal(np.mod(C, 1), 0)):
        raise ValueError(f"a confusion matrix must be a {k}x{k} array of counts >= 0, got shape {C.shape}")
    C = C.astype(np.int64)
    tp = np.diag(C).astype(float)
    support = C.sum(axis=1).astype(float)  # true members of each class
    predicted = C.sum(axis=0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, np.nan)
        recall = np.where(support > 0, tp / support, np.nan)
        denom = support + predicted  # = 2tp + fp + fn
        f1 = np.where(denom > 0, 2 * tp / denom, np.nan)
    total = C.sum()
    accuracy = float(tp.sum() / total) if total > 0 else float("nan")
    macro = float(np.nanmean(f1)) if np.any(np.isfinite(f1)) else float("nan")
    per_class = pd.DataFrame(
        {
            "class": list(CLASSES),
            "support": support.astype(np.int64),
            "predicted": predicted.astype(np.int64),
            "tp": tp.astype(np.int64),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    )
    return Metrics(confusion=C, accuracy=accuracy, macro_f1=macro, per_class=per_class)


def classification_metrics(truth, predicted) -> Metrics:
    """:func:`metrics_from_confusion` of :func:`confusion_matrix` ``(truth, predicted)``."""
    return metrics_from_confusion(confusion_matrix(truth, predicted))


def always_label(truth, label: str = "saddle") -> np.ndarray:
    """The trivial classifier that answers ``label`` for every point (the baseline a rare label needs to beat).

    Its accuracy is the prevalence of ``label``; for every other class present
    its recall is 0 and its precision undefined.
    """
    if label not in CLASSES:
        raise ValueError(f"label must be one of {', '.join(CLASSES)}, got {label!r}")
    return np.full(np.asarray(truth).size, label, dtype="<U10")


def format_value(v: float, digits: int = 4) -> str:
    """Render a metric; undefined (NaN) is "—", never 0."""
    return "—" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"
