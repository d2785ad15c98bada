"""The Wishart + Wigner model: spec, dense sampler, sweep plumbing and CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from saddlesim.cli import app
from saddlesim.models import Model, wishart_columns, wishart_wigner_matrices
from saddlesim.index.sampling import sample_index
from saddlesim.sweep import make_plan

runner = CliRunner()


def test_model_spec_validation():
    m = Model("wishart-wigner", phi=0.5, eps=0.1)
    assert (m.phi, m.eps, m.beta, m.is_gaussian) == (0.5, 0.1, None, False)
    assert "φ=0.5" in m.label
    for bad in (dict(phi=0.5), dict(eps=0.1), dict(phi=0.0, eps=0.1), dict(phi=0.5, eps=-1.0),
                dict(phi=0.5, eps=0.1, beta=1.0)):
        with pytest.raises(ValueError):
            Model("wishart-wigner", **bad)
    with pytest.raises(ValueError):
        Model("goe", phi=0.5)


def test_sampler_shape_symmetry_and_purity():
    H = wishart_wigner_matrices(6, 4, 0.5, 0.1, rng=1)
    assert H.shape == (4, 6, 6)
    np.testing.assert_array_equal(H, H.transpose(0, 2, 1))
    np.testing.assert_array_equal(H, wishart_wigner_matrices(6, 4, 0.5, 0.1, rng=1))
    assert wishart_columns(6, 0.5) == 12 and wishart_columns(3, 10.0) == 1
    # eps = 0: the Wishart part alone is positive semidefinite
    assert np.all(np.linalg.eigvalsh(wishart_wigner_matrices(5, 50, 0.5, 0.0, rng=2)) > -1e-12)


def test_sampler_second_moment():
    """E tr H²/n = 1 + (n+1)/m + 2ε(n+1)/n exactly (Wishart 4th moments + GOE variances).

    M = 20 000 matrices, 6σ from the sample s.e. (~0.6 % of the value):
    catches a Wigner scale off by √2 (the 2ε term ×2 or ×½) or m off by a factor.
    """
    n, phi, eps, M = 4, 0.5, 0.3, 20_000
    H = wishart_wigner_matrices(n, M, phi, eps, rng=np.random.SeedSequence(5))
    t1 = np.trace(H, axis1=1, axis2=2) / n
    t2 = np.einsum("sij,sij->s", H, H) / n
    m = wishart_columns(n, phi)
    for t, exact in ((t1, 1.0), (t2, 1 + (n + 1) / m + 2 * eps * (n + 1) / n)):
        se = t.std(ddof=1) / math.sqrt(M)
        assert abs(t.mean() - exact) < 6 * se
    wrong = 1 + (n + 1) / m + eps * (n + 1) / n
    assert abs(t2.mean() - wrong) > 6 * t2.std(ddof=1) / math.sqrt(M)


def test_sample_index_dense_only():
    m = Model("wishart-wigner", phi=0.5, eps=0.1)
    idx = sample_index(m, 5, 100, rng=3, method="dense")
    H = wishart_wigner_matrices(5, 100, 0.5, 0.1, rng=3)
    np.testing.assert_array_equal(idx, (np.linalg.eigvalsh(H) < 0).sum(axis=1))
    with pytest.raises(ValueError, match="dense"):
        sample_index(m, 5, 10, rng=3)
    assert make_plan([m], [3], 10, entropy=1).method == "dense"  # its only form, chosen by default
    with pytest.raises(ValueError, match="dense"):
        make_plan([m], [3], 10, entropy=1, method="tridiagonal")


def test_cells_with_different_parameters_have_different_streams():
    a = Model("wishart-wigner", phi=0.5, eps=0.1)
    b = Model("wishart-wigner", phi=0.25, eps=0.1)
    plan = make_plan([a, b], [3], 10, entropy=1, method="dense")
    assert plan.cells[0].key != plan.cells[1].key
    assert plan.fingerprint()["cells"][1]["phi"] == 0.25


def test_cli_sweep_wishart_wigner(tmp_path):
    out = tmp_path / "ww"
    args = ["sweep", "--model", "wishart-wigner", "--phi", "0.5", "--eps", "0.1", "--method", "dense",
            "--n", "2,3", "--samples", "2000", "--seed", "4", "--no-plot", "--workers", "1", "--out", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out / "results.csv")
    assert list(df["phi"]) == [0.5, 0.5] and list(df["eps"]) == [0.1, 0.1]
    assert df["exact_p_min"].isna().all()
    counts = pd.read_csv(out / "index_counts.csv")
    assert counts["count"].sum() == 4000
    meta = json.loads((out / "meta.json").read_text())
    assert meta["spec"]["models"] == [{"name": "wishart-wigner", "phi": 0.5, "eps": 0.1}]


@pytest.mark.parametrize("extra", [
    ["--model", "wishart-wigner", "--phi", "0.5", "--method", "dense"],
    ["--model", "wishart-wigner", "--phi", "0.5", "--eps", "0.1", "--method", "tridiagonal"],
    ["--model", "goe", "--eps", "0.1"],
    ["--model", "wishart-wigner", "--phi", "-1", "--eps", "0.1", "--method", "dense"],
])
def test_cli_bad_input(tmp_path, extra):
    out = tmp_path / "bad"
    r = runner.invoke(app, ["sweep", *extra, "--n", "2", "--samples", "10", "--out", str(out)])
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert err.startswith("Error: ") and len(err.splitlines()) == 1
    assert not out.exists()
