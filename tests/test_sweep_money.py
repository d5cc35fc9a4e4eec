"""Sweeps over the §8.6-8.7 money inputs (exchange rates, price indices, fixed spending):
each persistent re-solve equals a fresh solve of the edited workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from wb import minimal_sheets, set_value, write_workbook

from forceplan.pipeline import SolveRequest, run_solve
from forceplan.sweep.engine import SweepEngine, SweepOptions
from forceplan.sweep.scenarios import build_scenarios, cell_values, write_scenario_workbook

REL = 1e-7


def _money_book(tmp_path: Path) -> Path:
    """The minimal workbook with a USD price, a USD partner, an index and fixed spending."""
    s = minimal_sheets()
    set_value(s, "Equipment", 3, "currency", "USD")  # radios: 75 USD, paid over two years
    set_value(s, "Equipment", 3, "unit_price", 75)
    set_value(s, "Equipment", 3, "payment_profile", "0.5,0.5")
    s["EquipmentYears"] += [["radio", y, None, None, None] for y in (2027, 2028)]
    set_value(s, "EquipmentYears", 3, "requirement", 250)
    set_value(s, "EquipmentYears", 4, "requirement", 300)
    for row in (5, 6):
        set_value(s, "Funding", row, "currency", "USD")
        set_value(s, "Funding", row, "amount", 20_000)
    for row in (2, 3, 4):
        set_value(s, "Funding", row, "priority", 2)
    s["ExchangeRates"] = [["currency", "year", "rate"]] + [
        ["USD", y, 40.0] for y in (2026, 2027, 2028)
    ]
    s["PriceIndex"] = [
        ["line", "year", "index"],
        ["personnel", 2027, 1.1],
        ["personnel", 2028, 1.2],
    ]
    s["FixedSpending"] = [["line", "year", "amount"], ["procurement", 2027, 2_000_000]]
    return write_workbook(tmp_path / "money.xlsx", s)


SPECS = [
    "ExchangeRates.rate[year=2027..2028]=*1.0,1.25",
    "PriceIndex.index[year=2028]=1.0,1.5",
    "FixedSpending.amount=*0,2",
]


def test_money_levers_equal_fresh_solves(tmp_path: Path) -> None:
    book = _money_book(tmp_path)
    engine = SweepEngine(book, SPECS, SweepOptions())
    scenarios = build_scenarios(engine.specs, None, 0)
    assert len(scenarios) == 8
    checked = 0
    for scenario in (scenarios[7], scenarios[0], scenarios[5], scenarios[2]):  # not in order
        row = engine.evaluate(scenario)
        values = cell_values(engine.specs, engine.prep.matched, scenario)
        path = tmp_path / f"s{scenario.id}.xlsx"
        write_scenario_workbook(book, path, values)
        fresh = run_solve(SolveRequest(path, write=False, diagnose=False))
        assert row["status"] == fresh.outcome.status, row
        if fresh.outcome.status != "optimal":
            continue
        assert row["objective"] == pytest.approx(fresh.outcome.objective, rel=REL)
        checked += 1
    assert checked >= 3
    # scenarios are absolute: repeating one after others gives the same answer
    first = engine.evaluate(scenarios[7])["objective"]
    engine.evaluate(scenarios[0])
    assert engine.evaluate(scenarios[7])["objective"] == pytest.approx(first, rel=REL)


def test_a_zero_rate_is_an_invalid_row(tmp_path: Path) -> None:
    engine = SweepEngine(
        _money_book(tmp_path), ["ExchangeRates.rate[year=2026]=0,40"], SweepOptions()
    )
    rows = [engine.evaluate(s) for s in build_scenarios(engine.specs, None, 0)]
    assert rows[0]["status"] == "invalid_input" and "must be > 0" in rows[0]["message"]
    assert rows[1]["status"] == "optimal"
