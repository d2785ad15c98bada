"""Floating-point constants the numpy and the compiled Sturm loops share (bit-identical counts)."""

import numpy as np

#: Replacement for a zero pivot (LAPACK's pivmin): the smallest normal double.
PIVMIN = float(np.finfo(np.float64).tiny)
