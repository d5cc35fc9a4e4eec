"""The solved model turned into plain pandas tables, one per `Plan_` sheet.

This is the only view of a solution that writers, reports, comparisons and the audit see.
Each family module (schema.FAMILIES) contributes the rows of the sheets it owns
(`plan_rows`, definitions there and in models/FORMULATION.md); this module adds what every
family shares: Plan_Constraints (each registered row with its price and cells),
Plan_Shortfalls (each registered shortfall) and the headline figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyomo.core as pyo

from forceplan import output_schema
from forceplan.model.build import BuiltModel, Family, family_modules
from forceplan.model.core import clean as _clean
from forceplan.model.core import value as _v
from forceplan.model.sensitivity import Sensitivity
from forceplan.model.solve import SolveOutcome, row_activities
from forceplan.prices import (
    NOTE_DEGENERATE_DOWN,
    NOTE_DEGENERATE_NONE,
    NOTE_DEGENERATE_UP,
    NOTE_MIP,
    NOTE_NO_OFFER,
    NOTE_NO_RANGE,
    NOTE_PENALTY,
    NOTE_SIGN,
)

BINDING_RTOL = 1e-7
#: A price that holds for less than this change of its limit (in the limit's own unit: a
#: person, an item, a UAH) holds for no change in practice: HiGHS's ranging carries noise
#: of the order of its feasibility tolerance (1e-7) times the row's terms. Seen on the v2
#: example: a P10 cohort row at 0 priced -0.00338 "valid from -0.000004", while a warm
#: re-solve of the same LP prices it -0.00326; it is degenerate, not a price to publish.
DEGENERATE_ABS = 1e-5
#: A price is penalty-driven when elastic penalties contribute more than this share of it.
PENALTY_SHARE = 1e-6


@dataclass
class PlanTables:
    tables: dict[str, pd.DataFrame]  # Plan_ sheet name -> table (Plan_Summary, Plan_Run last)
    summary: dict[str, Any]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _unit_factors(built: BuiltModel, fam: Family) -> tuple[float, float]:
    """(value factor, price factor) from model units to the user's units.

    Money rows are in millions inside the model (data.money_scale = K). A minimised
    objective is in millions too: prices of headcount rows ×K, of money rows ×1. The
    capability objective is in points: headcount rows ×1, money rows ÷K (per currency unit).
    """
    k = built.data.money_scale
    if fam.money:
        return k, (1.0 if built.sense == "min" else 1.0 / k)
    return 1.0, (k if built.sense == "min" else 1.0)


def constraints_table(built: BuiltModel, outcome: SolveOutcome) -> pd.DataFrame:
    """Every limit and identity row with its stage-1 price (MODEL.md §8.8, see
    `forceplan.model.sensitivity` and models/FORMULATION.md "Shadow prices")."""
    sens = outcome.sensitivity
    lp = outcome.lp
    activities = row_activities(outcome)
    rows = []
    for fam in built.families:
        factors = _unit_factors(built, fam)
        if fam.is_bound:
            for index, var in fam.component.items():
                lower, upper = var.lb, var.ub
                if upper is None and not lower:
                    continue  # x ≥ 0 alone is a sign restriction, not a limit from the inputs
                col = None if lp is None else lp.col_of.get(id(var))
                price = _Price.of(sens, col, column=True, integer=not var.is_continuous())
                rows.append(_row(fam, index, _v(var), lower, upper, price, factors, built.sense))
        else:
            for index, con in fam.component.items():
                value, lower, upper = activities[con]
                row = None if lp is None else lp.row_of.get(con)
                price = _Price.of(sens, row, column=False, equality=lower == upper)
                rows.append(_row(fam, index, value, lower, upper, price, factors, built.sense))
    return _frame(rows, "Plan_Constraints")


@dataclass
class _Price:
    """One row's stage-1 price in model units, as HiGHS gave it."""

    dual: float
    basic: bool
    down: float | None  # ranging: how far the active bound may move with this price
    up: float | None
    penalty: float  # the part of `dual` that elastic penalties contribute
    fixed_integers: bool  # a MIP priced with its integer decisions fixed
    equality: bool = False  # an equality constraint: no min or max side
    is_column: bool = False
    integer: bool = False  # an integer column of a MIP

    @classmethod
    def of(
        cls,
        sens: Sensitivity | None,
        at: int | None,
        column: bool,
        equality: bool = False,
        integer: bool = False,
    ) -> _Price | None:
        if sens is None or at is None:
            return None
        dual = sens.col_dual if column else sens.row_dual
        basic = sens.col_basic if column else sens.row_basic
        ranges = sens.col_range if column else sens.row_range
        penalty = sens.col_penalty if column else sens.row_penalty
        down = up = None
        if ranges is not None:
            down, up = _finite(ranges[0][at]), _finite(ranges[1][at])
        return cls(
            float(dual[at]),
            bool(basic[at]),
            down,
            up,
            0.0 if penalty is None else float(penalty[at]),
            sens.fixed_integers,
            equality,
            column,
            integer,
        )


