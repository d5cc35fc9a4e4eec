"""Fast, safe reading of cell values from an .xlsx workbook.

Values come from python-calamine (a Rust reader); every value keeps its position so that
messages can name the cell (`Personnel!D7`). Formula cells are read through the value the
spreadsheet program stored when it last saved the file; a formula with no stored value
(a file written by a program that does not calculate) is reported by cell.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan.errors import Issue, file_error
from forceplan.workbook.safety import check_workbook_file

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class RawSheet:
    """Cell values of one sheet from A1; '' stands for an empty cell."""

    title: str
    rows: list[list[Any]]


def read_raw_workbook(
    path: Path, wanted: set[str] | None = None
) -> tuple[list[RawSheet], list[Issue]]:
    """Read the sheets of `path` (all, or those whose title is in `wanted`).

    Returns the sheets in workbook order and the problems found while reading (formula
    cells without a stored result). Raises InputError for files that cannot be read at all.
    """
    import python_calamine as calamine

    check_workbook_file(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise file_error(
            path, "this workbook is password-protected: remove the password in Excel first"
        ) from None
    except Exception as exc:  # calamine raises several error types for broken packages
        raise file_error(path, f"the workbook is damaged and cannot be read ({exc})") from None

    sheets: list[RawSheet] = []
    with book:
        for meta in book.sheets_metadata:
            if wanted is not None and meta.name not in wanted:
                continue
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            try:
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise file_error(path, f"sheet {meta.name!r} cannot be read ({exc})") from None
            sheets.append(RawSheet(meta.name, rows))
    issues = _formulas_without_results(path, {s.title for s in sheets})
    return sheets, issues


def _formulas_without_results(path: Path, titles: set[str]) -> list[Issue]:
    """Formula cells whose file holds no computed value, on the sheets in `titles`."""
    from defusedxml import DefusedXmlException, ElementTree

    issues: list[Issue] = []
    try:
        with zipfile.ZipFile(path) as zf:
            for title, part in _sheet_parts(zf, ElementTree).items():
                if title not in titles or part not in zf.namelist():
                    continue
                with zf.open(part) as fh:
                    if b"<f" not in fh.read():  # cheap test: most input sheets have no formulas
                        continue
                with zf.open(part) as fh:
                    issues.extend(_scan_sheet(title, fh, ElementTree))
    except DefusedXmlException:
        raise file_error(
            path,
            "the workbook holds XML entity or DTD declarations, which Excel never writes; "
            "they are refused for safety: open the file in Excel and save it again",
        ) from None
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
