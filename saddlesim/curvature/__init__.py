"""Curvature from Hessian-vector products: Lanczos extremes, certified index, stochastic Lanczos quadrature.

The Hessian of a network with 10⁵ parameters cannot be formed; these
routines see it only through products ``H v`` (:mod:`.operators`), each one
forward-over-reverse pass. :mod:`.lanczos` gives extreme eigenpairs with
residual bounds, :mod:`.certify` the index #{λ < −τ} with a proof of the
lower bound and a probabilistic certificate of the upper bound when few
eigenvalues lie below −τ, :mod:`.slq` the spectral density and counts with
95 % intervals, and :func:`.spectrum.spectrum` picks the route (dense below
a size limit).
"""

from saddlesim.curvature.certify import certified_index
from saddlesim.curvature.lanczos import LanczosProcess, extreme_eigenpairs
from saddlesim.curvature.operators import Operator, as_operator, landscape_operator, matrix_operator
from saddlesim.curvature.slq import SLQ, slq
from saddlesim.curvature.spectrum import DENSE_LIMIT, METHODS, spectrum

__all__ = ["Operator", "as_operator", "landscape_operator", "matrix_operator", "LanczosProcess",
           "extreme_eigenpairs", "certified_index", "SLQ", "slq", "spectrum", "DENSE_LIMIT", "METHODS"]
