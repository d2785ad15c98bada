"""Landscapes: loss functions and their geometry (Euclidean or the sphere), with exact derivatives.

Finding and judging their critical points lives in :mod:`saddlesim.critical`; runs of the
finder over many instances (plans, tables, rebuilding an instance) in :mod:`saddlesim.searches`.
"""

from saddlesim.landscapes.autodiff import jax_landscape
from saddlesim.landscapes.base import Euclidean, Landscape, Sphere
from saddlesim.landscapes.linear_ae import LinearAutoencoder, linear_autoencoder
from saddlesim.landscapes.mlp import TanhMLP, tanh_mlp
from saddlesim.landscapes.pspin import PSpin, pspin
from saddlesim.landscapes.quadratic import Quadratic, quadratic
from saddlesim.landscapes.registry import LANDSCAPES, make_landscape
from saddlesim.landscapes.user import check_landscape, load_landscape_factory

__all__ = [
    "Landscape",
    "Euclidean",
    "Sphere",
    "PSpin",
    "pspin",
    "LinearAutoencoder",
    "linear_autoencoder",
    "TanhMLP",
    "tanh_mlp",
    "Quadratic",
    "quadratic",
    "LANDSCAPES",
    "make_landscape",
    "load_landscape_factory",
    "check_landscape",
    "jax_landscape",
]
