"""Closed forms and exact results for P(minimum), P(saddle) and the index.

- :mod:`~saddlesim.theory.seed`: the seed's 1/2^n claim and its binomial index law.
- :mod:`~saddlesim.theory.exact`: exact finite-n P(min) for GOE and GUE (any n).
- :mod:`~saddlesim.theory.index_law`: exact GOE index distribution at small n.
- :mod:`~saddlesim.theory.table`: one row per n, the table the CLI and experiment print.
- :mod:`~saddlesim.theory.asymptotics`: large-n laws (Dean & Majumdar; Majumdar et al.).

Probabilities travel as natural logs (``log_*``) with base-10 helpers; they
reach 1e-1200 at n = 100 and are never rounded to 0.
"""

from saddlesim.theory.exact import (
    EXACT_BETAS,
    PrecisionError,
    has_exact,
    log10_p_min,
    log_p_min,
    log_p_saddle,
    p_min,
)

__all__ = [
    "EXACT_BETAS",
    "PrecisionError",
    "has_exact",
    "log_p_min",
    "log10_p_min",
    "p_min",
    "log_p_saddle",
]
