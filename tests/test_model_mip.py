"""Integer decisions (MILP): whole units (integer_units) and whole equipment orders
(Equipment.integer), on cases whose LP optimum is fractional and whose integer optimum is
derived by hand."""

from __future__ import annotations

import pytest


def knapsack(model, integer_units=None):
    """7 soldiers who cannot leave or be added; type A gives 7 points and needs 3 soldiers,
    type B gives 4 points and needs 2 (no costs: the optimum is pure capability)."""
    extra = {} if integer_units is None else {"integer_units": integer_units}
    return {
        "Settings": model.settings(2026, objective="max_capability", **extra),
        "Personnel": model.sheet(
            "trade grade initial_strength accession_max separation_max", ("inf", "E", 7, 0, 0)
        ),
        "UnitTypes": model.sheet("unit_type capability_score", ("A", 7), ("B", 4)),
        "Manning": model.sheet(
            "unit_type trade grade personnel", ("A", "inf", "E", 3), ("B", "inf", "E", 2)
        ),
    }


def test_lp_relaxation_is_fractional(model):
    run = model.solve(knapsack(model))
    # A yields 7/3 points per soldier, B 2: the LP takes 7/3 units of A, 49/3 points
    assert not run.outcome.is_mip
    assert run.outcome.objective == pytest.approx(49 / 3, rel=1e-8)
    assert model.value(run, "Plan_Units", "units", unit_type="A") == pytest.approx(7 / 3, rel=1e-8)


@pytest.mark.parametrize(
    ("option", "setting"), [(True, None), (None, True)], ids=["request", "settings"]
)
def test_integer_units(model, option, setting):
    run = model.solve(knapsack(model, integer_units=setting), integer_units=option)
    # whole units, 3A + 2B ≤ 7: (2,0) → 14, (1,2) → 15, (0,3) → 12, (1,1) → 11: best 15
    assert run.data.integer_units
    assert run.outcome.is_mip
    assert run.outcome.status == "optimal"
    assert run.outcome.objective == model.approx(15.0)
    assert model.value(run, "Plan_Units", "units", unit_type="A") == model.approx(1.0)
    assert model.value(run, "Plan_Units", "units", unit_type="B") == model.approx(2.0)
    # MODEL.md §8.8: prices of the LP with the whole units fixed, without ranges; with
    # units 1 and 2 fixed, the 7 soldiers are all used and nothing else adds capability
    prices = model.table(run, "Plan_Constraints")
    assert prices["shadow_price"].notna().all()
    assert prices["valid_from"].isna().all() and prices["valid_to"].isna().all()


@pytest.mark.parametrize(("integer", "objective", "orders"), [(False, 35.0, 3.5), (True, 40.0, 4)])
def test_integer_equipment_orders(model, integer, objective, orders):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "Equipment": model.sheet(
                "equipment initial_stock unit_price attrition_rate integer",
                ("rifle", 10, 10, 0.15, integer),
            ),
            "EquipmentYears": model.sheet("equipment year requirement", ("rifle", 2026, 12)),
        }
    )
    # stock = 0.85·10 + orders ≥ 12  =>  orders ≥ 3.5: 3.5 as an LP, 4 whole rifles
    assert run.outcome.is_mip is integer
    assert run.outcome.objective == model.approx(objective)
    assert model.value(run, "Plan_Equipment", "orders", equipment="rifle") == model.approx(orders)
