"""Talking to HiGHS: solve, statuses, duals and reduced costs, and the IIS of an
infeasible model.

We use Pyomo's persistent HiGHS interface (`pyomo.contrib.solver`): the model is handed to
HiGHS once, and later changes (the lexicographic cost stage of `max_capability`, sweep
scenarios) are sent as updates instead of rebuilding.

Sign convention (models/FORMULATION.md, tested in tests/test_model_duals.py): the shadow
price of a row is the change of the objective the user asked for per unit increase of the
row's binding bound. HiGHS reports duals in that sense for the objective being optimised,
so prices are read right after the first stage (for max_capability: capability, before
the cost tie-break) and only converted to the user's units in `forceplan.results`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo

from forceplan.model.build import BuiltModel
from forceplan.model.objective import reported_objective


@dataclass
class SolveOptions:
    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    log: bool = False


@dataclass
class SolveOutcome:
    status: str  # optimal | infeasible | unbounded | time_limit | iteration_limit | not_optimal
    message: str
    has_solution: bool
    is_mip: bool
    objective: float | None = None  # the reported objective (MODEL.md §7.8)
    bound: float | None = None
    gap: float | None = None
    solver_seconds: float = 0.0  # wall time of solve(), Pyomo's hand-over to HiGHS included
    highs_seconds: float = 0.0  # HiGHS's own run time, summed over its runs
    stages: list[str] = field(default_factory=list)
    duals: dict[Any, float] = field(default_factory=dict)  # constraint data -> shadow price
    reduced_costs: dict[int, float] = field(default_factory=dict)  # id(var data) -> reduced cost
    highs: Any = None  # the highspy.Highs instance (for IIS)
    solver: Any = None  # the persistent Pyomo solver

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def is_mip(built: BuiltModel) -> bool:
    m = built.model
    return any(not v.is_continuous() for v in m.component_data_objects(pyo.Var, active=True))


def solve(built: BuiltModel, options: SolveOptions | None = None) -> SolveOutcome:
    """Solve the model; for max_capability, run the cost tie-break stage as well."""
    from pyomo.contrib.solver.solvers.highs import Highs

    options = options or SolveOptions()
    m = built.model
    mip = is_mip(built)
    solver = Highs()
    started = time.perf_counter()
    HIGHS_CLOCK.seconds = 0.0
    result = _run(solver, m, options, options.time_limit)
    outcome = _outcome(result, solver, mip)
    outcome.stages.append(built.data.objective)
    if outcome.optimal and not mip:
        # prices of the objective the user asked for (for max_capability: capability),
        # read before any tie-break stage changes the solver's objective
        _load_prices(outcome, solver)
    if built.sense == "max" and outcome.has_solution and outcome.optimal:
        outcome = _cost_stage(built, solver, options, outcome, started)
    outcome.solver_seconds = time.perf_counter() - started
    outcome.highs_seconds = HIGHS_CLOCK.seconds
    if outcome.has_solution:
        outcome.objective = _reported_objective(built)
    outcome.highs = solver._solver_model
    outcome.solver = solver
    return outcome


def _load_prices(outcome: SolveOutcome, solver: Any) -> None:
    """Row duals and reduced costs as HiGHS reports them: d(objective)/d(bound), in the
    sense of the objective being optimised (for a maximisation: capability gained)."""
    outcome.duals = solver._get_duals()
    outcome.reduced_costs = {id(v): r for v, r in solver._get_reduced_costs().items()}


#: What HiGHS is asked to try, in order, when a run ends without a verdict ("unknown"):
#: on badly scaled elastic models presolve sometimes gives up where the plain simplex does not.
_RETRIES: tuple[dict[str, Any], ...] = ({"presolve": "off"}, {"solver": "ipm"})


def _run(solver: Any, m: pyo.ConcreteModel, options: SolveOptions, time_limit: float | None):
    """One HiGHS run, retried with other settings if it ends without any verdict."""
    result = _run_once(solver, m, options, time_limit, {})
    highs_time = result.timing_info.highs_time
    for extra in _RETRIES:
        if result.termination_condition.name != "unknown":
            break
        result = _run_once(solver, m, options, time_limit, extra)
        highs_time += result.timing_info.highs_time
    HIGHS_CLOCK.seconds += highs_time
    return result


class _HighsClock:
    """HiGHS's own run time, added up over the runs of one `solve` call."""

    seconds = 0.0


