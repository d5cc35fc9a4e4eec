"""Units and meanings of the plan workbook's output columns (MODEL.md §6, §8.9).

The column names themselves are the contract (`schema.PLAN_COLUMNS` and
`results.EXTRA_COLUMNS`): units are never put in a header. They are shown by the cells'
number formats and by a comment on each header cell, both driven by this registry, so a
new output column is one entry here (tests/test_output_columns.py checks that every
output column has one).

Kinds:
- text, flag: no number format;
- year: `0` (2026, never 2,026);
- count: persons or items, `#,##0`;
- units: unit counts, `#,##0.0` (fractions of a unit matter in an LP);
- money: the workbook's currency, undiscounted unless the meaning says so; the format
  shows millions ("940,149.1 mn") when the sheet's amounts reach millions;
- share: fractions shown as %;
- mixed: a constraint row's own unit (persons, items or currency), `#,##0.00`;
- money_own: money in a funding source's own currency (§8.6), formatted like money;
- price, range: a shadow price and the limits it holds between; rate: exchange rates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputColumn:
    kind: str
    meaning: str


def _c(kind: str, meaning: str) -> OutputColumn:
    return OutputColumn(kind, meaning)


_YEAR = _c("year", "planning year (end-of-year values)")

OUTPUT_COLUMNS: dict[str, dict[str, OutputColumn]] = {
    "Plan_Personnel": {
        "trade": _c("text", "trade"),
        "grade": _c("text", "grade"),
        "year": _YEAR,
        "strength": _c("count", "persons in the class at the end of the year"),
        "accessions": _c("count", "persons recruited into the class in the year"),
        "separations": _c("count", "managed separations in the year (persons)"),
        "moves_in": _c("count", "persons arriving by promotion or cross-training, net of loss"),
        "moves_out": _c("count", "persons leaving the class by promotion or cross-training"),
        "attrition": _c("count", "persons lost to attrition in the year"),
        "limited_duty": _c("count", "persons on limited duty"),
        "training_load": _c("count", "persons in training (not available for posts)"),
        "requirement": _c(
            "count", "posts to fill: direct requirement + unit manning + instructors (persons)"
        ),
        "overstrength": _c("count", "persons above the requirement"),
        "shortfall": _c("count", "posts not filled (elastic mode), persons"),
    },
    "Plan_Cohorts": {
        "trade": _c("text", "trade"),
        "grade": _c("text", "grade"),
        "years_served": _c(
            "count", "completed years of service in the class (0 = joined this year)"
        ),
        "year": _YEAR,
        "strength": _c("count", "persons in the cohort at the end of the year"),
        "leaving": _c(
            "count", "persons at the service limit: they leave the class the next year (persons)"
        ),
    },
    "Plan_Transitions": {
        "from_trade": _c("text", "trade moved from"),
        "from_grade": _c("text", "grade moved from"),
        "to_trade": _c("text", "trade moved to"),
        "to_grade": _c("text", "grade moved to"),
        "year": _YEAR,
        "moved": _c("count", "persons moved in the year (before loss)"),
        "lost": _c("count", "persons lost on the way (loss_rate)"),
    },
    "Plan_Training": {
        "course": _c("text", "course"),
        "year": _YEAR,
        "trainees": _c("count", "trainees starting the course in the year (persons)"),
        "capacity": _c("count", "seats in the year incl. all expansion so far (blank: no limit)"),
        "expansion": _c("count", "seats added in the year (permanent)"),
        "utilisation": _c("share", "trainees / capacity"),
    },
    "Plan_Units": {
        "unit_type": _c("text", "unit type"),
        "year": _YEAR,
        "units": _c("units", "units at the end of the year"),
        "activations": _c("units", "units stood up in the year"),
        "disbandments": _c("units", "units disbanded in the year"),
        "shortfall": _c("units", "units below min_units (elastic mode)"),
    },
    "Plan_Equipment": {
        "equipment": _c("text", "equipment item"),
        "year": _YEAR,
        "stock": _c("count", "items on hand at the end of the year"),
        "orders": _c("count", "items ordered in the year"),
        "deliveries": _c("count", "items delivered in the year (orders arriving + scheduled)"),
        "donations": _c("count", "items donated in the year"),
        "disposals": _c("count", "items disposed of in the year"),
        "requirement": _c("count", "items required (direct + unit equipping)"),
        "shortfall": _c("count", "items below the requirement (elastic mode)"),
        "arrival_year": _c("year", "year an order placed this year arrives"),
        "attrition": _c("count", "items lost to attrition in the year"),
    },
    "Plan_Budget": {
        "line": _c("text", "budget line"),
        "year": _YEAR,
        "spend": _c("money", "spending on the line in the year, undiscounted"),
        "discounted_spend": _c("money", "spend × discount factor of the year"),
        "committed_after_horizon": _c(
            "money", "payments after the last year for orders placed in this year"
        ),
        "funding_gap": _c("money", "spending no funding source covers (elastic mode)"),
    },
    "Plan_BudgetGrid": {
        "line": _c("text", "budget line (rows: lines, then total and funding available)"),
    },
    "Plan_Funding": {
        "source": _c("text", "funding source"),
        "year": _YEAR,
        "available": _c("money", "money available in the year incl. carry-over"),
        "spent": _c("money", "money spent from the source in the year"),
        "unspent": _c("money", "available - spent"),
        "carried_out": _c("money", "money carried to the next year"),
        "lapsed": _c("money", "money that expires unspent in the year"),
        "rate": _c("rate", "exchange rate: base currency per unit of the source's currency"),
        "available_own": _c("money_own", "available, in the source's own currency"),
        "spent_own": _c("money_own", "spent, in the source's own currency"),
        "unspent_own": _c("money_own", "unspent, in the source's own currency"),
        "carried_out_own": _c("money_own", "carried out, in the source's own currency"),
        "lapsed_own": _c("money_own", "lapsed, in the source's own currency"),
        "currency": _c("text", "the source's own currency"),
    },
    "Plan_Allocation": {
        "source": _c("text", "funding source"),
        "line": _c("text", "budget line"),
        "year": _YEAR,
        "amount": _c("money", "money the source pays for the line in the year"),
    },
    "Plan_Shortfalls": {
        "kind": _c("text", "penalty kind"),
        "constraint": _c("text", "constraint ID"),
        "where": _c("text", "what falls short"),
        "year": _YEAR,
        "amount": _c("mixed", "how much: persons, units or items; currency for funding"),
        "penalty": _c("money", "penalty added to the objective, undiscounted"),
    },
    "Plan_Constraints": {
        "id": _c("text", "constraint ID (models/FORMULATION.md)"),
        "index": _c("text", "what and which year"),
        "value": _c("mixed", "the row's value, in its own unit (persons, items, currency)"),
        "lower": _c("mixed", "lower limit (blank: none)"),
        "upper": _c("mixed", "upper limit (blank: none)"),
        "slack": _c("mixed", "distance to the nearest limit"),
        "shadow_price": _c(
            "price",
            "change of the objective per unit more of the binding "
            "limit (objective units per row unit)",
        ),
        "binding": _c("flag", "TRUE when the row is at a limit"),
        "source_cells": _c("text", "input cells the row comes from"),
        "side": _c("text", "which limit the price is for: min, max or fixed"),
        "valid_from": _c("range", "the price holds for a limit from this value (HiGHS ranging)"),
        "valid_to": _c("range", "... up to this value (blank: no end)"),
        "price_note": _c("text", "what the price means (degenerate, penalty-driven ...)"),
        "kind": _c("text", "what kind of limit"),
    },
    "Plan_Run": {
        "key": _c("text", "what"),
        "value": _c("text", "value"),
    },
}

#: Number format of each kind (money: see `money_format`).
KIND_FORMAT = {
    "year": "0",
    "count": "#,##0",
    "units": "#,##0.0",
    "share": "0.0%",
    "mixed": "#,##0.00",
    # prices and their ranges: whole money and small per-unit prices (as issue 12 chose)
    "price": "#,##0.00##",
    "range": "#,##0.00##",
    "rate": "#,##0.0000",
}

#: Kinds of money columns (the sheet's money unit, mn or currency units, applies to both).
MONEY_KINDS = ("money", "money_own")


def column(sheet: str, name: str) -> OutputColumn | None:
    return OUTPUT_COLUMNS.get(sheet, {}).get(name)


def header_comment(sheet: str, name: str, currency: str, money_unit: str = "") -> str | None:
    """The comment on an output header cell: meaning and unit."""
    col = column(sheet, name)
    if col is None:
        return None
    unit = {
        "year": "year",
        "count": "persons or items",
        "units": "units",
        "share": "fraction, shown as %",
        "mixed": "the row's own unit",
        "price": "objective units per unit of the row",
        "range": "the row's own unit",
        "rate": f"{currency or 'base currency'} per unit of the source's currency",
        "money_own": "the source's own currency (column currency)",
    }.get(col.kind, "")
    if col.kind == "money":
        unit = currency or "currency units"
    if col.kind in MONEY_KINDS and money_unit:
        unit += f"; shown in {'millions' if money_unit == 'mn' else 'billions'} "
        unit += f"({money_unit}), the cell holds the exact amount"
    return f"{name}: {col.meaning}" + (f"\nUnit: {unit}" if unit else "")
