"""The plan workbook: the input workbook's sheets, plus the `Plan_` sheets of MODEL.md §6.

The input file is never modified. It is loaded with openpyxl (values, formulas, styles,
comments, widths, data validation, defined names, print settings), its old `Plan_` sheets
are dropped and the new ones appended: `Plan_Summary` first, `Plan_Charts`, the tables,
`Plan_Run` last. The result is saved atomically under a different name (a temporary file
in the target folder, then a rename), so a failed or killed write leaves the previous file
as it was.

- Text is always written as text: a name such as `=HYPERLINK(...)` copied from the inputs
  never becomes a formula in the output.
- Every `Plan_` table keeps its header in row 1 (MODEL.md §1: other tools read these
  sheets as plain tables). It is a formatted Excel table (filters, banded rows) with number
  formats, a frozen header and column widths; the classification is printed in the page
  header and footer of every `Plan_` sheet and as the first row of the free-layout sheets
  (`Plan_Summary`, `Plan_Charts`).
- openpyxl writes formulas without their calculated values. The values stored in the input
  file are put back into the copied formula cells, so the plan workbook can be read (and
  solved again) without first being opened in a spreadsheet program.
- What openpyxl cannot carry (pictures, shapes, form controls, slicers, sparklines,
  Excel 2010 conditional formats, macros ...) is found by looking inside the input package
  and reported: as warnings, and as `lost_feature` rows on `Plan_Run`.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from forceplan import output_schema, schema
from forceplan.errors import ForceplanError, Issue
from forceplan.workbook.atomic import OutputTarget, Written, write_output
from forceplan.workbook.charts import add_charts_sheet
from forceplan.workbook.styles import (
    FMT_COUNT,
    FMT_YEAR,
    HEADER_FILL,
    banner,
    font,
    output_sheet,
    print_setup,
    set_cell,
)
from forceplan.workbook.tables import sheet_money_unit, table_sheet

MAX_SHEET_NAME = 31


# --- output path checks ----------------------------------------------------------------


def default_output(input_path: Path) -> Path:
    """`army.xlsx` -> `army.plan.xlsx`; `army.plan.xlsx` (a plan solved again) and
    `army.plan-2.xlsx` -> `army.plan.xlsx` too, which the output policy then moves to the
    next free name (never the input itself)."""
    stem = re.sub(r"\.plan(?:-\d+)?$", "", input_path.stem)
    return input_path.with_name(f"{stem}.plan.xlsx")


def plan_target(input_path: Path, output: Path | None, force: bool) -> OutputTarget:
    """The plan workbook's place under the output policy (forceplan.workbook.atomic)."""
    return OutputTarget(
        output or default_output(input_path),
        force=force,
        explicit=output is not None,
        inputs=(input_path,),
    )


def check_output_path(input_path: Path, output: Path, force: bool) -> None:
    """Refuse, before solving, what the plan could not be written to (see plan_target)."""
    plan_target(input_path, output, force).check()


# --- the plan workbook -----------------------------------------------------------------


@dataclass
class ChartInputs:
    """What the charts need beyond the Plan_ tables."""

    end_strength_band: dict[int, Any] | None = None  # year -> (min_total, max_total)
    unit_prices: dict[str, float] | None = None  # equipment -> unit price (ranks items)
    reserve_classes: set[tuple[str, str]] | None = None  # not counted in the total (§8.4)


@dataclass
class InputScan:
    """What is read from the input package before it is copied: the features the copy
    loses and the formula results stored in it."""

    lost: list[Issue]
    cached: dict[str, dict[str, tuple[str, str]]]


def scan_input(input_path: Path) -> InputScan:
    """Scan the input package and import openpyxl. Nothing here depends on the solution
    or touches process-wide state, so `forceplan.pipeline` runs it in a thread while
    HiGHS solves (HiGHS releases the GIL). Loading the workbook itself stays in the main
    thread: it records openpyxl's warnings, and `warnings.catch_warnings` is process-wide.
    """
    import openpyxl.reader.excel  # noqa: F401  (the import is most of the time saved)

    return InputScan(lost_features(input_path), formula_results(input_path))


def _load_for_copy(input_path: Path, scan: InputScan) -> tuple[Any, list[Issue]]:
    """The input as an openpyxl workbook without its old Plan_ sheets, and every loss."""
    from openpyxl import load_workbook

    lost = list(scan.lost)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = load_workbook(input_path, rich_text=True)
    lost += _openpyxl_losses(caught, lost)
    for name in list(book.sheetnames):
        if schema.is_output_sheet(name):
            del book[name]
    return book, lost


