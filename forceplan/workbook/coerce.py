"""Turning one cell value into the type its registry column declares."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from forceplan.schema import INF, Column

_TRUE = {"true", "yes", "y", "1", "x", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
_INF_WORDS = {"inf", "+inf", "infinity", "unbounded", "∞"}


class CellError(ValueError):
    """The value does not fit its column; the message is in a budget officer's words."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce(col: Column, value: Any) -> Any:
    """Typed value of a non-blank cell for `col`, or CellError. Range is checked here too."""
    kind = col.kind
    if kind == "text":
        return _text(value)
    if kind == "enum":
        text = _text(value)
        for choice in col.choices:
            if choice.lower() == text.lower():
                return choice
        raise CellError(f"{text!r} is not one of: {', '.join(col.choices)}")
    if kind == "bool":
        return _bool(value)
    if kind == "list":
        return _list(value)
    number = _number(value, col)
    if kind == "int":
        if math.isinf(number) or number != int(number):
            raise CellError(f"{_show(value)} is not a whole number")
        number = int(number)
    _check_range(col, number)
    return number


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a grade typed as 3 is the name "3", not "3.0"
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(value)
    return str(value).strip()


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{_show(value)} is not TRUE or FALSE")


def _list(value: Any) -> tuple[str, ...]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    parts = [p.strip() for p in str(value).replace(";", ",").split(",")]
    return tuple(p for p in parts if p)


def _number(value: Any, col: Column) -> float:
    if isinstance(value, bool):
        raise CellError(f"{_show(value)} is a TRUE/FALSE value, but a number is needed here")
    if isinstance(value, int | float):
        if math.isnan(value):
            raise CellError("the cell holds an error value (#N/A, #DIV/0! ...), not a number")
        return float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise CellError(
            f"{value} is a date or time, but a number is needed here (format the cell as Number)"
        )
    text = str(value).strip()
    if text.lower() in _INF_WORDS:
        if not col.unbounded_ok:
            raise CellError(f"{text!r} (unbounded) is not allowed here")
        return INF
    if text.startswith("#"):
        raise CellError(f"the cell holds the error value {text}, not a number")
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if cleaned.endswith("%"):
        raise CellError(
            f"{text!r} is text; type the fraction as a number "
            f"(e.g. {_percent_hint(cleaned)}), or format the cell as Percentage"
        )
    try:
        return float(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned.replace(",", ""))  # "1,000" typed as text
    except ValueError:
        raise CellError(f"{text!r} is text, but a number is needed here") from None


def _percent_hint(text: str) -> str:
    try:
        return f"{float(text[:-1]) / 100:g}"
    except ValueError:
        return "0.08 for 8%"


def _check_range(col: Column, number: float) -> None:
    too_low = col.lo is not None and (number <= col.lo if col.lo_open else number < col.lo)
    too_high = col.hi is not None and number > col.hi
    if too_low or too_high:
        extra = ""
        if col.unit == "fraction" and number > 1 and col.hi == 1.0 and number <= 100:
            extra = f" (rates are fractions: type {number / 100:g} for {number:g}%)"
        elif col.lo == 0 and number < 0:
            extra = " (negative values are not allowed)"
        raise CellError(
            f"{_fmt(number)} is out of range: {col.name} must be {col.range_text()}{extra}"
        )


def _fmt(number: float) -> str:
    return f"{number:,.6g}" if abs(number) < 1e15 else f"{number:g}"


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)
