"""Command-line value parsers; they live in :mod:`saddlesim.runtime.parsing` (the library reads specs with them too)."""

from saddlesim.runtime.parsing import parse_count, parse_float_list, parse_int_list, parse_seed

__all__ = ["parse_int_list", "parse_count", "parse_seed", "parse_float_list"]
