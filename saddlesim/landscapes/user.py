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

__all__ = ["load_landscape_factory", "check_landscape", "load_jax_loss", "load_module", "is_jax_loss", "jax_loss_landscape",
           "JAX_LOSS_PARAMS", "PROTOCOL_MEMBERS"]

#: Parameters of a JAX loss as a landscape source (``make_landscape("./himmel.py:loss", dim=2)``).
JAX_LOSS_PARAMS = ("dim", "start_scale", "sphere")

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


def load_module(target: str, origin: str):
    """A module from a file path (``./himmel.py``) or a name importable from the current folder.

    A file's own folder is first on ``sys.path`` while it runs, so it imports
    its siblings (``./sub/net.py`` doing ``import helper`` finds ``sub/helper.py``)
    as ``python sub/net.py`` would.
    """
    import importlib.util
    import sys
    from pathlib import Path

    if target.endswith(".py") or "/" in target:
        path = Path(target)
        if not path.is_file():
            raise ValueError(f"no file {target!r} (from loss {origin!r})")
        mod_spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(mod_spec)
        folder = str(path.resolve().parent)
        sys.path.insert(0, folder)
        try:
            mod_spec.loader.exec_module(module)
        except Exception as exc:  # the user's file failed: their error, in one line
            raise ValueError(f"cannot load {target!r} for loss {origin!r}: {type(exc).__name__}: {exc}") from None
        finally:
            sys.path.remove(folder)
        return module
    if not _DOTTED.match(target):
        raise ValueError(f"a loss must be given as 'file.py:function' or 'module:function', got {origin!r}")
    # the current folder first, as `python -m` would, without the user touching PYTHONPATH
    sys.path.insert(0, str(Path.cwd()))
    try:
        return importlib.import_module(target)
    except Exception as exc:  # any failure while importing user code is the user's error
        raise ValueError(f"cannot import module {target!r} for loss {origin!r}: {type(exc).__name__}: {exc}") from None
    finally:
        sys.path.remove(str(Path.cwd()))


def load_jax_loss(spec: str, *, dim: int | None = None, start_scale: float = 1.0,
                  manifold: str = "euclidean", default_dim: int | None = None):
    """The JAX landscape of ``spec = "file.py:loss"`` or ``"module:loss"``.

    The module may define ``DIM`` (the length of x; ``dim`` overrides it) and
    ``random_point(rng)`` (starts; else N(0, start_scale² I)); ``default_dim``
    (e.g. the length of a given point) is used when neither says.

    Raises
    ------
    ValueError
        Malformed spec, file or module missing, no such function, no dimension
        (one line each, for the CLI).
    """
    from saddlesim.landscapes.autodiff import import_jax, jax_landscape

    if not isinstance(spec, str) or spec.count(":") != 1 or not all(spec.split(":")):
        raise ValueError(f"a loss must be given as 'file.py:function' or 'module:function', got {spec!r}")
    target, attr = spec.split(":")
    # float64 on before the user's module runs: constants it builds at import time
    # (jnp.asarray(data)) would otherwise be float32 for good
    import_jax()
    module = load_module(target, spec)
    loss = getattr(module, attr, None)
    if not callable(loss):
        raise ValueError(f"{target!r} has no function {attr!r} (from loss {spec!r})")
    if dim is None:
        dim = getattr(module, "DIM", default_dim)
        if dim is None:
            raise ValueError(f"loss {spec!r}: give --dim, or define DIM in {target!r}")
    random_point = getattr(module, "random_point", None)
    return jax_landscape(loss, dim, manifold=manifold, name=spec, start_scale=start_scale,
                         random_point=random_point if callable(random_point) else None)


def is_jax_loss(spec: str) -> bool:
    """Whether ``spec`` names a JAX loss ``loss(x)`` rather than a landscape factory ``f(rng, **params)``.

    A file (``./himmel.py:loss``) is always a JAX loss; in ``module:function``
    (imported from the current folder first) a function whose first parameter
    is named ``rng`` is a factory, anything else a loss.

    Malformed specs and missing attributes give False, so that
    :func:`load_landscape_factory` reports them.

    Raises
    ------
    ValueError
        Module not importable, attribute not callable (one line).
    """
    import inspect

    if not isinstance(spec, str) or spec.count(":") != 1 or not all(spec.split(":")):
        return False    # the factory loader says what is malformed
    target, attr = spec.split(":")
    if target.endswith(".py") or "/" in target:
        return True
    if not _DOTTED.match(target):
        return False
    obj = load_module(target, spec)
    for part in attr.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return False    # the factory loader names the missing attribute
    if not callable(obj):
        raise ValueError(f"{spec!r} is not callable (a {type(obj).__name__})")
    try:
        first = next(iter(inspect.signature(obj).parameters), None)
    except (TypeError, ValueError):   # a builtin or C function: not a factory of ours
        return True
    return first != "rng"


def jax_loss_landscape(spec: str, *, dim: int | None = None, start_scale: float = 1.0, sphere: bool = False):
    """A JAX loss as a landscape source: :func:`load_jax_loss` with JSON-able parameters.

    The landscape is rebuilt from ``spec`` in every process that needs it (a
    spawned worker, :func:`saddlesim.searches.from_run`), never pickled; its
    ``params`` record ``dim``, ``start_scale`` and ``sphere``.
    """
    if not isinstance(sphere, bool):
        raise ValueError(f"sphere must be true or false, got {sphere!r}")
    land = load_jax_loss(spec, dim=dim, start_scale=start_scale, manifold="sphere" if sphere else "euclidean")
    land.params = {"dim": land.dim, "start_scale": land.start_scale, "sphere": sphere}
    return land