def _finite(x: float) -> float | None:
    return None if not math.isfinite(x) or abs(x) >= 1e29 else float(x)


def _row(fam, index, value, lower, upper, price, factors, sense) -> dict[str, Any]:
    label, cells = fam.describe(index)
    unit, price_unit = factors
    value *= unit
    lower = None if lower is None or math.isinf(lower) else float(lower) * unit
    upper = None if upper is None or math.isinf(upper) else float(upper) * unit
    if fam.is_bound and lower == 0.0 and upper != 0.0:
        lower = None  # x ≥ 0 is a sign restriction, not a limit (unless max = 0 too)
    slacks = [value - lower] if lower is not None else []
    if upper is not None:
        slacks.append(upper - value)
    slack = min(slacks) if slacks else None
    scale = max(1.0, abs(lower or 0.0), abs(upper or 0.0))
    binding = slack is not None and slack <= BINDING_RTOL * scale
    coincide = (
        lower is not None and upper is not None and abs(upper - lower) <= BINDING_RTOL * scale
    )
    if coincide:
        binding = True  # equality rows always hold exactly
    priced = _priced(fam, value, lower, upper, binding, coincide, price, unit, price_unit, sense)
    return {
        "id": fam.id,
        "index": label,
        "value": _clean(value),
        "lower": lower,
        "upper": upper,
        "slack": None if slack is None else _clean(slack),
        **priced,
        "binding": bool(binding),
        "source_cells": ", ".join(dict.fromkeys(cells)),
        "kind": fam.kind,
    }


def _priced(
    fam: Family,
    value: float,
    lower: float | None,
    upper: float | None,
    binding: bool,
    coincide: bool,
    price: _Price | None,
    unit: float,
    price_unit: float,
    sense: str,
) -> dict[str, Any]:
    """shadow_price, side, valid_from, valid_to and price_note of one row (user units).

    The price is the change of the stage-1 objective per unit increase of the row's
    binding bound (its `side`); [valid_from, valid_to] is where that bound may move with
    the price unchanged (HiGHS ranging).
    """
    out: dict[str, Any] = {
        "shadow_price": None,
        "side": _nearest_side(value, lower, upper, price),
        "valid_from": None,
        "valid_to": None,
        "price_note": "",
    }
    if price is None:
        return out
    dual = price.dual if binding else 0.0
    improving = dual < 0 if sense == "min" else dual > 0  # raising the bound helps
    if not binding:
        side = out["side"]
    elif price.equality:
        side = "equal"
    elif coincide:
        # both sides coincide: report the side whose relaxation improves the objective
        side = "equal" if dual == 0 else ("max" if improving else "min")
    else:
        side = out["side"]
    limit = value if not binding else (lower if side == "min" else upper)
    if limit is None:
        limit = value
    notes: list[str] = []
    if price.fixed_integers:
        down = up = None  # ranging of the LP with fixed integers says nothing about the MIP
        if dual != 0:
            notes.append(NOTE_MIP)
    elif not binding or price.basic:
        # off its bound (or basic at it): moving the bound away keeps the plan and price 0
        down, up = (limit, None) if side == "max" else (None, limit)
        if side == "equal":
            down = up = limit
        dual = 0.0
    elif price.down is None and price.up is None:
        down = up = None
        if dual != 0:
            notes.append(NOTE_NO_RANGE)
    else:
        down = None if price.down is None else price.down * unit
        up = None if price.up is None else price.up * unit
        if coincide and side == "max":
            down = limit  # the maximum cannot go below the minimum
        elif coincide and side == "min":
            up = limit
        if dual != 0:
            notes += _degenerate(limit, down, up, side if coincide and side != "equal" else None)
    if dual != 0 and abs(price.penalty) > PENALTY_SHARE * abs(price.dual):
        notes.append(NOTE_PENALTY)
    if dual != 0 and fam.is_bound and side == "min" and lower == 0.0:
        notes.append(NOTE_SIGN)
    if fam.offer and upper == 0.0:
        # whatever side is reported (a zero-priced 0 ≤ x ≤ 0 reads "equal"), a partner's
        # offer of 0 is no limit the planner can move
        notes.append(NOTE_NO_OFFER)
    out.update(
        shadow_price=_clean(dual * price_unit),
        side=side,
        valid_from=None if down is None else _clean(down),
        valid_to=None if up is None else _clean(up),
        price_note="; ".join(notes),
    )
    return out


