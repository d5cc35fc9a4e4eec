"""Synthetic workbooks: valid, feasible, deterministic, every sheet used."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from forceplan import schema
from forceplan.generate import Size, generate_sheets, generate_workbook
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.workbook.validate import validate_workbook

SIZES = [Size(1, 1, 1, 1, 1), Size(3, 2, 3, 2, 3), Size(6, 4, 5, 4, 6), Size(12, 5, 10, 10, 25)]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.trades}x{s.grades}x{s.years}")
def test_generated_workbooks_validate_and_solve(tmp_path, size, seed):
    path = tmp_path / "g.xlsx"
    generate_workbook(path, size, seed)
    _inputs, issues = validate_workbook(path)
    assert not issues, [str(i) for i in issues]
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal"


def test_every_input_sheet_is_used():
    sheets = generate_sheets(Size(4, 3, 3, 3, 4, cohorts=2), seed=0)  # PersonnelCohorts too
    assert {s.name for s in schema.SHEETS} <= set(sheets)
    assert all(len(rows) > 1 for rows in sheets.values())


def test_same_seed_same_data_other_seed_other_data():
    assert generate_sheets(Size(), 5) == generate_sheets(Size(), 5)
    assert generate_sheets(Size(), 5) != generate_sheets(Size(), 6)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.trades}x{s.grades}x{s.years}")
def test_careers_flag_adds_v2_columns_and_still_solves(tmp_path, size):
    """--careers (issue 18): the v2 careers columns, a reserve class per trade, the other
    sheets unchanged; the workbook validates and solves."""
    plain, careers = generate_sheets(size, 3), generate_sheets(replace(size, careers=True), 3)
    for name in set(plain) - {"Personnel", "Transitions"}:
        assert careers[name] == plain[name], name
    header = careers["Personnel"][0]
    assert {"component", "move_eligible_share", "accession_step_max"} <= set(header)
    reserve = [r for r in careers["Personnel"][1:] if r[header.index("component")] == "reserve"]
    assert len(reserve) == size.trades
    path = tmp_path / "careers.xlsx"
    generate_workbook(path, replace(size, careers=True), 3)
    _inputs, issues = validate_workbook(path)
    assert not [str(i) for i in issues if i.severity == "error"]
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal"


def test_careers_and_cohorts_together_solve(tmp_path):
    """--careers --cohorts 3 (the v2 careers of the Ukraine example, issue 18): service
    limits on the entry grades beside the reserve class and the smoothing columns."""
    size = Size(4, 3, 4, 3, 4, careers=True, cohorts=3)
    sheets = generate_sheets(size, 2)
    header = sheets["Personnel"][0]
    assert {"component", "max_service_years"} <= set(header) and "PersonnelCohorts" in sheets
    path = tmp_path / "v2.xlsx"
    generate_workbook(path, size, 2)
    _inputs, issues = validate_workbook(path)
    assert not [str(i) for i in issues if i.severity == "error"]
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal"
    assert len(run.tables.tables["Plan_Cohorts"])


def test_integer_orders_make_a_milp_that_solves(tmp_path):
    path = tmp_path / "milp.xlsx"
    generate_workbook(path, Size(3, 2, 3, 2, 3, integer_orders=True), seed=1)
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal" and run.outcome.is_mip


def test_cli_generate(tmp_path):
    path = tmp_path / "cli.xlsx"
    args = [
        sys.executable,
        "-m",
        "forceplan",
        "generate",
        str(path),
        "--trades",
        "5",
        "--grades",
        "3",
        "--years",
        "4",
        "--unit-types",
        "3",
        "--equipment",
        "4",
    ]
    assert subprocess.run(args, capture_output=True, check=False).returncode == 0
    assert validate_workbook(path)[1] == []
    again = subprocess.run(args, capture_output=True, text=True, check=False)
    assert again.returncode == 2 and "already exists" in again.stderr


#: Shapes that stress the construction: one grade, tall pyramids, many units per trade,
#: long horizons (lead times and equipment attrition), the issue's 5x3x5 default-size case.
MANY_SEED_SHAPES = [
    Size(5, 3, 5),
    Size(1, 1, 1, 1, 1),
    Size(2, 1, 12, 3, 4),
    Size(4, 6, 3, 2, 2),
    Size(3, 2, 8, 6, 3),
]


@pytest.mark.parametrize("size", MANY_SEED_SHAPES, ids=lambda s: f"{s.trades}x{s.grades}x{s.years}")
def test_generate_is_feasible_for_many_seeds(tmp_path, size):
    """Issue 13: the default seed at 5x3x5 was infeasible. Every seed must give a plan."""
    failed = []
    for seed in range(12):
        path = tmp_path / f"g{seed}.xlsx"
        generate_workbook(path, size, seed)
        run = run_solve(SolveRequest(path, write=False, diagnose=False))
        if run.outcome.status != "optimal":
            failed.append((seed, run.outcome.status))
    assert not failed, failed


def test_generate_large_shape_from_the_issue_is_feasible(tmp_path):
    path = tmp_path / "g.xlsx"
    generate_workbook(path, Size(60, 6, 12), seed=0)
    run = run_solve(SolveRequest(path, write=False, diagnose=False))
    assert run.outcome.status == "optimal"
