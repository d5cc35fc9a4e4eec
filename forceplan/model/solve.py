"""Talking to HiGHS: solve, statuses, duals and reduced costs, and the IIS of an
infeasible model.

The model is compiled into HiGHS once (`forceplan.model.highs_lp`); later changes (the
lexicographic cost stage of `max_capability`, sweep scenarios) are made in that HiGHS
instance instead of rebuilding.

Sign convention (models/FORMULATION.md, tested in tests/test_model_duals.py and by
finite differences in tests/test_prices.py): the shadow price of a row is the change of
the objective the user asked for per unit increase of the row's binding bound. HiGHS
reports duals in that sense for the objective being optimised, so prices (with HiGHS
ranging, `forceplan.model.sensitivity`) are captured right after the first stage (for
max_capability: capability, before the cost tie-break) and only converted to the user's
units in `forceplan.results`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyomo.core as pyo

from forceplan.model import warm
from forceplan.model.build import BuiltModel
from forceplan.model.highs_lp import UNKNOWN, HighsLP, RunInfo
from forceplan.model.objective import reported_objective
from forceplan.model.sensitivity import DeferredRanging, Sensitivity, capture, capture_deferred
from forceplan.model.warm import Basis


@dataclass
class SolveOptions:
    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    log_file: Path | None = None  # HiGHS's log is appended here (nothing on the console)
    #: run the funding priority stage when the workbook gives priorities (§8.7); a sweep,
    #: which reports no allocation, re-solves without it
    priority_stage: bool = True
    #: capture HiGHS's ranging after stage 1 (the prices' ranges, MODEL.md §8.8); a sweep,
    #: which publishes no ranges, skips it (~1 s per worker on the Ukraine example)
    ranging: bool = True
    #: MODEL.md §8.9: the basis stored in a plan workbook, used when its structure hash
    #: matches this model's (None: a cold start)
    warm_start: Basis | None = None
    #: why there is no warm start (e.g. "--cold"), for Plan_Run; None: not asked for
    cold_reason: str | None = None
    #: time.perf_counter() value by which every HiGHS run of this solve (stages and
    #: retries included) must end: `--time-limit` is a deadline for the whole command
    deadline: float | None = None
    #: a MIP's later stages (cost tie-break, funding priority): False (the default) runs
    #: them as MIPs, the lexicographic optimum over every whole plan that MODEL.md §4's
    #: tie-break defines; True holds every integer decision at its stage-1 value and runs
    #: them as LPs: the plan stays whole, stage 1's optimum is kept, and cost (then the
    #: priority rule) is minimised given those whole decisions, not over all of them.
    #: Measured on the v2 example with whole major items: the cost MIP found no plan in
    #: 284 s; held, the stage is an LP (bench/RESULTS.md, issue 20c)
    hold_whole_decisions: bool = False
    #: a MIP's stage 1 starts from its LP relaxation rounded and repaired to a feasible
    #: plan (forceplan.model.mipstart); off by default: measured on the v2 example it costs
    #: two or three LP solves and does not shorten the MIP (bench/RESULTS.md, issue 20e)
    mip_start: bool = False

    def remaining(self, limit: float | None = None) -> float | None:
        """Seconds HiGHS may still run: the smaller of `limit` and the time to the deadline
        (None: no limit)."""
        if self.deadline is None:
            return limit
        left = max(0.0, self.deadline - time.perf_counter())
        return left if limit is None else min(limit, left)


@dataclass
class SolveOutcome:
    status: str  # optimal | infeasible | unbounded | time_limit | iteration_limit | not_optimal
    message: str
    has_solution: bool
    is_mip: bool
    objective: float | None = None  # the reported objective (MODEL.md §7.8)
    bound: float | None = None
    gap: float | None = None
    solver_seconds: float = 0.0  # wall time of solve(), the hand-over to HiGHS included
    highs_seconds: float = 0.0  # HiGHS's own run time, summed over its runs
    simplex_iterations: int = 0  # summed over HiGHS's runs (every stage, retry, clean-up)
    compile_seconds: float = 0.0  # of that wall time, compiling the model into HiGHS
    stages: list[str] = field(default_factory=list)
    stage_report: list[str] = field(default_factory=list)  # each stage and its optimum
    #: stage-1 prices with basis, ranging and penalty parts (MODEL.md §8.8); None if the
    #: stage-1 run was not optimal
    sensitivity: Sensitivity | None = None
    lp: HighsLP | None = None  # the model in HiGHS, with its row and column maps
    structure_hash: str = ""  # of the model's rows and columns (forceplan.model.warm)
    start: str = "cold start"  # Plan_Run: "warm start from <hash>" or "cold start (why)"
    basis: Basis | None = None  # the optimal stage-1 basis, stored in the plan workbook
    floor_row: int | None = None  # max_capability: HiGHS row holding capability in stage 2

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def highs(self) -> Any:
        """The highspy.Highs instance (for IIS and re-solves)."""
        return None if self.lp is None else self.lp.highs


def solve(
    built: BuiltModel,
    options: SolveOptions | None = None,
    on_compiled: Callable[[], Any] | None = None,
) -> SolveOutcome:
    """Solve the model; for max_capability, run the cost tie-break stage as well.

    `on_compiled` is called once the model is in HiGHS, just before HiGHS runs (HiGHS
    releases the GIL, so work started there in a thread overlaps the solve)."""
    options = options or SolveOptions()
    if options.deadline is not None and options.remaining() <= 0.0:
        # the command's deadline passed before the solve: not even compiled (large models
        # take seconds to hand over to HiGHS)
        return SolveOutcome(
            "time_limit", _MESSAGES["time_limit"], False, bool(built.data.integer_units)
        )
    started = time.perf_counter()
    lp = HighsLP(built.model)
    structure = warm.structure_hash(built.model)
    start = _warm_start(lp, structure, options)
    compiled = time.perf_counter()
    if on_compiled is not None:
        on_compiled()
    clock = _Clock()
    start_note = _rounded_start(built, lp, options, clock) if options.mip_start else None
    warm_run = start.startswith("warm start")
    run = _run(lp, options, options.remaining(options.time_limit), clock, warm=warm_run)
    if warm_run and clock.warm_failed and options.warm_start is not None:
        start = f"cold start (HiGHS found no verdict from the basis {options.warm_start.short})"
    outcome = _outcome(run, lp)
    outcome.stages.append(built.data.objective)
    if start_note is not None:
        outcome.stage_report.append(start_note)
    if run.has_solution:
        lp.load_values()
    basis = warm.capture(lp.highs, structure) if outcome.optimal and not lp.is_mip else None
    wanted = options.priority_stage and built.data.priority_stage
    wanted = wanted and built.data.funding is not None
    later_stages = built.sense == "max" or wanted
    ranging: DeferredRanging | None = None
    if outcome.optimal and options.ranging:
        # prices of the objective the user asked for (for max_capability: capability),
        # read before any later stage (cost tie-break, ...) changes the HiGHS model; the
        # ranging of a small LP is computed on a copy while the later stages run
        # (forceplan.model.sensitivity, DeferredRanging)
        penalty_cols = [lp.col_of[id(v)] for v in built.shortfall_vars()]
        if later_stages and not _large_lp(lp):
            outcome.sensitivity, ranging = capture_deferred(lp, penalty_cols)
        else:
            outcome.sensitivity = capture(lp, penalty_cols)
    if outcome.has_solution:
        outcome.stage_report.append(f"{built.data.objective}: {_reported_objective(built):,.10g}")
    held = None
    if lp.is_mip and outcome.optimal and options.hold_whole_decisions and later_stages:
        held = _hold_whole(lp, outcome)
    if built.sense == "max" and outcome.optimal:
        report = list(outcome.stage_report)
        outcome = _cost_stage(built, lp, options, outcome, started, clock)
        cost = pyo.value(built.model.cost) * built.data.money_scale
        outcome.stage_report = [*report, f"cost tie-break: discounted cost {cost:,.10g}"]
    if held is not None:
        outcome.bound, outcome.gap = held  # the MIP's (stage 1), not the held LP's
    if wanted and outcome.optimal:
        from forceplan.model.priority import run_priority_stage

        held_from: list[Any] = []  # the basis every hold starts from: the last stage's optimum
        # after max_capability's cost tie-break the dual simplex needs 4-12 iterations; the
        # primal one moved the plan elsewhere on the optimal face, where a limit stage 1
        # prices was no longer binding (tests/test_sweep_checks.py): min_cost only
        later = built.sense != "max"

        def run_once(retry: bool):
            if not held_from:
                held_from.append(lp.highs.getBasis())
            if options.deadline is not None:  # --time-limit: the command's deadline
                return _run(lp, options, options.remaining(), clock, retry, later, held_from[0])
            left = (
                None
                if options.time_limit is None
                else max(0.5, options.time_limit - (time.perf_counter() - started))
            )
            return _run(lp, options, left, clock, retry, later, held_from[0])

        # holding the integers discarded HiGHS's solution (the priority stage reads the
        # objective it holds): stage 1 again, as the LP given the whole decisions (HiGHS's
        # default simplex: there is no optimal basis yet for the primal to start from)
        again = held is not None and built.sense != "max"
        left = options.remaining(options.time_limit)
        if again and _run(lp, options, left, clock).status == "optimal":
            lp.load_values()
        outcome = run_priority_stage(built, lp, run_once, outcome)
    if ranging is not None:
        ranging.finish()  # the stage-1 ranging, computed beside the later stages
        lp.before_run.clear()  # no later stage ran HiGHS: computed by finish()
    for key in LATER_STAGE:  # options persist: later users of the instance (sweeps) get
        lp.highs.setOptionValue(key, _DEFAULTS[key])  # HiGHS's defaults back
    outcome.solver_seconds = time.perf_counter() - started
    outcome.compile_seconds = compiled - started
    outcome.highs_seconds = clock.seconds
    outcome.simplex_iterations = clock.iterations
    outcome.structure_hash, outcome.start, outcome.basis = structure, start, basis
    if outcome.has_solution:
        outcome.objective = _reported_objective(built)
    return outcome


def _rounded_start(
    built: BuiltModel, lp: HighsLP, options: SolveOptions, clock: _Clock
) -> str | None:
    """SolveOptions.mip_start: install the LP plan rounded and repaired as stage 1's first
    incumbent (forceplan.model.mipstart); the stage report's words for it."""
    if not lp.is_mip:
        return None
    from forceplan.model import mipstart

    def run() -> RunInfo:
        return _run(lp, options, options.remaining(options.time_limit), clock, retry=False)

    return mipstart.describe(mipstart.find_start(built, lp, run), built)