HIGHS_CLOCK = _HighsClock()


def _run_once(
    solver: Any,
    m: pyo.ConcreteModel,
    options: SolveOptions,
    time_limit: float | None,
    extra: dict[str, Any],
):
    config: dict[str, Any] = {
        "load_solutions": False,
        "raise_exception_on_nonoptimal_result": False,
        "tee": options.log,
        # HiGHS's time limit is cumulative over runs of one instance: pass it every run
        "time_limit": time_limit,
        # options persist in the HiGHS instance: always state the defaults being varied
        "solver_options": {"random_seed": 0, "presolve": "choose", "solver": "choose"} | extra,
    }
    if options.mip_gap is not None:
        config["rel_gap"] = options.mip_gap
    if options.threads is not None:
        config["threads"] = options.threads
    result = solver.solve(m, **config)
    if result.solution_status.name in ("optimal", "feasible"):
        result.solution_loader.load_vars()
    return result


def _outcome(result: Any, solver: Any, mip: bool) -> SolveOutcome:
    term = result.termination_condition.name
    has_solution = result.solution_status.name in ("optimal", "feasible")
    status = {
        "convergenceCriteriaSatisfied": "optimal",
        "provenInfeasible": "infeasible",
        "locallyInfeasible": "infeasible",
        "infeasibleOrUnbounded": "infeasible_or_unbounded",
        "unbounded": "unbounded",
        "maxTimeLimit": "time_limit",
        "iterationLimit": "iteration_limit",
        "interrupted": "interrupted",
    }.get(term, "not_optimal")
    bound = result.objective_bound
    incumbent = result.incumbent_objective
    gap = None
    if mip and incumbent is not None and bound is not None and math.isfinite(bound):
        gap = abs(incumbent - bound) / max(1e-10, abs(incumbent))
    return SolveOutcome(
        status,
        _MESSAGES.get(status, f"solver stopped: {term}"),
        has_solution,
        mip,
        bound=bound,
        gap=gap,
        solver=solver,
    )


_MESSAGES = {
    "optimal": "proven optimal",
    "infeasible": "no plan satisfies every requirement",
    "infeasible_or_unbounded": "no plan satisfies every requirement (or cost is unbounded)",
    "unbounded": "the objective is unbounded: some cost or capability has no limit",
    "time_limit": "time limit reached before the optimum was proven",
    "iteration_limit": "iteration limit reached before the optimum was proven",
    "interrupted": "interrupted before the optimum was proven",
}


def _cost_stage(
    built: BuiltModel, solver: Any, options: SolveOptions, first: SolveOutcome, started: float
) -> SolveOutcome:
    """max_capability: hold the capability optimum and minimise cost.

    Holding `capability − penalties ≥ z*` as one row mixes points (~10) with penalties
    (~10⁹ per shortfall) and HiGHS then fails or bends bounds. The stage-1 optimum is held
    instead by well-scaled pieces: capability ≥ its stage-1 value, and every shortfall at
    most its stage-1 value. Together they imply the score row, and the stage-1 plan
    satisfies them, so the cost stage keeps the capability optimum exactly.
    """
    m = built.model
    best_capability = pyo.value(m.capability)
    m.capability_floor = pyo.Constraint(expr=m.capability >= best_capability)
    held = [v for vars_ in built.shortfalls.values() for var in vars_ for v in var.values()]
    saved_bounds = [(v, v.ub) for v in held]
    for v in held:
        v.setub(max(0.0, v.value or 0.0))
    m.objective.deactivate()
    m.cost_tie_break = pyo.Objective(expr=m.cost, sense=pyo.minimize)
    remaining = None
    if options.time_limit is not None:
        remaining = max(1.0, options.time_limit - (time.perf_counter() - started))
    result = _run(solver, m, options, remaining)
    outcome = _outcome(result, solver, first.is_mip)
    outcome.stages = [*first.stages, "cost tie-break"]
    outcome.duals, outcome.reduced_costs = first.duals, first.reduced_costs
    if not outcome.optimal:  # keep the capability-stage solution and say so
        m.del_component(m.capability_floor)
        m.del_component(m.cost_tie_break)
        for v, ub in saved_bounds:
            v.setub(ub)
        m.objective.activate()
        _run(solver, m, options, remaining)
        first.message += "; the cost tie-break stage failed, cost is not minimised"
        return first
    return outcome


