"""`forceplan audit PLAN.xlsx`: the independent re-check of a plan workbook, from the file.

A solver plan passes (exit 0); a plan with one changed Plan_Personnel cell, or with one
changed input cell, fails (exit 5) naming the family and row, or the edited sheet; the
command never imports Pyomo or the solver.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from clirun import forceplan
from wb import minimal_sheets, write_workbook

from forceplan.audit import audit_workbook
from forceplan.errors import ExitCode
from forceplan.pipeline import SolveRequest, run_solve


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCEPLAN_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("auditcli")
    book = write_workbook(folder / "army.xlsx", minimal_sheets())
    run = run_solve(SolveRequest(book, output=folder / "army.plan.xlsx"))
    assert run.outcome.status == "optimal"
    return run.output


def copy_with(plan: Path, target: Path, edit) -> Path:
    """A copy of the plan workbook with `edit(book)` applied through openpyxl."""
    book = openpyxl.load_workbook(plan)
    edit(book)
    book.save(target)
    return target


def row_of(ws, **where) -> int:
    """Excel row of the record of table sheet `ws` whose columns equal `where`."""
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if all(ws.cell(r, header.index(k) + 1).value == v for k, v in where.items()):
            return r
    raise AssertionError(f"no row {where}")


def column_of(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


# --- a solver plan passes ---------------------------------------------------------------


def test_solver_plan_passes_with_exit_0(plan: Path, tmp_path: Path) -> None:
    result = forceplan("audit", str(plan), home=tmp_path)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert "audit PASSED" in result.stdout
    assert "1e-06 × max(1, |rhs|)" in result.stdout  # the tolerance is stated
    for family in ("P1", "P7", "B1", "B2", "OBJ", "HASH", "INPUTS"):
        assert f"ok   {family} " in result.stdout


def test_json_names_every_family_with_its_worst_row_and_tolerance(
    plan: Path, tmp_path: Path
) -> None:
    result = forceplan("audit", str(plan), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["ledger"] is None
    report = payload["plan"]
    assert report["objective"] == "min_cost" and report["elastic"] is False
    assert report["input_content_hash"]["matches"] is True
    families = {f["family"]: f for f in report["families"]}
    assert {"P1", "P2", "P7", "P8", "C1", "E2", "B1", "B2", "B3", "OBJ", "HASH"} <= set(families)
    for fam in families.values():
        assert {"max_violation", "tolerance", "worst_row", "rows_checked"} <= set(fam)
    assert families["OBJ"]["rows_checked"] == 1  # the cost ledger against the objective


def test_audit_imports_neither_pyomo_nor_highspy(plan: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['forceplan', 'audit', {str(plan)!r}]\n"
        "from forceplan import cli\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pyomo', 'highspy')\n"
        "             or m.startswith(('forceplan.model', 'forceplan.results')))\n"
        "print(bad, code)\n"
    )
    env = dict(os.environ, FORCEPLAN_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[] 0"


# --- tampering --------------------------------------------------------------------------


def test_changed_plan_personnel_strength_fails_naming_the_row(plan: Path, tmp_path: Path) -> None:
    def edit(book) -> None:
        ws = book["Plan_Personnel"]
        r = row_of(ws, trade="signals", grade="enlisted", year=2028)
        cell = ws.cell(r, column_of(ws, "strength"))
        cell.value = float(cell.value) + 5.0

    tampered = copy_with(plan, tmp_path / "tampered.plan.xlsx", edit)
    result = forceplan("audit", str(tampered), home=tmp_path)
    assert result.returncode == ExitCode.AUDIT_FAILED, result.stdout + result.stderr
    assert "FAIL P1" in result.stdout and "signals/enlisted 2028" in result.stdout
    checked = audit_workbook(tampered)
    assert not checked.ok
    assert checked.report["P1"].worst_row == "signals/enlisted 2028"
    assert checked.report["P1"].max_violation == pytest.approx(5.0)
    assert checked.report["P2"].worst_row == "signals/enlisted 2028"
    assert checked.report["HASH"].ok  # the inputs were not touched
    assert checked.edited_sheets == []


def test_changed_input_cell_fails_naming_the_sheet(plan: Path, tmp_path: Path) -> None:
    def edit(book) -> None:
        ws = book["Personnel"]
        r = row_of(ws, trade="infantry", grade="officer")
        ws.cell(r, column_of(ws, "attrition_rate")).value = 0.09

    tampered = copy_with(plan, tmp_path / "edited-input.plan.xlsx", edit)
    result = forceplan("audit", str(tampered), "--json", home=tmp_path)
    assert result.returncode == ExitCode.AUDIT_FAILED
    report = json.loads(result.stdout)["plan"]
    assert report["input_content_hash"]["matches"] is False
    assert report["input_content_hash"]["edited_sheets"] == ["Personnel"]
    families = {f["family"]: f for f in report["families"]}
    assert not families["HASH"]["ok"]
    assert families["HASH"]["failing_rows"][0].startswith("Personnel: edited after solving")
    assert not families["P1"]["ok"]
    assert families["P1"]["worst_row"].startswith("infantry/officer ")


def test_changed_objective_value_fails_obj(plan: Path, tmp_path: Path) -> None:
    def edit(book) -> None:
        ws = book["Plan_Run"]
        r = row_of(ws, key="objective_value")
        ws.cell(r, 2).value = float(ws.cell(r, 2).value) * 1.001

    tampered = copy_with(plan, tmp_path / "objective.plan.xlsx", edit)
    checked = audit_workbook(tampered)
    assert [f.id for f in checked.report.failures] == ["OBJ"]
    assert checked.report["OBJ"].worst_row == "objective (min_cost)"


def test_a_plan_without_per_sheet_hashes_still_flags_edited_inputs(
    plan: Path, tmp_path: Path
) -> None:
    def edit(book) -> None:
        ws = book["Plan_Run"]
        for r in range(ws.max_row, 1, -1):
            if str(ws.cell(r, 1).value).startswith("input_hash:"):
                ws.delete_rows(r)
        ws.tables.clear()  # the table's range no longer fits; the plan reader needs none
        book["Settings"]["B4"] = "Another title"

    tampered = copy_with(plan, tmp_path / "old.plan.xlsx", edit)
    checked = audit_workbook(tampered)
    assert [f.id for f in checked.report.failures] == ["HASH"]
    assert "no per-sheet hashes" in checked.report["HASH"].worst_row


def test_elastic_plan_is_audited_as_elastic(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["EndStrength"][1] = [2026, 2500, 2600]  # beyond what recruiting allows
    book = write_workbook(tmp_path / "tight.xlsx", sheets)
    run = run_solve(SolveRequest(book, output=tmp_path / "tight.plan.xlsx", elastic=True))
    assert run.outcome.status == "optimal" and len(run.tables.tables["Plan_Shortfalls"])
    checked = audit_workbook(run.output)
    assert checked.elastic is True
    assert checked.ok, checked.text()
    assert checked.report["SH"].rows_checked > 0


def test_usage_errors_exit_2(plan: Path, tmp_path: Path) -> None:
    assert forceplan("audit", home=tmp_path).returncode == ExitCode.INPUT
    other = tmp_path / "notes.txt"
    other.write_text("x")
    assert forceplan("audit", str(other), home=tmp_path).returncode == ExitCode.INPUT


AUSTERE = Path(__file__).resolve().parents[1] / "data" / "ukraine-austere.xlsx"


@pytest.mark.skipif(not AUSTERE.exists(), reason="the bundled example is not in this checkout")
def test_large_elastic_plan_passes(tmp_path: Path) -> None:
    """Budgets of 10¹² with shortfalls: solver noise on unspent money or on a met band is
    judged against the size of the values, not against zero."""
    book = tmp_path / AUSTERE.name
    book.write_bytes(AUSTERE.read_bytes())
    run = run_solve(SolveRequest(book, output=tmp_path / "austere.plan.xlsx", elastic=True))
    assert run.outcome.status == "optimal"
    checked = audit_workbook(run.output)
    assert checked.ok, checked.text()
    assert checked.report["SH"].rows_checked > 0