def _hold_whole(lp: HighsLP, outcome: SolveOutcome) -> tuple[float | None, float | None]:
    """SolveOptions.hold_whole_decisions: fix the stage-1 integer decisions; returns the
    stage-1 MIP bound and gap, which the later stages' outcome keeps."""
    count = lp.hold_integers()
    outcome.stage_report.append(f"whole decisions held at their stage-1 values: {count:,}")
    return outcome.bound, outcome.gap


def _warm_start(lp: HighsLP, structure: str, options: SolveOptions) -> str:
    """Install the stored basis if it belongs to this model; Plan_Run's words for the start.

    A MIP is started cold: HiGHS's branch and bound does not start from an LP basis."""
    stored = options.warm_start
    if stored is None:
        return "cold start" + (f" ({options.cold_reason})" if options.cold_reason else "")
    if lp.is_mip:
        return f"cold start (whole units: a MIP does not start from the basis {stored.short})"
    if stored.structure != structure:
        return (
            f"cold start (the model's rows or columns changed since the basis {stored.short} "
            f"was stored, now {structure[: warm.SHORT]})"
        )
    problem = warm.install(lp.highs, stored)
    if problem is not None:
        return f"cold start ({problem})"
    return f"warm start from {stored.short}"


@dataclass
class _Clock:
    """HiGHS's own run time and simplex iterations, added up over the runs of one `solve`
    call; whether its warm start (_warm) was given up."""

    seconds: float = 0.0
    iterations: int = 0
    warm_failed: bool = False

    def add(self, run: RunInfo) -> None:
        self.seconds += run.highs_seconds
        self.iterations += run.iterations


