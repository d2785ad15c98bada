"""Gradient descent near saddles as an experiment (the seed's §2.3): see :mod:`saddlesim.descent.dynamics`.

Critical points come from the finder's solver, :func:`saddlesim.critical.solve.newton_mr`.
"""

__all__: list[str] = []
