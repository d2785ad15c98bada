"""``saddlesim classify`` through CliRunner: labels, CSV, and unreadable or invalid Hessians."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

runner = CliRunner()


def invoke(args):
    return runner.invoke(app, [str(a) for a in args])


def test_classify_stack_counts_and_csv(tmp_path):
    H = np.stack([np.diag([1.0, 2.0]), np.diag([-1.0, -2.0]), np.diag([1.0, -2.0]),
                  np.diag([0.0, 1.0])])
    f = tmp_path / "h.npy"
    np.save(f, H)
    out = tmp_path / "labels.csv"
    r = invoke(["classify", f, "--out", out])
    assert r.exit_code == 0, r.output
    for label in ("minimum", "maximum", "saddle", "degenerate"):
        assert label in r.stdout
    df = pd.read_csv(out)
    assert list(df.columns) == ["matrix", "index", "label", "negative", "nullity", "positive", "inertia_label"]
    assert df["label"].tolist() == ["minimum", "maximum", "saddle", "degenerate"]
    assert df["index"].tolist() == [0, 2, 1, -1]
    assert df["inertia_label"].tolist() == ["minimum", "maximum", "saddle", "degenerate minimum"]


def test_singular_hessian_reports_index_nullity_and_positive_count(tmp_path):
    """A singular Hessian is more than 'degenerate': index 1, nullity 1, 2 positive = a degenerate
    saddle, named as the landscape finder names it. Catches the null eigenvalue counted as negative
    or positive, or labels that disagree with saddlesim.index.classify.label_with_nullity."""
    from saddlesim.index.classify import label_with_nullity

    f = tmp_path / "one.npy"
    np.save(f, np.diag([1.0, 0.0, -2.0, 3.0]))
    r = invoke(["classify", f])
    assert r.exit_code == 0, r.output
    assert "index 1, nullity 1, positive 2 (degenerate saddle)" in r.stdout
    H = np.stack([np.diag([0.0, 2.0, 3.0]), np.diag([0.0, -2.0, -3.0]), np.zeros((3, 3))])
    np.save(f, H)
    out = tmp_path / "o.csv"
    assert invoke(["classify", f, "--out", out]).exit_code == 0
    df = pd.read_csv(out)
    assert df[["negative", "nullity", "positive"]].values.tolist() == [[0, 1, 2], [2, 1, 0], [0, 3, 0]]
    assert df["inertia_label"].tolist() == list(label_with_nullity(df["negative"], df["nullity"], df["positive"]))
    assert df["inertia_label"].tolist() == ["degenerate minimum", "degenerate maximum", "flat"]


def test_classify_single_matrix_and_tol(tmp_path):
    f = tmp_path / "one.npy"
    np.save(f, np.array([[1e-3, 0.0], [0.0, 1.0]]))
    r = invoke(["classify", f])
    assert r.exit_code == 0 and "1 matrix" in r.stdout
    r = invoke(["classify", f, "--tol", "0.01", "--out", tmp_path / "o.csv"])
    assert r.exit_code == 0
    assert pd.read_csv(tmp_path / "o.csv")["label"].tolist() == ["degenerate"]


def _write(tmp_path, kind):
    f = tmp_path / "bad.npy"
    if kind == "missing":
        return tmp_path / "nope.npy"
    if kind == "garbage":
        f.write_text("not numpy")
    elif kind == "ragged":
        np.save(f, np.array([np.zeros((2, 2)), np.zeros((3, 3))], dtype=object), allow_pickle=True)
    elif kind == "nonsquare":
        np.save(f, np.zeros((3, 2, 4)))
    elif kind == "asymmetric":
        np.save(f, np.array([[1.0, 2.0], [0.0, 1.0]]))
    elif kind == "nan":
        np.save(f, np.array([[np.nan, 0.0], [0.0, 1.0]]))
    elif kind == "vector":
        np.save(f, np.zeros(4))
    elif kind == "strings":
        np.save(f, np.array([["a", "b"], ["b", "a"]]))
    elif kind == "npz":
        f = tmp_path / "bad.npz"
        np.savez(f, H=np.eye(2))
    return f


@pytest.mark.parametrize(
    "kind", ["missing", "garbage", "ragged", "nonsquare", "asymmetric", "nan", "vector", "strings", "npz"]
)
def test_bad_files_are_one_line_exit_2_and_write_no_csv(tmp_path, kind):
    f = _write(tmp_path, kind)
    out = tmp_path / "labels.csv"
    r = invoke(["classify", f, "--out", out])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("Error: ") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_bad_out_is_refused_before_work(tmp_path):
    f = tmp_path / "h.npy"
    np.save(f, np.eye(2))
    for out in (tmp_path, tmp_path / "missing_dir" / "x.csv"):
        r = invoke(["classify", f, "--out", out])
        assert r.exit_code == 2 and r.stderr.startswith("Error: ")
    assert not (tmp_path / "missing_dir").exists()
