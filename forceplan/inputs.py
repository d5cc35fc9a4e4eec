"""Typed input tables: what the reader hands to validation, the model and the audit.

Every record is a plain dict keyed by the registry's column names, holding typed values
with defaults applied, plus `_row`, its row number in the workbook. A table remembers the
column letter of each column present, so any value can be traced back to its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forceplan import schema

Record = dict[str, Any]


@dataclass
class Table:
    sheet: schema.Sheet
    title: str  # the sheet's name in the workbook (as registered; "" if the sheet is absent)
    letters: dict[str, str] = field(default_factory=dict)  # column name -> column letter
    records: list[Record] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.title)

    def cell(self, record: Record, column: str) -> str:
        """Address of `column` in `record`, e.g. 'D7' ('row 7' if the column is absent)."""
        letter = self.letters.get(column)
        return f"{letter}{record['_row']}" if letter else f"row {record['_row']}"

    def where(self, record: Record, column: str) -> str:
        """Full address, e.g. 'Personnel!D7'."""
        return f"{self.title or self.sheet.name}!{self.cell(record, column)}"

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class Inputs:
    """All input sheets of one workbook, typed and with defaults applied."""

    path: Path | None
    settings: dict[str, Any]
    settings_cells: dict[str, str]  # key -> 'B3' (cell of its value)
    tables: dict[str, Table]  # every registry sheet except Settings; empty if absent
    sheet_order: list[str] = field(default_factory=list)  # all sheet titles, workbook order

    def __getitem__(self, sheet: str) -> Table:
        return self.tables[sheet]

    @property
    def first_year(self) -> int:
        return int(self.settings["first_year"])

    @property
    def last_year(self) -> int:
        return int(self.settings["last_year"])

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def setting_where(self, key: str) -> str:
        return f"Settings!{self.settings_cells.get(key, 'A1')}"

    def budget_lines(self) -> list[str]:
        """Standard lines, then any extra line named in Equipment.budget_line, in order seen."""
        lines = list(schema.STANDARD_LINES)
        for rec in self.tables["Equipment"]:
            if rec["budget_line"] and rec["budget_line"] not in lines:
                lines.append(rec["budget_line"])
        return lines
