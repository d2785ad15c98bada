"""Shifted ensembles H = G + s·I: same draws for every shift, exact counts, log|det| from pivots, tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.cli.parse import parse_float_list
from saddlesim.models.gaussian import tridiagonal_to_dense
from saddlesim.index.sampling import sample_index
from saddlesim.index.shifted import _tridiagonal_at_shift, check_shifts, sample_index_shifted
from saddlesim.sweep import make_plan, run_sweep, sweep_counts
from saddlesim.sweep.table import SHIFT_ONLY_COLUMNS

SHIFTS = [-1.0, 0.0, 0.5]


@pytest.mark.parametrize("model", ["goe", "gue", "gse", "independent"])
@pytest.mark.parametrize("method", ["tridiagonal", "dense"])
@pytest.mark.parametrize("n", [1, 3])
def test_shift_zero_is_draw_for_draw_the_unshifted_sampler(model, method, n):
    """Catches a shift-dependent stream, or extra variates drawn before the unshifted ones."""
    base = sample_index(model, n, 2_000, 11, method=method)
    index, _ = sample_index_shifted(model, n, 2_000, 11, shifts=SHIFTS, method=method)
    assert index.shape == (3, 2_000)
    np.testing.assert_array_equal(index[1], base)
    # and the weighted variant draws G identically
    index_w, logw = sample_index_shifted(model, n, 2_000, 11, shifts=SHIFTS, method=method, weight="det")
    np.testing.assert_array_equal(index_w[1], base)
    assert logw.shape == (3, 2_000)


@pytest.mark.parametrize("model", ["goe", "independent"])
def test_index_is_count_below_minus_shift_and_falls_as_shift_rises(model):
    """Catches a shift applied with the wrong sign (count below +s) and non-monotone counts."""
    index, _ = sample_index_shifted(model, 4, 5_000, 3, shifts=[-2.0, -0.5, 0.0, 0.5, 2.0])
    ok = np.all(index >= 0, axis=0)
    assert ok.mean() > 0.999
    assert np.all(np.diff(index[:, ok], axis=0) <= 0)
    # on average the count at s is n P(lambda < -s): more negatives at s = -2 than at s = 2
    assert index[0].mean() > 3 and index[-1].mean() < 1


@given(
    d=st.lists(st.floats(-5, 5), min_size=1, max_size=7),
    # b^2 of |b| < 1e-154 underflows: the code then sees another matrix than eigvalsh
    e=st.lists(st.floats(-3, 3).filter(lambda x: x == 0 or abs(x) > 1e-150), min_size=6, max_size=6),
    s=st.floats(-4, 4),
)
def test_sturm_at_shift_and_logdet_match_eigenvalues(d, e, s):
    """Catches an off-by-one in the shifted tolerance/count or a log|det| missing a pivot."""
    n = len(d)
    a = np.array(d)[:, None]
    off = np.array(e[: n - 1])
    b2 = (off * off)[:, None]
    T = tridiagonal_to_dense(np.array(d)[None], off[None])[0]
    lam = np.linalg.eigvalsh(T) + s
    idx, logdet = _tridiagonal_at_shift(a, b2, s, None, True)
    tol = n * np.finfo(float).eps * np.linalg.norm(T + s * np.eye(n))
    if np.min(np.abs(lam)) > 100 * tol:
        assert idx[0] == np.count_nonzero(lam < 0)
        sign, ref = np.linalg.slogdet(T + s * np.eye(n))
        # backward stability: each eigenvalue may move by ~tol, so log|det| by sum tol/|lambda|
        assert logdet[0] == pytest.approx(ref, abs=1e-7 + 10 * np.sum(tol / np.abs(lam)), rel=1e-9)
    elif np.min(np.abs(lam)) <= tol / 2:
        assert idx[0] == -1


def test_dense_and_tridiagonal_logdet_agree_with_slogdet():
    """Catches log|det| of G instead of G + sI on the dense path, or a GSE weight not halved."""
    from saddlesim.models.gaussian import goe_matrices

    H = goe_matrices(4, 50, 5)
    _, logw = sample_index_shifted("goe", 4, 50, 5, shifts=[0.7], method="dense", weight="det")
    _, ref = np.linalg.slogdet(H + 0.7 * np.eye(4))
    np.testing.assert_allclose(logw[0], ref, rtol=1e-10)
    # GSE: |det| of the n x n quaternion matrix is the square root of the 2n x 2n one
    from saddlesim.models.gaussian import gse_matrices

    Q = gse_matrices(2, 20, 9)
    _, logw = sample_index_shifted("gse", 2, 20, 9, shifts=[0.3], method="dense", weight="det")
    _, ref = np.linalg.slogdet(Q + 0.3 * np.eye(4))
    np.testing.assert_allclose(logw[0], 0.5 * ref, rtol=1e-10)


def test_check_shifts_and_parse_float_list():
    assert check_shifts([-0.0, 1]) == (0.0, 1.0)
    assert str(check_shifts([-0.0])[0]) == "0.0"
    with pytest.raises(ValueError, match="repeat"):
        check_shifts([1, 1.0])
    with pytest.raises(ValueError, match="finite"):
        check_shifts([np.nan])
    with pytest.raises(ValueError, match="at least one"):
        check_shifts([])
    assert parse_float_list("-1,0,0.5") == [-1.0, 0.0, 0.5]
    assert parse_float_list("-2:2:5") == [-2.0, -1.0, 0.0, 1.0, 2.0]
    assert parse_float_list("-1:0:3,0.5,-0") == [-1.0, -0.5, 0.0, 0.5]
    for bad in ("", "a", "1:2", "1:2:1", "1:2:x", "inf", "1,,2"):
        with pytest.raises(ValueError, match="--shift"):
            parse_float_list(bad)


def test_spawn_key_has_no_shift_and_unshifted_fingerprint_is_unchanged():
    plain = make_plan(["goe"], [3], 1000, entropy=1)
    shifted = make_plan(["goe"], [3], 1000, entropy=1, shifts=SHIFTS)
    assert len(shifted.cells) == 3 and len(shifted.groups) == 1
    assert {c.key for c in shifted.cells} == {plain.cells[0].key}
    assert [c.size for c in shifted.chunks()] == [c.size for c in plain.chunks()]
    assert "shift" not in plain.fingerprint()["cells"][0] and "weight" not in plain.fingerprint()
    assert shifted.fingerprint() != plain.fingerprint()
    assert make_plan(["goe"], [3], 1000, entropy=1, shifts=SHIFTS, weight="det").fingerprint() != shifted.fingerprint()
    with pytest.raises(ValueError, match="weight"):
        make_plan(["goe"], [3], 1000, weight="abs")


def _drop_shift(df: pd.DataFrame) -> pd.DataFrame:
    rows = df[df["shift"] == 0.0]
    return rows.drop(columns=[c for c in SHIFT_ONLY_COLUMNS if c in rows]).reset_index(drop=True)


def test_shift_zero_reproduces_unshifted_tables_byte_for_byte(tmp_path):
    """Catches a shift in the seed key, a changed degeneracy rule at s = 0, or rows in the wrong cell."""
    kw = dict(entropy=20261126, chunk_elements=3_000)
    models, ns = ["goe", "gue", "independent", "gse"], [1, 2, 5]
    plain = run_sweep(make_plan(models, ns, 4_000, **kw), tmp_path / "plain", workers=1)
    shifted = run_sweep(make_plan(models, ns, 4_000, shifts=[-1, 0, 0.5], **kw), tmp_path / "sh", workers=2)
    for name in ("results.csv", "index_counts.csv"):
        want = (tmp_path / "plain" / name).read_text()
        got = pd.read_csv(tmp_path / "sh" / name)
        assert list(got.columns[:4]) == ["model", "beta", "n", "shift"]
        assert _drop_shift(got).to_csv(index=False, lineterminator="\n") == want
    assert set(shifted.results["shift"]) == {-1.0, 0.0, 0.5}
    # and the shifted rows really differ (the shift is applied)
    r = shifted.results.set_index(["model", "n", "shift"])
    assert r.loc[("goe", 2, 0.5), "minima"] > r.loc[("goe", 2, 0.0), "minima"] > r.loc[("goe", 2, -1.0), "minima"]
    assert plain.results.shape[0] * 3 == shifted.results.shape[0]


def test_shifted_sweep_resumes_to_the_same_tables(tmp_path):
    plan = make_plan(["goe"], [2, 3], 6_000, entropy=4, chunk_elements=2_000, shifts=[0.0, 1.0], weight="det")
    full = run_sweep(plan, tmp_path / "full", workers=1)

    class Stop(Exception):
        pass

    seen = []

    def stop(chunk, counts, seconds):
        seen.append(chunk)
        if len(seen) == 3:
            raise Stop

    with pytest.raises(Stop):
        run_sweep(plan, tmp_path / "cut", workers=1, on_chunk=stop)
    resumed = run_sweep(plan, tmp_path / "cut", workers=1)
    assert resumed.meta["timings"]["chunks_resumed"] == 3
    pd.testing.assert_frame_equal(resumed.results, full.results)
    pd.testing.assert_frame_equal(resumed.index_counts, full.index_counts)


def test_weighted_counts_equal_unweighted_counts_and_fractions_sum_to_one():
    plan_w = make_plan(["goe"], [3], 5_000, entropy=2, shifts=SHIFTS, weight="det")
    plan_u = make_plan(["goe"], [3], 5_000, entropy=2, shifts=SHIFTS)
    cw, _ = sweep_counts(plan_w)
    cu, _ = sweep_counts(plan_u)
    for w, u in zip(cw, cu):
        np.testing.assert_array_equal(w[0], u)
    from saddlesim.sweep import index_counts_table

    t = index_counts_table(plan_w, cw)
    np.testing.assert_allclose(t.groupby("shift")["w_fraction"].sum(), 1.0)


runner = CliRunner()


def test_cli_shift_adds_a_column_and_bad_shift_is_one_line_error(tmp_path):
    out = tmp_path / "o"
    r = runner.invoke(app, ["sweep", "--model", "goe", "--n", "2", "--samples", "3000", "--seed", "1",
                            "--shift", "-1,0,0.5", "--weight", "det", "--out", str(out), "--workers", "1", "--no-plot"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "results.csv")
    assert list(df["shift"]) == [-1.0, 0.0, 0.5] and "w_p_min" in df and "n_eff" in df
    assert "shift" in pd.read_csv(out / "index_counts.csv")
    for bad in (["--shift", "1:2"], ["--shift", "0,nan"], ["--weight", "abs"]):
        bad_out = tmp_path / "bad"
        r = runner.invoke(app, ["sweep", "--n", "2", "--samples", "100", *bad, "--out", str(bad_out), "--no-plot"])
        assert r.exit_code == 2, r.output
        err = r.stderr.strip()
        assert err.startswith("Error: ") and len(err.splitlines()) == 1 and "Traceback" not in r.output
        assert not bad_out.exists()
