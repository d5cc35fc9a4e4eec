"""HiGHS's strategy per solve stage (bench/RESULTS.md "issue20d"): stage 1 by HiGHS's
default (the dual simplex), like max_capability's cost tie-break; the funding priority
stage after a min_cost stage 1 by the primal simplex from that stage's optimal basis; the
same workbook gives the same plan digit for digit (MODEL.md §4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from forceplan.load import ModelOptions, load_checked
from forceplan.model import solve as solve_module
from forceplan.model.highs_lp import HighsLP

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "ukraine-2026-2035.xlsx"


def _solve(objective: str, **options: Any) -> solve_module.SolveOutcome:
    built = load_checked(EXAMPLE, ModelOptions(objective), build_model=True).built
    return solve_module.solve(built, solve_module.SolveOptions(**options))


def _strategy(highs: Any) -> tuple[str, int]:
    return highs.getOptionValue("solver")[1], highs.getOptionValue("simplex_strategy")[1]


def test_later_stages_run_the_primal_simplex_and_leave_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, int]] = []
    run = HighsLP.run

    def recorded(self: HighsLP, options: dict[str, Any], time_limit: float | None = None):
        result = run(self, options, time_limit)
        seen.append(_strategy(self.highs))
        return result

    monkeypatch.setattr(HighsLP, "run", recorded)
    outcome = _solve("min_cost")
    assert outcome.status == "optimal" and "failed" not in outcome.message
    assert outcome.stages == ["min_cost", "funding priority"]
    # stage 1: HiGHS's default, the dual simplex; the priority stage: the primal simplex
    # (and its re-factorisation)
    assert seen[0] == ("choose", 1)
    assert len(seen) >= 2 and all(s == ("simplex", 4) for s in seen[1:])
    # options persist in the instance: a sweep re-solving from it gets HiGHS's defaults
    assert _strategy(outcome.lp.highs) == ("choose", 1)
    assert int(outcome.lp.highs.getInfo().primal_solution_status) == 2


def test_the_later_stages_give_the_same_plan_on_every_run() -> None:
    first, second = _solve("min_cost"), _solve("min_cost")
    assert first.stages == second.stages and first.stage_report == second.stage_report
    a = np.asarray(first.lp.highs.getSolution().col_value)
    b = np.asarray(second.lp.highs.getSolution().col_value)
    assert np.array_equal(a, b)  # digit for digit
    assert first.objective == second.objective
