"""How numbers are shown to people: money in readable units, counts, years.

One module for every writer of human text (the CLI, `show`, `compare`, the report, price
sentences) so that "17,609.8 bn UAH" reads the same everywhere. Spreadsheet number formats
for the same units are here too (`excel_money_format`), so a column shown in billions in
the terminal is shown in billions in the plan workbook.

Conventions:
- money: `money(x, "UAH")` -> "940.1 bn UAH" / "9.6 mn UAH" / "265,000 UAH";
  `bn` = 10^9, `mn` = 10^6 (the units the budget office uses);
- a table of money picks ONE unit for all its cells (`money_unit(values)`) and says it in
  its title ("bn UAH"), so columns line up and compare at a glance;
- counts (persons, equipment) have thousands separators and no decimals;
- years never have thousands separators.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

#: (divisor, label) of the units money is shown in, largest first.
MONEY_UNITS: tuple[tuple[float, str], ...] = ((1e9, "bn"), (1e6, "mn"), (1.0, ""))
DASH = "—"


def as_float(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def unit_for(magnitude: float) -> tuple[float, str]:
    """The unit a money amount of this size reads best in."""
    for divisor, label in MONEY_UNITS:
        if abs(magnitude) >= divisor:
            return divisor, label
    return 1.0, ""


def money_unit(values: Iterable[Any]) -> tuple[float, str]:
    """One unit for a whole table of money: the unit of its largest absolute value."""
    biggest = max((abs(v) for v in (as_float(x) for x in values) if v is not None), default=0.0)
    return unit_for(biggest)


def unit_label(label: str, currency: str = "") -> str:
    """'bn' + 'UAH' -> 'bn UAH'; '' + 'UAH' -> 'UAH'."""
    return " ".join(part for part in (label, currency) if part)


def scaled(x: Any, unit: tuple[float, str], digits: int | None = None) -> str:
    """A money amount in a given unit, without the unit ('940.1'); a dash if not a number.

    `digits`: decimals (default: 1 in bn/mn, 0 in currency units)."""
    value = as_float(x)
    if value is None:
        return DASH
    divisor, label = unit
    if digits is None:
        digits = 1 if label else 0
    text = f"{value / divisor:,.{digits}f}"
    return "0" if text.lstrip("-").strip("0.,") == "" else text


def money(x: Any, currency: str = "", digits: int | None = None) -> str:
    """One amount in its own readable unit, with the currency: '17,609.8 bn UAH'."""
    value = as_float(x)
    if value is None:
        return DASH
    unit = unit_for(value)
    return f"{scaled(value, unit, digits)} {unit_label(unit[1], currency)}".rstrip()


def count(x: Any) -> str:
    """Persons, equipment, units: '837,489'; fractions of a unit show one decimal."""
    value = as_float(x)
    if value is None:
        return DASH
    if abs(value - round(value)) < 0.05 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def number(x: Any, digits: int = 4) -> str:
    """Any other number: thousands separators, `digits` significant figures when small."""
    value = as_float(x)
    if value is None:
        return DASH
    if value.is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}g}"


def year(x: Any) -> str:
    """A year as written: '2026', never '2,026'."""
    value = as_float(x)
    return DASH if value is None else str(int(value))


def percent(x: Any, digits: int = 1) -> str:
    value = as_float(x)
    return DASH if value is None else f"{value:.{digits}%}"


# --- spreadsheet number formats --------------------------------------------------------


def excel_money_format(label: str) -> str:
    """The Excel number format that shows currency units in `label` units ('bn', 'mn', '').

    Each trailing comma divides by 1,000 (an Excel rule LibreOffice follows), so the cell
    keeps the exact amount while it reads '940.1 bn'.
    """
    if label == "bn":
        return '#,##0.0,,," bn"'
    if label == "mn":
        return '#,##0.0,," mn"'
    return "#,##0"
