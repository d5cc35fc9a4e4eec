"""End strength and ratios (P7, P8, MODEL.md §3, §8.4): the glide path per component and
the grade pyramid / trade mix ratios of active classes.

In elastic mode both are priced, not hard: the shortfalls the plan implies (the amount by
which a side is missed) are left in `ctx.implied["P7"]` and `["P8"]` for the objective
(OBJ) and the shortfall listing (SH); they equal the solver's shortfall variables at an
optimum because every penalty is positive.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from forceplan import schema
from forceplan.audit import context as cx
from forceplan.audit.context import Context
from forceplan.audit.prices import rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("P7", "P8")


def check(ctx: Context, checks: Checks) -> None:
    _p7_end_strength(ctx, checks)
    _p8_ratios(ctx, checks)


def total_strength(ctx: Context, component: str = "active") -> pd.Series:
    """Strength per year of the classes a component counts (MODEL.md §8.4)."""
    pp = ctx.pp
    if component != "all":
        pp = pp[pp["component"] == component]
    return pp.groupby("year", sort=True)["strength"].sum()


def _p7_end_strength(ctx: Context, checks: Checks) -> None:
    checks.touch("P7")
    band = cx.records(ctx.inputs, "EndStrength")
    totals = {c: total_strength(ctx, c) for c in schema.END_STRENGTH_COMPONENTS}
    rows = []
    for rec in band.itertuples(index=False):
        year = int(rec.year)
        component = rec.component or "active"
        lo = float(rec.min_total or 0.0)
        hi = float(rec.max_total) if rec.max_total is not None else math.inf
        s = float(totals[component].get(year, 0.0))
        rows.append((year, max(0.0, lo - s), max(0.0, s - hi) if math.isfinite(hi) else 0.0))
        if ctx.elastic:
            continue  # both sides are priced: see OBJ and SH
        what = "total" if component == "active" else f"{component} total"
        checks.add("P7", f"{what} {year}: ≥ min_total", s, ">=", lo)
        checks.add("P7", f"{what} {year}: ≤ max_total", s, "<=", hi)
    if ctx.elastic:
        # the shortfalls the plan implies are ≥ 0 by construction: the rows are counted here,
        # their price is checked in OBJ and their amounts in SH
        checks.passed("P7", [f"total {y} (elastic)" for y, _u, _o in rows])
    ctx.implied["P7"] = pd.DataFrame(rows, columns=["year", "under", "over"])


def _ratio_classes(ctx: Context, rec: Any, side: str) -> np.ndarray:
    pp = ctx.pp
    trades = cx.pick(cx.names(getattr(rec, f"{side}_trades")), set(pp["trade"]))
    grades = cx.pick(cx.names(getattr(rec, f"{side}_grades")), set(pp["grade"]))
    chosen = pp["trade"].isin(trades) & pp["grade"].isin(grades)
    return (chosen & (pp["component"] == "active")).to_numpy()  # active classes only


def _ratio_years(ctx: Context, rec: Any) -> list[int]:
    names = cx.names(rec.years)
    if not names or "*" in names:
        return list(ctx.years)
    return sorted({int(float(y)) for y in names} & set(ctx.years))


def _p8_ratios(ctx: Context, checks: Checks) -> None:
    checks.touch("P8")
    pp = ctx.pp
    rows = []
    for rec in cx.records(ctx.inputs, "Ratios").itertuples(index=False):
        num = pp["strength"].where(_ratio_classes(ctx, rec, "numerator"), 0.0)
        den = pp["strength"].where(_ratio_classes(ctx, rec, "denominator"), 0.0)
        num_y = num.groupby(pp["year"]).sum()
        den_y = den.groupby(pp["year"]).sum()
        lo = None if rec.min_ratio is None or pd.isna(rec.min_ratio) else float(rec.min_ratio)
        hi = None if rec.max_ratio is None or pd.isna(rec.max_ratio) else float(rec.max_ratio)
        for y in _ratio_years(ctx, rec):
            n, d = float(num_y.get(y, 0.0)), float(den_y.get(y, 0.0))
            low = max(0.0, lo * d - n) if lo is not None else 0.0
            high = max(0.0, n - hi * d) if hi is not None and math.isfinite(hi) else 0.0
            rows.append((rec.name, y, low, high))
            label = f"{rec.name} {y}"
            if ctx.elastic:
                checks.passed("P8", [label + " (elastic)"])
                continue
            if lo is not None:
                checks.add("P8", label + ": ≥ min_ratio", n, ">=", lo * d)
            if hi is not None:
                checks.add("P8", label + ": ≤ max_ratio", n, "<=", hi * d)
    ctx.implied["P8"] = pd.DataFrame(rows, columns=["name", "year", "low", "high"])


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    """P7 (a band per year and component, §8.4) and P8; elastic: with the implied
    shortfalls, as the SH family uses them."""
    out: dict[tuple[str, str], pd.DataFrame] = {}
    elastic = ctx.elastic
    p7 = ctx.implied.get("P7")
    if p7 is not None and len(p7):  # implied P7 rows follow the EndStrength records
        records = list(cx.records(ctx.inputs, "EndStrength").itertuples())
        totals = {c: total_strength(ctx, c) for c in schema.END_STRENGTH_COMPONENTS}
        words = {"active": "total", "reserve": "reserve total", "all": "all components total"}
        size = max(float(totals["all"].max()), 1.0)
        labels, lo_v, lo_b, hi_v, hi_b = [], [], [], [], []
        for rec, r in zip(records, p7.itertuples(index=False), strict=False):
            y, comp = int(r.year), getattr(rec, "component", None) or "active"
            t = float(totals[comp].get(y, 0.0))
            labels.append(f"{words[comp]} {y}")
            lo_v.append(t + (r.under if elastic else 0.0))
            lo_b.append(float(rec.min_total or 0.0))
            hi_v.append(t - (r.over if elastic else 0.0))
            hi_b.append(math.inf if rec.max_total is None else float(rec.max_total))
        out[("P7", "minimum")] = rebuilt(labels, lo_v, lo_b, np.inf, size)
        out[("P7", "maximum")] = rebuilt(labels, hi_v, -np.inf, hi_b, size)
    _ratio_rows(ctx, out)
    return out


def _ratio_rows(ctx: Context, out: dict[tuple[str, str], pd.DataFrame]) -> None:
    pp, elastic = ctx.pp, ctx.elastic
    implied = ctx.implied.get("P8")
    short = {}
    if implied is not None:
        short = {(r.name, int(r.year)): (r.low, r.high) for r in implied.itertuples(index=False)}
    rows: dict[str, list[tuple[str, float, float]]] = {"minimum": [], "maximum": []}
    for rec in cx.records(ctx.inputs, "Ratios").itertuples(index=False):
        num_mask = _ratio_classes(ctx, rec, "numerator")
        den_mask = _ratio_classes(ctx, rec, "denominator")
        num = pp["strength"].where(num_mask, 0.0).groupby(pp["year"]).sum()
        den = pp["strength"].where(den_mask, 0.0).groupby(pp["year"]).sum()
        for kind, col, sign in (("minimum", "min_ratio", 1.0), ("maximum", "max_ratio", -1.0)):
            r = getattr(rec, col)
            if r is None or pd.isna(r) or math.isinf(float(r)):
                continue
            for y in _ratio_years(ctx, rec):
                low, high = short.get((rec.name, y), (0.0, 0.0))
                extra = (low if sign > 0 else high) if elastic else 0.0
                value = float(num.get(y, 0.0)) - float(r) * float(den.get(y, 0.0)) + sign * extra
                rows[kind].append((f"{rec.name} {y}", value, float(num.get(y, 0.0))))
    for kind, items in rows.items():
        if items:
            labels, values, scales = zip(*items, strict=True)
            lo, hi = (0.0, np.inf) if kind == "minimum" else (-np.inf, 0.0)
            out[("P8", kind)] = rebuilt(list(labels), list(values), lo, hi, list(scales))
