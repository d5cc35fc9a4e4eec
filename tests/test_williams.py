"""The published manpower-planning case of Williams, "Model Building in Mathematical
Programming" (5th ed., problem 12.5 / solution 13.5), built as a forceplan workbook.

Three classes of one trade (unskilled, semi-skilled, skilled), three years. The published
optima (also reproduced by Gurobi's modeling-examples notebook `manpower_planning`):
- fewest redundancies: 841.796875 (the book rounds to 842);
- least cost: 498,677.29 (£; training, redundancy, short-time and overmanning costs).

Mapping: wastage of people with ≥ 1 year of service = attrition_rate, of recruits =
first_year_attrition_rate; short-time working = limited duty (≤ 50 per class, half
productive, its cost = limited_duty_cost); overmanning = overstrength (≤ 150 in total,
overstrength_cost); retraining = Transitions (unskilled → semi-skilled ≤ 200 a year at 400;
semi-skilled → skilled ≤ 25 % of the skilled strength at 500; the retrained lose the
destination's ≥ 1-year wastage, loss_rate 0.05, as in the book's balance rows);
downgrading = Transitions with loss_rate 0.5 (half of those downgraded leave); redundancy =
separations (separation_cost). Requirements are direct posts (PersonnelYears.requirement).

P9 (MODEL.md §8.1, time in grade) is on in every forceplan model since v2: both published
optima must still come out — the book's plans never separate or move on more people than
the survivors of last year's stock.
"""

from __future__ import annotations

from typing import Any

import pytest

UNSK, SEMI, SKIL = "unskilled", "semi", "skilled"
REQUIREMENT = {  # year -> (unskilled, semi-skilled, skilled)
    1: (1000, 1400, 1000),
    2: (500, 2000, 1500),
    3: (0, 2500, 2000),
}
FEWEST_REDUNDANCIES = 841.796875
LEAST_COST = 498_677.29  # published to the penny


def williams(model: Any, objective: str) -> dict[str, list[list[Any]]]:
    grades = (UNSK, SEMI, SKIL)
    sheets = {
        "Settings": model.settings(1, 3, overstrength_max_total=150, objective=objective),
        "Personnel": model.sheet(
            "trade grade initial_strength attrition_rate first_year_attrition_rate "
            "accession_max separation_cost overstrength_cost limited_duty_max "
            "limited_duty_availability limited_duty_cost",
            ("works", UNSK, 2000, 0.10, 0.25, 500, 200, 1500, 50, 0.5, 500),
            ("works", SEMI, 1500, 0.05, 0.20, 800, 500, 2000, 50, 0.5, 400),
            ("works", SKIL, 1000, 0.05, 0.10, 500, 500, 3000, 50, 0.5, 400),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement",
            *[
                ("works", g, y, req[k])
                for y, req in REQUIREMENT.items()
                for k, g in enumerate(grades)
            ],
        ),
        "Transitions": model.sheet(
            "from_trade from_grade to_trade to_grade cost max_per_year "
            "max_share_of_destination loss_rate",
            ("works", UNSK, "works", SEMI, 400, 200, None, 0.05),
            ("works", SEMI, "works", SKIL, 500, None, 0.25, 0.05),
            ("works", SEMI, "works", UNSK, 0, None, None, 0.5),
            ("works", SKIL, "works", UNSK, 0, None, None, 0.5),
            ("works", SKIL, "works", SEMI, 0, None, None, 0.5),
        ),
    }
    if objective == "custom":
        sheets["Objective"] = model.sheet("metric weight", ("separations", 1))
    return sheets


def test_fewest_redundancies_is_the_published_optimum(model) -> None:
    run = model.solve(williams(model, "custom"))
    assert run.outcome.status == "optimal"
    assert run.outcome.objective == pytest.approx(FEWEST_REDUNDANCIES, rel=1e-9)
    assert model.total(run, "Plan_Personnel", "separations") == pytest.approx(
        FEWEST_REDUNDANCIES, rel=1e-9
    )


def test_least_cost_is_the_published_optimum(model) -> None:
    run = model.solve(williams(model, "min_cost"))
    assert run.outcome.status == "optimal"
    assert run.outcome.objective == pytest.approx(LEAST_COST, abs=0.01)


@pytest.mark.parametrize("objective", ["custom", "min_cost"])
def test_p9_prices_nothing_in_the_published_plans(model, objective: str) -> None:
    """P9 is in the model and none of its rows has a price: the optimum is the book's because
    time in grade costs nothing here, not by luck of the simplex path. (In the least-cost
    plan the unskilled row of year 3 holds at 0 = 0: nobody is left to leave.)"""
    run = model.solve(williams(model, objective))
    rows = model.table(run, "Plan_Constraints").query("id == 'P9'")
    assert len(rows) == 9  # three classes × three years
    assert rows["shadow_price"].abs().max() <= 1e-9, rows.to_string()
