"""Build small test workbooks: a valid one to copy, and helpers to break it.

    sheets = minimal_sheets()                         # fresh copy, safe to modify
    set_value(sheets, "Personnel", 2, "initial_strength", -5)   # Excel row 2
    add_row(sheets, "Settings", key="objective", value="custom")
    path = write_workbook(tmp_path / "plan.xlsx", sheets)

A workbook is a dict: sheet name -> rows, where rows[0] is the header and rows[i] is
Excel row i + 1. None is an empty cell; a string starting with "=" is written as a formula
(openpyxl stores no calculated value for it). Layout of `minimal_sheets()` (Excel rows):

- Settings (A key, B value): 2 first_year 2026, 3 last_year 2028, 4 title, 5 objective
- Personnel (A trade, B grade, C initial_strength, D attrition_rate, E annual_cost,
  F accession_cost, G accession_min, H accession_max, I accession_courses,
  J separation_min, K separation_max):
  2 infantry/enlisted, 3 infantry/officer, 4 signals/enlisted, 5 signals/officer
  (total initial strength 1440)
- every other input sheet has one or a few rows; see the literal below.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl

Sheets = dict[str, list[list[Any]]]

_MINIMAL: Sheets = {
    "Settings": [
        ["key", "value"],
        ["first_year", 2026],
        ["last_year", 2028],
        ["title", "Test plan"],
        ["objective", "min_cost"],
    ],
    "Personnel": [
        [
            "trade",
            "grade",
            "initial_strength",
            "attrition_rate",
            "annual_cost",
            "accession_cost",
            "accession_min",
            "accession_max",
            "accession_courses",
            "separation_min",
            "separation_max",
        ],
        ["infantry", "enlisted", 1000, 0.10, 30000, 5000, 0, 500, "basic", 0, 100],
        ["infantry", "officer", 100, 0.05, 60000, 8000, 0, 20, "basic,leadership", 0, 10],
        ["signals", "enlisted", 300, 0.08, 32000, 5000, 0, 150, "basic", 0, 30],
        ["signals", "officer", 40, 0.05, 62000, 8000, 0, 10, "basic,leadership", 0, 5],
    ],
    "PersonnelYears": [
        ["trade", "grade", "year", "requirement", "accession_min", "accession_max"],
        ["infantry", "enlisted", 2027, 50, None, 600],
    ],
    "Transitions": [
        ["from_trade", "from_grade", "to_trade", "to_grade", "cost", "max_per_year", "course"],
        ["infantry", "enlisted", "infantry", "officer", 10000, 20, "leadership"],
    ],
    "Courses": [
        [
            "course",
            "capacity",
            "cost_per_trainee",
            "duration_years",
            "instructor_trade",
            "instructor_grade",
            "trainees_per_instructor",
        ],
        ["basic", 1000, 2000, 0.25, "infantry", "officer", 20],
        ["leadership", 50, 8000, 0.5, None, None, None],
    ],
    "CourseYears": [
        ["course", "year", "capacity"],
        ["basic", 2027, 1200],
    ],
    "UnitTypes": [
        [
            "unit_type",
            "description",
            "initial_units",
            "capability_score",
            "om_cost",
            "activation_cost",
            "min_units",
            "max_units",
        ],
        ["battalion", "mechanised battalion", 2, 10, 1_000_000, 5_000_000, 1, 4],
    ],
    "UnitYears": [
        ["unit_type", "year", "min_units", "max_units"],
        ["battalion", 2027, 2, None],
    ],
    "Manning": [
        ["unit_type", "trade", "grade", "personnel"],
        ["battalion", "infantry", "enlisted", 400],
        ["battalion", "infantry", "officer", 30],
        ["battalion", "signals", "enlisted", 50],
        ["battalion", "signals", "officer", 5],
    ],
    "Equipping": [
        ["unit_type", "equipment", "quantity"],
        ["battalion", "rifle", 450],
        ["battalion", "radio", 40],
    ],
    "Equipment": [
        [
            "equipment",
            "initial_stock",
            "unit_price",
            "om_cost",
            "attrition_rate",
            "lead_time_years",
            "procurement_max",
            "budget_line",
        ],
        ["rifle", 1500, 800, 20, 0.02, 1, 1000, "procurement"],
        ["radio", 100, 3000, 100, 0.05, 0, 200, "procurement"],
    ],
    "EquipmentYears": [
        ["equipment", "year", "unit_price", "donations_max", "scheduled_deliveries"],
        ["rifle", 2027, 850, 100, 0],
    ],
    "EndStrength": [
        ["year", "min_total", "max_total"],
        [2026, 1300, 1600],
        [2027, 1300, 1700],
        [2028, 1400, 1800],
    ],
    "Ratios": [
        [
            "name",
            "numerator_trades",
            "numerator_grades",
            "denominator_trades",
            "denominator_grades",
            "min_ratio",
            "max_ratio",
            "years",
        ],
        ["officer_share", "*", "officer", "*", "*", 0.05, 0.15, None],
        ["signals_share", "signals", "*", "*", "*", 0.1, None, "2027,2028"],
    ],
    "Funding": [
        ["source", "year", "amount", "lines", "carryover"],
        ["national", 2026, 200_000_000, "*", False],
        ["national", 2027, 200_000_000, "*", False],
        ["national", 2028, 200_000_000, "*", False],
        ["partner", 2026, 5_000_000, "procurement,training", True],
        ["partner", 2027, 5_000_000, "procurement,training", True],
    ],
    "LineLimits": [
        ["line", "year", "min_amount", "max_amount"],
        ["personnel", 2026, 0, 100_000_000],
    ],
}


def minimal_sheets() -> Sheets:
    """A small valid workbook (no errors, no warnings) as a fresh, modifiable dict."""
    return copy.deepcopy(_MINIMAL)


def write_workbook(path: Path, sheets: Sheets) -> Path:
    """Write `sheets` (name -> rows, header first) to the .xlsx file `path`; return `path`."""
    book = openpyxl.Workbook()
    default = book.active
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    if sheets:
        book.remove(default)  # an .xlsx needs at least one sheet: keep it only if empty
    book.save(path)
    return path


def set_value(sheets: Sheets, sheet: str, row: int, column: str, value: Any) -> None:
    """Put `value` in Excel `row` (2 = first record) under header `column` (added if new)."""
    rows = sheets[sheet]
    index = _column(rows, column)
    while len(rows) < row:
        rows.append([])
    cells = rows[row - 1]
    cells.extend([None] * (index + 1 - len(cells)))
    cells[index] = value


def add_row(sheets: Sheets, sheet: str, **values: Any) -> int:
    """Append a record given by column name (new columns are added); return its Excel row."""
    rows = sheets.setdefault(sheet, [[]])
    rows.append([])
    for column, value in values.items():
        set_value(sheets, sheet, len(rows), column, value)
    return len(rows)


def drop_column(sheets: Sheets, sheet: str, column: str) -> None:
    """Remove header `column` and its cells from every row."""
    rows = sheets[sheet]
    index = rows[0].index(column)
    for cells in rows:
        if index < len(cells):
            del cells[index]


def _column(rows: list[list[Any]], column: str) -> int:
    header = rows[0]
    if column not in header:
        header.append(column)
    return header.index(column)
