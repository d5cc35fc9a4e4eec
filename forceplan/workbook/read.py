"""Fast, safe reading of cell values from an .xlsx workbook.

Values come from python-calamine (a Rust reader); every value keeps its position so that
messages can name the cell (`Personnel!D7`). Formula cells are read through the value the
spreadsheet program stored when it last saved the file; a formula with no stored value
(a file written by a program that does not calculate) is reported by cell.
"""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan.errors import InputError, Issue, file_error
from forceplan.workbook.bounds import INPUT_LIMITS, scan_sheet
from forceplan.workbook.coerce import ErrorValue
from forceplan.workbook.safety import check_workbook_file

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class RawSheet:
    """Cell values of one sheet from A1; '' stands for an empty cell, an ErrorValue for a
    cell holding an error (#DIV/0!, #N/A ...). `read` is False for a sheet that was only
    listed (a user's notes, an output sheet): its rows are not loaded."""

    title: str
    rows: list[list[Any]]
    read: bool = True
    hidden: bool = False


def read_raw_workbook(
    path: Path, wanted: set[str] | None = None, *, extras: bool = False
) -> tuple[list[RawSheet], list[Issue]]:
    """Read the input sheets of `path` (those whose title is in `wanted`, if given).

    Returns every worksheet in workbook order and the problems found while reading
    (formula cells without a stored result). Sheets the contract names are read; other
    sheets only with `extras` (the report's appendix), and `Plan_` output sheets never:
    the rest are listed with `read=False`. Each sheet's used range is checked before it is
    read (forceplan.workbook.bounds). Raises InputError for files that cannot be read.
    """
    import python_calamine as calamine

    from forceplan import schema

    check_workbook_file(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise file_error(
            path, "this workbook is password-protected: remove the password in Excel first"
        ) from None
    except Exception as exc:  # calamine raises several error types for broken packages
        raise file_error(path, f"the workbook is damaged and cannot be read ({exc})") from None

    contract = {s.name.lower() for s in schema.SHEETS}
    sheets: list[RawSheet] = []
    issues: list[Issue] = []
    formulas: set[str] = set()
    with book, open_zip(path) as zf:
        parts = sheet_parts_or_error(path, zf)
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            title = meta.name
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            is_contract = title.strip().lower() in contract
            if (
                (wanted is not None and title not in wanted)
                or schema.is_output_sheet(title)
                or not (is_contract or extras)
            ):
                sheets.append(RawSheet(title, [], read=False, hidden=hidden))
                continue
            if title not in parts:
                raise file_error(path, f"sheet {title!r} has no part in the package: damaged")
            try:
                scan = scan_sheet(zf, parts[title], title, INPUT_LIMITS)
            except InputError as exc:
                if is_contract:
                    raise
                issues += [
                    Issue("warning", i.sheet, i.cell, "the sheet is not shown: " + i.message)
                    for i in exc.issues
                ]
                sheets.append(RawSheet(title, [], read=False, hidden=hidden))
                continue
            try:
                rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
            except Exception as exc:
                raise file_error(path, f"sheet {title!r} cannot be read ({exc})") from None
            _mark_errors(rows, scan.errors)
            if scan.has_formulas:
                formulas.add(title)
            sheets.append(RawSheet(title, rows, hidden=hidden))
    issues += _formulas_without_results(path, formulas)
    return sheets, issues


def _mark_errors(rows: list[list[Any]], errors: dict[tuple[int, int], str]) -> None:
    for (r, c), text in errors.items():
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = ErrorValue(text)


@contextlib.contextmanager
def open_zip(path: Path):
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise file_error(path, f"the workbook is damaged and cannot be read ({exc})") from None
    with zf:
        yield zf


def sheet_parts_or_error(path: Path, zf: zipfile.ZipFile) -> dict[str, str]:
    from defusedxml import DefusedXmlException, ElementTree

    try:
        return _sheet_parts(zf, ElementTree)
    except DefusedXmlException:
        raise file_error(path, _ENTITIES) from None
    except (KeyError, ElementTree.ParseError, zlib.error, EOFError) as exc:
        raise file_error(path, f"the workbook is damaged and cannot be read ({exc})") from None


_ENTITIES = (
    "the workbook holds XML entity or DTD declarations, which Excel never writes; "
    "they are refused for safety: open the file in Excel and save it again"
)


def _formulas_without_results(path: Path, titles: set[str]) -> list[Issue]:
    """Formula cells whose file holds no computed value, on the sheets in `titles` (the
    sheets the bounded scan found formulas on)."""
    from defusedxml import DefusedXmlException, ElementTree

    issues: list[Issue] = []
    if not titles:
        return issues
    try:
        with zipfile.ZipFile(path) as zf:
            for title, part in _sheet_parts(zf, ElementTree).items():
                if title not in titles or part not in zf.namelist():
                    continue
                with zf.open(part) as fh:
                    issues.extend(_scan_sheet(title, fh, ElementTree))
    except DefusedXmlException:
        raise file_error(path, _ENTITIES) from None
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError) as exc:
        raise file_error(path, f"the workbook is damaged and cannot be read ({exc})") from None
    return issues


def _sheet_parts(zf: zipfile.ZipFile, et: Any) -> dict[str, str]:
    """Sheet title -> zip part name, from workbook.xml and its relationships."""
    rels_root = et.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels_root.iter(f"{_PKG_REL_NS}Relationship"):
        target = rel.get("Target", "")
        part = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        targets[rel.get("Id")] = part
    book_root = et.fromstring(zf.read("xl/workbook.xml"))
    parts = {}
    for sheet in book_root.iter(f"{_MAIN_NS}sheet"):
        rid = sheet.get(f"{_REL_NS}id")
        if rid in targets:
            parts[sheet.get("name")] = targets[rid]
    return parts


def _scan_sheet(title: str, fh: Any, et: Any) -> list[Issue]:
    issues = []
    for _event, elem in et.iterparse(fh, events=("end",)):
        if elem.tag != f"{_MAIN_NS}c":
            continue
        formula = elem.find(f"{_MAIN_NS}f")
        if formula is not None:
            value = elem.find(f"{_MAIN_NS}v")
            if elem.get("t") == "inlineStr" or (value is not None and value.text not in (None, "")):
                pass
            else:
                ref = elem.get("r", "")
                issues.append(
                    Issue(
                        "error",
                        title,
                        ref,
                        f"formula ={formula.text or ''} has no calculated value stored in the file "
                        "(it was written by a program that does not calculate): open the "
                        "workbook in Excel or LibreOffice, let it recalculate, and save it; "
                        "or type the value",
                    )
                )
        elem.clear()
    return issues