#: What HiGHS is asked to try, in order, when a run ends without a verdict ("unknown"):
#: on badly scaled elastic models presolve sometimes gives up where the plain simplex does not.
_RETRIES: tuple[dict[str, Any], ...] = ({"presolve": "off"}, {"solver": "ipm"})

#: Options stated on every run: they persist in the HiGHS instance between runs.
#: simplex_strategy 1 is HiGHS's default (the dual simplex).
_DEFAULTS = {"random_seed": 0, "presolve": "choose", "solver": "choose", "simplex_strategy": 1}

#: HiGHS's strategy for the funding priority stage (§8.7) and the re-solve that restores
#: its model if it fails (max_capability's cost tie-break keeps the dual: _cost_stage).
#: Each starts from the previous stage's optimal basis with a row that optimum satisfies added (or a
#: bound loosened) and the objective changed: the basis stays primal feasible, so the
#: primal simplex goes on from it, where the dual simplex first has to regain dual
#: feasibility. Measured side by side (bench/stages.py, bench/RESULTS.md "issue20d"): the
#: v2 example's priority stage 139 primal iterations against 3,504 dual. A hold whose
#: primal run ends without a verdict moves on to the next hold; at the last, the dual
#: simplex runs from the same basis (the former default) before the retries. A MIP stage
#: keeps HiGHS's choice (branch and bound). A large LP (LARGE_LP_COLUMNS) keeps the dual
#: simplex from where the previous run stopped: on the generated M workbook with a
#: funding priority the primal run found no verdict and the dual simplex did the work
#: (246 s against 197-208 s, machine loaded); L was not measured.
LATER_STAGE: dict[str, Any] = {"solver": "simplex", "simplex_strategy": 4}

