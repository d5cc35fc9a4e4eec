"""How forceplan's output sheets look: number formats, colours, fonts, the classification
banner and page setup, and writing one cell safely.

Shared by the plan workbook (`write`, `tables`, `charts`, `basis_sheet`) and the other
workbooks forceplan writes (`compare`, `sweep`); it imports none of them, so they all
import it and not each other.
"""

from __future__ import annotations

import math
from typing import Any

from forceplan import schema
from forceplan.errors import ForceplanError
from forceplan.fmt import excel_money_format
from forceplan.output_schema import KIND_FORMAT
from forceplan.workbook.fastrows import ILLEGAL_XML

#: Tab colour of every output sheet (input sheets keep their own).
OUTPUT_TAB_COLOR = "1F4E79"
#: Excel table style of the Plan_ tables.
TABLE_STYLE = "TableStyleMedium2"

# Number formats: those of the output registry's kinds, named for free-layout cells.
FMT_COUNT = KIND_FORMAT["count"]  # persons, equipment: thousands separators
FMT_UNITS = KIND_FORMAT["units"]  # unit counts: fractions of a unit matter
FMT_MONEY = excel_money_format("")  # money in the workbook's currency units
FMT_SHARE = KIND_FORMAT["share"]
FMT_YEAR = KIND_FORMAT["year"]
FMT_PLAIN = "General"
FMT_PRICE = KIND_FORMAT["price"]  # prices and their ranges: whole money and small prices

HEADER_FILL = "DDEBF7"
BANNER_FILL = "1F4E79"


def set_cell(cell: Any, value: Any) -> None:
    """Write a value; text stays text (no formula injection), inf/nan/NA become blank."""
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return
        cell.value = value
    elif isinstance(value, int):
        cell.value = value
    elif type(value).__name__ in ("NAType", "NaTType"):
        return
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        set_cell(cell, value.item())
    else:
        cell.value = ILLEGAL_XML.sub("", str(value))  # control characters XML cannot hold
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
        part.center.text = _header_text(classification)
        part.center.font = "Arial,Bold"
    for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        part.left.text = "&A"  # sheet name
    for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        part.right.text = "Page &P of &N"


def print_setup(ws: Any, classification: str) -> None:
    """Print settings for a sheet that has none (input sheets copied into the plan): one
    page wide, header row repeated on every page, the classification in the header and
    footer, landscape when the sheet is wide. A sheet the user set up to print (fit to
    page, a print area or repeated rows) keeps its own settings."""
    from openpyxl.utils import get_column_letter

    props = ws.sheet_properties.pageSetUpPr
    own = (props is not None and props.fitToPage) or ws.print_area or ws.print_title_rows
    if not ws.oddHeader.center.text and not ws.oddFooter.center.text:
        _mark_classification(ws, classification)
    if own:
        return
    ws.page_setup.orientation = orientation(ws)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.max_row > 1 and _has_header(ws):
        ws.print_title_rows = "1:1"
        if not ws.auto_filter.ref and not ws.tables:
            last = get_column_letter(ws.max_column)
            ws.auto_filter.ref = f"A1:{last}{ws.max_row}"


#: Widest sheet (in characters) printed portrait. Fitted to the page width, a portrait
#: page holds more rows than a landscape one (fewer pages), down to a font scale of about
#: 70 %; wider sheets print landscape so the text stays readable.
PORTRAIT_MAX_CHARS = 140


def orientation(ws: Any) -> str:
    from openpyxl.utils import get_column_letter

    width = sum(
        (ws.column_dimensions[get_column_letter(j)].width or 9.0)
        for j in range(1, max(1, ws.max_column) + 1)
    )
    return "portrait" if width <= PORTRAIT_MAX_CHARS else "landscape"


def _has_header(ws: Any) -> bool:
    """Row 1 is a table header: text in every used cell and a contract sheet's shape."""
    if ws.title not in {sheet.name for sheet in schema.SHEETS}:
        return False
    return all(isinstance(c.value, str) for c in ws[1] if c.value is not None)


def _header_text(text: str) -> str:
    """Header/footer text: `&` starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")[:200]


def output_sheet(book: Any, name: str, classification: str, index: int | None = None) -> Any:
    """A new output sheet: forceplan's tab colour, the classification on every printed page,
    printed one page wide (landscape until `orientation` knows its widths)."""
    ws = book.create_sheet(name, index)
    if ws.title != name:
        raise ForceplanError(
            f"the workbook has a sheet named like {name!r} (sheet names ignore case): "
            "rename it, since Plan_ sheets are written by forceplan"
        )
    ws.sheet_properties.tabColor = OUTPUT_TAB_COLOR
    _mark_classification(ws, classification)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def banner(ws: Any, classification: str, width: int) -> None:
    """The classification as the first row of a free-layout output sheet."""
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor=BANNER_FILL)
    for col in range(1, width + 1):
        cell = ws.cell(row=1, column=col)
        cell.fill = fill
    first = ws.cell(row=1, column=1)
    set_cell(first, classification)
    first.font = font(ws.parent, bold=True, color="FFFFFF", size=12)
    first.alignment = Alignment(horizontal="left")


def font(book: Any, **changes: Any) -> Any:
    """The workbook's default font (its Normal style) with `changes`, e.g. bold=True."""
    from copy import copy

    from openpyxl.styles import DEFAULT_FONT

    try:
        base = book._fonts[0]  # the font of the Normal style
    except (AttributeError, IndexError):
        base = DEFAULT_FONT
    new = copy(base)
    for key, value in changes.items():
        setattr(new, key, value)
    return new