def write_plan(
    input_path: Path,
    output: Path,
    sheets: dict[str, Any],
    summary_rows: list[tuple[str, Any]],
    run_rows: list[tuple[str, Any]],
    classification: str,
    *,
    charts: ChartInputs | None = None,
    backup: bool = False,
    scan: InputScan | None = None,
    target: OutputTarget | None = None,
    written: list[Written] | None = None,
    basis: Any = None,
    plan_hashes: dict[str, Any] | None = None,
) -> list[Issue]:
    """Save the inputs plus the Plan_ sheets (`sheets`: name -> DataFrame) to `output`.

    `scan`: the input package already scanned by `scan_input` (e.g. while HiGHS solved).
    `target`: where to write under the output policy (default: `output`, replaced only
    with `backup`, after copying it). What was written (path, SHA-256) is appended to
    `written`. `basis`: the solve's `forceplan.model.warm.Basis`, kept in a hidden sheet
    (MODEL.md §8.9). `plan_hashes`: filled with `forceplan.provenance.plan_sheet_hashes`'
    entries of the streamed table sheets, computed from the values written (the run
    ledger then reads only the other Plan_ sheets back). Returns warnings: features of
    the input that the copy loses, and the backup made of a file that was replaced.
    """
    notes: list[Issue] = []
    scan = scan if scan is not None else scan_input(input_path)
    book, lost = _load_for_copy(input_path, scan)
    cached = scan.cached
    taken = _names_in_use(book)
    for ws in book.worksheets:  # the copied input sheets
        print_setup(ws, classification)
    currency = str(next((r[1] for r in summary_rows if r and r[0] == "currency"), "") or "")
    charts = charts or ChartInputs()
    grid = budget_grid(sheets)
    names = list(sheets)
    if grid is not None and "Plan_Budget" in names:
        names.insert(names.index("Plan_Budget") + 1, "Plan_BudgetGrid")
    summary = _summary_sheet(
        book, summary_rows, classification, names, sheets, charts.end_strength_band
    )
    add_charts_sheet(book, sheets, classification, charts)
    streamed: dict[str, Any] = {}  # sheet -> frame whose rows are written by fastrows
    for name, frame in sheets.items():
        check_registered(name, frame.columns)
        table_sheet(book, name, frame, classification, taken, deferred=streamed, currency=currency)
        if name == "Plan_Budget" and grid is not None:
            _grid_sheet(book, grid, classification, taken, currency)
    run_rows = [*run_rows, *(("lost_feature", i.where + ": " + i.message) for i in lost)]
    run_frame = _key_value_frame(run_rows, classification)
    check_registered("Plan_Run", run_frame.columns)
    run_sheet = table_sheet(book, "Plan_Run", run_frame, classification, taken)
    _format_run_values(run_sheet)
    if basis is not None:
        from forceplan.workbook.basis_sheet import add_basis_sheet

        add_basis_sheet(book, basis, classification)
    _finish_book(book, summary)
    target = target or OutputTarget(output, force=backup, inputs=(input_path,))
    done = write_output(target, lambda fh: save_book(book, fh, cached, streamed))
    if written is not None:
        written.append(done)
    if plan_hashes is not None:
        plan_hashes.update(_streamed_hashes(book, streamed))
    if done.backup is not None:
        notes.append(
            Issue(
                "warning",
                "",
                str(done.path),
                f"the existing file was copied to {done.backup.name} before being replaced",
            )
        )
    return lost + notes


def _streamed_hashes(book: Any, streamed: dict[str, Any]) -> dict[str, Any]:
    """plan_sheet_hashes' entries of the sheets whose rows `save_book` streamed, from the
    header openpyxl wrote and the values fastrows wrote (no read-back)."""
    from forceplan.provenance import plan_table_hash
    from forceplan.workbook.fastrows import written_values

    out = {}
    for title, frame in streamed.items():
        header = [cell.value for cell in book[title][1]]
        columns = [written_values(frame.iloc[:, j]) for j in range(frame.shape[1])]
        out[title] = plan_table_hash(title, header, columns)
    return out


