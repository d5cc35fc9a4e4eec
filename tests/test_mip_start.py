"""MIP starts (issue 20e): stage 1 from the LP relaxation rounded and repaired
(SolveOptions.mip_start, forceplan.model.mipstart), and the funding priority stage from the
previous stage's plan. Checked on random whole-unit workbooks: the start is a whole plan
that meets every row and bound of the MIP, the HiGHS model is left as it was, and the MIP
optimum is the same with and without the start."""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pyomo.core as pyo
import pytest
from randomwb import random_workbook

from forceplan.load import ModelOptions, load_checked
from forceplan.model import mipstart, priority
from forceplan.model.highs_lp import HighsLP
from forceplan.model.solve import SolveOptions, _Clock, _run
from forceplan.pipeline import SolveRequest, run_solve

TOL = 1e-6


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def _model(path: Path, objective: str):
    loaded = load_checked(
        path, ModelOptions(objective=objective, integer_units=True), build_model=True
    )
    return loaded.built


def _snapshot(h) -> tuple[np.ndarray, ...]:
    lp = h.getLp()
    return (
        np.array(lp.col_lower_),
        np.array(lp.col_upper_),
        np.array(lp.integrality_, dtype=np.int64),
        np.array(lp.row_lower_),
        np.array(lp.row_upper_),
        np.array(lp.col_cost_),
    )


def _feasible(h, x: np.ndarray) -> bool:
    """x meets every column bound, integrality and row (A·x from the matrix) of h's model."""
    lp = h.getLp()
    integer = np.asarray(lp.integrality_, dtype=np.int64) != 0
    lower, upper = np.asarray(lp.col_lower_), np.asarray(lp.col_upper_)
    if np.any(x < lower - TOL) or np.any(x > upper + TOL):
        return False
    if np.any(np.abs(x[integer] - np.round(x[integer])) > 1e-9):
        return False
    a = lp.a_matrix_
    start, index, value = (np.asarray(a.start_), np.asarray(a.index_), np.asarray(a.value_))
    rows = np.zeros(lp.num_row_)
    size = np.zeros(lp.num_row_)
    rowwise = a.format_ == highspy.MatrixFormat.kRowwise
    count = lp.num_row_ if rowwise else lp.num_col_
    ends = np.r_[start[1:], len(index)][:count]
    for outer in range(count):
        for k in range(start[outer], ends[outer]):
            r, j = (outer, index[k]) if rowwise else (index[k], outer)
            rows[r] += value[k] * x[j]
            size[r] += abs(value[k] * x[j])
    scale = np.maximum(1.0, size)
    low, up = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    return bool(np.all(rows >= low - TOL * scale) and np.all(rows <= up + TOL * scale))


@pytest.mark.parametrize(
    ("seed", "objective"),
    [(1, "max_capability"), (3, "max_capability"), (2, "min_cost"), (4, "min_cost")],
)
def test_rounded_start_is_a_whole_plan_and_leaves_the_model_as_it_was(tmp_path, seed, objective):
    path = random_workbook(tmp_path / "w.xlsx", seed, 3, 2, 3, integer_orders=True)
    built = _model(path, objective)
    lp = HighsLP(built.model)
    assert lp.is_mip
    before = _snapshot(lp.highs)
    options, clock = SolveOptions(), _Clock()
    start = mipstart.find_start(built, lp, lambda: _run(lp, options, None, clock, retry=False))
    after = _snapshot(lp.highs)
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    assert lp.is_mip
    assert start.values is not None, "no rounding of the LP plan was repaired"
    assert start.rounding in {f"units {u}, orders {o}" for u, o in mipstart.ROUNDINGS[built.sense]}
    h = lp.highs
    h.setOptionValue("output_flag", False)
    assert _feasible(h, start.values)
    # the start's objective is HiGHS's objective at those values
    cost = np.asarray(h.getLp().col_cost_)
    assert _close(float(cost @ start.values) + h.getLp().offset_, start.objective)
    # no better than the MIP optimum, which is no better than the LP relaxation
    run = lp.run({"output_flag": False, "random_seed": 0, "mip_rel_gap": 0.0})
    assert run.status == "optimal"
    if built.sense == "max":
        assert start.objective <= run.objective + TOL * abs(run.objective)
        assert run.objective <= start.relaxation + TOL * abs(run.objective)
    else:
        assert start.objective >= run.objective - TOL * abs(run.objective)
        assert run.objective >= start.relaxation - TOL * abs(run.objective)
    assert "MIP start: LP plan rounded" in mipstart.describe(start, built)


