"""`forceplan explain PLAN.xlsx`: which limits are most worth relaxing, and what more money
from each source buys in each year — read from the plan workbook, nothing solved again.

Both come from `Plan_Constraints` (MODEL.md §8.8): the binding limits with the largest
shadow prices, in the sentences of `forceplan.prices`, and the `B2 source money` rows
("what 1 bn UAH more of national_budget in 2028 buys"). A plan whose status is not
optimal has no prices: explain says so and why, and exits 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forceplan.errors import ExitCode, ForceplanError
from forceplan.plan_reader import read_plan
from forceplan.prices import (
    NOTE_DEGENERATE_DOWN,
    NOTE_DEGENERATE_NONE,
    NOTE_MIP,
    NOTE_PENALTY,
    amount,
    blank,
    count_not_printed,
    number,
    priced_limits,
    truthy,
)

#: Plan_Constraints columns explain reads (a plan written before MODEL.md §8.8 lacks some).
REQUIRED = (
    "id",
    "kind",
    "index",
    "shadow_price",
    "binding",
    "side",
    "valid_from",
    "valid_to",
    "price_note",
)


class NoPricesError(ForceplanError):
    """The plan is not a proven optimum: it has no prices to explain."""

    exit_code = ExitCode.NOT_OPTIMAL


@dataclass
class Explanation:
    plan: Path
    status: str
    objective: str
    objective_value: float | None
    currency: str
    limits: list[dict[str, Any]] = field(default_factory=list)
    money: list[dict[str, Any]] = field(default_factory=list)
    not_shown: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": str(self.plan),
            "status": self.status,
            "objective": self.objective,
            "objective_value": self.objective_value,
            "currency": self.currency,
            "limits": self.limits,
            "money": self.money,
            "not_shown": self.not_shown,
        }


def explain_plan(path: Path, top: int = 10) -> Explanation:
    plan = read_plan(path)
    frame = plan.tables.get("Plan_Constraints")
    if frame is None:
        raise ForceplanError(
            f"{path} has no Plan_Constraints sheet: explain needs a plan workbook written by "
            "`forceplan solve`"
        )
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ForceplanError(
            f"{path}: Plan_Constraints has no column {', '.join(missing)}: the plan was "
            "written by a forceplan without ranged prices (MODEL.md §8.8); solve it again"
        )
    from forceplan.status import OPTIMAL, WITH_SHORTFALLS, of_plan

    shortfalls = plan.tables.get("Plan_Shortfalls")
    status = of_plan(plan.run, 0 if shortfalls is None else len(shortfalls))
    if status not in (OPTIMAL, WITH_SHORTFALLS):  # both are proven optima, with prices
        raise NoPricesError(
            f"{path}: prices are not available: the plan's status is {status!r} "
            f"(Plan_Run: {plan.run.get('status')!r}), not a proven optimum, and only an "
            "optimum has shadow prices; "
            "solve again without a time limit (or with --elastic if it is infeasible)"
        )
    objective = str(plan.run.get("objective") or "min_cost")
    currency = str(plan.run.get("currency") or "")
    result = Explanation(Path(path), status, objective, plan.number("objective_value"), currency)
    result.limits = priced_limits(frame, objective, currency, top=top)
    result.money = money_by_source(frame, objective, currency)
    result.not_shown = count_not_printed(frame)
    return result


def money_by_source(frame: Any, objective: str, currency: str) -> list[dict[str, Any]]:
    """What one more block of money (1 bn, 1 mn or 1,000 of the currency, by the size of
    the amounts) from each source buys in each year, from the B2 source money rows."""
    rows = [
        r
        for r in frame.to_dict("records")
        if str(r["id"]) == "B2" and str(r.get("kind") or "") == "source money"
    ]
    if not rows:
        return []
    largest = max(
        (abs(x) for r in rows for x in (number(r.get("upper")), number(r.get("lower"))) if x),
        default=0.0,
    )
    block = 1e9 if largest >= 1e10 else (1e6 if largest >= 1e7 else 1e3)
    out = []
    for r in rows:
        source, _, year = str(r["index"]).rpartition(" ")
        price = number(r.get("shadow_price")) or 0.0
        out.append(
            {
                "source": source or str(r["index"]),
                "year": int(year) if year.isdigit() else None,
                "block": block,
                "shadow_price": price,
                "value_of_block": price * block,
                "binding": truthy(r.get("binding")),
                "valid_from": number(r.get("valid_from")),
                "valid_to": number(r.get("valid_to")),
                "price_note": "" if blank(r.get("price_note")) else str(r["price_note"]),
                "sentence": _money_sentence(r, source, year, price, block, objective, currency),
            }
        )
    return out


def _money_sentence(
    row: dict[str, Any],
    source: str,
    year: str,
    price: float,
    block: float,
    objective: str,
    currency: str,
) -> str:
    more = f"{amount(block, currency)} more of {source} in {year}"
    note = "" if blank(row.get("price_note")) else str(row["price_note"])
    if not truthy(row.get("binding")):
        left = number(row.get("slack"))
        unspent = f" ({amount(left, currency)})" if left else ""
        return f"{more} buys nothing: the plan leaves some of this money unspent{unspent}."
    if price == 0:
        better = "raise capability" if objective == "max_capability" else "lower the objective"
        return f"{more} buys nothing: more money from it would not {better}."
    if NOTE_DEGENERATE_NONE in note or NOTE_DEGENERATE_DOWN in note:
        return f"{more}: not priced (the price is degenerate and holds for no increase)."
    if objective == "max_capability":
        what = f"raises capability by {amount(price * block, 'points')}"
    else:
        unit = currency if objective == "min_cost" else "objective units"
        verb = "lowers" if price < 0 else "raises"
        what = f"{verb} {'total cost' if objective == 'min_cost' else 'the objective'} by "
        what += amount(abs(price * block), unit)
    limit = number(row.get("upper")) or number(row.get("lower")) or 0.0
    top = number(row.get("valid_to"))
    extra = []
    if top is not None and top - limit < block:
        extra.append(f"the price holds only up to {amount(top - limit, currency)} more")
    elif top is not None:
        extra.append(f"the price holds up to {amount(top, currency)} in all")
    if NOTE_PENALTY in note:
        extra.append("a penalty price from elastic mode")
    if NOTE_MIP in note:
        extra.append("given the whole units and items chosen")
    return f"{more} {what}" + (f" ({'; '.join(extra)})." if extra else ".")


def show_explanation(console: Any, result: Explanation) -> None:
    from rich.table import Table

    value = "" if result.objective_value is None else f" = {result.objective_value:,.2f}"
    console.print(f"{result.plan}: {result.status}, {result.objective}{value}")
    if result.limits:
        table = Table(title="The limits most worth relaxing", header_style="bold")
        table.add_column("#", justify="right")
        table.add_column("limit")
        table.add_column("what it means", overflow="fold")
        table.add_column("input cells", overflow="fold")
        for i, r in enumerate(result.limits, 1):
            table.add_row(
                str(i), f"{r['id']} {r['kind']} ({r['side']})", r["sentence"], r["source_cells"]
            )
        console.print(table)
    else:
        console.print("No binding limit has a price a sentence can state.")
    hidden = result.not_shown
    if hidden.get("degenerate") or hidden.get("no relaxation"):
        console.print(
            f"[dim]Not shown: {hidden.get('degenerate', 0):,} degenerate prices (not unique; "
            f"see price_note), {hidden.get('no relaxation', 0):,} rows no one can relax "
            "(a count's x ≥ 0, donations nobody offers).[/]"
        )
    if result.money:
        table = Table(title="What more money buys, by source and year", header_style="bold")
        table.add_column("source")
        table.add_column("year", justify="right")
        table.add_column("in words", overflow="fold")
        for m in result.money:
            table.add_row(m["source"], str(m["year"] or ""), m["sentence"])
        console.print(table)