def _reported_objective(built: BuiltModel) -> float:
    return reported_objective(built.model, built.data, built.sense)


@dataclass
class IisMember:
    kind: str  # "row" or "column"
    component: Any  # constraint data or var data
    bound: str  # which side is in conflict: lower, upper, both, free


#: An IIS cut short by its time limit is shown only if it is this small.
MAX_PARTIAL_IIS = 60


def irreducible_infeasible_set(
    outcome: SolveOutcome, time_limit: float | None = None
) -> list[IisMember] | None:
    """HiGHS's IIS of the last (infeasible) LP, as Pyomo components; None if unavailable.

    Strategy 4 (irreducible, deletion filter) reports which bound of each member conflicts;
    strategy 2 (elastic filter) is the fallback when it finds nothing. The deletion filter
    solves one LP per row (~30 s for the 4,000-row Ukraine example), so it runs under
    `time_limit`; a set it could not reduce in time is kept only if it is small.
    Columns marked "free" take part only through their sign restriction and are dropped.
    """
    import highspy

    highs, solver = outcome.highs, outcome.solver
    if highs is None or solver is None:
        return None
    iis = None
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("iis_time_limit", math.inf if time_limit is None else time_limit)
    try:
        for strategy in (4, 2):
            highs.setOptionValue("iis_strategy", strategy)
            status, found = highs.getIis()
            if (
                status != highspy.HighsStatus.kError
                and found.valid_
                and len(found.row_index_) + len(found.col_index_) > 0
                and (
                    status == highspy.HighsStatus.kOk
                    or len(found.row_index_) + len(found.col_index_) <= MAX_PARTIAL_IIS
                )
            ):
                iis = found
                break
    except Exception:  # older highspy: no IIS support
        return None
    finally:
        highs.setOptionValue("output_flag", True)
    if iis is None:
        return None
    rows = solver._solver_con_to_pyomo_con_map
    columns = {
        col: solver._vars[vid][0] for vid, col in solver._pyomo_var_to_solver_var_map.items()
    }
    sides = {2: "lower", 3: "upper", 4: "both", 1: "free"}
    members = [
        IisMember("row", rows[r], sides.get(int(b), "both"))
        for r, b in zip(iis.row_index_, iis.row_bound_, strict=False)
        if r in rows
    ]
    members += [
        IisMember("column", columns[c], sides.get(int(b), "both"))
        for c, b in zip(iis.col_index_, iis.col_bound_, strict=False)
        if c in columns and int(b) != 1  # "free": only its sign restriction takes part
    ]
    return members


def row_activities(outcome: SolveOutcome) -> dict[Any, tuple[float, float, float]]:
    """Constraint data -> (activity, lower, upper) of its HiGHS row, for the last solution.

    Pyomo moves each constraint's constant terms into the row's bounds, so these bounds are
    the right-hand sides the solver used (e.g. P1's base-year row has `(1-attr)·initial`).
    Reading them from HiGHS is ~50x faster than evaluating every constraint body in Pyomo.
    """
    import highspy

    solver = outcome.solver
    highs = solver._solver_model
    lp = highs.getLp()
    values = highs.getSolution().row_value
    lower, upper = lp.row_lower_, lp.row_upper_
    inf = highspy.kHighsInf
    out = {}
    for con, row in solver._pyomo_con_to_solver_con_map.items():
        lo, hi = lower[row], upper[row]
        out[con] = (values[row], -math.inf if lo <= -inf else lo, math.inf if hi >= inf else hi)
    return out
