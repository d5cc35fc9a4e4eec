"""Raw sheets -> typed input tables, following the registry; collects every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forceplan import schema
from forceplan.errors import Issue
from forceplan.inputs import Inputs, Record, Table
from forceplan.workbook import names
from forceplan.workbook.cells import column_letter
from forceplan.workbook.coerce import (
    CellError,
    ErrorValue,
    coerce,
    error_value_message,
    is_blank,
)
from forceplan.workbook.read import RawSheet, read_raw_workbook


def load_workbook(path: Path) -> tuple[Inputs, list[Issue]]:
    """Read and type every input sheet of `path`.

    Returns the inputs and all problems found (errors and warnings). Values that could not
    be read are left at their default so later checks still run; callers must not use the
    inputs for anything but reporting when an error is among the issues.
    """
    sheets, issues = read_raw_workbook(path)
    inputs, more = tables_from_raw(sheets, path)
    # a formula without a stored value reads as an empty cell: report it once, as a formula
    formula_cells = {(i.sheet, i.cell) for i in issues}
    return inputs, issues + [i for i in more if (i.sheet, i.cell) not in formula_cells]


def tables_from_raw(sheets: list[RawSheet], path: Path | None = None) -> tuple[Inputs, list[Issue]]:
    issues: list[Issue] = []
    by_name: dict[str, RawSheet] = {}
    others: list[RawSheet] = []
    for raw in sheets:
        if schema.is_output_sheet(raw.title):
            continue
        sheet = _registry_sheet(raw.title)
        if sheet is None:
            others.append(raw)  # About, Sources, a user's notes: kept and ignored
            continue
        if sheet.name in by_name:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    "",
                    f"a second sheet named like {sheet.name!r} (names ignore case): keep only one",
                )
            )
            continue
        by_name[sheet.name] = raw
    issues += _unknown_sheets(others, set(by_name))

    settings, settings_cells = _read_settings(by_name.get("Settings"), issues)
    tables: dict[str, Table] = {}
    for sheet in schema.SHEETS[1:]:
        raw = by_name.get(sheet.name)
        if raw is None:
            if sheet.required:
                issues.append(
                    Issue(
                        "error",
                        sheet.name,
                        "",
                        f"required sheet {sheet.name!r} "
                        "is missing: add it (`forceplan template` shows its columns)",
                    )
                )
            tables[sheet.name] = Table(sheet, "")
        else:
            tables[sheet.name] = _read_table(sheet, raw, issues)
    _apply_derived_defaults(tables)
    inputs = Inputs(path, settings, settings_cells, tables, [s.title for s in sheets])
    return inputs, issues


def _apply_derived_defaults(tables: dict[str, Table]) -> None:
    """Defaults that depend on another column of the same record."""
    for rec in tables["Personnel"]:
        # a blank first-year rate follows the year's attrition rate, overrides included (§8.6)
        rec["_fyattr_follows"] = rec["first_year_attrition_rate"] is None
        if rec["first_year_attrition_rate"] is None:
            rec["first_year_attrition_rate"] = rec["attrition_rate"]


def _registry_sheet(title: str) -> schema.Sheet | None:
    wanted = title.strip().lower()
    for sheet in schema.SHEETS:
        if sheet.name.lower() == wanted:
            return sheet
    return None


def _unknown_sheets(others: list[RawSheet], present: set[str]) -> list[Issue]:
    """MODEL.md §8.9: a near miss of an absent contract sheet is an error; any other
    unknown sheet a warning (not the known extras, nor hidden sheets a tool keeps)."""
    issues = []
    contract = [s.name for s in schema.SHEETS]
    for raw in others:
        near = names.near_name(raw.title, contract)
        if near is not None and near not in present:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    "",
                    f"no sheet is named {near}, and sheet {raw.title!r} is not read: did you "
                    f"mean {near}? Rename the sheet to {near} (sheet names are part of the "
                    "workbook contract; a misspelled sheet would silently drop its limits)",
                )
            )
        elif near is not None:
            issues.append(
                Issue(
                    "warning",
                    raw.title,
                    "",
                    f"sheet {raw.title!r} is ignored: it looks like {near}, which is also in "
                    "the workbook (only the sheet named exactly so is read)",
                )
            )
        elif not names.is_known_extra(raw.title) and not raw.hidden:
            issues.append(
                Issue(
                    "warning",
                    raw.title,
                    "",
                    f"sheet {raw.title!r} is not part of the workbook contract and is ignored",
                )
            )
    return issues


def _header_map(sheet: schema.Sheet, raw: RawSheet, issues: list[Issue]) -> dict[str, int]:
    """Registry column name -> 0-based column index, from row 1."""
    header = raw.rows[0] if raw.rows else []
    known = {c.name.lower(): c.name for c in sheet.columns}
    given = {str(v).strip().lower() for v in header if not is_blank(v)}
    found: dict[str, int] = {}
    misspelled: set[str] = set()
    for index, value in enumerate(header):
        if is_blank(value):
            continue
        text = str(value).strip()
        name = known.get(text.lower())
        cell = f"{column_letter(index)}1"
        if name is None:
            near = names.near_name(text, sheet.column_names, units_suffix=True)
            if near is not None and near.lower() not in given and near not in misspelled:
                misspelled.add(near)
                issues.append(
                    Issue(
                        "error",
                        raw.title,
                        cell,
                        f"column {text!r} is not a {sheet.name} column: did you mean "
                        f"{near}? Rename the header to {near} (units belong in the number "
                        "format or the header's comment, not in its name)",
                    )
                )
                continue
            issues.append(
                Issue(
                    "warning",
                    raw.title,
                    cell,
                    f"column {text!r} is not part of the {sheet.name} sheet and is ignored",
                )
            )
        elif name in found:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    cell,
                    f"column {text!r} appears twice "
                    f"(also in {column_letter(found[name])}1): keep only one",
                )
            )
        else:
            found[name] = index
    free = f"{column_letter(len(header))}1"  # where the missing column could go
    for col in sheet.columns:
        if col.required and col.name not in found and col.name not in misspelled:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    free,
                    f"required column {col.name!r} is missing from the header row: add it",
                )
            )
    return found


def _read_table(sheet: schema.Sheet, raw: RawSheet, issues: list[Issue]) -> Table:
    columns = _header_map(sheet, raw, issues)
    table = Table(sheet, raw.title, {n: column_letter(i) for n, i in columns.items()})
    present = [(sheet.column(n), i, column_letter(i)) for n, i in columns.items()]
    absent = [c for c in sheet.columns if c.name not in columns]
    for row_index in range(1, len(raw.rows)):
        row = raw.rows[row_index]
        if all(is_blank(v) for v in row):
            continue
        excel_row = row_index + 1
        record: Record = {"_row": excel_row}
        for col, index, letter in present:
            value = row[index] if index < len(row) else ""
            if value == "" and not col.required:  # the common empty cell, fast
                record[col.name] = col.default
                continue
            record[col.name] = _cell_value(col, value, raw.title, f"{letter}{excel_row}", issues)
        for col in absent:
            record[col.name] = col.default
        table.records.append(record)
    return table


def _cell_value(col: schema.Column, value: Any, title: str, cell: str, issues: list[Issue]) -> Any:
    if isinstance(value, ErrorValue):  # before the blank test: never called empty
        issues.append(Issue("error", title, cell, f"{col.name}: {error_value_message(value)}"))
        return col.default
    if is_blank(value):
        if col.required:
            issues.append(
                Issue("error", title, cell, f"{col.name} is required but the cell is empty")
            )
        return col.default
    try:
        return coerce(col, value)
    except CellError as exc:
        issues.append(Issue("error", title, cell, f"{col.name}: {exc}"))
        return col.default


def _read_settings(
    raw: RawSheet | None, issues: list[Issue]
) -> tuple[dict[str, Any], dict[str, str]]:
    settings = {c.name: c.default for c in schema.SETTINGS_KEYS}
    cells: dict[str, str] = {}
    if raw is None:
        issues.append(
            Issue(
                "error",
                "Settings",
                "",
                "required sheet 'Settings' is missing: add "
                "it with key/value rows for first_year and last_year",
            )
        )
        return settings, cells
    columns = _header_map(schema.SETTINGS, raw, issues)
    key_index, value_index = columns.get("key"), columns.get("value")
    if key_index is None or value_index is None:
        if key_index is not None:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    f"{column_letter(key_index + 1)}1",
                    "required column 'value' is missing from the header row: add it",
                )
            )
        return settings, cells
    value_letter = column_letter(value_index)
    given = {
        str(row[key_index]).strip().lower()
        for row in raw.rows[1:]
        if key_index < len(row) and not is_blank(row[key_index])
    }
    misspelled: set[str] = set()
    for row_index in range(1, len(raw.rows)):
        row = raw.rows[row_index]
        excel_row = row_index + 1
        key_raw = row[key_index] if key_index < len(row) else ""
        value = row[value_index] if value_index < len(row) else ""
        if is_blank(key_raw):
            if not is_blank(value):
                issues.append(
                    Issue(
                        "error",
                        raw.title,
                        f"{column_letter(key_index)}{excel_row}",
                        "a value without a key: type the setting's name",
                    )
                )
            continue
        key = str(key_raw).strip().lower()
        col = schema.SETTINGS_BY_KEY.get(key)
        key_cell = f"{column_letter(key_index)}{excel_row}"
        if col is None:
            near = names.near_name(str(key_raw), list(schema.SETTINGS_BY_KEY))
            if near is not None and near not in given and near not in misspelled:
                misspelled.add(near)
                issues.append(
                    Issue(
                        "error",
                        raw.title,
                        key_cell,
                        f"unknown setting {key_raw!r}: did you mean {near}? Type the key as {near}",
                    )
                )
                continue
            issues.append(
                Issue("warning", raw.title, key_cell, f"unknown setting {key_raw!r} is ignored")
            )
            continue
        if key in cells:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    key_cell,
                    f"setting {key!r} is given twice (also at {cells[key]})",
                )
            )
            continue
        cells[key] = f"{value_letter}{excel_row}"
        settings[key] = _cell_value(col, value, raw.title, cells[key], issues)
    for col in schema.SETTINGS_KEYS:
        if col.required and col.name not in cells and col.name not in misspelled:
            issues.append(
                Issue(
                    "error",
                    raw.title,
                    "",
                    f"setting {col.name!r} is missing: add a row with key {col.name} and its value",
                )
            )
    return settings, cells
