"""The warm-start basis inside the plan workbook: a hidden sheet `_forceplan_basis`
(MODEL.md §8.9).

Why a hidden sheet and not a custom XML part: LibreOffice, and openpyxl when forceplan
copies an input, drop package parts they do not know, so a custom XML part would not
survive the round trip (plan workbook edited in LibreOffice, fed back as input). A hidden
worksheet does: both keep its cells and its hidden state. Its name does not start with
`Plan_`, so readers of the Plan_ tables never see it, and forceplan's input reader skips
it (`schema.is_output_sheet`). It is replaced on every write, like the Plan_ sheets.

Layout: key in column A, value in B, under a `key | value` header row. The basis is text
(compressed, base64) cut into chunks below Excel's 32,767-character cell limit, one per
row under its key:

    format           forceplan-basis-1
    structure_hash   <sha256 hex>
    columns          <number of columns>
    rows             <number of rows>
    payload_sha256   <sha256 of the column text + row text>
    col_status       <chunk 1>
    col_status       <chunk 2> ...
    row_status       <chunk 1> ...
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from forceplan import schema
from forceplan.model.warm import FORMAT, Basis

#: Characters per cell (Excel's limit is 32,767).
CHUNK = 32_000
NOTE = (
    "forceplan warm start (MODEL.md §8.9): the solver's basis of this plan. "
    "Do not edit; forceplan rewrites this sheet on every solve and ignores it if it "
    "no longer fits the model."
)


def add_basis_sheet(book: Any, basis: Basis, classification: str) -> None:
    """Append the hidden basis sheet to an openpyxl workbook, set up to print like every
    sheet forceplan writes (classification in header and footer, one page wide, header row
    repeated), in case someone unhides and prints it."""
    from forceplan.workbook.styles import print_setup, set_cell

    cols, rows = basis.encode()
    ws = book.create_sheet(schema.BASIS_SHEET)
    ws.sheet_state = "hidden"
    entries: list[tuple[str, Any]] = [
        ("key", "value"),
        ("note", NOTE),
        ("format", FORMAT),
        ("structure_hash", basis.structure),
        ("columns", len(basis.col_status)),
        ("rows", len(basis.row_status)),
        ("payload_sha256", _digest(cols, rows)),
    ]
    entries += [("col_status", cols[i : i + CHUNK]) for i in range(0, len(cols), CHUNK)]
    entries += [("row_status", rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
    for r, (key, value) in enumerate(entries, start=1):
        set_cell(ws.cell(row=r, column=1), key)
        set_cell(ws.cell(row=r, column=2), value)
    print_setup(ws, classification)
    ws.print_title_rows = "1:1"


def _digest(cols: str, rows: str) -> str:
    return hashlib.sha256((cols + "|" + rows).encode("ascii")).hexdigest()


def read_basis(path: Path) -> tuple[Basis | None, str | None]:
    """(basis, None) from the workbook's basis sheet; (None, why) when it has none or it
    cannot be used (a damaged sheet is a reason for a cold start, never an error)."""
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        with book:
            if schema.BASIS_SHEET not in book.sheet_names:
                return None, None
            rows = book.get_sheet_by_name(schema.BASIS_SHEET).to_python()
    except Exception:  # an unreadable file is reported by the input reader itself
        return None, None
    return parse_rows(rows)


def parse_rows(rows: list[list[Any]]) -> tuple[Basis | None, str | None]:
    values: dict[str, list[str]] = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            values.setdefault(row[0].strip(), []).append(_text(row[1]))
    damaged = "the stored basis sheet is damaged"
    if values.get("format") != [FORMAT]:
        return None, f"{damaged} or from another version (format {values.get('format')})"
    try:
        structure = values["structure_hash"][0]
        n_cols, n_rows = int(float(values["columns"][0])), int(float(values["rows"][0]))
        cols, rows_text = "".join(values["col_status"]), "".join(values["row_status"])
        if _digest(cols, rows_text) != values["payload_sha256"][0]:
            return None, f"{damaged} (checksum)"
        basis = Basis.decode(structure, cols, rows_text)
    except (KeyError, IndexError, ValueError):
        return None, damaged
    if len(basis.col_status) != n_cols or len(basis.row_status) != n_rows:
        return None, f"{damaged} (size)"
    return basis, None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
