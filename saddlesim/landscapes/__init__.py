"""Landscapes: loss functions with exact derivatives, their critical points and their theory."""

from saddlesim.landscapes.autodiff import jax_landscape
from saddlesim.landscapes.base import Euclidean, Landscape, Sphere
from saddlesim.landscapes.linear_ae import LinearAutoencoder, linear_autoencoder
from saddlesim.landscapes.mlp import TanhMLP, tanh_mlp
from saddlesim.landscapes.pspin import PSpin, pspin
from saddlesim.landscapes.quadratic import Quadratic, quadratic
from saddlesim.landscapes.rebuild import from_run
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
    "from_run",
]
