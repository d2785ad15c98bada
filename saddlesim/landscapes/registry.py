"""Build a landscape by name: ``make_landscape("pspin", rng, N=8, p=3)``.

Names: ``"pspin"`` (N, p), ``"linear-ae"`` (k, width, sigma, samples),
``"mlp"`` (d, h, m, outputs, teacher_h, noise, bias), ``"quadratic"`` (n: a
GOE quadratic form, the local model of a critical point) and
``"package.module:function"`` for your own landscape factory (see
:mod:`saddlesim.landscapes.user`), or ``"file.py:loss"`` / ``"module:loss"``
for a JAX loss of ``x`` alone (parameters ``dim``, ``start_scale``,
``sphere``; derivatives by autodiff, :mod:`saddlesim.landscapes.autodiff`). Every instance has ``name``, ``params``
(a JSON-able dict for ``meta.json``) and ``convention`` (one line saying which
points count as the same critical point), and its disorder is a pure
function of ``rng``.
"""

from __future__ import annotations

import inspect
import json

import numpy as np

from saddlesim.landscapes.linear_ae import linear_autoencoder
from saddlesim.landscapes.mlp import tanh_mlp
from saddlesim.landscapes.pspin import pspin
from saddlesim.landscapes.quadratic import quadratic
from saddlesim.landscapes.user import JAX_LOSS_PARAMS, check_landscape, is_jax_loss, jax_loss_landscape, load_landscape_factory

__all__ = ["LANDSCAPES", "make_landscape"]

#: built-in name → factory taking (..., rng=...) keyword parameters
LANDSCAPES = {
    "pspin": pspin,
    "linear-ae": linear_autoencoder,
    "mlp": tanh_mlp,
    "quadratic": quadratic,
}


def _bind(name: str, factory, args: tuple, params: dict) -> None:
    """Check that ``params`` fit the factory's signature, with a one-line error if not."""
    sig = inspect.signature(factory)
    known = [p for p in sig.parameters if p != "rng"]
    try:
        sig.bind(*args, **params)
    except TypeError as exc:
        unknown = sorted(set(params) - set(sig.parameters))
        if unknown and not any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
            raise ValueError(
                f"unknown parameter(s) {', '.join(unknown)} for loss {name!r} (known: {', '.join(known) or 'none'})"
            ) from None
        raise ValueError(f"bad parameters for loss {name!r}: {exc}") from None


def make_landscape(name: str, rng=None, **params):
    """A landscape instance, its disorder drawn from ``rng``.

    Parameters
    ----------
    name : str
        ``"pspin"``, ``"linear-ae"``, ``"mlp"`` or ``"package.module:function"``.
    rng : None, int, SeedSequence or Generator
        Normalised once with :func:`numpy.random.default_rng`.
    **params
        The landscape's parameters (see each factory:
        :func:`~saddlesim.landscapes.pspin.pspin`,
        :func:`~saddlesim.landscapes.linear_ae.linear_autoencoder`,
        :func:`~saddlesim.landscapes.mlp.tanh_mlp`).

    Returns
    -------
    Landscape
        With attributes ``name``, ``params`` and ``convention``.

    Raises
    ------
    ValueError
        Unknown name, unknown or invalid parameters, a user factory that
        cannot be loaded or does not return a landscape (one line each).
    """
    if not isinstance(name, str):
        raise ValueError(f"loss must be a name, got {name!r}")
    rng = np.random.default_rng(rng)
    if name in LANDSCAPES:
        factory = LANDSCAPES[name]
        _bind(name, factory, (), params)
        return factory(rng=rng, **params)
    if ":" not in name:
        raise ValueError(f"unknown loss {name!r}: use one of {', '.join(LANDSCAPES)} or 'package.module:function'")
    if is_jax_loss(name):
        unknown = sorted(set(params) - set(JAX_LOSS_PARAMS))
        if unknown:
            raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for JAX loss {name!r} "
                             f"(known: {', '.join(JAX_LOSS_PARAMS)})")
        return jax_loss_landscape(name, **params)
    factory = load_landscape_factory(name)
    _bind(name, factory, (rng,), params)
    try:
        json.dumps(params)
    except TypeError:
        raise ValueError(f"parameters for loss {name!r} must be JSON-able, got {params!r}") from None
    obj = check_landscape(factory(rng, **params), name)
    if not hasattr(obj, "params"):
        obj.params = dict(params)
    return obj
