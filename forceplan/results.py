"""The solved model turned into plain pandas tables, one per `Plan_` sheet.

This is the only view of a solution that writers, reports, comparisons and the audit see.
Definitions (also in models/FORMULATION.md):
- Plan_Personnel.moves_in counts arrivals net of the arc's loss_rate; attrition is
  attr·S[y-1] + first_year_attr·A[y]; so strength = previous + accessions + moves_in
  - moves_out - separations - attrition holds row by row.
- Plan_Equipment.deliveries = orders arriving that year + scheduled deliveries;
  orders arriving after last_year are listed in `arrival_year` and on Plan_Summary.
- Plan_Training.capacity is the year's capacity plus all seats added so far (blank = no limit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyomo.core as pyo

from forceplan import output_schema
from forceplan.model.build import BuiltModel, Family
from forceplan.model.courseload import instructor_terms, profile
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
#: A price is penalty-driven when elastic penalties contribute more than this share of it.
PENALTY_SHARE = 1e-6


@dataclass
class PlanTables:
    tables: dict[str, pd.DataFrame]  # Plan_ sheet name -> table (Plan_Summary, Plan_Run last)
    summary: dict[str, Any]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _clean(x: float) -> float:
    """Round away solver noise (|x| < 1e-9) so tables do not show -0.0 or 1e-13."""
    return 0.0 if abs(x) < 1e-9 else x


def _v(var: Any) -> float:
    value = var.value
    return 0.0 if value is None else _clean(float(value))


def _money(var: Any, built: BuiltModel) -> float:
    """A money variable (spend, F, CARRY, GAP) in currency units."""
    return _v(var) * built.data.money_scale


def _finite_or_none(x: float) -> float | None:
    return None if math.isinf(x) else x


def personnel_table(built: BuiltModel) -> pd.DataFrame:
    d, m = built.data, built.model
    classes, arcs = built.classes, built.arcs
    fill = float(d.settings["unit_fill_rate"])
    ids = built.class_ids
    arcs_in: dict[int, list[int]] = {i: [] for i in range(len(classes))}
    arcs_out: dict[int, list[int]] = {i: [] for i in range(len(classes))}
    for k, (src, dst) in enumerate(arcs):
        arcs_out[ids[src]].append(k)
        arcs_in[ids[dst]].append(k)
    posts: dict[int, list[tuple[str, float]]] = {i: [] for i in range(len(classes))}
    for u, unit in d.units.items():
        for p, qty in unit.manning:
            posts[ids[p]].append((u, fill * qty))
    teaching = instructor_terms(d)  # C2 (§8.3): per year after entry j
    acc_load = [profile(d, d.classes[p].courses) for p in classes]
    arc_load = [profile(d, d.arcs[a].courses) for a in arcs]
    y0 = d.first_year

    def earlier(var: Any, key: Any, y: int) -> float:
        return _v(var[key, y]) if y >= y0 else 0.0

    direct = d.class_years["requirement"]
    rows = []
    for i, y in m.PY:
        p = classes[i]
        c = d.classes[p]
        prev = c.init if y == d.first_year else _v(m.S[i, y - 1])
        acc = _v(m.A[i, y])
        moved_in = [(k, _v(m.M[k, y])) for k in arcs_in[i]]
        requirement = direct.get((p, y), 0.0)
        requirement += sum(q * _v(m.N[u, y]) for u, q in posts[i])
        requirement += sum(r * earlier(m.TR, cname, y - j) for cname, j, r in teaching[p])
        rows.append(
            {
                "trade": p[0],
                "grade": p[1],
                "year": y,
                "strength": _v(m.S[i, y]),
                "accessions": acc,
                "separations": _v(m.X[i, y]),
                "moves_in": sum((1 - d.arcs[arcs[k]].loss) * v for k, v in moved_in),
                "moves_out": sum(_v(m.M[k, y]) for k in arcs_out[i]),
                "attrition": d.class_years["attr"][(p, y)] * prev
                + d.class_years["fyattr"][(p, y)] * acc,
                "limited_duty": _v(m.L[i, y]) if (i, y) in m.LD else 0.0,
                "training_load": sum(
                    share * earlier(m.A, i, y - j) for j, share in enumerate(acc_load[i])
                )
                + sum(
                    share * earlier(m.M, k, y - j)
                    for k in arcs_in[i]
                    for j, share in enumerate(arc_load[k])
                ),
                "requirement": requirement,
                "overstrength": _v(m.O[i, y]),
                "shortfall": _v(m.SH_manning[i, y]) if d.elastic else 0.0,
            }
        )
    return _frame(rows, "Plan_Personnel")


def transitions_table(built: BuiltModel) -> pd.DataFrame:
    d, m = built.data, built.model
    rows = []
    for k, y in m.AY:
        (ft, fg), (tt, tg) = a = built.arcs[k]
        moved = _v(m.M[k, y])
        rows.append(
            {
                "from_trade": ft,
                "from_grade": fg,
                "to_trade": tt,
                "to_grade": tg,
                "year": y,
                "moved": moved,
                "lost": d.arcs[a].loss * moved,
            }
        )
    return _frame(rows, "Plan_Transitions")


def training_table(built: BuiltModel) -> pd.DataFrame:
    d, m = built.data, built.model
    rows = []
    added: dict[str, float] = {}
    for c, y in m.CY:
        expansion = _v(m.EXP[c, y]) if (c, y) in m.EY else 0.0
        added[c] = added.get(c, 0.0) + expansion
        capacity = d.capacity[(c, y)] + added[c]
        trainees = _v(m.TR[c, y])
        on_course = sum(  # C2 (§8.3): entrants of the years a trainee holds a seat
            _v(m.TR[c, y - j]) for j in range(d.courses[c].seat_years) if y - j >= d.first_year
        )
        rows.append(
            {
                "course": c,
                "year": y,
                "trainees": trainees,
                "capacity": _finite_or_none(capacity),
                "expansion": expansion,
                "utilisation": None
                if math.isinf(capacity)
                else (on_course / capacity if capacity > 0 else (0.0 if on_course == 0 else None)),
            }
        )
    return _frame(rows, "Plan_Training")


def cohorts_table(built: BuiltModel) -> pd.DataFrame:
    """Plan_Cohorts (MODEL.md §8.2): strength by years served of the classes with a service
    limit; `leaving` = the survivors of the last cohort, who leave the class the next year."""
    d, m = built.data, built.model
    rows = []
    for i, k, y in getattr(m, "PKY", ()):
        p = built.classes[i]
        c = d.classes[p]
        strength = _v(m.SC[i, k, y])
        rows.append(
            {
                "trade": p[0],
                "grade": p[1],
                "years_served": k,
                "year": y,
                "strength": strength,
                "leaving": strength if k == c.max_service - 1 else 0.0,
            }
        )
    return _frame(rows, "Plan_Cohorts")


def units_table(built: BuiltModel) -> pd.DataFrame:
    d, m = built.data, built.model
    rows = [
        {
            "unit_type": u,
            "year": y,
            "units": _v(m.N[u, y]),
            "activations": _v(m.ACT[u, y]),
            "disbandments": _v(m.DIS[u, y]),
            "shortfall": _v(m.SH_units[u, y]) if d.elastic else 0.0,
        }
        for (u, y) in m.UY
    ]
    return _frame(rows, "Plan_Units")


def equipment_table(built: BuiltModel) -> pd.DataFrame:
    d, m = built.data, built.model
    ey = d.equipment_years
    fill = float(d.settings["equipment_fill_rate"])
    rows = []
    for e, y in m.QY:
        item = d.equipment[e]
        arriving = _v(m.ORD[e, y - item.lead]) if y - item.lead >= d.first_year else 0.0
        need = ey["requirement"].get((e, y), 0.0) + sum(
            fill * q * _v(m.N[u, y])
            for u, unit in d.units.items()
            for eq, q in unit.equipping
            if eq == e
        )
        rows.append(
            {
                "equipment": e,
                "year": y,
                "stock": _v(m.Q[e, y]),
                "orders": _v(m.ORD[e, y]),
                "deliveries": arriving + ey["scheduled"].get((e, y), 0.0),
                "donations": _v(m.DON[e, y]),
                "disposals": _v(m.DSP[e, y]),
                "requirement": need,
                "shortfall": _v(m.SH_equipment[e, y]) if d.elastic else 0.0,
                "arrival_year": y + item.lead,
                "attrition": ey["attr"][(e, y)]
                * (item.init if y == d.first_year else _v(m.Q[e, y - 1])),
            }
        )
    return _frame(rows, "Plan_Equipment")


def budget_table(built: BuiltModel) -> pd.DataFrame:
    d, m = built.data, built.model
    committed = getattr(m, "COMMIT", {})  # payments after the horizon of orders placed in y
    rows = [
        {
            "line": b,
            "year": y,
            "spend": _money(m.spend[b, y], built),
            "discounted_spend": d.discount[y] * _money(m.spend[b, y], built),
            "committed_after_horizon": _money(committed[b, y], built)
            if (b, y) in committed
            else 0.0,
            "funding_gap": _money(m.GAP[b, y], built)
            if d.elastic and d.funding is not None
            else 0.0,
        }
        for (b, y) in m.BY
    ]
    return _frame(rows, "Plan_Budget")


def funding_tables(built: BuiltModel) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plan_Funding and Plan_Allocation, money in base currency (§8.6): a foreign source's
    own-currency figures (`*_own`) times the year's `rate`; unspent = carried_out + lapsed."""
    d, m = built.data, built.model
    funding_rows, allocation_rows = [], []
    if d.funding is not None:
        spent: dict[tuple[str, int], float] = {}  # own currency
        for s, line, y in m.F_index:
            own = _money(m.F[s, line, y], built)
            rate = d.rate(d.funding[s].currency, y)
            allocation_rows.append({"source": s, "line": line, "year": y, "amount": own * rate})
            spent[(s, y)] = spent.get((s, y), 0.0) + own
        for s, src in d.funding.items():
            carried_in = 0.0
            for y in d.years:
                available = src.amount.get(y, 0.0) + carried_in
                used = spent.get((s, y), 0.0)
                carried = _carried_out(built, s, y)
                rate = d.rate(src.currency, y)
                own = {
                    "available_own": available,
                    "spent_own": used,
                    "unspent_own": available - used,
                    "carried_out_own": carried,
                    "lapsed_own": _noise(available - used - carried, available),
                }
                funding_rows.append(
                    {"source": s, "year": y}
                    | {k.removesuffix("_own"): v * rate for k, v in own.items()}
                    | {"rate": rate}
                    | own
                    | {"currency": src.currency or str(d.settings.get("currency") or "")}
                )
                carried_in = carried
    return (_frame(funding_rows, "Plan_Funding"), _frame(allocation_rows, "Plan_Allocation"))