#: LPs with at least this many columns are solved with HiGHS's presolve off. Measured side
#: by side (bench/RESULTS.md, "HiGHS options"): presolve takes longer than it saves on
#: these models: at M (80k columns) the solve with presolve off takes 0.2-0.3x the time,
#: at L (576k) 0.16x, the same optimum. On the example (6k columns) it gains nothing, so
#: small models keep HiGHS's default. A MIP keeps presolve (its cuts and probing need it).
LARGE_LP_COLUMNS = 50_000
#: The retries when presolve was off: presolve on first.
_RETRIES_LARGE: tuple[dict[str, Any], ...] = ({"presolve": "on"}, {"solver": "ipm"})
#: A retry that is not the last may run at most RETRY_FACTOR times as long as HiGHS has
#: already run in this call (at least RETRY_FLOOR seconds); then the next strategy is
#: tried. Seen on the v2 example with 0.64x the national budget (infeasible): the first
#: run ended without a verdict after 1.6 s, the simplex without presolve then crawled for
#: 6 minutes (seconds per iteration, a dual objective of 1e17) where interior point proved
#: the LP infeasible in 0.9 s.
RETRY_FACTOR = 5.0
RETRY_FLOOR = 10.0
#: Largest miss of a row by A·x, relative to the size of its terms, accepted from an LP
#: optimum (HighsLP.row_residual; the audit's RTOL). A larger miss is cleaned up (_accurate).
ROW_RESIDUAL = 1e-6
#: HiGHS's LU pivot threshold (default 0.1, at most 0.5) for the clean-up: the simplex's
#: optimal basis factorised afresh with stabler pivots. Measured on the generated M
#: workbook: A·x missed a P1 row by 0.31 persons (7e-4 of its terms) at the default, and
#: by 9e-10 after this re-factorisation of the same basis (0 iterations, 0.05 s, the
#: optimum moved by -1.1e-7 relative, onto interior point's); bench/RESULTS.md.
_REFACTOR = {"factor_pivot_threshold": 0.5}
_FACTOR_DEFAULT = {"factor_pivot_threshold": 0.1}


