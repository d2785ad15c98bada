"""saddlesim: statistics of critical points of random Hessians.

Is a critical point of a random function in n dimensions a minimum with
probability 1/2^n, as the independent-sign argument claims? saddlesim draws
random symmetric Hessians, classifies critical points by their inertia, and
compares the frequencies with 1/2^n and with exact random-matrix results.
"""

__version__ = "0.1.0"

from saddlesim.index.classify import (  # noqa: E402
    LABELS,
    Label,
    classify_eigenvalues,
    classify_matrices,
    classify_tridiagonal,
    labels_from_index,
)
from saddlesim.index.inertia import (  # noqa: E402
    DEGENERATE,
    default_tol,
    index_dense,
    index_from_eigenvalues,
    index_tridiagonal,
    sturm_count,
)
from saddlesim.models import (  # noqa: E402
    GAUSSIAN_BETAS,
    MODEL_NAMES,
    Model,
    beta_hermite_spectra,
    beta_hermite_tridiagonal,
    goe_matrices,
    gse_matrices,
    gue_matrices,
    haar_orthogonal,
    independent_sign_matrices,
    independent_sign_spectra,
    tridiagonal_to_dense,
)
from saddlesim.index.sampling import METHODS, index_histogram, sample_index  # noqa: E402

# Exact theory (mpmath), sweeps and rare events (pandas, matplotlib) load on
# first use, so `import saddlesim` stays fast for the samplers (PEP 562).
_LAZY = {
    "log_p_min": "saddlesim.theory",
    "log10_p_min": "saddlesim.theory",
    "goe_index_law": "saddlesim.theory",
    "exact_table": "saddlesim.theory",
    "log_p_above": "saddlesim.theory",
    "log10_p_above": "saddlesim.theory",
    "estimate_p_min": "saddlesim.rare",
    "make_plan": "saddlesim.sweep",
    "run_sweep": "saddlesim.sweep",
    "run_experiment": "saddlesim.kinds.registry",
    "plot_results": "saddlesim.kinds.registry",
    "wilson_interval": "saddlesim.stats",
    "binomial_log10_pvalue": "saddlesim.stats",
    "make_landscape": "saddlesim.landscapes",
    "classification_metrics": "saddlesim.index.metrics",
    "map_unordered": "saddlesim.runtime.parallel",
    # the researcher's path: a network's loss(params, batch) at its trained point
    "point": "saddlesim.networks.api",
    "spectrum": "saddlesim.networks.api",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'saddlesim' has no attribute {name!r}")

__all__ = [
    "__version__",
    "Model",
    "MODEL_NAMES",
    "GAUSSIAN_BETAS",
    "goe_matrices",
    "gue_matrices",
    "gse_matrices",
    "beta_hermite_tridiagonal",
    "beta_hermite_spectra",
    "tridiagonal_to_dense",
    "independent_sign_spectra",
    "independent_sign_matrices",
    "haar_orthogonal",
    "DEGENERATE",
    "default_tol",
    "index_from_eigenvalues",
    "index_dense",
    "index_tridiagonal",
    "sturm_count",
    "Label",
    "LABELS",
    "labels_from_index",
    "classify_eigenvalues",
    "classify_matrices",
    "classify_tridiagonal",
    "METHODS",
    "sample_index",
    "index_histogram",
    *_LAZY,
]
