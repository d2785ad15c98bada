"""Gradient descent near saddles as an experiment (the second-order argument (a step raises the loss when ½ε²gᵀHg > εgᵀg)): see :mod:`saddlesim.descent.dynamics`.

Critical points come from the finder's solver, :func:`saddlesim.critical.solve.newton_mr`.
"""

__all__: list[str] = []