def _large_lp(lp: HighsLP) -> bool:
    return not lp.is_mip and int(lp.highs.getNumCol()) >= LARGE_LP_COLUMNS


def _run(
    lp: HighsLP,
    options: SolveOptions,
    time_limit: float | None,
    clock: _Clock,
    retry: bool = True,
    later: bool = False,
    start: Any = None,
    warm: bool = False,
) -> RunInfo:
    """One HiGHS run, retried with other settings if it ends without any verdict.

    `later`: a later stage (LATER_STAGE unless the LP is large), started from the basis
    `start` when it fits the
    model HiGHS holds (a stage's every hold starts from the previous stage's optimum, not
    from where a failed hold stopped), else from the basis HiGHS holds. `warm`: stage 1
    from the stored basis `solve` installed (_warm)."""
    base: dict[str, Any] = dict(_DEFAULTS)
    large = _large_lp(lp)
    if large:
        base["presolve"] = "off"
    base["log_to_console"] = False
    base["output_flag"] = options.log_file is not None
    if options.log_file is not None:
        base["log_file"] = str(options.log_file)
    if options.mip_gap is not None:
        base["mip_rel_gap"] = options.mip_gap
    if options.threads is not None:
        base["threads"] = options.threads
    used = base
    spent_before = clock.seconds
    if later and not large and not lp.is_mip:
        if _fits(lp, start):
            lp.highs.clearSolver()
            lp.highs.setBasis(start)
        else:
            start = lp.highs.getBasis()
        used = base | LATER_STAGE
        run = lp.run(used, options.remaining(time_limit))
        clock.add(run)
        run = _feasible(lp, run, used, options.remaining(time_limit), clock)
        left = options.remaining(time_limit)
        if retry and run.status in UNKNOWN and (left is None or left > 0.0):
            # the dual simplex from the same start, then the retries (not at every hold:
            # austere example, priority hold 1e-9: the dual simplex ran 100 s to no verdict)
            lp.highs.clearSolver()
            lp.highs.setBasis(start)
            used = base
            run = lp.run(used, left)
            clock.add(run)
    elif warm:
        run = _warm(lp, base, options.remaining(time_limit), clock)
    else:
        run = lp.run(base, options.remaining(time_limit))
        clock.add(run)
    retries = (_RETRIES_LARGE if large else _RETRIES) if retry else ()
    spent = clock.seconds - spent_before
    for i, extra in enumerate(retries):
        if run.status not in UNKNOWN:
            break
        left = options.remaining(time_limit)
        if left is not None and left <= 0.0:
            break  # the deadline has passed: no retry
        last = i == len(retries) - 1
        cap = max(RETRY_FLOOR, RETRY_FACTOR * spent)
        capped = not last and (left is None or cap < left)
        lp.highs.clearSolver()
        used = base | extra
        run = lp.run(used, cap if capped else left)
        clock.add(run)
        spent += run.highs_seconds
        if capped and run.status == "time_limit":
            run = replace(run, status="not_optimal")  # out of its share: the next strategy
    return _accurate(lp, used, run, options, time_limit, clock, retry)


