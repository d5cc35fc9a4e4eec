"""Rows streamed into the saved package read back exactly, with their formats."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest
import python_calamine

from forceplan.workbook.tables import table_sheet
from forceplan.workbook.write import save_book

TRICKY = [
    '=HYPERLINK("http://x","y")',
    "a < b & c > d",
    "  leading and trailing  ",
    "bell\x07inside",
    "ünïcødé — ✓",
]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": TRICKY,
            "year": [2026, 2027, 2028, 2029, 2030],
            "strength": [1.0, 0.1 + 0.2, 1e-12, 123456789.123456, -2.5],
            "lower": [None, 0.0, math.nan, 5.0, math.inf],
            "binding": [True, False, True, False, True],
        }
    )


def saved(data: pd.DataFrame, streamed: bool) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    deferred: dict[str, pd.DataFrame] | None = {} if streamed else None
    table_sheet(book, "Plan_Personnel", data, "UNCLASSIFIED", set(), deferred=deferred)
    out = io.BytesIO()
    save_book(book, out, {}, deferred)
    return out.getvalue()


def test_streamed_rows_equal_openpyxl_rows() -> None:
    data = frame()
    fast = openpyxl.load_workbook(io.BytesIO(saved(data, True)))["Plan_Personnel"]
    slow = openpyxl.load_workbook(io.BytesIO(saved(data, False)))["Plan_Personnel"]
    assert fast.dimensions == slow.dimensions == "A1:E6"
    for row_fast, row_slow in zip(fast.iter_rows(), slow.iter_rows(), strict=True):
        for a, b in zip(row_fast, row_slow, strict=True):
            expected = b.value.replace("\x07", "") if isinstance(b.value, str) else b.value
            if isinstance(expected, float):  # openpyxl rounds to 15 digits; we keep all 17
                assert a.value == pytest.approx(expected, rel=1e-14), a.coordinate
            else:
                assert a.value == expected, a.coordinate
            assert a.number_format == b.number_format, a.coordinate
            assert a.data_type == b.data_type or {a.data_type, b.data_type} == {"s", "inlineStr"}


def test_streamed_numbers_are_exact_and_text_stays_text() -> None:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(saved(frame(), True)))
    rows = book.get_sheet_by_name("Plan_Personnel").to_python()
    assert rows[0] == ["name", "year", "strength", "lower", "binding"]
    assert [r[2] for r in rows[1:]] == [1.0, 0.1 + 0.2, 1e-12, 123456789.123456, -2.5]
    assert [r[0] for r in rows[1:]] == [t.replace("\x07", "") for t in TRICKY]
    assert [r[3] for r in rows[1:]] == ["", 0.0, "", 5.0, ""]  # blank, nan and inf are empty
    assert [r[4] for r in rows[1:]] == [True, False, True, False, True]


def test_read_only_readers_see_every_row() -> None:
    big = pd.DataFrame({"year": range(3000), "strength": [i / 7 for i in range(3000)]})
    ws = openpyxl.load_workbook(io.BytesIO(saved(big, True)), read_only=True)["Plan_Personnel"]
    assert ws.max_row == 3001  # the <dimension> is rewritten, not left at the template row
    values = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert values == [i / 7 for i in range(3000)]


def _sheet_xml(package: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_rows_formatted_in_blocks_give_the_same_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large tables are formatted a block of rows at a time (bounded memory at L)."""
    from forceplan.workbook import fastrows

    data = pd.concat([frame()] * 3, ignore_index=True)  # 15 rows; texts repeat over blocks
    whole = _sheet_xml(saved(data, True))
    monkeypatch.setattr(fastrows, "_BLOCK_ROWS", 4)
    blocks = _sheet_xml(saved(data, True))
    assert blocks == whole and blocks.count(b"<row ") == 16
    assert b'<c r="A16"' in blocks and b'<c r="A17"' not in blocks
