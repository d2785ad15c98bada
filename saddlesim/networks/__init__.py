"""The researcher's path: a network's ``loss(params, batch)`` as written, to a verdict and a spectrum.

- :mod:`~saddlesim.networks.pytree`: any JAX pytree ↔ one flat float64
  vector, one fixed order (``ravel_pytree``), every reported vector back as
  the pytree;
- :mod:`~saddlesim.networks.loss`: the loss over one batch or a sequence of
  batches (batch-size-weighted mean, derivatives summed batch by batch) as a
  landscape;
- :mod:`~saddlesim.networks.coin`: the coin-flip answer at one point;
- :mod:`~saddlesim.networks.api`: :func:`point` and :func:`spectrum`
  (``saddlesim.point``, ``saddlesim.spectrum``);
- :mod:`~saddlesim.networks.files`: the CLI's side — a loss module's data
  and parameter template, ``.npz`` points keyed by leaf path.
"""

from saddlesim.networks.api import network_loss, point, spectrum
from saddlesim.networks.coin import COIN_KEYS, coin_flip
from saddlesim.networks.loss import NetworkLoss
from saddlesim.networks.pytree import Flattener

__all__ = ["point", "spectrum", "network_loss", "NetworkLoss", "Flattener", "coin_flip", "COIN_KEYS"]
