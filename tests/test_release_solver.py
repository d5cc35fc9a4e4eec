"""The HiGHS instance is released after the solve (HighsLP.release; peak memory at L) and
everything the plan's tables read from it is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from forceplan.model.highs_lp import HighsLP
from forceplan.pipeline import SolveRequest, run_solve
from tests.test_highs_lp import small_model

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "ukraine-2026-2035.xlsx"


def test_release_keeps_values_duals_and_row_activities() -> None:
    m = small_model()
    lp = HighsLP(m)
    assert lp.run({"presolve": "off"}).status == "optimal"
    before = (lp.row_activities(), lp.duals(), lp.reduced_costs(), lp.shape)
    lp.release()
    assert lp.highs is None
    assert (lp.row_activities(), lp.duals(), lp.reduced_costs(), lp.shape) == before
    assert lp.shape == (3, 3, 6)
    for v in lp.columns:
        v.set_value(None)
    lp.load_values()
    assert [v.value for v in lp.columns] == pytest.approx([0.75, 1.25, 1.5])


@pytest.mark.parametrize("objective", ["min_cost", "max_capability"])
def test_the_plan_is_the_same_with_the_solver_released(objective: str) -> None:
    kept = run_solve(SolveRequest(EXAMPLE, write=False, objective=objective))
    released = run_solve(
        SolveRequest(EXAMPLE, write=False, objective=objective, release_solver=True)
    )
    assert kept.outcome.lp.highs is not None and released.outcome.lp.highs is None
    assert set(kept.tables.tables) == set(released.tables.tables)
    for name, frame in kept.tables.tables.items():
        assert frame.equals(released.tables.tables[name]), name
