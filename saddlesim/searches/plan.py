"""What a landscape run computes: instances of one loss, each with its own random stream.

An *instance* is one draw of the loss's disorder (p-spin couplings, a
network's data) and its ``starts`` solves. Its generator is keyed by what it
*is*::

    SeedSequence(entropy, spawn_key=(crc32(tag), instance))

where ``tag`` names the loss and its parameters; the instance's two child
streams (:meth:`numpy.random.SeedSequence.spawn`) draw the disorder and the
starts. Results therefore depend on neither the worker count nor the order
instances run in, and each instance is a pure function of
``(plan, instance)`` (:func:`saddlesim.searches.run.run_instance`).
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from saddlesim.runtime.seeds import fresh_entropy

__all__ = ["LandscapePlan", "make_landscape_plan", "build_landscape"]


def build_landscape(loss: str, params: dict, rng):
    """Draw an instance of ``loss`` with ``params`` from ``rng``.

    ``loss`` is a name :func:`saddlesim.landscapes.make_landscape` knows
    (``pspin``, ``linear-ae``, ``mlp``) or ``package.module:function``.
    """
    from saddlesim.landscapes.registry import make_landscape

    return make_landscape(loss, rng=rng, **params)


@dataclass(frozen=True)
class LandscapePlan:
    """Everything that determines a landscape run's tables (and nothing that does not, like workers).

    Parameters
    ----------
    loss : str
        Registry name or ``module:function``.
    params : tuple of (str, value)
        The loss's parameters, sorted by name (JSON-able values).
    instances : int
        Independent instances (disorder draws), ``>= 1``.
    starts : int
        Solves per instance, ``>= 1``.
    entropy : int
        Root seed entropy.
    grad_tol : float
        Acceptance threshold on ``|∇L|²``.
    descent_fraction : float
        Share of starts taken along gradient-descent runs (the rest random).
    null_tol : float, optional
        Absolute nullity threshold; default per point (see :mod:`saddlesim.critical.find`).
    max_iter : int
        Newton steps per solve.
    hops : int
        Further solves per instance from found points displaced along their
        Hessian eigenvectors (:mod:`saddlesim.critical.hop`), after the starts.
    """

    loss: str
    params: tuple
    instances: int
    starts: int
    entropy: int
    grad_tol: float = 1e-10
    descent_fraction: float = 0.0
    null_tol: float | None = None
    max_iter: int = 100
    hops: int = 0
    key: int = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "key", zlib.crc32(self.tag.encode("utf-8")))

    @property
    def param_dict(self) -> dict:
        return dict(self.params)

    @property
    def tag(self) -> str:
        """Stable text name of the loss: ``pspin{"N": 8, "p": 3}``."""
        return self.loss + json.dumps(self.param_dict, sort_keys=True)

    def seed_sequence(self, instance: int) -> np.random.SeedSequence:
        """Instance ``instance``'s stream: root entropy keyed by (CRC-32 of the tag, instance)."""
        return np.random.SeedSequence(self.entropy, spawn_key=(self.key, int(instance)))

    def fingerprint(self) -> dict:
        """JSON-able identity: two runs resume each other only if these agree."""
        return {
            "loss": self.loss,
            "params": self.param_dict,
            "instances": self.instances,
            "starts": self.starts,
            "entropy": str(self.entropy),
            "grad_tol": self.grad_tol,
            "descent_fraction": self.descent_fraction,
            "null_tol": self.null_tol,
            "max_iter": self.max_iter,
            "hops": self.hops,
        }


def _positive_int(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _positive_float(name, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number > 0, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return v


def _check_finite(landscape, loss: str) -> None:
    """A one-line error if the loss or its gradient is not finite at a random start."""
    x = landscape.random_point(np.random.default_rng(2))
    value, grad = landscape.value(x), np.asarray(landscape.gradient(x), dtype=float)
    if not (np.isfinite(value) and np.all(np.isfinite(grad))):
        raise ValueError(f"loss {loss!r} is not finite at a random start (value {value!r}); "
                         "check its formula or its random_point / --start-scale")


def make_landscape_plan(
    loss: str,
    params: dict | None = None,
    *,
    instances: int = 1,
    starts: int = 100,
    entropy: int | None = None,
    grad_tol: float = 1e-10,
    descent_fraction: float = 0.0,
    null_tol: float | None = None,
    max_iter: int = 100,
    hops: int = 0,
    check: bool = True,
    derivative_check: bool = True,
) -> LandscapePlan:
    """Validate a landscape run and return its plan.

    Parameters
    ----------
    loss : str
    params : dict, optional
        The loss's parameters (JSON-able).
    instances, starts, entropy, grad_tol, descent_fraction, null_tol, max_iter, hops
        See :class:`LandscapePlan`; ``entropy`` defaults to fresh OS entropy.
    check : bool
        Build one instance now, so that an unknown loss or bad parameters fail
        here (before any folder is written) with the loss's own message.
    derivative_check : bool
        With ``check``, also compare that instance's gradient and Hessian with
        finite differences (:func:`saddlesim.landscapes.derivatives.check_derivatives`),
        so hand-written derivatives with a bug stop the run before it starts.

    Raises
    ------
    ValueError
        Any invalid argument, with a one-line message naming it.
    """
    if not isinstance(loss, str) or not loss.strip():
        raise ValueError("loss must be a non-empty name")
    params = dict(params or {})
    try:
        json.dumps(params)
    except TypeError:
        raise ValueError(f"loss parameters must be JSON-able, got {params!r}") from None
    instances = _positive_int("instances", instances)
    starts = _positive_int("starts", starts)
    grad_tol = _positive_float("grad_tol", grad_tol)
    if null_tol is not None:
        null_tol = _positive_float("null_tol", null_tol)
    max_iter = _positive_int("max_iter", max_iter)
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or hops < 0:
        raise ValueError(f"hops must be an integer >= 0, got {hops!r}")
    descent_fraction = float(descent_fraction)
    if not 0.0 <= descent_fraction <= 1.0:
        raise ValueError(f"descent_fraction must be in [0, 1], got {descent_fraction}")
    if entropy is None:
        entropy = fresh_entropy()
    if isinstance(entropy, bool) or not isinstance(entropy, (int, np.integer)) or entropy < 0:
        raise ValueError(f"seed must be an integer >= 0, got {entropy!r}")
    plan = LandscapePlan(loss.strip(), tuple(sorted(params.items())), instances, starts, int(entropy),
                         grad_tol, descent_fraction, null_tol, max_iter, int(hops))
    if check:
        instance = build_landscape(plan.loss, plan.param_dict, np.random.default_rng(0))
        _check_finite(instance, plan.loss)
        if derivative_check and not getattr(instance, "autodiff", False):
            from saddlesim.landscapes.derivatives import check_derivatives

            check_derivatives(instance, np.random.default_rng(1))
    return plan
