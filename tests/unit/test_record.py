"""One record format (saddlesim.runtime.record): every committed results folder, every kind, and the checker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saddlesim.runtime.record import RECORD_KEYS, Stopwatch, check_record, make_record, write_record

RESULTS = Path(__file__).resolve().parents[2] / "results"


@pytest.mark.parametrize("meta_path", sorted(RESULTS.glob("*/meta.json")), ids=lambda p: p.parent.name)
def test_every_committed_meta_json_is_one_record(meta_path):
    """Catches a kind whose runner writes its own dialect (flat provenance, total_seconds, config …)."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert check_record(meta) == []
    assert meta["kind"] in __import__("saddlesim.kinds.registry", fromlist=["KINDS"]).KINDS
    # made by `make experiments`: the stamp --if-stale compares
    assert set(meta["provenance"]["experiment"]) == {"spec_sha256", "code_sha256", "quick"}


def test_the_committed_results_cover_every_kind():
    from saddlesim.kinds.registry import KINDS

    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in RESULTS.glob("*/meta.json")}
    assert kinds == set(KINDS)


def test_record_has_the_keys_in_order_and_safe_values(tmp_path):
    watch = Stopwatch()
    rec = make_record("sweep", {"a": 1}, seed_entropy=2**100, timings=watch.timings(part=1.0),
                      summary={"x": float("nan")}, command="saddlesim sweep")
    assert list(rec) == list(RECORD_KEYS)
    assert rec["seed_entropy"] == str(2**100)  # a JSON number would lose digits
    assert rec["summary"]["x"] is None  # NaN is not JSON
    assert rec["provenance"]["command"] == "saddlesim sweep" and rec["timings"]["part"] == 1.0
    path = write_record(tmp_path, rec)
    assert check_record(json.loads(path.read_text())) == []


@pytest.mark.parametrize("breakage, message", [
    (lambda m: m.pop("summary"), "top-level keys"),
    (lambda m: m.update(extra=1), "top-level keys"),
    (lambda m: m["timings"].pop("cpu_seconds"), "timings.cpu_seconds"),
    (lambda m: m["timings"].update(wall_seconds=-1), "timings.wall_seconds"),
    (lambda m: m["provenance"].pop("git_revision"), "provenance lacks git_revision"),
    (lambda m: m.update(seed_entropy=7), "seed_entropy"),
    (lambda m: m.update(fingerprint=[1]), "fingerprint"),
])
def test_check_record_names_each_breakage(tmp_path, breakage, message):
    """Negative controls: each way a record can break is reported, and write_record refuses it."""
    rec = make_record("rare", {}, seed_entropy=None, timings={"wall_seconds": 0.0, "cpu_seconds": 0.0})
    breakage(rec)
    problems = check_record(rec)
    assert any(message in p for p in problems), problems
    with pytest.raises(ValueError, match="not a saddlesim record"):
        write_record(tmp_path, rec)
    assert not (tmp_path / "meta.json").exists()


def test_timings_need_wall_and_cpu():
    with pytest.raises(ValueError, match="cpu_seconds"):
        make_record("x", {}, seed_entropy=None, timings={"wall_seconds": 1.0})


def test_split_caller_meta_takes_the_spec_drops_the_kind_and_keeps_the_rest():
    from saddlesim.runtime.record import split_caller_meta

    spec, extra = split_caller_meta({"spec": {"n": 3}, "kind": "sweep", "title": "t"}, {"n": 9})
    assert spec == {"n": 3} and extra == {"title": "t"}
    spec, extra = split_caller_meta(None, {"n": 9})
    assert spec == {"n": 9} and extra == {}
