"""`spectrum`'s auto route when the certificate declines: SLQ's numbers raised to the proven lower bound.

With the same seed the three matrix-free routes share their streams (SLQ from
one child, the certificate from the other), so ``auto`` must equal
max(``slq``'s number, ``lanczos``'s proven lower bound) key by key. Oracle
for the bound itself: the dense count (12 eigenvalues in [−2, −1], τ = 0.2,
``max_count`` = 8 so the certificate declines).

Smallest slips caught: any of index, index_lo, index_probe_lo left unraised
(or raised to the SLQ estimate instead of the bound); the lanczos route's
index_lo not the proven bound; the SLQ and certificate streams swapped or
shared between routes.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.curvature.spectrum import spectrum
from tests.matrices import rotated


@pytest.fixture(scope="module")
def matrix():
    rng = np.random.default_rng(0)
    lam = np.r_[-np.linspace(1, 2, 12), rng.uniform(-0.05, 0.05, 40), rng.uniform(0.5, 3, 148)]
    return rotated(lam, 1)


KEYS = ("index", "index_lo", "index_hi", "index_probe_lo", "index_probe_hi")


@pytest.mark.parametrize("seed", [0, 1])
def test_declined_auto_route_is_slq_raised_to_the_proven_bound(matrix, seed):
    kw = dict(tol=0.2, probes=2, steps=6, rng=seed, max_count=8, dense_limit=10)
    auto, only_slq, lz = (spectrum(matrix, method=m, **kw) for m in ("auto", "slq", "lanczos"))
    assert lz["index"] is None and lz["index_status"] == "unproven: more than 8 eigenvalues below -tau"
    assert lz["index_lo"] == 12 == spectrum(matrix, method="exact", tol=0.2)["index"]
    assert auto["index_status"] == "slq (unproven: more than 8 eigenvalues below -tau)"
    for k in KEYS:
        assert auto[k] == max(only_slq[k], lz["index_lo"]), k
    assert only_slq["index_lo"] < 12 and only_slq["index_probe_lo"] < 12      # the raise matters here
    assert auto["index_lo"] <= 12 <= auto["index_hi"]
    assert (auto["nullity"], auto["nullity_lo"], auto["nullity_hi"]) == (
        only_slq["nullity"], only_slq["nullity_lo"], only_slq["nullity_hi"])


def test_matrix_free_extremes_take_the_better_of_slq_and_the_certificate(matrix):
    """Two probes of 6 steps leave SLQ's extremes rough; the certificate's Lanczos runs converge them."""
    lam = np.linalg.eigvalsh(matrix)
    kw = dict(tol=0.2, probes=2, steps=6, rng=0, max_count=20, dense_limit=10)
    only_slq, lz = spectrum(matrix, method="slq", **kw), spectrum(matrix, method="lanczos", **kw)
    assert only_slq["lambda_min"] > lam[0] + 1e-6           # rough
    assert lz["lambda_min"] == pytest.approx(lam[0], rel=1e-10)
    assert lz["lambda_min"] >= lam[0] - 1e-12 and lz["lambda_max"] <= lam[-1] + 1e-12