def _noise(x: float, size: float) -> float:
    """A difference of large values: solver noise (1e-9 of their size) reads as 0."""
    return 0.0 if abs(x) <= 1e-9 * max(1.0, abs(size)) else x


def _carried_out(built: BuiltModel, s: str, y: int) -> float:
    """Money of source s (own currency) still spendable after year y."""
    d, m = built.data, built.model
    src = d.funding[s]
    if not src.vintaged:
        return _money(m.CARRY[s, y], built) if (s, y) in m.CY_carry else 0.0
    left = 0.0
    for v in range(y - (src.expires or 0) + 1, y + 1):  # vintages that live on after y
        if src.amount.get(v, 0.0) > 0:
            used = sum(_money(m.U[s, v, t], built) for t in range(v, y + 1) if (s, v, t) in m.UV)
            left += src.amount[v] - used
    return _clean(left)


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
    if fam.offer and side == "max" and upper == 0.0:
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
    tol = BINDING_RTOL * max(1.0, abs(limit))
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
    d = built.data
    rows = []
    for kind, variables in built.shortfalls.items():
        for var in variables:
            for index, v in var.items():
                amount = _money(v, built) if kind == "funding" else _v(v)
                if amount <= 1e-7:
                    continue
                where, year = _shortfall_where(built, var.local_name, index)
                rows.append(
                    {
                        "kind": kind,
                        "constraint": _SHORTFALL_IDS[var.local_name],
                        "where": where,
                        "year": year,
                        "amount": amount,
                        "penalty": d.penalties[kind] * amount,
                    }
                )
    return _frame(rows, "Plan_Shortfalls")


