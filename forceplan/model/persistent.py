"""A small adapter over a solved model's HiGHS instance, for re-solving it many times.

`forceplan sweep` builds and solves a workbook once, then for each scenario changes a few
row and column bounds directly in HiGHS, re-runs it from the previous basis and reads the
solution arrays. It works on the `forceplan.model.highs_lp.HighsLP` of the base solve
(its `highspy.Highs` instance and its row and column maps); everything else talks in
Pyomo components and numbers.

Indices returned here are HiGHS row / column positions; bounds are in model units (money
rows and columns in `ModelData.money_scale` currency units, like everything inside the LP).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from forceplan.model.highs_lp import STATUS

INF = math.inf

#: HiGHS's default simplex iteration limit (no limit).
ITERATION_DEFAULT = 2_147_483_647

#: Statuses that are a verdict: no other strategy is tried after them.
FINAL = frozenset({"optimal", "infeasible", "unbounded"})


@dataclass
class RunResult:
    status: str  # optimal | infeasible | time_limit | ... | not_optimal
    has_solution: bool  # a primal feasible point is available (optimal, or a MIP incumbent)
    objective: float | None  # HiGHS's objective value, model units (offset included)
    seconds: float  # HiGHS run wall time
    iterations: int  # simplex + IPM iterations
    strategy: str  # which strategy gave this result
    duals: bool  # row duals and reduced costs are valid


class PersistentLP:
    """The HiGHS instance of a solved model, with Pyomo components mapped to positions."""

    def __init__(self, outcome: Any, is_mip: bool = False) -> None:
        compiled = outcome.lp
        if compiled is None:
            raise RuntimeError("the solve outcome has no HiGHS instance")
        self._compiled = compiled
        self.highs = compiled.highs
        self._rows: dict[Any, int] = compiled.row_of
        self._cols: dict[int, int] = compiled.col_of
        self.is_mip = is_mip
        self.highs.setOptionValue("output_flag", False)
        lp = self.highs.getLp()
        self.num_rows = int(self.highs.getNumRow())
        self.num_cols = int(self.highs.getNumCol())
        self._row_lower = np.asarray(lp.row_lower_, dtype=float)
        self._row_upper = np.asarray(lp.row_upper_, dtype=float)
        self._col_lower = np.asarray(lp.col_lower_, dtype=float)
        self._col_upper = np.asarray(lp.col_upper_, dtype=float)
        self._basis: Any = None
        self.save_basis()

    # --- Pyomo components -> positions ----------------------------------------------------

    def row(self, con: Any) -> int | None:
        """HiGHS row of a Pyomo constraint (data), None if it has no row."""
        r = self._rows.get(con)
        return None if r is None else int(r)

    def col(self, var: Any) -> int:
        """HiGHS column of a Pyomo variable (data)."""
        return int(self._cols[id(var)])

    def has_col(self, var: Any) -> bool:
        return id(var) in self._cols

    def linear(self, expr: Any) -> tuple[np.ndarray, np.ndarray, float]:
        """(columns, coefficients, constant) of a linear Pyomo expression."""
        cols, coefs, constant = self._compiled.linear(expr)
        return np.array(cols, dtype=np.int64), np.array(coefs, dtype=float), constant

    def objective_vector(self, expr: Any, sense: Any) -> tuple[np.ndarray, bool, float]:
        """(cost per column, maximise?, offset) of a linear objective expression."""
        return self._compiled.objective_vector(expr, sense)

    # --- the LP as it is now --------------------------------------------------------------

    def row_bounds(self, r: int) -> tuple[float, float]:
        return float(self._row_lower[r]), float(self._row_upper[r])

    def col_bounds(self, c: int) -> tuple[float, float]:
        return float(self._col_lower[c]), float(self._col_upper[c])

    def col_bound_arrays(self, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Current (lower, upper) bounds of many columns."""
        return self._col_lower[cols], self._col_upper[cols]

    def coefficient(self, r: int, c: int) -> float:
        """Coefficient of column c in row r (0 if absent)."""
        _status, index, value = self.highs.getRowEntries(r)
        for i, v in zip(index, value, strict=False):
            if int(i) == c:
                return float(v)
        return 0.0

    # --- changes --------------------------------------------------------------------------

    def add_row(self, lower: float, upper: float, terms: Iterable[tuple[int, float]]) -> int:
        """Append a row `lower ≤ Σ coef·x[col] ≤ upper`; returns its position."""
        items = [(c, v) for c, v in terms if v]
        index = np.array([c for c, _ in items], dtype=np.int32)
        value = np.array([v for _, v in items], dtype=float)
        self.highs.addRow(_h(lower), _h(upper), len(items), index, value)
        r = self.num_rows
        self.num_rows += 1
        self._row_lower = np.append(self._row_lower, lower)
        self._row_upper = np.append(self._row_upper, upper)
        self.save_basis()  # a new basic slack keeps the saved basis usable
        return r

    def set_row_bounds(self, rows: Sequence[int], lower: Sequence[float], upper: Sequence[float]):
        if not len(rows):
            return
        idx = np.asarray(rows, dtype=np.int32)
        lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        self.highs.changeRowsBounds(len(idx), idx, _h(lo), _h(hi))
        self._row_lower[idx], self._row_upper[idx] = lo, hi

    def set_col_bounds(self, cols: Sequence[int], lower: Sequence[float], upper: Sequence[float]):
        if not len(cols):
            return
        idx = np.asarray(cols, dtype=np.int32)
        lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        self.highs.changeColsBounds(len(idx), idx, _h(lo), _h(hi))
        self._col_lower[idx], self._col_upper[idx] = lo, hi

    def set_coefficients(self, entries: Iterable[tuple[int, int, float]]) -> None:
        """Set matrix entries (row, column, value) in HiGHS."""
        for r, c, v in entries:
            self.highs.changeCoeff(int(r), int(c), float(v))

    def set_objective(self, cost: np.ndarray, maximise: bool, offset: float) -> None:
        self._compiled.set_objective_vector(cost, maximise, offset)

    # --- basis ----------------------------------------------------------------------------

    def save_basis(self) -> None:
        """Remember the current basis (if HiGHS has a valid one) as the fallback start."""
        basis = self.highs.getBasis()
        if basis.valid:
            self._basis = basis

    def current_basis(self) -> Any:
        """HiGHS's basis now (None if it has no valid one), to hand back to `use_basis`."""
        basis = self.highs.getBasis()
        return basis if basis.valid else None

    def use_basis(self, basis: Any) -> None:
        """Start the next warm run from `basis` (one of this LP's own bases)."""
        if basis is not None:
            self.highs.setBasis(basis)

    def restore_basis(self) -> bool:
        """Start the next run from the saved basis; False if there is none."""
        if self._basis is None:
            return False
        self.highs.setBasis(self._basis)
        return True

    # --- running --------------------------------------------------------------------------

    def run(
        self,
        time_limit: float | None = None,
        strategy: str = "warm",
        threads: int | None = None,
        iteration_limit: int | None = None,
    ) -> RunResult:
        """One HiGHS run.

        Strategies: `warm` (dual simplex from the current basis), `base` (from the saved
        basis), `ipm` (cold start: presolve, interior point and crossover, which proves
        infeasibility reliably where the warm dual simplex gives up), `cold` (cold start,
        presolve off, simplex). HiGHS's time limit counts over all runs of an instance, so
        it is set afresh for every run; `iteration_limit` caps simplex iterations (a cheap
        first try that gives way to a sturdier strategy).
        """
        h = self.highs
        opts: dict[str, Any] = {"random_seed": 0, "presolve": "choose", "solver": "choose"}
        if strategy == "base":
            self.restore_basis()
        elif strategy == "ipm":
            h.clearSolver()
            if not self.is_mip:
                opts["solver"] = "ipm"
        elif strategy == "cold":
            h.clearSolver()
            opts["presolve"] = "off"
        if threads is not None:
            opts["threads"] = threads
        opts["simplex_iteration_limit"] = (
            ITERATION_DEFAULT if iteration_limit is None else iteration_limit
        )
        for key, value in opts.items():
            h.setOptionValue(key, value)
        limit = INF if time_limit is None else h.getRunTime() + max(0.0, time_limit)
        h.setOptionValue("time_limit", limit)
        started = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - started
        h.setOptionValue("time_limit", INF)
        info = h.getInfo()
        status = STATUS.get(h.getModelStatus().name, "not_optimal")
        has_solution = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
        if status == "optimal":
            has_solution = True
        objective = float(info.objective_function_value) if has_solution else None
        iterations = int(info.simplex_iteration_count) + max(0, int(info.ipm_iteration_count))
        duals = status == "optimal" and not self.is_mip
        return RunResult(status, has_solution, objective, seconds, iterations, strategy, duals)

    def iterations(self) -> int:
        """Simplex iterations of the last run (of the base solve, right after it)."""
        return int(self.highs.getInfo().simplex_iteration_count)

    # --- solution arrays ------------------------------------------------------------------

    def solution(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(column values, row duals, column reduced costs) of the last run."""
        sol = self.highs.getSolution()
        return (
            np.asarray(sol.col_value, dtype=float),
            np.asarray(sol.row_dual, dtype=float),
            np.asarray(sol.col_dual, dtype=float),
        )

    def row_positions(self, component: Any) -> list[tuple[Any, int]]:
        """(index, row) for every row of an indexed Pyomo constraint that HiGHS holds."""
        out = []
        for index, con in component.items():
            r = self._rows.get(con)
            if r is not None:
                out.append((index, int(r)))
        return out

    def col_positions(self, component: Any) -> list[tuple[Any, int]]:
        """(index, column) for every variable of an indexed Pyomo variable."""
        out = []
        for index, var in component.items():
            c = self._cols.get(id(var))
            if c is not None:
                out.append((index, int(c)))
        return out


def _h(x: Any) -> Any:
    """HiGHS's infinity for inf (highspy takes both, but older versions only kHighsInf)."""
    import highspy

    if isinstance(x, np.ndarray):
        return np.clip(x, -highspy.kHighsInf, highspy.kHighsInf)
    return max(-highspy.kHighsInf, min(highspy.kHighsInf, x))
