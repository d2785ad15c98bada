"""Experiment kind 'exact': files, metadata, and figures drawn from the table."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saddlesim.kinds.registry import plot_results, run_experiment as run_spec_file
from saddlesim.plots.theory import plot_log10_p_min, plot_theta
from saddlesim.theory import THETA, exact_table
from saddlesim.kinds.exact import QUICK_N_MAX, run_experiment

SPEC_FILE = Path(__file__).resolve().parents[2] / "experiments" / "exact_theory.toml"


def test_spec_file_runs_through_the_registry(tmp_path):
    # One run (figures cost ~1 s each, mostly PDF font embedding), then a
    # re-plot from the folder alone, through the kind registry both times.
    out = run_spec_file(SPEC_FILE, tmp_path, workers=1, quick=True, progress=False)
    df = pd.read_csv(out / "exact.csv")
    assert len(df) == 3 * QUICK_N_MAX
    assert df[["beta", "n"]].values.tolist() == [
        [b, n] for b in (1.0, 2.0, 4.0) for n in range(1, QUICK_N_MAX + 1)
    ]
    assert np.isfinite(df["log10_p_min"]).all()
    meta = json.loads((out / "meta.json").read_text())
    assert meta["kind"] == "exact" and meta["spec"]["quick_run"] is True
    assert meta["spec"]["n_max"] == QUICK_N_MAX  # as run, not as asked
    assert meta["spec"]["betas"] == [1, 2, 4]
    assert "git_revision" in meta["provenance"] and meta["timings"]["wall_seconds"] >= 0
    for stem in ("theta", "log10_p_min"):
        (out / f"{stem}.png").unlink()
    paths = plot_results(out)
    assert sorted(p.name for p in paths) == sorted(
        f"{s}.{e}" for s in ("theta", "log10_p_min") for e in ("png", "pdf")
    )
    assert all(p.stat().st_size > 1000 for p in paths)


@pytest.mark.parametrize(
    "bad", [{"n_max": 0}, {"n_max": "10"}, {"betas": [3]}, {"betas": []}]
)
def test_bad_spec(tmp_path, bad):
    with pytest.raises(ValueError, match="spec"):
        run_experiment({"kind": "exact", **bad}, tmp_path, workers=1, progress=False)


def test_plot_experiment_without_table(tmp_path):
    from saddlesim.kinds.exact import plot_experiment

    with pytest.raises(ValueError, match="exact.csv"):
        plot_experiment(tmp_path)


def _table():
    return pd.concat([exact_table(1, range(1, 9)), exact_table(2, range(1, 9))], ignore_index=True)


def test_theta_figure_draws_the_table_and_the_limits():
    df = _table()
    fig = plot_theta(df)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    goe = lines["GOE ($\\beta=1$) exact"]
    np.testing.assert_allclose(goe.get_ydata(), -df[df.beta == 1]["log_p_min"] / np.arange(1, 9) ** 2)
    flat = sorted({float(y) for line in ax.get_lines() for y in np.atleast_1d(line.get_ydata())
                   if len(np.unique(line.get_ydata())) == 1})
    assert flat == pytest.approx([THETA, 2 * THETA])
    assert "theta" in ax.get_ylabel() and "n" in ax.get_xlabel()


def test_log10_figure_shows_coinflip_and_exact(tmp_path):
    df = _table()
    fig = plot_log10_p_min(df)
    ax = fig.axes[0]
    ys = {line.get_label(): np.asarray(line.get_ydata()) for line in ax.get_lines()}
    np.testing.assert_allclose(ys["coin flips: $2^{-n}$"], -np.arange(1, 9) * math.log10(2))
    assert ys["GUE ($\\beta=2$) exact"][-1] < ys["GOE ($\\beta=1$) exact"][-1] < ys["coin flips: $2^{-n}$"][-1]
    # Reuses a caller's axes.
    import matplotlib.pyplot as plt

    fig2, ax2 = plt.subplots()
    assert plot_log10_p_min(df, ax=ax2) is fig2
    plt.close("all")
