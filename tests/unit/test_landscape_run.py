"""``run_landscape`` and ``saddlesim landscape``: tables, reproducibility, resume, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.searches.plan import make_landscape_plan
from saddlesim.searches.run import INSTANCES_DIR, run_instance, run_landscape

runner = CliRunner()
TABLES = ("critical_points.csv", "coordinates.csv", "rejected.csv", "summary.csv")


def small_plan(**kw):
    args = dict(instances=3, starts=40, entropy=12345)
    args.update(kw)
    return make_landscape_plan("pspin", {"N": 4, "p": 3}, **args)


def test_tables_have_the_promised_columns_and_add_up(tmp_path):
    """Catches a summary that does not average over instances or a missing column."""
    r = run_landscape(small_plan(), tmp_path / "o", workers=1)
    cp = r.critical_points
    assert {"instance", "loss", "index", "nullity", "positive", "grad_norm2", "label"} <= set(cp.columns)
    assert (cp["grad_norm2"] <= 1e-10).all()
    s = r.summary
    assert s["index"].tolist() == [0, 1, 2, 3]
    per_instance = cp.groupby(["instance", "index"]).size().unstack(fill_value=0).reindex(
        index=range(3), columns=range(4), fill_value=0)
    np.testing.assert_allclose(s["mean_count"], per_instance.mean(axis=0).to_numpy())
    assert (s["mean_count_lo"] <= s["mean_count"]).all() and (s["mean_count"] <= s["mean_count_hi"]).all()
    meta = json.loads((tmp_path / "o" / "meta.json").read_text())
    assert meta["seed_entropy"] == "12345" and meta["summary"]["landscape"]["loss"] == "pspin"
    assert not (tmp_path / "o" / INSTANCES_DIR).exists()


def test_instances_differ_and_are_pure_functions_of_their_key():
    """Catches every instance sharing one stream (same couplings) or a stream that depends on call order."""
    plan = small_plan()
    a1, b = run_instance(plan, 1), run_instance(plan, 2)
    a2 = run_instance(plan, 1)
    assert np.array_equal(a1.found.coords, a2.found.coords)
    assert not np.array_equal(np.sort(a1.found.points["loss"]), np.sort(b.found.points["loss"]))


@pytest.mark.slow
def test_same_seed_same_tables_for_one_and_two_workers(tmp_path):
    """Catches streams keyed by worker or completion order."""
    for w in (1, 2):
        run_landscape(small_plan(), tmp_path / f"w{w}", workers=w)
    for name in TABLES:
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes(), name


def test_resume_after_interruption_gives_the_same_tables(tmp_path):
    """Interrupt after the first instance, rerun: identical tables. Catches a journal that loses or
    double-counts instances, or a resumed instance drawn from a different stream."""
    plan = small_plan()
    full = run_landscape(plan, tmp_path / "full", workers=1)

    def stop(_):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_landscape(plan, tmp_path / "cut", workers=1, on_instance=stop)
    assert not (tmp_path / "cut" / "meta.json").exists()
    assert len(list((tmp_path / "cut" / INSTANCES_DIR).glob("instance*.npz"))) == 1
    resumed = run_landscape(plan, tmp_path / "cut", workers=1)
    assert resumed.meta["timings"]["instances_resumed"] == 1
    for name in TABLES:
        assert (tmp_path / "full" / name).read_bytes() == (tmp_path / "cut" / name).read_bytes(), name
    assert full.summary.equals(resumed.summary)


def test_different_run_in_same_folder_is_refused(tmp_path):
    """The refusal names what differs; a fresh seed alone, the seed that reproduces the run there."""
    run_landscape(small_plan(), tmp_path / "o", workers=1)
    with pytest.raises(ValueError, match=r"different.*seed: 12345 there, 1 here; the run there used --seed 12345"):
        run_landscape(small_plan(entropy=1), tmp_path / "o", workers=1)
    with pytest.raises(ValueError, match=r"starts: 40 there, 41 here\)"):
        run_landscape(small_plan(starts=41), tmp_path / "o", workers=1)


def test_unfinished_run_refusal_says_which_seed_resumes_it(tmp_path):
    """The new user's case: an interrupted run, rerun without --seed (a fresh one)."""
    def stop(_):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_landscape(small_plan(), tmp_path / "o", workers=1, on_instance=stop)
    with pytest.raises(ValueError, match=r"unfinished.*\(seed: 12345 there, 99 here; the run there used --seed 12345\)"):
        run_landscape(small_plan(entropy=99), tmp_path / "o", workers=1)
    assert run_landscape(small_plan(), tmp_path / "o", workers=1).meta["timings"]["instances_resumed"] == 1


def test_cli_pspin_without_dim_uses_the_default_and_its_theory(tmp_path):
    """``--loss pspin`` alone ran every solve, then died on KeyError 'N' in the theory column. The
    theory must be the exact count of the default N = 8, p = 3 (dimension 7), not of another N."""
    from saddlesim.theory.pspin import pspin_mean_counts

    out = tmp_path / "o"
    r = invoke(["landscape", "--loss", "pspin", "--starts", "5", "--seed", "2", "--workers", "1", "-q", "--out", out])
    assert r.exit_code == 0, r.output
    summary = __import__("pandas").read_csv(out / "summary.csv")
    np.testing.assert_allclose(summary["theory_mean"], pspin_mean_counts(8, 3))
    assert not (out / INSTANCES_DIR).exists()


