"""Build once, re-solve many times: one worker's view of a sweep.

`prepare` reads, validates and matches the specs (cheap; the main process does it to
fail early). `SweepEngine` then builds the model and solves the base case once; for each
scenario it sets the varied row and column bounds in HiGHS to the scenario's values
(always from the workbook's values, never cumulatively), re-runs HiGHS from the previous
basis and reads status, objective, strength, shortfalls and the most binding limits
straight from HiGHS's solution arrays. No Pyomo model and no Plan_ table is built per
scenario.

How an input cell reaches the LP is each family's business (schema.FAMILIES): a family
module declares the --vary targets it takes (`SWEEP_TARGETS`), the model parameters a
cell sets (`sweep_params`), why a set value would change the model's shape
(`sweep_refuse`, optional), the levers of a parameter (`sweep_levers(param, ctx)`: row or
column bounds, rows it adds when the workbook left the limit out, coefficients) and
checks across parameters (`sweep_conflict`, optional). Indices and rates multiply
decision variables, so they are coefficient levers (see `forceplan.sweep.coefficients`):
each scenario rewrites every coefficient they touch from the workbook's values and the
scenario's, never cumulatively.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from forceplan.prices import is_printed_limit
from forceplan.sweep.interval import STRATEGY as INTERVAL_RULE
from forceplan.sweep.interval import FeasibleInterval, Point, line_anchor
from forceplan.sweep.scenarios import Cell, Scenario, build_scenarios, cell_values, match_specs
from forceplan.sweep.spec import TARGETS, SpecError, VarySpec, parse_spec
from forceplan.sweep.stages import TieBreak

#: Test-only: a worker process exits abruptly before solving this scenario id.
TEST_DIE_ENV = "FORCEPLAN_SWEEP_TEST_DIE"
INF = math.inf
TOP_BINDING = 5
#: Candidates (largest |price| first) checked against the printing rules per scenario.
MAX_CANDIDATES = 60


@dataclass
class SweepOptions:
    objective: str | None = None
    elastic: bool | None = None
    integer_units: bool | None = None
    time_limit: float | None = None  # per scenario, seconds
    threads: int | None = None  # HiGHS threads per worker
    #: `--fractional-units`: the LP relaxation of a MIP workbook (unit counts and equipment
    #: orders fractional): every scenario a warm LP re-solve instead of a branch and bound
    fractional_units: bool = False


@dataclass
class Prepared:
    specs: list[VarySpec]
    inputs: Any
    data: Any
    matched: list[list[Cell]]
    issues: list[Any] = field(default_factory=list)


def prepare(workbook: Path, spec_texts: list[str], options: SweepOptions) -> Prepared:
    """Read and validate the workbook, parse and match the specs (InputError/SpecError)."""
    from forceplan.load import ModelOptions, load_checked

    if not spec_texts:
        raise SpecError("give at least one --vary SPEC")
    specs = [parse_spec(t) for t in spec_texts]
    integer_units = False if options.fractional_units else options.integer_units
    model = ModelOptions(options.objective, options.elastic, integer_units)
    loaded = load_checked(workbook, model)
    if options.fractional_units:
        for equipment in loaded.data.equipment.values():
            equipment.integer = False  # whole orders too: the LP relaxation
    matched = match_specs(specs, loaded.inputs)
    _check_structure(specs, matched, loaded.data)
    return Prepared(specs, loaded.inputs, loaded.data, matched, loaded.issues)


def sweep_families() -> dict[str, Any]:
    """--vary target ("Sheet.column") -> the family module whose levers it moves."""
    from forceplan.model.build import family_modules

    return {t: module for module in family_modules() for t in getattr(module, "SWEEP_TARGETS", ())}


def _family_of(cell: Cell) -> Any:
    family = sweep_families().get(f"{cell.sheet}.{cell.column}")
    if family is None:
        raise SpecError(f"cannot vary {cell.sheet}.{cell.column}")
    return family


def _check_structure(specs: list[VarySpec], matched: list[list[Cell]], data: Any) -> None:
    """Set values that would change the model's shape (not only its bounds) are refused."""
    for spec, cells in zip(specs, matched, strict=True):
        if spec.scale:
            continue  # scaling keeps 0 at 0 and inf at inf: the model's shape stays
        for cell in cells:
            refuse = getattr(_family_of(cell), "sweep_refuse", None)
            problem = refuse(cell, data) if refuse is not None else ""
            if problem:
                raise SpecError(f"--vary {spec.text!r}: {problem}")


