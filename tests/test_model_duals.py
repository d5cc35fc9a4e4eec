"""Shadow prices in Plan_Constraints (sign convention of forceplan.model.solve): the price
of a binding row or bound is the change of the objective per unit increase of its right-hand
side. Checked by finite differences: re-solve with the bound moved by one unit (small LPs
whose optimal basis does not change over that step)."""

from __future__ import annotations

import pytest


def price(model, run, id, kind, index):
    row = model.constraint(run, id, kind, index)
    assert row["binding"], row
    return float(row["shadow_price"])


def test_course_capacity_price(model):
    def case(capacity):
        return model.solve(
            {
                "Settings": model.settings(2026),
                "Personnel": model.sheet(
                    "trade grade initial_strength annual_cost accession_cost accession_courses",
                    ("inf", "E", 0, 10, 1, "basic"),
                ),
                "PersonnelYears": model.sheet(
                    "trade grade year requirement", ("inf", "E", 2026, 14)
                ),
                "Courses": model.sheet(
                    "course capacity expansion_cost expansion_max", ("basic", capacity, 50, 100)
                ),
            }
        )

    base, more = case(10), case(11)
    # 14 recruits (10·14 + 1·14) on 10 seats + 4 added at 50: 354; one more seat saves 50
    assert base.outcome.objective == model.approx(354.0)
    assert more.outcome.objective == model.approx(304.0)
    shadow = price(model, base, "C1", "capacity", "basic 2026")
    assert shadow == model.approx(more.outcome.objective - base.outcome.objective)
    assert shadow == model.approx(-50.0)


@pytest.mark.parametrize("year", [2026, 2027])
def test_end_strength_minimum_price(model, year):
    def case(bump):
        rows = [(y, 100 + (bump if y == year else 0)) for y in (2026, 2027)]
        return model.solve(
            {
                "Settings": model.settings(2026, 2027),
                "Personnel": model.sheet(
                    "trade grade initial_strength attrition_rate annual_cost accession_cost",
                    ("inf", "E", 100, 0.1, 10, 1),
                ),
                "EndStrength": model.sheet("year min_total", *rows),
            }
        )

    base, more = case(0), case(1)
    # base: A = 10/0.9 each year, cost 10·200 + 2·10/0.9.
    # +1 in 2026: 10 pay + 1/0.9 recruiting, and 0.9 of that head is still there in 2027,
    #   saving one 2027 recruit (1): 10 + 1/0.9 - 1;  +1 in 2027: 10 + 1/0.9
    expected = {2026: 10 + 1 / 0.9 - 1, 2027: 10 + 1 / 0.9}[year]
    assert more.outcome.objective - base.outcome.objective == model.approx(expected)
    assert price(model, base, "P7", "minimum", f"total {year}") == model.approx(expected)


def test_accession_bound_price(model):
    def case(acc_max_2027):
        return model.solve(
            {
                "Settings": model.settings(2026, 2027),
                "Personnel": model.sheet(
                    "trade grade initial_strength annual_cost accession_max separation_max",
                    ("inf", "E", 100, 1, 7, 0),
                ),
                "PersonnelYears": model.sheet(
                    "trade grade year accession_max", ("inf", "E", 2027, acc_max_2027)
                ),
                "EndStrength": model.sheet("year min_total", (2027, 112)),
            }
        )

    base, more = case(7), case(8)
    # 12 recruits needed by 2027, 7 in 2027 and 5 paid a year early: 105 + 112 = 217;
    # one more 2027 place saves a year of pay: 216
    assert base.outcome.objective == model.approx(217.0)
    assert more.outcome.objective == model.approx(216.0)
    shadow = price(model, base, "P4", "class limits", "inf/E 2027")
    assert shadow == model.approx(more.outcome.objective - base.outcome.objective)


def test_line_limit_price(model):
    def case(limit):
        return model.solve(
            {
                "Settings": model.settings(2026, 2027),
                "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
                "Equipment": model.sheet("equipment unit_price", ("rifle", 100)),
                "EquipmentYears": model.sheet(
                    "equipment year unit_price requirement", ("rifle", 2027, 200, 10)
                ),
                "LineLimits": model.sheet("line year max_amount", ("procurement", 2026, limit)),
            }
        )

    base, more = case(500), case(501)
    # a unit more of the 2026 budget buys 1/100 rifle at 100 instead of 2027's 200: -1
    assert more.outcome.objective - base.outcome.objective == model.approx(-1.0)
    assert price(model, base, "B3", "line limits", "procurement 2026") == model.approx(-1.0)


def test_max_capability_price_refers_to_capability(model):
    def case(acc_max):
        return model.solve(
            {
                "Settings": model.settings(2026, objective="max_capability"),
                "Personnel": model.sheet(
                    "trade grade initial_strength annual_cost accession_max separation_max",
                    ("inf", "E", 12, 1, acc_max, 0),
                ),
                "UnitTypes": model.sheet(
                    "unit_type capability_score om_cost max_units", ("bn", 10, 50, 4)
                ),
                "Manning": model.sheet("unit_type trade grade personnel", ("bn", "inf", "E", 5)),
            }
        )

    base, more = case(0), case(1)
    # one more recruit mans 1/5 unit more: capability + 10/5 = 2
    step = more.outcome.objective - base.outcome.objective
    assert step == pytest.approx(2.0, rel=1e-9)
    shadow = price(model, base, "P4", "class limits", "inf/E 2026")
    assert shadow == pytest.approx(step, rel=1e-9)


def test_rows_off_their_bounds_have_no_price(tmp_path):
    """A bound row whose variable sits at 0 (a sign restriction the table leaves out) must not
    show that zero bound's reduced cost as its own price."""
    from wb import minimal_sheets, write_workbook

    from forceplan.pipeline import SolveRequest, run_solve

    run = run_solve(
        SolveRequest(write_workbook(tmp_path / "m.xlsx", minimal_sheets()), write=False)
    )
    rows = run.tables.tables["Plan_Constraints"]
    loose = rows[~rows["binding"]]
    assert len(loose) and (loose["shadow_price"].fillna(0.0) == 0.0).all()
