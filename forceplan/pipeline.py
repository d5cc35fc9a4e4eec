"""The solve pipeline: read → validate → build → solve → results → write, each phase timed.

The CLI, the tests and the benchmarks all go through `run_solve`, so what is measured is
what users run.
"""

from __future__ import annotations

import contextlib
import getpass
import platform
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forceplan import __version__, run_record
from forceplan.errors import ExitCode, Issue
from forceplan.provenance import (
    CONTENT_HASH_METHOD,
    content_hash,
    extra_sheet_hashes,
    file_sha256,
    sheet_hashes,
)


@dataclass
class SolveRequest:
    workbook: Path
    output: Path | None = None
    objective: str | None = None
    elastic: bool | None = None
    integer_units: bool | None = None
    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    force: bool = False
    write: bool = True
    diagnose: bool = True  # explain infeasibility (IIS + elastic re-solve)
    iis_time_limit: float | None = 20.0  # seconds for isolating the conflicting rows
    solver_log: Path | None = None  # HiGHS's own log is appended to this file
    cold: bool = False  # ignore the basis a plan workbook stores (MODEL.md §8.9)
    ledger: Path | None = None  # the run ledger this solve is recorded in (Plan_Run says so)
    started: float | None = None  # time.perf_counter() when the command started
    #: free the HiGHS instance once a plan is found, before the tables are built (peak
    #: memory at L; the `solve` command does): outcome.lp keeps what the tables read, but
    #: re-solves (tests' finite differences, PersistentLP) need the instance
    release_solver: bool = False
    #: a MIP's later stages as LPs with the stage-1 whole decisions held (SolveOptions)
    hold_whole_decisions: bool = False
    #: a MIP's stage 1 starts from its LP relaxation rounded and repaired (SolveOptions)
    mip_start: bool = False


@dataclass
class SolveRun:
    request: SolveRequest
    issues: list[Issue] = field(default_factory=list)
    inputs: Any = None
    data: Any = None
    built: Any = None
    outcome: Any = None
    tables: Any = None
    output: Path | None = None
    output_sha256: str | None = None  # of the bytes this run wrote (for the ledger)
    timings: dict[str, float] = field(default_factory=dict)
    conflicts: list[Any] | None = None  # IIS, when infeasible
    elastic_run: SolveRun | None = None  # the elastic re-solve, when infeasible
    deadline: float | None = None  # time.perf_counter() by which the command must end
    notes: list[str] = field(default_factory=list)  # what the deadline cut short, etc.
    provenance: list[tuple[str, Any]] | None = None  # Plan_Run rows, once computed
    #: Plan_ sheet hashes (provenance.plan_sheet_hashes) of the plan written, for the
    #: sheets the writer hashed from the values it wrote; the ledger reads the rest back
    plan_hashes: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        """The plan's status in the one vocabulary of forceplan.status."""
        from forceplan.status import plan_status

        shortfalls = 0
        if self.tables is not None:
            shortfalls = len(self.tables.tables["Plan_Shortfalls"])
        return plan_status(self.outcome.status if self.outcome else None, shortfalls)

    def record(self) -> list[tuple[str, Any]]:
        """This run's Plan_Run rows (forceplan.run_record), computed once."""
        return run_rows(self)

    @property
    def exit_code(self) -> ExitCode:
        status = self.outcome.status if self.outcome else "error"
        if status == "optimal":
            return ExitCode.OK
        if status in ("infeasible", "infeasible_or_unbounded"):
            return ExitCode.INFEASIBLE
        return ExitCode.NOT_OPTIMAL


Progress = Callable[[str], contextlib.AbstractContextManager[Any]]


@contextlib.contextmanager
def _no_progress(_phase: str) -> Iterator[None]:
    yield


@contextlib.contextmanager
def _timed(run: SolveRun, phase: str, progress: Progress) -> Iterator[None]:
    started = time.perf_counter()
    with progress(phase):
        yield
    run.timings[phase] = run.timings.get(phase, 0.0) + time.perf_counter() - started


