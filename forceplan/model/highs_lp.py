"""The built Pyomo model compiled straight into a HiGHS instance, with the maps between them.

Pyomo's persistent HiGHS interface hands a model over one constraint at a time through
its change-tracking machinery; at size M that took longer than HiGHS's own solve. Here
every active constraint is turned into one row with Pyomo's linear-expression compiler
(`LinearRepnVisitor`, the engine of Pyomo's LP writer and standard-form compiler), the
rows are gathered into one row-wise sparse matrix and passed to HiGHS in a single
`passModel` call.

Conventions (the same as Pyomo's writers, so prices and row activities mean what they
did): a constraint `lb ≤ body ≤ ub` is one row whose coefficients are those of `body` and
whose bounds are `lb − c` and `ub − c`, where c is the constant part of `body`; an
equality has lb = ub. Every unfixed variable of the model is a column, in declaration
order. Objective constants go to HiGHS's objective offset.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import pyomo.core as pyo

INF = highspy.kHighsInf

#: HiGHS model status name -> forceplan status (the words of SolveOutcome.status).
STATUS = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",
    "kUnboundedOrInfeasible": "infeasible_or_unbounded",
    "kUnbounded": "unbounded",
    "kTimeLimit": "time_limit",
    "kIterationLimit": "iteration_limit",
    "kSolutionLimit": "iteration_limit",
    "kInterrupt": "interrupted",
}

#: Statuses that are not a verdict of any kind (HiGHS gave up): worth another strategy.
UNKNOWN = frozenset({"not_optimal"})


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance (its constructor prints a banner straight to stdout)."""
    from pyomo.common.tee import capture_output

    with capture_output(capture_fd=True):
        highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


def _return_freed_memory() -> None:
    """Hand the heap pages C++ freed back to the OS (glibc's malloc_trim): Python's own
    objects live in separate mmap arenas and would not reuse them, so without this the
    freed HiGHS memory still counts in the process's peak. A no-op elsewhere."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


class NotLinearError(ValueError):
    """A constraint or objective the LP cannot hold (a product of variables, ...)."""


@dataclass
class RunInfo:
    status: str  # a word of STATUS, or "not_optimal"
    has_solution: bool  # a primal feasible point is available
    objective: float | None  # HiGHS's objective value (offset included), None if no point
    bound: float | None  # MIP dual bound
    gap: float | None  # MIP relative gap
    highs_seconds: float  # HiGHS's own run time of this run
    iterations: int = 0  # simplex iterations of this run


@dataclass
class _Kept:
    """What HighsLP.release keeps of HiGHS's solution and LP."""

    col_value: np.ndarray
    row_value: np.ndarray
    col_dual: np.ndarray
    row_dual: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    nonzeros: int