def _warm(lp: HighsLP, base: dict[str, Any], limit: float | None, clock: _Clock) -> RunInfo:
    """Stage 1 from the stored basis (MODEL.md §8.9), factorised with _REFACTOR's stabler
    pivots; if HiGHS finds no verdict from it, the cold start (and its retries after).

    At HiGHS's default pivot threshold (0.1) the first factorisation of a stored optimal
    basis can be too inaccurate to start from: measured on generated workbooks of 30 years
    (8x3x30: 6,600 columns; 100x8x30: 160,000), the dual simplex from the model's own
    optimal basis, unedited, stopped at iteration 0 with an error (dual phase 1
    "unbounded", HiGHS status Not Set, 575 dual infeasibilities) and the retries then
    solved cold (21,651 iterations with presolve on); at 0.5 it is optimal in 0 iterations
    (the cold simplex had itself raised the threshold to 0.5 on the way)."""
    run = lp.run(base | _REFACTOR, limit)
    clock.add(run)
    for key, value in _FACTOR_DEFAULT.items():  # options persist in the instance
        lp.highs.setOptionValue(key, value)
    if run.status not in UNKNOWN:
        return run
    clock.warm_failed = True
    lp.highs.clearSolver()  # drops the stored basis: the cold start
    run = lp.run(base, None if limit is None else max(0.0, limit - run.highs_seconds))
    clock.add(run)
    return run


def _fits(lp: HighsLP, basis: Any) -> bool:
    h = lp.highs
    return (
        basis is not None
        and basis.valid
        and len(basis.col_status) == int(h.getNumCol())
        and len(basis.row_status) == int(h.getNumRow())
    )


def _feasible(
    lp: HighsLP, run: RunInfo, used: dict[str, Any], limit: float | None, clock: _Clock
) -> RunInfo:
    """A later stage's primal simplex optimum, its basis factorised afresh with stabler
    pivots (_REFACTOR, 0 iterations); no verdict if HiGHS then calls it primal infeasible.

    The primal simplex keeps its point feasible only to its tolerances along the way:
    measured on the v2 example, its priority-stage plan missed a B2 row by 1.9e-5 (the
    audit's tolerance 1e-6) where the re-factorised one passes; its max_capability cost
    stage ended "optimal" with a bound missed by 1.5e-6 (primal solution status
    infeasible) whatever the hold, the same basis re-factorised is a clean optimum
    (0.02 s) with capability held to 1e-10 and infeasible with it held exactly (where the
    dual simplex ran 9 s to "unknown"): the stage then holds to the next FLOOR_SLACKS."""
    if run.status != "optimal":
        return run
    if limit is not None and limit <= 0.0:
        return run if _primal_feasible(lp) else replace(run, status="not_optimal")
    again = _from_basis(lp, lp.highs.getBasis(), used, limit, clock)
    if again.status == "optimal" and _primal_feasible(lp):
        return again
    if again.status == "infeasible":  # a verdict: the stage moves on to a looser hold
        return again
    return replace(again, status="not_optimal", has_solution=False)


def _primal_feasible(lp: HighsLP) -> bool:
    return int(lp.highs.getInfo().primal_solution_status) == 2  # kSolutionStatusFeasible


def _accurate(
    lp: HighsLP,
    used: dict[str, Any],
    run: RunInfo,
    options: SolveOptions,
    time_limit: float | None,
    clock: _Clock,
    retry: bool,
) -> RunInfo:
    """An LP optimum whose column values meet every row as A·x (to ROW_RESIDUAL).

    HiGHS's simplex reports row values and its primal infeasibility from its own basic
    values, not from A·x: with an inaccurate LU factorisation the column values can miss
    rows (generated M: a P1 balance by 0.31 persons while HiGHS reported 0 infeasibility)
    and `forceplan audit` fails the plan. Remedies, cheapest first, each within the
    deadline: the same basis factorised afresh with stabler pivots (_REFACTOR; usually 0
    iterations), then interior point (slow: 6x the simplex at M), else the re-factorised
    simplex optimum as it is."""
    if run.status != "optimal" or lp.is_mip or lp.row_residual() <= ROW_RESIDUAL:
        return run
    left = options.remaining(time_limit)
    if left is not None and left <= 0.0:
        return run  # no time left to clean up: the optimum as HiGHS gave it
    basis = lp.highs.getBasis()
    again = _from_basis(lp, basis, used, left, clock)
    if again.status == "optimal" and (not retry or lp.row_residual() <= ROW_RESIDUAL):
        return again
    left = options.remaining(time_limit)
    if retry and (left is None or left > 0.0):
        lp.highs.clearSolver()
        ipm = lp.run(used | {"solver": "ipm"}, left)
        clock.add(ipm)
        if ipm.status == "optimal" and lp.row_residual() <= ROW_RESIDUAL:
            return ipm
    # back to the simplex's optimal basis (no time limit: it is optimal, 0 iterations)
    return _from_basis(lp, basis, used, None, clock)


