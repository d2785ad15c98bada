"""Sweep engine: chunking, seeding by content, worker-independence, resume, tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from saddlesim.sweep import (
    ChunkStore,
    make_plan,
    results_table,
    run_sweep,
    sweep_counts,
)
from saddlesim.sweep.plan import MAX_CHUNK_SAMPLES, default_chunk_size

# small chunks, so a few thousand samples already make several chunks per cell
SMALL = dict(entropy=12345, chunk_elements=4_000)


def _plan(samples=9_000, **kw):
    return make_plan(["goe", "independent"], [1, 2, 3, 8], samples, **{**SMALL, **kw})


def test_chunks_cover_every_cell_exactly_and_are_bounded():
    plan = _plan()
    chunks = plan.chunks()
    for i, cell in enumerate(plan.cells):
        sizes = [c.size for c in chunks if c.cell == i]
        assert sum(sizes) == plan.samples
        assert max(sizes) * cell.n <= plan.chunk_elements
        assert [c.index for c in chunks if c.cell == i] == list(range(len(sizes)))
    assert len({c.index for c in chunks if c.cell == 0}) > 1


def test_default_chunk_size_bounds_samples_times_n():
    assert default_chunk_size(1) == MAX_CHUNK_SAMPLES
    assert default_chunk_size(1000) * 1000 <= 1 << 23
    assert default_chunk_size(10**9) == 1


def test_streams_keyed_by_cell_content_not_position():
    # adding a model in front must not change the counts of the others
    a = make_plan(["goe"], [3], 5_000, **SMALL)
    b = make_plan(["gue", "goe"], [2, 3], 5_000, **SMALL)
    ca, _ = sweep_counts(a)
    cb, _ = sweep_counts(b)
    i = [(c.model.name, c.n) for c in b.cells].index(("goe", 3))
    np.testing.assert_array_equal(ca[0], cb[i])


def test_different_seed_gives_different_counts():
    c1, _ = sweep_counts(_plan(entropy=1))
    c2, _ = sweep_counts(_plan(entropy=2))
    assert any(not np.array_equal(x, y) for x, y in zip(c1, c2))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(models=[], ns=[2], samples=10), "at least one model"),
        (dict(models=["goe"], ns=[], samples=10), "at least one dimension"),
        (dict(models=["goe"], ns=[0], samples=10), "n must be >= 1"),
        (dict(models=["goe"], ns=[2], samples=0), "samples must be"),
        (dict(models=["nope"], ns=[2], samples=10), "unknown model"),
        (dict(models=["goe"], ns=[2], samples=10, method="qr"), "unknown method"),
        (dict(models=["goe"], ns=[2], samples=10, entropy=-1), "seed must be"),
    ],
)
def test_make_plan_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_plan(kwargs.pop("models"), kwargs.pop("ns"), kwargs.pop("samples"), **kwargs)


def test_one_and_two_workers_write_identical_tables(tmp_path):
    plan = _plan()
    r1 = run_sweep(plan, tmp_path / "w1", workers=1)
    r2 = run_sweep(plan, tmp_path / "w2", workers=2)
    for name in ("results.csv", "index_counts.csv"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes()
    assert r2.meta["timings"]["workers"] == 2
    pd.testing.assert_frame_equal(r1.results, r2.results)


class Interrupt(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_sweep_resumes_to_the_uninterrupted_tables(tmp_path, workers):
    plan = _plan()
    reference = run_sweep(plan, tmp_path / "ref", workers=1)

    seen = []

    def stop_after_three(chunk, counts, seconds):
        seen.append(chunk)
        if len(seen) == 3:
            raise Interrupt

    out = tmp_path / "resumed"
    with pytest.raises(Interrupt):
        run_sweep(plan, out, workers=workers, on_chunk=stop_after_three)
    assert not (out / "meta.json").exists()  # an unfinished folder never claims completeness
    assert len(ChunkStore(out, plan).load()) >= 3

    resumed = run_sweep(plan, out, workers=workers)
    assert resumed.meta["timings"]["chunks_resumed"] >= 3
    for name in ("results.csv", "index_counts.csv"):
        assert (out / name).read_bytes() == (tmp_path / "ref" / name).read_bytes()
    pd.testing.assert_frame_equal(resumed.results, reference.results)
    assert not (out / ".chunks").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_different_sweep_in_same_folder_is_refused_then_overwritten(tmp_path):
    out = tmp_path / "o"
    with pytest.raises(Interrupt):
        run_sweep(_plan(), out, workers=1, on_chunk=lambda *a: (_ for _ in ()).throw(Interrupt()))
    other = _plan(entropy=99)
    with pytest.raises(ValueError, match="different arguments"):
        run_sweep(other, out, workers=1)
    r = run_sweep(other, out, workers=1, overwrite=True)
    assert r.meta["timings"]["chunks_resumed"] == 0
    assert json.loads((out / "meta.json").read_text())["seed_entropy"] == "99"
    # a finished folder of another run is also protected
    with pytest.raises(ValueError, match="different run"):
        run_sweep(_plan(entropy=5), out, workers=1)


def test_unwritable_output_creates_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        run_sweep(_plan(), blocker / "sub" / "out", workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_results_table_counts_estimates_and_coinflip_columns(tmp_path):
    plan = _plan()
    r = run_sweep(plan, tmp_path / "o", workers=1)
    df = pd.read_csv(tmp_path / "o" / "results.csv")
    for col in ["model", "beta", "n", "samples", "minima", "maxima", "saddles", "degenerate",
                "p_min", "p_min_lo", "p_min_hi", "p_max", "p_max_lo", "p_max_hi",
                "p_saddle", "p_saddle_lo", "p_saddle_hi", "coinflip_p_min", "coinflip_p_saddle",
                "coinflip_log10_p_min", "z_min_coinflip", "log10_pvalue_min_coinflip"]:
        assert col in df, col
    assert (df["samples"] == plan.samples).all()
    assert (df[["minima", "maxima", "saddles", "degenerate"]].sum(axis=1) == df["samples"]).all()
    assert (df["p_min_lo"] <= df["p_min"]).all() and (df["p_min"] <= df["p_min_hi"]).all()
    np.testing.assert_allclose(df["coinflip_p_min"], 2.0 ** -df["n"])
    np.testing.assert_allclose(df["coinflip_p_saddle"], 1 - 2.0 ** (1 - df["n"]))
    assert (df.loc[df["n"] == 1, "saddles"] == 0).all()
    pd.testing.assert_frame_equal(df, r.results, check_dtype=False)


def test_index_counts_are_tidy_with_degenerate_row(tmp_path):
    plan = _plan()
    run_sweep(plan, tmp_path / "o", workers=1)
    ic = pd.read_csv(tmp_path / "o" / "index_counts.csv")
    res = pd.read_csv(tmp_path / "o" / "results.csv")
    assert list(ic.columns) == ["model", "beta", "n", "index", "label", "count"]
    for r in res.itertuples():
        cell = ic[(ic["model"] == r.model) & (ic["n"] == r.n)]
        assert sorted(cell["index"]) == [-1, *range(r.n + 1)]
        assert cell["count"].sum() == r.samples
        assert cell.loc[cell["index"] == 0, "count"].item() == r.minima
        assert cell.loc[cell["index"] == -1, "label"].item() == "degenerate"


def test_meta_records_seed_spec_provenance_and_timings(tmp_path):
    run_sweep(_plan(), tmp_path / "o", workers=1, meta_extra={"spec": {"x": 1}})
    meta = json.loads((tmp_path / "o" / "meta.json").read_text())
    assert meta["kind"] == "sweep" and meta["spec"] == {"x": 1}
    assert meta["seed_entropy"] == "12345"
    assert {"numpy", "git_revision"} <= set(meta["provenance"])
    assert meta["timings"]["wall_seconds"] >= 0


def test_histograms_add_across_chunks():
    plan = _plan()
    counts, _ = sweep_counts(plan)
    df = results_table(plan, counts)
    assert (df["samples"] == plan.samples).all()
