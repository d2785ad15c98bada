"""Closed forms and exact results for P(minimum), P(saddle) and the index.

- :mod:`~saddlesim.theory.coin_flip`: the coin-flip 1/2^n claim and its binomial index law.
- :mod:`~saddlesim.theory.exact`: exact finite-n P(min) and P(λ_min > t) at any
  wall t for GOE and GUE (any n) and GSE (n ≤ 50).
- :mod:`~saddlesim.theory.index_law`: exact GOE index distribution at small n.
- :mod:`~saddlesim.theory.mean_index`: exact mean index of G + s·I (β = 1, 2, 4).
- :mod:`~saddlesim.theory.table`: one row per n, the table the CLI and experiment print.
- :mod:`~saddlesim.theory.asymptotics`: large-n laws (Dean & Majumdar; Majumdar et al.).
- :mod:`~saddlesim.theory.goe_order`: GOE counting law and k-th eigenvalue density at any point.
- :mod:`~saddlesim.theory.linear_ae`: deep linear autoencoder critical set (Baldi & Hornik).
- :mod:`~saddlesim.theory.wishart_wigner`: Pennington–Bahri free-convolution index fraction α(ε, φ).
- :mod:`~saddlesim.theory.pspin`: spherical p-spin mean counts by index (ABC 2013), complexities.

Probabilities travel as natural logs (``log_*``) with base-10 helpers; they
reach 1e-1200 at n = 100 and are never rounded to 0.
"""

from saddlesim.theory.asymptotics import (
    INDEX_VARIANCE_CONSTANT_GUE,
    THETA,
    asymptotic_log10_p_min,
    asymptotic_log_p_min,
    dean_majumdar_log_p_above,
    dean_majumdar_rate,
    fit_rate,
    index_variance_asymptotic,
    semicircle_index_fraction,
)
from saddlesim.theory.exact import (
    EXACT_BETAS,
    MAX_GSE_N,
    PrecisionError,
    has_exact,
    log10_p_above,
    log_p_above,
    log10_p_min,
    log_p_min,
    log_p_saddle,
    p_min,
)
from saddlesim.theory.goe_order import goe_counting_law, goe_kth_density
from saddlesim.theory.index_law import MAX_INDEX_LAW_N, goe_index_law
from saddlesim.theory.linear_ae import (
    LINEAR_AE_COLUMNS,
    linear_ae_class,
    linear_ae_class_count,
    linear_ae_critical_set,
    linear_ae_hessian,
    linear_ae_point,
)
from saddlesim.theory.mean_index import MAX_MEAN_INDEX_N, mean_index, mean_index_fraction
from saddlesim.theory.models import model_log_p_min
from saddlesim.theory.pspin import (
    pspin_complexity,
    pspin_count_density,
    pspin_e0,
    pspin_e_inf,
    pspin_hessian_law,
    pspin_index_complexity,
    pspin_mean_counts,
    pspin_p_min,
)
from saddlesim.theory.coin_flip import (
    coinflip_index_law,
    coinflip_log10_p_min,
    coinflip_log_index_law,
    coinflip_log_p_min,
    coinflip_log_p_saddle,
    coinflip_p_max,
    coinflip_p_min,
    coinflip_p_saddle,
)
from saddlesim.theory.table import TABLE_COLUMNS, WALL_COLUMNS, exact_table, wall_table
from saddlesim.theory.wishart_wigner import (
    fit_three_halves_law,
    ww_alpha,
    ww_alpha0,
    ww_density,
    ww_epsilon_c,
    ww_support,
    ww_three_halves_law,
)

__all__ = [
    "EXACT_BETAS",
    "PrecisionError",
    "has_exact",
    "MAX_GSE_N",
    "log_p_above",
    "log10_p_above",
    "log_p_min",
    "log10_p_min",
    "p_min",
    "log_p_saddle",
    "goe_index_law",
    "model_log_p_min",
    "mean_index",
    "mean_index_fraction",
    "MAX_MEAN_INDEX_N",
    "MAX_INDEX_LAW_N",
    "exact_table",
    "TABLE_COLUMNS",
    "wall_table",
    "WALL_COLUMNS",
    "dean_majumdar_log_p_above",
    "semicircle_index_fraction",
    "fit_rate",
    "coinflip_log_p_min",
    "coinflip_log10_p_min",
    "coinflip_p_min",
    "coinflip_p_max",
    "coinflip_p_saddle",
    "coinflip_log_p_saddle",
    "coinflip_log_index_law",
    "coinflip_index_law",
    "THETA",
    "INDEX_VARIANCE_CONSTANT_GUE",
    "dean_majumdar_rate",
    "asymptotic_log_p_min",
    "asymptotic_log10_p_min",
    "index_variance_asymptotic",
    "goe_counting_law",
    "goe_kth_density",
    "pspin_mean_counts",
    "pspin_count_density",
    "pspin_p_min",
    "pspin_hessian_law",
    "pspin_e_inf",
    "pspin_e0",
    "pspin_complexity",
    "pspin_index_complexity",
    "LINEAR_AE_COLUMNS",
    "linear_ae_critical_set",
    "linear_ae_class",
    "linear_ae_class_count",
    "linear_ae_point",
    "linear_ae_hessian",
    "ww_alpha",
    "ww_alpha0",
    "ww_density",
    "ww_epsilon_c",
    "ww_support",
    "ww_three_halves_law",
    "fit_three_halves_law",
]
