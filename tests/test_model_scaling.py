"""Money is carried in millions inside the LP (data.money_scale) when budgets are large.

The scaling must be invisible: the same workbook solved with and without it gives the
same objective, the same Plan_ values and the same shadow prices in currency units.
"""

from __future__ import annotations

import pandas as pd
import pytest

import forceplan.model.data as model_data
from forceplan.generate import Size, generate_sheets, write_sheets
from forceplan.pipeline import SolveRequest, run_solve


def solve_both(path, monkeypatch, **options):
    scaled = run_solve(SolveRequest(path, write=False, **options))
    with monkeypatch.context() as patch:
        patch.setattr(model_data, "money_scale", lambda _data: 1.0)
        plain = run_solve(SolveRequest(path, write=False, **options))
    return scaled, plain


@pytest.mark.parametrize("objective", ["min_cost", "max_capability", "custom"])
def test_scaling_is_invisible(tmp_path, monkeypatch, objective):
    path = tmp_path / "big.xlsx"
    sheets = generate_sheets(Size(4, 3, 3, 3, 4), seed=7)
    integer = sheets["Equipment"][0].index("integer")
    for row in sheets["Equipment"][1:]:
        row[integer] = False  # an LP: without the scaling HiGHS's MIP misjudges this one
    write_sheets(path, sheets)
    scaled, plain = solve_both(path, monkeypatch, objective=objective)
    assert scaled.data.money_scale == 1e6 and plain.data.money_scale == 1.0
    assert scaled.outcome.status == plain.outcome.status == "optimal"
    assert scaled.outcome.objective == pytest.approx(plain.outcome.objective, rel=1e-7)
    for name in ("Plan_Budget", "Plan_Funding", "Plan_Allocation"):
        pd.testing.assert_frame_equal(scaled.tables[name], plain.tables[name], rtol=1e-6, atol=1e-3)
    if objective == "min_cost":  # prices of a unique optimum: compare the binding ones
        key = ["id", "kind", "index"]
        a = scaled.tables["Plan_Constraints"].set_index(key)
        b = plain.tables["Plan_Constraints"].set_index(key)
        for col in ("value", "lower", "upper"):
            pd.testing.assert_series_equal(a[col], b[col], rtol=1e-6, atol=1e-3)
        money = a.index.get_level_values("id").str.startswith("B")
        assert money.any()


def test_elastic_funding_gap_in_currency(tmp_path, monkeypatch):
    from wb import write_workbook

    sheets = {
        "Settings": [["key", "value"], ["first_year", 2026], ["last_year", 2026]],
        "Personnel": [
            ["trade", "grade", "initial_strength", "annual_cost"],
            ["inf", "E", 1000, 500_000],
        ],
        "Funding": [["source", "year", "amount"], ["national", 2026, 300_000_000]],
        "EndStrength": [["year", "min_total", "max_total"], [2026, 1000, 1000]],
    }
    path = write_workbook(tmp_path / "gap.xlsx", sheets)
    scaled, plain = solve_both(path, monkeypatch, elastic=True)
    assert scaled.data.money_scale == 1e6
    # 1000 soldiers cost 5e8; the budget is 3e8: a 2e8 gap at 100 per unit of currency
    for run in (scaled, plain):
        gap = run.tables["Plan_Shortfalls"].set_index("kind").loc["funding"]
        assert gap["amount"] == pytest.approx(2e8, rel=1e-9)
        assert run.outcome.objective == pytest.approx(5e8 + 100 * 2e8, rel=1e-9)
