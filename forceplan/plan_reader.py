"""Read a plan workbook back: its `Plan_` tables and its `Plan_Run` provenance.

Shared by `compare`, `audit` and `report`. Tables are read with pandas and
python-calamine (fast, values only); nothing is solved again and neither Pyomo nor the
solver is imported. The input sheets of a plan workbook are read separately, through
`forceplan.workbook.load.load_workbook`, exactly as `solve` reads them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan import output_schema
from forceplan.errors import ForceplanError, InputError, Issue

#: Free-layout output sheets (output registry): not tables, never read back as such.
FREE_LAYOUT = output_schema.FREE_LAYOUT


@dataclass
class Plan:
    """The parts of a plan workbook that compare, audit and report read."""

    path: Path
    run: dict[str, Any]  # Plan_Run key -> value (blank cells are None)
    tables: dict[str, Any]  # Plan_ sheet -> DataFrame

    def table(self, name: str) -> Any:
        return table(self, name)

    def number(self, key: str) -> float | None:
        """A Plan_Run value as a finite float (None if blank or not a number)."""
        return as_number(self.run.get(key))

    def flag(self, key: str) -> bool | None:
        """A Plan_Run value as a bool (TRUE/FALSE cells, or the text true/false/1/0)."""
        value = self.run.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        return None

    @property
    def classification(self) -> str:
        return str(self.run.get("classification") or "UNCLASSIFIED")


def _check_used_ranges(path: Path, titles: list[str]) -> None:
    """Refuse, by cell, a Plan_ sheet whose used range no plan can have."""
    from forceplan.workbook.bounds import PLAN_LIMITS, scan_sheet
    from forceplan.workbook.read import open_zip, sheet_parts_or_error

    with open_zip(path) as zf:
        parts = sheet_parts_or_error(path, zf)
        for title in titles:
            if title in parts and parts[title] in zf.NameToInfo:
                scan_sheet(zf, parts[title], title, PLAN_LIMITS)


def read_plan(path: Path) -> Plan:
    """Read the Plan_ sheets of a plan workbook (exit 2 if it is not one)."""
    import pandas as pd

    from forceplan.workbook.safety import check_workbook_file

    path = Path(path)
    check_workbook_file(path)
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except Exception as exc:  # calamine raises several error types for broken packages
        raise InputError(Issue("error", "", str(path), f"cannot be read ({exc})")) from None
    with book:
        names = book.sheet_names
        if "Plan_Run" not in names:
            raise ForceplanError(
                f"{path} is not a plan workbook (it has no Plan_Run sheet): use a file "
                "written by `forceplan solve`"
            )
        wanted = [n for n in names if n.startswith("Plan_") and n not in FREE_LAYOUT]
        _check_used_ranges(path, wanted)  # before calamine allocates for them
        tables = pd.read_excel(book, sheet_name=wanted) if wanted else {}
    run_frame = tables["Plan_Run"]
    run: dict[str, Any] = {}
    if {"key", "value"} <= set(run_frame.columns):
        for key, value in zip(run_frame["key"], run_frame["value"], strict=True):
            if isinstance(key, str) and key not in run:
                run[key] = None if is_blank(value) else value
    return Plan(path, run, tables)


def table(plan: Any, name: str) -> Any:
    """The Plan_ table `name` of `plan` (anything with a `tables` dict); None when the plan
    has none (an optional sheet, or a plan from an older forceplan). `name` must be one the
    output registry declares: a misspelt name is a bug, not a missing sheet."""
    return plan.tables.get(output_schema.table_sheet(name).name)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def as_number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