@dataclass
class _Lever:
    """One bound that a parameter sets: side := mult · value."""

    kind: str  # "row" or "col"
    slot: int  # position in the engine's touched-rows / touched-cols arrays
    side: str  # "lower", "upper" or "both"
    mult: float  # sign of the row's key coefficient × unit (1/money_scale for money)


class _LeverContext:
    """What a family's `sweep_levers` is given (forceplan.model.core.Levers)."""

    def __init__(self, engine: SweepEngine, param: tuple[Any, ...], may_set: bool) -> None:
        self._engine, self._param = engine, param
        self.lp, self.built, self.data = engine.lp, engine.built, engine.data
        self.may_set = may_set

    def base(self, value: float) -> None:
        self._engine._base_params[self._param] = value

    def row_lever(self, row: int, key_col: int, side: str, unit: float) -> _Lever:
        t = self.lp.coefficient(row, key_col)
        if t == 0:
            raise RuntimeError(f"sweep: row {row} does not hold column {key_col}")
        if t < 0:
            side = {"lower": "upper", "upper": "lower", "both": "both"}[side]
        return _Lever("row", self._engine._slot("row", row), side, t * unit)

    def col_lever(self, col: int, side: str, unit: float) -> _Lever:
        return _Lever("col", self._engine._slot("col", col), side, unit)

    def add_row(
        self, terms: list[tuple[int, float]], id: str, kind: str, index: Any, describe: Any
    ) -> int:
        return self._engine._add_row(terms, id, kind, index, describe)

    def coefficients(self, base: float, rows: Any) -> None:
        self._engine.coefficients.add(self._param, base, rows)


@dataclass
class _Entry:
    """A labelled row or column for the binding-constraint list."""

    id: str
    kind: str
    describe: Any
    index: Any
    family: Any = None  # the model's Family (None: a row the sweep added itself)


