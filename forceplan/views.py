"""What `solve` and `diagnose` show: rich tables for people, one JSON object for programs."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from forceplan.pipeline import SolveRun

TOP_PRICES = 8


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
        "status": run.label,
        "solver_status": outcome.status,
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
    from forceplan import fmt
    from forceplan.status import explain, style

    outcome = run.outcome
    label = run.label
    console.print(f"[bold {style(label)}]{label}[/] — {explain(label)}")
    if outcome.message and label not in ("optimal", "optimal with shortfalls"):
        console.print(f"[dim]solver: {outcome.message}[/]")
    currency = str(run.inputs.settings.get("currency", "")) if run.inputs else ""
    if outcome.objective is not None:
        gap = f" (gap {outcome.gap:.2%})" if outcome.gap is not None else ""
        console.print(
            f"objective ({run.data.objective}): [bold]"
            f"{objective_text(run.data.objective, outcome.objective, currency)}[/]{gap}"
        )
    if run.tables is not None and not quiet:
        summary = run.tables.summary
        strength_table(console, summary["strength"], summary["end_strength_band"])
        spend_tables(console, run.tables.tables["Plan_Budget"], currency)
        _prices_table(console, run)
        shortfalls_table(console, run.tables.tables["Plan_Shortfalls"], "Shortfalls", currency)
        if summary["penalty"]:
            console.print(f"shortfall penalties: {fmt.money(summary['penalty'], currency)}")
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


def objective_text(objective: str, value: float | None, currency: str) -> str:
    """The objective value with its unit: money for min_cost, points for capability."""
    from forceplan import fmt

    if objective == "min_cost":
        return f"{fmt.money(value, currency)} (discounted)"
    if objective == "max_capability":
        return f"{fmt.number(value)} capability points"
    return fmt.number(value)


def strength_table(console: Console, strength: dict[int, float], band: dict[int, Any]) -> None:
    from forceplan import fmt

    table = Table(title="Total strength (persons)", header_style="bold")
    for col in ("year", "strength", "min_total", "max_total"):
        table.add_column(col, justify="right")
    for year, value in strength.items():
        lo, hi = [*(band.get(year) or ()), None, None][:2]
        table.add_row(fmt.year(year), fmt.count(value), fmt.count(lo), fmt.count(hi))
    console.print(table)


def spend_tables(console: Console, budget: Any, currency: str, value: str = "spend") -> None:
    """Spending by line and year in one money unit for the whole table (bn or mn, named in
    the title), split into blocks of years that fit the terminal."""
    from forceplan import fmt

    if budget is None or not len(budget):
        return
    pivot = budget.pivot_table(
        index="line", columns="year", values=value, aggfunc="sum", sort=False
    )
    pivot = pivot[pivot.abs().sum(axis=1) > 0]
    if not len(pivot):
        return
    unit = fmt.money_unit(pivot.to_numpy().ravel().tolist() + list(pivot.sum(axis=0)))
    rows = [(str(line), [fmt.scaled(v, unit) for v in values]) for line, values in pivot.iterrows()]
    rows.append(("total", [fmt.scaled(v, unit) for v in pivot.sum(axis=0)]))
    years = [fmt.year(y) for y in pivot.columns]
    title = f"Spending by budget line ({fmt.unit_label(unit[1], currency)}, undiscounted)"
    for table in year_blocks(title, "line", rows, years, console.width):
        console.print(table)


def year_blocks(
    title: str, label: str, rows: list[tuple[str, list[str]]], years: list[str], width: int
) -> list[Table]:
    """Tables of `rows` (label, one text per year) in blocks of as many years as fit in
    `width` columns; the last row is printed bold (a total)."""
    from rich import box

    name_width = max([len(label), *(len(r[0]) for r in rows)])
    cell_width = max([4, *(len(v) for _, values in rows for v in values)])
    # box.SIMPLE_HEAD: no vertical rules; each column takes its width + 2 of padding
    per_block = max(1, (width - name_width - 4) // (cell_width + 2))
    tables = []
    for start in range(0, len(years), per_block):
        block = years[start : start + per_block]
        suffix = "" if len(block) == len(years) else f" ({block[0]}–{block[-1]})"
        table = Table(title=title + suffix, header_style="bold", box=box.SIMPLE_HEAD)
        table.add_column(label, no_wrap=True)
        for year in block:
            table.add_column(year, justify="right", no_wrap=True)
        for i, (name, values) in enumerate(rows):
            cells = values[start : start + per_block]
            if i == len(rows) - 1 and name == "total":
                table.add_row(f"[bold]{name}[/]", *(f"[bold]{c}[/]" for c in cells))
            else:
                table.add_row(name, *cells)
        tables.append(table)
    return tables


def _prices_table(console: Console, run: SolveRun) -> None:
    prices = binding_prices(run)
    if not prices:
        return
    table = Table(
        title="Binding limits with the largest shadow prices (`forceplan explain` for more)",
        header_style="bold",
    )
    table.add_column("id")
    table.add_column("what it means", overflow="fold", ratio=2)
    table.add_column("input cells", overflow="fold", ratio=1)
    for p in prices:
        table.add_row(f"{p['id']} {p['side']}", p["sentence"], p["source_cells"])
    console.print(table)


def shortfalls_table(console: Console, frame: Any, title: str, currency: str = "") -> None:
    from forceplan import fmt

    if frame is None or frame.empty:
        return
    table = Table(title=title, header_style="bold")
    table.add_column("id")
    table.add_column("where", overflow="fold", ratio=3)
    table.add_column("year", justify="right")
    table.add_column("amount", justify="right", overflow="fold", ratio=1)
    for row in frame.itertuples(index=False):
        amount = fmt.money(row.amount, currency) if row.kind == "funding" else fmt.count(row.amount)
        table.add_row(row.constraint, row.where, fmt.year(row.year), amount)
    console.print(table)


#: IIS rows shown on screen; `--json` has all of them.
SHOW_CONFLICTS = 40


def show_infeasible(console: Console, run: SolveRun) -> None:
    if run.conflicts:
        table = Table(
            title="Requirements that cannot all hold together (solver IIS)", header_style="bold"
        )
        table.add_column("id")
        table.add_column("requirement", overflow="fold", ratio=2)
        table.add_column("where / year", overflow="fold", ratio=2)
        table.add_column("side")
        table.add_column("input cells", overflow="fold", ratio=2)
        for c in run.conflicts[:SHOW_CONFLICTS]:
            table.add_row(c.id, c.kind, c.index, c.side, ", ".join(c.cells))
        if len(run.conflicts) > SHOW_CONFLICTS:
            table.caption = (
                f"{len(run.conflicts) - SHOW_CONFLICTS} more rows: "
                "`forceplan diagnose WORKBOOK --json` lists all"
            )
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
        currency = str(run.inputs.settings.get("currency", "")) if run.inputs else ""
        shortfalls_table(
            console,
            elastic.tables.tables["Plan_Shortfalls"],
            "Smallest shortfalls that would make a plan possible (elastic re-solve)",
            currency,
        )
        console.print(
            "Re-run with [bold]--elastic[/] to get the full plan with these shortfalls priced in."
        )
