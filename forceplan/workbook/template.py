"""The blank input workbook (`forceplan template`) and the bundled example workbooks.

Everything in the template is generated from the sheet registry (`forceplan.schema`):
sheet and column names, their order, header comments (meaning, unit, default, allowed
range, budget line), dropdowns for choices, TRUE/FALSE and names defined on other sheets.
Adding a column to the registry adds it here; this module lists no columns of its own.

Files are written atomically: a temporary file in the target folder, then a rename, so a
crash or a full disk never leaves a half-written workbook behind. An existing file is only
replaced when the caller asks for it.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any

from forceplan import schema
from forceplan.errors import ForceplanError
from forceplan.workbook.atomic import atomic_write, check_target
from forceplan.workbook.cells import column_letter

#: Data validation (dropdowns) reaches down to this row.
LAST_ROW = 1000

_EXAMPLES_PACKAGE = "forceplan"
_EXAMPLES_DIR = "examples"

_FONT_COLOR = "1F1F1F"
_FILL_REQUIRED = "F8CBAD"  # header of a required column
_FILL_OPTIONAL = "BDD7EE"  # header of an optional column
_FILL_TODO = "FFF2CC"  # a value the user must type
_COMMENT_AUTHOR = "forceplan"
_COUNT_FORMAT = "#,##0"  # persons and money: thousands separators, no decimals shown


# --- public API ------------------------------------------------------------------------


def write_template(path: Path, overwrite: bool = False) -> None:
    """Write a blank input workbook, generated from the registry, to `path`."""
    path = Path(path)
    check_target(path, overwrite)
    book = build_template()
    atomic_write(path, book.save, overwrite)


def available_examples() -> list[str]:
    """Names of the example workbooks bundled with the package, sorted."""
    folder = resources.files(_EXAMPLES_PACKAGE).joinpath(_EXAMPLES_DIR)
    if not folder.is_dir():
        return []
    return sorted(
        entry.name[: -len(".xlsx")]
        for entry in folder.iterdir()
        if entry.name.lower().endswith(".xlsx") and not entry.name.startswith(("~$", "."))
    )


def write_example(name: str, path: Path, overwrite: bool = False) -> None:
    """Copy the bundled example workbook `name` (see `available_examples`) to `path`."""
    path = Path(path)
    names = available_examples()
    wanted = name.strip()
    if wanted.lower().endswith(".xlsx"):
        wanted = wanted[: -len(".xlsx")]
    if wanted not in names:
        listing = ", ".join(names) if names else "none are installed with this copy of forceplan"
        raise ForceplanError(f"unknown example {name!r}; available examples: {listing}")
    check_target(path, overwrite)
    data = (
        resources.files(_EXAMPLES_PACKAGE)
        .joinpath(_EXAMPLES_DIR)
        .joinpath(f"{wanted}.xlsx")
        .read_bytes()
    )
    atomic_write(path, lambda fh: fh.write(data), overwrite)


# --- the workbook ----------------------------------------------------------------------


def build_template() -> Any:
    """The template as an openpyxl Workbook (not yet saved)."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "About"
    _write_about(about)
    for sheet in schema.SHEETS:
        ws = book.create_sheet(sheet.name)
        if sheet is schema.SETTINGS:
            _write_settings(ws)
        else:
            _write_table_sheet(ws, sheet)
    return book