_SHORTFALL_IDS = {
    "SH_manning": "P2",
    "SH_under": "P7",
    "SH_over": "P7",
    "SH_under_other": "P7",
    "SH_over_other": "P7",
    "SH_ratio_low": "P8",
    "SH_ratio_high": "P8",
    "SH_units": "U1",
    "SH_equipment": "E2",
    "GAP": "B2",
}


def _shortfall_where(built: BuiltModel, name: str, index: Any) -> tuple[str, int]:
    d = built.data
    if name == "SH_manning":
        p = built.classes[index[0]]
        return f"{p[0]}/{p[1]} manning below requirement", index[1]
    if name in ("SH_under_other", "SH_over_other"):
        side = "below EndStrength.min_total" if name == "SH_under_other" else "above max_total"
        return f"{index[0]} strength {side}", index[1]
    if name == "SH_under":
        return "total strength below EndStrength.min_total", index
    if name == "SH_over":
        return "total strength above EndStrength.max_total", index
    if name in ("SH_ratio_low", "SH_ratio_high"):
        side = "below min_ratio" if name == "SH_ratio_low" else "above max_ratio"
        return f"ratio {d.ratios[index[0]].name} {side}", index[1]
    if name == "SH_units":
        return f"{index[0]} units below min_units", index[1]
    if name == "SH_equipment":
        return f"{index[0]} stock below requirement", index[1]
    return f"{index[0]} spending not covered by any funding source", index[1]


def _frame(rows: list[dict[str, Any]], sheet: str) -> pd.DataFrame:
    """A Plan_ table with the registry's columns in sheet order, also when it has no rows; a
    column not declared in forceplan.output_schema is an error, not a silent drop."""
    return pd.DataFrame(rows, columns=output_schema.table_columns(sheet, rows))


def build_tables(built: BuiltModel, outcome: SolveOutcome) -> PlanTables:
    """All Plan_ tables of a solved model (call only when the outcome has a solution)."""
    funding, allocation = funding_tables(built)
    budget = budget_table(built)
    tables = {
        "Plan_Personnel": personnel_table(built),
        "Plan_Transitions": transitions_table(built),
        "Plan_Training": training_table(built),
        "Plan_Units": units_table(built),
        "Plan_Equipment": equipment_table(built),
        "Plan_Budget": budget,
        "Plan_Funding": funding,
        "Plan_Allocation": allocation,
        "Plan_Shortfalls": shortfalls_table(built),
        "Plan_Constraints": constraints_table(built, outcome),
    }
    if len(getattr(built.model, "PKY", ())):  # written only for classes with cohorts (§8.2)
        items = list(tables.items())
        items.insert(1, ("Plan_Cohorts", cohorts_table(built)))
        tables = dict(items)
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