def _from_basis(
    lp: HighsLP, basis: Any, used: dict[str, Any], limit: float | None, clock: _Clock
) -> RunInfo:
    """HiGHS run from `basis`, factorised afresh with _REFACTOR's stabler pivots."""
    lp.highs.clearSolver()
    lp.highs.setBasis(basis)
    run = lp.run(used | {"solver": "simplex"} | _REFACTOR, limit)
    clock.add(run)
    for key, value in _FACTOR_DEFAULT.items():  # options persist in the instance
        lp.highs.setOptionValue(key, value)
    return run


def _outcome(run: RunInfo, lp: HighsLP) -> SolveOutcome:
    return SolveOutcome(
        run.status,
        _MESSAGES.get(run.status, _MESSAGES["not_optimal"]),
        run.has_solution,
        lp.is_mip or lp.held_integers > 0,
        bound=run.bound,
        gap=run.gap,
        lp=lp,
    )


_MESSAGES = {
    "optimal": "proven optimal",
    "infeasible": "no plan satisfies every requirement",
    "infeasible_or_unbounded": "no plan satisfies every requirement (or cost is unbounded)",
    "unbounded": "the objective is unbounded: some cost or capability has no limit",
    "time_limit": "time limit reached before the optimum was proven",
    "iteration_limit": "iteration limit reached before the optimum was proven",
    "interrupted": "interrupted before the optimum was proven",
    "not_optimal": "HiGHS stopped without a verdict, also with presolve off and with its "
    "interior point method; this happens when the plan is at the very edge of feasibility "
    "(e.g. a budget just enough or just too little): run with --elastic to see which limits "
    "are tight, or move them slightly",
}


#: How far below its stage-1 optimum the cost stage may hold capability, tried in turn
#: (relative to the optimum). Held exactly, the optimal face is a sliver: on the Ukraine
#: example HiGHS then ends "unknown" with column bounds missed by 1e-4 after unscaling,
#: whatever the strategy; a hold of 1e-10 to 1e-8 solves. 1e-7 keeps the reported score to
#: its sixth significant digit.
FLOOR_SLACKS = (0.0, 1e-10, 1e-9, 1e-8, 1e-7)


def floor_value(capability: float, slack: float) -> float:
    """The cost stage's capability floor for a relative slack."""
    return capability - slack * max(1.0, abs(capability))