def _write_about(ws: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws["A1"] = "forceplan input workbook"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "Fill in the sheets below, then check the file with `forceplan validate`. "
        "Only Settings and Personnel are required; leave the other sheets empty if you "
        "do not need them."
    )
    rules = [
        "Row 1 of every sheet is the header; do not rename or merge header cells. "
        "Hover over a header cell to see what the column means, its unit, default and range.",
        f"Orange headers are required columns; blue headers are optional (blank cells take "
        f"the default). Dropdowns cover rows 2 to {LAST_ROW}.",
        "One record per row; empty rows are skipped. Extra columns and extra sheets "
        "(like this one) are ignored.",
        "Settings: type first_year and last_year (the planning horizon); the other settings "
        "are filled with their defaults.",
        "Blank or `inf` in a *_max column means unbounded.",
        "Rates are fractions: type 0.08 for 8% (a cell formatted as % stores a fraction).",
        "Money is in the workbook's currency (Settings.currency), as plain numbers.",
        "Lists (e.g. accession_courses, lines) are comma-separated names: basic,infantry. "
        "`*` means all.",
        "Names (trades, grades, courses, unit types, equipment) must be defined on their own "
        "sheet before they are used elsewhere; names are case-sensitive.",
        "Sheets whose names start with Plan_ are outputs of forceplan and are ignored when "
        "the workbook is read.",
    ]
    ws["A4"] = "How to fill it in"
    ws["A4"].font = bold
    row = 5
    for text in rules:
        ws.cell(row, 1, f"• {text}")  # not wrapped: the text runs on over the empty cells
        row += 1
    row += 1
    header_fill = PatternFill("solid", fgColor=_FILL_OPTIONAL)
    for col, title in enumerate(("Sheet", "Required", "What it is for", "Record key"), 1):
        cell = ws.cell(row, col, title)
        cell.font = bold
        cell.fill = header_fill
    row += 1
    for sheet in schema.SHEETS:
        cell = ws.cell(row, 1, sheet.name)
        cell.hyperlink = Hyperlink(ref="", location=f"{_quote(sheet.name)}!A1")
        cell.font = Font(color="0563C1", underline="single")
        ws.cell(row, 2, "yes" if sheet.required else "no")
        ws.cell(row, 3, sheet.help.replace("`", "")).alignment = wrap
        ws.cell(row, 4, ", ".join(sheet.key)).alignment = wrap
        row += 1
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 80
    ws.column_dimensions["D"].width = 36


def _write_settings(ws: Any) -> None:
    from openpyxl.styles import PatternFill

    sheet = schema.SETTINGS
    _write_header(ws, sheet)
    todo = PatternFill("solid", fgColor=_FILL_TODO)
    for row, col in enumerate(schema.SETTINGS_KEYS, 2):
        key = ws.cell(row, 1, col.name)
        key.comment = _comment(_describe(col))
        value = ws.cell(row, 2, _default_value(col))
        if col.required:
            value.fill = todo
        elif _count_like(col):
            value.number_format = _COUNT_FORMAT
        rule = _choice_validation(col)
        if rule is not None:
            rule.add(value.coordinate)
            ws.add_data_validation(rule)
    ws.column_dimensions["A"].width = max(len(c.name) for c in schema.SETTINGS_KEYS) + 4
    ws.column_dimensions["B"].width = 22
    ws["A1"].comment = _comment(
        _describe(sheet.columns[0]) + "\nHover over a key for its meaning, default and range."
    )
    ws["B1"].comment = _comment(
        _describe(sheet.columns[1]) + "\nYellow cells must be filled in; the others hold "
        "the defaults."
    )


def _write_table_sheet(ws: Any, sheet: schema.Sheet) -> None:
    _write_header(ws, sheet)
    for index, col in enumerate(sheet.columns):
        letter = column_letter(index)
        ws[f"{letter}1"].comment = _comment(_describe(col))
        dims = ws.column_dimensions[letter]
        dims.width = _width(col)
        if _count_like(col):
            dims.number_format = _COUNT_FORMAT
        rule = _choice_validation(col) or _ref_validation(col)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(rule)


def _write_header(ws: Any, sheet: schema.Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    font = Font(bold=True, color=_FONT_COLOR)
    fills = {
        True: PatternFill("solid", fgColor=_FILL_REQUIRED),
        False: PatternFill("solid", fgColor=_FILL_OPTIONAL),
    }
    border = Border(bottom=Side(style="thin", color="808080"))
    align = Alignment(vertical="center")
    for index, col in enumerate(sheet.columns, 1):
        cell = ws.cell(1, index, col.name)
        cell.font = font
        cell.fill = fills[col.required]
        cell.border = border
        cell.alignment = align
    last = column_letter(len(sheet.columns) - 1)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}1"


# --- per-column pieces ------------------------------------------------------------------


