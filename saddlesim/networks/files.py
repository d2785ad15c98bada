"""The CLI's side of the researcher's path: a loss module with its data, and points in files.

``--loss FILE.py:loss`` (or ``module:loss``) names the loss; its module may define

``DATA``       one batch, passed as the loss's second argument;
``batches()``  a function returning the sequence of batches (size-weighted mean);
``PARAMS``     a parameter pytree (or a function ``PARAMS()`` returning one) that
               fixes the structure: an ``--at`` file is read into it;
``DIM``        the length of a flat ``loss(x)``'s vector (today's form).

``--at`` is a ``.npy`` vector (the flat parameters, in the order
``ravel_pytree`` gives ``PARAMS``) or a ``.npz`` of named arrays: with
``PARAMS``, one array per leaf keyed by its path (``['hidden']['W']``, as
:meth:`~saddlesim.networks.pytree.Flattener.save_npz` writes them); without,
the arrays are the entries of a flat dict of parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from saddlesim.curvature.adaptive import OperatorSource
from saddlesim.landscapes.autodiff import import_jax
from saddlesim.landscapes.user import load_module
from saddlesim.networks.loss import NetworkLoss
from saddlesim.networks.pytree import Flattener

__all__ = ["load_network", "read_point", "LossSource"]


def read_point(path: Path) -> np.ndarray | dict:
    """A ``.npy`` vector or the named arrays of a ``.npz`` (never unpickling), as float64.

    Raises
    ------
    ValueError
        Missing or unreadable file, another suffix, an object array, a .npy
        that is not a vector, non-finite entries (one line each).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--at {path}: no such file")
    if path.suffix not in (".npy", ".npz"):
        raise ValueError(f"--at {path}: expected a .npy vector or a .npz of named arrays")
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise ValueError(f"--at {path}: cannot read it as {path.suffix} ({exc})".splitlines()[0]) from None
    if isinstance(data, np.ndarray):
        if data.ndim != 1:
            raise ValueError(f"--at {path}: expected a vector, got an array of shape {data.shape}")
        arrays = {"": data}
    else:
        with data:
            arrays = {k: data[k] for k in data.files}
        if not arrays:
            raise ValueError(f"--at {path}: the .npz holds no arrays")
    for k, a in arrays.items():
        if not np.issubdtype(a.dtype, np.number) or np.iscomplexobj(a):
            raise ValueError(f"--at {path}: array {k or '(vector)'} is {a.dtype}, not real numbers")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"--at {path}: array {k or '(vector)'} has non-finite entries")
    if "" in arrays:
        return np.asarray(arrays[""], dtype=np.float64)
    return {k: np.asarray(a, dtype=np.float64) for k, a in arrays.items()}


def load_network(spec: str, at: Path, *, dim: int | None = None) -> NetworkLoss:
    """The loss named ``spec`` with its module's data, at the point in the file ``at``.

    Parameters
    ----------
    spec : str
        ``file.py:loss`` or ``module:loss``.
    at : Path
        ``.npy`` or ``.npz`` (module docstring).
    dim : int, optional
        ``--dim``: must equal the point's length.

    Returns
    -------
    NetworkLoss
        At the point (``x0``), with the module's data; ``to_pytree`` gives
        vectors in the module's parameter structure.

    Raises
    ------
    ValueError
        Malformed spec, module or function missing, a point that does not fit
        ``PARAMS`` or ``DIM``, both ``DATA`` and ``batches`` (one line each).
    """
    if not isinstance(spec, str) or spec.count(":") != 1 or not all(spec.split(":")):
        raise ValueError(f"a loss must be given as 'file.py:function' or 'module:function', got {spec!r}")
    target, attr = spec.split(":")
    import_jax()        # float64 before the module builds its arrays
    module = load_module(target, spec)
    loss = getattr(module, attr, None)
    if not callable(loss):
        raise ValueError(f"{target!r} has no function {attr!r} (from loss {spec!r})")
    data = getattr(module, "DATA", None)
    batches = getattr(module, "batches", None)
    if data is not None and batches is not None:
        raise ValueError(f"{target!r} defines both DATA and batches(); keep one")
    if batches is not None:
        batches = list(batches() if callable(batches) else batches)
    template = getattr(module, "PARAMS", None)
    if callable(template):
        template = template()
    point = read_point(at)
    if template is not None:
        fl = Flattener(template)
        if isinstance(point, dict):
            x = fl.from_arrays(point)
        else:
            if point.size != fl.n:
                raise ValueError(f"--at {at} has {point.size} numbers but PARAMS of {target!r} has {fl.n}")
            x = point
        params = fl.to_pytree(x)
    elif isinstance(point, dict):
        params = point
    else:
        want = dim if dim is not None else getattr(module, "DIM", None)
        if want is not None and int(want) != point.size:
            raise ValueError(f"{spec} has DIM = {want} but --at {at} has {point.size} coordinates")
        params = point
    if dim is not None and not isinstance(point, np.ndarray):
        n = Flattener(params).n
        if n != dim:
            raise ValueError(f"--dim {dim} but --at {at} has {n} parameters")
    return NetworkLoss(loss, params, data, batches=batches, name=spec)


@dataclass
class LossSource(OperatorSource):
    """The Hessian of a loss file's network at its point, rebuilt in each worker from the spec and the file.

    What :func:`saddlesim.curvature.adaptive.adaptive_slq` sends to workers instead of an
    operator (JAX closures are never pickled): ``spec`` (``file.py:loss``), ``at`` (the
    ``.npy``/``.npz`` point, read again there with the module's ``DATA``/``batches()``/``PARAMS``)
    and the flat point ``x`` (its fingerprint keys the probe journal).
    """

    spec: str = ""
    at: str = ""
    x: np.ndarray = field(default=None)

    def build(self):
        from saddlesim.curvature.operators import landscape_operator

        land = load_network(self.spec, Path(self.at))
        return landscape_operator(land, np.asarray(self.x, dtype=np.float64))

    def fingerprint(self) -> dict:
        import hashlib

        x = np.ascontiguousarray(self.x, dtype=np.float64)
        return {"loss": self.spec, "point_sha256": hashlib.sha256(x).hexdigest()}

    @property
    def portable(self) -> bool:
        return True
