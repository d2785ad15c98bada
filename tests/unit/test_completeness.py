"""Chao1 completeness of a landscape run: exact on hand-made counts, recorded per instance, warned about.

Smallest bugs caught: f₁²/f₂ without the 2; the f₂ = 0 case as f₁²/2 (no
bias correction) or 0; an instance that found nothing dropped from the list;
a warning that never fires, or fires on a complete search.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.critical.completeness import chao1, completeness, missing_warning


@pytest.mark.parametrize("counts, f1, f2, missing", [
    ([1, 1, 2, 3], 2, 1, 2.0),          # f1²/(2 f2) = 4/2
    ([1, 1, 1, 2, 2, 7], 3, 2, 9 / 4),  # 9/4
    ([1, 1, 1, 5], 3, 0, 3.0),          # f2 = 0: f1(f1-1)/2 = 3
    ([1, 4], 1, 0, 0.0),                # one singleton, no doubleton: nothing missing
    ([2, 2, 3], 0, 2, 0.0),
    ([], 0, 0, 0.0),
])
def test_chao1_on_hand_made_counts(counts, f1, f2, missing):
    c = chao1(counts)
    assert (c["observed"], c["f1"], c["f2"]) == (len(counts), f1, f2)
    assert c["estimated_missing"] == pytest.approx(missing, rel=1e-15)
    assert c["estimated"] == pytest.approx(len(counts) + missing, rel=1e-15)


def test_chao1_refuses_zero_counts():
    with pytest.raises(ValueError):
        chao1([0, 1])


def test_completeness_lists_every_instance_and_the_warning_names_the_worst():
    pts = pd.DataFrame({"instance": [0, 0, 0, 2, 2], "times_found": [1, 1, 2, 5, 6]})
    per = completeness(pts, 3)
    assert [c["instance"] for c in per] == [0, 1, 2]
    assert [c["estimated_missing"] for c in per] == [2.0, 0.0, 0.0] and per[1]["observed"] == 0
    w = missing_warning(per)
    assert "missing" in w and "1 of 3" in w and "instance 0" in w
    assert missing_warning(per[1:]) is None


def test_a_short_search_records_completeness_and_warns(tmp_path):
    r = CliRunner().invoke(app, ["landscape", "--loss", "pspin", "--p", "3", "--dim", "8", "--starts", "30",
                                 "--hops", "0", "--seed", "1", "--out", str(tmp_path / "few"), "--quiet"])
    assert r.exit_code == 0, r.output
    per = json.loads((tmp_path / "few" / "meta.json").read_text())["summary"]["completeness"]
    assert [c["instance"] for c in per] == [0] and {"observed", "estimated", "estimated_missing"} <= set(per[0])
    found = pd.read_csv(tmp_path / "few" / "critical_points.csv")
    assert per[0] == {"instance": 0, **chao1(found["times_found"].to_numpy())}
    assert per[0]["estimated_missing"] >= 1 and "missing" in r.output


def test_default_hops_find_every_critical_point_of_pspin_p2_and_do_not_warn(tmp_path):
    """p = 2, N = 6: ±each of the 6 eigenvectors of the coupling matrix, 12 points, index 0…5 twice each."""
    r = CliRunner().invoke(app, ["landscape", "--loss", "pspin", "--p", "2", "--dim", "6", "--instances", "5",
                                 "--seed", "3", "--out", str(tmp_path / "p2"), "--quiet"])
    assert r.exit_code == 0, r.output
    pts = pd.read_csv(tmp_path / "p2" / "critical_points.csv")
    assert pts.groupby("instance").size().tolist() == [12] * 5
    assert all((pts.groupby("instance")["index"].value_counts() == 2))
    assert "missing" not in r.output


def test_default_hops_find_every_class_of_the_autoencoder_k5_p3(tmp_path):
    """All C(5,0)+…+C(5,3) = 26 Baldi–Hornik classes (subsets I of the data's eigendirections) at --seed 5."""
    import numpy as np

    from saddlesim.theory.linear_ae import linear_ae_class_count

    r = CliRunner().invoke(app, ["landscape", "--loss", "linear-ae", "--k", "5", "--width", "3", "--seed", "5",
                                 "--out", str(tmp_path / "ae"), "--quiet"])
    assert r.exit_code == 0, r.output
    X = pd.read_csv(tmp_path / "ae" / "coordinates.csv").filter(like="x").to_numpy()
    classes = set()
    for x in X:   # the class of W₂W₁: the eigendirections it projects onto (its diagonal is 0 or 1)
        A = x[15:].reshape(5, 3) @ x[:15].reshape(3, 5)
        classes.add(tuple(np.flatnonzero(np.diag(A) > 0.5)))
    assert len(classes) == linear_ae_class_count(5, 3) == 26
