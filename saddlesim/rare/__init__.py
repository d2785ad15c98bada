"""Rare-event estimates of P(min) far below 1/samples.

Plain Monte Carlo cannot see P(min) for GOE n = 20 (≈1e-51); the coin-flip
2^-n ≈ 1e-6 would mislead any budget. This package estimates
``P(λ_min > 0)`` (= P(min); P(max) by H → −H symmetry) in log space for
any Gaussian β-ensemble, β > 0.

Method
------
A population of walkers follows the eigenvalue Coulomb gas
``π_w(λ) ∝ |Δ(λ)|^β exp(-Σλ²/2) 1{λ_min > w}`` through a sequence of
hard walls ``w_0 = -inf < w_1 < … < w_K = 0`` (a sequential Monte Carlo
sampler, Del Moral, Doucet & Jasra 2006), and

    P(λ_min > 0) = Π_k P(λ_min > w_{k+1} | λ_min > w_k).

* Step 0 starts from exact β-Hermite spectra (Dumitriu & Edelman 2002) and
  estimates ``P(λ_min > w_1)`` by the surviving fraction (multilevel
  splitting / subset simulation, Au & Beck 2001; Cérou & Guyader 2007).
* Between finite walls, every eigenvalue is shifted by ``δ = w_{k+1} − w_k``.
  The shift maps ``{λ > w_k}`` onto ``{λ > w_{k+1}}`` and preserves
  ``Δ(λ)``, so the conditional probability is *exactly*
  ``E_{π_{w_k}}[exp(−δ Σλ − n δ²/2)]``: an importance weight of a smooth
  statistic, much less noisy than a survival indicator. Walkers are
  resampled by these weights and decorrelated by Metropolis sweeps that
  leave ``π_{w_{k+1}}`` invariant (single-eigenvalue moves with proposals
  below the wall rejected, as in Saito, Iba & Hukushima 2010, plus a
  centre-of-mass shift and a dilation about the wall).
* Each next wall is the furthest one keeping the effective sample size of
  the weights at half the population (Zhou, Johansen & Aston 2016), so the
  number of walls grows only like ``n`` while ``ln P ∝ −n²``.

The product is accumulated as a sum of logs, so P = 1e-307 and below never
underflows.

Unbiased levels, honest interval (:mod:`saddlesim.rare.estimate`). Choosing
each wall from the walkers that then estimate its ratio biases ``P̂`` low by
about ``1.3-1.7 / walkers`` in ln per level (measured against exact GOE
values: n = 10, 200 walkers, 11 levels: ``ln E[P̂/P] = −0.071 ± 0.017``;
n = 20, 23 levels: ``−0.155 ± 0.031``). More sweeps do not remove it
(16 sweeps: ``−0.067 ± 0.015``), so it is not a mixing error; it is the
adaptive-level bias (Beskos, Jasra, Kantas & Thiery 2016 prove consistency
of adaptive SMC, not unbiasedness), the same sign and order as the −0.05 in
log10 seen at GOE n = 50. So a pilot run picks the walls and every replicate runs on those
fixed walls, where ``P̂`` is exactly unbiased (n = 10: ``+0.023 ± 0.017``;
n = 20: ``−0.009 ± 0.031``).
Replicates alternate between two mixing budgets (``sweeps`` and
``ceil(sweeps/2)``); the interval is Student-t on the two halves' lognormal
estimates, widened to span both halves and flagged when they disagree, so a
budget too small for the dimension shows up instead of silently biasing.
Requested walls (``shifts``) are stops of the same runs, so one run gives
``P(λ_min > −s)`` for every shift ``s`` on the way.
Coverage of the 95 % interval measured with ``benchmarks/rare_coverage.py``.

Other models plug in through :class:`~saddlesim.rare.protocol.SplittingModel`
(initial sampler, score, weights + transport, invariant kernel); with the
default :class:`~saddlesim.rare.protocol.IndicatorTransport` the engine is
adaptive multilevel splitting. :class:`IndependentSigns` is such a model,
with P(min) = 2^-n exactly.

References
----------
S.-K. Au and J. L. Beck, Probab. Eng. Mech. 16 (2001) 263.
F. Cérou and A. Guyader, Stoch. Anal. Appl. 25 (2007) 417.
P. Del Moral, A. Doucet and A. Jasra, J. R. Stat. Soc. B 68 (2006) 411.
D. S. Dean and S. N. Majumdar, Phys. Rev. Lett. 97 (2006) 160201.
I. Dumitriu and A. Edelman, J. Math. Phys. 43 (2002) 5830.
H. Saito, Y. Iba and K. Hukushima, "Multicanonical sampling of rare events
in random matrices", Phys. Rev. E 82 (2010) 031142, arXiv:1002.4499.
Y. Zhou, A. M. Johansen and J. A. D. Aston, J. Comput. Graph. Stat. 25 (2016) 701.
J. Bérard, P. Del Moral and A. Doucet, Electron. J. Probab. 19 (2014) 94.
A. Beskos, A. Jasra, N. Kantas and A. Thiery, "On the convergence of adaptive
sequential Monte Carlo methods", Ann. Appl. Probab. 26 (2016) 1111.
"""

from saddlesim.rare.coulomb import CoulombGas, default_sweeps
from saddlesim.rare.estimate import RareEstimate, combine_replicates, estimate_p_min, splitting_model
from saddlesim.rare.independent import IndependentSigns
from saddlesim.rare.protocol import IndicatorTransport, SplittingModel
from saddlesim.rare.smc import SplittingRun, run_splitting
from saddlesim.rare.table import RARE_COLUMNS, cell_seed, estimate_table

__all__ = [
    "estimate_p_min",
    "estimate_table",
    "RARE_COLUMNS",
    "cell_seed",
    "RareEstimate",
    "combine_replicates",
    "splitting_model",
    "run_splitting",
    "SplittingRun",
    "SplittingModel",
    "IndicatorTransport",
    "CoulombGas",
    "default_sweeps",
    "IndependentSigns",
]
