"""Numbers in the report's sentences: each one carries the table cell it was read from.

A sentence is a list of text pieces and :class:`Num` values. A ``Num`` knows
its value, how to print it and where it came from (file, column, row), so the
page can say, on hover, which cell every number is, and a test can read that
cell again and compare. Nothing in a sentence is typed by hand.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Num", "Sentence", "cell", "fmt_plain", "fmt_html", "sentence_text", "sentence_html", "text_html"]

_MINUS = "\u2212"


@dataclass(frozen=True)
class Num:
    """One number of a sentence and the table cell it came from.

    Parameters
    ----------
    value : float
        As read from the table (never rounded here; rounding is printing).
    style : {'num', 'num4', 'p', 'log10', 'pct', 'int'}
        ``num``: 3 significant digits, ``num4``: 4; ``p``: a probability (scientific below 10⁻³); ``log10``: ``value`` is
        log10 of the quantity, printed as the quantity; ``pct``: a fraction
        printed as a percentage.
    source : str
        File name inside the results folder (``meta.json`` for the record).
    column : str
        Column name (for ``meta.json``: the dotted key path).
    where : tuple of (str, object)
        The row: column = value pairs that select it (empty: the only row, or
        an aggregate over the whole column, named in ``column``).
    """

    value: float
    style: str = "num"
    source: str = ""
    column: str = ""
    where: tuple = field(default_factory=tuple)

    def origin(self) -> str:
        row = ", ".join(f"{k}={v}" for k, v in self.where)
        return f"{self.source} · {self.column}" + (f" · {row}" if row else "")


Sentence = list  # of str and Num


def cell(df: pd.DataFrame, column: str, source: str, style: str = "num", /, **where) -> Num:
    """The one cell of ``df[column]`` in the row where every ``where`` column equals its value.

    Raises
    ------
    KeyError
        No such column, or not exactly one row matches.
    """
    rows = df
    for key, value in where.items():
        rows = rows[rows[key] == value]
    if column not in df.columns or len(rows) != 1:
        raise KeyError(f"{source}: {len(rows)} rows with {where} for column {column!r}")
    return Num(float(rows[column].iloc[0]), style, source, column, tuple(where.items()))


def _mantissa_exponent(log10_value: float, digits: int) -> tuple[str, int]:
    exponent = math.floor(log10_value)
    mantissa = 10 ** (log10_value - exponent)
    text = f"{mantissa:.{digits - 1}f}"
    if float(text) >= 10:  # 9.96 rounds up to 10.0
        exponent += 1
        text = f"{mantissa / 10:.{digits - 1}f}"
    return text, exponent


def _parts(num: Num) -> tuple[str, int | None, str]:
    """(mantissa text, power of ten or None, suffix) of a printed number."""
    v = num.value
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ("n/a", None, "")
    if num.style == "int":
        return (f"{int(round(v)):,}", None, "")
    if num.style == "pct":
        return (f"{100 * v:.1f}", None, " %")
    if num.style == "log10":
        if v < -300:  # below the smallest double: the exponent alone, with one decimal
            return ("", round(v, 1), "")
        v = 10.0 ** v
    if v == 0:
        return ("0", None, "")
    a = abs(v)
    if num.style == "p" and 0.99 < v < 1:
        # a probability near 1 keeps the digits that show it is not 1
        for digits in range(3, 8):
            if round(v, digits) < 1:
                return (f"{v:.{digits}f}", None, "")
    if num.style in ("p", "log10") and a < 1e-3 or a >= 1e5 or a < 1e-4:
        mant, exp = _mantissa_exponent(math.log10(a), 2)
        return (("-" if v < 0 else "") + mant, exp, "")
    return (f"{v:.4g}" if num.style == "num4" else f"{v:.3g}", None, "")


def fmt_plain(num: Num) -> str:
    """Plain-text form: ``0.127``, ``2.3e-14``, ``1e-1209.6``, ``85.1 %``."""
    mant, exp, suffix = _parts(num)
    if exp is None:
        return mant + suffix
    return f"{mant}e{exp:g}" if mant else f"1e{exp:g}"


def fmt_html(num: Num) -> str:
    """HTML form with a real minus sign and superscript powers; the source on hover."""
    mant, exp, suffix = _parts(num)
    mant = mant.replace("-", _MINUS)
    if exp is None:
        body = html.escape(mant + suffix)
    else:
        power = f"10<sup>{html.escape(f'{exp:g}'.replace('-', _MINUS))}</sup>"
        body = f"{html.escape(mant)}\u00d7{power}" if mant else power
    return f'<span class="num" title="{html.escape(num.origin())}">{body}</span>'


def sentence_text(parts: Sentence) -> str:
    """A sentence as plain text (numbers by :func:`fmt_plain`)."""
    return "".join(fmt_plain(p) if isinstance(p, Num) else str(p) for p in parts)


# "2^−n", "2^−(N−1)": a power written inline in a sentence's text, set as a superscript
_POWER = re.compile(r"\^(\(?[−\-]?[\w−()]*?\)?)(?=[\s,;.)]|$)")


def text_html(text: str) -> str:
    """Escaped text with inline powers (``2^-n``) as superscripts."""
    return _POWER.sub(lambda m: f"<sup>{m.group(1)}</sup>", html.escape(text))


def sentence_html(parts: Sentence) -> str:
    """A sentence as HTML (text escaped, ``^power`` as superscript, numbers by :func:`fmt_html`)."""
    return "".join(fmt_html(p) if isinstance(p, Num) else text_html(str(p)) for p in parts)
