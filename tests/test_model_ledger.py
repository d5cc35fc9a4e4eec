"""The cost ledger adds up to the objective, and a workbook always gives the same plan.

Both use one workbook that switches on nearly every part of the model at once (discounting,
attrition, transitions with courses and losses, instructors, expansion, units with manning
and equipping, lead times, donations, scheduled deliveries, a custom budget line, ratios,
funding with restricted lines and carry-over, line limits)."""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo
import pytest


def rich(model, **settings):
    s = model.sheet
    return {
        "Settings": model.settings(
            2026,
            2028,
            discount_rate=0.05,
            unit_fill_rate=0.9,
            equipment_fill_rate=0.8,
            accession_max_total=400,
            **settings,
        ),
        "Personnel": s(
            "trade grade initial_strength attrition_rate first_year_attrition_rate annual_cost "
            "accession_cost accession_max accession_courses separation_cost separation_max "
            "overstrength_cost limited_duty_max limited_duty_cost",
            ("inf", "E", 400, 0.1, 0.2, 30, 5, 250, "basic", 2, None, 0, 0, 0),
            ("inf", "O", 40, 0.05, 0.05, 60, 8, 10, "basic,lead", 4, 5, 3, 0, 0),
            ("sig", "E", 100, 0.08, 0.1, 32, 5, 100, "basic", 2, None, 1, 5, 1),
        ),
        "PersonnelYears": s(
            "trade grade year requirement min_strength",
            ("inf", "E", 2027, 20, None),
            ("sig", "E", 2028, None, 90),
        ),
        "Transitions": s(
            "from_trade from_grade to_trade to_grade cost max_per_year "
            "max_share_of_destination loss_rate course",
            ("inf", "E", "inf", "O", 10, 15, 0.3, 0.05, "lead"),
        ),
        "Courses": s(
            "course capacity cost_per_trainee duration_years instructor_trade instructor_grade "
            "trainees_per_instructor expansion_cost expansion_max",
            ("basic", 200, 2, 0.25, "inf", "O", 20, 100, 50),
            ("lead", 30, 8, 0.5, None, None, None, 0, 0),
        ),
        "CourseYears": s("course year capacity", ("basic", 2027, 150)),
        "UnitTypes": s(
            "unit_type initial_units capability_score om_cost activation_cost activation_max "
            "min_units max_units",
            ("bn", 1, 10, 1000, 5000, 1, 1, 2),
        ),
        "UnitYears": s("unit_type year min_units", ("bn", 2028, 2)),
        "Manning": s(
            "unit_type trade grade personnel",
            ("bn", "inf", "E", 250),
            ("bn", "inf", "O", 25),
            ("bn", "sig", "E", 40),
        ),
        "Equipping": s("unit_type equipment quantity", ("bn", "rifle", 300), ("bn", "radio", 40)),
        "Equipment": s(
            "equipment initial_stock unit_price om_cost attrition_rate lead_time_years "
            "procurement_max budget_line",
            ("rifle", 400, 80, 2, 0.02, 1, 500, "procurement"),
            ("radio", 40, 300, 10, 0.05, 0, 200, "comms"),
        ),
        "EquipmentYears": s(
            "equipment year unit_price donations_max scheduled_deliveries requirement",
            ("rifle", 2027, 85, 50, None, 20),
            ("radio", 2026, None, None, 5, None),
        ),
        "EndStrength": s("year min_total max_total", (2026, 400, 800), (2028, 600, 1000)),
        "Ratios": s(
            "name numerator_grades denominator_grades min_ratio max_ratio",
            ("officers", "O", "*", 0.03, 0.2),
        ),
        "Funding": s(
            "source year amount lines carryover",
            ("national", 2026, 200_000, "*", False),
            ("national", 2027, 200_000, "*", False),
            ("national", 2028, 250_000, "*", False),
            ("partner", 2026, 60_000, "procurement,comms", True),
            ("partner", 2027, 10_000, "procurement,comms", True),
        ),
        "LineLimits": s("line year min_amount max_amount", ("training", 2026, 100, 5000)),
    }


def ledger_total(run, discounted=True):
    """Σ over (line, year) of df_y · Σ coef · value, straight from built.ledger."""
    total = 0.0
    for (_line, year), terms in run.built.ledger.terms.items():
        factor = run.data.discount[year] if discounted else 1.0
        total += factor * sum(coef * pyo.value(var) for coef, var in terms)
    return total


@pytest.fixture
def solved(model):
    run = model.solve(rich(model))
    assert run.outcome.status == "optimal", run.outcome.message
    return run


def test_rich_workbook_uses_what_it_declares(model, solved):
    # guard for the two tests below: the features are really active in this plan
    spend = model.table(solved, "Plan_Budget").groupby("line")["spend"].sum()
    for line in ("personnel", "recruiting", "training", "units", "sustainment", "comms"):
        assert spend[line] > 0, line
    assert model.total(solved, "Plan_Transitions", "moved") > 0
    assert model.value(solved, "Plan_Units", "units", year=2028) == model.approx(2.0)
    assert solved.data.discount[2028] == model.approx(1 / 1.05**2)


def test_ledger_equals_objective_and_discounted_budget(model, solved):
    objective = solved.outcome.objective
    assert ledger_total(solved) == model.approx(objective)
    budget = model.table(solved, "Plan_Budget")
    assert budget["discounted_spend"].sum() == model.approx(objective)
    assert solved.tables.summary["cost"] == model.approx(objective)
    assert solved.tables.summary["penalty"] == model.approx(0.0)


def test_ledger_per_line_and_year_equals_spend(model, solved):
    spend = model.table(solved, "Plan_Budget").set_index(["line", "year"])["spend"]
    for (line, year), terms in solved.built.ledger.terms.items():
        assert sum(c * pyo.value(v) for c, v in terms) == model.approx(spend[(line, year)])
    assert ledger_total(solved, discounted=False) == model.approx(spend.sum())


@pytest.mark.parametrize(
    "sheets", ["Plan_Personnel", "Plan_Budget", "Plan_Equipment", "Plan_Funding", "Plan_Allocation"]
)
def test_same_workbook_same_plan(model, sheets):
    first = model.solve(rich(model))
    second = model.solve(rich(model))
    pd.testing.assert_frame_equal(
        model.table(first, sheets), model.table(second, sheets), check_exact=True
    )
    assert first.outcome.objective == second.outcome.objective


def test_same_workbook_same_plan_all_tables(model):
    path = model.write(rich(model))
    from forceplan.pipeline import SolveRequest, run_solve

    first = run_solve(SolveRequest(path, write=False))
    second = run_solve(SolveRequest(path, write=False))
    for name, table in first.tables.tables.items():
        pd.testing.assert_frame_equal(table, second.tables.tables[name], check_exact=True)
