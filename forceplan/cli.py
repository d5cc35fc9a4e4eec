"""Command-line interface. Thin: parse options, call one pipeline function, render with rich.

Heavy libraries (pandas, Pyomo, openpyxl) are imported inside the commands so that
`forceplan --help` stays fast.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from forceplan import __version__
from forceplan.errors import ExitCode, ForceplanError, Interrupted
from forceplan.ui import UI

app = typer.Typer(
    name="forceplan",
    help="Force-structure planning optimizer: Excel workbooks in, optimal year-by-year plans out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

ui = UI()
#: When the command started (before the heavy imports): `--time-limit` counts from here.
STARTED = time.perf_counter()


def _examples(*lines: str) -> str:
    """An "Examples" block for a command's help (every command has one)."""
    from rich.markup import escape

    return "[bold]Examples[/]\n\n" + "\n\n".join(f"  {escape(line)}" for line in lines)


def _plain_help() -> None:
    """Help without type noise: no `<bool>` after on/off flags, required arguments shown
    as WORKBOOK rather than {WORKBOOK} in the usage line (typer 0.2x's rich help)."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is not None and shown is not None and not getattr(shown, "_plain", False):

        def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
            return None if getattr(self, "is_flag", False) else shown(self, ctx)

        display_type_rich._plain = True  # type: ignore[attr-defined]
        option.display_type_rich = display_type_rich
    argument = getattr(core, "TyperArgument", None)
    if argument is not None and hasattr(argument, "_usage_display_name"):

        def usage_name(self) -> str:  # type: ignore[no-untyped-def]
            name = self.display_name_raw
            name = name if self.required else f"[{name}]"
            return name + ("..." if self.nargs != 1 else "")

        argument._usage_display_name = usage_name


_plain_help()

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]
WorkbookArg = Annotated[
    Path,
    typer.Argument(
        help="Input workbook (.xlsx).", show_default=False, dir_okay=True, metavar="WORKBOOK"
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"forceplan {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and results.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="More detail.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Plan recruiting, training, promotion, units, equipment and money, year by year."""
    ui.quiet, ui.verbose = quiet, verbose


@app.command(
    epilog=_examples(
        "forceplan validate army.xlsx", "forceplan validate army.xlsx --json > problems.json"
    )
)
def validate(workbook: WorkbookArg, json: JsonOpt = False) -> None:
    """Check a workbook and list every problem with its sheet and cell (exit 2 on errors)."""
    from forceplan.workbook.validate import validate_workbook

    _inputs, issues = validate_workbook(workbook)
    errors = sum(i.severity == "error" for i in issues)
    if json:
        ui.print_json(
            {
                "workbook": str(workbook),
                "valid": errors == 0,
                "errors": errors,
                "warnings": len(issues) - errors,
                "issues": [i.to_dict() for i in issues],
            }
        )
    else:
        ui.issues_table(issues, title=f"Problems in {workbook.name}")
        ui.verdict(workbook, issues)
    raise typer.Exit(ExitCode.INPUT if errors else ExitCode.OK)


