"""Property tests: random feasible workbooks, solved, then re-checked by the independent audit.

Every workbook from `randomwb.random_workbook` uses every input sheet and is feasible by
construction, so each solve must be optimal and its plan must pass every audit family
(MODEL.md §3 P1-P8, T1, C1, U1, E1, E2, B1-B3, the cost ledger, the objective and the
derived columns), with rows checked in every family.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from randomwb import random_workbook

from forceplan.audit import AuditReport, audit_plan
from forceplan.pipeline import SolveRequest, SolveRun, run_solve

SEEDS = range(15)
SIZES = {  # (n_trades, n_grades, n_years)
    "small": (2, 2, 2),
    "medium": (3, 2, 3),
    "large": (4, 3, 5),
}
#: Families every random workbook exercises (each must check at least one row).
FAMILIES = (
    "ROWS",
    "NN",
    *(f"P{i}" for i in range(1, 9)),
    "T1",
    "C1",
    "U1",
    "E1",
    "E2",
    "B1",
    "B2",
    "B3",
    "OBJ",
    "D:Plan_Personnel",
    "D:Plan_Transitions",
    "D:Plan_Training",
    "D:Plan_Equipment",
    "D:Plan_Budget",
    "D:Plan_Funding",
)
TIGHT = ("end_strength", "funding", "units", "equipment", "ratio", "manning")


def solve_and_audit(path: Path, **options) -> tuple[SolveRun, AuditReport]:
    run = run_solve(SolveRequest(path, write=False, **options))
    assert run.outcome.status == "optimal", run.outcome.message
    report = audit_plan(
        run.inputs,
        run.tables.tables,
        run.outcome.objective,
        run.data.objective,
        run.data.elastic,
        run.data.integer_units,
    )
    return run, report


def assert_passes(report: AuditReport, families=FAMILIES) -> None:
    assert report.ok, report.text()
    unchecked = [f for f in families if report[f].rows_checked == 0]
    assert not unchecked, f"families with no rows: {unchecked}\n{report.text()}"


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("seed", SEEDS)
def test_random_plan_passes_audit(tmp_path: Path, seed: int, size: str) -> None:
    path = random_workbook(
        tmp_path / "random.xlsx", seed, *SIZES[size], integer_orders=seed % 4 == 0
    )
    _run, report = solve_and_audit(path)
    assert_passes(report)


@pytest.mark.parametrize("seed", range(6))
def test_elastic_plan_with_shortfalls_passes_audit(tmp_path: Path, seed: int) -> None:
    """Too-tight end strength (plus, by seed, more kinds): priced shortfalls, audited."""
    tight = ("end_strength", *TIGHT[1 : 1 + seed])
    path = random_workbook(
        tmp_path / "tight.xlsx", seed, 3, 2, 3, tight=tight, penalties=seed % 2 == 0
    )
    strict = run_solve(SolveRequest(path, write=False, diagnose=False))
    assert strict.outcome.status in ("infeasible", "infeasible_or_unbounded")
    run, report = solve_and_audit(path, elastic=True)
    shortfalls = run.tables.tables["Plan_Shortfalls"]
    assert len(shortfalls), "the tight workbook should need priced shortfalls"
    assert_passes(report, (*FAMILIES, "SH"))
    penalty = run.tables.summary["penalty"]
    assert penalty > 0
    assert run.outcome.objective == pytest.approx(run.tables.summary["cost"] + penalty)


@pytest.mark.parametrize("objective", ["max_capability", "custom"])
@pytest.mark.parametrize("seed", range(3))
def test_other_objectives_pass_audit(tmp_path: Path, seed: int, objective: str) -> None:
    path = random_workbook(tmp_path / "obj.xlsx", seed, 3, 2, 3, objective=objective)
    _run, report = solve_and_audit(path)
    assert_passes(report)


#: Elastic max_capability once held its optimum with one ill-scaled row (points next to
#: penalties of ~1e10) and HiGHS bent bounds in the cost stage; seed 1 showed it.
@pytest.mark.parametrize("seed", [0, 1, 3, 11, 15])
def test_max_capability_elastic_passes_audit(tmp_path: Path, seed: int) -> None:
    path = random_workbook(
        tmp_path / "cap.xlsx",
        seed,
        4,
        3,
        4,
        n_units=2,
        n_equipment=1,
        objective="max_capability",
        tight=("manning",),
    )
    _run, report = solve_and_audit(path, elastic=True)
    assert_passes(report, (*FAMILIES, "SH"))


def test_integer_units_pass_audit(tmp_path: Path) -> None:
    path = random_workbook(tmp_path / "int.xlsx", 3, 3, 2, 3, integer_orders=True)
    run, report = solve_and_audit(path, integer_units=True)
    assert run.outcome.is_mip
    assert_passes(report)


def test_same_workbook_same_plan(tmp_path: Path) -> None:
    """MODEL.md §4: the same workbook gives the same plan, digit for digit."""
    path = random_workbook(tmp_path / "twice.xlsx", 11, 3, 3, 4)
    first = run_solve(SolveRequest(path, write=False)).tables.tables
    second = run_solve(SolveRequest(path, write=False)).tables.tables
    for name in ("Plan_Personnel", "Plan_Units", "Plan_Equipment", "Plan_Allocation"):
        assert first[name].equals(second[name]), name