class HighsLP:
    """A HiGHS instance holding the model, and the maps from Pyomo components to it."""

    def __init__(self, model: pyo.ConcreteModel) -> None:
        from pyomo.core.base.enums import SortComponents
        from pyomo.repn.linear import LinearRepnVisitor
        from pyomo.repn.util import VarRecorder

        self.model = model
        self.columns: list[Any] = [
            v for v in model.component_data_objects(pyo.Var, descend_into=True) if not v.fixed
        ]
        self.col_of: dict[int, int] = {id(v): i for i, v in enumerate(self.columns)}
        var_map = {id(v): v for v in self.columns}
        self._visitor = LinearRepnVisitor(
            {}, var_recorder=VarRecorder(var_map, SortComponents.deterministic)
        )
        self.rows: list[Any] = []
        self.row_of: dict[Any, int] = {}
        self.highs: Any = new_highs()  # None after `release`
        self.kept: _Kept | None = None
        #: integer columns held at their stage-1 values (`hold_integers`); the model is
        #: then an LP in HiGHS, but the plan is still a MIP's
        self.held_integers = 0
        #: the options of the last run (forceplan.model.sensitivity copies the stage-1
        #: optimum with them) and callables run once just before the next HiGHS run starts
        #: (HiGHS then releases the GIL: a thread started there overlaps the run)
        self.last_options: dict[str, Any] = {}
        self.before_run: list[Any] = []
        self._compile()

    # --- compiling ------------------------------------------------------------------------

    def linear(self, expr: Any, owner: Any = None) -> tuple[list[int], list[float], float]:
        """(columns, coefficients, constant) of a linear Pyomo expression; `owner` (a
        constraint, or a description) names it if it is not linear."""
        repn = self._visitor.walk_expression(expr)
        if repn.nonlinear is not None:
            if owner is None or isinstance(owner, str):
                what = owner or "an expression"
            else:
                what = f"constraint {owner.name}"
            raise NotLinearError(f"{what} is not linear")
        try:
            cols = list(map(self.col_of.__getitem__, repn.linear))
        except KeyError:  # a variable outside the model's own blocks (not expected)
            raise NotLinearError("an expression uses a variable that is not in the model") from None
        return cols, list(map(float, repn.linear.values())), float(repn.constant)

    def _compile(self) -> None:
        model = self.model
        starts, index, value = [0], [], []
        row_lower, row_upper = [], []
        for con in model.component_data_objects(pyo.Constraint, active=True, descend_into=True):
            lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
            if lb is None and ub is None:
                continue
            cols, coefs, constant = self.linear(body, con)
            self.row_of[con] = len(self.rows)
            self.rows.append(con)
            index.extend(cols)
            value.extend(coefs)
            starts.append(len(index))
            row_lower.append(-INF if lb is None else lb - constant)
            row_upper.append(INF if ub is None else ub - constant)

        objectives = list(model.component_data_objects(pyo.Objective, active=True))
        if len(objectives) != 1:
            raise ValueError(f"the model has {len(objectives)} active objectives, not one")
        objective = objectives[0]
        cost, maximise, offset = self.objective_vector(objective.expr, objective.sense)
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize

        n = len(self.columns)
        col_lower = np.array([-INF if v.lb is None else v.lb for v in self.columns], dtype=float)
        col_upper = np.array([INF if v.ub is None else v.ub for v in self.columns], dtype=float)
        integer = np.array([0 if v.is_continuous() else 1 for v in self.columns], dtype=np.int32)
        self.is_mip = bool(integer.any())
        status = self.highs.passModel(
            n,
            len(self.rows),
            len(index),
            int(highspy.MatrixFormat.kRowwise),
            int(sense),
            offset,
            cost,
            col_lower,
            col_upper,
            np.array(row_lower, dtype=float),
            np.array(row_upper, dtype=float),
            np.array(starts[:-1], dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=float),
            integer,
        )
        # kWarning: HiGHS loaded the model but dropped entries below its small-value
        # cutoff (|a| <= 1e-9), as Pyomo's interface let it; only kError is a failure
        if status == highspy.HighsStatus.kError:
            raise RuntimeError("HiGHS did not accept the model (kError)")

    def objective_vector(self, expr: Any, sense: Any) -> tuple[np.ndarray, bool, float]:
        """(cost per column, maximise?, offset) of a linear objective expression."""
        cols, coefs, constant = self.linear(expr, "the objective")
        cost = np.zeros(len(self.columns))
        np.add.at(cost, np.array(cols, dtype=np.int64), coefs)
        return cost, sense == pyo.maximize, constant

    # --- changes (the lexicographic stage of max_capability) --------------------------------

    def set_objective(self, expr: Any, sense: Any) -> None:
        self.set_objective_vector(*self.objective_vector(expr, sense))

    def set_objective_vector(self, cost: np.ndarray, maximise: bool, offset: float) -> None:
        """Replace the objective: a cost per column, its sense and constant."""
        self.highs.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        self.highs.changeObjectiveSense(sense)
        self.highs.changeObjectiveOffset(offset)

    def add_row(self, expr: Any, lower: float | None, upper: float | None) -> int:
        """Append `lower ≤ expr ≤ upper` as a row no Pyomo constraint owns; its position."""
        cols, coefs, constant = self.linear(expr, "a stage constraint")
        lo = -INF if lower is None else lower - constant
        hi = INF if upper is None else upper - constant
        self.highs.addRow(
            lo, hi, len(cols), np.array(cols, dtype=np.int32), np.array(coefs, dtype=float)
        )
        return int(self.highs.getNumRow()) - 1

    def set_row_lower(self, row: int, lower: float, constant_of: Any = None) -> None:
        """Set a row's lower bound to `lower` for its expression (`constant_of`'s constant
        part is moved into the bound, as when the row was added); the upper bound stays."""
        constant = self.linear(constant_of)[2] if constant_of is not None else 0.0
        _status, _lower, upper, _nz = self.highs.getRow(row)
        self.highs.changeRowBounds(row, lower - constant, upper)

    def delete_row(self, row: int) -> None:
        self.highs.deleteRows(1, np.array([row], dtype=np.int32))

    def col_bounds(self, cols: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        idx = np.fromiter(cols, dtype=np.int64)
        lp = self.highs.getLp()
        return np.asarray(lp.col_lower_)[idx], np.asarray(lp.col_upper_)[idx]

    def set_col_bounds(self, cols: Iterable[int], lower: np.ndarray, upper: np.ndarray) -> None:
        idx = np.fromiter(cols, dtype=np.int32)
        if len(idx):
            self.highs.changeColsBounds(len(idx), idx, lower, upper)

    def hold_integers(self) -> int:
        """Hold every integer column at its current (rounded) solution value and make it
        continuous: later stages then solve an LP whose plan keeps these whole decisions.
        Returns how many columns were held. Not undone: the stage-1 MIP is not run again."""
        h = self.highs
        integrality = np.asarray(h.getLp().integrality_, dtype=np.int64)
        cols = np.flatnonzero(integrality).astype(np.int32)
        if len(cols):
            values = np.round(np.asarray(h.getSolution().col_value, dtype=float)[cols])
            h.changeColsBounds(len(cols), cols, values, values)
            h.changeColsIntegrality(
                len(cols), cols, np.full(len(cols), highspy.HighsVarType.kContinuous)
            )
        self.held_integers = len(cols)
        self.is_mip = False
        return len(cols)

    # --- running --------------------------------------------------------------------------

    def run(self, options: dict[str, Any], time_limit: float | None = None) -> RunInfo:
        """One HiGHS run with these options (they persist in the instance, so callers state
        every option they vary). HiGHS's time limit counts over all runs of an instance, so
        it is set afresh, relative to the time already used."""
        h = self.highs
        for key, val in options.items():
            h.setOptionValue(key, val)
        # the simplex checks HiGHS's run clock, which counts over all runs of the instance;
        # the MIP solver checks its own clock, started at 0 by each run (measured: a MIP
        # stage given 0 s after 479 s of earlier runs ran 479 s)
        used = 0.0 if self.is_mip else h.getRunTime()
        limit = math.inf if time_limit is None else used + max(0.0, time_limit)
        h.setOptionValue("time_limit", limit)
        self.last_options = dict(options)
        hooks, self.before_run = self.before_run, []
        for hook in hooks:
            hook()
        started = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - started
        h.setOptionValue("time_limit", math.inf)
        info = h.getInfo()
        status = STATUS.get(h.getModelStatus().name, "not_optimal")
        has_solution = status == "optimal" or int(info.primal_solution_status) == 2
        objective = float(info.objective_function_value) if has_solution else None
        bound = gap = None
        if self.is_mip:
            bound = float(info.mip_dual_bound)
            if has_solution and objective is not None and math.isfinite(bound):
                gap = abs(objective - bound) / max(1e-10, abs(objective))
        iterations = max(0, int(info.simplex_iteration_count))  # -1 when HiGHS failed
        return RunInfo(status, has_solution, objective, bound, gap, seconds, iterations)

    # --- reading the solution -------------------------------------------------------------

    def row_residual(self) -> float:
        """Worst miss of a row bound by A·x recomputed from HiGHS's column values, relative
        to the size of the row's terms: |miss| / max(1, Σ|a·x|, |bound|).

        HiGHS's own row values and max_primal_infeasibility come from its simplex
        bookkeeping, not from A·x: on the generated M workbook HiGHS 1.16's simplex reports
        0 infeasibility while A·x misses a strength balance by 0.31 persons on terms of ~500
        (3.85 with presolve on). The audit re-derives rows from the written values, so this
        is what a plan must satisfy."""
        h = self.highs
        lp = h.getLp()
        x = np.asarray(h.getSolution().col_value, dtype=float)
        a = lp.a_matrix_
        start = np.asarray(a.start_, dtype=np.int64)
        index = np.asarray(a.index_, dtype=np.int64)
        value = np.asarray(a.value_, dtype=float)
        if len(x) != lp.num_col_ or not len(index):
            return 0.0
        ends = np.r_[start[1:], len(index)][: len(start)] if len(start) else start
        outer = np.repeat(np.arange(len(ends)), ends - start[: len(ends)])
        rowwise = a.format_ == highspy.MatrixFormat.kRowwise
        rows, cols = (outer, index) if rowwise else (index, outer)
        terms = value * x[cols]
        act = np.bincount(rows, weights=terms, minlength=lp.num_row_)
        size = np.bincount(rows, weights=np.abs(terms), minlength=lp.num_row_)
        lower = np.asarray(lp.row_lower_, dtype=float)
        upper = np.asarray(lp.row_upper_, dtype=float)
        miss = np.maximum(lower - act, 0.0) + np.maximum(act - upper, 0.0)
        bound = np.where(np.isfinite(lower), np.abs(lower), 0.0)
        bound = np.maximum(bound, np.where(np.isfinite(upper), np.abs(upper), 0.0))
        scale = np.maximum(np.maximum(1.0, size), bound)
        return float((miss / scale).max()) if len(miss) else 0.0

    def release(self) -> None:
        """Free the HiGHS instance, keeping what the plan's tables read from it (column and
        row values, duals, row bounds, the LP's size). At L HiGHS holds ~0.7 GiB (the LP,
        its factorisation and simplex arrays): released before the tables are built and
        the plan written, the command's peak memory is the solve's."""
        if self.highs is None:
            return
        h = self.highs
        solution, lp = h.getSolution(), h.getLp()
        self.kept = _Kept(
            np.asarray(solution.col_value, dtype=float),
            np.asarray(solution.row_value, dtype=float),
            np.asarray(solution.col_dual, dtype=float),
            np.asarray(solution.row_dual, dtype=float),
            np.asarray(lp.row_lower_, dtype=float),
            np.asarray(lp.row_upper_, dtype=float),
            int(h.getNumNz()),
        )
        self.highs = None
        del h
        _return_freed_memory()

    def _solution(self) -> Any:
        return self.highs.getSolution() if self.highs is not None else self.kept

    @property
    def shape(self) -> tuple[int, int, int]:
        """(columns, rows, nonzeros) of the LP in HiGHS (also after `release`)."""
        if self.highs is None:
            return len(self.kept.col_value), len(self.kept.row_value), self.kept.nonzeros
        h = self.highs
        return int(h.getNumCol()), int(h.getNumRow()), int(h.getNumNz())

    def load_values(self) -> None:
        """Put HiGHS's column values into the Pyomo variables."""
        values = self._solution().col_value
        for var, x in zip(self.columns, values, strict=True):
            var.set_value(x, skip_validation=True)

    def duals(self) -> dict[Any, float]:
        """Constraint data -> HiGHS row dual (d objective / d row bound)."""
        row_dual = self._solution().row_dual
        return {con: float(row_dual[r]) for con, r in self.row_of.items()}

    def reduced_costs(self) -> dict[int, float]:
        """id(var data) -> HiGHS column dual."""
        col_dual = self._solution().col_dual
        return {id(v): float(col_dual[c]) for c, v in enumerate(self.columns)}

    def row_activities(self) -> dict[Any, tuple[float, float, float]]:
        """Constraint data -> (activity, lower, upper) of its row in the current solution."""
        values = self._solution().row_value
        if self.highs is None:
            lower, upper = self.kept.row_lower, self.kept.row_upper
        else:
            lp = self.highs.getLp()
            lower, upper = lp.row_lower_, lp.row_upper_
        out = {}
        for con, r in self.row_of.items():
            lo, hi = lower[r], upper[r]
            out[con] = (
                float(values[r]),
                -math.inf if lo <= -INF else float(lo),
                math.inf if hi >= INF else float(hi),
            )
        return out