def test_plot_remakes_the_figure_of_a_cli_landscape_folder(tmp_path):
    """``saddlesim plot DIR`` on what ``saddlesim landscape`` wrote (no study in its meta.json)."""
    out = tmp_path / "o"
    assert invoke(["landscape", "--dim", "4", "--starts", "10", "--instances", "2", "--seed", "3", "-w", "1",
                   "-q", "--out", out]).exit_code == 0
    r = invoke(["plot", out])
    assert r.exit_code == 0, r.output
    assert r.stdout.split() == [str(out / "index_counts.png"), str(out / "index_counts.pdf")]
    assert (out / "index_counts.png").stat().st_size > 0


# -- CLI -----------------------------------------------------------------------------


def invoke(args):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, out=None):
    assert result.exit_code == 2, (result.exit_code, result.output)
    err = result.stderr.strip()
    assert err.startswith("Error: ") and len(err.splitlines()) == 1, err
    assert "Traceback" not in result.output
    if out is not None:
        assert not out.exists()


def test_cli_writes_tables_and_repeats_with_seed(tmp_path):
    base = ["landscape", "--loss", "pspin", "--p", "3", "--dim", "4", "--instances", "2", "--starts", "30",
            "--seed", "9", "--workers", "1"]
    r = invoke([*base, "--out", tmp_path / "a"])
    assert r.exit_code == 0, r.output
    assert "seed entropy: 9" in r.stdout and "mean count" in r.stdout
    assert invoke([*base, "--out", tmp_path / "b", "--quiet"]).stdout.strip() == str(tmp_path / "b")
    for name in TABLES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--loss", "pspin", "--k", "3"], "--k applies to --loss linear-ae"),
        (["--loss", "nosuchloss"], "unknown loss"),
        (["--loss", "pspin", "--dim", "1"], "N"),
        (["--loss", "pspin", "--starts", "0"], "--starts"),
        (["--loss", "pspin", "--instances", "two"], "--instances"),
        (["--loss", "pspin", "--grad-tol", "-1"], "grad_tol"),
        (["--loss", "pspin", "--seed", "x"], "--seed"),
        (["--loss", "pspin", "--param", "novalue"], "--param"),
        (["--loss", "no_such_module_xyz:f"], "cannot import"),
        (["--loss", "linear-ae", "--k", "3", "--width", "5"], "width"),
        (["--loss", "linear-ae", "--k", "3", "--width", "1", "--hops", "-1"], "hops"),
    ],
)
def test_cli_bad_input_one_line_error_nothing_written(tmp_path, args, message):
    out = tmp_path / "o"
    r = invoke(["landscape", *args, "--out", out])
    assert_one_line_error(r, out)
    assert message in r.stderr


def test_cli_out_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = invoke(["landscape", "--dim", "3", "--p", "3", "--out", f])
    assert_one_line_error(r)
    assert f.read_text() == "x"


def test_summary_interval_is_student_t_over_instances():
    """Hand-made counts: mean, 95 % t half-width t_{0.975,K-1}·s/√K, zeros for instances with no
    point. Catches √K → K, a z instead of t quantile, or dropped empty instances."""
    import pandas as pd
    from scipy import stats

    from saddlesim.searches.table import summary_table

    # 4 instances; instance 3 found nothing. Index-0 counts per instance: 2, 1, 3, 0
    pts = pd.DataFrame({"instance": [0, 0, 1, 2, 2, 2, 0], "index": [0, 0, 0, 0, 0, 0, 1],
                        "nullity": [0, 0, 0, 0, 1, 0, 0]})
    s = summary_table(pts, 4, 2)
    c = np.array([2, 1, 3, 0])
    half = stats.t.ppf(0.975, 3) * c.std(ddof=1) / 2
    assert s.loc[0, "mean_count"] == 1.5
    np.testing.assert_allclose(s.loc[0, "mean_count_hi"], 1.5 + half)
    np.testing.assert_allclose(s.loc[0, "mean_count_lo"], max(1.5 - half, 0))
    assert s.loc[1, "mean_count"] == 0.25 and s.loc[0, "mean_degenerate"] == 0.25
    assert s["theory_mean"].isna().all()


def test_summary_theory_is_the_exact_pspin_count(tmp_path):
    """Catches a theory column for the wrong N (N vs N-1) or p."""
    from saddlesim.theory.pspin import pspin_mean_counts

    r = run_landscape(small_plan(instances=1, starts=10), tmp_path / "o", workers=1)
    np.testing.assert_allclose(r.summary["theory_mean"], pspin_mean_counts(4, 3))


def test_hops_identical_for_one_and_two_workers_and_recorded(tmp_path):
    """Hops drawn from the instance's own stream: catches a hop generator shared
    across instances or seeded by worker, and a plan that drops ``hops``."""
    plan = make_landscape_plan("linear-ae", {"k": 5, "width": 2}, instances=2, starts=5, entropy=4, hops=20)
    for w in (1, 2):
        r = run_landscape(plan, tmp_path / f"w{w}", workers=w)
        assert r.meta["summary"]["counts"]["solves"] == 2 * 25
    for name in TABLES:
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w2" / name).read_bytes(), name
