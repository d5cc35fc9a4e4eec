"""The audit's re-derivation of Plan_Summary and Plan_Charts on small v2 workbooks, where
the headline figures have terms v1 plans never had."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forceplan.audit import audit_workbook
from forceplan.pipeline import SolveRequest, run_solve


def _audited(model: Any, sheets: dict[str, list[list[Any]]], tmp_path: Path):
    plan = tmp_path / "plan.xlsx"
    run = run_solve(SolveRequest(model.write(sheets), output=plan))
    assert run.outcome.status == "optimal"
    return run, audit_workbook(plan, use_ledger=False)


def test_total_discounted_cost_counts_payments_after_the_horizon(model, tmp_path) -> None:
    """MODEL.md §8.7: payments after the horizon enter the cost at df_T. A tank (100, paid
    half in the order year, half the next) needed at the end of 2027 is ordered in 2027:
    50 spent in 2027 and 50 committed after the horizon, both at df_2027 = 1/1.1, so the
    total discounted cost on Plan_Summary is 100/1.1 — not the 50/1.1 spent."""
    s = model.sheet
    sheets = {
        "Settings": model.settings(2026, 2027, discount_rate=0.1),
        "Personnel": s("trade grade initial_strength", ("a", "g", 0)),
        "Equipment": s("equipment unit_price payment_profile", ("tank", 100, "0.5,0.5")),
        "EquipmentYears": s("equipment year requirement", ("tank", 2027, 1)),
    }
    run, checked = _audited(model, sheets, tmp_path)
    assert run.tables.tables["Plan_Budget"]["committed_after_horizon"].sum() == pytest.approx(50)
    assert checked.report.facts["cost"] == pytest.approx(100 / 1.1, rel=1e-9)
    assert checked.report["D:Plan_Summary"].ok, checked.report.text()
    assert checked.ok, checked.report.text()


def test_end_strength_bands_by_component(model, tmp_path) -> None:
    """MODEL.md §8.4: EndStrength rows of the active, reserve and all components may share a
    year. The active band is the one Plan_Summary's year table and the strength chart show
    (the chart's strength is the active total); the rebuilt P7 rows follow each row's own
    component. The plan keeps 90 active and 40 reserve (annual cost 1, separations free)."""
    s = model.sheet
    sheets = {
        "Settings": model.settings(2026, 2027),
        "Personnel": s(
            "trade grade initial_strength annual_cost component",
            ("inf", "E", 100, 1, "active"),
            ("res", "R", 50, 1, "reserve"),
        ),
        "EndStrength": s(
            "year min_total max_total component",
            (2026, 90, 110, "active"),
            (2026, 40, 60, "reserve"),
            (2026, 120, 200, "all"),
            (2027, 90, 110, ""),
            (2027, 40, 60, "reserve"),
            (2027, 120, 200, "all"),
        ),
    }
    run, checked = _audited(model, sheets, tmp_path)
    strength = run.tables.tables["Plan_Personnel"].set_index("trade")["strength"]
    assert strength["inf"].tolist() == pytest.approx([90, 90])
    assert strength["res"].tolist() == pytest.approx([40, 40])
    report = checked.report
    for fid in ("P7", "D:Plan_Constraints", "D:Plan_Summary", "D:Plan_Charts"):
        assert report[fid].ok, report.text()
    assert report["P7"].rows_checked == 12  # 6 bands × (min, max)
    assert checked.ok, report.text()
