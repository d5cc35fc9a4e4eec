"""Synthetic workbooks: valid, feasible, deterministic, every sheet used."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import forceplan

from forceplan import schema
from forceplan.generate import Size, generate_sheets, generate_workbook
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.plan_reader import read_plan
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
    """--careers (issue 18): the v2 careers columns, a reserve class per trade with its
    EndStrength rows, a total intake step; the other sheets unchanged; the workbook
    validates and solves."""
    plain, careers = generate_sheets(size, 3), generate_sheets(replace(size, careers=True), 3)
    for name in set(plain) - {"Personnel", "Transitions", "EndStrength", "Settings"}:
        assert careers[name] == plain[name], name
    header = careers["Personnel"][0]
    assert {"component", "move_eligible_share", "accession_step_max"} <= set(header)
    reserve = [r for r in careers["Personnel"][1:] if r[header.index("component")] == "reserve"]
    assert len(reserve) == size.trades
    components = [r[-1] for r in careers["EndStrength"][1:]]
    assert components.count("reserve") == components.count("all") == size.years
    assert "accession_step_max_total" in {r[0] for r in careers["Settings"][1:]}
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


# --- the v2 flags (issue 18): --money, --steady, --v2 ----------------------------------------

V2_FLAGS = {
    "money": {"money": True},
    "steady": {"steady": True},
    "careers": {"careers": True},
    "cohorts": {"cohorts": 3},
    "limited_duty": {"limited_duty": True},
    "v2": {"careers": True, "cohorts": 3, "money": True, "steady": True},
}
V2_SHAPE = Size(4, 3, 5, 3, 6)


@pytest.mark.parametrize("flags", list(V2_FLAGS), ids=str)
def test_v2_flag_validates_solves_and_passes_the_audit(tmp_path, flags):
    """Each v2 flag alone and all together: no validation issue, an optimal min_cost plan
    written by `forceplan solve`, and `forceplan audit` passes it."""
    book = tmp_path / "v2.xlsx"
    generate_workbook(book, replace(V2_SHAPE, **V2_FLAGS[flags]), seed=4)
    _inputs, issues = validate_workbook(book)
    assert not issues, [str(i) for i in issues]
    plan = tmp_path / "v2.plan.xlsx"
    solved = forceplan("solve", str(book), "-o", str(plan), home=tmp_path)
    assert solved.returncode == 0, solved.stdout + solved.stderr
    assert read_plan(plan).run["status"] == "optimal"
    audited = forceplan("audit", str(plan), home=tmp_path)
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "audit PASSED" in audited.stdout


def test_money_flag_writes_every_v2_money_input():
    sheets = generate_sheets(replace(V2_SHAPE, money=True), seed=4)
    rates = {r[0] for r in sheets["ExchangeRates"][1:]}
    assert rates == {"USD", "EUR"}
    funding = [dict(zip(sheets["Funding"][0], r, strict=True)) for r in sheets["Funding"][1:]]
    by_source = {r["source"]: r for r in funding}
    assert {r["currency"] for r in funding} == {None, "USD", "EUR"}
    assert sorted(r["priority"] for r in by_source.values()) == [1, 2, 3]  # a stated order
    expiring = [r for r in by_source.values() if r["expires_after"] is not None]
    assert expiring and all(r["carryover"] for r in expiring)
    items = [dict(zip(sheets["Equipment"][0], r, strict=True)) for r in sheets["Equipment"][1:]]
    assert any(r["payment_profile"] for r in items) and any(r["currency"] for r in items)
    assert len(sheets["FixedSpending"]) > 2
    for name, column in (
        ("PersonnelYears", "annual_cost"),
        ("PersonnelYears", "attrition_rate"),
        ("UnitYears", "om_cost"),
        ("EquipmentYears", "attrition_rate"),
    ):
        at = sheets[name][0].index(column)
        assert any(r[at] is not None for r in sheets[name][1:]), (name, column)


def test_money_plan_runs_the_priority_stage_and_pays_in_euros(tmp_path):
    """The euro facility is spent first (priority 1) and its money of the year lapses
    after two years; the plan has the funding priority stage."""
    book = tmp_path / "m.xlsx"
    generate_workbook(book, replace(V2_SHAPE, money=True), seed=4)
    run = run_solve(SolveRequest(book, write=False, diagnose=False))
    assert run.outcome.status == "optimal"
    funding = run.tables["Plan_Funding"]
    euros = funding[funding["source"] == "eu_facility"]
    assert set(euros["currency"]) == {"EUR"} and euros["spent"].sum() > 0
    assert run.outcome.stages == ["min_cost", "funding priority"]


@pytest.mark.parametrize("flags", ["money", "steady", "limited_duty"])
def test_v2_flags_leave_the_other_sheets_as_they_were(flags):
    """Own random stream: a flag changes only the sheets it is about."""
    plain = generate_sheets(V2_SHAPE, 4)
    flagged = generate_sheets(replace(V2_SHAPE, **V2_FLAGS[flags]), 4)
    touched = {
        "money": {
            "ExchangeRates",
            "PriceIndex",
            "Equipment",
            "EquipmentYears",
            "PersonnelYears",
            "UnitYears",
            "FixedSpending",
            "Funding",
        },
        "steady": {"Settings"},
        "limited_duty": {"Personnel"},
    }[flags]
    for name in set(plain) - touched:
        assert flagged[name] == plain[name], name
    for name in touched:
        assert flagged[name] != plain[name], name


def _sheet_parts(path: Path) -> dict[str, bytes]:
    """The workbook's parts but its document properties (which carry the time written)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def test_cli_v2_is_every_flag_and_same_seed_gives_the_same_bytes(tmp_path):
    """`generate --v2` = --careers --cohorts 3 --money --steady; the same seed writes the
    same bytes (file metadata aside), another seed other data."""
    shape = ["--trades", "4", "--grades", "3", "--years", "5", "--unit-types", "3"]
    paths = []
    for name, extra in (
        ("a", ["--v2"]),
        ("b", ["--careers", "--cohorts", "3", "--money", "--steady"]),
        ("c", ["--v2", "--seed", "9"]),
    ):
        paths.append(tmp_path / f"{name}.xlsx")
        done = forceplan("generate", str(paths[-1]), *shape, "--equipment", "6", *extra)
        assert done.returncode == 0, done.stdout + done.stderr
    first, again, other = (_sheet_parts(p) for p in paths)
    assert first == again
    assert first != other
    python = tmp_path / "python.xlsx"
    generate_workbook(python, replace(V2_SHAPE, careers=True, cohorts=3, money=True, steady=True))
    assert _sheet_parts(python) == first


@pytest.mark.parametrize("size", MANY_SEED_SHAPES, ids=lambda s: f"{s.trades}x{s.grades}x{s.years}")
def test_v2_is_feasible_for_many_seeds(tmp_path, size):
    failed = []
    for seed in range(6):
        path = tmp_path / f"g{seed}.xlsx"
        generate_workbook(path, replace(size, **V2_FLAGS["v2"]), seed)
        run = run_solve(SolveRequest(path, write=False, diagnose=False))
        if run.outcome.status != "optimal":
            failed.append((seed, run.outcome.status))
    assert not failed, failed
