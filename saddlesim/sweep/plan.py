"""What a sweep computes: a grid of cells, each split into chunks with their own random stream.

A *cell* is one (model, n) point of the grid; a *chunk* is a bounded batch of
draws from one cell. Every chunk's generator comes from one root
:class:`numpy.random.SeedSequence` keyed by what the chunk *is*::

    SeedSequence(entropy, spawn_key=(model_key, n, chunk_index))

so the counts depend on neither the number of workers nor the order chunks
run in, and adding a cell to a grid leaves the streams of the others alone
(``model_key`` is a CRC-32 of the model's tag, not its position in a list).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from saddlesim._validate import check_n, check_tol
from saddlesim.models.spec import Model
from saddlesim.sampling import METHODS
from saddlesim.seeds import fresh_entropy

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


def default_chunk_size(n: int) -> int:
    """Draws per chunk at dimension ``n``: ``min(10^6, 2^23 // n)``, at least 1."""
    return max(1, min(MAX_CHUNK_SAMPLES, DEFAULT_CHUNK_ELEMENTS // check_n(n)))


@dataclass(frozen=True)
class Cell:
    """One grid point: a model at dimension ``n``.

    Parameters
    ----------
    model : Model
    n : int
    """

    model: Model
    n: int

    @property
    def tag(self) -> str:
        """Stable text name of the model: ``goe`` or ``beta=0.5``."""
        m = self.model
        if m.name == "wishart-wigner":
            return f"wishart-wigner:phi={m.phi!r},eps={m.eps!r}"
        return f"beta={m.beta!r}" if m.name == "beta" else m.name

    @property
    def key(self) -> tuple[int, int]:
        """The cell's part of every chunk's ``spawn_key``: (CRC-32 of the tag, n)."""
        return (zlib.crc32(self.tag.encode("utf-8")), self.n)


@dataclass(frozen=True)
class Chunk:
    """A batch of ``size`` draws from cell number ``cell`` of a plan; ``index`` counts chunks in that cell."""

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
        Degeneracy threshold passed to :func:`saddlesim.sampling.sample_index`.
    chunk_elements : int
        Chunk bound in samples x n (see :func:`default_chunk_size`).
    """

    cells: tuple[Cell, ...]
    samples: int
    entropy: int
    method: str = "tridiagonal"
    tol: float | None = None
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS
    chunk_sizes: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self):
        sizes = tuple(
            max(1, min(MAX_CHUNK_SAMPLES, self.chunk_elements // c.n)) for c in self.cells
        )
        object.__setattr__(self, "chunk_sizes", sizes)

    def chunks(self) -> list[Chunk]:
        """Every chunk of the sweep, cell by cell; the last chunk of a cell may be short."""
        out = []
        for i, step in enumerate(self.chunk_sizes):
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
        return {
            "cells": [
                {"model": c.model.name, "beta": c.model.beta, "n": c.n,
                 **({"phi": c.model.phi, "eps": c.model.eps} if c.model.phi is not None else {})}
                for c in self.cells
            ],
            "samples": self.samples,
            "entropy": str(self.entropy),
            "method": self.method,
            "tol": self.tol,
            "chunk_elements": self.chunk_elements,
        }


def make_plan(
    models,
    ns,
    samples: int,
    *,
    entropy: int | None = None,
    method: str = "tridiagonal",
    tol: float | None = None,
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS,
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
    method, tol, chunk_elements
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
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method != "dense" and any(m.name == "wishart-wigner" for m in models):
        raise ValueError("model 'wishart-wigner' has no tridiagonal form; use --method dense")
    if method == "dense":
        for m in models:
            if m.is_gaussian and m.beta not in (1.0, 2.0, 4.0):
                raise ValueError(
                    f"method 'dense' exists for beta in 1, 2, 4 and the independent model, "
                    f"not beta={m.beta:g}; use method 'tridiagonal'"
                )
    tol = check_tol(tol)
    if entropy is None:
        entropy = fresh_entropy()
    if isinstance(entropy, bool) or not isinstance(entropy, (int, np.integer)) or entropy < 0:
        raise ValueError(f"seed must be an integer >= 0, got {entropy!r}")
    if isinstance(chunk_elements, bool) or not isinstance(chunk_elements, int) or chunk_elements < 1:
        raise ValueError(f"chunk_elements must be an integer >= 1, got {chunk_elements!r}")
    cells = []
    seen = set()
    for m in models:
        for n in ns:
            if (m, n) not in seen:
                seen.add((m, n))
                cells.append(Cell(m, n))
    return SweepPlan(tuple(cells), int(samples), int(entropy), method, tol, chunk_elements)
