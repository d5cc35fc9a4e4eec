"""Units (U1, MODEL.md §3): the unit balance, minimum (elastic: with a shortfall) and
maximum units, the activation cap, and whole units when the plan was solved with them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan.audit import context as cx
from forceplan.audit import money as am
from forceplan.audit.context import Context
from forceplan.audit.prices import nz, rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("U1",)
BOUND_KINDS = {("U1", "unit limits"), ("U1", "activation cap")}
INVOLVES = {
    "U1": (
        "pu",
        "Plan_Units",
        ("unit_type",),
        ("units", "activations", "disbandments", "shortfall"),
        ("units",),
    ),
}


def derive(ctx: Context) -> None:
    ctx.pu["prev"] = cx.previous(ctx.pu, ["unit_type"], "units", ctx.y0)


def check(ctx: Context, checks: Checks) -> None:
    _u1_units(ctx, checks, ctx.integer_units)


def cost_terms(ctx: Context) -> list[pd.DataFrame]:
    """MODEL.md §7.5: om_cost on N, activation_cost on ACT, disbandment_cost on DIS."""
    pu = ctx.pu
    return [
        am.terms(pu, "units", pu["om_cost"] * pu["units"]),
        am.terms(pu, "units", pu["activation_cost"] * pu["activations"]),
        am.terms(pu, "units", pu["disbandment_cost"] * pu["disbandments"]),
    ]


def _u1_units(ctx: Context, checks: Checks, integer_units: bool) -> None:
    pu = ctx.pu
    checks.touch("U1")
    if not len(pu):
        return
    labels = cx.label(pu, "unit_type", "year")
    rhs = pu["prev"] + pu["activations"] - pu["disbandments"]
    checks.add("U1", labels + ": balance", pu["units"], "==", rhs)
    floor = pu["units"] + (pu["shortfall"].fillna(0.0) if ctx.elastic else 0.0)
    checks.add("U1", labels + ": ≥ min_units", floor, ">=", pu["min_units"])
    checks.add("U1", labels + ": ≤ max_units", pu["units"], "<=", pu["max_units"])
    checks.add("U1", labels + ": ≤ activation_max", pu["activations"], "<=", pu["activation_max"])
    cx.shortfall_zero(ctx, checks, "U1", pu, labels)
    if integer_units:
        for col in ("units", "activations", "disbandments"):
            x, r = cx.integer(pu[col])
            checks.add("U1", labels + f": {col} integer", x, "==", r)


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    pu, out = ctx.pu, {}
    if not len(pu):
        return out
    lab = cx.label(pu, "unit_type", "year")
    first = (pu["year"] == ctx.y0).to_numpy()
    floor = np.nan if ctx.elastic else nz(pu["min_units"])
    out[("U1", "unit limits")] = rebuilt(lab, pu["units"], floor, pu["max_units"])
    out[("U1", "activation cap")] = rebuilt(lab, pu["activations"], np.nan, pu["activation_max"])
    prev = np.where(first, 0.0, pu["prev"])
    base = np.where(first, pu["init"], 0.0)
    body = pu["units"] - prev - pu["activations"] + pu["disbandments"]
    out[("U1", "balance")] = rebuilt(lab, body, base, base, pu["units"])
    if ctx.elastic:
        have = pu["units"] + pu["shortfall"].fillna(0.0)
        out[("U1", "minimum (elastic)")] = rebuilt(lab, have, pu["min_units"], np.inf)
    return out


def integer_rows(ctx: Context, rows: pd.DataFrame) -> np.ndarray:
    """Bound rows of whole units: in a MIP their price is the reduced cost of a column fixed
    at its value, which may have either sign."""
    if not ctx.integer_units:
        return np.zeros(len(rows), dtype=bool)
    kinds = rows["kind"].isin(["unit limits", "activation cap"]).to_numpy()
    return (rows["id"] == "U1").to_numpy() & kinds
