"""Random Hessian models: the independent-sign model and the Gaussian beta-ensembles.

Every sampler is a pure function of ``(n, size, rng)`` (plus model
parameters) returning arrays; none keeps state.
"""

from saddlesim.models.gaussian import (
    beta_hermite_spectra,
    beta_hermite_tridiagonal,
    goe_matrices,
    gse_matrices,
    gue_matrices,
    tridiagonal_to_dense,
)
from saddlesim.models.independent import (
    haar_orthogonal,
    independent_sign_matrices,
    independent_sign_spectra,
)
from saddlesim.models.spec import DENSE_BETAS, GAUSSIAN_BETAS, MODEL_NAMES, Model, check_dense
from saddlesim.models.wishart_wigner import wishart_columns, wishart_wigner_matrices

__all__ = [
    "Model",
    "MODEL_NAMES",
    "GAUSSIAN_BETAS",
    "DENSE_BETAS",
    "check_dense",
    "goe_matrices",
    "gue_matrices",
    "gse_matrices",
    "beta_hermite_tridiagonal",
    "beta_hermite_spectra",
    "tridiagonal_to_dense",
    "independent_sign_spectra",
    "independent_sign_matrices",
    "haar_orthogonal",
    "wishart_wigner_matrices",
    "wishart_columns",
]
