"""The plan workbook: the input workbook's sheets unchanged, plus the `Plan_` tables.

The input file is never modified: it is loaded, its old `Plan_` sheets are dropped, the new
ones are appended (`Plan_Summary` first among them, `Plan_Run` last) and the result is
saved atomically under a different name. Text is always written as text, so a name such
as `=HYPERLINK(...)` copied from the inputs cannot become a formula in the output.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from forceplan import schema
from forceplan.errors import ForceplanError
from forceplan.workbook.atomic import atomic_write

_HEADER_FILL = "DDEBF7"


def default_output(input_path: Path) -> Path:
    """`army.xlsx` -> `army.plan.xlsx`; a plan's own plan replaces its previous one."""
    stem = input_path.stem
    if stem.endswith(".plan"):
        stem = stem[: -len(".plan")]
    return input_path.with_name(f"{stem}.plan.xlsx")


def check_output_path(input_path: Path, output: Path, force: bool) -> None:
    if output.suffix.lower() != ".xlsx":
        raise ForceplanError(f"{output}: the plan file name must end in .xlsx")
    same = output.resolve() == input_path.resolve()
    if same and not force:
        raise ForceplanError(
            f"{output} is the input workbook: the plan is written to a new "
            "file (choose another -o, or use --force to replace the input "
            "and keep a backup)"
        )
    owner = output.with_name("~$" + output.name)
    if owner.exists() and not force:
        raise ForceplanError(
            f"{output} is open in Excel (found {owner.name}): close it first, or choose another -o"
        )


def write_plan(
    input_path: Path,
    output: Path,
    sheets: dict[str, Any],
    summary_rows: list[tuple[str, Any]],
    run_rows: list[tuple[str, Any]],
    classification: str,
) -> None:
    """Save the inputs plus the Plan_ sheets (`sheets`: name -> DataFrame) to `output`."""
    from openpyxl import load_workbook

    book = load_workbook(input_path)
    for name in list(book.sheetnames):
        if schema.is_output_sheet(name):
            del book[name]
    _key_value_sheet(book, "Plan_Summary", summary_rows, classification)
    for name, frame in sheets.items():
        _table_sheet(book, name, frame, classification)
    _key_value_sheet(book, "Plan_Run", run_rows, classification)
    atomic_write(output, book.save, overwrite=True)


def _set(cell: Any, value: Any) -> None:
    """Write a value; text stays text (no formula injection), inf/nan become blank."""
    if value is None:
        return
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return
        cell.value = value
    elif isinstance(value, bool | int):
        cell.value = value
    elif hasattr(value, "item"):  # numpy scalar
        _set(cell, value.item())
    else:
        cell.value = str(value)
        cell.data_type = "s"


def _mark_classification(ws: Any, classification: str) -> None:
    """Print the classification at the top and bottom of every printed page."""
    for part in (
        ws.oddHeader,
        ws.evenHeader,
        ws.firstHeader,
        ws.oddFooter,
        ws.evenFooter,
        ws.firstFooter,
    ):
        part.center.text = classification
        part.center.font = "Arial,Bold"


def _table_sheet(book: Any, name: str, frame: Any, classification: str) -> None:
    from openpyxl.styles import Font, PatternFill

    ws = book.create_sheet(name)
    ws.sheet_properties.tabColor = "1F4E79"
    _mark_classification(ws, classification)
    # header in row 1, like every sheet of the contract: other tools read these tables
    for j, col in enumerate(frame.columns, start=1):
        cell = ws.cell(row=1, column=j)
        _set(cell, col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for i, record in enumerate(frame.itertuples(index=False, name=None), start=2):
        for j, value in enumerate(record, start=1):
            _set(ws.cell(row=i, column=j), value)
    ws.freeze_panes = "A2"


def _key_value_sheet(
    book: Any, name: str, rows: Iterable[tuple[str, Any]], classification: str
) -> None:
    from openpyxl.styles import Font

    ws = book.create_sheet(name)
    ws.sheet_properties.tabColor = "1F4E79"
    _mark_classification(ws, classification)
    for j, col in enumerate(("key", "value"), start=1):
        cell = ws.cell(row=1, column=j)
        _set(cell, col)
        cell.font = Font(bold=True)
    rows = [("classification", classification), *rows]
    for i, (key, value) in enumerate(rows, start=2):
        _set(ws.cell(row=i, column=1), key)
        _set(ws.cell(row=i, column=2), value)
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 40
