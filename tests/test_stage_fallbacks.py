"""Later stages when an earlier one ran out of time (seen on the v2 example with whole
major items under --time-limit: the cost stage failed, its re-solve of stage 1 had no
time left, and the funding priority stage then read an objective from a HiGHS holding no
plan, added a row with nonsense bounds and deleted a model row instead of it)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from forceplan.model.highs_lp import HighsLP
from forceplan.model.priority import run_priority_stage
from tests.test_highs_lp import small_model


def test_the_priority_stage_is_not_run_on_a_highs_holding_no_plan() -> None:
    lp = HighsLP(small_model())  # never run: HiGHS holds no solution
    rows = lp.highs.getNumRow()
    outcome = SimpleNamespace(message="proven optimal", stage_report=[], stages=["min_cost"])

    def run_once(retry: bool) -> None:
        pytest.fail("the priority stage ran")

    out = run_priority_stage(None, lp, run_once, outcome)  # type: ignore[arg-type]
    assert out is outcome and out.message.endswith("(no time left)")
    assert out.stages == ["min_cost"] and lp.highs.getNumRow() == rows
