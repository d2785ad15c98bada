"""Parsers for command-line values shared by every command."""

from __future__ import annotations

import re

from saddlesim.shifted import parse_float_list

__all__ = ["parse_int_list", "parse_float_list"]

_ITEM = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_int_list(text: str, *, name: str = "--n", minimum: int = 1) -> list[int]:
    """Parse ``"2-10,20"`` into ``[2, 3, ..., 10, 20]`` (sorted, without repeats).

    Raises
    ------
    ValueError
        Empty input, a malformed item, a descending range, or a value below
        ``minimum``; the message quotes the offending item.
    """
    if text is None or not str(text).strip():
        raise ValueError(f"{name} is empty; give integers or ranges like 2-10,20")
    values: set[int] = set()
    for item in str(text).split(","):
        m = _ITEM.match(item)
        if not m:
            raise ValueError(f"{name}: cannot read {item.strip()!r}; use integers or ranges like 2-10,20")
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) is not None else lo
        if hi < lo:
            raise ValueError(f"{name}: range {item.strip()!r} runs backwards")
        if lo < minimum:
            raise ValueError(f"{name} values must be >= {minimum}, got {lo}")
        if hi - lo > 1_000_000:
            raise ValueError(f"{name}: range {item.strip()!r} is too long")
        values.update(range(lo, hi + 1))
    return sorted(values)