def run_solve(request: SolveRequest, progress: Progress = _no_progress) -> SolveRun:
    """Solve one workbook. Raises InputError (with every issue) if the workbook is invalid."""
    from forceplan.load import ModelOptions, load_checked
    from forceplan.model.solve import SolveOptions, solve
    from forceplan.workbook.write import plan_target

    run = SolveRun(request)
    if request.time_limit is not None:  # a deadline for the whole command, not for HiGHS
        run.deadline = (request.started or time.perf_counter()) + request.time_limit
    target = plan_target(request.workbook, request.output, request.force)
    if request.write:
        target.check()  # before any work: an existing file is refused, a default name moved
    options = ModelOptions(request.objective, request.elastic, request.integer_units)
    loaded = load_checked(
        request.workbook,
        options,
        build_model=True,
        phase=lambda name: _timed(run, name, progress),
    )
    run.inputs, run.issues, run.data, run.built = (
        loaded.inputs,
        loaded.issues,
        loaded.data,
        loaded.built,
    )
    # the input package is scanned for the plan workbook in a thread while HiGHS solves
    preparing: list[Future[Any]] = []

    def start_preparing() -> None:
        if request.write:
            preparing.append(_start_preparing(request.workbook))

    with _timed(run, "solve", progress):
        warm_start, cold_reason = _stored_basis(request)
        run.outcome = solve(
            run.built,
            SolveOptions(
                request.time_limit,
                request.mip_gap,
                request.threads,
                log_file=request.solver_log,
                warm_start=warm_start,
                cold_reason=cold_reason,
                deadline=_solve_deadline(run),
                hold_whole_decisions=request.hold_whole_decisions,
                mip_start=request.mip_start,
            ),
            on_compiled=start_preparing,
        )
    if run.outcome.has_solution and run.outcome.lp is not None and request.release_solver:
        run.outcome.lp.release()  # HiGHS's memory (~0.7 GiB at L), before tables and writing
    if run.outcome.has_solution:
        from forceplan.results import build_tables

        with _timed(run, "results", progress):
            run.tables = build_tables(run.built, run.outcome)
        if request.write:
            with _timed(run, "write", progress):
                _write(run, target, preparing[0] if preparing else None)
    elif run.exit_code == ExitCode.INFEASIBLE and request.diagnose:
        explain_infeasible(run, progress)
    return run


def _stored_basis(request: SolveRequest) -> tuple[Any, str | None]:
    """(basis, why not) from a plan workbook given as input (MODEL.md §8.9)."""
    if request.cold:
        return None, "--cold"
    from forceplan.workbook.basis_sheet import read_basis

    return read_basis(request.workbook)


def explain_infeasible(run: SolveRun, progress: Progress = _no_progress) -> None:
    """Fill run.conflicts (IIS) and run.elastic_run (smallest priced shortfalls)."""
    from forceplan.diagnose import explain_iis
    from forceplan.model.build import build_model
    from forceplan.model.data import build_data
    from forceplan.model.solve import SolveOptions, solve
    from forceplan.results import build_tables

    # two phases, each shown with its elapsed time: both can take minutes; both end by the
    # command's deadline (--time-limit)
    req = run.request
    with _timed(run, "iis", progress):
        iis_limit = _left(run, req.iis_time_limit)
        if iis_limit is not None and iis_limit <= 0.0:
            run.notes.append("the conflicting requirements were not isolated: --time-limit reached")
        else:
            run.conflicts = explain_iis(run.built, run.outcome, iis_limit)
    if _left(run) is not None and _left(run) <= 0.0:
        run.notes.append("the elastic re-solve was not run: --time-limit reached")
        return
    with _timed(run, "elastic", progress):
        elastic = SolveRun(req)
        elastic.inputs, elastic.issues = run.inputs, run.issues
        elastic.data = build_data(run.inputs, req.objective, True, req.integer_units)
        elastic.built = build_model(elastic.data)
        elastic.outcome = solve(
            elastic.built,
            SolveOptions(
                req.time_limit,
                req.mip_gap,
                req.threads,
                deadline=run.deadline,
                hold_whole_decisions=req.hold_whole_decisions,
            ),
        )
        if elastic.outcome.has_solution:
            elastic.tables = build_tables(elastic.built, elastic.outcome)
        elif elastic.outcome.status == "time_limit":
            run.notes.append("the elastic re-solve found no plan before --time-limit")
        run.elastic_run = elastic


