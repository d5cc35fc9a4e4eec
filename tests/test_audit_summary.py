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
