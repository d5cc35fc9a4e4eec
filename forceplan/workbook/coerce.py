"""Turning one cell value into the type its registry column declares."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from forceplan.schema import INF, Column

_TRUE = {"true", "yes", "y", "1", "x", "on"}
_FALSE = {"false", "no", "n", "0", "off"}
_INF_WORDS = {"inf", "+inf", "infinity", "unbounded", "∞"}


class CellError(ValueError):
    """The value does not fit its column; the message is in a budget officer's words."""


@dataclass(frozen=True)
class ErrorValue:
    """A cell holding a spreadsheet error (`#DIV/0!`, `#N/A`, `#REF!` ...). python-calamine
    hands these over as empty cells; the reader puts this marker back (see bounds.py)."""

    text: str

    def __str__(self) -> str:
        return self.text


_ERROR_MEANINGS = {
    "#DIV/0!": "a division by zero",
    "#N/A": "a value not available, e.g. a lookup that found nothing",
    "#REF!": "a reference to a deleted cell",
    "#VALUE!": "a formula applied to the wrong kind of value",
    "#NAME?": "an unknown function or name in a formula",
    "#NUM!": "a number too large or an impossible calculation",
    "#NULL!": "an empty intersection of ranges",
}


def error_value_message(value: ErrorValue) -> str:
    meaning = _ERROR_MEANINGS.get(value.text.upper())
    what = f" ({meaning})" if meaning else ""
    return (
        f"the cell holds the error value {value.text}{what}, not a value: fix the formula "
        "or type the value"
    )


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce(col: Column, value: Any) -> Any:
    """Typed value of a non-blank cell for `col`, or CellError. Range is checked here too."""
    if isinstance(value, ErrorValue):
        raise CellError(error_value_message(value))
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
        return _finite(float(value), col, stored=True)
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
    number, percent = parse_number_text(text)
    if percent:
        if not col.unit.startswith("fraction"):
            raise CellError(
                f"{text!r} is a percentage, but {col.name} is not a rate ({col.unit or 'a plain'}"
                " number): type the number itself"
            )
        number /= 100
    return _finite(number, col, stored=False, text=text)


#: Largest magnitude accepted in any number column. A budget of the largest currency
#: units stays far below it; above it a value is a typo or a stand-in for "unbounded",
#: and HiGHS refuses coefficients of 1e20 and more.
MAX_MAGNITUDE = 1e15


def _finite(number: float, col: Column, *, stored: bool, text: str = "") -> float:
    shown = repr(text) if text else _fmt(number)
    if math.isnan(number):
        raise CellError(f"{shown} is not a number (NaN): type the value")
    if math.isinf(number):
        if col.unbounded_ok and number > 0:
            return INF
        where = "the number stored in the file" if stored else shown
        hint = " (type inf for unbounded)" if col.unbounded_ok else ""
        raise CellError(f"{where} is not a finite number{hint}: type the value")
    if abs(number) > MAX_MAGNITUDE:
        hint = "; for no limit type inf" if col.unbounded_ok else ""
        raise CellError(
            f"{shown} is larger than this tool accepts: numbers must lie within "
            f"±{MAX_MAGNITUDE:g}{hint}"
        )
    return number


def parse_number_text(text: str) -> tuple[float, bool]:
    """A number typed as text -> (value, whether it ended in %). Raises CellError.

    Decimal commas are read, as typed in Ukraine and most of Europe: `406,5` is 406.5 and
    `0,08` is 0.08; thousands may be grouped by spaces, by dots when the decimal mark is a
    comma (`1.234,5`), or by commas when it is a dot (`1,234.5`); two or more comma groups
    are thousands (`1,234,567`). One comma followed by exactly three digits (`1,234`) could
    be either and is refused, naming the cell, rather than guessed: a factor of 1000.
    """
    cleaned = (
        text.replace("\u00a0", "")
        .replace("\u202f", "")
        .replace("\u2009", "")
        .replace(" ", "")
        .replace("_", "")
        .replace("'", "")
        .replace("\u2212", "-")  # the typographic minus sign
    )
    percent = cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1]
    sign = ""
    if cleaned[:1] in "+-" and cleaned:
        sign, cleaned = cleaned[0], cleaned[1:]
    mantissa, exp_mark, exponent = _split_exponent(cleaned)
    body = _plain_digits(mantissa, text)
    try:
        number = float(sign + body + exp_mark + exponent)
    except ValueError:
        raise CellError(f"{text!r} is text, but a number is needed here") from None
    return number, percent


def _split_exponent(text: str) -> tuple[str, str, str]:
    match = re.fullmatch(r"(.*?)([eE])([+-]?[0-9]+)", text)
    return (match.group(1), match.group(2), match.group(3)) if match else (text, "", "")


def _plain_digits(text: str, original: str) -> str:
    """Mantissa with grouping removed and a dot as the decimal mark."""
    commas, dots = text.count(","), text.count(".")
    if not commas and dots <= 1:
        return text
    if commas and dots:  # the later mark is the decimal one, the other groups thousands
        decimal, group = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        whole, _, frac = text.rpartition(decimal)
        if (frac and not frac.isdigit()) or not _grouped(whole, group):
            raise _not_a_number(original)
        return whole.replace(group, "") + "." + frac
    mark, count = (",", commas) if commas else (".", dots)
    if count > 1:  # 1,234,567 or 1.234.567: thousands only
        if not _grouped(text, mark):
            raise _not_a_number(original)
        return text.replace(mark, "")
    whole, _, frac = text.partition(",")
    if not frac.isdigit() or (whole and not whole.isdigit()):
        raise _not_a_number(original)
    if len(frac) == 3 and whole not in ("", "0") and len(whole) <= 3:
        raise CellError(
            f"{original!r} is ambiguous: {whole}{frac} with a thousands comma, or "
            f"{whole}.{frac} with a decimal comma? Type the number without the comma "
            f"({whole}{frac}), or with its decimals ({whole},{frac}0), or as a number cell"
        )
    return f"{whole or '0'}.{frac}"


def _grouped(text: str, mark: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{1,3}(?:" + re.escape(mark) + r"[0-9]{3})+|[0-9]+", text))


def _not_a_number(text: str) -> CellError:
    return CellError(f"{text!r} is text, but a number is needed here")


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
