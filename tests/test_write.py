"""The plan workbook: formatting, charts, nothing lost and nothing injected, safe writes.

Every test solves (or writes) a real workbook and opens the result with openpyxl, the way
a planner's Excel would see it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from copy import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from wb import add_row, minimal_sheets, set_value, write_workbook

from forceplan import schema
from forceplan.errors import ForceplanError, InputError
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.provenance import content_hash, file_sha256
from forceplan.workbook import styles
from forceplan.workbook import write as writer
from forceplan.workbook.load import load_workbook as load_inputs
from forceplan.workbook.template import write_template
from forceplan.workbook.write import lost_features, write_plan

INJECTION = '=HYPERLINK("http://x","y")'
ROOT = Path(__file__).resolve().parents[1]


# --- helpers ---------------------------------------------------------------------------


def text_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Like wb.write_workbook, but a string starting with '=' is stored as text."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


def store_formula_result(path: Path, sheet: str, ref: str, value: str) -> None:
    """Put a calculated value into a formula cell written by openpyxl (as Excel would)."""
    with zipfile.ZipFile(path) as zf:
        part = writer._sheet_parts(zf)[sheet]
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    # openpyxl writes an empty result as <v/> or, with lxml, as <v></v>
    pattern = re.compile(rb'(<c r="' + ref.encode() + rb'"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == part:
                data, n = pattern.subn(rb"\1<v>" + value.encode() + rb"</v>", data)
                assert n == 1, f"no formula in {sheet}!{ref}"
            out.writestr(info, data)


def rich_workbook(path: Path) -> Path:
    """The minimal workbook dressed like a budget office's: styles, comments, widths,
    validation, conditional formats, a formula with its stored value, notes sheets."""
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    write_workbook(path, minimal_sheets())
    book = openpyxl.load_workbook(path)
    about = book.create_sheet("About", 0)
    about["A1"] = "Budget office copy"
    about["A1"].font = Font(bold=True, size=16, color="C00000")
    about.merge_cells("A3:D3")
    about["A3"] = "merged note"
    about["A4"] = "link"
    about["A4"].hyperlink = "https://example.org/guide"
    about["A5"] = 45678.25
    about["A5"].number_format = "yyyy-mm-dd"
    about.sheet_properties.tabColor = "00B050"
    ws = book["Personnel"]
    ws["E2"] = "=12*2500"  # 30000, the value minimal_sheets() has there
    for cell in ws[1]:
        cell.font = Font(bold=True, name="Arial")
        cell.fill = PatternFill("solid", fgColor="F8CBAD")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    ws["A1"].border = Border(bottom=Side(style="thick", color="000000"))
    for row in range(2, 6):
        ws[f"C{row}"].number_format = "#,##0"
        ws[f"D{row}"].number_format = "0.0%"
        ws[f"E{row}"].number_format = '#,##0 "UAH"'
    ws["C1"].comment = Comment("headcount at the base state", "budget office")
    ws.column_dimensions["A"].width = 21.5
    ws.column_dimensions["I"].width = 30
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "C2"
    dv = DataValidation(type="list", formula1='"enlisted,officer"', allow_blank=True)
    dv.add("B2:B200")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add(
        "C2:C5",
        CellIsRule(
            operator="lessThan", formula=["100"], fill=PatternFill("solid", fgColor="FFC7CE")
        ),
    )
    book.defined_names["horizon_start"] = DefinedName("horizon_start", attr_text="Settings!$B$2")
    notes = book.create_sheet("Notes")
    notes["A1"] = "our own notes"
    notes.sheet_state = "hidden"
    book.save(path)
    store_formula_result(path, "Personnel", "E2", "30000")
    return path


def solve(path: Path, out: Path, **options: Any):
    return run_solve(SolveRequest(path, output=out, **options))


def assert_cells_survive(src_path: Path, dst_path: Path) -> int:
    """Every cell of every sheet of `src_path` is in `dst_path` unchanged; returns the count."""
    src, dst = openpyxl.load_workbook(src_path), openpyxl.load_workbook(dst_path)
    src_values = openpyxl.load_workbook(src_path, data_only=True)
    dst_values = openpyxl.load_workbook(dst_path, data_only=True)
    inputs = [n for n in src.sheetnames if not schema.is_output_sheet(n)]
    assert [n for n in dst.sheetnames if not schema.is_output_sheet(n)] == inputs
    checked = 0
    for name in inputs:
        a, b = src[name], dst[name]
        for row in a.iter_rows():
            for c in row:
                d = b[c.coordinate]
                where = f"{name}!{c.coordinate}"
                if c.value is None:  # an empty cell (some writers mark it as text)
                    assert d.value is None, where
                else:
                    assert (d.value, d.data_type) == (c.value, c.data_type), where
                assert src_values[name][c.coordinate].value == (
                    dst_values[name][c.coordinate].value
                ), f"{where}: stored formula result"
                assert d.number_format == c.number_format, where
                assert copy(d.font) == copy(c.font), where
                assert copy(d.fill) == copy(c.fill), where
                assert copy(d.border) == copy(c.border), where
                assert copy(d.alignment) == copy(c.alignment), where
                assert copy(d.protection) == copy(c.protection), where
                assert (d.comment.text if d.comment else None) == (
                    c.comment.text if c.comment else None
                ), where
                assert (d.hyperlink.target if d.hyperlink else None) == (
                    c.hyperlink.target if c.hyperlink else None
                ), where
                checked += 1
        assert (b.max_row, b.max_column) == (a.max_row, a.max_column), name
        for key, dim in a.column_dimensions.items():
            assert b.column_dimensions[key].width == dim.width, f"{name} column {key}"
        for key, dim in a.row_dimensions.items():
            assert b.row_dimensions[key].height == dim.height, f"{name} row {key}"
        assert sorted(map(str, b.merged_cells.ranges)) == sorted(map(str, a.merged_cells.ranges))
        assert [(str(v.sqref), v.type, v.formula1) for v in b.data_validations.dataValidation] == [
            (str(v.sqref), v.type, v.formula1) for v in a.data_validations.dataValidation
        ], name
        assert [str(r.sqref) for r in b.conditional_formatting] == [
            str(r.sqref) for r in a.conditional_formatting
        ], name
        assert b.freeze_panes == a.freeze_panes, name
        assert b.sheet_state == a.sheet_state, name
        assert b.sheet_properties.tabColor == a.sheet_properties.tabColor, name
    assert set(dst.defined_names) == set(src.defined_names)
    return checked


def sheet_table(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    folder = tmp_path_factory.mktemp("plan")
    book = write_workbook(folder / "army.xlsx", minimal_sheets())
    out = folder / "army.plan.xlsx"
    started = time.perf_counter()
    run = solve(book, out)
    run.timings["total"] = time.perf_counter() - started
    return book, out, run


# --- layout and formatting -------------------------------------------------------------


def test_plan_sheets_follow_the_inputs_summary_first_run_last(plan) -> None:
    book, out, _run = plan
    names = openpyxl.load_workbook(out).sheetnames
    inputs = openpyxl.load_workbook(book).sheetnames
    assert names[: len(inputs)] == inputs
    outputs = names[len(inputs) :]
    # the warm-start basis (MODEL.md §8.9) is a hidden sheet after them, not a Plan_ sheet
    assert outputs.pop() == schema.BASIS_SHEET
    assert openpyxl.load_workbook(out)[schema.BASIS_SHEET].sheet_state == "hidden"
    assert outputs[0] == "Plan_Summary" and outputs[1] == "Plan_Charts"
    assert outputs[-1] == "Plan_Run"
    # Plan_Cohorts is written only when a class has max_service_years (MODEL.md §8.2)
    assert set(schema.PLAN_COLUMNS) - set(schema.OPTIONAL_PLAN_SHEETS) <= set(outputs)
    assert "Plan_Cohorts" not in outputs
    assert all(schema.is_output_sheet(n) for n in outputs)
    assert all(len(n) <= 31 for n in names)


def test_plan_tables_are_formatted_excel_tables_with_header_in_row_1(plan) -> None:
    _book, out, run = plan
    wb = openpyxl.load_workbook(out)
    for name, columns in schema.PLAN_COLUMNS.items():
        if name in schema.OPTIONAL_PLAN_SHEETS:
            continue  # checked on a plan with service limits (test_model_cohorts.py)
        ws = wb[name]
        header = [c.value for c in ws[1]]
        assert header[: len(columns)] == list(columns), name
        assert ws.freeze_panes == "A2", name
        assert ws.sheet_properties.tabColor.rgb.endswith(styles.OUTPUT_TAB_COLOR), name
        assert ws.print_title_rows == "$1:$1", name
        rows = ws.max_row - 1
        if rows:
            (table,) = ws.tables.values()
            assert table.ref.startswith("A1:") and table.ref.endswith(str(rows + 1)), name
            assert table.tableStyleInfo.name == styles.TABLE_STYLE
        if name != "Plan_Run":
            assert rows == len(run.tables.tables[name]), name
    # the first rows are data, not a banner: other tools read these sheets as tables
    assert wb["Plan_Personnel"]["A2"].value == "infantry"


def test_number_formats_by_column(plan) -> None:
    _book, out, _run = plan
    wb = openpyxl.load_workbook(out)

    def fmt(sheet: str, column: str) -> str:
        ws = wb[sheet]
        j = [c.value for c in ws[1]].index(column) + 1
        return ws.cell(row=2, column=j).number_format

    assert fmt("Plan_Personnel", "strength") == "#,##0"
    assert fmt("Plan_Personnel", "year") == "0"
    assert fmt("Plan_Training", "utilisation") == "0.0%"
    # money reads in millions once a sheet's amounts reach millions (the cell stays exact)
    money = ("#,##0", '#,##0.0,," mn"')
    assert fmt("Plan_Budget", "spend") in money
    assert fmt("Plan_Funding", "available") in money
    assert fmt("Plan_Units", "units") == "#,##0.0"
    assert fmt("Plan_Equipment", "stock") == "#,##0"


def test_classification_banner_headers_and_footers(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Settings"].append(["classification", "RESTRICTED & SENSITIVE"])
    out = tmp_path / "plan.xlsx"
    solve(write_workbook(tmp_path / "in.xlsx", sheets), out)
    wb = openpyxl.load_workbook(out)
    for name in wb.sheetnames:
        if not schema.is_output_sheet(name):
            continue
        ws = wb[name]
        for part in (ws.oddHeader, ws.oddFooter):
            assert part.center.text == "RESTRICTED && SENSITIVE", name  # & doubled in codes
    assert wb["Plan_Summary"]["A1"].value == "RESTRICTED & SENSITIVE"
    assert wb["Plan_Charts"]["A1"].value == "RESTRICTED & SENSITIVE"
    run = dict(sheet_table(wb["Plan_Run"])[1:])
    assert run["classification"] == "RESTRICTED & SENSITIVE"


def test_workbook_opens_on_plan_summary_with_one_selected_tab(plan) -> None:
    _book, out, _run = plan
    wb = openpyxl.load_workbook(out)
    assert wb.active.title == "Plan_Summary"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Plan_Summary"]


def test_summary_has_headline_figures_and_links(plan) -> None:
    _book, out, run = plan
    ws = openpyxl.load_workbook(out)["Plan_Summary"]
    figures = {r[0]: r[1] for r in sheet_table(ws) if r[0]}
    assert figures["objective value"] == pytest.approx(run.outcome.objective, rel=1e-12)
    assert figures["status"] == "optimal"
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink]
    assert "'Plan_Run'!A1" in links and "'Plan_Charts'!A1" in links


# --- charts ----------------------------------------------------------------------------


def test_native_charts_on_plan_charts(plan) -> None:
    _book, out, _run = plan
    with zipfile.ZipFile(out) as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
        media = [n for n in zf.namelist() if n.startswith("xl/media/")]
    assert not media  # drawn by the spreadsheet, not pictures
    # strength, spending, funding, 2 equipment items (rifle, radio), training
    assert len(charts) == 6
    kinds = [re.findall(r"<(?:c:)?(lineChart|barChart)>", c) for c in charts]
    assert kinds.count(["lineChart"]) == 3  # strength + 2 equipment
    assert kinds.count(["barChart", "lineChart"]) == 2  # spending and funding: columns + line
    assert kinds.count(["barChart"]) == 1  # training
    stacked = [re.search(r'<(?:c:)?grouping val="stacked"\s*/>', c) for c in charts]
    assert sum(bool(m) for m in stacked) == 2
    # axes shown in Excel (openpyxl 3.1 otherwise leaves them to the reader's default)
    assert all(len(re.findall(r'<(?:c:)?delete val="0"\s*/>', c)) >= 2 for c in charts)
    ws = openpyxl.load_workbook(out)["Plan_Charts"]
    rows = sheet_table(ws)
    start = rows.index(["year", "strength", "min_total", "max_total"] + [None] * (len(rows[0]) - 4))
    assert rows[start + 1][:4] == [2026, pytest.approx(1300), 1300, 1600]
    assert len(ws._charts) == 6


def test_equipment_charts_pick_the_most_valuable_items(tmp_path: Path) -> None:
    from forceplan.workbook.charts import TOP_EQUIPMENT

    sheets = minimal_sheets()
    for k in range(6):
        sheets["Equipment"].append(
            [f"item{k}", 10 * (k + 1), 1000 * (k + 1), 0, 0, 0, 0, "procurement"]
        )
        for year in (2026, 2027, 2028):  # needed, so the stock is kept
            add_row(
                sheets, "EquipmentYears", equipment=f"item{k}", year=year, requirement=10 * (k + 1)
            )
    out = tmp_path / "plan.xlsx"
    solve(write_workbook(tmp_path / "in.xlsx", sheets), out)
    rows = sheet_table(openpyxl.load_workbook(out)["Plan_Charts"])
    header = next(r for r in rows if r[0] == "year" and r[1] and str(r[1]).endswith(" stock"))
    items = [str(h)[: -len(" stock")] for h in header if h and str(h).endswith(" stock")]
    assert len(items) == TOP_EQUIPMENT
    # stock x price: rifle 1500x800=1.2M, item5 60x6000=360k, item4 50x5000, radio 100x3000
    assert items == ["rifle", "item5", "radio", "item4"]


# --- nothing lost ------------------------------------------------------------------------


def test_every_input_cell_survives_into_the_plan(tmp_path: Path) -> None:
    book = rich_workbook(tmp_path / "office.xlsx")
    out = tmp_path / "office.plan.xlsx"
    run = solve(book, out)
    assert run.exit_code == 0
    assert not [i for i in run.issues if "dropped" in i.message]
    assert assert_cells_survive(book, out) > 100
    # the formula is still a formula, with its stored result
    assert openpyxl.load_workbook(out)["Personnel"]["E2"].value == "=12*2500"
    assert openpyxl.load_workbook(out, data_only=True)["Personnel"]["E2"].value == 30000


def _bundled_workbooks() -> list[Path]:
    return sorted((ROOT / "forceplan" / "examples").glob("*.xlsx"))


@pytest.mark.parametrize(
    "example", _bundled_workbooks(), ids=lambda p: p.parent.name + "/" + p.name
)
def test_example_workbook_cells_survive(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "example.plan.xlsx"
    write_plan(example, out, {}, [("title", "example")], [("status", "test")], "UNCLASSIFIED")
    assert assert_cells_survive(example, out) > 0


def test_template_cells_survive(tmp_path: Path) -> None:
    from forceplan.workbook.template import write_template

    template = tmp_path / "template.xlsx"
    write_template(template)
    out = tmp_path / "template.plan.xlsx"
    write_plan(template, out, {}, [], [], "UNCLASSIFIED")
    assert assert_cells_survive(template, out) > 0


def test_formula_results_are_stored_so_the_plan_reads_back(tmp_path: Path) -> None:
    book = rich_workbook(tmp_path / "office.xlsx")
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    solve(book, first)
    run = solve(first, second)  # the plan is itself a valid input
    assert run.exit_code == 0
    inputs, issues = load_inputs(second)
    assert not [i for i in issues if i.severity == "error"]
    assert inputs["Personnel"].records[0]["annual_cost"] == 30000


def test_lost_features_are_reported_as_warnings_and_on_plan_run(tmp_path: Path) -> None:
    book = feature_workbook(tmp_path / "features.xlsx")
    out = tmp_path / "plan.xlsx"
    run = solve(book, out)
    warnings = [f"{i.where}: {i.message}" for i in run.issues if i.severity == "warning"]
    text = "\n".join(warnings)
    assert "Notes: 1 chart: re-created" in text
    assert "Notes: 1 shape" in text and "dropped" in text
    assert "Notes: conditional formatting with Excel 2010+ rules" in text
    assert "macros (VBA project" in text
    rows = sheet_table(openpyxl.load_workbook(out)["Plan_Run"])
    lost = [r[1] for r in rows if r[0] == "lost_feature"]
    assert len(lost) == 4
    assert any(v.startswith("Notes: 1 shape") for v in lost)
    # solving the plan again reports the same input chart, never the plan's own charts
    again = lost_features(out)
    assert [(i.sheet, i.message.split(":")[0]) for i in again] == [("Notes", "1 chart")]


def test_cli_prints_lost_features(tmp_path: Path) -> None:
    book = feature_workbook(tmp_path / "features.xlsx")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "forceplan",
            "solve",
            str(book),
            "-o",
            str(tmp_path / "p.xlsx"),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    import json

    warnings = json.loads(result.stdout)["warnings"]
    assert any("shape" in w["message"] and w["sheet"] == "Notes" for w in warnings)


def feature_workbook(path: Path) -> Path:
    """A workbook with things openpyxl cannot copy: a text box next to a chart, an Excel
    2010 data bar, a VBA project."""
    from openpyxl.chart import BarChart, Reference

    write_workbook(path, minimal_sheets())
    book = openpyxl.load_workbook(path)
    notes = book.create_sheet("Notes")
    for row in (["x", "y"], [1, 2], [2, 3]):
        notes.append(row)
    chart = BarChart()
    chart.add_data(Reference(notes, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    notes.add_chart(chart, "D2")
    book.save(path)
    shape = (
        b"<twoCellAnchor><from><col>1</col><colOff>0</colOff><row>10</row><rowOff>0</rowOff>"
        b"</from><to><col>4</col><colOff>0</colOff><row>14</row><rowOff>0</rowOff></to>"
        b'<sp macro="" textlink=""><nvSpPr><cNvPr id="5" name="TextBox 4"/>'
        b'<cNvSpPr txBox="1"/></nvSpPr><spPr><a:xfrm><a:off x="0" y="0"/>'
        b'<a:ext cx="1000000" cy="500000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        b"</a:prstGeom></spPr><txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Note</a:t>"
        b"</a:r></a:p></txBody></sp><clientData/></twoCellAnchor>"
    )
    ext = (
        b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b"<x14:conditionalFormattings><x14:conditionalFormatting "
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-000000000001}">'
        b'<x14:dataBar minLength="0" maxLength="100"><x14:cfvo type="autoMin"/>'
        b'<x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule><xm:sqref>B2:B3</xm:sqref>'
        b"</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"
    )
    with zipfile.ZipFile(path) as zf:
        notes_part = writer._sheet_parts(zf)["Notes"]
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if re.fullmatch(r"xl/drawings/drawing\d+\.xml", info.filename):
                data = data.replace(b"</wsDr>", shape + b"</wsDr>")
            if info.filename == notes_part:
                data = data.replace(b"</worksheet>", ext + b"</worksheet>")
            out.writestr(info, data)
        out.writestr("xl/vbaProject.bin", b"\0" * 64)
    return path


# --- nothing injected ------------------------------------------------------------------


def injection_sheets() -> dict[str, list[list[Any]]]:
    """minimal_sheets() with the trade 'infantry' renamed to a formula-looking text."""
    sheets = minimal_sheets()
    for rows in sheets.values():
        for row in rows:
            for k, value in enumerate(row):
                if value == "infantry":
                    row[k] = INJECTION
    set_value(sheets, "Settings", 4, "value", "=1+1")  # the title too
    return sheets


def assert_text_everywhere(path: Path, texts: tuple[str, ...]) -> dict[str, int]:
    """Every cell holding one of `texts` is a text cell; returns the count per sheet."""
    wb = openpyxl.load_workbook(path)
    counts: dict[str, int] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(t in cell.value for t in texts):
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate}"
                    assert cell.value.startswith("=")  # unchanged, not escaped
                    counts[ws.title] = counts.get(ws.title, 0) + 1
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                formulas = re.findall(rb"<f[^>]*>([^<]*)</f>", zf.read(name))
                assert not [f for f in formulas if b"HYPERLINK" in f or f == b"1+1"], name
    return counts


def test_formula_injection_stays_text_in_every_output(tmp_path: Path) -> None:
    book = text_workbook(tmp_path / "in.xlsx", injection_sheets())
    out = tmp_path / "plan.xlsx"
    run = solve(book, out)
    assert run.exit_code == 0
    personnel = run.tables.tables["Plan_Personnel"]
    assert INJECTION in set(personnel["trade"])
    counts = assert_text_everywhere(out, (INJECTION, "=1+1"))
    for sheet in (
        "Personnel",
        "Manning",
        "Transitions",
        "Plan_Personnel",
        "Plan_Transitions",
        "Plan_Constraints",
        "Plan_Summary",
    ):
        assert counts.get(sheet), f"no {INJECTION} on {sheet}"
    exact = openpyxl.load_workbook(out)["Plan_Personnel"]["A2"]
    assert (exact.value, exact.data_type) == (INJECTION, "s")
    # and a plan of the plan, and a comparison of the two
    again = tmp_path / "again.xlsx"
    solve(out, again)
    assert_text_everywhere(again, (INJECTION, "=1+1"))
    from forceplan.compare import compare_plans, write_comparison

    diff = tmp_path / "diff.xlsx"
    write_comparison(compare_plans(out, again), diff)
    assert_text_everywhere(diff, (INJECTION, "=1+1"))


# --- output paths and safe writing -----------------------------------------------------


def test_refuses_the_input_as_output_without_force(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    before = book.read_bytes()
    with pytest.raises(ForceplanError, match="input workbook"):
        solve(book, book)
    with pytest.raises(ForceplanError, match="input workbook"):
        solve(book, tmp_path / "." / "army.xlsx")
    assert book.read_bytes() == before


def test_refuses_an_output_open_in_excel_without_force(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    out = tmp_path / "plan.xlsx"
    solve(book, out)
    before = out.read_bytes()
    (tmp_path / "~$plan.xlsx").write_bytes(b"owner")
    with pytest.raises(ForceplanError, match="open in Excel"):
        solve(book, out)
    assert out.read_bytes() == before
    run = solve(book, out, force=True)
    assert (tmp_path / "plan.bak.xlsx").read_bytes() == before
    assert any("plan.bak.xlsx" in i.message for i in run.issues)


def test_force_keeps_a_backup_of_the_replaced_input(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    original = book.read_bytes()
    solve(book, book, force=True)
    backup = tmp_path / "army.bak.xlsx"
    assert backup.read_bytes() == original
    assert "Plan_Run" in openpyxl.load_workbook(book).sheetnames
    first_plan = book.read_bytes()
    solve(book, book, force=True)  # a second backup never replaces the first
    assert backup.read_bytes() == original
    stamped = sorted(tmp_path.glob("army.bak-*.xlsx"))
    assert len(stamped) == 1 and stamped[0].read_bytes() == first_plan
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_force_backup(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    original = book.read_bytes()
    cmd = [sys.executable, "-m", "forceplan", "solve", str(book), "-o", str(book), "-q"]
    refused = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and book.read_bytes() == original
    forced = subprocess.run([*cmd, "--force"], capture_output=True, text=True, timeout=300)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "army.bak.xlsx").read_bytes() == original


@pytest.mark.parametrize("previous", [False, True], ids=["new-file", "existing-file"])
def test_failed_write_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, previous: bool
) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    out = tmp_path / "plan.xlsx"
    if previous:
        solve(book, out)
    before = out.read_bytes() if previous else None
    real = writer.save_book

    def fails_midway(wb: Any, fh: Any, *args: Any) -> None:
        buffer = io.BytesIO()
        real(wb, buffer, *args)
        fh.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "save_book", fails_midway)
    with pytest.raises(ForceplanError, match=r"no space left .* the disk is full"):
        solve(book, out, force=previous)
    if previous:
        assert out.read_bytes() == before
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["army.xlsx"] + (["plan.xlsx"] if previous else [])
    )


_SLOW_SAVE_DRIVER = textwrap.dedent(
    """
    import io, sys, time
    from pathlib import Path
    import forceplan.workbook.write as writer
    from forceplan.pipeline import SolveRequest, run_solve

    real = writer.save_book

    def slow_save(book, fh, *args):
        buffer = io.BytesIO()
        real(book, buffer, *args)
        data = buffer.getvalue()
        for start in range(0, len(data), 4096):  # a slow disk: 4 KiB every 50 ms
            fh.write(data[start:start + 4096])
            fh.flush()
            if start == 4096:
                print("WRITING", flush=True)
            time.sleep(0.05)

    writer.save_book = slow_save
    run_solve(SolveRequest(Path(sys.argv[1]), output=Path(sys.argv[2]), force=True))
    print("DONE", flush=True)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_killed_during_write_leaves_the_previous_file_intact(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    notes = [["note", "value"]] + [[f"row {i}", i * 1.5] for i in range(20000)]
    sheets["Notes"] = notes  # a larger workbook: the write takes a few seconds
    book = write_workbook(tmp_path / "army.xlsx", sheets)
    out = tmp_path / "plan.xlsx"
    solve(book, out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    driver = tmp_path / "driver.py"
    driver.write_text(_SLOW_SAVE_DRIVER)
    child = subprocess.Popen(
        [sys.executable, str(driver), str(book), str(out)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "WRITING", line
        # half written when killed: a named temp where unnamed files (O_TMPFILE) cannot be
        # named by the process, else no name at all
        temps = list(tmp_path.glob(".~forceplan-*.tmp"))
        assert not temps or temps[0].stat().st_size > 0
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert "Plan_Run" in openpyxl.load_workbook(out, read_only=True).sheetnames
    write_template(tmp_path / "next.xlsx")  # the next write in the folder tidies up
    assert not list(tmp_path.glob(".~forceplan-*.tmp"))


def test_sheet_names_stay_within_31_characters(plan) -> None:
    _book, out, _run = plan
    with zipfile.ZipFile(out) as zf:
        names = re.findall(r'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml").decode())
    assert names and all(len(n) <= 31 for n in names)


def test_a_user_sheet_named_like_a_plan_sheet_is_refused(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["PLAN_SUMMARY"] = [["my", "notes"]]  # not a Plan_ sheet (case), same Excel name
    book = write_workbook(tmp_path / "in.xlsx", sheets)
    with pytest.raises(ForceplanError, match="sheet names ignore case"):
        solve(book, tmp_path / "plan.xlsx")
    assert not (tmp_path / "plan.xlsx").exists()


# --- provenance ------------------------------------------------------------------------


def test_plan_run_records_provenance(plan) -> None:
    book, out, run = plan
    rows = sheet_table(openpyxl.load_workbook(out)["Plan_Run"])
    assert rows[0] == ["key", "value"]
    values = dict(rows[1:])
    assert values["input_sha256"] == file_sha256(book)
    assert values["input_content_hash"] == content_hash(run.inputs)
    assert values["content_hash_method"].startswith("forceplan-content-v1")
    for key in (
        "tool",
        "solver",
        "pyomo",
        "pandas",
        "openpyxl",
        "python-calamine",
        "python",
        "objective",
        "elastic",
        "status",
        "objective_value",
        "time_solve_s",
        "time_compile_s",
        "time_highs_s",
    ):
        assert values.get(key) not in (None, ""), key
    assert 0 < values["time_highs_s"] <= values["time_solve_s"]
    assert values["status"] == "optimal"
    assert values["objective_value"] == pytest.approx(run.outcome.objective, rel=1e-12)


def test_content_hash_ignores_styles_layout_and_extra_sheets(tmp_path: Path) -> None:
    plain = write_workbook(tmp_path / "plain.xlsx", minimal_sheets())
    dressed = rich_workbook(tmp_path / "dressed.xlsx")  # styles, notes, a formula = same value
    reordered = minimal_sheets()
    for rows in (reordered["Personnel"],):
        for row in rows:
            row.reverse()  # columns in another order
        rows.insert(3, [None] * len(rows[0]))  # and an empty row
    shuffled = write_workbook(tmp_path / "shuffled.xlsx", dict(reversed(list(reordered.items()))))
    hashes = {content_hash(load_inputs(p)[0]) for p in (plain, dressed, shuffled)}
    assert len(hashes) == 1
    assert len({file_sha256(p) for p in (plain, dressed, shuffled)}) == 3
    edited = minimal_sheets()
    set_value(edited, "Personnel", 2, "annual_cost", 30001)
    changed = write_workbook(tmp_path / "edited.xlsx", edited)
    assert content_hash(load_inputs(changed)[0]) not in hashes


def test_write_time_of_the_small_plan_is_reported(plan) -> None:
    _book, out, run = plan
    assert out.exists()
    assert 0 < run.timings["write"] < 30  # measured: well under a second on the test machine
    print(f"write {run.timings['write']:.3f}s, total {run.timings['total']:.3f}s")


def test_input_error_leaves_no_file(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "initial_strength", -5)
    book = write_workbook(tmp_path / "in.xlsx", sheets)
    with pytest.raises(InputError):
        solve(book, tmp_path / "plan.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]
