"""A family added by its model module and its schema entries alone (issue 11).

tests/toy_housing.py declares H1 "active strength ≤ barracks capacity" on a toy input
sheet, Housing. Registered here in schema.FAMILIES and schema.SHEETS (nothing else is
edited), it must appear in the LP, in Plan_Constraints with its input cells, in the
report's formulation section, in the audit (its module tests/toy_housing_audit.py) and, in
elastic mode, in Plan_Shortfalls.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import toy_housing
from wb import minimal_sheets, write_workbook

from forceplan import schema
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.report import write_report

#: Barracks places per year; 2027's is EndStrength.min_total 2027: the plan's strength
#: then sits on both (min cost keeps strength at the minimum of the glide path).
CAPACITY = {2026: 1500, 2027: 1300, 2028: 1800}


@pytest.fixture
def housing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FORCEPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(schema, "FAMILIES", [*schema.FAMILIES, toy_housing.SPEC])
    monkeypatch.setattr(schema, "SHEETS", (*schema.SHEETS, toy_housing.HOUSING))
    monkeypatch.setitem(schema.SHEETS_BY_NAME, "Housing", toy_housing.HOUSING)


def _workbook(path: Path, capacity: dict[int, float], elastic: bool = False) -> Path:
    sheets = minimal_sheets()
    sheets["Housing"] = [["year", "capacity"], *([y, c] for y, c in capacity.items())]
    if elastic:
        sheets["Settings"].append(["elastic", True])
    return write_workbook(path, sheets)


def _solve(book: Path):
    run = run_solve(SolveRequest(book, output=book.with_name(book.stem + ".plan.xlsx")))
    assert run.outcome.status == "optimal", run.outcome.message
    return run


def test_toy_family_rows_are_in_the_lp_and_in_plan_constraints(housing, tmp_path: Path) -> None:
    run = _solve(_workbook(tmp_path / "army.xlsx", CAPACITY))
    rows = run.built.model.H1_housing
    lp = run.outcome.lp
    upper = lp.highs.getLp().row_upper_
    for y, cap in CAPACITY.items():  # each row is in HiGHS's LP, with its capacity
        assert upper[lp.row_of[rows[y]]] == cap
    constraints = pd.read_excel(run.output, sheet_name="Plan_Constraints", engine="calamine")
    h1 = constraints[constraints["id"] == "H1"].set_index("index")
    assert list(h1.index) == [f"barracks {y}" for y in CAPACITY]
    assert (h1["kind"] == "barracks ≤ capacity").all()
    assert list(h1["upper"]) == list(CAPACITY.values())
    assert list(h1["source_cells"]) == [f"Housing!A{r}, Housing!B{r}" for r in (2, 3, 4)]
    # 2027's cap holds the plan's strength at the glide path's minimum, where it binds
    assert h1.loc["barracks 2027", "value"] == pytest.approx(1300)
    assert bool(h1.loc["barracks 2027", "binding"])
    assert not h1.loc[["barracks 2026", "barracks 2028"], "binding"].any()


def test_toy_family_is_in_the_report(housing, tmp_path: Path) -> None:
    run = _solve(_workbook(tmp_path / "army.xlsx", CAPACITY))
    html = write_report(run.output).html.read_text(encoding="utf-8")
    assert "Σ_{p active} S[p,y] ≤ Housing.capacity[y]" in html  # the family's algebra
    assert "The active strength of a year lives in barracks" in html  # its kind's meaning
    assert "barracks ≤ capacity" in html


def test_toy_family_shortfall_is_listed(housing, tmp_path: Path) -> None:
    capacity = {**CAPACITY, 2027: 1250}  # below EndStrength.min_total 2027 (1300)
    run = _solve(_workbook(tmp_path / "short.xlsx", capacity, elastic=True))
    listing = pd.read_excel(run.output, sheet_name="Plan_Shortfalls", engine="calamine")
    housing_rows = listing[listing["kind"] == "housing"]
    assert list(housing_rows["constraint"]) == ["H1"]
    assert list(housing_rows["where"]) == ["persons above barracks capacity"]
    assert list(housing_rows["year"]) == [2027]
    amount = float(housing_rows["amount"].iloc[0])
    assert amount == pytest.approx(50)
    assert float(housing_rows["penalty"].iloc[0]) == pytest.approx(toy_housing.PENALTY * amount)


def test_a_family_without_words_gets_its_title(monkeypatch: pytest.MonkeyPatch) -> None:
    from forceplan.report.families import describe, family_words

    bare = schema.FamilySpec("bare", ("Z1",), "bare family", model_module="toy_housing")
    monkeypatch.setattr(schema, "FAMILIES", [*schema.FAMILIES, bare])
    titles, _kinds = family_words()
    assert titles["Z1"] == ("bare family", "toy_housing.py", "")
    assert describe("Z1", "cap").meaning == "bare family: cap."


def _audit(run, tables: dict[str, pd.DataFrame] | None = None):
    from forceplan.audit import audit_plan

    return audit_plan(
        run.inputs,
        tables if tables is not None else run.tables.tables,
        run.outcome.objective,
        run.data.objective,
        run.data.elastic,
    )


def test_toy_family_is_audited(housing, tmp_path: Path) -> None:
    """Its audit module (tests/toy_housing_audit.py) is run: H1 rows re-derived from the
    plan and the Housing sheet, its Plan_Constraints rows rebuilt, and an edited plan that
    breaks a barracks limit fails at that row."""
    run = _solve(_workbook(tmp_path / "army.xlsx", CAPACITY))
    report = _audit(run)
    assert report.ok, report.text()
    assert report["H1"].rows_checked == len(CAPACITY)
    assert not any("H1" in note for note in report.notes), report.notes  # rows rebuilt
    tables = {k: v.copy() for k, v in run.tables.tables.items()}
    people = tables["Plan_Personnel"]
    first = people.index[people["year"] == 2027][0]
    people.loc[first, "strength"] += 25.0  # 25 more people than 2027's barracks hold
    edited = _audit(run, tables)
    assert not edited["H1"].ok
    assert edited["H1"].worst_row.startswith("barracks 2027")


def test_toy_family_shortfall_is_audited(housing, tmp_path: Path) -> None:
    capacity = {**CAPACITY, 2027: 1250}
    run = _solve(_workbook(tmp_path / "short.xlsx", capacity, elastic=True))
    report = _audit(run)
    assert report["H1"].ok and report["H1"].rows_checked == len(capacity), report.text()