def _left(run: SolveRun, limit: float | None = None) -> float | None:
    """Seconds left before the command's deadline (capped by `limit`; None: no limit)."""
    if run.deadline is None:
        return limit
    left = max(0.0, run.deadline - time.perf_counter())
    return left if limit is None else min(limit, left)


#: Seconds kept back from HiGHS for turning a solution into tables and writing the plan,
#: per model column (measured: ~2e-5 s per column on the 2-core benchmark machine) ...
WRITE_SECONDS_PER_COLUMN = 2.5e-5
#: ... plus a fixed part (copying the input sheets, saving), and at most this share of the
#: whole time limit: a short limit still leaves HiGHS most of it.
WRITE_SECONDS_FIXED = 0.3
WRITE_SHARE_MAX = 0.3


def _solve_deadline(run: SolveRun) -> float | None:
    """The deadline HiGHS must meet so that tables and the plan are written by the
    command's deadline (when the solver stops with a plan, the marked plan is written)."""
    if run.deadline is None:
        return None
    columns = _columns(run.built.model) if run.built is not None else 0
    reserve = WRITE_SECONDS_FIXED + WRITE_SECONDS_PER_COLUMN * columns
    if run.request.write:
        reserve = min(reserve, WRITE_SHARE_MAX * float(run.request.time_limit or 0.0))
    else:
        reserve = min(reserve, 0.1 * float(run.request.time_limit or 0.0))
    return run.deadline - reserve


def _columns(model: Any) -> int:
    import pyomo.core as pyo

    return sum(len(v) for v in model.component_objects(pyo.Var, active=True))


def _start_preparing(workbook: Path) -> Future[Any]:
    """`scan_input(workbook)` in a background thread (its result or error comes out of
    `.result()`); the thread ends on its own if the result is never asked for."""
    from concurrent.futures import ThreadPoolExecutor

    from forceplan.workbook.write import scan_input

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="forceplan-prepare")
    future = pool.submit(scan_input, workbook)
    pool.shutdown(wait=False)
    return future


def _write(run: SolveRun, target: Any, preparing: Future[Any] | None = None) -> None:
    from forceplan.workbook.write import ChartInputs, write_plan

    charts = ChartInputs(
        run.tables.summary["end_strength_band"],
        {str(r["equipment"]): r["unit_price"] for r in run.inputs.tables["Equipment"]},
        {p for p in run.data.classes if not run.data.active(p)},
    )
    written: list[Any] = []
    # the Plan_ hashes are for the run ledger only: without one, hashing is wasted work
    hashes: dict[str, Any] | None = {} if run.request.ledger is not None else None
    run.issues += write_plan(
        run.request.workbook,
        target.path,
        run.tables.tables,
        summary_rows(run),
        run_rows(run),
        str(run.inputs.settings["classification"]),
        charts=charts,
        backup=run.request.force,
        scan=None if preparing is None else preparing.result(),
        target=target,
        written=written,
        basis=run.outcome.basis,
        plan_hashes=hashes,
    )
    run.output, run.output_sha256 = written[0].path, written[0].sha256
    run.plan_hashes = hashes


def summary_rows(run: SolveRun) -> list[tuple[Any, ...]]:
    """Headline figures of Plan_Summary: (figure, value, unit). Numbers stay numbers; the
    year-by-year figures are a table of their own on that sheet (workbook.write)."""
    from forceplan.status import explain

    s = run.tables.summary
    currency = str(run.inputs.settings.get("currency", ""))
    label = run.label
    objective_unit = {
        "min_cost": f"{currency}, discounted",
        "max_capability": "capability points",
    }.get(s["objective_name"], "objective units")
    return [
        ("title", run.inputs.settings.get("title", ""), ""),
        ("status", label, explain(label)),
        ("objective", s["objective_name"], ""),
        ("objective value", s["objective"], objective_unit),
        ("total discounted cost", s["cost"], f"{currency}, discounted"),
        ("total capability", s["capability"], "capability points"),
        ("elastic penalties", s["penalty"], currency),
        ("shortfalls", s["shortfalls"], "rows on Plan_Shortfalls"),
        ("currency", currency, ""),
    ]


