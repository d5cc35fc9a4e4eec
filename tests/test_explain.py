"""`forceplan explain PLAN`: the most valuable limits and what more money buys, from the
plan workbook alone; bad input exits 2 naming what is missing, a plan that is not
optimal exits 4 saying prices are not available and why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from randomwb import random_workbook
from test_cli import forceplan

from forceplan.errors import ExitCode
from forceplan.explain import explain_plan
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.prices import priced_limits


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("explain")
    book = random_workbook(folder / "r.xlsx", 2, 3, 2, 3, tight=("funding",))
    run = run_solve(SolveRequest(book, output=folder / "r.plan.xlsx", elastic=True))
    assert run.outcome.status == "optimal"
    return run.output, run


def test_explain_reads_the_plan_as_solve_wrote_it(plan) -> None:
    path, run = plan
    result = explain_plan(path, top=5)
    frame = run.tables.tables["Plan_Constraints"]
    currency = run.inputs.settings["currency"]
    expected = priced_limits(frame, run.data.objective, currency, top=5)
    assert [r["sentence"] for r in result.limits] == [r["sentence"] for r in expected]
    assert 0 < len(result.limits) <= 5
    sources = frame[(frame["id"] == "B2") & (frame["kind"] == "source money")]
    assert len(result.money) == len(sources)
    priced = [m for m in result.money if m["shadow_price"] != 0]
    assert priced, "the funding cut should make some source money valuable"
    for m in priced:
        assert " more of " in m["sentence"] and "e+" not in m["sentence"]
        assert m["value_of_block"] == pytest.approx(m["shadow_price"] * m["block"])


def test_explain_cli_json(plan) -> None:
    path, _run = plan
    done = forceplan("explain", str(path), "--top", "3", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    # an elastic plan whose funding gap is priced: a proven optimum, with shortfalls
    assert payload["status"] in ("optimal", "optimal with shortfalls")
    assert len(payload["limits"]) <= 3
    assert {"sentence", "side", "valid_from", "valid_to", "price_note"} <= set(payload["limits"][0])
    shown = forceplan("explain", str(path))
    assert shown.returncode == 0 and "What more money buys" in shown.stdout


def test_explain_input_workbook_is_not_a_plan(tmp_path: Path) -> None:
    book = random_workbook(tmp_path / "in.xlsx", 0, 2, 2, 2)
    done = forceplan("explain", str(book))
    assert done.returncode == ExitCode.INPUT
    assert "Plan_Run" in done.stderr and "Traceback" not in done.stderr


def _edit_plan(path: Path, target: Path, edit) -> Path:
    import openpyxl

    shutil.copy(path, target)
    book = openpyxl.load_workbook(target)
    edit(book)
    book.save(target)
    return target


def test_explain_plan_without_price_columns(plan, tmp_path: Path) -> None:
    def drop_side(book) -> None:
        ws = book["Plan_Constraints"]
        for cell in ws[1]:
            if cell.value == "side":
                ws.delete_cols(cell.column)
                break
        ws.tables.clear()

    old = _edit_plan(plan[0], tmp_path / "old.xlsx", drop_side)
    done = forceplan("explain", str(old))
    assert done.returncode == ExitCode.INPUT
    assert "Plan_Constraints has no column side" in done.stderr


def test_explain_plan_that_is_not_optimal(plan, tmp_path: Path) -> None:
    def time_limit(book) -> None:
        ws = book["Plan_Run"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "status":
                row[1].value = "time_limit"

    stopped = _edit_plan(plan[0], tmp_path / "stopped.xlsx", time_limit)
    done = forceplan("explain", str(stopped))
    assert done.returncode == ExitCode.NOT_OPTIMAL
    assert "prices are not available" in done.stderr and "time_limit" in done.stderr
