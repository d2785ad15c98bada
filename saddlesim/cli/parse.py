"""Parsers for command-line values shared by several commands."""

from __future__ import annotations

import re

__all__ = ["parse_int_list"]

_ITEM = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?$")


def parse_int_list(text: str, *, minimum: int | None = None, max_len: int = 100_000) -> list[int]:
    """Parse ``"2-10,20"`` into ``[2, 3, ..., 10, 20]``.

    Parameters
    ----------
    text : str
        Comma-separated items, each a non-negative integer ``k`` or an
        inclusive range ``a-b`` with ``a <= b``. Spaces around items and
        dashes are ignored.
    minimum : int, optional
        Smallest value allowed (e.g. 1 for dimensions).
    max_len : int
        Refuse lists longer than this (a typo like ``1-10000000`` should fail
        fast, not allocate).

    Returns
    -------
    values : list of int
        In the order given, duplicates dropped (first occurrence kept).

    Raises
    ------
    ValueError
        Empty input, an empty item (``"1,,2"``), a non-integer, a negative
        number, a descending range, a value below ``minimum`` or too many
        values; the message quotes the offending item.

    Examples
    --------
    >>> parse_int_list("2-5, 8,3")
    [2, 3, 4, 5, 8]
    """
    if text is None or not str(text).strip():
        raise ValueError("expected a list of integers like '2-10,20', got an empty value")
    values: dict[int, None] = {}
    for raw in str(text).split(","):
        item = raw.strip()
        match = _ITEM.match(item)
        if not match:
            raise ValueError(
                f"cannot parse {item!r} in {text!r}: expected an integer or a range 'a-b' "
                "(non-negative, comma-separated, e.g. '2-10,20')"
            )
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) is not None else lo
        if hi < lo:
            raise ValueError(f"range {item!r} in {text!r} is descending; write it as '{hi}-{lo}'")
        if minimum is not None and lo < minimum:
            raise ValueError(f"value {lo} in {text!r} is below the minimum {minimum}")
        if len(values) + (hi - lo + 1) > max_len:
            raise ValueError(f"{text!r} expands to more than {max_len} values")
        for v in range(lo, hi + 1):
            values.setdefault(v, None)
    return list(values)