def run_rows(run: SolveRun) -> list[tuple[str, Any]]:
    """Provenance for Plan_Run: inputs' hashes, versions, options, status, timings.

    Computed once per run: the ledger record repeats exactly what Plan_Run says."""
    if run.provenance is None or len(run.provenance) == 0:
        run.provenance = _run_rows(run)
    return run.provenance


def _run_rows(run: SolveRun) -> list[tuple[str, Any]]:
    """The values of forceplan.run_record's keys for this run."""
    import highspy
    import openpyxl
    import pandas
    import pyomo

    req, outcome = run.request, run.outcome
    STAGE, INPUT_HASH, TIME = run_record.STAGE, run_record.INPUT_HASH, run_record.TIME
    rows: list[tuple[str, Any]] = [
        ("input_file", str(req.workbook.name)),
        ("input_sha256", file_sha256(req.workbook)),
        ("input_content_hash", content_hash(run.inputs)),
        ("content_hash_method", CONTENT_HASH_METHOD),
        ("tool", f"forceplan {__version__}"),
        ("solver", f"HiGHS {'.'.join(map(str, _highs_version(highspy)))}"),
        ("pyomo", pyomo.version.version),
        ("pandas", pandas.__version__),
        ("openpyxl", openpyxl.__version__),
        ("python-calamine", _dist_version("python-calamine")),
        ("numpy", _dist_version("numpy")),
        ("python", platform.python_version()),
        ("user", _user()),
        ("host", platform.node()),
        ("date", time.strftime("%Y-%m-%dT%H:%M:%S%z")),
        ("objective", run.data.objective),
        ("currency", str(run.inputs.settings.get("currency", "") or "")),
        ("elastic", run.data.elastic),
        ("integer_units", run.data.integer_units),
        ("time_limit", req.time_limit),
        ("mip_gap", req.mip_gap),
        ("threads", req.threads),
        ("status", run.label),
        ("solver_status", outcome.status),
        ("objective_value", outcome.objective),
        ("gap", outcome.gap),
        ("solve_stages", " + ".join(outcome.stages)),
        ("start", outcome.start),  # MODEL.md §8.9: "warm start from <hash>" or "cold start"
        ("structure_hash", outcome.structure_hash),
    ]
    rows += [(STAGE.key(k), text) for k, text in enumerate(outcome.stage_report, 1)]
    # per-sheet content hashes: `forceplan audit` names the input sheets edited after solving
    rows += [(INPUT_HASH.key(name), h) for name, h in sheet_hashes(run.inputs).items()]
    # the sheets no contract reader sees (Sources, About): an edit after solving is named too
    rows += [(INPUT_HASH.key(n), h) for n, h in extra_sheet_hashes(req.workbook).items()]
    if req.ledger is not None:
        # the ledger's head before this run's record: `forceplan audit PLAN` sees a ledger
        # truncated or wiped after this plan was written
        from forceplan.ledger import head

        prev, count = head(req.ledger)
        rows += [
            ("ledger", str(Path(req.ledger).resolve())),
            ("ledger_prev_hash", prev),
            ("ledger_records", count),
        ]
    rows += [(TIME.key(phase), round(sec, 4)) for phase, sec in run.timings.items()]
    rows += [
        ("time_compile_s", round(outcome.compile_seconds, 4)),  # within time_solve_s
        ("time_highs_s", round(outcome.highs_seconds, 4)),  # HiGHS's own, within time_solve_s
    ]
    return run_record.rows(dict(rows))  # in the declared order; an undeclared key is a bug


def _highs_version(highspy: Any) -> tuple[int, int, int]:
    return (highspy.HIGHS_VERSION_MAJOR, highspy.HIGHS_VERSION_MINOR, highspy.HIGHS_VERSION_PATCH)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"
