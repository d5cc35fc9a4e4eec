"""Objectives (MODEL.md §4, §7.8): min_cost, max_capability with its cost tie-break, custom
weights, and which way each one optimises. Optima derived by hand in the comments.
"""

from __future__ import annotations

import pytest

CAPABILITY_REL = 1e-9


def two_unit_types(model, objective="min_cost", weights=()):
    """12 soldiers who cannot leave or be added; two unit types of equal capability (10 per
    unit-year) needing 5 soldiers each, one with O&M 100, the other 50."""
    sheets = {
        "Settings": model.settings(2026, objective=objective),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max separation_max",
            ("inf", "E", 12, 1, 0, 0),
        ),
        "UnitTypes": model.sheet(
            "unit_type capability_score om_cost max_units",
            ("dear", 10, 100, 4),
            ("cheap", 10, 50, 4),
        ),
        "Manning": model.sheet(
            "unit_type trade grade personnel", ("dear", "inf", "E", 5), ("cheap", "inf", "E", 5)
        ),
    }
    if weights:
        sheets["Objective"] = model.sheet("metric weight", *weights)
    return sheets


def units(model, run, unit_type):
    return model.value(run, "Plan_Units", "units", unit_type=unit_type)


def test_min_cost_raises_no_units(model):
    run = model.solve(two_unit_types(model))
    # units only cost money: none; the 12 soldiers are paid 1 each
    assert run.built.sense == "min"
    assert run.outcome.objective == model.approx(12.0)
    assert units(model, run, "dear") == 0.0
    assert units(model, run, "cheap") == 0.0


def test_max_capability_objective_and_cost_tie_break(model):
    run = model.solve(two_unit_types(model, "max_capability"))
    # 12 soldiers man 12/5 = 2.4 units of either type: capability 10·2.4 = 24 is the optimum
    # whatever the mix; the tie-break picks the cheapest such plan: all 2.4 of type `cheap`
    # reported objective = capability (24), not mixed with cost; the plan's cost is
    # 12 (pay) + 50·2.4 = 132
    assert run.built.sense == "max"
    assert run.outcome.stages == ["max_capability", "cost tie-break"]
    assert run.outcome.objective == pytest.approx(24.0, rel=CAPABILITY_REL)
    assert run.tables.summary["capability"] == pytest.approx(24.0, rel=CAPABILITY_REL)
    assert run.tables.summary["cost"] == pytest.approx(132.0, rel=CAPABILITY_REL)
    assert units(model, run, "cheap") == pytest.approx(2.4, rel=CAPABILITY_REL)
    assert units(model, run, "dear") == 0.0


def test_max_capability_optimum_equals_capability_only_optimum(model):
    # the same capability as a custom objective without any cost term: the tie-break must
    # not change the capability optimum
    alone = model.solve(two_unit_types(model, "custom", [("capability", 1)]))
    tied = model.solve(two_unit_types(model, "max_capability"))
    assert alone.outcome.objective == model.approx(-24.0)  # custom minimises -capability
    assert tied.outcome.objective == pytest.approx(-alone.outcome.objective, rel=CAPABILITY_REL)


def test_max_capability_tie_break_keeps_the_exact_capability_optimum(model):
    run = model.solve(two_unit_types(model, "max_capability"))
    assert run.outcome.objective >= 24.0 - 1e-12
    assert run.tables.summary["cost"] >= 132.0 - 1e-12
    assert units(model, run, "cheap") >= 2.4 - 1e-12


def test_objective_option_overrides_settings(model):
    run = model.solve(two_unit_types(model, "min_cost"), objective="max_capability")
    assert run.data.objective == "max_capability"
    assert run.outcome.objective == pytest.approx(24.0, rel=CAPABILITY_REL)


def test_custom_capability_and_cost_weights(model):
    run = model.solve(two_unit_types(model, "custom", [("capability", 1), ("cost", 0.001)]))
    # each unit is worth -10 + 0.001·om_cost: max units (2.4), all cheap
    # objective = -24 + 0.001·(12 + 50·2.4) = -24 + 0.132
    assert run.outcome.objective == model.approx(-24.0 + 0.132)
    assert units(model, run, "cheap") == model.approx(2.4)


def test_custom_accessions_only(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027, objective="custom"),
            "Personnel": model.sheet(
                "trade grade initial_strength attrition_rate annual_cost accession_cost",
                ("inf", "E", 100, 0.1, 10, 1000),
            ),
            "EndStrength": model.sheet("year min_total", (2027, 120)),
            "Objective": model.sheet("metric weight", ("accessions", 1)),
        }
    )
    # minimise the head count recruited, undiscounted, whatever it costs:
    # S_2027 = 0.9·(90 + 0.9·A_2026) + 0.9·A_2027 ≥ 120; an accession of 2027 counts 0.9,
    # one of 2026 only 0.81  =>  A_2026 = 0, A_2027 = (120 - 81)/0.9 = 43.33...
    assert run.outcome.objective == model.approx(39 / 0.9)
    assert model.value(run, "Plan_Personnel", "accessions", year=2026) == model.approx(0.0)
    assert model.value(run, "Plan_Personnel", "accessions", year=2027) == model.approx(39 / 0.9)


def test_custom_overstrength_and_separations(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, objective="custom"),
            "Personnel": model.sheet(
                "trade grade initial_strength separation_max", ("inf", "E", 100, 10)
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "E", 2026, 80)),
            "Objective": model.sheet("metric weight", ("overstrength", 1), ("separations", 0.5)),
        }
    )
    # 20 over the requirement: each separation (0.5) removes one overstrength (1): X = 10
    # (its cap), O = 10: objective = 10 + 0.5·10 = 15
    assert run.outcome.objective == model.approx(15.0)
    row = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert row["separations"] == model.approx(10.0)
    assert row["overstrength"] == model.approx(10.0)


@pytest.mark.parametrize(
    ("objective", "sense", "n", "value"),
    [
        # one unit type, 3 capability points and 1 of O&M per unit-year, at most 4 units
        ("min_cost", "min", 0.0, 0.0),
        ("max_capability", "max", 4.0, 12.0),
        ("custom", "min", 4.0, -12.0),  # weight capability 1: minimises -capability
    ],
)
def test_objective_direction(model, objective, sense, n, value):
    run = model.solve(
        {
            "Settings": model.settings(2026, objective=objective),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "UnitTypes": model.sheet(
                "unit_type capability_score om_cost max_units", ("bn", 3, 1, 4)
            ),
            "Objective": model.sheet("metric weight", ("capability", 1)),
        }
    )
    assert run.built.sense == sense
    assert run.outcome.objective == pytest.approx(value, rel=CAPABILITY_REL, abs=1e-9)
    assert units(model, run, "bn") == pytest.approx(n, rel=CAPABILITY_REL, abs=1e-9)
