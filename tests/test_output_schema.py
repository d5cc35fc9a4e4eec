"""The output-sheet registry (forceplan/output_schema.py): every Plan_ table forceplan builds
or writes has exactly the registered columns, in the registered order; a column nobody
registered is an error, never a silent drop."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from randomwb import CAREERS, random_workbook

from forceplan import output_schema, plan_reader, results, schema
from forceplan.output_schema import OUTPUT_SHEETS, UnregisteredOutput
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.workbook.write import check_registered


@pytest.fixture(scope="module")
def v2_elastic(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """A solved v2 plan with every optional table filled: cohorts, money, shortfalls."""
    tmp = tmp_path_factory.mktemp("v2")
    book = random_workbook(
        tmp / "v2.xlsx",
        11,
        3,
        2,
        4,
        careers=CAREERS,
        money=True,
        cohorts=True,
        tight=("end_strength",),
        penalties=True,
    )
    out = tmp / "v2.plan.xlsx"
    run = run_solve(SolveRequest(book, output=out, elastic=True, ledger=tmp / "ledger.sqlite"))
    assert run.tables is not None, run.outcome.status
    return run, out


def test_every_table_of_a_solved_plan_has_exactly_the_registered_columns(v2_elastic) -> None:
    run, _out = v2_elastic
    tables = run.tables.tables
    # the case reaches the optional tables, so none is checked empty by accident
    assert len(tables["Plan_Cohorts"]) and len(tables["Plan_Shortfalls"])
    for name, frame in tables.items():
        registered = output_schema.table_sheet(name).column_names
        assert tuple(frame.columns) == registered, name
    table_sheets = {s.name for s in OUTPUT_SHEETS if s.layout == "table"}
    built_elsewhere = {"Plan_BudgetGrid", "Plan_Run"}  # by the writer
    assert set(tables) == table_sheets - built_elsewhere


def test_every_written_plan_sheet_is_registered_with_its_columns(v2_elastic) -> None:
    _run, out = v2_elastic
    book = openpyxl.load_workbook(out, read_only=True)
    plan_sheets = [n for n in book.sheetnames if n.startswith(schema.OUTPUT_PREFIX)]
    assert plan_sheets == [s.name for s in OUTPUT_SHEETS]  # every sheet, in registry order
    for name in plan_sheets:
        sheet = output_schema.sheet(name)
        if sheet.layout == "free":
            continue
        header = [c.value for c in next(book[name].iter_rows(max_row=1))]
        assert all(sheet.column(str(h)) is not None for h in header), (name, header)
        if sheet.per_year is None:
            assert tuple(header) == sheet.column_names, name
    book.close()


def test_a_computed_column_nobody_registered_is_an_error() -> None:
    row = {c: 0.0 for c in output_schema.table_sheet("Plan_Units").column_names}
    assert list(results._frame([row], "Plan_Units").columns) == list(row)
    with pytest.raises(UnregisteredOutput, match=r"unregistered column.*readiness"):
        results._frame([row, {**row, "readiness": 0.9}], "Plan_Units")
    del row["shortfall"]
    with pytest.raises(UnregisteredOutput, match="never computed: shortfall"):
        results._frame([row], "Plan_Units")
    with pytest.raises(UnregisteredOutput, match="Plan_Housing"):
        results._frame([row], "Plan_Housing")
    # no rows: the registered columns, in order
    empty = results._frame([], "Plan_Shortfalls")
    assert tuple(empty.columns) == output_schema.table_sheet("Plan_Shortfalls").column_names


def test_the_writer_refuses_an_unregistered_sheet_or_column() -> None:
    check_registered("Plan_Units", ["unit_type", "year", "units"])
    check_registered("Plan_BudgetGrid", ["line", "2026", "2027", "total"])
    with pytest.raises(UnregisteredOutput, match="readiness"):
        check_registered("Plan_Units", ["unit_type", "readiness"])
    with pytest.raises(UnregisteredOutput, match="Plan_Housing"):
        check_registered("Plan_Housing", ["x"])
    with pytest.raises(UnregisteredOutput, match="Plan_Summary"):
        check_registered("Plan_Summary", ["figure"])  # a laid-out sheet, not a table


def test_readers_ask_for_registered_tables_only(tmp_path: Path) -> None:
    plan = plan_reader.Plan(tmp_path / "p.xlsx", {}, {"Plan_Units": pd.DataFrame()})
    assert plan.table("Plan_Units") is not None
    assert plan.table("Plan_Cohorts") is None  # registered, absent from this plan
    with pytest.raises(UnregisteredOutput):
        plan.table("Plan_Unit")  # a typo is a bug, not a plan without the sheet


def test_views_keep_the_names_other_modules_import() -> None:
    assert schema.PLAN_COLUMNS is output_schema.PLAN_COLUMNS
    assert schema.OPTIONAL_PLAN_SHEETS == ("Plan_Cohorts",)
    assert plan_reader.FREE_LAYOUT == ("Plan_Summary", "Plan_Charts")
    # MODEL.md §6's columns lead each contract table; forceplan's extras follow them
    for sheet in OUTPUT_SHEETS:
        if sheet.name in schema.PLAN_COLUMNS:
            contract = schema.PLAN_COLUMNS[sheet.name]
            assert sheet.column_names[: len(contract)] == contract
            assert all(c.extra for c in sheet.columns[len(contract) :]), sheet.name


def test_every_column_has_help_a_kind_and_a_role() -> None:
    for sheet in OUTPUT_SHEETS:
        assert sheet.help and sheet.name.startswith(schema.OUTPUT_PREFIX)
        assert len(set(sheet.column_names)) == len(sheet.columns), sheet.name
        for col in sheet.columns:
            assert col.help and col.role in ("key", "decision", "derived"), (sheet.name, col)
            numeric = col.kind not in ("text", "flag")
            assert numeric == (col.kind in output_schema.KIND_FORMAT or col.is_money), col
        if sheet.layout == "table" and sheet.name != "Plan_Run":
            assert any(c.role == "key" for c in sheet.columns), sheet.name


def test_the_reference_page_is_generated_from_the_registry() -> None:
    page = Path(__file__).parent.parent / "models" / "OUTPUTS.md"
    assert page.read_text(encoding="utf-8") == output_schema.reference_markdown(), (
        "regenerate: python -m forceplan.output_schema > models/OUTPUTS.md"
    )
