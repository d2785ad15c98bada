"""A user loss for ``saddlesim landscape --loss four_wells:make`` (run with ``PYTHONPATH=examples``).

f(x, y) = a·[(x² − 1)² + (y² − 1)²] + tilt·(x + y): for |tilt| small its nine
critical points sit near x, y ∈ {−1, 0, 1}: four minima (x, y = ±1), four
saddles (one coordinate 0) and one maximum (0, 0). With tilt = 0 they are
exactly there, with Hessian diag(f''(x), f''(y)), f'' = a(12x² − 4).

The factory takes ``(rng, **params)`` and returns an object implementing the
landscape protocol; subclassing ``Euclidean`` supplies the geometry.
"""

import numpy as np

from saddlesim.landscapes import Euclidean


class FourWells(Euclidean):
    name = "four-wells"
    convention = "every point counts (no symmetry is quotiented out)"
    dim = 2

    def __init__(self, a: float, tilt: float):
        self.a, self.tilt = a, tilt
        self.params = {"a": a, "tilt": tilt}

    def value(self, x):
        x = np.asarray(x, dtype=float)
        return float(self.a * np.sum((x**2 - 1) ** 2) + self.tilt * np.sum(x))

    def gradient(self, x):
        x = np.asarray(x, dtype=float)
        return 4 * self.a * x * (x**2 - 1) + self.tilt

    def hessian(self, x):
        x = np.asarray(x, dtype=float)
        return np.diag(self.a * (12 * x**2 - 4))

    def random_point(self, rng):
        return rng.uniform(-1.5, 1.5, size=2)


def make(rng, a: float = 1.0, tilt: float = 0.0):
    """The four-wells loss; ``rng`` is unused (no disorder), accepted per the protocol."""
    return FourWells(float(a), float(tilt))
