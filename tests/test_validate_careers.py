"""Validation of the careers columns (MODEL.md §8.1, §8.4, §8.5): every bad value is
reported with its sheet and cell; the minimal workbook stays clean.

Layout of `minimal_sheets()` (see tests/wb.py): Personnel rows 2-5 are infantry/enlisted,
infantry/officer, signals/enlisted, signals/officer with columns A-K; a new column is
appended as L, M, ...; PersonnelYears row 2 is infantry/enlisted 2027 (columns A-F).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wb import Sheets, add_row, minimal_sheets, set_value, write_workbook

from forceplan.errors import Issue
from forceplan.workbook.validate import validate_workbook

CASES: list = []


def case(where: str, severity: str = "error", says: str = ""):
    def register(mutate):
        CASES.append(pytest.param(mutate, where, severity, says, id=mutate.__name__))
        return mutate

    return register


def validate(tmp_path: Path, sheets: Sheets) -> list[Issue]:
    return validate_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))[1]


def show(issues: list[Issue]) -> str:
    return "\n".join(str(i) for i in issues) or "(no issues)"


@case("Personnel!L2", says="move_eligible_share")
def eligible_share_above_one(s):
    set_value(s, "Personnel", 2, "move_eligible_share", 1.5)


@case("Personnel!L3", says="component")
def unknown_component(s):
    set_value(s, "Personnel", 3, "component", "reservist")


@case("EndStrength!D2", says="component")
def unknown_end_strength_component(s):
    set_value(s, "EndStrength", 2, "component", "everyone")


@case("EndStrength!A5", says="duplicate record")
def duplicate_year_and_component(s):
    add_row(s, "EndStrength", year=2026, min_total=0, max_total=2000, component="active")


@case("Settings!B6", says="terminal")
def unknown_terminal_rule(s):
    add_row(s, "Settings", key="terminal", value="forever")


@case("Settings!B6", says="accession_step_max_total")
def negative_total_step(s):
    add_row(s, "Settings", key="accession_step_max_total", value=-5)


@case("Personnel!L2", says="accession_step_max")
def negative_class_step(s):
    set_value(s, "Personnel", 2, "accession_step_max", -1)


@case("PersonnelYears!G2", says="Personnel!L2")
def limited_duty_min_above_max(s):
    set_value(s, "Personnel", 2, "limited_duty_max", 5)
    set_value(s, "PersonnelYears", 2, "limited_duty_min", 8)


@case("PersonnelYears!G2", says="the default of Personnel.limited_duty_max")
def limited_duty_min_without_places(s):
    set_value(s, "PersonnelYears", 2, "limited_duty_min", 8)


@case("Personnel!L2", says="limited_duty_max is 0")
def limited_duty_share_without_places(s):
    set_value(s, "Personnel", 2, "limited_duty_share_min", 0.05)


@case("Personnel!M2", says="PersonnelYears!G2")
def limited_duty_share_of_minimum_strength_above_places(s):
    set_value(s, "Personnel", 2, "limited_duty_max", 10)
    set_value(s, "Personnel", 2, "limited_duty_share_min", 0.1)
    set_value(s, "PersonnelYears", 2, "min_strength", 500)  # 10 % of 500 = 50 > 10


@case("Personnel!L2", says="PersonnelYears!E2")
def accession_step_below_the_gap_of_min_and_max(s):
    # infantry/enlisted must recruit ≥ 300 in 2027 (PersonnelYears!E2) and ≤ 100 in 2028:
    # a fall of 200 where accession_step_max allows 50
    set_value(s, "PersonnelYears", 2, "accession_min", 300)
    add_row(s, "PersonnelYears", trade="infantry", grade="enlisted", year=2028, accession_max=100)
    set_value(s, "Personnel", 2, "accession_step_max", 50)


@case("Settings!B6", says="accession_step_max_total 10 allows")
def total_accession_step_below_the_gap_of_min_and_max(s):
    # all classes must recruit ≥ 300 in 2027 (infantry/enlisted) but infantry/enlisted may
    # recruit ≤ 100 in 2028 and the other classes ≤ 20 + 150 + 10 = 180: 280 < 300 − 10
    add_row(s, "Settings", key="accession_step_max_total", value=10)
    set_value(s, "PersonnelYears", 2, "accession_min", 300)
    add_row(s, "PersonnelYears", trade="infantry", grade="enlisted", year=2028, accession_max=100)


@case("Personnel!J2", "warning", says="P9")
def separation_minimum_above_the_survivors(s):
    set_value(s, "Personnel", 2, "separation_min", 950)  # 1000 start, 10 % attrition: 900
    set_value(s, "Personnel", 2, "separation_max", 1000)


@case("PersonnelYears!G3", "warning", says="P9")
def separation_minimum_override_above_the_survivors(s):
    # signals/officer: 40 at the start, 5 % attrition, at most 10 recruits a year: at most
    # 0.95·(38 + 9.5) = 45.1 can be serving from the start of 2027; 2027 asks for 60
    add_row(
        s,
        "PersonnelYears",
        trade="signals",
        grade="officer",
        year=2027,
        separation_min=60,
        separation_max=60,
    )


@case("EndStrength!D5", "warning", says="no Personnel class has component reserve")
def reserve_band_without_reserve(s):
    add_row(s, "EndStrength", year=2026, min_total=0, max_total=10, component="reserve")


@case("Ratios!B2", "warning", says="reserve class signals/officer")
def ratio_names_a_reserve_class(s):
    set_value(s, "Personnel", 5, "component", "reserve")
    set_value(s, "Ratios", 2, "numerator_trades", "signals")


@pytest.mark.parametrize(("mutate", "where", "severity", "says"), CASES)
def test_rule_reports_cell(tmp_path, mutate, where, severity, says):
    sheets = minimal_sheets()
    mutate(sheets)
    issues = validate(tmp_path, sheets)
    sheet, cell = where.split("!")
    hits = [i for i in issues if i.sheet == sheet and i.cell == cell and i.severity == severity]
    assert hits, f"expected {severity} at {where}\n{show(issues)}"
    assert any(says in i.message for i in hits), show(hits)


def test_careers_columns_used_well_are_clean(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "move_eligible_share", 0.3)
    set_value(sheets, "Personnel", 2, "limited_duty_max", 20)
    set_value(sheets, "Personnel", 2, "limited_duty_share_min", 0.01)
    set_value(sheets, "Personnel", 2, "accession_step_max", 200)
    set_value(sheets, "Personnel", 2, "component", "reserve")  # named by no explicit ratio list
    set_value(sheets, "PersonnelYears", 2, "limited_duty_min", 5)
    add_row(sheets, "EndStrength", year=2026, min_total=0, max_total=100, component="reserve")
    add_row(sheets, "EndStrength", year=2026, min_total=0, max_total=2000, component="all")
    add_row(sheets, "Settings", key="terminal", value="steady")
    add_row(sheets, "Settings", key="accession_step_max_total", value=300)
    assert validate(tmp_path, sheets) == []
