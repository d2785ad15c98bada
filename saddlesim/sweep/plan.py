"""What a sweep computes: a grid of cells, each split into chunks with their own random stream.

A *cell* is one (model, n, shift) point of the grid; a *chunk* is a bounded
batch of draws from one (model, n), counted at every shift of that pair (the
cells of a *group*): the shifted matrices G + s·I share their draws of G.
Every chunk's generator comes from one root
:class:`numpy.random.SeedSequence` keyed by what the chunk *is*::

    SeedSequence(entropy, spawn_key=(model_key, n, chunk_index))

so the counts depend on neither the number of workers nor the order chunks
run in, and adding a cell to a grid leaves the streams of the others alone
(``model_key`` is a CRC-32 of the model's tag, not its position in a list).
The shift is deliberately *not* in the key: every shift of a (model, n) sees
the same draws, and shift 0 reproduces an unshifted sweep draw for draw.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from saddlesim.runtime.validate import check_n, check_tol
from saddlesim.models.spec import Model, resolve_method
from saddlesim.index.sampling import METHODS
from saddlesim.runtime.seeds import fresh_entropy
from saddlesim.index.shifted import WEIGHTS, check_shifts

__all__ = [
    "Cell",
    "Chunk",
    "SweepPlan",
    "DEFAULT_CHUNK_ELEMENTS",
    "MAX_CHUNK_SAMPLES",
    "default_chunk_size",
    "fresh_entropy",
    "make_plan",
]

#: Samples x n per chunk: bounds a chunk's memory (its int64 index array
#: is 8 x samples bytes; the sampler blocks its own work below that).
DEFAULT_CHUNK_ELEMENTS = 1 << 23
#: No chunk holds more draws than this, so progress and resume stay fine-grained.
MAX_CHUNK_SAMPLES = 1_000_000


def default_chunk_size(n: int, chunk_elements: int = DEFAULT_CHUNK_ELEMENTS) -> int:
    """Draws per chunk at dimension ``n``: ``min(10^6, chunk_elements // n)``, at least 1.

    The one statement of the chunk rule (default bound 2^23 samples x n);
    :class:`SweepPlan` sizes its chunks with it.
    """
    return max(1, min(MAX_CHUNK_SAMPLES, chunk_elements // check_n(n)))


@dataclass(frozen=True)
class Cell:
    """One grid point: a model at dimension ``n``, shifted by ``shift`` (H = G + shift·I).

    Parameters
    ----------
    model : Model
    n : int
    shift : float
        Additive shift of the spectrum; 0 is the centred ensemble.
    """

    model: Model
    n: int
    shift: float = 0.0

    @property
    def tag(self) -> str:
        """Stable text name of the model: ``goe`` or ``beta=0.5``."""
        m = self.model
        if m.name == "wishart-wigner":
            return f"wishart-wigner:phi={m.phi!r},eps={m.eps!r}"
        return f"beta={m.beta!r}" if m.name == "beta" else m.name

    @property
    def key(self) -> tuple[int, int]:
        """The cell's part of every chunk's ``spawn_key``: (CRC-32 of the tag, n); no shift."""
        return (zlib.crc32(self.tag.encode("utf-8")), self.n)


@dataclass(frozen=True)
class Chunk:
    """A batch of ``size`` draws from cell number ``cell`` of a plan; ``index`` counts chunks in that cell.

    ``cell`` is the first cell of its group (:attr:`SweepPlan.groups`): the
    chunk is counted at every shift of the group.
    """

    cell: int
    index: int
    size: int


@dataclass(frozen=True)
class SweepPlan:
    """Everything that determines a sweep's counts (and nothing that does not, like workers).

    Parameters
    ----------
    cells : tuple of Cell
    samples : int
        Draws per cell, ``>= 1``.
    entropy : int
        Root seed entropy.
    method : {'tridiagonal', 'dense'}
    tol : float, optional
        Degeneracy threshold passed to :func:`saddlesim.index.sampling.sample_index`.
    chunk_elements : int
        Chunk bound in samples x n (see :func:`default_chunk_size`).
    shifted : bool
        True when the sweep was asked for shifts (tables get a ``shift``
        column); False keeps the unshifted tables exactly as they were.
    weight : {None, 'det'}
        ``'det'``: also tally the Kac–Rice weight |det H| (:mod:`saddlesim.index.weights`).
    """

    cells: tuple[Cell, ...]
    samples: int
    entropy: int
    method: str = "tridiagonal"
    tol: float | None = None
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS
    shifted: bool = False
    weight: str | None = None
    chunk_sizes: tuple[int, ...] = field(init=False, repr=False)
    groups: tuple[tuple[int, ...], ...] = field(init=False, repr=False)

    def __post_init__(self):
        sizes = tuple(default_chunk_size(c.n, self.chunk_elements) for c in self.cells)
        object.__setattr__(self, "chunk_sizes", sizes)
        groups: dict[tuple, list[int]] = {}
        for i, c in enumerate(self.cells):
            groups.setdefault((c.model, c.n), []).append(i)
        object.__setattr__(self, "groups", tuple(tuple(g) for g in groups.values()))

    def group_of(self, cell: int) -> tuple[int, ...]:
        """The cells (one per shift) that share the draws of cell number ``cell``."""
        for g in self.groups:
            if cell in g:
                return g
        raise IndexError(f"no cell {cell}")

    def chunks(self) -> list[Chunk]:
        """Every chunk of the sweep, group by group; the last chunk of a group may be short."""
        out = []
        for g in self.groups:
            i = g[0]
            step = self.chunk_sizes[i]
            for k, start in enumerate(range(0, self.samples, step)):
                out.append(Chunk(i, k, min(step, self.samples - start)))
        return out

    def seed_sequence(self, chunk: Chunk) -> np.random.SeedSequence:
        """The chunk's stream: the root entropy keyed by (model key, n, chunk index)."""
        return np.random.SeedSequence(
            self.entropy, spawn_key=(*self.cells[chunk.cell].key, chunk.index)
        )

    def fingerprint(self) -> dict:
        """JSON-able identity of the sweep: two runs resume each other only if these agree."""
        fp = {
            "cells": [
                {"model": c.model.name, "beta": c.model.beta, "n": c.n,
                 **({"phi": c.model.phi, "eps": c.model.eps} if c.model.phi is not None else {}),
                 **({"shift": c.shift} if self.shifted else {})}
                for c in self.cells
            ],
            "samples": self.samples,
            "entropy": str(self.entropy),
            "method": self.method,
            "tol": self.tol,
            "chunk_elements": self.chunk_elements,
        }
        if self.weight is not None:
            fp["weight"] = self.weight
        return fp


def make_plan(
    models,
    ns,
    samples: int,
    *,
    entropy: int | None = None,
    method: str | None = None,
    tol: float | None = None,
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS,
    shifts=None,
    weight: str | None = None,
) -> SweepPlan:
    """Validate a grid and return its plan.

    Parameters
    ----------
    models : sequence of Model or str
        Models, in table order; names are read as ``Model(name)``.
    ns : sequence of int
        Dimensions ``>= 1``, in table order.
    samples : int
        Draws per cell, ``>= 1``.
    entropy : int, optional
        Root seed entropy ``>= 0``; default fresh from the OS.
    method : {'tridiagonal', 'dense'}, optional
        Default: the first method every model has
        (:func:`saddlesim.models.spec.resolve_method`), so a grid of
        ``wishart-wigner`` alone is swept dense; the plan records the choice.
    tol, chunk_elements
        See :class:`SweepPlan`.
    shifts : sequence of float, optional
        Shifts s of H = G + s·I, in table order; every (model, n) is counted
        at each, from the same draws. None: the centred ensembles only, and
        no ``shift`` column in the tables.
    weight : {None, 'det'}
        See :class:`SweepPlan`.

    Raises
    ------
    ValueError
        Any invalid argument, with a one-line message naming it.
    """
    models = [m if isinstance(m, Model) else Model(m) for m in models]
    if not models:
        raise ValueError("give at least one model")
    ns = [check_n(n) for n in ns]
    if not ns:
        raise ValueError("give at least one dimension n")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples must be an integer >= 1, got {samples!r}")
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    method = resolve_method(models, method)
    tol = check_tol(tol)
    if entropy is None:
        entropy = fresh_entropy()
    if isinstance(entropy, bool) or not isinstance(entropy, (int, np.integer)) or entropy < 0:
        raise ValueError(f"seed must be an integer >= 0, got {entropy!r}")
    if isinstance(chunk_elements, bool) or not isinstance(chunk_elements, int) or chunk_elements < 1:
        raise ValueError(f"chunk_elements must be an integer >= 1, got {chunk_elements!r}")
    shifted = shifts is not None
    shifts = check_shifts(shifts) if shifted else (0.0,)
    if weight not in WEIGHTS:
        raise ValueError(f"unknown weight {weight!r}; choose 'det' or none")
    cells = []
    seen = set()
    for m in models:
        for n in ns:
            if (m, n) not in seen:
                seen.add((m, n))
                cells.extend(Cell(m, n, s) for s in shifts)
    return SweepPlan(tuple(cells), int(samples), int(entropy), method, tol, chunk_elements,
                     shifted, weight)
