"""``saddlesim classify H.npy --truth LABELS.csv``: confusion matrix and metrics, and bad truth files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app

runner = CliRunner()


def invoke(args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})


@pytest.fixture
def files(tmp_path):
    # predictions: minimum, saddle, saddle, maximum
    H = np.stack([np.diag([1.0, 2.0]), np.diag([1.0, -2.0]), np.diag([-1.0, 2.0]), np.diag([-1.0, -2.0])])
    np.save(tmp_path / "h.npy", H)
    # truth (rows out of order on purpose): minimum, minimum, saddle, maximum
    pd.DataFrame({"matrix": [3, 0, 1, 2], "label": ["maximum", "minimum", "minimum", "saddle"]}).to_csv(
        tmp_path / "truth.csv", index=False
    )
    return tmp_path


def test_truth_prints_confusion_and_metrics_beside_baseline(files):
    """Hand-computed: accuracy 3/4, minimum P = 1, R = 1/2, saddle P = 1/2, R = 1; the always-saddle
    baseline has accuracy 1/4 (saddle prevalence) and undefined minimum precision (shown as —)."""
    r = invoke(["classify", files / "h.npy", "--truth", files / "truth.csv"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    cm_min = next(line for line in lines if line.strip("│ ").startswith("minimum") and line.count("│") == 6)
    assert [int(v) for v in cm_min.replace("│", " ").split()[1:]] == [1, 1, 0, 0]
    row = next(line for line in lines if line.strip("│ ").startswith("minimum") and line.count("│") == 9)
    assert row.replace("│", " ").split()[1:] == ["2", "1.000", "0.500", "0.667", "—", "0.000", "0.000"]
    assert "accuracy 0.7500" in r.stdout
    assert "baseline (always 'saddle'): accuracy 0.2500" in r.stdout


@pytest.mark.parametrize(
    "content,msg",
    [
        ("matrix,lab\n0,saddle\n", "missing column(s) label"),
        ("matrix,label\n0,minimum\n1,minimum\n2,saddle\n", "one row per matrix 0..3, got 3 rows"),
        ("matrix,label\n0,minimum\n0,minimum\n1,saddle\n2,saddle\n", "one row per matrix"),
        ("matrix,label\n0,minimum\n1,minima\n2,saddle\n3,maximum\n", "unknown label(s) 'minima'"),
        ("matrix,label\nx,minimum\n1,saddle\n2,saddle\n3,maximum\n", "must hold integers"),
    ],
)
def test_bad_truth_is_a_one_line_error_and_writes_nothing(files, content, msg):
    bad = files / "bad.csv"
    bad.write_text(content)
    out = files / "labels.csv"
    r = invoke(["classify", files / "h.npy", "--truth", bad, "--out", out])
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("Error: ") and msg in r.stderr
    assert "Traceback" not in r.output and not out.exists()


def test_missing_truth_file(files):
    r = invoke(["classify", files / "h.npy", "--truth", files / "nope.csv"])
    assert r.exit_code == 2 and "no such file" in r.stderr