class SweepEngine:
    """A built and solved model, ready to re-solve scenarios."""

    def __init__(self, workbook: Path, spec_texts: list[str], options: SweepOptions) -> None:
        from forceplan.model.build import build_model
        from forceplan.model.persistent import PersistentLP
        from forceplan.model.solve import SolveOptions, solve

        started = time.perf_counter()
        self.options = options
        self.prep = prepare(workbook, spec_texts, options)
        self.specs, self.data = self.prep.specs, self.prep.data
        t_read = time.perf_counter()
        self.built = build_model(self.data)
        t_build = time.perf_counter()
        outcome = solve(  # the allocation's priority stage (§8.7) changes no sweep figure
            self.built,
            SolveOptions(
                options.time_limit, None, options.threads, priority_stage=False, ranging=False
            ),
        )
        t_solve = time.perf_counter()
        self.lp = PersistentLP(outcome, outcome.is_mip)
        self.scale = self.data.money_scale
        self.maximise = self.built.sense == "max"
        self._tie_break = (
            TieBreak.setup(self.lp, self.built, outcome.floor_row) if self.maximise else None
        )
        self._cell_params: dict[Cell, list[tuple[Any, ...]]] = {}
        self._param_family: dict[tuple[Any, ...], Any] = {}
        for cells in self.prep.matched:
            for cell in cells:
                family = _family_of(cell)
                self._cell_params[cell] = family.sweep_params(cell, self.data)
                self._param_family.update((p, family) for p in self._cell_params[cell])
        self._setup_levers()
        self._setup_readers()
        self.base_highs_seconds = outcome.highs_seconds
        self.base_iterations = self.lp.iterations()
        self._last_ok = outcome.optimal
        self._anchor = line_anchor(self.specs, self.prep.matched)
        self._last_t: float | None = None
        self._interval = self._feasible_interval(outcome.status)
        self.base = {
            "status": outcome.status,
            "objective": outcome.objective,
            "solve_seconds": outcome.highs_seconds,
            "money_scale": self.scale,
            "objective_name": self.data.objective,
            "elastic": self.data.elastic,
            "mip": outcome.is_mip,
            "rows": self.lp.num_rows,
            "columns": self.lp.num_cols,
            "timings": {
                "read_validate": t_read - started,
                "build": t_build - t_read,
                "solve": t_solve - t_build,
            },
        }
        if self._tie_break is not None and outcome.optimal:
            # the base plan read the way every scenario is (prices from the capability stage)
            base_row: dict[str, Any] = {"scenario": 0, "message": ""}
            self._solve_into(base_row)
            self.base.update(
                {k: base_row[k] for k in ("cost", "strength", "end_strength", "binding")}
            )
            self.base.update(
                {k: base_row[k] for k in ("shortfall_total", "shortfalls") if k in base_row}
            )
            self.base["objective"] = outcome.objective
        elif outcome.has_solution:
            summary = self._read(_BaseRun(outcome.status, outcome.has_solution, not outcome.is_mip))
            self.base.update(summary)
            self.base["objective"] = outcome.objective
        self.base["timings"]["setup"] = time.perf_counter() - t_solve
        self.base["timings"]["total"] = time.perf_counter() - started

    # --- parameters -> bounds -------------------------------------------------------------

    def _setup_levers(self) -> None:
        lp = self.lp
        set_params = {
            p
            for spec, cells in zip(self.specs, self.prep.matched, strict=True)
            if not spec.scale
            for cell in cells
            for p in self._cell_params[cell]
        }
        self._rows: list[int] = []
        self._cols: list[int] = []
        self._row_slot: dict[int, int] = {}
        self._col_slot: dict[int, int] = {}
        self._slot_names: dict[str, dict[int, str]] = {"row": {}, "col": {}}
        self.levers: dict[tuple[Any, ...], list[_Lever]] = {}
        self._base_params: dict[tuple[Any, ...], float] = {}
        self._added: list[tuple[int, _Entry]] = []  # rows added here, for the binding list
        params = {p for ps in self._cell_params.values() for p in ps}
        from forceplan.sweep.coefficients import CoefficientLevers

        self.coefficients = CoefficientLevers(lp, self.built)
        for param in sorted(params, key=repr):
            ctx = _LeverContext(self, param, param in set_params)
            self.levers[param] = self._param_family[param].sweep_levers(param, ctx)
            for lever in self.levers[param]:
                self._slot_names[lever.kind][lever.slot] = _param_name(param)
        self._base_row_lo = np.array([lp.row_bounds(r)[0] for r in self._rows])
        self._base_row_hi = np.array([lp.row_bounds(r)[1] for r in self._rows])
        self._base_col_lo = np.array([lp.col_bounds(c)[0] for c in self._cols])
        self._base_col_hi = np.array([lp.col_bounds(c)[1] for c in self._cols])
        lo, hi, clo, chi = self._bounds_for(self._base_params)
        added = [self._row_slot[r] for r, _entry in self._added]
        if added:  # rows added here start at the workbook's values (e.g. Σ S ≥ 0)
            self._base_row_lo[added], self._base_row_hi[added] = lo[added], hi[added]
            self.lp.set_row_bounds([self._rows[k] for k in added], lo[added], hi[added])
        # the mapping must reproduce the LP as built: a cheap guard against model changes
        for name, a, b in (
            ("row lower", lo, self._base_row_lo),
            ("row upper", hi, self._base_row_hi),
            ("column lower", clo, self._base_col_lo),
            ("column upper", chi, self._base_col_hi),
        ):
            if not _close(a, b):
                raise RuntimeError(f"sweep: the model's {name} bounds are not where expected")
        self.coefficients.check()

    def _slot(self, kind: str, pos: int) -> int:
        slots, items = (
            (self._row_slot, self._rows) if kind == "row" else (self._col_slot, self._cols)
        )
        if pos not in slots:
            slots[pos] = len(items)
            items.append(pos)
        return slots[pos]

    def _add_row(
        self, terms: list[tuple[int, float]], cid: str, kind: str, index: Any, describe: Any
    ) -> int:
        r = self.lp.add_row(-INF, INF, terms)
        self._added.append((r, _Entry(cid, kind, describe, index)))
        return r

    def _bounds_for(self, params: dict[tuple[Any, ...], float]):
        lo, hi = self._base_row_lo.copy(), self._base_row_hi.copy()
        clo, chi = self._base_col_lo.copy(), self._base_col_hi.copy()
        for param, value in params.items():
            for lever in self.levers.get(param, ()):
                x = _times(lever.mult, value)
                a, b = (lo, hi) if lever.kind == "row" else (clo, chi)
                if lever.side in ("lower", "both"):
                    a[lever.slot] = x
                if lever.side in ("upper", "both"):
                    b[lever.slot] = x
        return lo, hi, clo, chi

    # --- reading solutions ----------------------------------------------------------------

    def _setup_readers(self) -> None:
        from forceplan.model.personnel import active_strength

        lp, m, built = self.lp, self.built.model, self.built
        self._strength_cols = {  # as EndStrength counts
            y: np.array([lp.col(v) for v in strength], dtype=np.int64)
            for y, strength in active_strength(built).items()
        }
        self._shortfall_cols: dict[str, np.ndarray] = {}
        self._shortfall_money: dict[str, bool] = {}
        for kind, group in built.shortfalls.items():
            cols = [c for s in group for _i, c in lp.col_positions(s.var)]
            self._shortfall_cols[kind] = np.array(cols, dtype=np.int64)
            self._shortfall_money[kind] = group[0].money
        self._cost = lp.linear(m.cost)
        self._penalty = lp.linear(m.penalty)
        # labelled rows and bound columns for the binding list, with price factors to the
        # user's units (results._unit_factors, minimised objective): money rows ×1, others ×K
        entries: list[_Entry] = []
        rows, row_entry, row_factor = [], [], []
        cols, col_entry, col_factor = [], [], []
        for fam in built.families:
            factor = self._price_factor(fam.money)
            positions = (
                lp.col_positions(fam.component) if fam.is_bound else lp.row_positions(fam.component)
            )
            for index, pos in positions:
                entries.append(_Entry(fam.id, fam.kind, fam.describe, index, fam))
                (cols if fam.is_bound else rows).append(pos)
                (col_entry if fam.is_bound else row_entry).append(len(entries) - 1)
                (col_factor if fam.is_bound else row_factor).append(factor)
        for r, entry in self._added:
            entries.append(entry)
            rows.append(r)
            row_entry.append(len(entries) - 1)
            row_factor.append(self._price_factor(False))
        self._entries = entries
        self._b_rows = np.array(rows, dtype=np.int64)
        self._b_row_entry = np.array(row_entry, dtype=np.int64)
        self._b_row_factor = np.array(row_factor, dtype=float)
        self._b_cols = np.array(cols, dtype=np.int64)
        self._b_col_entry = np.array(col_entry, dtype=np.int64)
        self._b_col_factor = np.array(col_factor, dtype=float)

    def _price_factor(self, money: bool) -> float:
        """Model price -> user's units (results._unit_factors): a minimised objective is in
        millions (headcount rows ×K, money rows ×1); capability is in points (headcount
        rows ×1, money rows ÷K)."""
        if self.maximise:
            return 1.0 / self.scale if money else 1.0
        return 1.0 if money else self.scale

    def _read(self, run: Any) -> dict[str, Any]:
        x, row_dual, col_dual = self.lp.solution()
        return self._summary(x, row_dual, col_dual, run.duals)

    def _summary(
        self,
        x: np.ndarray,
        row_dual: np.ndarray,
        col_dual: np.ndarray,
        duals: bool,
        priced: np.ndarray | None = None,
    ) -> dict[str, Any]:
        """The row's plan figures from `x`, and its binding limits from the prices of the
        plan `priced` (x itself unless the prices come from another stage)."""
        scale = self.scale
        strength = {int(y): float(x[cols].sum()) for y, cols in self._strength_cols.items()}
        shortfalls = {}
        for kind, cols in self._shortfall_cols.items():
            total = float(x[cols].sum()) if len(cols) else 0.0
            shortfalls[kind] = _clean(total * (scale if self._shortfall_money[kind] else 1.0))
        cols, coefs, const = self._cost
        cost = (float(coefs @ x[cols]) + const) * scale if len(cols) else const * scale
        out: dict[str, Any] = {
            "cost": _clean(cost),
            "strength": {y: _clean(v) for y, v in strength.items()},
            "end_strength": _clean(strength[max(strength)]) if strength else None,
            "shortfall_total": _clean(sum(shortfalls.values())) if shortfalls else 0.0,
            "shortfalls": shortfalls,
            "binding": self._binding(x if priced is None else priced, row_dual, col_dual)
            if duals
            else "",
        }
        return out

    def _binding(self, x: np.ndarray, row_dual: np.ndarray, col_dual: np.ndarray) -> str:
        """The largest priced binding limits, chosen by the rules of `solve` (MODEL.md §8.8):
        each candidate row goes through `forceplan.results._row` (side, notes) and
        `forceplan.prices.is_printed_limit`, so an identity row, the sign restriction x ≥ 0
        (also the lower side of a 0 ≤ x ≤ 0 bound) and a donation nobody offers are never
        listed. Ranging is not computed per scenario, so degenerate prices are not
        filtered out here; Plan_Constraints of a `solve` has them."""
        prices = [row_dual[self._b_rows] * self._b_row_factor]
        entries = [self._b_row_entry]
        positions = [self._b_rows]
        is_col = [np.zeros(len(self._b_rows), dtype=bool)]
        if len(self._b_cols):
            lo, hi = self.lp.col_bound_arrays(self._b_cols)
            v = x[self._b_cols]
            tol = 1e-7 * np.maximum(1.0, np.abs(v))
            at_bound = (np.isfinite(lo) & (np.abs(v - lo) <= tol)) | (
                np.isfinite(hi) & (np.abs(hi - v) <= tol)
            )
            reduced = np.where(at_bound, col_dual[self._b_cols], 0.0)
            prices.append(reduced * self._b_col_factor)
            entries.append(self._b_col_entry)
            positions.append(self._b_cols)
            is_col.append(np.ones(len(self._b_cols), dtype=bool))
        price = np.concatenate(prices)
        entry = np.concatenate(entries)
        position = np.concatenate(positions)
        column = np.concatenate(is_col)
        size = np.abs(price)
        nonzero = np.flatnonzero(size > 1e-9)
        if not len(nonzero):
            return ""
        parts = []
        for k in nonzero[np.argsort(-size[nonzero], kind="stable")][:MAX_CANDIDATES]:
            e = self._entries[int(entry[k])]
            shown = float(price[k])
            if e.family is not None:
                dual = float(col_dual[position[k]] if column[k] else row_dual[position[k]])
                row = self._limit_row(e, int(position[k]), bool(column[k]), dual, x)
                if not is_printed_limit(row):
                    continue
                shown = float(row["shadow_price"])
            label, _cells = e.describe(e.index)
            parts.append(f"{e.id} {e.kind} {label} ({_num(shown)})")
            if len(parts) == TOP_BINDING:
                break
        return "; ".join(parts)

    def _limit_row(self, e: _Entry, pos: int, column: bool, dual: float, x: np.ndarray) -> dict:
        """The Plan_Constraints row `solve` would write for this limit (without ranging)."""
        from forceplan.results import _Price, _row, _unit_factors

        if column:
            lower, upper = self.lp.col_bounds(pos)
            value = float(x[pos])
        else:
            lower, upper = self.lp.row_bounds(pos)
            # a row with a price binds (complementary slackness); its dual's sign says
            # which bound: for a minimum d(objective)/d(lower bound) ≥ 0
            at_lower = (dual > 0) != self.maximise
            value = (
                lower if (at_lower and math.isfinite(lower)) or not math.isfinite(upper) else upper
            )
        price = _Price(dual, False, None, None, 0.0, False, lower == upper and not column, column)
        sense = "max" if self.maximise else "min"
        fam = e.family
        return _row(fam, e.index, value, lower, upper, price, _unit_factors(self.built, fam), sense)

    # --- one scenario ---------------------------------------------------------------------

    def evaluate(self, scenario: Scenario) -> dict[str, Any]:
        if os.environ.get(TEST_DIE_ENV) == str(scenario.id):  # test-only: a worker crash
            os._exit(70)
        started = time.perf_counter()
        row = empty_row(scenario, worker=os.getpid())
        try:
            problem = self._apply(scenario)
            implied = self._interval.implied(scenario.values[0]) if self._interval else ""
            if problem:
                row.update(status="invalid_input", message=problem)
            elif implied:
                row.update(status="infeasible", strategy=INTERVAL_RULE, message=implied)
            else:
                self._start_near(scenario)
                self._solve_into(row)
                self._learn(scenario, row["status"])
        except Exception as exc:  # one bad scenario is a row, not the end of the sweep
            row.update(status="error", message=f"{type(exc).__name__}: {exc}")
            self._last_ok = False
        row["seconds"] = time.perf_counter() - started
        return row

    def _apply(self, scenario: Scenario) -> str:
        """Set every varied bound to this scenario's value; a problem text if invalid."""
        values = cell_values(self.specs, self.prep.matched, scenario)
        params: dict[tuple[Any, ...], float] = {}
        for cell, value in values.items():
            if math.isnan(value) or value < 0:
                return f"{cell.address} ({cell.sheet}.{cell.column}) would be {value:g} (< 0)"
            if value <= 0 and TARGETS[f"{cell.sheet}.{cell.column}"].positive:
                return f"{cell.address} ({cell.sheet}.{cell.column}) would be 0 (must be > 0)"
            for p in self._cell_params[cell]:
                params[p] = value
        problem = self._check_pairs(params)
        if problem:
            return problem
        lo, hi, clo, chi = self._bounds_for(params)
        bad = _crossed(lo, hi)
        if bad is not None:
            return f"a minimum is above its maximum ({self._slot_names['row'].get(bad, bad)})"
        bad = _crossed(clo, chi)
        if bad is not None:
            return f"a minimum is above its maximum ({self._slot_names['col'].get(bad, bad)})"
        self.lp.set_row_bounds(self._rows, lo, hi)
        self.lp.set_col_bounds(self._cols, clo, chi)
        self.coefficients.apply(params)
        return ""

    def _feasible_interval(self, base_status: str) -> FeasibleInterval | None:
        """The interval rule (forceplan.sweep.interval) if this sweep is one line of bounds
        through an LP; seeded with the workbook's own verdict when it lies on the line."""
        if len(self.specs) != 1 or self.lp.is_mip or self.coefficients.params:
            return None
        interval = FeasibleInterval("×" if self.specs[0].scale else "=")
        anchor = self._anchor
        if anchor is not None and base_status in ("optimal", "infeasible"):
            label = f"the workbook as it is ({interval.symbol}{anchor:.6g})"
            interval.learn(Point(anchor, label), base_status == "optimal")
        return interval

    def _start_near(self, scenario: Scenario) -> None:
        """Back to the base solve's basis when a one-line sweep crosses the workbook's own
        values (`outward` goes down, then up): the last basis is a whole side away (the
        Ukraine example's first budget above ×1 then took 5 s instead of 0.01 s)."""
        if self._anchor is None or self._tie_break is not None:
            return
        t, last = scenario.values[0], self._last_t
        self._last_t = t
        if last is not None and (last - self._anchor) * (t - self._anchor) < 0:
            self.lp.restore_basis()

    def _learn(self, scenario: Scenario, status: str) -> None:
        if self._interval is not None and status in ("optimal", "infeasible"):
            point = Point(scenario.values[0], self._interval.label(scenario))
            self._interval.learn(point, status == "optimal")

    def _check_pairs(self, params: dict[tuple[Any, ...], float]) -> str:
        """Checks across parameters (e.g. a minimum and a maximum that are two rows)."""
        for family in dict.fromkeys(self._param_family.values()):
            conflict = getattr(family, "sweep_conflict", None)
            problem = conflict(params, self._base_params, self.data) if conflict else ""
            if problem:
                return problem
        return ""

    def _solve_into(self, row: dict[str, Any]) -> None:
        if self._tie_break is not None:
            self._tie_break.stage_one(self.lp)
        budget = self._scenario_budget()
        runs = self._ladder(self._plan(), budget)
        run = runs[-1]
        row.update(
            status=run.status,
            strategy="+".join(r.strategy for r in runs),
            iterations=sum(r.iterations for r in runs),
            solve_seconds=sum(r.seconds for r in runs),
        )
        self._last_ok = run.status == "optimal"
        if run.has_solution and run.objective is not None:
            x, row_dual, col_dual = self.lp.solution()
            priced = x  # the plan the prices belong to (for max_capability: stage 1)
            if self._tie_break is not None and run.status == "optimal":
                x = self._cost_stage(row, x)
                row["objective"] = _clean(self._tie_break.score(x))  # of the plan reported
            else:
                scale = 1.0 if self.maximise else self.scale  # capability is in points
                row["objective"] = _clean(run.objective * scale)
            row.update(self._summary(x, row_dual, col_dual, run.duals, priced))
            if run.status != "optimal":
                row["message"] = "not a proven optimum"
        elif run.status == "infeasible":
            row["message"] = "no plan satisfies every requirement"
        elif budget is not None and self.options.time_limit is None and runs_out(runs, budget):
            row["message"] = (
                f"no verdict within {budget:.0f} s, the sweep's time per scenario when none "
                f"is given ({SCENARIO_FACTOR}× the workbook's own solve); --time-limit sets it"
            )

    def _plan(self) -> list[tuple[str, float | None, int | None]]:
        """HiGHS strategies to try in turn: (strategy, time cap, simplex iteration cap)."""
        limit = self.options.time_limit
        # every strategy but the last is capped at 5× the base solve: on a scenario at the
        # feasibility threshold the interior point method once ran 12.5 s to no verdict
        # where the cold simplex after it took 0.3 s
        warm_cap = _min(limit, max(1.0, 5 * self.base_highs_seconds))
        iters = self.base_iterations
        if self.lp.is_mip:
            plan = [("warm", limit, None), ("cold", limit, None)]
        elif self._last_ok:  # neighbours re-solve in a few iterations from this basis;
            # more than the base solve's own iterations: probably infeasible, which the dual
            # simplex proves slowly on the Ukraine example (16 s at the cap of 3× before)
            # and the interior point method in ~1 s
            plan = [("warm", warm_cap, max(2_000, iters)), ("ipm", warm_cap, None)]
        else:  # after a failure the basis is poor and neighbours are likely infeasible too:
            # a capped warm dual simplex first (next to an infeasible neighbour it proves
            # infeasibility in ~0.1 s), then a cold interior point solve, which proves it
            # reliably
            plan = [
                ("warm", warm_cap, max(2_000, iters)),
                ("ipm", warm_cap, None),
                ("base", warm_cap, max(10_000, 3 * iters)),
            ]
        plan.append(("cold", limit, None))
        return plan

    def _scenario_budget(self) -> float | None:
        """HiGHS seconds one scenario may take, all strategies together: `--time-limit`,
        else for an LP SCENARIO_FACTOR × the base solve (at least SCENARIO_FLOOR s; each
        strategy but the last is capped at 5× too, so a later one may get none). A budget
        right at the feasibility threshold can be beyond HiGHS: on the Ukraine example
        ×0.748 ran 57-141 s to no verdict in a sweep, and `forceplan solve` on that
        workbook had none after 5 minutes; uncapped, that one scenario was most of a
        1,000-scenario sweep (the rest of it: ~15 s of HiGHS time in all)."""
        if self.options.time_limit is not None:
            return self.options.time_limit
        if self.lp.is_mip:  # a MIP scenario may need far longer than the base: no cap
            return None
        return max(SCENARIO_FLOOR, SCENARIO_FACTOR * self.base_highs_seconds)

    def _ladder(
        self, plan: list[tuple[str, float | None, int | None]], budget: float | None = None
    ) -> list[Any]:
        """Run the strategies of `plan` until one gives a verdict or `budget` seconds are
        spent; every run, in order."""
        from forceplan.model.persistent import FINAL

        runs: list[Any] = []
        for strategy, cap, iteration_limit in plan:
            if budget is not None:
                left = budget - sum(r.seconds for r in runs)
                if runs and left <= 0:
                    break
                cap = _min(cap, max(0.0, left))
            runs.append(self.lp.run(cap, strategy, self.options.threads, iteration_limit))
            if runs[-1].status in FINAL:
                break
        return runs

    def _cost_stage(self, row: dict[str, Any], x: np.ndarray) -> np.ndarray:
        """max_capability: minimise cost at the stage-1 capability; the plan to report."""
        from forceplan.model.solve import FLOOR_SLACKS

        assert self._tie_break is not None
        limit = self.options.time_limit
        runs = []
        for slack in FLOOR_SLACKS:  # as forceplan solve: exact hold first, then slacker
            self._tie_break.stage_two(self.lp, x, slack)
            plan = [("warm", limit, None)]
            if slack == FLOOR_SLACKS[-1]:
                plan += [("ipm", limit, None), ("cold", limit, None)]
            runs += self._ladder(plan)
            if runs[-1].status == "optimal":
                break
        row["strategy"] += " then " + "+".join(r.strategy for r in runs)
        row["iterations"] += sum(r.iterations for r in runs)
        row["solve_seconds"] += sum(r.seconds for r in runs)
        if runs[-1].status == "optimal":
            return self.lp.solution()[0]
        row["message"] = "the cost tie-break stage failed, cost is not minimised"
        return x


