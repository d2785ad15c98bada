"""Two independent implementations of GOE at a point must agree.

:func:`saddlesim.theory.goe_counting_law` (the law of #{λ < s} by a DFT of
de Bruijn Pfaffians with moments over (-∞, s)) was written separately from
:func:`log_p_above` and :func:`mean_index` (moments over (t, ∞) in powers of
x - max(t, 0), derivative of the Pfaffian). Its p[0] is P(λ_min > s) and its
mean is the mean index of G - s·I. Catches any error in either route larger
than 1e-12 in P or 1e-10 in the mean, at odd and even n (border column).
"""

import math

import numpy as np
import pytest

from saddlesim.theory import goe_counting_law, log_p_above, mean_index


@pytest.mark.parametrize("n", [3, 4, 7])
@pytest.mark.parametrize("s", [-1.2, 0.4, 1.5])
def test_goe_counting_law_agrees(n, s):
    law = goe_counting_law(n, s)
    assert math.exp(log_p_above(n, s, 1)) == pytest.approx(law[0], rel=1e-10, abs=1e-14)
    assert mean_index(n, -s, 1) == pytest.approx(float(np.arange(n + 1) @ law), abs=1e-10)
