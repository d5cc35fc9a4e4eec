"""What `solve` and `diagnose` show: rich tables for people, one JSON object for programs."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

from forceplan.pipeline import SolveRun

TOP_PRICES = 8


def _money(x: float | None) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:,.0f}"


def binding_prices(run: SolveRun, limit: int = TOP_PRICES) -> list[dict[str, Any]]:
    """The binding limits with the largest shadow prices, in plain words (the same
    sentences as the report, compare and explain: `forceplan.prices`)."""
    from forceplan.prices import priced_limits

    frame = run.tables.tables["Plan_Constraints"]
    currency = str(run.inputs.settings.get("currency", "") or "")
    return priced_limits(frame, run.data.objective, currency, top=limit)


def not_optimal_sentence(run: SolveRun) -> str:
    """Exit 4 in words: whether a (marked) plan was written."""
    if run.output:
        return (
            f"The best plan found when the solver stopped was written to {run.output}, marked "
            "NOT A PROVEN OPTIMUM on Plan_Summary and Plan_Run."
        )
    if run.outcome is not None and run.outcome.has_solution and not run.request.write:
        return "The solver stopped with a plan that is not a proven optimum (not written)."
    return "No plan was written: the solver had found no feasible plan when it stopped."


def solve_payload(run: SolveRun) -> dict[str, Any]:
    outcome = run.outcome
    payload: dict[str, Any] = {
        "workbook": str(run.request.workbook),
        "status": outcome.status,
        "message": outcome.message,
        "objective": outcome.objective,
        "objective_name": run.data.objective,
        "gap": outcome.gap,
        "output": str(run.output) if run.output else None,
        "plan_written": bool(run.output),
        "notes": list(run.notes),
        "timings": {k: round(v, 4) for k, v in run.timings.items()},
        "warnings": [i.to_dict() for i in run.issues if i.severity == "warning"],
    }
    if run.tables is not None:
        summary = run.tables.summary
        payload |= {
            "cost": summary["cost"],
            "capability": summary["capability"],
            "penalty": summary["penalty"],
            "strength": summary["strength"],
            "end_strength_band": summary["end_strength_band"],
            "spend_by_line": summary["spend_by_line"],
            "binding": binding_prices(run),
            "shortfalls": run.tables.tables["Plan_Shortfalls"].to_dict("records"),
        }
    if run.conflicts is not None or run.elastic_run is not None:
        payload["conflicts"] = [c.to_dict() for c in run.conflicts or []]
        payload["elastic"] = _elastic_payload(run.elastic_run)
    return payload


def _elastic_payload(elastic: SolveRun | None) -> dict[str, Any] | None:
    if elastic is None:
        return None
    shortfalls = (
        elastic.tables.tables["Plan_Shortfalls"].to_dict("records")
        if elastic.tables is not None
        else []
    )
    return {"status": elastic.outcome.status, "shortfalls": shortfalls}


def show_solve(console: Console, run: SolveRun, quiet: bool = False) -> None:
    outcome = run.outcome
    style = "green" if outcome.optimal else ("yellow" if outcome.has_solution else "red")
    console.print(f"[bold {style}]{outcome.status}[/] — {outcome.message}")
    if outcome.objective is not None:
        gap = f" (gap {outcome.gap:.2%})" if outcome.gap is not None else ""
        console.print(f"objective ({run.data.objective}): [bold]{outcome.objective:,.2f}[/]{gap}")
    if run.tables is not None and not quiet:
        _strength_table(console, run)
        _spend_table(console, run)
        _prices_table(console, run)
        _shortfalls_table(console, run.tables.tables["Plan_Shortfalls"], "Shortfalls")
    if run.conflicts is not None or run.elastic_run is not None:
        show_infeasible(console, run)
    if run.output:
        console.print(f"plan written to [bold]{run.output}[/]")
    for note in run.notes:
        console.print(f"[yellow]{note}[/]")
    if not outcome.optimal and outcome.status not in ("infeasible", "infeasible_or_unbounded"):
        console.print(not_optimal_sentence(run), style="yellow", markup=False)
    timings = ", ".join(f"{k} {v:.2f}s" for k, v in run.timings.items())
    console.print(f"[dim]{timings}[/]")


def _strength_table(console: Console, run: SolveRun) -> None:
    summary = run.tables.summary
    table = Table(title="Total strength by year (end of year)", header_style="bold")
    for col in ("year", "strength", "min_total", "max_total"):
        table.add_column(col, justify="right")
    for year, strength in summary["strength"].items():
        lo, hi = summary["end_strength_band"].get(year, (None, None))
        table.add_row(str(year), _money(strength), _money(lo), _money(hi))
    console.print(table)


def _spend_table(console: Console, run: SolveRun) -> None:
    budget = run.tables.tables["Plan_Budget"]
    pivot = budget.pivot_table(
        index="line", columns="year", values="spend", aggfunc="sum", sort=False
    )
    pivot = pivot[pivot.abs().sum(axis=1) > 0]
    currency = run.inputs.settings.get("currency", "")
    table = Table(title=f"Spending by budget line ({currency}, undiscounted)", header_style="bold")
    table.add_column("line")
    for year in pivot.columns:
        table.add_column(str(year), justify="right")
    for line, values in pivot.iterrows():
        table.add_row(str(line), *(_money(v) for v in values))
    table.add_row("[bold]total[/]", *(f"[bold]{_money(v)}[/]" for v in pivot.sum(axis=0)))
    console.print(table)


def _prices_table(console: Console, run: SolveRun) -> None:
    prices = binding_prices(run)
    if not prices:
        return
    table = Table(
        title="Binding limits with the largest shadow prices (`forceplan explain` for more)",
        header_style="bold",
    )
    table.add_column("id")
    table.add_column("what it means", overflow="fold")
    table.add_column("input cells", overflow="fold")
    for p in prices:
        table.add_row(f"{p['id']} {p['side']}", p["sentence"], p["source_cells"])
    console.print(table)


def _shortfalls_table(console: Console, frame: Any, title: str) -> None:
    if frame is None or frame.empty:
        return
    table = Table(title=title, header_style="bold")
    for col in ("constraint", "where", "year", "amount"):
        table.add_column(col, overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(row.constraint, row.where, str(row.year), f"{row.amount:,.2f}")
    console.print(table)


def show_infeasible(console: Console, run: SolveRun) -> None:
    if run.conflicts:
        table = Table(
            title="Requirements that cannot all hold together (solver IIS)", header_style="bold"
        )
        table.add_column("id")
        table.add_column("requirement")
        table.add_column("where / year")
        table.add_column("side")
        table.add_column("input cells", overflow="fold")
        for c in run.conflicts:
            table.add_row(c.id, c.kind, c.index, c.side, ", ".join(c.cells))
        console.print(table)
    elif run.conflicts is not None:
        limit = run.request.iis_time_limit
        within = f" within {limit:g} s" if limit is not None else ""
        console.print(
            f"[yellow]The solver could not isolate the conflicting requirements"
            f"{within}; `forceplan diagnose` searches longer (--iis-time-limit).[/]"
        )
    elastic = run.elastic_run
    if elastic is not None and elastic.tables is not None:
        _shortfalls_table(
            console,
            elastic.tables.tables["Plan_Shortfalls"],
            "Smallest shortfalls that would make a plan possible (elastic re-solve)",
        )
        console.print(
            "Re-run with [bold]--elastic[/] to get the full plan with these shortfalls priced in."
        )