def save_book(
    book: Any,
    fh: IO[bytes],
    cached: dict[str, dict[str, tuple[str, str]]],
    streamed: dict[str, Any] | None = None,
) -> None:
    """Save `book` to `fh`, putting the stored formula results of `cached` back and
    streaming the data rows of the `streamed` sheets (see fastrows)."""
    from forceplan.workbook.fastrows import rewrite_package, stream_sheet

    buffer = io.BytesIO()
    book.save(buffer)
    if not cached and not streamed:
        fh.write(buffer.getbuffer())
        return
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out:
        parts = _sheet_parts(src)
        transforms: dict[str, Any] = {}
        for title, values in cached.items():
            if title in parts:
                transforms[parts[title]] = lambda data, stream, v=values: stream.write(
                    _put_formula_results(data, v)
                )
        for title, frame in (streamed or {}).items():
            transforms[parts[title]] = lambda data, stream, f=frame: stream_sheet(data, f, stream)
        rewrite_package(src, out, transforms)


def _finish_book(book: Any, summary: Any) -> None:
    """Open on Plan_Summary, with a single selected tab; check the sheet names."""
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws is summary
    book.active = book.worksheets.index(summary)
    for title in book.sheetnames:
        if len(title) > MAX_SHEET_NAME:
            raise ForceplanError(
                f"sheet name {title!r} is longer than Excel's {MAX_SHEET_NAME} characters"
            )


def _names_in_use(book: Any) -> set[str]:
    """Table and defined names already in the workbook (table names must be unique)."""
    taken = {name.lower() for name in book.defined_names}
    for ws in book.worksheets:
        taken |= {name.lower() for name in ws.tables}
        taken |= {name.lower() for name in ws.defined_names}
    return taken


# --- cell writing ----------------------------------------------------------------------


def _format_run_values(ws: Any) -> None:
    """Plan_Run values are of many kinds: big numbers get separators, small ones stay."""
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        value = cell.value
        if isinstance(value, float | int) and not isinstance(value, bool):
            key = ws.cell(row=cell.row, column=1).value
            if abs(value) >= 1000 and not str(key).endswith("year"):
                cell.number_format = "#,##0.00"


def _key_value_frame(rows: Iterable[tuple[str, Any]], classification: str) -> Any:
    import pandas as pd

    data = [("classification", classification), *rows]
    frame = pd.DataFrame({"key": [k for k, _ in data], "value": [v for _, v in data]})
    return frame.astype(object)


