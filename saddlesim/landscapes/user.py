"""Your own loss: load a landscape factory named ``package.module:function``.

The function is called as ``function(rng, **params)`` with a
:class:`numpy.random.Generator` (draw any disorder from it, nothing else) and
must return an object implementing :class:`~saddlesim.landscapes.base.Landscape`
(subclass :class:`~saddlesim.landscapes.base.Euclidean` or
:class:`~saddlesim.landscapes.base.Sphere` to get the geometry for free).
``examples/four_wells.py`` is a complete example.

References
----------
Python packaging entry-point syntax ``module:attr`` (PEP 621 / importlib.metadata).
"""

from __future__ import annotations

import importlib
import re
from typing import Callable

from saddlesim.landscapes.base import Landscape

__all__ = ["load_landscape_factory", "check_landscape", "PROTOCOL_MEMBERS"]

#: What an object must have to be used as a landscape.
PROTOCOL_MEMBERS = (
    "name",
    "dim",
    "manifold_dim",
    "convention",
    "value",
    "gradient",
    "hessian",
    "tangent_basis",
    "retract",
    "random_point",
    "canonical",
)

_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


def load_landscape_factory(spec: str) -> Callable:
    """The callable that ``spec = "package.module:function"`` names.

    Parameters
    ----------
    spec : str
        Importable module path and attribute, separated by one colon; the
        attribute may be dotted (``module:Class.method``).

    Returns
    -------
    callable
        Called as ``factory(rng, **params)``.

    Raises
    ------
    ValueError
        Malformed spec, module not importable, attribute missing or not callable
        (one line each, for the CLI).
    """
    if not isinstance(spec, str) or spec.count(":") != 1:
        raise ValueError(f"a user loss must be given as 'package.module:function', got {spec!r}")
    module_name, attr = spec.split(":")
    if not _DOTTED.match(module_name) or not _DOTTED.match(attr):
        raise ValueError(f"a user loss must be given as 'package.module:function', got {spec!r}")
    try:
        obj = importlib.import_module(module_name)
    except Exception as exc:  # any failure while importing user code is the user's error
        raise ValueError(f"cannot import module {module_name!r} for loss {spec!r}: {type(exc).__name__}: {exc}") from None
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ValueError(f"module {module_name!r} has no attribute {attr!r} (from loss {spec!r})") from None
    if not callable(obj):
        raise ValueError(f"{spec!r} is not callable (a {type(obj).__name__})")
    return obj


def check_landscape(obj, origin: str):
    """Return ``obj`` if it implements the landscape protocol, else raise a one-line ValueError."""
    missing = [m for m in PROTOCOL_MEMBERS if not hasattr(obj, m)]
    if missing or not isinstance(obj, Landscape):
        raise ValueError(
            f"{origin} returned a {type(obj).__name__}, which is not a landscape: missing {', '.join(missing)}"
        )
    for attr in ("dim", "manifold_dim"):
        v = getattr(obj, attr)
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{origin} returned a landscape whose {attr} is {v!r}, not a positive int")
    return obj