def test_rounding_keeps_whole_numbers():
    values = np.array([2.0, 2.0000000001, 1.9999999999, 2.4, 2.6])
    assert list(mipstart.rounded(values, "floor")) == [2, 2, 2, 2, 2]
    assert list(mipstart.rounded(values, "ceil")) == [2, 2, 2, 3, 3]
    assert list(mipstart.rounded(values, "nearest")) == [2, 2, 2, 2, 3]


@pytest.mark.parametrize(
    ("seed", "objective"), [(1, "max_capability"), (5, "max_capability"), (2, "min_cost")]
)
def test_mip_optimum_is_the_same_with_and_without_the_start(tmp_path, seed, objective):
    path = random_workbook(tmp_path / "w.xlsx", seed, 3, 2, 3, integer_orders=True, money=True)

    def solve(start: bool):
        request = SolveRequest(
            path,
            write=False,
            objective=objective,
            integer_units=True,
            mip_gap=0.0,
            mip_start=start,
        )
        return run_solve(request)

    with_start, without = solve(True), solve(False)
    assert with_start.outcome.optimal and without.outcome.optimal, with_start.outcome.message
    assert with_start.outcome.is_mip
    assert any(s.startswith("MIP start: LP plan rounded") for s in with_start.outcome.stage_report)
    assert not any(s.startswith("MIP start") for s in without.outcome.stage_report)
    a, b = with_start.built.model, without.built.model
    assert _close(pyo.value(a.capability), pyo.value(b.capability), 1e-9)
    assert _close(with_start.outcome.objective, without.outcome.objective, 1e-9)
    ints = [v for v in a.component_data_objects(pyo.Var) if not v.is_continuous()]
    assert all(abs(v.value - round(v.value)) <= 1e-9 for v in ints)


def test_start_on_an_lp_is_not_tried(tmp_path):
    path = random_workbook(tmp_path / "w.xlsx", 1, 3, 2, 3)
    run = run_solve(SolveRequest(path, write=False, mip_start=True))
    assert run.outcome.optimal and not run.outcome.is_mip
    assert not any(s.startswith("MIP start") for s in run.outcome.stage_report)


def test_priority_stage_start_keeps_the_optimum(tmp_path, monkeypatch):
    """min_cost with funding priorities as a MIP: the priority stage, started from the
    previous stage's plan, ends at the same priority optimum as without the start."""
    path = random_workbook(tmp_path / "m.xlsx", 2, 3, 2, 3, integer_orders=True, money=True)

    def solve():
        request = SolveRequest(path, write=False, integer_units=True, mip_gap=0.0)
        return run_solve(request)

    started = []
    original = priority._start_from
    monkeypatch.setattr(
        priority, "_start_from", lambda h, values: (started.append(1), original(h, values))
    )
    with_start = solve()
    monkeypatch.setattr(priority, "_start_from", lambda h, values: None)
    without = solve()
    assert started, "the priority stage was not started from the previous plan"
    for run in (with_start, without):
        assert run.outcome.optimal, run.outcome.message
        assert run.outcome.stages[-1] == "funding priority"
    a, b = with_start.built.model, without.built.model
    assert _close(pyo.value(a.cost), pyo.value(b.cost), 1e-8)
    expr_a = priority.priority_expression(with_start.built)
    expr_b = priority.priority_expression(without.built)
    assert _close(pyo.value(expr_a), pyo.value(expr_b), 1e-8)


def test_cli_mip_start_is_reported(tmp_path):
    """`solve --mip-start`: Plan_Run's stage report says which rounding started the MIP."""
    from clirun import solve_plan_run

    path = random_workbook(tmp_path / "c.xlsx", 3, 3, 2, 3, integer_orders=True)
    flags = ("--objective", "max_capability", "--integer-units", "--mip-start")
    rows = solve_plan_run(path, tmp_path, *flags)
    texts = [str(r[1]) for r in rows if r and r[1] is not None]
    assert any(t.startswith("MIP start: LP plan rounded") for t in texts), texts