@app.command(
    epilog=_examples(
        "forceplan template army.xlsx", "forceplan template demo.xlsx --example ukraine-2026-2035"
    )
)
def template(
    path: Annotated[
        Path, typer.Argument(help="Workbook to create (.xlsx).", show_default=False, metavar="PATH")
    ],
    example: Annotated[
        str | None,
        typer.Option("--example", help="Write this bundled example instead of a blank template."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a blank input workbook (every sheet, headers with help) or a bundled example."""
    from forceplan.workbook.template import write_example, write_template

    if example:
        write_example(example, path, overwrite=force)
        ui.info(f"Wrote example [bold]{example}[/] to {path}")
    else:
        write_template(path, overwrite=force)
        ui.info(f"Wrote a blank workbook to {path}: fill it in, then `forceplan validate {path}`")


ObjectiveOpt = Annotated[
    str | None,
    typer.Option(
        "--objective",
        metavar="NAME",
        help="min_cost | max_capability | custom (overrides Settings).",
    ),
]


def _solve_request(workbook: Path, **options: object):
    from forceplan.pipeline import SolveRequest

    objective = options.get("objective")
    if objective is not None and objective not in ("min_cost", "max_capability", "custom"):
        raise typer.BadParameter("use min_cost, max_capability or custom", param_hint="--objective")
    log = options.get("solver_log")
    if isinstance(log, Path):
        _check_log_path(log)
    # release_solver: the command re-solves nothing after the solve (peak memory at L)
    return SolveRequest(workbook, started=STARTED, release_solver=True, **options)  # type: ignore[arg-type]


def _check_log_path(log: Path) -> None:
    """The solver log is a plain text file we append to: never a workbook, never a folder."""
    hint = "--solver-log"
    if log.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xltx", ".xltm"):
        raise typer.BadParameter(f"{log} looks like a workbook; give a text file", param_hint=hint)
    if log.is_dir():
        raise typer.BadParameter(f"{log} is a folder; give a file name", param_hint=hint)
    if not log.parent.is_dir():
        raise typer.BadParameter(f"folder {log.parent} does not exist", param_hint=hint)


def _run_pipeline(request, json: bool):
    from forceplan.pipeline import run_solve

    with ui.phases(enabled=not json) as progress:
        return run_solve(request, progress)


@app.command(
    epilog=_examples(
        "forceplan solve army.xlsx",
        "forceplan solve army.xlsx -o plan.xlsx --objective max_capability",
        "forceplan solve army.xlsx --elastic --time-limit 600",
    )
)
def solve(
    workbook: WorkbookArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Plan workbook to write \\[default: the input's name + .plan.xlsx, or the "
            "next free .plan-N.xlsx].",
        ),
    ] = None,
    objective: ObjectiveOpt = None,
    elastic: Annotated[
        bool | None,
        typer.Option("--elastic/--strict", help="Price shortfalls instead of failing."),
    ] = None,
    integer_units: Annotated[
        bool | None,
        typer.Option("--integer-units/--fractional-units", help="Whole units (MILP)."),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", metavar="SECONDS", min=0.0, help="Solver time limit, seconds."
        ),
    ] = None,
    mip_gap: Annotated[
        float | None,
        typer.Option("--mip-gap", metavar="GAP", min=0.0, help="Relative MIP gap to stop at."),
    ] = None,
    hold_whole: Annotated[
        bool,
        typer.Option(
            "--hold-whole",
            help="MIP: run the cost tie-break and funding priority stages as LPs with the "
            "whole units and items of the first stage held (much faster; cost is then "
            "minimised given those decisions, not over every whole plan).",
        ),
    ] = False,
    mip_start: Annotated[
        bool,
        typer.Option(
            "--mip-start",
            help="MIP: start from the LP plan rounded to whole units and items and repaired "
            "to a feasible plan (costs two or three LP solves first).",
        ),
    ] = False,
    threads: Annotated[
        int | None, typer.Option("--threads", metavar="N", min=1, help="Solver threads.")
    ] = None,
    solver_log: Annotated[
        Path | None,
        typer.Option(
            "--solver-log",
            help="Append HiGHS's own log (iterations, times, presolve) to this text file.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing -o file (or the input itself); the existing file is "
            "first copied to NAME.bak.xlsx. Without it nothing is ever replaced.",
        ),
    ] = False,
    cold: Annotated[
        bool,
        typer.Option(
            "--cold",
            help="Start the solver from scratch, not from the basis a plan workbook stores.",
        ),
    ] = False,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="Run ledger (SQLite) to record this run in \\[default: ledger.sqlite in the "
            "user's state folder, $FORCEPLAN_HOME overrides].",
        ),
    ] = None,
    diagnose: Annotated[
        bool,
        typer.Option(
            "--diagnose/--no-diagnose",
            help="When infeasible, explain why (IIS and an elastic re-solve, within --time-limit).",
        ),
    ] = True,
    json: JsonOpt = False,
) -> None:
    """Find the optimal plan and write it as a workbook (exit 3 infeasible, 4 not optimal)."""
    from forceplan.views import show_solve, solve_payload

    request = _solve_request(
        workbook,
        output=output,
        objective=objective,
        elastic=elastic,
        integer_units=integer_units,
        time_limit=time_limit,
        mip_gap=mip_gap,
        hold_whole_decisions=hold_whole,
        mip_start=mip_start,
        threads=threads,
        force=force,
        solver_log=solver_log,
        cold=cold,
        ledger=_ledger_path(ledger),
        diagnose=diagnose,
    )
    run = _run_pipeline(request, json)
    recorded = _ledger_record(run, ledger)
    if json:
        ui.print_json(solve_payload(run) | {"ledger": recorded})
    else:
        ui.issues_table([i for i in run.issues if i.severity == "warning"], "Warnings")
        show_solve(ui.out, run, quiet=ui.quiet)
    raise typer.Exit(int(run.exit_code))


@app.command(
    epilog=_examples(
        "forceplan diagnose army.xlsx", "forceplan diagnose army.xlsx --iis-time-limit 900 --json"
    )
)
def diagnose(
    workbook: WorkbookArg,
    objective: ObjectiveOpt = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", metavar="SECONDS", min=0.0, help="Solver time limit, seconds."
        ),
    ] = None,
    iis_time_limit: Annotated[
        float,
        typer.Option(
            "--iis-time-limit",
            metavar="SECONDS",
            min=0.0,
            help="Seconds for isolating the smallest set of conflicting requirements.",
        ),
    ] = 300.0,
    json: JsonOpt = False,
) -> None:
    """Explain why a workbook has no plan: conflicting requirements and smallest shortfalls."""
    from forceplan.pipeline import explain_infeasible
    from forceplan.views import show_solve, solve_payload

    request = _solve_request(
        workbook,
        objective=objective,
        elastic=False,
        time_limit=time_limit,
        write=False,
        diagnose=False,
        iis_time_limit=iis_time_limit,
    )
    from forceplan.pipeline import run_solve

    with ui.phases(enabled=not json) as progress:  # the IIS can take minutes: show it
        run = run_solve(request, progress)
        if run.exit_code == ExitCode.INFEASIBLE:
            explain_infeasible(run, progress)
    if json:
        ui.print_json(solve_payload(run))
    else:
        show_solve(ui.out, run, quiet=True)
        if run.exit_code == ExitCode.OK:
            ui.out.print("[green]A plan exists: nothing to diagnose.[/]")
    raise typer.Exit(int(run.exit_code))


@app.command(
    epilog=_examples(
        "forceplan compare base.plan.xlsx austere.plan.xlsx",
        "forceplan compare a.plan.xlsx b.plan.xlsx -o differences.xlsx",
    )
)
def compare(
    plan_a: Annotated[
        Path, typer.Argument(help="First plan workbook (A).", show_default=False, metavar="PLAN_A")
    ],
    plan_b: Annotated[
        Path, typer.Argument(help="Second plan workbook (B).", show_default=False, metavar="PLAN_B")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write the differences as a workbook (.xlsx)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
    json: JsonOpt = False,
) -> None:
    """What differs between two plans: objective, strength, spending, units, equipment, limits."""
    from forceplan.compare import compare_plans, show_comparison, write_comparison

    with ui.phases(enabled=not json) as progress:
        with progress("read"):
            result = compare_plans(plan_a, plan_b)
        if output is not None:
            with progress("write"):
                write_comparison(result, output, overwrite=force)
    if json:
        ui.print_json(result.to_dict() | {"output": str(output) if output else None})
    else:
        show_comparison(ui.out, result)
        if output is not None:
            ui.info(f"differences written to {output}")


@app.command(
    epilog=_examples("forceplan show army.plan.xlsx", "forceplan show army.plan.xlsx --json")
)
def show(
    plan: Annotated[
        Path,
        typer.Argument(
            help="Plan workbook written by `forceplan solve`.", show_default=False, metavar="PLAN"
        ),
    ],
    json: JsonOpt = False,
) -> None:
    """Show a plan in the terminal: status, strength by year, spending by line and source,
    the binding limits with the largest prices. Read from the workbook: no Excel, no solve."""
    from forceplan.show import read_view, show_plan

    view = read_view(plan)
    if json:
        ui.print_json(view.to_dict())
    else:
        show_plan(ui.out, view)


@app.command(
    epilog=_examples(
        "forceplan explain army.plan.xlsx", "forceplan explain army.plan.xlsx --top 20 --json"
    )
)
def explain(
    plan: Annotated[
        Path,
        typer.Argument(
            help="Plan workbook written by `forceplan solve`.", show_default=False, metavar="PLAN"
        ),
    ],
    top: Annotated[
        int, typer.Option("--top", metavar="N", min=1, help="Show the N most valuable limits.")
    ] = 10,
    json: JsonOpt = False,
) -> None:
    """The limits most worth relaxing and what more money buys, by source and year (read
    from the plan's shadow prices; nothing is solved again)."""
    from forceplan.explain import explain_plan, show_explanation

    result = explain_plan(plan, top)
    if json:
        ui.print_json(result.to_dict())
    else:
        show_explanation(ui.out, result)


@app.command(
    epilog=_examples(
        "forceplan generate big.xlsx --trades 40 --grades 6 --years 20",
        "forceplan generate small.xlsx --trades 3 --grades 2 --years 3 --seed 7",
        "forceplan generate v2.xlsx --trades 100 --grades 8 --years 15 --v2",
    )
)
def generate(
    path: Annotated[
        Path, typer.Argument(help="Workbook to create (.xlsx).", show_default=False, metavar="PATH")
    ],
    trades: Annotated[int, typer.Option(min=1, help="Number of trades.")] = 12,
    grades: Annotated[int, typer.Option(min=1, help="Number of grades.")] = 5,
    years: Annotated[int, typer.Option(min=1, max=100, help="Planning years.")] = 10,
    unit_types: Annotated[int, typer.Option("--unit-types", min=1, help="Unit types.")] = 10,
    equipment: Annotated[int, typer.Option(min=1, help="Equipment types.")] = 25,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 0,
    integer_orders: Annotated[
        bool, typer.Option("--integer-orders", help="One equipment type with whole orders.")
    ] = False,
    careers: Annotated[
        bool,
        typer.Option(
            "--careers", help="v2 careers: promotion shares, intake steps, a reserve class."
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    cohorts: Annotated[
        int,
        typer.Option(
            min=0, help="max_service_years of the two entry grades (P10 cohorts; 0 = none)."
        ),
    ] = 0,
    money: Annotated[
        bool,
        typer.Option(
            "--money",
            help="v2 money: euro and dollar sources and prices with rate paths, expiring "
            "partner money, spending priorities, payment profiles, fixed payments, costs by "
            "year.",
        ),
    ] = False,
    steady: Annotated[
        bool, typer.Option("--steady", help="terminal = steady: the last year repeatable.")
    ] = False,
    limited_duty: Annotated[
        bool,
        typer.Option(
            "--limited-duty",
            help="limited_duty_share_min: 0.5 % of each class on limited duty (not in --v2: "
            "slow to solve at M).",
        ),
    ] = False,
    v2: Annotated[
        bool,
        typer.Option(
            "--v2", help="Every v2 feature: --careers --money --steady, --cohorts 3 if not given."
        ),
    ] = False,
) -> None:
    """Write a synthetic, feasible workbook of any size (benchmarks and tests)."""
    from forceplan.generate import Size, generate_workbook

    size = Size(
        trades,
        grades,
        years,
        unit_types,
        equipment,
        integer_orders=integer_orders,
        careers=careers or v2,
        cohorts=cohorts or (3 if v2 else 0),
        money=money or v2,
        steady=steady or v2,
        limited_duty=limited_duty,
    )
    with ui.phases() as progress, progress("generate"):  # large sizes take a while
        generate_workbook(path, size, seed, overwrite=force)
    ui.info(f"Wrote {trades} trades × {grades} grades × {years} years to {path}")


def _sweep_epilog() -> str:
    from rich.markup import escape

    from forceplan.sweep.spec import GRAMMAR_HELP

    return (
        escape(GRAMMAR_HELP).replace("\n", "\n\n")
        + "\n\n"
        + _examples(
            "forceplan sweep army.xlsx --vary 'Funding.amount[source=national_budget]=*0.6:1.4:9'",
            "forceplan sweep army.xlsx --vary 'Settings.accession_max_total=20000:60000:5' "
            "--workers 2",
        )
    )


@app.command(epilog=_sweep_epilog())
def sweep(
    workbook: WorkbookArg,
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary",
            metavar="SPEC",
            help="What to vary: a sheet's column (optionally filtered to some rows) and its "
            "values; repeatable. Grammar and examples below.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Summary workbook \\[default: the input's name + .sweep.xlsx]."
        ),
    ] = None,
    samples: Annotated[
        int | None,
        typer.Option("--samples", metavar="N", min=1, help="Monte Carlo draws per grid point."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Random seed of the draws.")] = 0,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            min=1,
            help="Local worker processes \\[default: one per core].",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", metavar="ADDRESS", help="Run on a Dask cluster: its scheduler address."
        ),
    ] = None,
    objective: ObjectiveOpt = None,
    elastic: Annotated[
        bool | None,
        typer.Option("--elastic/--strict", help="Price shortfalls instead of failing."),
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            metavar="SECONDS",
            min=0.0,
            help="Solver time limit per scenario, seconds.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite an existing -o file (and start a sweep over)."),
    ] = False,
    fractional_units: Annotated[
        bool,
        typer.Option(
            "--fractional-units",
            help="Solve the LP relaxation of a workbook with whole units or whole equipment "
            "orders: much faster per scenario; counts may be fractional.",
        ),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted sweep from OUTPUT.partial.jsonl (its finished rows "
            "are kept, the rest solved).",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Solve many scenarios of one workbook (budgets, recruiting caps ...): the model is built
    once per worker and re-solved; one summary row per scenario, with a chart."""
    from forceplan.sweep import SweepRequest, run_sweep_command

    request = SweepRequest(
        workbook,
        vary,
        output=output,
        samples=samples,
        seed=seed,
        workers=workers,
        scheduler=scheduler,
        objective=objective,
        elastic=elastic,
        time_limit=time_limit,
        force=force,
        resume=resume,
        fractional_units=fractional_units,
    )
    raise typer.Exit(run_sweep_command(request, ui, json))


def _ledger_path(path: Path | None) -> Path:
    from forceplan.ledger import default_path

    return path or default_path()


def _ledger_record(run, path: Path | None) -> dict | None:
    """Append a solve to the run ledger; a failure is a warning and never loses the plan."""
    from forceplan.ledger import default_path, record_solve_safely

    target = path or default_path()
    stored, warning = record_solve_safely(run, target)
    if warning:
        ui.err.print(f"warning: {warning}", markup=False, style="yellow")
        return {"path": str(target), "error": warning}
    if stored is None:
        return None
    ui.detail(f"run recorded in the ledger {target} as record {stored['id']}")
    return {"path": str(target), "id": stored["id"], "hash": stored["hash"]}


@app.command(
    epilog=_examples(
        "forceplan report army.plan.xlsx", "forceplan report army.plan.xlsx -o brief.html --pdf"
    )
)
def report(
    plan: Annotated[
        Path,
        typer.Argument(
            help="Plan workbook written by `forceplan solve`.", show_default=False, metavar="PLAN"
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="HTML file to write \\[default: the plan's name + .report.html]."
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a PDF of the report (next to the HTML).")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace an existing -o file (it is first copied to NAME.bak.html)."
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """The auditor's report of a plan: one self-contained HTML file (works offline, prints
    with the classification on every page)."""
    from forceplan.report import write_report

    with ui.phases(enabled=not json) as progress:
        result = write_report(plan, output, pdf, progress, force=force)
    if json:
        ui.print_json(
            {
                "plan": str(plan),
                "html": str(result.html),
                "pdf": str(result.pdf) if result.pdf else None,
                "audit_ok": result.audit_ok,
                "seconds": round(result.seconds, 3),
            }
        )
        return
    ui.info(f"report written to {result.html} ({result.seconds:.1f} s)")
    if result.pdf:
        ui.info(f"PDF written to {result.pdf}")
    if result.audit_ok is False:
        ui.err.print("the plan FAILED its audit: see section 6 of the report", style="red")


@app.command(
    epilog=_examples("forceplan audit army.plan.xlsx", "forceplan audit army.plan.xlsx --json")
)
def audit(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="PLAN.xlsx to re-check (and/or a ledger file, as with --ledger).",
            show_default=False,
        ),
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="Run ledger (SQLite): its chain is verified, and a plan is checked against "
            "its record in it \\[default: the user's ledger.sqlite, when there].",
        ),
    ] = None,
    no_ledger: Annotated[
        bool, typer.Option("--no-ledger", help="Do not check the plan against a ledger.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Re-check a plan against its inputs without the solver: every constraint family, the
    cost ledger against the objective, every Plan_ sheet, the input hashes and the plan's
    run-ledger record (exit 5 if anything fails)."""
    plans = [p for p in paths or [] if p.suffix.lower() in (".xlsx", ".xlsm")]
    others = [p for p in paths or [] if p not in plans]
    if len(plans) > 1 or len(others) > 1 or (others and ledger is not None):
        raise typer.BadParameter("give one plan and at most one ledger file", param_hint="PATHS")
    if others:
        if others[0].suffix.lower() in (".xls", ".xlsb", ".csv", ".ods"):
            raise typer.BadParameter(
                f"{others[0]} is not a plan workbook (.xlsx)", param_hint="PATHS"
            )
        ledger = others[0]
    if not plans and ledger is None:
        raise typer.BadParameter("give a plan workbook, or --ledger PATH", param_hint="PATHS")
    payload: dict = {"ok": True, "plan": None, "ledger": None}
    if plans:
        from forceplan.audit import audit_workbook

        checked = audit_workbook(plans[0], ledger=ledger, use_ledger=not no_ledger)
        payload["plan"] = checked.to_dict()
        payload["ok"] &= checked.ok
        if not json:
            ui.out.print(checked.text(), markup=False, highlight=False, soft_wrap=True)
    if ledger is not None:
        from forceplan.ledger import verify

        chain = verify(ledger)
        payload["ledger"] = chain.to_dict()
        payload["ok"] &= chain.ok
        if not json:
            ui.out.print(chain.text(), markup=False, highlight=False, soft_wrap=True)
    if json:
        ui.print_json(payload)
    elif not payload["ok"]:
        ui.err.print("audit FAILED", style="bold red")
    raise typer.Exit(int(ExitCode.OK if payload["ok"] else ExitCode.AUDIT_FAILED))


@app.command(epilog=_examples("forceplan history", "forceplan history --limit 5 --json"))
def history(
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", help="Ledger file \\[default: the user's ledger.sqlite]."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, help="Show the newest N runs.")
    ] = 20,
    head: Annotated[
        bool,
        typer.Option(
            "--head", help="Print only the newest record's hash (to publish it elsewhere)."
        ),
    ] = False,
    verify_chain: Annotated[
        bool,
        typer.Option("--verify", help="Only verify the chain (exit 5 if it is broken)."),
    ] = False,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            help="A head hash published earlier: it must still be in the chain (with --verify).",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """List the solves recorded in the run ledger, with the chain's verdict."""
    from forceplan.ledger import GENESIS, default_path, read_records, show_history, verify

    path = ledger or default_path()
    if not path.exists():
        if head or verify_chain or expect:
            raise ForceplanError(f"no ledger at {path} (choose one with --ledger PATH)")
        if json:
            ui.print_json({"ledger": str(path), "records": [], "chain_ok": True})
        else:
            ui.out.print(f"No runs recorded yet ({path} does not exist).", markup=False)
        return
    chain = verify(path, expect)
    if head:
        if json:
            ui.print_json(
                {
                    "ledger": str(path),
                    "head": chain.head or GENESIS,
                    "records": chain.records,
                    "chain_ok": chain.ok,
                }
            )
        else:
            typer.echo(chain.head or GENESIS)
        raise typer.Exit(int(ExitCode.OK if chain.ok else ExitCode.AUDIT_FAILED))
    if verify_chain or expect:
        if json:
            ui.print_json(chain.to_dict())
        else:
            ui.out.print(chain.text(), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(int(ExitCode.OK if chain.ok else ExitCode.AUDIT_FAILED))
    records = read_records(path, limit)
    if json:
        ui.print_json({"ledger": str(path), "records": records, "chain": chain.to_dict()})
    else:
        show_history(ui.out, path, records, chain)


_GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose")


def _global_flags_first(args: list[str]) -> list[str]:
    """Accept `forceplan solve x.xlsx -q` as well as `forceplan -q solve x.xlsx`."""
    flags = [a for a in args if a in _GLOBAL_FLAGS]
    return flags + [a for a in args if a not in _GLOBAL_FLAGS]


def _catch_ctrl_c() -> None:
    """Ctrl-C raises `Interrupted` (not KeyboardInterrupt, which click turns into its own
    blank line and "Aborted!"); one line, exit 130, no traceback."""
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise Interrupted("interrupted")

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupt)


def main() -> None:
    """Console-script entry point: maps every outcome to the documented exit codes.

    typer handles usage errors itself (exit 2, like any input error); a user mistake raised
    as ForceplanError prints one line (or a table of issues); anything else is a bug.
    """
    from forceplan.workbook.atomic import ignore_file_size_signal

    ignore_file_size_signal()  # past `ulimit -f` a write fails (exit 2), no SIGXFSZ death
    _catch_ctrl_c()
    try:
        app(args=_global_flags_first(sys.argv[1:]), prog_name="forceplan")
    except ForceplanError as exc:
        ui.user_error(exc)
        sys.exit(int(exc.exit_code))
    except (KeyboardInterrupt, Interrupted) as exc:
        text = str(exc) if isinstance(exc, Interrupted) else "interrupted"
        ui.error(text)
        sys.exit(130)
    except Exception as exc:  # a bug: one line here, the traceback in a log file
        log = ui.log_crash(exc)
        ui.error(f"internal error ({type(exc).__name__}: {exc}); details in {log}")
        sys.exit(int(ExitCode.INTERNAL))


if __name__ == "__main__":
    main()
