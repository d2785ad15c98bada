"""Every sampler's energy scale, through exact chi-square laws of its entries.

Index probabilities do not see a common scale factor (H and cH have the same
signs), so a sampler with every variance doubled passes every index test. The
energy scale matters for shifted ensembles and the rare-event walls, so it is
checked here exactly. With eigenvalue density ∝ |Δ(λ)|^β exp(−Σλ²/2):

* the diagonal part ``D = Σ_i H_ii²`` is χ²_n (each diagonal entry N(0, 1));
* the off-diagonal part ``O = Σ_{i≠j} |H_ij|²`` is χ²_d with d = β n(n−1)/2
  (β real components N(0, 1/2) per entry above the diagonal, each counted twice);

so ``Σλ² = tr H² = D + O``. For the tridiagonal model D = Σ a_i² and
O = 2 Σ b_k², with 2 b_k² ~ χ²_{β(n−k)} position by position (Dumitriu &
Edelman 2002, Theorem 2.12). A GSE matrix is stored as a 2n × 2n complex form
whose every eigenvalue appears twice: its D and O are halved.

Each test compares the sample mean of a χ²_k statistic with k, within 6σ
where σ = √(2k/N) is its exact standard error.

References
----------
I. Dumitriu and A. Edelman, J. Math. Phys. 43 (2002) 5830; M. L. Mehta,
Random Matrices, 3rd ed. (2004), ch. 2.
"""

from __future__ import annotations

import numpy as np
import pytest

from saddlesim.models import (
    beta_hermite_tridiagonal,
    goe_matrices,
    gse_matrices,
    gue_matrices,
    independent_sign_matrices,
)

NSIGMA = 6.0
N = 20_000
n = 4


def assert_chi2_mean(sample: np.ndarray, dof: float, what: str) -> None:
    """Mean of N draws of a χ²_dof statistic within 6 standard errors of dof."""
    se = np.sqrt(2.0 * dof / sample.size)
    # guard: the band must be far narrower than the smallest error the docstrings promise
    assert NSIGMA * se < 0.1 * dof, f"{sample.size} draws cannot resolve a 10 % error in {what}"
    z = (sample.mean() - dof) / se
    assert abs(z) < NSIGMA, f"{what}: mean {sample.mean():.4f}, expected {dof:g} (z = {z:.1f})"


def _parts(H: np.ndarray, copies: int = 1) -> tuple[np.ndarray, np.ndarray]:
    sq = np.abs(H) ** 2
    diag = np.einsum("sii->s", sq)
    return diag / copies, (sq.sum(axis=(1, 2)) - diag) / copies


@pytest.mark.parametrize(
    "sampler, beta, copies",
    [(goe_matrices, 1, 1), (gue_matrices, 2, 1), (gse_matrices, 4, 2)],
    ids=["goe", "gue", "gse"],
)
def test_dense_gaussian_energy_scale(sampler, beta, copies):
    """Catches any relative error ≥ 10 % in the diagonal or off-diagonal variance of GOE/GUE/GSE.

    Bands: 6√(2k/N) relative to k = n (diagonal) or β n(n−1)/2 (off-diagonal),
    at most 8.5 % for N = 20 000, n = 4; so a √2 in place of 2 (variances ×2),
    the i.i.d. upper-triangle 'GOE' (off-diagonal ×2) or a real-only 'GUE'
    (off-diagonal ×½) fail by more than 10σ.
    """
    H = sampler(n, N, rng=np.random.SeedSequence(31, spawn_key=(beta,)))
    diag, off = _parts(H, copies)
    assert_chi2_mean(diag, n, "diagonal part Σ H_ii²")
    assert_chi2_mean(off, beta * n * (n - 1) / 2, "off-diagonal part Σ |H_ij|²")


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0, 4.0])
def test_tridiagonal_energy_scale_per_position(beta):
    """Catches a 10 % error in the diagonal variance or in any single off-diagonal's χ² law.

    Per position k, 2 b_k² ~ χ²_{β(n−k)}: the 6σ band 6√(2/(β(n−k)N)) is at
    most 8.5 % (β = 0.5, k = n−1 at N = 20 000 draws, n = 4), so an off-by-one in the
    degrees of freedom (≥ 33 % at n = 4), reversed positions, a missing ½ in
    χ²/2 or the Gamma(½) shortcut, and a diagonal N(0, 2) all fail.
    """
    d, e = beta_hermite_tridiagonal(n, N, beta, rng=np.random.SeedSequence(32, spawn_key=(int(4 * beta),)))
    assert_chi2_mean((d * d).sum(axis=1), n, "Σ a_i²")
    for k in range(1, n):
        assert_chi2_mean(2.0 * e[:, k - 1] ** 2, beta * (n - k), f"2 b_{k}² (β={beta:g})")


def test_independent_sign_matrices_energy_scale():
    """Catches a 10 % error in the independent model's eigenvalue variance (tr H² ~ χ²_n)."""
    H = independent_sign_matrices(n, N, rng=33)
    assert_chi2_mean(np.einsum("sij,sij->s", H, H), n, "tr H²")


def test_energy_check_has_teeth():
    """Negative control: GOE matrices scaled by √1.1 (variances +10 %) are rejected."""
    H = goe_matrices(n, N, rng=34) * np.sqrt(1.1)
    diag, off = _parts(H)
    with pytest.raises(AssertionError):
        assert_chi2_mean(off, n * (n - 1) / 2, "off-diagonal part")
