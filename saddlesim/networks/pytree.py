"""Parameters as researchers hold them: any JAX pytree ↔ one flat float64 vector, in one fixed order.

saddlesim computes on a flat vector x (its Hessians, eigenvectors and Newton
steps live in ℝⁿ); a model's parameters are a pytree (nested dicts and lists
of arrays, flax ``nnx.State`` or linen params, an equinox module's arrays
from ``eqx.partition``). :class:`Flattener` fixes the order once, with
``jax.flatten_util.ravel_pytree`` (leaves in ``jax.tree_util`` order: sorted
dict keys, list order), and maps every vector saddlesim reports back to the
user's pytree. A hand-made order (layer by layer instead of sorted keys) is
the silent mistake this removes: on a digits MLP it gave loss 5.87 for a
trained 0.0039.

float64: saddlesim's thresholds assume double precision. Leaves that are
float16/bfloat16/float32 (built before float64 was enabled, or a framework's
float32 default) are cast to float64 with a printed note (a ``UserWarning``),
never analysed in float32.
"""

from __future__ import annotations

import warnings

import numpy as np

from saddlesim.landscapes.autodiff import import_jax

__all__ = ["Flattener", "to_float64", "leaf_paths"]


def leaf_paths(tree) -> list[str]:
    """The leaves' paths in flattening order (``['b']``, ``[0].kernel`` …), as ``jax.tree_util.keystr`` writes them."""
    jax = import_jax()
    return [jax.tree_util.keystr(p) for p, _ in jax.tree_util.tree_flatten_with_path(tree)[0]]


def to_float64(tree, what: str):
    """``tree`` with every floating leaf in float64; a note on stderr (UserWarning) naming what was cast.

    Parameters
    ----------
    tree : pytree of array_like
    what : str
        ``"params"`` or ``"data"``, for the note.

    Raises
    ------
    ValueError
        A complex leaf (saddlesim's losses are real).
    """
    jax = import_jax()
    jnp = jax.numpy
    cast = []

    def one(path, leaf):
        dt = np.asarray(leaf).dtype if not hasattr(leaf, "dtype") else np.dtype(leaf.dtype)
        if np.issubdtype(dt, np.complexfloating):
            raise ValueError(f"{what} leaf {jax.tree_util.keystr(path) or '(root)'} is complex ({dt}); "
                             "saddlesim needs a real loss of real parameters")
        if np.issubdtype(dt, np.floating) or dt.name == "bfloat16":
            if dt != np.float64:
                cast.append(f"{jax.tree_util.keystr(path) or '(root)'} ({dt})")
                return jnp.asarray(leaf, dtype=jnp.float64)
            return jnp.asarray(leaf)
        return leaf

    out = jax.tree_util.tree_map_with_path(one, tree)
    if cast:
        shown = ", ".join(cast[:4]) + (f" and {len(cast) - 4} more" if len(cast) > 4 else "")
        warnings.warn(f"saddlesim: {what} {shown} cast to float64 and recomputed there "
                      "(saddlesim never analyses in float32)", UserWarning, stacklevel=3)
    return out


class Flattener:
    """One pytree's flat order: ``x = flatten(params)``, ``params = to_pytree(x)``.

    Parameters
    ----------
    params : pytree
        Only floating leaves (the trainable arrays: ``eqx.partition(model,
        eqx.is_inexact_array)[0]``, ``nnx.split(model, nnx.Param, ...)[1]``);
        float32 leaves are cast to float64 (:func:`to_float64`).

    Attributes
    ----------
    x0 : ndarray, shape (n,)
        ``params`` flattened, float64.
    n : int
    paths : list of str
        Leaf paths in order (:func:`leaf_paths`).
    shapes : list of tuple
        Leaf shapes in order: leaf i fills x[offsets[i]:offsets[i + 1]], C order.

    Raises
    ------
    ValueError
        An integer or boolean leaf (not a parameter), or no parameters at all.
    """

    def __init__(self, params):
        jax = import_jax()
        from jax.flatten_util import ravel_pytree

        leaves = jax.tree_util.tree_flatten_with_path(params)[0]
        if not leaves:
            raise ValueError("params has no array leaves: nothing to differentiate")
        for path, leaf in leaves:
            dt = np.dtype(getattr(leaf, "dtype", np.asarray(leaf).dtype))
            if not (np.issubdtype(dt, np.floating) or dt.name == "bfloat16"):
                raise ValueError(f"params leaf {jax.tree_util.keystr(path) or '(root)'} is {dt}, not a float array: "
                                 "pass only the trainable arrays (eqx.partition(model, eqx.is_inexact_array), "
                                 "nnx.split(model, nnx.Param, ...))")
        params = to_float64(params, "params")
        flat, self._unravel = ravel_pytree(params)
        self._jnp = jax.numpy
        self.x0 = np.asarray(flat, dtype=np.float64)
        self.n = int(self.x0.size)
        self.treedef = jax.tree_util.tree_structure(params)
        self.paths = leaf_paths(params)
        self.shapes = [tuple(np.shape(leaf)) for leaf in jax.tree_util.tree_leaves(params)]

    def flatten(self, params) -> np.ndarray:
        """A pytree of this structure as the flat vector, shape (n,), float64 (the same order as ``x0``)."""
        jax = import_jax()
        from jax.flatten_util import ravel_pytree

        if jax.tree_util.tree_structure(params) != self.treedef:
            raise ValueError("params do not have the structure of the model's parameters")
        return np.asarray(ravel_pytree(to_float64(params, "params"))[0], dtype=np.float64)

    def unravel(self, x):
        """The traceable inverse of :meth:`flatten` (inside a loss: ``x`` a JAX array (n,))."""
        return self._unravel(x)

    def to_pytree(self, v):
        """A reported vector (an eigenvector, a polished point), shape (n,), as the user's pytree of float64 arrays."""
        v = np.asarray(v, dtype=np.float64)
        if v.shape != (self.n,):
            raise ValueError(f"a vector of these parameters has shape ({self.n},), got {v.shape}")
        return self._unravel(self._jnp.asarray(v))

    def save_npz(self, path, v) -> None:
        """Write ``v`` (n,) as a .npz of named arrays, one per leaf, keyed by its path."""
        tree = self.to_pytree(v)
        import jax

        arrays = {p: np.asarray(leaf) for p, leaf in zip(self.paths, jax.tree_util.tree_leaves(tree))}
        np.savez(path, **arrays)

    def from_arrays(self, arrays: dict) -> np.ndarray:
        """The flat vector from named arrays keyed by leaf path (a loaded .npz), shape (n,).

        Raises
        ------
        ValueError
            A leaf missing, an extra array, or a shape that differs from the template's.
        """
        missing = [p for p in self.paths if p not in arrays]
        extra = sorted(set(arrays) - set(self.paths))
        if missing or extra:
            raise ValueError(f"the arrays do not match the parameters: missing {missing[:3]}, unexpected {extra[:3]} "
                             f"(expected keys {self.paths[:3]}…)")
        leaves = []
        for p, shape in zip(self.paths, self.shapes):     # the tree's order, never the file's
            a = np.asarray(arrays[p])
            if a.shape != shape:
                raise ValueError(f"array {p!r} has shape {a.shape}, the parameters' has {shape}")
            leaves.append(a.astype(np.float64))
        import jax

        # through ravel_pytree again, so there is one order only
        return self.flatten(jax.tree_util.tree_unflatten(self.treedef, leaves))
