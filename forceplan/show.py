"""`forceplan show PLAN.xlsx`: a plan in the terminal, without Excel and without solving.

Read back from the plan workbook (python-calamine, values only): the status in the one
vocabulary of `forceplan.status`, the objective, total strength by year against the
end-strength band, spending by budget line and by funding source (one money unit per
table, blocks of years that fit the terminal) and the binding limits with the largest
shadow prices, in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan import fmt
from forceplan.plan_reader import Plan, read_plan

TOP_LIMITS = 8


@dataclass
class PlanView:
    plan: Plan
    settings: dict[str, Any]
    band: dict[int, tuple[float | None, float | None]]

    @property
    def currency(self) -> str:
        return str(self.settings.get("currency") or "UAH")

    @property
    def objective(self) -> str:
        return str(self.plan.run.get("objective") or self.settings.get("objective") or "")

    @property
    def label(self) -> str:
        from forceplan.status import of_plan

        shortfalls = self.plan.tables.get("Plan_Shortfalls")
        return of_plan(self.plan.run, 0 if shortfalls is None else len(shortfalls))

    def strength(self) -> dict[int, float]:
        frame = self.plan.tables.get("Plan_Personnel")
        if frame is None or not len(frame):
            return {}
        totals = frame.groupby("year")["strength"].sum()
        return {int(y): float(v) for y, v in totals.items()}

    def binding(self, limit: int = TOP_LIMITS) -> list[dict[str, Any]]:
        """Binding limits with the largest shadow prices, each with its sentence (the
        sentences of `forceplan.prices`, as in solve, report, compare and explain)."""
        from forceplan.prices import priced_limits

        frame = self.plan.tables.get("Plan_Constraints")
        return priced_limits(frame, self.objective, self.currency, top=limit)

    def to_dict(self) -> dict[str, Any]:
        run = self.plan.run
        return {
            "plan": str(self.plan.path),
            "title": self.settings.get("title"),
            "status": self.label,
            "solver_status": run.get("solver_status") or run.get("status"),
            "objective": self.objective,
            "objective_value": self.plan.number("objective_value"),
            "currency": self.currency,
            "strength": self.strength(),
            "end_strength_band": {y: list(b) for y, b in self.band.items()},
            "spend_by_line": _sums(self.plan.tables.get("Plan_Budget"), "line", "spend"),
            "spend_by_source": _sums(self.plan.tables.get("Plan_Allocation"), "source", "amount"),
            "binding": self.binding(),
        }


def read_view(path: Path) -> PlanView:
    """Read a plan workbook for `show` (exit 2 with a clear message if it is not one)."""
    plan = read_plan(Path(path))
    return PlanView(plan, _settings(plan.path), _band(plan.path))


def _settings(path: Path) -> dict[str, Any]:
    frame = _input_sheet(path, "Settings")
    if frame is None or not {"key", "value"} <= set(frame.columns):
        return {}
    return {
        str(k).strip(): v
        for k, v in zip(frame["key"], frame["value"], strict=True)
        if not _blank(k)
    }


def _band(path: Path) -> dict[int, tuple[float | None, float | None]]:
    frame = _input_sheet(path, "EndStrength")
    if frame is None or "year" not in frame.columns:
        return {}
    band = {}
    for row in frame.to_dict("records"):
        year = fmt.as_float(row.get("year"))
        if year is not None:
            band[int(year)] = (
                fmt.as_float(row.get("min_total")),
                fmt.as_float(row.get("max_total")),
            )
    return band


def _input_sheet(path: Path, name: str) -> Any:
    """An input sheet of the plan workbook as a table (None if absent or unreadable)."""
    import pandas as pd

    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            match = [n for n in book.sheet_names if n.strip().lower() == name.lower()]
            if not match:
                return None
            frame = pd.read_excel(book, sheet_name=match[0])
    except Exception:  # the Plan_ sheets were read already: the rest is optional
        return None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _sums(frame: Any, key: str, value: str) -> dict[str, float]:
    if frame is None or not len(frame) or not {key, value} <= set(frame.columns):
        return {}
    return {str(k): float(v) for k, v in frame.groupby(key, sort=False)[value].sum().items()}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


# --- rendering -------------------------------------------------------------------------


def show_plan(console: Any, view: PlanView) -> None:
    from rich.markup import escape
    from rich.table import Table

    from forceplan.status import explain, style
    from forceplan.views import objective_text, spend_tables, strength_table, year_blocks

    plan, run = view.plan, view.plan.run
    title = view.settings.get("title")
    console.print(f"[bold]{escape(str(title or plan.path.name))}[/]")
    console.print(
        f"[dim]{escape(str(plan.path))} · {escape(view.plan.classification)} · "
        f"solved {escape(str(run.get('date') or '?'))}[/]"
    )
    label = view.label
    console.print(f"[bold {style(label)}]{label}[/] — {explain(label)}")
    value = plan.number("objective_value")
    if value is not None:
        console.print(
            f"objective ({view.objective}): [bold]"
            f"{objective_text(view.objective, value, view.currency)}[/]"
        )
    strength = view.strength()
    if strength:
        strength_table(console, strength, view.band)
    spend_tables(console, plan.tables.get("Plan_Budget"), view.currency)
    allocation = plan.tables.get("Plan_Allocation")
    if allocation is not None and len(allocation):
        pivot = allocation.pivot_table(
            index="source", columns="year", values="amount", aggfunc="sum", sort=False
        )
        unit = fmt.money_unit(pivot.to_numpy().ravel().tolist() + list(pivot.sum(axis=0)))
        rows = [(str(s), [fmt.scaled(v, unit) for v in values]) for s, values in pivot.iterrows()]
        rows.append(("total", [fmt.scaled(v, unit) for v in pivot.sum(axis=0)]))
        years = [fmt.year(y) for y in pivot.columns]
        head = f"Spending by funding source ({fmt.unit_label(unit[1], view.currency)})"
        for table in year_blocks(head, "source", rows, years, console.width):
            console.print(table)
    shortfalls = plan.tables.get("Plan_Shortfalls")
    if shortfalls is not None and len(shortfalls):
        from forceplan.views import shortfalls_table

        shortfalls_table(console, shortfalls, "Shortfalls", view.currency)
    limits = view.binding()
    if limits:
        table = Table(title="Binding limits with the largest shadow prices", header_style="bold")
        table.add_column("id")
        table.add_column("what one more unit is worth", overflow="fold", ratio=2)
        table.add_column("input cells", overflow="fold", ratio=1)
        for row in limits:
            table.add_row(
                f"{row['id']} {row['side']}",
                escape(row["sentence"]),
                escape(str(row["source_cells"])),
            )
        console.print(table)
