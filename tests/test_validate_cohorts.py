"""Validation of service limits (MODEL.md §8.2) and courses that take years (§8.3): every
bad value is reported with its sheet and cell; limits used well are clean.

minimal_sheets() (tests/wb.py): Personnel rows 2-5 infantry/enlisted (1000), infantry/
officer (100), signals/enlisted (300, separation_max 30, no arc out), signals/officer (40),
columns A-K, a new column appended as L; PersonnelCohorts is a new sheet (A trade, B grade,
C years_served, D strength).
"""

from __future__ import annotations

import pytest
from test_validate_careers import show, validate
from wb import add_row, minimal_sheets, set_value

CASES: list = []


def case(where: str, severity: str = "error", says: str = ""):
    def register(mutate):
        CASES.append(pytest.param(mutate, where, severity, says, id=mutate.__name__))
        return mutate

    return register


@case("Personnel!L2", says="max_service_years")
def limit_below_one(s):
    set_value(s, "Personnel", 2, "max_service_years", 0)


@case("Personnel!L2", says="max_service_years")
def limit_not_whole(s):
    set_value(s, "Personnel", 2, "max_service_years", 2.5)


@case("PersonnelCohorts!D2", says="Personnel!C4")
def cohorts_do_not_sum(s):
    set_value(s, "Personnel", 4, "max_service_years", 3)
    add_row(s, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=0, strength=100)
    add_row(s, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=1, strength=100)


@case("PersonnelCohorts!C3", says="not below max_service_years 2")
def years_served_at_the_limit(s):
    set_value(s, "Personnel", 4, "max_service_years", 2)
    add_row(s, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=0, strength=100)
    add_row(s, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=2, strength=200)


@case("PersonnelCohorts!A2", says="no max_service_years")
def cohorts_without_a_limit(s):
    add_row(s, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=0, strength=300)


@case("Personnel!L4", says="no way out")
def no_way_out(s):
    set_value(s, "Personnel", 4, "max_service_years", 2)
    set_value(s, "Personnel", 4, "separation_max", 0)


@case("PersonnelCohorts!C2", says="years_served")
def negative_years_served(s):
    set_value(s, "Personnel", 4, "max_service_years", 2)
    add_row(s, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=-1, strength=300)


@pytest.mark.parametrize("mutate, where, severity, says", CASES)
def test_rule_reports_cell(tmp_path, mutate, where, severity, says):
    sheets = minimal_sheets()
    mutate(sheets)
    issues = validate(tmp_path, sheets)
    sheet, cell = where.split("!")
    hits = [i for i in issues if i.sheet == sheet and i.cell == cell and i.severity == severity]
    assert hits, f"expected {severity} at {where}\n{show(issues)}"
    assert any(says in i.message for i in hits), show(hits)


def test_limits_and_long_courses_used_well_are_clean(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 4, "max_service_years", 3)
    set_value(sheets, "Personnel", 2, "max_service_years", 1)  # has an arc out and separations
    add_row(
        sheets, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=0, strength=100
    )
    add_row(
        sheets, "PersonnelCohorts", trade="signals", grade="enlisted", years_served=2, strength=200
    )
    set_value(sheets, "Courses", 2, "duration_years", 2.5)
    assert validate(tmp_path, sheets) == []
