"""HiGHS's strategy per solve stage (bench/RESULTS.md "issue20d"): stage 1 by HiGHS's
default (the dual simplex), like the cost tie-break; the funding priority stage by the
primal simplex from the previous stage's optimal basis; the same workbook gives the same
plan digit for digit (MODEL.md §4)."""

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
    outcome = _solve("max_capability")
    assert outcome.status == "optimal" and "failed" not in outcome.message
    assert outcome.stages[1].startswith("cost tie-break") and outcome.stages[2] == (
        "funding priority"
    )
    # stage 1 and the cost tie-break: HiGHS's default, the dual simplex; then the priority
    # stage: the primal simplex (and its re-factorisation)
    assert seen[0] == ("choose", 1) and seen[-1] == ("simplex", 4)
    first = seen.index(("simplex", 4))
    assert first >= 2 and all(s == ("choose", 1) for s in seen[:first])
    assert all(s == ("simplex", 4) for s in seen[first:])
    # options persist in the instance: a sweep re-solving from it gets HiGHS's defaults
    assert _strategy(outcome.lp.highs) == ("choose", 1)
    assert int(outcome.lp.highs.getInfo().primal_solution_status) == 2


def test_the_later_stages_give_the_same_plan_on_every_run() -> None:
    first, second = _solve("max_capability"), _solve("max_capability")
    assert first.stages == second.stages and first.stage_report == second.stage_report
    a = np.asarray(first.lp.highs.getSolution().col_value)
    b = np.asarray(second.lp.highs.getSolution().col_value)
    assert np.array_equal(a, b)  # digit for digit
    assert first.objective == second.objective
