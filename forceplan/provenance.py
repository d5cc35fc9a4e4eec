"""Where a plan came from: hashes of its input workbook, for `Plan_Run`.

Two hashes are recorded:

- `file_sha256`: the SHA-256 of the input file's bytes. It changes whenever the file is
  saved again, even without an edit (zip timestamps, styles, the program that saved it).
- `content_hash`: the SHA-256 of a canonical text of the input *values*: every registry
  sheet (Settings and the tables of MODEL.md §2), typed as the model reads them, with
  defaults applied. Styles, number formats, column order, empty rows, extra sheets and
  extra columns, and the program that saved the file do not enter it, so re-saving a
  workbook in Excel or LibreOffice without changes keeps it. Numbers are written with 15
  significant digits (what a spreadsheet shows and what every program stores exactly).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from forceplan import output_schema

#: Name of the canonical form, recorded next to the hash on Plan_Run.
CONTENT_HASH_METHOD = "forceplan-content-v1: sha256 of sorted JSON of typed registry values"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_hash(inputs: Any) -> str:
    """SHA-256 of the input sheets' typed values, independent of file layout and styles."""
    return hashlib.sha256(canonical_text(inputs).encode("utf-8")).hexdigest()


def canonical_text(inputs: Any) -> str:
    """The canonical JSON text that `content_hash` digests (useful to see what differs)."""
    payload = {
        "settings": {k: _canonical(v) for k, v in inputs.settings.items()},
        "tables": {
            name: [
                {k: _canonical(v) for k, v in rec.items() if not k.startswith("_")}
                for rec in table.records
            ]
            for name, table in sorted(inputs.tables.items())
        },
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _canonical(value: Any) -> Any:
    """A JSON value that does not depend on how a program stored the cell."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        rounded = float(f"{value:.15g}")
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalar
        return _canonical(value.item())
    return str(value)


def sheet_hashes(inputs: Any) -> dict[str, str]:
    """Per input sheet (Settings, then every registry table, present or not): the SHA-256
    of its part of `canonical_text`, so an audit can name the sheets edited after solving."""
    parts: dict[str, Any] = {"Settings": {k: _canonical(v) for k, v in inputs.settings.items()}}
    for name, table in sorted(inputs.tables.items()):
        parts[name] = [
            {k: _canonical(v) for k, v in rec.items() if not k.startswith("_")}
            for rec in table.records
        ]
    return {
        name: hashlib.sha256(
            json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()
        for name, part in parts.items()
    }


# --- sheets outside the registry, and the plan's own sheets -----------------------------


def _cell_value(value: Any) -> Any:
    """A raw cell as a canonical JSON value: numbers to 12 significant digits, so that a
    re-save by another spreadsheet program (which may write 15 or 17 digits) keeps it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        x = float(value)
        if not math.isfinite(x):
            return str(x)
        rounded = float(f"{x:.12g}")
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    return str(value)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Canonical rows: trailing empty cells and trailing empty rows dropped."""
    out = []
    # _cell_value of each distinct number once (a plan repeats most of its numbers), and
    # text, blanks and booleans as they are: the same values, ~3x faster on a plan's
    # Plan_Constraints. Equal numbers canonicalise alike: _cell_value goes through
    # float(), and an int equal to a float converts to it exactly (0.0 and -0.0 both
    # give 0); booleans (True == 1) never reach the cache.
    numbers: dict[float, Any] = {}
    for row in rows:
        values = []
        for v in row:
            kind = type(v)
            if kind is float or kind is int:
                found = numbers.get(v)
                if found is None:  # never None for a number
                    found = numbers[v] = _cell_value(v)
                values.append(found)
            elif kind is str:
                values.append(v if v else None)
            elif v is None or kind is bool:
                values.append(v)
            else:
                values.append(_cell_value(v))
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    while out and not out[-1]:
        out.pop()
    return out


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_extra_sheet(name: str) -> bool:
    """A sheet of the input workbook that no contract reader sees (About, Sources, notes)."""
    from forceplan import schema

    registry = {s.name.casefold() for s in schema.SHEETS}
    return name.casefold() not in registry and not name.casefold().startswith("plan_")


def extra_sheet_hashes(path: Path) -> dict[str, str]:
    """Per visible sheet outside the registry (Sources, About, notes): the SHA-256 of its
    cell values, so an audit can say that the Sources sheet was edited after solving."""
    import python_calamine as calamine

    from forceplan.workbook.read import read_raw_workbook

    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        names = {
            m.name
            for m in book.sheets_metadata
            if m.visible == calamine.SheetVisibleEnum.Visible and is_extra_sheet(m.name)
        }
    if not names:
        return {}
    sheets, _issues = read_raw_workbook(Path(path), names, extras=True)
    # a sheet too large to read safely (issue 13's bounds) has no hash: "" (not compared)
    return {
        s.title: _digest(_trim(s.rows)) if getattr(s, "read", True) else ""
        for s in sheets
        if s.title in names
    }


def plan_sheet_hashes(path: Path, known: dict[str, Any] | None = None) -> dict[str, Any]:
    """Per Plan_ sheet of a written plan: [SHA-256, columns]. Table sheets are hashed over
    the columns they had when written (by header name, so a column a planner adds later
    does not count); free-layout sheets (Plan_Summary, Plan_Charts) over all their cells.
    Stored in the run ledger: `forceplan audit PLAN` recomputes them and names the Plan_
    sheets edited since the solve.

    `known`: hashes the writer computed from the values it wrote (`plan_table_hash`),
    for sheets of this file it wrote itself; those sheets are not read back."""
    known = known or {}
    found = dict(known)
    for name, rows in _plan_rows(path, skip=set(known)):
        found[name] = _plan_sheet_digest(name, rows, None)
    return found


def plan_table_hash(name: str, header: list[Any], columns: list[list[Any]]) -> list[Any]:
    """`plan_sheet_hashes`' entry for a table sheet whose row 1 holds `header` and whose
    data rows hold `columns` (each a list of the values read back from its cells, None
    for a blank; forceplan.workbook.fastrows.written_values), computed without reading
    the file."""
    rows = [list(header), *map(list, zip(*columns, strict=True))]
    return _plan_sheet_digest(name, rows, None)


def _plan_rows(path: Path, skip: set[str] | None = None) -> list[tuple[str, list[list[Any]]]]:
    """The cell values of the Plan_ sheets (a file `solve` wrote, or one to audit), but
    those named in `skip`."""
    import python_calamine as calamine

    from forceplan.workbook.safety import check_workbook_file

    check_workbook_file(Path(path))
    out = []
    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        for meta in book.sheets_metadata:
            if skip and meta.name in skip:
                continue
            if meta.name.startswith("Plan_") and meta.typ == calamine.SheetTypeEnum.WorkSheet:
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                out.append((meta.name, rows))
    return out


def _plan_sheet_digest(name: str, rows: list[list[Any]], columns: list[str] | None) -> list[Any]:
    trimmed = _trim(rows)
    if name in output_schema.FREE_LAYOUT or not trimmed:
        return [_digest(trimmed), None]
    header = [str(h) if h is not None else "" for h in trimmed[0]]
    if columns is None:
        columns = [h for h in header if h]
    picks = [header.index(c) if c in header else None for c in columns]
    body = [[(r[i] if i is not None and i < len(r) else None) for i in picks] for r in trimmed[1:]]
    while body and all(v is None for v in body[-1]):
        body.pop()
    return [_digest([columns, body]), columns]


def plan_sheet_hashes_like(path: Path, recorded: dict[str, Any]) -> dict[str, Any]:
    """`plan_sheet_hashes` of `path` over the columns `recorded` lists per sheet."""
    by_name = dict(_plan_rows(path))
    out: dict[str, Any] = {}
    for name, (_digest_value, columns) in recorded.items():
        if name in by_name:
            out[name] = _plan_sheet_digest(name, by_name[name], columns)
    return out
