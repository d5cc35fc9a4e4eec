"""One output table on its own sheet: header in row 1, an Excel table with filters, number
formats and header comments from the output registry (`forceplan.output_schema`), widths.

Used for the plan workbook's Plan_ tables and for the tables of `compare` and `sweep`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from forceplan import output_schema
from forceplan.fmt import excel_money_format
from forceplan.output_schema import KIND_FORMAT
from forceplan.workbook.fastrows import template_value
from forceplan.workbook.styles import (
    FMT_COUNT,
    FMT_MONEY,
    FMT_PLAIN,
    FMT_SHARE,
    FMT_YEAR,
    HEADER_FILL,
    TABLE_STYLE,
    font,
    orientation,
    output_sheet,
    set_cell,
)


def number_format(sheet: str, column: str, money_unit: str = "") -> str:
    """The format of a numeric column: its kind's in the output registry (money: in the
    sheet's `money_unit`); General for columns outside it (compare and sweep tables name
    their formats themselves)."""
    col = output_schema.column(sheet, column)
    if col is None:
        return FMT_PLAIN
    if col.is_money:
        return excel_money_format(money_unit)
    return KIND_FORMAT.get(col.kind, FMT_PLAIN)


def sheet_money_unit(sheet: str, frame: Any) -> str:
    """'mn' when the sheet's money reaches millions (then every money column of the sheet
    reads in millions, so columns compare at a glance), else '' (currency units)."""
    biggest = 0.0
    for name in frame.columns:
        col = output_schema.column(sheet, str(name))
        if col is None or not col.is_money:
            continue
        values = frame[name].dropna()
        if len(values) and values.dtype.kind in "if":
            biggest = max(biggest, float(values.abs().max()))
    return "mn" if math.isfinite(biggest) and biggest >= 1e6 else ""


def header_comments(ws: Any, sheet: str, columns: list[str], currency: str, unit: str) -> None:
    """A comment with meaning and unit on each header cell (MODEL.md §8.9)."""
    from openpyxl.comments import Comment

    found = output_schema.sheet(sheet)
    if found is None or not found.header_comments:
        return
    for j, col in enumerate(columns, start=1):
        text = output_schema.header_comment(sheet, col, currency, unit)
        if text:
            comment = Comment(text, "forceplan")
            comment.width, comment.height = 260, 90
            ws.cell(row=1, column=j).comment = comment


def table_sheet(
    book: Any,
    name: str,
    frame: Any,
    classification: str,
    taken: set[str],
    number_formats: dict[str, str] | None = None,
    deferred: dict[str, Any] | None = None,
    currency: str | None = None,
) -> Any:
    """One output table: header in row 1, an Excel table with filters, formats, widths.

    Numeric columns get `number_formats[column]`, else the format of the Plan_ sheet.
    With `deferred`, only a template data row is written and the frame is put in
    `deferred[sheet]`: `save_book` then streams its rows (fast for large tables).
    """
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    ws = output_sheet(book, name, classification)
    columns = [str(c) for c in frame.columns]
    header_font, header_fill = font(book, bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        set_cell(cell, col)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
    unit = sheet_money_unit(name, frame)
    formats = [_column_format(name, col, frame[col], number_formats, unit) for col in frame.columns]
    if currency is not None:
        header_comments(ws, name, columns, currency, unit)
    if deferred is not None and len(frame):
        deferred[ws.title] = frame
        records: Iterable[tuple[Any, ...]] = [
            tuple(template_value(fmt is not None) for fmt in formats)
        ]
    else:
        records = frame.itertuples(index=False, name=None)
    for i, record in enumerate(records, start=2):
        for j, value in enumerate(record, start=1):
            cell = ws.cell(row=i, column=j)
            set_cell(cell, value)
            if formats[j - 1] and cell.value is not None:
                cell.number_format = formats[j - 1]
    for j, col in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = _width(col, frame[col], formats[j - 1])
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = orientation(ws)
    last = get_column_letter(max(1, len(columns)))
    if len(frame) and columns and len(set(columns)) == len(columns):
        table = Table(displayName=_table_name(name, taken), ref=f"A1:{last}{len(frame) + 1}")
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        # name the columns here: otherwise openpyxl reads the header through ws[ref], which
        # creates an empty cell for every cell of the table
        table.tableColumns = [TableColumn(id=j, name=col) for j, col in enumerate(columns, 1)]
        table.autoFilter = AutoFilter(ref=table.ref)
        ws.add_table(table)
    elif columns:
        ws.auto_filter.ref = f"A1:{last}1"
    return ws


def _column_format(
    sheet: str, column: Any, series: Any, overrides: dict[str, str] | None, unit: str = ""
) -> str | None:
    """Number format for a numeric column; None for text and TRUE/FALSE columns."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    if overrides and str(column) in overrides:
        return overrides[str(column)]
    return number_format(sheet, str(column), unit)


def _width(column: Any, series: Any, fmt: str | None) -> float:
    """Column width from the header and the longest shown value (8 to 60 characters)."""
    longest = len(str(column)) + 3  # room for the filter button
    values = series.dropna()
    if len(values):
        if fmt in (FMT_COUNT, FMT_MONEY) or (fmt and fmt.endswith('mn"')):
            biggest = float(values.abs().max()) if values.dtype.kind in "if" else 0.0
            if fmt.endswith('mn"'):
                shown = len(f"{biggest / 1e6:,.1f} mn") + 2 if math.isfinite(biggest) else 12
            else:
                shown = len(f"{biggest:,.0f}") + 2 if math.isfinite(biggest) else 12
        elif fmt in (FMT_SHARE, FMT_YEAR):
            shown = 7
        elif fmt:
            shown = 14
        else:
            shown = int(values.astype(str).str.len().max()) + 1
        longest = max(longest, shown)
    return float(min(60, max(8, longest)))


def _table_name(sheet: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", sheet)
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name.lower())
    return name
