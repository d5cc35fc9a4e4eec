"""The independent plan audit: it passes on solved plans and names the family and row of
any value that no longer fits the inputs."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from randomwb import random_workbook

from forceplan.audit import FAMILY_ORDER, RTOL, AuditReport, audit_plan
from forceplan.pipeline import SolveRequest, SolveRun, run_solve

Tables = dict[str, pd.DataFrame]


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> SolveRun:
    path = random_workbook(tmp_path_factory.mktemp("audit") / "plan.xlsx", 5, 3, 2, 3)
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal"
    return run


def tables_of(run: SolveRun) -> Tables:
    """A private copy of the plan tables, safe to tamper with."""
    return {name: frame.copy() for name, frame in run.tables.tables.items()}


def audit(run: SolveRun, tables: Tables | None = None, inputs=None, **kw) -> AuditReport:
    return audit_plan(
        inputs or run.inputs,
        tables if tables is not None else run.tables.tables,
        kw.pop("objective_value", run.outcome.objective),
        run.data.objective,
        run.data.elastic,
        **kw,
    )


def failed(report: AuditReport) -> set[str]:
    return {f.id for f in report.failures}


def row_index(frame: pd.DataFrame, **where) -> int:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    (index,) = frame.index[mask]
    return index


# --- a solved plan passes ---------------------------------------------------------------


def test_solved_plan_passes(solved: SolveRun) -> None:
    report = audit(solved)
    assert report.ok, report.text()
    assert [f.id for f in report.families] == [f for f in FAMILY_ORDER if f != "SH"]
    for fam in report.families:
        # P11, P12 and E3 have rows only when their v2 column or setting is given
        assert fam.rows_checked > 0 or fam.id in ("P10", "P11", "P12", "E3", "D:Plan_Cohorts"), (
            fam.id
        )
        assert fam.max_violation <= fam.tolerance
    assert f"{RTOL:g} × max(1, |rhs|)" in report.text()


def test_plan_read_back_from_the_plan_workbook_passes(solved: SolveRun, tmp_path: Path) -> None:
    """The Plan_ sheets as written to .xlsx (blank = no limit) audit the same."""
    output = tmp_path / "plan.plan.xlsx"
    run = run_solve(SolveRequest(solved.request.workbook, output=output))
    sheets = pd.read_excel(output, sheet_name=None, engine="openpyxl")
    tables = {name: frame for name, frame in sheets.items() if name in solved.tables.tables}
    report = audit(run, tables)
    assert report.ok, report.text()


def test_audit_needs_neither_pyomo_nor_the_model() -> None:
    code = (
        "import sys, forceplan.audit\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pyomo', 'highspy')\n"
        "       or m.startswith(('forceplan.model', 'forceplan.results'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- tampered plans fail, naming family and row -----------------------------------------


def test_changed_strength_fails_p1_at_that_class_and_year(solved: SolveRun) -> None:
    tables = tables_of(solved)
    personnel = tables["Plan_Personnel"]
    year = int(personnel["year"].max())  # last year: no later balance row to blame
    trade, grade = personnel.loc[0, "trade"], personnel.loc[0, "grade"]
    i = row_index(personnel, trade=trade, grade=grade, year=year)
    personnel.loc[i, "strength"] += 3.0
    report = audit(solved, tables)
    assert not report.ok
    assert {"P1", "P2", "B1"} <= failed(report)
    assert report["P1"].worst_row == f"{trade}/{grade} {year}"
    assert report["P1"].failed == 1
    assert report["P1"].max_violation == pytest.approx(3.0)
    assert report["P2"].worst_row == f"{trade}/{grade} {year}"


def test_changed_spend_fails_b1_and_the_objective(solved: SolveRun) -> None:
    tables = tables_of(solved)
    budget = tables["Plan_Budget"]
    year = int(budget["year"].min())
    i = row_index(budget, line="personnel", year=year)
    budget.loc[i, "spend"] *= 1.01
    report = audit(solved, tables)
    assert {"B1", "B2", "OBJ"} <= failed(report)
    assert report["B1"].worst_row == f"personnel {year}"
    assert report["B1"].failed == 1
    assert report["B2"].worst_row == f"personnel {year}: paid = spend"


def test_changed_allocation_fails_b2_at_that_line_and_year(solved: SolveRun) -> None:
    tables = tables_of(solved)
    alloc = tables["Plan_Allocation"]
    paid = alloc[(alloc["source"] == "national") & (alloc["amount"] > 1000)]
    i = paid.index[0]
    line, year = alloc.loc[i, "line"], int(alloc.loc[i, "year"])
    alloc.loc[i, "amount"] -= 500.0
    report = audit(solved, tables)
    assert "B2" in failed(report)
    assert report["B2"].worst_row == f"{line} {year}: paid = spend"
    assert report["B2"].max_violation == pytest.approx(500.0)
    assert f"national {year}: spent" in report["D:Plan_Funding"].failing_rows
    # the B2 rows on Plan_Constraints are rebuilt from the allocation too
    assert failed(report) <= {"B2", "D:Plan_Funding", "D:Plan_Constraints"}


def test_allocation_to_a_line_the_source_may_not_pay_fails(solved: SolveRun) -> None:
    tables = tables_of(solved)
    year = int(tables["Plan_Budget"]["year"].min())
    extra = pd.DataFrame([{"source": "partner", "line": "personnel", "year": year, "amount": 7.0}])
    tables["Plan_Allocation"] = pd.concat([tables["Plan_Allocation"], extra], ignore_index=True)
    report = audit(solved, tables)
    assert f"partner/personnel {year}: line not allowed for the source" in (
        report["B2"].failing_rows
    )


def test_changed_input_after_solving_fails_p1_for_that_class(solved: SolveRun) -> None:
    inputs = copy.deepcopy(solved.inputs)
    record = inputs.tables["Personnel"].records[1]
    record["attrition_rate"] += 0.05
    report = audit(solved, inputs=inputs)
    assert {"P1", "D:Plan_Personnel"} <= failed(report)
    label = f"{record['trade']}/{record['grade']} "
    assert report["P1"].worst_row.startswith(label)
    assert all(row.startswith(label) for row in report["P1"].failing_rows)
    assert report["D:Plan_Personnel"].worst_row.startswith(label)


def test_wrong_objective_value_fails_obj(solved: SolveRun) -> None:
    report = audit(solved, objective_value=solved.outcome.objective * (1 + 1e-4))
    assert failed(report) == {"OBJ"}
    assert report["OBJ"].worst_row == "objective (min_cost)"


def test_missing_and_duplicate_rows_fail_rows(solved: SolveRun) -> None:
    tables = tables_of(solved)
    units = tables["Plan_Units"]
    unit, year = units.loc[0, "unit_type"], int(units.loc[0, "year"])
    tables["Plan_Units"] = units.drop(index=0)
    equipment = tables["Plan_Equipment"]
    tables["Plan_Equipment"] = pd.concat([equipment, equipment.iloc[[0]]], ignore_index=True)
    report = audit(solved, tables)
    rows = report["ROWS"].failing_rows
    assert f"Plan_Units: missing row {unit} {year}" in rows
    assert f"Plan_Equipment row {len(equipment) + 2}: duplicate row" in rows


def test_negative_decision_value_fails_nn(solved: SolveRun) -> None:
    tables = tables_of(solved)
    tables["Plan_Equipment"].loc[2, "disposals"] = -1.0
    report = audit(solved, tables)
    assert "NN" in failed(report)
    assert report["NN"].worst_row == "Plan_Equipment row 4 disposals"


def test_elastic_plan_audited_as_strict_fails(tmp_path: Path) -> None:
    """Shortfalls are only allowed in elastic mode."""
    path = random_workbook(tmp_path / "tight.xlsx", 2, 3, 2, 3, tight=("end_strength",))
    run = run_solve(SolveRequest(path, write=False, elastic=True))
    assert audit(run).ok
    strict = audit_plan(run.inputs, run.tables.tables, run.outcome.objective, "min_cost", False)
    assert "P7" in failed(strict)
    assert "OBJ" in failed(strict)  # the penalties are no longer part of the objective