def _describe(col: schema.Column) -> str:
    """Header comment: meaning, unit, default, range, budget line, references."""
    lines = [f"{col.name}: {col.help}"]
    if col.unit:
        lines.append(f"Unit: {col.unit}")
    lines.append(f"Default: {_default_text(col)}")
    if col.range_text():
        lines.append(f"Allowed: {col.range_text()}")
    if col.kind == "enum":
        lines.append(f"Choices: {', '.join(col.choices)}")
    elif col.kind == "bool":
        lines.append("Type TRUE or FALSE")
    elif col.kind == "int":
        lines.append("Whole number")
    elif col.kind == "list":
        star = "; * = all" if col.allow_star else ""
        lines.append(f"Comma-separated list, e.g. a,b{star}")
    if col.ref in schema.REF_DEFINED_ON:
        lines.append(f"Names defined on: {schema.REF_DEFINED_ON[col.ref]}")
    if col.line:
        lines.append(f"Budget line: {col.line}")
    return "\n".join(lines)


def _default_text(col: schema.Column) -> str:
    default = col.default
    if col.required:
        return "required"
    if default is None or default == "" or default == ():
        return "blank"
    if isinstance(default, bool):
        return "TRUE" if default else "FALSE"
    if isinstance(default, float) and math.isinf(default):
        return "blank = unbounded (or type inf)"
    if isinstance(default, tuple):
        return ", ".join(default)
    if isinstance(default, float):
        return f"{default:g}"
    return str(default)


def _default_value(col: schema.Column) -> Any:
    """What the Settings sheet shows as the value of a setting (None for a blank cell)."""
    default = col.default
    if col.required or default is None or default == "":
        return None
    if isinstance(default, float) and math.isinf(default):
        return "inf"
    if isinstance(default, float) and default.is_integer() and col.kind == "float":
        return int(default)  # shows as 1, not 1.0
    return default


def _comment(text: str) -> Any:
    from openpyxl.comments import Comment

    wrapped = sum(max(1, math.ceil(len(line) / 48)) for line in text.splitlines())
    return Comment(text, _COMMENT_AUTHOR, width=300, height=16 * wrapped + 12)


def _width(col: schema.Column) -> float:
    """Wide enough for the header and its autofilter button; text columns a bit wider."""
    base = len(col.name) + 5
    if col.kind in ("text", "list", "enum"):
        base = max(base, 16)
    if col.name == "description":
        base = 36
    return float(min(max(base, 10), 40))


def _count_like(col: schema.Column) -> bool:
    return col.is_number and col.unit.startswith(("persons", "currency"))


def _choice_validation(col: schema.Column) -> Any:
    """A strict dropdown for enum and bool columns."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.kind == "enum":
        choices = col.choices
    elif col.kind == "bool":
        choices = ("TRUE", "FALSE")
    else:
        return None
    return DataValidation(
        type="list",
        formula1=_list_formula(choices),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=col.name,
        error=f"{col.name} must be one of: {', '.join(choices)}",
    )


def _ref_validation(col: schema.Column) -> Any:
    """A non-strict dropdown of names defined elsewhere (pasting other values stays possible)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.kind != "text" or not col.ref:
        return None
    source = _ref_source(col.ref)
    if source is None:
        return None
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=False,
        errorStyle="warning",
    )


def _ref_source(ref: str) -> str | None:
    """List formula for the names `ref` refers to: a range on the defining sheet."""
    if ref == "line":
        return _list_formula(schema.STANDARD_LINES)
    defined = schema.REF_DEFINED_ON.get(ref, "")
    sheet_name, _, column = defined.partition(".")
    sheet = schema.SHEETS_BY_NAME.get(sheet_name)
    if sheet is None or column not in sheet.column_names:
        return None
    letter = column_letter(sheet.column_names.index(column))
    return f"{_quote(sheet.name)}!${letter}$2:${letter}${LAST_ROW}"


def _list_formula(choices: tuple[str, ...]) -> str:
    return '"' + ",".join(choices) + '"'


def _quote(sheet_name: str) -> str:
    from openpyxl.utils import quote_sheetname

    return quote_sheetname(sheet_name)