def _summary_sheet(
    book: Any,
    rows: list[tuple[Any, ...]],
    classification: str,
    tables: list[str],
    sheets: dict[str, Any] | None = None,
    band: dict[int, Any] | None = None,
) -> Any:
    """Plan_Summary (free layout): banner, headline figures (figure, value, unit), the
    year-by-year figures as numbers, then a list of the sheets."""
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from forceplan.fmt import excel_money_format

    ws = output_sheet(book, "Plan_Summary", classification)
    banner(ws, classification, 6)
    bold = font(book, bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)

    def header(row: int, names: Iterable[str]) -> None:
        for j, text in enumerate(names, start=1):
            cell = ws.cell(row=row, column=j)
            set_cell(cell, text)
            cell.font, cell.fill = bold, fill

    title = next((r[1] for r in rows if r[0] == "title"), None) or "Force plan"
    set_cell(ws.cell(row=2, column=1), title)
    ws.cell(row=2, column=1).font = font(book, bold=True, size=14)
    row = 4
    header(row, ("figure", "value", "unit"))
    for key, value, *unit in rows:
        row += 1
        set_cell(ws.cell(row=row, column=1), key)
        cell = ws.cell(row=row, column=2)
        set_cell(cell, value)
        if unit:
            set_cell(ws.cell(row=row, column=3), unit[0])
        if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
            money = bool(unit) and str(unit[0]).split(",")[0] not in ("", "capability points")
            money = money and not str(unit[0]).startswith("rows")
            if money and abs(cell.value) >= 1e9:
                cell.number_format = excel_money_format("bn")
            elif abs(cell.value) >= 1000 or float(cell.value).is_integer():
                cell.number_format = FMT_COUNT
            else:
                cell.number_format = "#,##0.00"
    row = _summary_years(ws, row + 2, sheets or {}, band or {}, header)
    row += 2
    set_cell(ws.cell(row=row, column=1), "Sheets of this plan")
    ws.cell(row=row, column=1).font = bold
    names = ["Plan_Charts", *tables, "Plan_Run"]
    for name in names:
        row += 1
        cell = ws.cell(row=row, column=1)
        set_cell(cell, name)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{name}'!A1")
        cell.font = font(book, color="0563C1", underline="single")
        set_cell(ws.cell(row=row, column=2), _sheet_help(name))
    for letter, width in zip("ABCDEF", (24, 20, 14, 14, 16, 18), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToHeight = 1  # the summary is one printed page
    return ws


def _summary_years(
    ws: Any, row: int, sheets: dict[str, Any], band: dict[int, Any], header: Any
) -> int:
    """The year-by-year block of Plan_Summary; returns its last row."""
    from forceplan.fmt import excel_money_format

    personnel, budget = sheets.get("Plan_Personnel"), sheets.get("Plan_Budget")
    if personnel is None or not len(personnel):
        return row
    strength = personnel.groupby("year")["strength"].sum()
    spend = budget.groupby("year")["spend"].sum() if budget is not None else None
    funding = sheets.get("Plan_Funding")
    available = (
        funding.groupby("year")["available"].sum() if funding is not None and len(funding) else None
    )
    set_cell(ws.cell(row=row, column=1), "Year by year")
    ws.cell(row=row, column=1).font = font(ws.parent, bold=True)
    row += 1
    names = ["year", "strength", "min_total", "max_total", "spend", "funding available"]
    header(row, names)
    unit = "mn" if spend is not None and float(spend.abs().max()) >= 1e6 else ""
    money = excel_money_format(unit)
    formats = [FMT_YEAR, FMT_COUNT, FMT_COUNT, FMT_COUNT, money, money]
    for year, value in strength.items():
        row += 1
        lo, hi = [*band.get(int(year), ()), None, None][:2]
        values = [
            int(year),
            float(value),
            lo,
            hi,
            None if spend is None else float(spend.get(year, 0.0)),
            None if available is None else float(available.get(year, 0.0)),
        ]
        for j, (v, fmt) in enumerate(zip(values, formats, strict=True), start=1):
            cell = ws.cell(row=row, column=j)
            set_cell(cell, v)
            cell.number_format = fmt
    return row


def budget_grid(tables: dict[str, Any]) -> Any:
    """Plan_BudgetGrid: one row per budget line, one column per year, then a total column;
    a total row and the funding available (when there is a Funding sheet)."""
    import pandas as pd

    budget = tables.get("Plan_Budget")
    if budget is None or not len(budget):
        return None
    grid = budget.pivot_table(
        index="line", columns="year", values="spend", aggfunc="sum", sort=False
    )
    grid = grid.reindex(columns=sorted(grid.columns))
    grid.columns = [str(int(y)) for y in grid.columns]
    grid["total"] = grid.sum(axis=1)
    grid.loc["total spending"] = grid.sum(axis=0)
    funding = tables.get("Plan_Funding")
    if funding is not None and len(funding):
        available = funding.groupby("year")["available"].sum()
        row = {str(int(y)): float(v) for y, v in available.items()}
        row["total"] = float(available.sum())
        grid.loc["funding available"] = pd.Series(row)
    grid = grid.reset_index().rename(columns={"index": "line"})
    grid.columns = ["line", *grid.columns[1:]]
    return grid


def _grid_sheet(book: Any, grid: Any, classification: str, taken: set[str], currency: str) -> Any:
    """Write Plan_BudgetGrid: money in mn (the cells hold exact amounts), bold totals."""
    from openpyxl.comments import Comment

    check_registered("Plan_BudgetGrid", grid.columns)
    ws = table_sheet(book, "Plan_BudgetGrid", grid, classification, taken)
    bold = font(book, bold=True)
    for r in range(2, len(grid) + 2):
        if ws.cell(row=r, column=1).value in ("total spending", "funding available"):
            for c in range(1, len(grid.columns) + 1):
                ws.cell(row=r, column=c).font = bold
    unit = "millions (mn)" if sheet_money_unit("Plan_BudgetGrid", grid) else "currency units"
    ws["A1"].comment = Comment(
        f"Spending by budget line (rows) and year (columns), undiscounted, in {currency}, "
        f"shown in {unit}; the cells hold the exact amounts. The same figures as "
        "Plan_Budget, laid out for reading and printing.",
        "forceplan",
    )
    return ws


def check_registered(sheet: str, columns: Iterable[Any]) -> None:
    """Refuse a Plan_ table with a sheet or column the output registry does not declare."""
    found = output_schema.sheet(sheet)
    unknown = [str(c) for c in columns if found is None or found.column(str(c)) is None]
    if found is None or found.layout != "table" or unknown:
        raise output_schema.UnregisteredOutput(
            f"{sheet}: not declared in forceplan/output_schema.py"
            + (f" (columns {', '.join(unknown)})" if found is not None else "")
        )


def _sheet_help(name: str) -> str:
    found = output_schema.sheet(name)
    return "" if found is None else found.help


# --- stored formula results ------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# a formula cell as openpyxl writes it: <c r="B2" s="3"><f>12*30000</f><v /></c>
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>'
    rb"(<f(?:\s[^>]*)?>[^<]*</f>|<f\s[^>]*/>)"
    rb"(?:<v\s*/>|<v></v>)</c>"
)
_TYPE_ATTR = re.compile(rb'\st="[^"]*"')


