"""Gradient descent near saddles as an experiment (the seed's §2.3): see :mod:`saddlesim.dynamics`."""

from saddlesim.descent.newton import NewtonResult, newton_critical_point

__all__ = ["NewtonResult", "newton_critical_point"]