#: Without `--time-limit`, a scenario's HiGHS runs together stop after this many times
#: the base solve's HiGHS time, and never before SCENARIO_FLOOR seconds (see _scenario_budget)
SCENARIO_FACTOR = 5
SCENARIO_FLOOR = 10.0


def runs_out(runs: list[Any], budget: float) -> bool:
    """Whether `runs` ended because the scenario's time was spent (within 1 %)."""
    return sum(r.seconds for r in runs) >= 0.99 * budget


def empty_row(scenario: Scenario, **fields: Any) -> dict[str, Any]:
    """A summary row with every field, nothing solved yet; `fields` override."""
    row: dict[str, Any] = {
        "scenario": scenario.id,
        "inputs": list(scenario.values),
        "status": "",
        "message": "",
        "objective": None,
        "cost": None,
        "end_strength": None,
        "strength": {},
        "shortfall_total": None,
        "shortfalls": {},
        "binding": "",
        "strategy": "",
        "iterations": 0,
        "solve_seconds": 0.0,
        "seconds": 0.0,
        "worker": None,
    }
    return row | fields


@dataclass
class _BaseRun:
    status: str
    has_solution: bool
    duals: bool


def _param_name(param: tuple[Any, ...]) -> str:
    """('acc_max', ('infantry', 'enlisted'), 2027) -> 'acc_max infantry/enlisted 2027'."""
    parts = [param[0]]
    for p in param[1:]:
        parts.append("/".join(p) if isinstance(p, tuple) else str(p))
    return " ".join(parts)


def _times(mult: float, value: float) -> float:
    if math.isinf(value):
        return math.copysign(INF, mult) * math.copysign(1.0, value)
    return mult * value


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    both_inf = np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))
    finite = np.isfinite(a) & np.isfinite(b)
    diff = np.abs(np.where(finite, a, 0.0) - np.where(finite, b, 0.0))
    ok = both_inf | (finite & (diff <= 1e-9 * np.maximum(1.0, np.abs(np.where(finite, b, 0.0)))))
    return bool(ok.all())


def _crossed(lo: np.ndarray, hi: np.ndarray) -> int | None:
    bad = np.flatnonzero(lo > hi + 1e-9 * np.maximum(1.0, np.abs(hi)))
    return int(bad[0]) if len(bad) else None


def _min(a: float | None, b: float) -> float:
    return b if a is None else min(a, b)


def _clean(x: float) -> float:
    return 0.0 if abs(x) < 1e-9 else x


def _num(x: float) -> str:
    return f"{x:+,.4g}"


def scenarios_for(prep: Prepared, samples: int | None, seed: int) -> list[Scenario]:
    return build_scenarios(prep.specs, samples, seed)
