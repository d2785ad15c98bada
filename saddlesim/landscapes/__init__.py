"""Landscapes: loss functions with exact derivatives, their critical points and their theory."""

from saddlesim.landscapes.base import Euclidean, Landscape, Sphere

__all__ = ["Landscape", "Euclidean", "Sphere"]
