"""Streaming the rows of large output tables straight into the saved package.

openpyxl spends ~20 µs per cell creating and serialising it: a plan with 10⁶ cells took
longer to write than to solve. Instead, each Plan_ table sheet is built by openpyxl with
its header, formats, table, widths and print settings plus ONE template data row; after
openpyxl has saved the package, that sheet's `<sheetData>` is rewritten here with every
row of the DataFrame, reusing the style id openpyxl gave each column's template cell.
Everything except the data rows is still openpyxl's own XML.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from forceplan.workbook.cells import column_letter

_SHEET_DATA = re.compile(rb"<sheetData>(.*?)</sheetData>|<sheetData\s*/>", re.S)
_ROW = re.compile(rb"<row\b[^>]*>(.*?)</row>", re.S)
_CELL_STYLE = re.compile(rb'<c r="([A-Z]+)2"(?:[^>]*?\ss="(\d+)")?')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
# characters XML 1.0 cannot hold (openpyxl refuses them too)
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK_ROWS = 2000
#: Rows formatted at a time (a column at a time within them): the cells of a whole L
#: Plan_Constraints sheet held as strings at once took ~0.6 GiB.
_BLOCK_ROWS = 20_000
STREAMED_DEFLATE_LEVEL = 1


def template_value(numeric: bool) -> Any:
    """What openpyxl writes in the template row, so every column gets its style id."""
    return 0 if numeric else "x"


def stream_sheet(xml: bytes, frame: Any, out: BinaryIO) -> None:
    """Write `xml` (an openpyxl worksheet with header + template row) to `out`, with the
    template row replaced by every row of `frame`."""
    match = _SHEET_DATA.search(xml)
    if match is None:
        raise ValueError("worksheet has no sheetData")
    body = match.group(1) or b""
    rows = _ROW.findall(body)
    header = _ROW.search(body)
    styles = (
        {
            m.group(1).decode(): m.group(2).decode() if m.group(2) else None
            for m in _CELL_STYLE.finditer(rows[1])
        }
        if len(rows) > 1
        else {}
    )
    width = len(frame.columns)
    last = f"{column_letter(max(0, width - 1))}{len(frame) + 1}"
    head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>'.encode(), xml[: match.start()], 1)
    out.write(head)
    out.write(b"<sheetData>")
    if header is not None:
        out.write(header.group(0))
    letters = [column_letter(j) for j in range(width)]
    tails: list[dict[str, str]] = [{} for _ in range(width)]  # per column, over the blocks
    for low in range(0, len(frame), _BLOCK_ROWS):
        block = frame.iloc[low : low + _BLOCK_ROWS]
        columns = [
            _column_cells(block.iloc[:, j], letters[j], styles.get(letters[j]), low + 2, tails[j])
            for j in range(width)
        ]
        for chunk in _row_chunks(columns, len(block), low + 2):
            out.write(chunk.encode("utf-8"))
    out.write(b"</sheetData>")
    out.write(xml[match.end() :])


def _row_chunks(columns: list[list[str]], n: int, start: int = 2) -> Iterator[str]:
    parts: list[str] = []
    for r, cells in enumerate(zip(*columns, strict=True), start=start):
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
        if len(parts) >= _CHUNK_ROWS:
            yield "".join(parts)
            parts = []
    if not columns:
        parts = [f'<row r="{r}"></row>' for r in range(start, start + n)]
    if parts:
        yield "".join(parts)


def _column_cells(
    series: Any, letter: str, style: str | None, start: int = 2, tails: dict[str, str] | None = None
) -> list[str]:
    """The `<c>` element of every row of one column (empty string for a blank cell); the
    first is Excel row `start`. `tails`: the escaped text of strings already seen.

    Formatting a column at a time decides the value type once per column for numeric
    columns, which is most of the cells of a plan."""
    import numpy as np

    s = f' s="{style}"' if style else ""
    values = series.to_numpy()
    kind = values.dtype.kind
    if kind == "f":
        finite = np.isfinite(values)
        return [
            f'<c r="{letter}{r}"{s}><v>{_number(v)}</v></c>' if ok else ""
            for r, v, ok in zip(
                range(start, start + len(values)), values.tolist(), finite.tolist(), strict=True
            )
        ]
    if kind in "iu":
        return [
            f'<c r="{letter}{r}"{s}><v>{v}</v></c>'
            for r, v in zip(range(start, start + len(values)), values.tolist(), strict=True)
        ]
    if kind == "b":
        return [
            f'<c r="{letter}{r}"{s} t="b"><v>{int(v)}</v></c>'
            for r, v in zip(range(start, start + len(values)), values.tolist(), strict=True)
        ]
    # text (labels, IDs, cell lists) repeats a lot: escape each distinct string once
    write = _cell_writer(letter, style)
    tails = {} if tails is None else tails
    out = []
    for r, v in zip(range(start, start + len(values)), values, strict=True):
        if type(v) is str:
            tail = tails.get(v)
            if tail is None:
                tail = tails[v] = _text_tail(v)
            out.append(f'<c r="{letter}{r}"{s}{tail}')
        else:
            out.append(write(v, r))
    return out


def written_values(series: Any) -> list[Any]:
    """The value a reader gets back from each cell `_column_cells` writes for `series`
    (None for a blank cell): what `forceplan.provenance` hashes for the run ledger
    without reading the saved file back (tests/test_plan_hash_memory.py compares the two
    on plans and on a table of every kind of value)."""
    values = series.to_numpy()
    kind = values.dtype.kind
    if kind == "f":
        return [v if math.isfinite(v) else None for v in values.tolist()]
    if kind in "iub":
        return values.tolist()
    texts: dict[str, str] = {}  # text repeats a lot: each distinct string cleaned once
    out = []
    for v in values:
        if type(v) is str:
            found = texts.get(v)
            if found is None:
                found = texts[v] = _text_read_back(v)
            out.append(found)
        else:
            out.append(_read_back(v))
    return out


def _text_read_back(text: str) -> str:
    """`_text_tail`'s text as an XML reader returns it: without the characters XML cannot
    hold, and with its line ends normalised to \n (XML 1.0 §2.11)."""
    return ILLEGAL_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def _read_back(value: Any) -> Any:
    """`_cell_writer` and `_text_tail`'s cell, as read back (see written_values)."""
    if type(value) is str:
        return _text_read_back(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value if not isinstance(value, float) or math.isfinite(value) else None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return _read_back(value.item())
    return _text_read_back(str(value))


def _text_tail(value: str) -> str:
    """Everything of a text cell's XML after its reference and style: an inline string,
    never a formula, whatever it starts with."""
    text = escape(ILLEGAL_XML.sub("", value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell_writer(letter: str, style: str | None) -> Callable[[Any, int], str]:
    s = f' s="{style}"' if style else ""

    def write(value: Any, row: int) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return f'<c r="{letter}{row}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                return ""  # nan (blank) and inf (unbounded) are empty cells
            return f'<c r="{letter}{row}"{s}><v>{_number(value)}</v></c>'
        if type(value).__name__ in ("NAType", "NaTType"):
            return ""
        if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
            return write(value.item(), row)
        return f'<c r="{letter}{row}"{s}{_text_tail(str(value))}'

    return write


def _number(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    value = float(value)  # np.float64 would repr as "np.float64(1.5)" under numpy 2
    return repr(value) if value != int(value) or abs(value) >= 1e16 else str(int(value))


def rewrite_package(
    source: zipfile.ZipFile,
    out: zipfile.ZipFile,
    transforms: dict[str, Callable[[bytes, BinaryIO], None]],
) -> None:
    """Copy every part of `source` to `out`, passing the parts named in `transforms`
    through them (each writes the new part to the stream it is given)."""
    for info in source.infolist():
        data = source.read(info.filename)
        transform = transforms.get(info.filename)
        if transform is None:
            out.writestr(info, data)
            continue
        target = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        target.compress_type = zipfile.ZIP_DEFLATED
        # level 1 deflates the streamed tables ~4x faster than the default 6, for a file
        # ~1.3x larger (bench/RESULTS.md); ZipInfo has no public setter before Python 3.13
        target._compresslevel = STREAMED_DEFLATE_LEVEL
        with out.open(target, "w", force_zip64=True) as stream:
            transform(data, stream)
