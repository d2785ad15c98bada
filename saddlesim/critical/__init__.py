"""Critical points: finding them (Newton-MR, dense or on Hessian-vector products, one start or
many at once; starts, hops, deduplication, completeness) and judging one point (the verdict:
critical, gradient-flat or not, with index and nullity; polishing a point with Newton-MR)."""

from saddlesim.critical.polish import polish_point
from saddlesim.critical.solve import newton_mr
from saddlesim.critical.verdict import point_verdict

__all__ = ["newton_mr", "point_verdict", "polish_point"]
