"""Minimum detection as a rare-class problem: labels from estimated Hessians, scored against exact ones."""

from saddlesim.detection.estimate import finite_difference_hessians, noisy_hessians, relative_tol_labels
from saddlesim.detection.minibatch import minibatch_hessian, minibatch_hessians

__all__ = ["noisy_hessians", "finite_difference_hessians", "relative_tol_labels", "minibatch_hessian",
           "minibatch_hessians"]
