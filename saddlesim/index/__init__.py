"""From a Hessian to its index: Sturm/LDLᵀ counts, inertia, labels with nullity.

Dense and tridiagonal routes (:mod:`.inertia`, :mod:`.classify`, :mod:`.sturm`
and its numba kernel :mod:`.sturm_jit`), the fast blocked sampler of indices
for one shift (:mod:`.sampling`) or many (:mod:`.shifted`), \\|det\\| weights
(:mod:`.weights`) and label metrics (:mod:`.metrics`).
"""