def _degenerate(
    limit: float, down: float | None, up: float | None, forced: str | None
) -> list[str]:
    """The degeneracy note of a price that holds on [down, up] around `limit`. `forced`:
    the side of a limit whose sides coincide, which can only move towards relaxation."""
    tol = max(BINDING_RTOL * max(1.0, abs(limit)), DEGENERATE_ABS)
    below = math.inf if down is None else limit - down
    above = math.inf if up is None else up - limit
    if forced is not None:
        free = above if forced == "max" else below
        return [NOTE_DEGENERATE_NONE] if free <= tol else []
    if below <= tol and above <= tol:
        return [NOTE_DEGENERATE_NONE]
    if below <= tol:
        return [NOTE_DEGENERATE_UP]
    if above <= tol:
        return [NOTE_DEGENERATE_DOWN]
    return []


def _nearest_side(
    value: float, lower: float | None, upper: float | None, price: _Price | None
) -> str | None:
    if price is not None and price.equality:
        return "equal"
    if lower is None and upper is None:
        return None
    if lower is None:
        return "max"
    if upper is None:
        return "min"
    return "max" if abs(upper - value) <= abs(value - lower) else "min"


def shortfalls_table(built: BuiltModel) -> pd.DataFrame:
    """Every non-zero shortfall of elastic mode: kind, where, year, amount, penalty."""
    rows = []
    for kind, group in built.shortfalls.items():
        for shortfall in group:
            for index, v in shortfall.var.items():
                amount = built.money(v) if shortfall.money else _v(v)
                if amount <= 1e-7:
                    continue
                where, year = shortfall.where(index)
                rows.append(
                    {
                        "kind": kind,
                        "constraint": shortfall.id,
                        "where": where,
                        "year": year,
                        "amount": amount,
                        "penalty": shortfall.penalty * amount,
                    }
                )
    return _frame(rows, "Plan_Shortfalls")


def _frame(rows: list[dict[str, Any]], sheet: str) -> pd.DataFrame:
    """A Plan_ table with the registry's columns in sheet order, also when it has no rows; a
    column not declared in forceplan.output_schema is an error, not a silent drop."""
    return pd.DataFrame(rows, columns=output_schema.table_columns(sheet, rows))


def family_tables(built: BuiltModel) -> dict[str, pd.DataFrame]:
    """The Plan_ sheets the families contribute (each family module's `plan_rows`), in the
    order of the plan workbook (forceplan.output_schema.OUTPUT_SHEETS)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for module in family_modules():
        contribute = getattr(module, "plan_rows", None)
        if contribute is not None:
            for sheet, part in contribute(built).items():
                rows.setdefault(sheet, []).extend(part)
    order = {sheet.name: i for i, sheet in enumerate(output_schema.OUTPUT_SHEETS)}
    names = sorted(rows, key=lambda name: order.get(name, len(order)))
    return {name: _frame(rows[name], name) for name in names}


def build_tables(built: BuiltModel, outcome: SolveOutcome) -> PlanTables:
    """All Plan_ tables of a solved model (call only when the outcome has a solution)."""
    tables = family_tables(built)
    tables["Plan_Shortfalls"] = shortfalls_table(built)
    tables["Plan_Constraints"] = constraints_table(built, outcome)
    summary = headline(built, outcome, tables)
    return PlanTables(tables, summary)


def headline(
    built: BuiltModel, outcome: SolveOutcome, tables: dict[str, pd.DataFrame]
) -> dict[str, Any]:
    d, m = built.data, built.model
    personnel = tables["Plan_Personnel"]
    reserve = {p for p in d.classes if not d.active(p)}  # EndStrength's default counts active
    in_reserve = pd.Series(
        [(t, g) in reserve for t, g in zip(personnel["trade"], personnel["grade"], strict=True)],
        index=personnel.index,
        dtype=bool,
    )
    strength = personnel[~in_reserve].groupby("year")["strength"].sum()
    reserve_strength = personnel[in_reserve].groupby("year")["strength"].sum()
    budget = tables["Plan_Budget"]
    pipeline = tables["Plan_Equipment"].query("arrival_year > @d.years[-1] and orders > 0")
    return {
        "status": outcome.status,
        "message": outcome.message,
        "objective_name": d.objective,
        "objective": outcome.objective,
        "cost": float(pyo.value(m.cost)) * d.money_scale,
        "penalty": float(pyo.value(m.penalty)) * d.money_scale,
        "capability": float(pyo.value(m.capability)),
        "gap": outcome.gap,
        "elastic": d.elastic,
        "strength": {int(y): float(v) for y, v in strength.items()},
        "reserve_strength": {int(y): float(v) for y, v in reserve_strength.items()},
        "end_strength_band": {int(y): list(b) for y, b in sorted(d.end_strength.items())},
        "spend_by_line": budget.groupby("line", sort=False)["spend"].sum().to_dict(),
        "spend_by_year": {
            int(y): float(v) for y, v in budget.groupby("year")["spend"].sum().items()
        },
        "shortfalls": len(tables["Plan_Shortfalls"]),
        "committed_after_horizon": float(budget["committed_after_horizon"].sum()),
        "pipeline_orders": float(pipeline["orders"].sum()),
    }