def formula_results(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """Sheet title -> cell -> (type, stored text) of every formula with a stored result.

    Only input sheets (not Plan_ sheets) are scanned, and only those holding formulas.
    """
    from defusedxml import ElementTree

    found: dict[str, dict[str, tuple[str, str]]] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        for title, part in _sheet_parts(zf).items():
            if schema.is_output_sheet(title) or part not in names:
                continue
            with zf.open(part) as fh:
                if b"<f" not in fh.read():
                    continue
            values: dict[str, tuple[str, str]] = {}
            with zf.open(part) as fh:
                for _event, elem in ElementTree.iterparse(fh, events=("end",)):
                    if elem.tag != f"{_MAIN}c":
                        continue
                    if elem.find(f"{_MAIN}f") is not None:
                        v = elem.find(f"{_MAIN}v")
                        if v is not None and v.text not in (None, ""):
                            values[elem.get("r", "")] = (elem.get("t", "n"), v.text)
                    elem.clear()
            if values:
                found[title] = values
    return found


def _put_formula_results(xml: bytes, values: dict[str, tuple[str, str]]) -> bytes:
    def fill(match: re.Match[bytes]) -> bytes:
        ref = match.group(1).decode()
        if ref not in values:
            return match.group(0)
        kind, text = values[ref]
        attrs = _TYPE_ATTR.sub(b"", match.group(2))
        if kind in ("str", "b", "e"):
            attrs += f' t="{kind}"'.encode()
        body = escape(text).encode("utf-8")
        return b'<c r="%s"%s>%s<v>%s</v></c>' % (match.group(1), attrs, match.group(3), body)

    return _FORMULA_CELL.sub(fill, xml)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet title -> zip part name, from workbook.xml and its relationships."""
    from defusedxml import ElementTree

    targets = _rels(zf, "xl/workbook.xml", ElementTree)
    root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    parts = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        rel = targets.get(sheet.get(f"{_REL}id", ""))
        if rel is not None:
            parts[sheet.get("name", "")] = rel[1]
    return parts


def _rels(zf: zipfile.ZipFile, part: str, et: Any) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of `part` (empty if it has none)."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in zf.namelist():
        return {}
    root = et.fromstring(zf.read(rels_part))
    out = {}
    for rel in root.iter(f"{_PKG}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            resolved = target
        elif target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], resolved)
    return out


# --- what the copy loses ---------------------------------------------------------------

_DROPPED = "dropped from the plan workbook (openpyxl cannot copy it); the input file keeps it"
_REDRAWN = "re-created by openpyxl: data and chart type kept, some formatting may differ"
_PIVOT = "copied by openpyxl, which does not fully support pivot tables: check and refresh it"

# sheet XML markers of Excel 2010+ extensions openpyxl drops
_SHEET_EXTENSIONS = (
    (
        b"x14:conditionalFormatting",
        "conditional formatting with Excel 2010+ rules "
        "(data bars, icon sets or rules referring to other sheets)",
    ),
    (b"x14:sparklineGroup", "sparklines"),
    (b"x14:dataValidation", "data validation lists referring to other sheets (Excel 2010+ form)"),
    (b"x14:slicerList", "slicers"),
    (b"x15:timelineRefs", "timelines"),
)
_WORKBOOK_PARTS = (
    ("xl/vbaProject.bin", "macros (VBA project; a .xlsx plan cannot hold them)"),
    ("xl/connections.xml", "data connections"),
    ("xl/queryTables/", "query tables (Power Query / external data)"),
    ("xl/model/", "the data model (Power Pivot)"),
    ("xl/slicerCaches/", "slicers"),
    ("xl/timelineCaches/", "timelines"),
    ("customXml/", "custom XML parts"),
)
# openpyxl warnings on load that mean something is dropped
_OPENPYXL_LOSS = re.compile(r"will be (removed|lost|discarded|ignored)|being dropped|cannot be")


def lost_features(path: Path) -> list[Issue]:
    """Features of the input workbook the plan workbook will not carry (or only partly).

    Looks inside the package: drawings (pictures, shapes, charts), form controls, pivot
    tables, slicers, threaded comments, Excel 2010+ extensions in the sheets, macros and
    workbook-level parts. Plan_ sheets are skipped: they are replaced anyway.
    """
    from defusedxml import ElementTree

    issues: list[Issue] = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        name_set = set(names)
        for title, part in _sheet_parts(zf).items():
            if schema.is_output_sheet(title) or part not in name_set:
                continue
            for kind, target in _rels(zf, part, ElementTree).values():
                for what in _related_losses(zf, kind, target, name_set):
                    issues.append(Issue("warning", title, "", what))
            data = zf.read(part)
            for marker, what in _SHEET_EXTENSIONS:
                if marker in data:
                    issues.append(Issue("warning", title, "", f"{what}: {_DROPPED}"))
        reported = " ".join(i.message for i in issues)
        for prefix, what in _WORKBOOK_PARTS:
            if what.split(" (")[0] in reported:
                continue  # slicers, timelines: already named with their sheet
            if any(n == prefix or (prefix.endswith("/") and n.startswith(prefix)) for n in names):
                issues.append(Issue("warning", "", "", f"{what}: {_DROPPED}"))
    return _dedupe(issues)


def _related_losses(zf: zipfile.ZipFile, kind: str, target: str, names: set[str]) -> list[str]:
    if kind == "drawing" and target in names:
        return _drawing_losses(zf.read(target))
    if kind == "ctrlProp":
        return [f"form controls (buttons, check boxes, drop-downs): {_DROPPED}"]
    if kind == "pivotTable":
        return [f"a pivot table: {_PIVOT}"]
    if kind in ("slicer", "timeline"):
        return [f"{kind}s: {_DROPPED}"]
    if kind == "threadedComment":
        return [
            "threaded comments: copied as plain notes; replies and their authors are "
            "dropped (the input file keeps them)"
        ]
    if kind == "image":
        return [f"a sheet background picture: {_DROPPED}"]
    return []


def _drawing_losses(xml: bytes) -> list[str]:
    """Charts, pictures and shapes anchored on one sheet."""
    from openpyxl.drawing.image import PILImage

    charts = len(re.findall(rb"<(?:\w+:)?chart\s[^>]*:id=", xml))
    pictures = len(re.findall(rb"<(?:\w+:)?pic[\s>]", xml))
    shapes = len(re.findall(rb"<(?:\w+:)?(?:sp|cxnSp)[\s>]", xml))
    other = len(re.findall(rb"<(?:\w+:)?graphicFrame[\s>]", xml)) - charts
    out = []
    if charts:
        out.append(f"{_count(charts, 'chart')}: {_REDRAWN}")
    if pictures and not PILImage:
        out.append(f"{_count(pictures, 'picture')}: {_DROPPED} (install Pillow to keep them)")
    if shapes:
        out.append(f"{_count(shapes, 'shape')} (text boxes, arrows, drawings): {_DROPPED}")
    if other > 0:
        out.append(f"{_count(other, 'drawing object')} (SmartArt, slicers, ink): {_DROPPED}")
    return out


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


def _openpyxl_losses(caught: list[Any], found: list[Issue]) -> list[Issue]:
    """openpyxl's own warnings about dropped content not already reported."""
    known = " ".join(i.message for i in found).lower()
    out = []
    for w in caught:
        text = str(w.message)
        if not _OPENPYXL_LOSS.search(text):
            continue
        lowered = text.lower()
        if (
            ("conditional formatting" in lowered and "conditional formatting" in known)
            or ("data validation" in lowered and "data validation" in known)
            or ("sparkline" in lowered and "sparkline" in known)
            or ("slicer" in lowered and "slicer" in known)
            or ("drawingml" in lowered and "shape" in known)
        ):
            continue
        out.append(Issue("warning", "", "", f"openpyxl: {text.splitlines()[0]}"))
    return out


def _dedupe(issues: list[Issue]) -> list[Issue]:
    seen, out = set(), []
    for issue in issues:
        key = (issue.sheet, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out
