"""SolveOptions.hold_whole_decisions: a MIP's later stages (cost tie-break) run as LPs
with the stage-1 integer decisions held. Checked on random whole-unit workbooks against
the lexicographic MIP (the default) and an independent re-solve of the held LP."""

from __future__ import annotations

from pathlib import Path

import pyomo.core as pyo
import pytest
from randomwb import random_workbook

from forceplan.model.highs_lp import HighsLP
from forceplan.pipeline import SolveRequest, run_solve


def _solve(path: Path, hold: bool):
    request = SolveRequest(
        path,
        write=False,
        objective="max_capability",
        integer_units=True,
        hold_whole_decisions=hold,
    )
    return run_solve(request)


def _integers(model) -> list:
    return [v for v in model.component_data_objects(pyo.Var) if not v.is_continuous()]


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize("seed", [3, 4])
def test_held_tie_break_keeps_whole_plan_capability_and_lp_minimum(tmp_path, seed):
    path = random_workbook(tmp_path / "w.xlsx", seed, 3, 2, 3, integer_orders=True)
    held = _solve(path, hold=True)
    lexi = _solve(path, hold=False)
    assert held.outcome.optimal and lexi.outcome.optimal, held.outcome.message
    assert held.outcome.is_mip
    assert any("whole decisions held" in s for s in held.outcome.stages)
    assert not any("whole decisions held" in s for s in lexi.outcome.stages)
    m = held.built.model
    ints = _integers(m)
    assert ints
    # the plan is whole
    assert all(abs(v.value - round(v.value)) <= 1e-9 for v in ints)
    # stage 1's capability is kept: the lexicographic MIP reaches the same optimum
    capability = pyo.value(m.capability)
    assert _close(capability, pyo.value(lexi.built.model.capability))
    # holding the whole decisions can only cost as much or more than the lexicographic MIP
    cost = pyo.value(m.cost)
    assert cost >= pyo.value(lexi.built.model.cost) - 1e-6 * max(1.0, abs(cost))
    # independent re-solve: the held whole decisions fixed in Pyomo, capability held,
    # cost minimised by a fresh HiGHS instance; the held stage must be that LP's minimum
    for v in ints:
        v.fix(round(v.value))
    m.objective.deactivate()
    m.hold_cap = pyo.Constraint(expr=m.capability >= capability - 1e-9 * max(1.0, capability))
    m.min_cost = pyo.Objective(expr=m.cost, sense=pyo.minimize)
    lp = HighsLP(m)
    assert not lp.is_mip
    run = lp.run({"output_flag": False, "random_seed": 0})
    assert run.status == "optimal"
    assert _close(run.objective, cost)


def test_held_priority_stage_is_an_lp_on_the_whole_plan(tmp_path):
    """min_cost with funding priorities: the priority stage runs on the held LP; the plan
    stays whole and its cost stays the MIP's optimum (to the priority stage's hold)."""
    path = random_workbook(tmp_path / "m.xlsx", 2, 3, 2, 3, integer_orders=True, money=True)
    held = run_solve(SolveRequest(path, write=False, integer_units=True, hold_whole_decisions=True))
    plain = run_solve(SolveRequest(path, write=False, integer_units=True))
    assert held.outcome.optimal and plain.outcome.optimal, held.outcome.message
    assert held.outcome.stages[-1].startswith("funding priority")
    assert any("whole decisions held" in s for s in held.outcome.stage_report)
    ints = _integers(held.built.model)
    assert all(abs(v.value - round(v.value)) <= 1e-9 for v in ints)
    assert _close(pyo.value(held.built.model.cost), pyo.value(plain.built.model.cost))


def test_cli_hold_whole_reaches_the_plan(tmp_path):
    """`solve --hold-whole`: the plan's Plan_Run names the held stage."""
    from clirun import solve_plan_run

    path = random_workbook(tmp_path / "c.xlsx", 3, 3, 2, 3, integer_orders=True)
    flags = ("--objective", "max_capability", "--integer-units", "--hold-whole")
    stages = {r[0]: r[1] for r in solve_plan_run(path, tmp_path, *flags)}["solve_stages"]
    assert stages == "max_capability + cost tie-break (whole decisions held)"
