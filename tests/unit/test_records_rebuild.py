"""A stranger can recompute a reported point: from its folder, numpy and the recorded description alone.

A tiny run of each network kind goes into tmp_path; a fresh Python process that cannot import saddlesim
(no path to it) rebuilds the data and the loss from ``meta.json``'s description (scaling, PCA with its
sign convention, parameter layout, loss) and evaluates it at the recorded parameter vectors
(``coordinates.csv`` of the network kind, ``parameters.npz`` of trained_spectrum). The losses must equal
the tables' to 1e-12. The digits come from scikit-learn's bundled file (data, not code of ours).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("jax")
pytest.importorskip("sklearn")

# numpy-only: everything it knows comes from meta.json's words and numbers
REBUILD = r'''
import json, sys
import numpy as np
from sklearn.datasets import load_digits

def inputs(d):
    assert d["dataset"] == "digits" and d["scaling"] == "pixel intensities / 16"
    raw = load_digits()
    X, y = raw.data.astype(np.float64) / 16.0, raw.target.astype(np.int64)
    if d["inputs"] == "pca":
        assert d["pca_sign_convention"].startswith("each principal direction's entry of largest |value| is positive")
        Xc = X - X.mean(axis=0)
        lam, V = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
        V = V[:, np.argsort(lam)[::-1]]
        V = V * np.where(V[np.argmax(np.abs(V), axis=0), np.arange(V.shape[1])] < 0, -1.0, 1.0)
        X = Xc @ V[:, :d["components"]]
    else:
        assert d["inputs"] == "raw"
    return X, y

def loss(d, X, y, x):
    assert d["parameters"].startswith("layer by layer, input to output: W (in × out, row-major), then b")
    sizes = [X.shape[1], *d["hidden"], d["classes"]]
    h, k = X, 0
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        W, c = x[k:k + a * b].reshape(a, b), x[k + a * b:k + (a + 1) * b]
        k += (a + 1) * b
        h = h @ W + c
        if i < len(sizes) - 2:
            assert d["activation"] == "tanh"
            h = np.tanh(h)
    assert k == x.size == d["dim"]
    m = h.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(h - m).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(lse - h[np.arange(len(y)), y]) + 0.5 * d["weight_decay"] * (x @ x))

job = json.loads(sys.argv[1])
out = []
for d, x in zip(job["descriptions"], job["points"]):
    X, y = inputs(d)
    out.append(loss(d, X, y, np.asarray(x, dtype=np.float64)))
assert "saddlesim" not in sys.modules
print(json.dumps(out))
'''


def _rebuild(tmp_path, descriptions, points) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    job = json.dumps({"descriptions": descriptions, "points": [np.asarray(p).tolist() for p in points]})
    script = tmp_path / "rebuild.py"
    script.write_text(REBUILD, encoding="utf-8")
    # -I: isolated (no cwd, no user site, no PYTHONPATH): saddlesim cannot be imported unless installed;
    # the script asserts it was not
    r = subprocess.run([sys.executable, "-I", str(script), job], capture_output=True, text=True, cwd=tmp_path,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.slow
def test_network_end_points_rebuild_from_the_record_alone(tmp_path, monkeypatch):
    import pandas as pd

    from saddlesim.kinds import network
    from saddlesim.kinds.network import run_experiment

    # the figures are drawn by test_network_kind's run; here only the tables and meta.json matter
    monkeypatch.setattr(network, "plot_experiment", lambda out: [])

    spec = {"kind": "network", "name": "t", "seed": 3, "dataset": "digits", "inputs": "pca", "components": 4,
            "hidden": [3], "runs": 1, "train_steps": 60, "checkpoints": 4, "starts": 3, "max_iter": 10,
            "loss_bins": 2}
    out = tmp_path / "net"
    run_experiment(spec, out, workers=1, progress=False)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    points = pd.read_csv(out / "points.csv")
    coords = pd.read_csv(out / "coordinates.csv").to_numpy()
    desc = meta["summary"]["model"]
    got = _rebuild(tmp_path, [desc] * len(coords), coords)
    np.testing.assert_allclose(got, points["loss"], rtol=1e-12, atol=0)


@pytest.mark.slow
def test_trained_spectrum_checkpoints_rebuild_from_the_record_alone(tmp_path, monkeypatch):
    import pandas as pd

    from saddlesim.kinds import trained_spectrum
    from saddlesim.kinds.trained_spectrum import run_experiment

    # the figures have their own test (test_trained_spectrum.py); here only the tables and meta.json matter
    monkeypatch.setattr(trained_spectrum, "plot_experiment", lambda out: [])

    net = {"hidden": [2], "steps": 6, "checkpoints": 2, "probes": 2, "lanczos_steps": 4, "top": 2, "top_steps": 20,
           "check": True}
    spec = {"kind": "trained_spectrum", "name": "t", "seed": 5, "networks": {"checkable": net},
            "taus": [2e-3], "coverage_seeds": 2, "certify_max_steps": 20}
    out = tmp_path / "ts"
    run_experiment(spec, out, progress=False)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    rows = pd.read_csv(out / "checkpoints.csv").drop_duplicates(["network", "step"])
    with np.load(out / "parameters.npz") as npz:
        assert set(npz.files) == {f"{r.network}_step{r.step}" for r in rows.itertuples()}
        xs = [npz[f"{r.network}_step{r.step}"] for r in rows.itertuples()]
    descs = [meta["summary"]["models"][r.network] for r in rows.itertuples()]
    got = _rebuild(tmp_path, descs, xs)
    np.testing.assert_allclose(got, rows["loss"], rtol=1e-12, atol=0)


def test_pca_sign_convention_is_what_the_record_says():
    """Each principal direction's largest-|entry| is positive; flipping any breaks it (negative control)."""
    from saddlesim.landscapes.datasets import PCA_SIGN_CONVENTION, load_dataset, principal_variances

    X = load_dataset("digits").X
    _, V = principal_variances(X)
    top = V[np.argmax(np.abs(V), axis=0), np.arange(V.shape[1])]
    assert (top > 0).all()
    d = load_dataset("digits", "pca", 10).describe()
    assert d["pca_sign_convention"] == PCA_SIGN_CONVENTION
    # with LAPACK's signs (the old projection) some direction has its largest entry negative
    Xc = X - X.mean(axis=0)
    lam, W = np.linalg.eigh(Xc.T @ Xc / X.shape[0])
    W = W[:, np.argsort(lam)[::-1]]
    flipped = W[np.argmax(np.abs(W), axis=0), np.arange(W.shape[1])] < 0
    assert flipped.any() and np.allclose(np.abs(W), np.abs(V))


def test_tau_on_the_weight_decay_is_refused(tmp_path):
    from saddlesim.kinds.trained_spectrum import DEFAULTS, run_experiment

    assert all(abs(t - DEFAULTS["weight_decay"]) > 0.01 * DEFAULTS["weight_decay"] for t in DEFAULTS["taus"])
    tiny = {"hidden": [1], "steps": 1, "checkpoints": 2, "probes": 2, "lanczos_steps": 2, "top": 1, "top_steps": 4,
            "check": False}  # if the check is broken, the run it lets through is seconds, not minutes
    with pytest.raises(ValueError, match="weight decay"):
        run_experiment({"networks": {"large": tiny}, "taus": [1e-3, 1e-4], "weight_decay": 1e-3}, tmp_path / "o",
                       progress=False)
    assert not (tmp_path / "o").exists()
