"""A MIP's first incumbent from its LP relaxation, rounded and repaired (issue 20e).

Stage 1 of a MIP can be given a whole plan to start from: the LP relaxation is solved in
the same HiGHS instance (integrality off), the leading whole decisions (unit counts N and
whole orders ORD) are rounded, activations and disbandments follow from the rounded
counts (the U1 balance: the change of a count), and the LP is solved again with all of
them fixed: that repairs the continuous part (personnel, stocks, money) to a feasible
plan, or shows that this rounding has none. The first rounding whose repair is feasible
is handed to HiGHS as its starting incumbent; the model in HiGHS is then exactly as
before (bounds and integrality restored).

Measured on the v2 example (bench/RESULTS.md, issue 20e): the start is a valid plan but
HiGHS's own root heuristics find as good a one, and what takes the time is the dual bound,
so this is an option (SolveOptions.mip_start), off by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from forceplan.model.core import BuiltModel
from forceplan.model.highs_lp import HighsLP, RunInfo

#: Roundings tried in turn, by objective sense: (unit counts, whole orders). Fewer units
#: need fewer people and items (the stage-1 LP of max_capability pushes every unit count
#: to what money and people allow, so rounding up is rarely feasible); orders are rounded
#: up so that stocks still meet the units' needs.
ROUNDINGS = {
    "max": (("floor", "ceil"), ("floor", "floor")),
    "min": (("nearest", "ceil"), ("floor", "ceil"), ("ceil", "ceil")),
}

_ROUND = {"floor": np.floor, "ceil": np.ceil, "nearest": np.round}
#: a value this close to a whole number is that number (LP noise is not rounded up or down)
_SNAP = 1e-6


@dataclass
class Start:
    """The starting plan handed to HiGHS (None values: no start was found)."""

    rounding: str  # e.g. "units floor, orders ceil"; "" if none was feasible
    objective: float | None  # HiGHS's objective of the start (model units)
    relaxation: float | None  # the LP relaxation's optimum (model units)
    values: np.ndarray | None  # every column's value in the start


@dataclass
class Decisions:
    """HiGHS columns of the leading whole decisions: unit counts by unit and year (with
    their activations and disbandments, which follow from the counts), and whole orders."""

    counts: np.ndarray  # (units, years) columns of N; shape (0, 0) if units are fractional
    activations: np.ndarray  # same shape, ACT
    disbandments: np.ndarray  # same shape, DIS
    initial: np.ndarray  # (units,) unit counts before the first year
    orders: np.ndarray  # columns of the integer ORD

    def fix(self, x: np.ndarray, how_units: str, how_orders: str, lower, upper):
        """(columns, values) of the decisions rounded from x: counts and orders rounded
        (within their bounds), activations and disbandments from the counts' changes."""
        counts = np.clip(rounded(x[self.counts], how_units), lower[self.counts], upper[self.counts])
        before = np.concatenate([self.initial[:, None], counts[:, :-1]], axis=1)
        change = counts - before
        orders = np.clip(
            rounded(x[self.orders], how_orders), lower[self.orders], upper[self.orders]
        )
        cols = [self.counts, self.activations, self.disbandments]
        values = [counts, np.maximum(change, 0.0), np.maximum(-change, 0.0)]
        columns = np.concatenate([c.ravel() for c in cols] + [self.orders]).astype(np.int32)
        return columns, np.concatenate([v.ravel() for v in values] + [orders])


def decisions(built: BuiltModel, lp: HighsLP) -> Decisions:
    m, d = built.model, built.data
    empty = np.zeros((0, 0), dtype=np.int32)
    counts = activations = disbandments = empty
    initial = np.zeros(0)
    if d.integer_units and d.units:
        units, years = list(d.units), list(d.years)

        def grid(var) -> np.ndarray:
            return np.array([[lp.col_of[id(var[u, y])] for y in years] for u in units], np.int32)

        counts, activations, disbandments = grid(m.N), grid(m.ACT), grid(m.DIS)
        initial = np.array([float(d.units[u].init) for u in units])
    orders = np.array(
        [lp.col_of[id(v)] for v in m.ORD.values() if not v.is_continuous()]
        if hasattr(m, "ORD")
        else [],
        dtype=np.int32,
    )
    return Decisions(counts, activations, disbandments, initial, orders)


def rounded(values: np.ndarray, how: str) -> np.ndarray:
    """`values` rounded `how`, whole numbers within _SNAP kept as they are."""
    near = np.round(values)
    close = np.abs(values - near) <= _SNAP
    return np.where(close, near, _ROUND[how](values))


def find_start(built: BuiltModel, lp: HighsLP, run: Callable[[], RunInfo]) -> Start:
    """Solve the LP relaxation, round and repair it; install the first feasible start.

    `run()` runs HiGHS once with the caller's options and time limit. The HiGHS model is
    left as it was (integer columns, bounds); its solution is the start's."""
    h = lp.highs
    model = h.getLp()
    integer = np.flatnonzero(np.asarray(model.integrality_, dtype=np.int64)).astype(np.int32)
    if not len(integer):
        return Start("", None, None, None)
    lower = np.array(model.col_lower_, dtype=float)  # copies: the model is changed below
    upper = np.array(model.col_upper_, dtype=float)
    chosen = decisions(built, lp)
    _integrality(h, integer, highspy.HighsVarType.kContinuous)
    lp.is_mip = False  # HighsLP.run's time limit and bound: these runs are LPs
    found = Start("", None, None, None)
    try:
        relaxation = run()
        if relaxation.status != "optimal":
            return found
        found.relaxation = relaxation.objective
        x = np.asarray(h.getSolution().col_value, dtype=float)
        for how_units, how_orders in ROUNDINGS[built.sense]:
            fixed, values = chosen.fix(x, how_units, how_orders, lower, upper)
            h.changeColsBounds(len(fixed), fixed, values, values)
            repair = run()
            h.changeColsBounds(len(fixed), fixed, lower[fixed], upper[fixed])
            if repair.status == "optimal":
                start = np.asarray(h.getSolution().col_value, dtype=float).copy()
                start[integer] = np.round(start[integer])
                found = Start(
                    f"units {how_units}, orders {how_orders}",
                    repair.objective,
                    found.relaxation,
                    start,
                )
                break
    finally:
        _integrality(h, integer, highspy.HighsVarType.kInteger)
        lp.is_mip = True
        h.clearSolver()
    if found.values is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(found.values)
        solution.value_valid = True
        h.setSolution(solution)
    return found


def _integrality(h, cols: np.ndarray, kind) -> None:
    h.changeColsIntegrality(len(cols), cols, np.full(len(cols), kind))


def describe(start: Start, built: BuiltModel) -> str:
    """Plan_Run's words for the start (objective in the user's units)."""
    if start.values is None:
        if start.relaxation is None:
            return "MIP start: none (the LP relaxation was not solved)"
        return "MIP start: none (no rounding of the LP plan could be repaired)"
    scale = 1.0 if built.sense == "max" else built.data.money_scale
    return (
        f"MIP start: LP plan rounded ({start.rounding}), repaired: "
        f"{start.objective * scale:,.10g} (LP relaxation {start.relaxation * scale:,.10g})"
    )