def _cost_stage(
    built: BuiltModel,
    lp: HighsLP,
    options: SolveOptions,
    first: SolveOutcome,
    started: float,
    clock: _Clock,
) -> SolveOutcome:
    """max_capability: hold the capability optimum and minimise cost.

    Holding `capability − penalties ≥ z*` as one row mixes points (~10) with penalties
    (~10⁹ per shortfall) and HiGHS then fails or bends bounds. The stage-1 optimum is held
    instead by well-scaled pieces: capability ≥ its stage-1 value (less FLOOR_SLACKS, in
    turn, until HiGHS proves an optimum), and every shortfall at most its stage-1 value.
    Together they imply the score row, and the stage-1 plan satisfies them, so the cost
    stage keeps the capability optimum (to the slack). The stage lives in HiGHS only: the
    Pyomo model is left as built.

    It keeps the dual simplex (not LATER_STAGE): with the primal simplex its optimum lay
    elsewhere on the optimal face, where a limit stage 1 prices (E2 bradley 2033 on the
    v2 example) is no longer binding, and the sweep's binding list no longer matched
    solve's (tests/test_sweep_checks.py); the primal run was 10x faster (bench/RESULTS.md).
    """
    m = built.model
    capability = pyo.value(m.capability)
    floor = lp.add_row(m.capability, capability, None)
    held = [lp.col_of[id(v)] for v in built.shortfall_vars()]
    lower, upper = lp.col_bounds(held)
    stage1 = lp.highs.getSolution().col_value
    lp.set_col_bounds(held, lower, np.maximum(0.0, np.asarray(stage1)[held]) if held else upper)
    lp.set_objective(m.cost, pyo.minimize)
    if lp.is_mip:
        _mip_start(lp, stage1)

    def remaining() -> float | None:  # --time-limit covers both stages and every retry
        if options.deadline is not None:
            return options.remaining()
        if options.time_limit is None:
            return None
        return max(0.5, options.time_limit - (time.perf_counter() - started))

    for slack in FLOOR_SLACKS:
        lp.set_row_lower(floor, floor_value(capability, slack), constant_of=m.capability)
        # one plain run per slack; the retries of other settings only at the last one
        last = slack == FLOOR_SLACKS[-1]
        run = _run(lp, options, remaining(), clock, retry=last)
        if run.status == "optimal" or run.status == "time_limit":
            break
    outcome = _outcome(run, lp)
    stage = "cost tie-break" + (f" (capability held to {slack:g})" if slack else "")
    if lp.held_integers:
        stage += " (whole decisions held)"
    outcome.stages = [*first.stages, stage]
    outcome.sensitivity = first.sensitivity
    if outcome.optimal:
        lp.load_values()
        outcome.floor_row = floor
        return outcome
    # keep the capability-stage plan (the Pyomo variables still hold it) and say so; HiGHS
    # gets its stage-1 model back and is re-solved so that its rows match that plan
    lp.delete_row(floor)
    lp.set_col_bounds(held, lower, upper)
    objective = m.objective
    lp.set_objective(objective.expr, objective.sense)
    if _run(lp, options, remaining(), clock).status == "optimal":
        lp.load_values()
    first.message += "; the cost tie-break stage failed, cost is not minimised"
    return first


def _mip_start(lp: HighsLP, values: Any) -> None:
    """Give HiGHS the stage-1 plan as the cost stage's first incumbent: it meets the
    capability floor and the held shortfalls. Without it, the cost stage of the v2
    example with whole major items found no plan in 284 s (stage 1: 98 s)."""
    import highspy

    start = highspy.HighsSolution()
    start.col_value = list(values)
    start.value_valid = True
    lp.highs.setSolution(start)


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

    lp = outcome.lp
    if lp is None:
        return None
    highs = lp.highs
    iis = None
    highs.setOptionValue("output_flag", False)
    started = time.perf_counter()
    try:
        for strategy in (4, 2):
            # one time limit for both strategies together
            left = None if time_limit is None else time_limit - (time.perf_counter() - started)
            if left is not None and left <= 0.0:
                break
            highs.setOptionValue("iis_time_limit", math.inf if left is None else left)
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
    if iis is None:
        return None
    rows, columns = lp.rows, lp.columns
    sides = {2: "lower", 3: "upper", 4: "both", 1: "free"}
    members = [
        IisMember("row", rows[r], sides.get(int(b), "both"))
        for r, b in zip(iis.row_index_, iis.row_bound_, strict=False)
        if r < len(rows)
    ]
    members += [
        IisMember("column", columns[c], sides.get(int(b), "both"))
        for c, b in zip(iis.col_index_, iis.col_bound_, strict=False)
        if c < len(columns) and int(b) != 1  # "free": only its sign restriction takes part
    ]
    return members


def row_activities(outcome: SolveOutcome) -> dict[Any, tuple[float, float, float]]:
    """Constraint data -> (activity, lower, upper) of its HiGHS row, for the last solution.

    Constant terms of a constraint are moved into its row's bounds, so these bounds are
    the right-hand sides the solver used (e.g. P1's base-year row has `(1-attr)·initial`).
    Reading them from HiGHS is ~50x faster than evaluating every constraint body in Pyomo.
    """
    return {} if outcome.lp is None else outcome.lp.row_activities()
