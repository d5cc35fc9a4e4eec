"""The used range of a sheet, found before any reader allocates for it.

python-calamine builds a dense grid from A1 to the farthest cell it finds, whatever the
sheet's `<dimension>` element says: one stray cell at XFD1048576 asks for 17 billion cells
(a Rust abort), one at CV1048576 for 4 GB. So every sheet that is going to be read is first
streamed through zlib and a few byte-level regular expressions (no XML tree, no per-cell
Python objects for the limit test) to find the farthest cell reference, and refused by
cell when no contract sheet can need it. The same pass finds cells holding an error value
(`t="e"`: #DIV/0!, #N/A ...), which calamine hands over as empty cells, and whether the
sheet has formulas at all.

The `<dimension>` element is not trusted: a hand-made or damaged file may omit it or state
a smaller range than its cells use, and a stale one may claim a larger range.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field

from forceplan.errors import InputError, Issue
from forceplan.workbook.cells import column_index, column_letter

#: Farthest row of an input sheet. One row per class and year of a 300-trade, 10-grade,
#: 30-year force is 90,000 rows; a quarter of a million leaves room for any real plan.
MAX_INPUT_ROWS = 250_000
#: Farthest column of an input sheet: the widest contract sheet has about 25 columns.
MAX_INPUT_COLUMNS = 200
#: Largest grid (rows x columns from A1) read from one sheet: about 32 bytes a cell in the
#: reader, so 20 million cells is some 640 MB.
MAX_CELLS = 20_000_000
#: Output (Plan_) sheets are written by forceplan: any row Excel allows, few columns.
MAX_PLAN_ROWS = 1_048_576
MAX_PLAN_COLUMNS = 100

_CHUNK = 4 * 1024 * 1024
_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_DIGITS = re.compile(rb'<(?:\w+:)?c(?:\s[^>]*?)?\sr="[A-Z]{1,3}([0-9]{1,7})"')
_COL_LETTERS = re.compile(rb'<(?:\w+:)?c(?:\s[^>]*?)?\sr="([A-Z]{1,3})[0-9]')
_BAD_REF = re.compile(rb'<(?:\w+:)?c(?:\s[^>]*?)?\sr="(?![A-Z]{1,3}[0-9]{1,7}")([^"]*)"')
_NO_REF = re.compile(rb'<(?:\w+:)?c(?=[\s>/])(?![^>]*\sr=")')
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\s([^>]*\bt="e"[^>]*)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)<', re.S
)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,7})"')


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cells: int = MAX_CELLS
    what: str = "an input sheet"


INPUT_LIMITS = Limits(MAX_INPUT_ROWS, MAX_INPUT_COLUMNS)
PLAN_LIMITS = Limits(MAX_PLAN_ROWS, MAX_PLAN_COLUMNS, what="a plan sheet")


@dataclass
class SheetScan:
    """What the stream of one sheet part showed."""

    title: str
    rows: int = 0  # farthest row with a cell (1-based; 0: no cells)
    columns: int = 0  # farthest column with a cell (1-based)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row0, col0) -> "#N/A"
    has_formulas: bool = False


def scan_sheet(zf: zipfile.ZipFile, part: str, title: str, limits: Limits) -> SheetScan:
    """Stream `part` and return its used range; raise InputError (by cell) past `limits`."""
    scan = SheetScan(title)
    implicit = False
    carry = b""
    for chunk in _decompressed(zf, part):
        buf = carry + chunk
        cut = buf.rfind(b"</row>")
        if cut < 0:  # no complete row yet: keep reading (bounded: a row is short)
            if len(buf) < 16 * _CHUNK:
                carry = buf
                continue
            cut = buf.rfind(b"<")
        else:
            cut += len(b"</row>")
        region, carry = buf[:cut], buf[cut:]
        implicit = _scan_region(region, scan, limits) or implicit
    if carry:
        implicit = _scan_region(carry, scan, limits) or implicit
    if implicit:  # cells without an address: their place is counted, as the reader does
        _implicit_positions(zf, part, scan, limits)
    _check_cells(scan, limits)
    return scan


def _decompressed(zf: zipfile.ZipFile, part: str):
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:
        raise InputError(
            Issue("error", "", part, f"the workbook is damaged and cannot be read ({exc})")
        ) from None


def _scan_region(region: bytes, scan: SheetScan, limits: Limits) -> bool:
    """Update `scan` from complete rows; True if some cell has no `r` address."""
    letters = set(_COL_LETTERS.findall(region))
    if letters:
        widest = max(letters, key=lambda b: (len(b), b))
        col = column_index(widest.decode()) + 1
        if col > limits.columns:
            _refuse_column(region, scan, limits)
        scan.columns = max(scan.columns, col)
    digits = _ROW_DIGITS.findall(region)
    if digits:
        row = max(map(int, set(digits)))
        if row > limits.rows:
            _refuse_row(region, scan, limits)
        scan.rows = max(scan.rows, row)
    if b't="e"' in region:
        for attrs, value in _ERROR_CELL.findall(region):
            ref = _REF.search(b" " + attrs)
            if ref:
                row0 = int(ref.group(2)) - 1
                col0 = column_index(ref.group(1).decode())
                scan.errors[(row0, col0)] = value.decode("utf-8", "replace").strip() or "#ERROR"
    if not scan.has_formulas and _FORMULA.search(region):
        scan.has_formulas = True
    bad = _BAD_REF.search(region)
    if bad:
        _refuse_bad_ref(bad.group(1), scan)
    return _NO_REF.search(region) is not None


def _refuse_column(region: bytes, scan: SheetScan, limits: Limits) -> None:
    for letters, digits in _REF.findall(region):
        if column_index(letters.decode()) + 1 > limits.columns:
            ref = (letters + digits).decode()
            raise _too_far(scan.title, ref, limits)
    raise AssertionError("unreachable: a column past the limit was seen")


def _refuse_row(region: bytes, scan: SheetScan, limits: Limits) -> None:
    for letters, digits in _REF.findall(region):
        if int(digits) > limits.rows:
            raise _too_far(scan.title, (letters + digits).decode(), limits)
    raise AssertionError("unreachable: a row past the limit was seen")


def _refuse_bad_ref(ref: bytes, scan: SheetScan) -> None:
    text = ref.decode("utf-8", "replace")[:20]
    raise InputError(
        Issue(
            "error",
            scan.title,
            "",
            f"the file gives a cell the address {text!r}, which is not a cell address: "
            "the workbook is damaged; open it in Excel and save it again",
        )
    )


def _too_far(title: str, ref: str, limits: Limits) -> InputError:
    return InputError(
        Issue(
            "error",
            title,
            ref,
            f"this cell is far outside anything {limits.what} can need: the limit is row "
            f"{limits.rows:,} and column {column_letter(limits.columns - 1)} "
            f"({limits.columns} columns). Delete the cell (or everything beyond the table: "
            "select the rows/columns, Delete, then save) and try again",
        )
    )


def _check_cells(scan: SheetScan, limits: Limits) -> None:
    cells = scan.rows * scan.columns
    if cells > limits.cells:
        ref = f"{column_letter(scan.columns - 1)}{scan.rows}"
        raise InputError(
            Issue(
                "error",
                scan.title,
                ref,
                f"the sheet's used range A1:{ref} holds {cells:,} cells, more than the "
                f"{limits.cells:,} this tool reads from one sheet: delete the cells beyond "
                "the table and save",
            )
        )


def _implicit_positions(zf: zipfile.ZipFile, part: str, scan: SheetScan, limits: Limits) -> None:
    """Slow path for cells written without an `r` address: count them as readers do
    (the next column of the row; a row without `r` is the next row)."""
    row = 0
    col = 0
    carry = b""
    tag = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s>/])([^>]*)>")
    for chunk in _decompressed(zf, part):
        buf = carry + chunk
        cut = buf.rfind(b"<")
        region, carry = buf[:cut], buf[cut:]
        for kind, attrs in tag.findall(region):
            if kind == b"row":
                number = _ROW_NUMBER.search(attrs)
                row = int(number.group(1)) if number else row + 1
                col = 0
                continue
            ref = _REF.search(attrs)
            col = column_index(ref.group(1).decode()) + 1 if ref else col + 1
            if col > limits.columns or row > limits.rows:
                raise _too_far(scan.title, f"{column_letter(col - 1)}{max(row, 1)}", limits)
            scan.columns = max(scan.columns, col)
            scan.rows = max(scan.rows, row)
