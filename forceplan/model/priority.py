"""The funding priority stage (MODEL.md §8.7): who pays, by a rule anyone can state.

When any Funding row gives a `priority`, a last lexicographic stage runs after every other
stage (after the max_capability cost tie-break too): it holds the previous stage's
objective within `HOLD` relative and minimises Σ priority_s · (base-currency value of
F[s,b,y]), undiscounted, so lower numbers are spent first. The stage lives in HiGHS only,
like the cost tie-break; the prices of stage 1 (read before any later stage) are kept.

The held objective is read from HiGHS as a cost vector (whatever stage ran last), so the
hold row is `c·x ≤ z + HOLD·max(1, |z|)` for a minimisation (`≥ z − ...` for a
maximisation), z the previous stage's optimum in model units.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.core as pyo

from forceplan.model.budget import priority_expression
from forceplan.model.core import BuiltModel

#: The contract's hold; looser holds are tried only if HiGHS cannot prove an optimum.
HOLD = 1e-9
FALLBACK_HOLDS = (1e-9, 1e-8, 1e-7)


def run_priority_stage(built: BuiltModel, lp: Any, run_once: Any, outcome: Any) -> Any:
    """Hold the last stage's optimum and minimise the priority-weighted spending.

    `run_once(retry: bool)` runs HiGHS (with the caller's options and time limit) and
    returns its RunInfo. Returns the outcome to report: the priority stage's if it proved
    an optimum (values loaded), else `outcome` with a note (the previous plan restored).
    """
    h = lp.highs
    if int(h.getInfo().primal_solution_status) != 2:  # kSolutionStatusFeasible
        # HiGHS no longer holds the plan (a later stage failed and its re-solve ran out of
        # time): holding an objective read from it would add a row of nonsense bounds
        outcome.message += "; the funding priority stage was not run (no time left)"
        outcome.stage_report.append("funding priority: not run (no time left)")
        return outcome
    info = h.getLp()
    cost = np.asarray(info.col_cost_, dtype=float).copy()
    offset = float(info.offset_)
    maximise = info.sense_ == _max_sense()
    z = float(h.getInfo().objective_function_value) - offset
    cols = np.flatnonzero(cost)
    # a MIP's priority stage starts from the previous stage's plan: it meets the hold row
    previous = list(h.getSolution().col_value) if lp.is_mip else None
    row = None
    final = None
    expr = priority_expression(built)
    for hold in FALLBACK_HOLDS:
        tol = hold * max(1.0, abs(z + offset))
        lower, upper = (z - tol, None) if maximise else (None, z + tol)
        if row is None:
            h.addRow(
                -np.inf if lower is None else lower,
                np.inf if upper is None else upper,
                len(cols),
                cols.astype(np.int32),
                cost[cols],
            )
            row = int(h.getNumRow()) - 1
            lp.set_objective(expr, pyo.minimize)
            if previous is not None:
                _start_from(h, previous)
        else:
            h.changeRowBounds(
                row, -np.inf if lower is None else lower, np.inf if upper is None else upper
            )
        final = run_once(hold == FALLBACK_HOLDS[-1])
        if final.status in ("optimal", "time_limit"):
            break
    assert final is not None
    if final.status == "optimal":
        lp.load_values()
        note = "" if hold == HOLD else f" (objective held to {hold:g})"
        outcome.stages.append(f"funding priority{note}")
        outcome.stage_report.append(
            f"funding priority: Σ priority × spending = {_value(built, expr):,.6g}, "
            f"previous objective held within {hold:g} relative"
        )
        return outcome
    # keep the previous plan (the Pyomo variables still hold it); HiGHS gets the previous
    # stage's model back and is re-solved so that its rows match a plan of that stage
    h.deleteRows(1, np.array([row], dtype=np.int32))
    lp.set_objective_vector(cost, maximise, offset)
    if run_once(True).status == "optimal":
        lp.load_values()
    outcome.message += "; the funding priority stage failed, the allocation is the solver's"
    outcome.stage_report.append(f"funding priority: failed ({final.status})")
    return outcome


def _start_from(h: Any, values: list[float]) -> None:
    """The previous stage's plan as HiGHS's first incumbent: a priority MIP stopped by the
    time limit then still has a plan. Measured on the v2 example with whole units
    (min_cost, bench/RESULTS.md issue 20e) it does not make the stage faster (40.8 s
    without, 39.7 s with, side by side on a loaded machine)."""
    import highspy

    start = highspy.HighsSolution()
    start.col_value = values
    start.value_valid = True
    h.setSolution(start)


def _value(built: BuiltModel, expr: Any) -> float:
    return float(pyo.value(expr)) * built.data.money_scale


def _max_sense() -> Any:
    import highspy

    return highspy.ObjSense.kMaximize
