"""Equipment (E1, E2, MODEL.md §3): the stock balance with order arrivals after the lead
time, the order and donation caps, whole items, the stock against the requirement, and
the derived columns of Plan_Equipment (deliveries, requirement, arrival_year, attrition).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan.audit import context as cx
from forceplan.audit import money as am
from forceplan.audit.context import Context
from forceplan.audit.prices import rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("E1", "E2", "D:Plan_Equipment")
BOUND_KINDS = {("E1", "order cap"), ("E1", "donations on offer")}
INVOLVES = {
    "E1": (
        "pe",
        "Plan_Equipment",
        ("equipment",),
        ("stock", "orders", "donations", "disposals"),
        ("stock",),
    ),
    "E2": ("pe", "Plan_Equipment", ("equipment",), ("stock", "shortfall"), ()),
}


def derive(ctx: Context) -> None:
    """Previous stock, order arrivals, the stock requirement (unit kit + direct)."""
    pu, pe = ctx.pu, ctx.pe
    efill = float(ctx.settings.get("equipment_fill_rate") or 1.0)
    pe["prev"] = cx.previous(pe, ["equipment"], "stock", ctx.y0)
    arrivals = pe[["equipment", "year", "orders", "lead"]].copy()
    arrivals["year"] = arrivals["year"] + arrivals["lead"]  # orders before first_year: none
    cx.sum_into(pe, arrivals, ["equipment", "year"], "orders", "arriving")
    kit = cx.records(ctx.inputs, "Equipping").merge(
        pu[["unit_type", "year", "units"]], on="unit_type"
    )
    kit["need"] = efill * cx.num(kit["quantity"]).fillna(0.0) * kit["units"]
    cx.sum_into(pe, kit, ["equipment", "year"], "need", "unit_need")
    pe["calc_requirement"] = pe["unit_need"] + pe["req_direct"]
    pe["calc_deliveries"] = pe["arriving"] + pe["scheduled"]


def check(ctx: Context, checks: Checks) -> None:
    _e1_equipment(ctx, checks)
    _e2_requirement(ctx, checks)
    _derived_equipment(ctx, checks)
    _derived_timing(ctx, checks)


def cost_terms(ctx: Context) -> list[pd.DataFrame]:
    """MODEL.md §7.5: om_cost on the stock (line sustainment); the orders' payments follow
    their payment profile and currency (§8.7) and are added by the budget family."""
    return [am.terms(ctx.pe, "sustainment", ctx.pe["om_cost"] * ctx.pe["stock"])]


def _e1_equipment(ctx: Context, checks: Checks) -> None:
    pe = ctx.pe
    checks.touch("E1")
    if not len(pe):
        return
    labels = cx.label(pe, "equipment", "year")
    rhs = (
        (1 - pe["attr"]) * pe["prev"]
        + pe["arriving"]
        + pe["scheduled"]
        + pe["donations"]
        - pe["disposals"]
    )
    checks.add("E1", labels + ": balance", pe["stock"], "==", rhs)
    checks.add("E1", labels + ": ≤ donations_max", pe["donations"], "<=", pe["don_max"])
    checks.add("E1", labels + ": ≤ procurement_max", pe["orders"], "<=", pe["proc_max"])
    whole = pe[pe["integer"]]
    x, r = cx.integer(whole["orders"])
    checks.add("E1", labels[pe["integer"]] + ": orders integer", x, "==", r)


def _e2_requirement(ctx: Context, checks: Checks) -> None:
    pe = ctx.pe
    checks.touch("E2")
    if not len(pe):
        return
    labels = cx.label(pe, "equipment", "year")
    have = pe["stock"] + (pe["shortfall"].fillna(0.0) if ctx.elastic else 0.0)
    checks.add("E2", labels, have, ">=", pe["calc_requirement"])
    cx.shortfall_zero(ctx, checks, "E2", pe, labels)


def _derived_equipment(ctx: Context, checks: Checks) -> None:
    pe, fid = ctx.pe, "D:Plan_Equipment"
    checks.touch(fid)
    if len(pe):
        labels = cx.label(pe, "equipment", "year")
        cx.same(checks, fid, labels, pe, "deliveries", pe["calc_deliveries"])
        cx.same(checks, fid, labels, pe, "requirement", pe["calc_requirement"])


def _derived_timing(ctx: Context, checks: Checks) -> None:
    """Plan_Equipment arrival_year (order year + lead time) and attrition (of last year's
    stock)."""
    pe = ctx.pe
    equipment = ctx.tables.get("Plan_Equipment")
    if equipment is None or not len(pe):
        return
    cols = [str(c) for c in equipment.columns]
    lab = cx.label(pe, "equipment", "year")
    for col, want in (
        ("arrival_year", pe["year"] + pe["lead"]),
        ("attrition", pe["attr"] * pe["prev"]),
    ):
        if col in equipment and col in pe:
            cx.same(
                checks,
                "D:Plan_Equipment",
                cx.cells(pe, "Plan_Equipment", col, cols) + f" {col}: " + lab,
                pe.assign(**{col: pd.to_numeric(pe[col], errors="coerce")}),
                col,
                want.to_numpy(dtype=float),
            )


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    pe, out = ctx.pe, {}
    if not len(pe):
        return out
    lab = cx.label(pe, "equipment", "year")
    first = (pe["year"] == ctx.y0).to_numpy()
    out[("E1", "order cap")] = rebuilt(lab, pe["orders"], np.nan, pe["proc_max"])
    out[("E1", "donations on offer")] = rebuilt(lab, pe["donations"], np.nan, pe["don_max"])
    prev = np.where(first, 0.0, (1 - pe["attr"]) * pe["prev"])
    base = np.where(first, (1 - pe["attr"]) * pe["init"], 0.0) + pe["scheduled"]
    body = pe["stock"] - prev - pe["arriving"] - pe["donations"] + pe["disposals"]
    out[("E1", "balance")] = rebuilt(lab, body, base, base, pe["stock"])
    have = pe["stock"] + (pe["shortfall"].fillna(0.0) if ctx.elastic else 0.0)
    out[("E2", "stock ≥ requirement")] = rebuilt(
        lab, have - pe["unit_need"], pe["req_direct"], np.inf, pe["stock"]
    )
    return out


def integer_rows(ctx: Context, rows: pd.DataFrame) -> np.ndarray:
    """Order caps of whole items: in a MIP their price may have either sign."""
    pe = ctx.pe
    mask = np.zeros(len(rows), dtype=bool)
    if len(pe) and pe["integer"].any():
        whole = set(cx.label(pe[pe["integer"]], "equipment", "year"))
        caps = ((rows["id"] == "E1") & (rows["kind"] == "order cap")).to_numpy()
        mask |= caps & rows["index"].isin(whole).to_numpy()
    return mask
