"""An interrupted rare-event run resumes to the tables of an uninterrupted one (like a sweep)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import saddlesim.rare.estimate as estimate
from saddlesim.cli import app
from saddlesim.models import Model
from saddlesim.kinds.rare import run_rare
from saddlesim.rare.store import REPLICATES_DIR, RarePlan, ReplicateStore

PLAN = RarePlan(((Model("goe"), 3), (Model("beta", beta=1.5), 4)), 7, 30, 6, None, (0.5,))
TABLES = ("results.csv", "fits.csv")


def _run(out, **kw):
    return run_rare(PLAN, out, {"test": True}, workers=1, plot=False, **kw)


def test_interrupted_run_resumes_to_identical_tables_without_redoing_work(tmp_path, monkeypatch):
    """Stop after 5 journaled jobs (2 pilots + 3 replicates), rerun: byte-identical tables, and only
    the 9 unfinished replicates run again. Catches a journal that loses or double-counts jobs, a
    resumed replicate on another stream or schedule, or kept jobs recomputed anyway."""
    ref, _ = _run(tmp_path / "ref")
    save = ReplicateStore.save
    saved = []

    def stop_after_five(self, key, result):
        save(self, key, result)
        saved.append(key)
        if len(saved) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(ReplicateStore, "save", stop_after_five)
    with pytest.raises(KeyboardInterrupt):
        _run(tmp_path / "cut")
    monkeypatch.setattr(ReplicateStore, "save", save)
    assert not (tmp_path / "cut" / "meta.json").exists()
    assert len(list((tmp_path / "cut" / REPLICATES_DIR).glob("*.npz"))) == 5

    runs = []
    replicate = estimate._replicate
    monkeypatch.setattr(estimate, "_replicate", lambda job: runs.append(1) or replicate(job))
    df, _ = _run(tmp_path / "cut")
    assert len(runs) == 2 * 6 - 3
    for name in TABLES:
        assert (tmp_path / "cut" / name).read_bytes() == (tmp_path / "ref" / name).read_bytes(), name
    assert df.equals(ref)
    assert not (tmp_path / "cut" / REPLICATES_DIR).exists()
    meta = json.loads((tmp_path / "cut" / "meta.json").read_text())
    assert meta["fingerprint"] == PLAN.fingerprint()


@pytest.mark.parametrize("change, key", [
    ({"entropy": 8}, "seed"), ({"walkers": 31}, "walkers"), ({"replicates": 7}, "replicates"),
    ({"sweeps": 3}, "sweeps"), ({"shifts": (0.25,)}, "shifts"),
    ({"cells": ((Model("goe"), 3), (Model("beta", beta=1.5), 5))}, "cells"),
])
def test_every_setting_is_in_the_fingerprint(tmp_path, change, key):
    """A finished run refuses a rerun that differs in any one setting, naming it. Catches a
    fingerprint that drops a component (a resume would reuse jobs made with another setting)."""
    from dataclasses import replace

    out = tmp_path / "o"
    (out / REPLICATES_DIR).mkdir(parents=True)
    store = ReplicateStore(out, PLAN)
    store.open()
    other = ReplicateStore(out, replace(PLAN, **change))
    message = other.conflict()
    assert message is not None and f"{key}:" in message


def test_cli_rare_resume_refusal_and_overwrite(tmp_path):
    out = tmp_path / "o"
    base = ["rare", "-n", "3", "--budget", "0.03", "--replicates", "3", "-w", "1", "-q", "--out", str(out)]
    assert CliRunner().invoke(app, [*base, "--seed", "1"]).exit_code == 0
    first = (out / "results.csv").read_bytes()
    r = CliRunner().invoke(app, [*base, "--seed", "2"])
    assert r.exit_code == 2 and "the run there used --seed 1" in r.stderr
    assert (out / "results.csv").read_bytes() == first
    assert CliRunner().invoke(app, [*base, "--seed", "2", "--overwrite"]).exit_code == 0
    assert (out / "results.csv").read_bytes() != first
