"""Which Hessian model a sweep draws from: a small, hashable description.

A :class:`Model` names a law for random symmetric Hessians; the samplers in
:mod:`saddlesim.models.gaussian` and :mod:`saddlesim.models.independent` draw
from it, and :func:`saddlesim.index.sampling.sample_index` dispatches on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from saddlesim.runtime.validate import check_beta

__all__ = ["Model", "MODEL_NAMES", "GAUSSIAN_BETAS", "DENSE_BETAS", "check_dense", "resolve_method"]

#: Named Gaussian ensembles and their Dyson index beta.
GAUSSIAN_BETAS = {"goe": 1.0, "gue": 2.0, "gse": 4.0}

#: Dyson indices with a dense matrix sampler (GOE, GUE, GSE); any other beta
#: exists only in the tridiagonal form.
DENSE_BETAS = (1.0, 2.0, 4.0)

#: Every model name accepted by :class:`Model`.
MODEL_NAMES = ("independent", "goe", "gue", "gse", "beta", "wishart-wigner")


@dataclass(frozen=True)
class Model:
    """A law for random symmetric Hessians.

    Parameters
    ----------
    name : {'independent', 'goe', 'gue', 'gse', 'beta', 'wishart-wigner'}
        ``independent``: eigenvalues i.i.d. symmetric about 0 (the coin-flip
        model, where P(min) = 2^-n exactly). ``goe``/``gue``/``gse``: the
        Gaussian ensembles, beta = 1, 2, 4. ``beta``: the Gaussian
        beta-ensemble at any ``beta > 0`` (Dumitriu & Edelman 2002).
        ``wishart-wigner``: ``X Xᵀ/m`` plus a Wigner matrix (Pennington &
        Bahri 2017), dense only; needs ``phi`` and ``eps``.
    beta : float, optional
        Dyson index. Required (and > 0) for ``name='beta'``; for the named
        ensembles it is filled in and must agree if given; must be None for
        ``independent``.
    phi, eps : float, optional
        ``wishart-wigner`` only: ratio ``n/m > 0`` of the Wishart part and
        ``eps >= 0``, the Wigner part's semicircle radius being ``2√(2ε)``.

    Examples
    --------
    >>> Model("goe")
    Model(name='goe', beta=1.0)
    >>> Model("beta", beta=0.5).label
    'β-ensemble (β=0.5)'
    """

    name: str
    beta: float | None = None
    phi: float | None = None
    eps: float | None = None

    def __post_init__(self):
        name = str(self.name).lower()
        if name not in MODEL_NAMES:
            raise ValueError(
                f"unknown model {self.name!r}; choose one of {', '.join(MODEL_NAMES)}"
            )
        object.__setattr__(self, "name", name)
        if name == "wishart-wigner":
            if self.beta is not None:
                raise ValueError("model 'wishart-wigner' takes no beta")
            if self.phi is None or self.eps is None:
                raise ValueError("model 'wishart-wigner' needs phi > 0 and eps >= 0")
            phi, eps = float(self.phi), float(self.eps)
            if not (math.isfinite(phi) and phi > 0):
                raise ValueError(f"phi must be a positive number, got {self.phi!r}")
            if not (math.isfinite(eps) and eps >= 0):
                raise ValueError(f"eps must be a number >= 0, got {self.eps!r}")
            object.__setattr__(self, "phi", phi)
            object.__setattr__(self, "eps", eps)
            return
        if self.phi is not None or self.eps is not None:
            raise ValueError(f"phi and eps apply only to model 'wishart-wigner', not {name!r}")
        if name == "independent":
            if self.beta is not None:
                raise ValueError("the independent-sign model takes no beta")
            return
        if name == "beta":
            if self.beta is None:
                raise ValueError("model 'beta' needs a positive beta")
            object.__setattr__(self, "beta", check_beta(self.beta))
            return
        fixed = GAUSSIAN_BETAS[name]
        if self.beta is not None and check_beta(self.beta) != fixed:
            raise ValueError(f"model {name!r} has beta={fixed:g}, got beta={self.beta!r}")
        object.__setattr__(self, "beta", fixed)

    @property
    def is_gaussian(self) -> bool:
        """True for the Gaussian beta-ensembles (everything but ``independent``)."""
        return self.name not in ("independent", "wishart-wigner")

    @property
    def methods(self) -> tuple[str, ...]:
        """The ways its indices can be computed, the preferred first.

        ``tridiagonal`` (Dumitriu–Edelman form; O(n) per draw) for every
        Gaussian beta and the independent model, ``dense`` (full matrices) for
        those in :data:`DENSE_BETAS`, the independent model and
        ``wishart-wigner``, which has only the dense form.
        """
        if self.name == "wishart-wigner":
            return ("dense",)
        if self.is_gaussian and self.beta not in DENSE_BETAS:
            return ("tridiagonal",)
        return ("tridiagonal", "dense")

    @property
    def label(self) -> str:
        """Human-readable name for tables and legends."""
        if self.name == "independent":
            return "independent signs"
        if self.name == "beta":
            return f"β-ensemble (β={self.beta:g})"
        if self.name == "wishart-wigner":
            return f"Wishart+Wigner (φ={self.phi:g}, ε={self.eps:g})"
        return f"{self.name.upper()} (β={self.beta:g})"


def check_dense(model: Model) -> Model:
    """Return ``model`` if full matrices can be drawn for it, else raise ValueError.

    The one statement of the rule: the independent model and beta in
    :data:`DENSE_BETAS` have dense samplers; other beta need method
    'tridiagonal'.
    """
    if model.is_gaussian and model.beta not in DENSE_BETAS:
        raise ValueError(
            f"method 'dense' exists for beta in 1, 2, 4 and the independent model, "
            f"not beta={model.beta:g}; use method 'tridiagonal'"
        )
    return model


def resolve_method(models, method: str | None = None) -> str:
    """The index method a set of models is swept with: ``method`` checked, or chosen.

    Parameters
    ----------
    models : sequence of Model
    method : {'tridiagonal', 'dense'}, optional
        None picks the first method every model has: ``tridiagonal`` unless a
        model exists only as full matrices (``wishart-wigner``), then ``dense``.

    Raises
    ------
    ValueError
        A method some model lacks, or models with no method in common.
    """
    models = list(models)
    if method is None:
        common = [m for m in ("tridiagonal", "dense") if all(m in x.methods for x in models)]
        if not common:
            only = {x.label: x.methods[0] for x in models}
            raise ValueError("these models share no method (" + ", ".join(f"{k}: {v} only" for k, v in only.items())
                             + "); sweep them separately")
        return common[0]
    if method == "dense":
        for m in models:
            check_dense(m)
    if method == "tridiagonal":
        for m in models:
            if "tridiagonal" not in m.methods:
                raise ValueError(f"model {m.name!r} has no tridiagonal form; use method 'dense'")
    return method
