"""Values written as text, read the same way by every command and experiment spec.

``"2-10,20"`` (dimensions), ``"1_000_000"`` or ``"1e6"`` (counts) and
``"1_000"`` (seeds) mean the same thing on the command line and in
``experiments/*.toml``; each parser raises ``ValueError`` with a one-line
message naming the option.
"""

from __future__ import annotations

import math
import re

__all__ = ["parse_int_list", "parse_count", "parse_seed", "parse_float_list"]

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


def _whole_number(text, name: str, example: str) -> int:
    t = str(text).strip().replace("_", "")
    try:
        return int(t)
    except ValueError:
        pass
    try:
        f = float(t)
    except ValueError:
        f = math.nan
    if not math.isfinite(f) or f != int(f):
        raise ValueError(f"{name} must be a whole number like {example}, got {text!r}")
    return int(f)


def parse_count(text, *, name: str = "--samples") -> int:
    """Read a positive count: ``1000000``, ``1_000_000`` or ``1e6``."""
    value = _whole_number(text, name, "1000000, 1_000_000 or 1e6")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value


def parse_seed(text, *, name: str = "--seed") -> int:
    """Read root seed entropy: an integer ``>= 0`` such as ``7``, ``1_000`` or ``20261126``.

    Floats are refused (``1e3`` would silently mean a rounded seed).
    """
    t = str(text).strip().replace("_", "")
    if not t.isdigit():
        raise ValueError(f"{name} must be an integer >= 0 such as 7 or 1_000, got {text!r}")
    return int(t)


def parse_float_list(text: str, *, name: str = "--shift", max_points: int = 10_000) -> list[float]:
    """Parse ``"-1,0,0.5"`` and ranges ``"-2:2:9"`` (9 evenly spaced points, ends included).

    Items may be mixed (``"-3:0:4,0.5"``); the result keeps the order given,
    without repeats (``-0`` is ``0``).

    Raises
    ------
    ValueError
        Empty input, a malformed or non-finite item, a range with fewer than
        2 points or more than ``max_points``; the message quotes the item.
    """
    if text is None or not str(text).strip():
        raise ValueError(f"{name} is empty; give numbers or ranges like -1,0,0.5 or -2:2:9")
    values: list[float] = []
    for item in str(text).split(","):
        parts = item.split(":")
        try:
            if len(parts) == 1:
                new = [float(parts[0])]
            elif len(parts) == 3:
                lo, hi, k = float(parts[0]), float(parts[1]), int(parts[2])
                if not 2 <= k <= max_points:
                    raise ValueError(
                        f"{name}: cannot read {item.strip()!r}; a range START:STOP:POINTS needs 2..{max_points} points"
                    )
                new = [lo + (hi - lo) * i / (k - 1) for i in range(k)]
            else:
                raise ValueError
        except ValueError as exc:
            if str(exc).startswith(name):
                raise
            raise ValueError(
                f"{name}: cannot read {item.strip()!r}; use numbers or ranges START:STOP:POINTS like -2:2:9"
            ) from None
        for v in new:
            if not math.isfinite(v):
                raise ValueError(f"{name}: {item.strip()!r} is not finite")
            v += 0.0
            if v not in values:
                values.append(v)
    if len(values) > max_points:
        raise ValueError(f"{name}: more than {max_points} values")
    return values
