"""forceplan.model.highs_lp: a Pyomo model compiled straight into HiGHS, checked on small
models whose rows and optimum can be written down by hand."""

from __future__ import annotations

import math
from typing import Any

import pyomo.environ as pyo
import pytest

from forceplan.model.highs_lp import HighsLP, NotLinearError


def small_model() -> pyo.ConcreteModel:
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 10))
    m.y = pyo.Var(bounds=(1, None))
    m.z = pyo.Var(domain=pyo.NonNegativeReals)
    # constants in the body move into the bounds: x + y + 3 >= 5  ->  x + y >= 2
    m.c_ge = pyo.Constraint(expr=m.x + m.y + 3 >= 5)
    # ranged: 1 <= 2x - z + 1 <= 9  ->  0 <= 2x - z <= 8
    m.c_range = pyo.Constraint(expr=pyo.inequality(1, 2 * m.x - m.z + 1, 9))
    m.c_eq = pyo.Constraint(expr=m.z == 2 * m.y - 1)
    m.obj = pyo.Objective(expr=4 * m.x + m.y + m.z + 7, sense=pyo.minimize)
    return m


def test_rows_bounds_and_columns_follow_the_constraints() -> None:
    m = small_model()
    lp = HighsLP(m)
    assert [v.name for v in lp.columns] == ["x", "y", "z"]
    assert [c.name for c in lp.rows] == ["c_ge", "c_range", "c_eq"]
    inf = math.inf
    lp.highs.run()
    acts = lp.row_activities()
    assert (acts[m.c_ge][1], acts[m.c_ge][2]) == (2.0, inf)
    assert (acts[m.c_range][1], acts[m.c_range][2]) == (0.0, 8.0)
    assert (acts[m.c_eq][1], acts[m.c_eq][2]) == (-1.0, -1.0)  # z - 2y == -1
    h = lp.highs.getLp()
    assert list(h.col_lower_) == [0.0, 1.0, 0.0]
    assert h.col_upper_[0] == 10.0 and h.col_upper_[1] >= 1e30


def test_solution_duals_and_offset_match_the_hand_optimum() -> None:
    # min 4x + y + z + 7 with z = 2y - 1, y >= 1, x + y >= 2, 2x >= z:
    # cost = 4x + 3y + 6 on y >= 1, x + y >= 2, x >= y - 0.5. Vertices: (1, 1) costs 13;
    # x + y = 2 with x = y - 0.5 gives (0.75, 1.25), cost 3 + 3.75 + 6 = 12.75.
    m = small_model()
    lp = HighsLP(m)
    run = lp.run({"presolve": "off"})
    assert run.status == "optimal"
    assert run.objective == pytest.approx(12.75)
    lp.load_values()
    assert (m.x.value, m.y.value, m.z.value) == pytest.approx((0.75, 1.25, 1.5))
    duals = lp.duals()
    # raising x + y >= 2 to 3 moves the vertex to (1.25, 1.75), cost 16.25: price 3.5
    assert duals[m.c_ge] == pytest.approx(3.5)
    assert set(lp.reduced_costs()) == {id(m.x), id(m.y), id(m.z)}


def test_maximisation_and_objective_changes() -> None:
    m = pyo.ConcreteModel()
    m.a = pyo.Var(bounds=(0, 4))
    m.b = pyo.Var(bounds=(0, 4))
    m.cap = pyo.Constraint(expr=m.a + m.b <= 5)
    m.obj = pyo.Objective(expr=2 * m.a + m.b, sense=pyo.maximize)
    lp = HighsLP(m)
    assert lp.run({}).objective == pytest.approx(9.0)  # a = 4, b = 1
    # hold 2a + b >= 9 and minimise b: a = 4, b = 1 still; then relax the hold
    row = lp.add_row(2 * m.a + m.b, 9.0, None)
    lp.set_objective(m.b, pyo.minimize)
    assert lp.run({}).objective == pytest.approx(1.0)
    lp.delete_row(row)
    assert lp.run({}).objective == pytest.approx(0.0)


def test_integer_columns_make_a_mip() -> None:
    m = pyo.ConcreteModel()
    m.n = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(0, 10))
    m.c = pyo.Constraint(expr=3 * m.n >= 7)
    m.obj = pyo.Objective(expr=m.n)
    lp = HighsLP(m)
    assert lp.is_mip
    assert lp.run({}).objective == pytest.approx(3.0)  # LP relaxation would give 7/3


def test_a_nonlinear_constraint_is_refused_by_name() -> None:
    m = pyo.ConcreteModel()
    m.x = pyo.Var()
    m.y = pyo.Var()
    m.bad = pyo.Constraint(expr=m.x * m.y >= 1)
    m.obj = pyo.Objective(expr=m.x)
    with pytest.raises(NotLinearError, match="bad"):
        HighsLP(m)


def test_coefficients_below_highs_cutoff_are_dropped_not_fatal() -> None:
    # HiGHS drops |a| <= 1e-9 with a warning when the model is passed (review finding)
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, None))
    m.w = pyo.Var(bounds=(0, None))
    m.c = pyo.Constraint(expr=m.x + 1e-10 * m.w >= 2)
    m.obj = pyo.Objective(expr=m.x + m.w)
    lp = HighsLP(m)
    run = lp.run({})
    assert run.status == "optimal"
    assert run.objective == pytest.approx(2.0)


class _Recorder:
    """A HiGHS instance that records the time limits it is given."""

    def __init__(self, highs: Any) -> None:
        self.highs, self.limits = highs, []

    def setOptionValue(self, key: str, value: Any) -> Any:
        if key == "time_limit" and value != math.inf:
            self.limits.append(value)
        return self.highs.setOptionValue(key, value)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.highs, name)


@pytest.mark.parametrize("mip", [False, True])
def test_time_limit_counts_from_this_run_for_a_mip_and_overall_for_an_lp(mip: bool) -> None:
    """HiGHS's simplex checks its run clock, summed over the runs of the instance; its MIP
    solver checks a clock started by each run (a MIP stage once overran --time-limit by
    the time of the stages before it)."""
    m = small_model()
    if mip:
        m.x.domain = pyo.Integers
    lp = HighsLP(m)
    lp.run({})
    lp.highs = recorder = _Recorder(lp.highs)
    used = recorder.getRunTime()
    lp.run({}, 5.0)
    assert recorder.limits == [pytest.approx(5.0 if mip else used + 5.0)]
