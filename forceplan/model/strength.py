"""Force-wide strength: the end-strength glide path (P7) and grade/trade ratios (P8)."""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder, Levers
from forceplan.model.keys import Src


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    if not d.elastic:
        return
    m.SH_under = pyo.Var(sorted(d.end_strength), domain=pyo.NonNegativeReals)
    m.SH_over = pyo.Var(sorted(d.end_strength), domain=pyo.NonNegativeReals)
    for var, side in ((m.SH_under, "below"), (m.SH_over, "above")):
        column = "min_total" if side == "below" else "max_total"
        words = f"total strength {side} EndStrength.{column}"
        b.shortfall("end_strength", "P7", var, lambda y, words=words: (words, y))
    if d.end_strength_other:  # reserve and all-component bands (MODEL.md §8.4)
        other = sorted(d.end_strength_other)
        m.SH_under_other = pyo.Var(other, domain=pyo.NonNegativeReals)
        m.SH_over_other = pyo.Var(other, domain=pyo.NonNegativeReals)
        for var, side in (
            (m.SH_under_other, "below EndStrength.min_total"),
            (m.SH_over_other, "above max_total"),
        ):
            b.shortfall(
                "end_strength", "P7", var, lambda i, side=side: (f"{i[0]} strength {side}", i[1])
            )
    rows = [(r, y) for r, ratio in enumerate(d.ratios) for y in ratio.years]
    m.SH_ratio_low = pyo.Var(rows, domain=pyo.NonNegativeReals)
    m.SH_ratio_high = pyo.Var(rows, domain=pyo.NonNegativeReals)
    for var, side in ((m.SH_ratio_low, "below min_ratio"), (m.SH_ratio_high, "above max_ratio")):
        b.shortfall(
            "ratio", "P8", var, lambda i, side=side: (f"ratio {d.ratios[i[0]].name} {side}", i[1])
        )


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    ids = b.class_ids
    members = {
        "active": [ids[p] for p in d.classes if d.active(p)],
        "reserve": [ids[p] for p in d.classes if not d.active(p)],
        "all": list(range(len(d.classes))),
    }
    elastic = d.elastic

    def total(y, component="active"):
        return quicksum(m.S[i, y] for i in members[component])

    low_years = [y for y, (lo, _hi) in sorted(d.end_strength.items()) if lo > 0]
    high_years = [y for y, (_lo, hi) in sorted(d.end_strength.items()) if not math.isinf(hi)]

    def end_low(_m, y):
        return total(y) + (m.SH_under[y] if elastic else 0.0) >= d.end_strength[y][0]

    def end_high(_m, y):
        return total(y) - (m.SH_over[y] if elastic else 0.0) <= d.end_strength[y][1]

    m.P7_min = pyo.Constraint(low_years, rule=end_low)
    m.P7_max = pyo.Constraint(high_years, rule=end_high)

    def describe_year(y):
        return f"total {y}", list(d.source(Src.END_STRENGTH, y, "active"))

    b.family("P7", "minimum", m.P7_min, describe_year)
    b.family("P7", "maximum", m.P7_max, describe_year)
    _other_components(b, total)

    def ratio_rows(bound: str):
        return [
            (r, y)
            for r, ratio in enumerate(d.ratios)
            for y in ratio.years
            if getattr(ratio, bound) is not None and not math.isinf(getattr(ratio, bound))
        ]

    def ratio_rule(bound: str):
        def rule(_m, r, y):
            ratio = d.ratios[r]
            if not ratio.numerator and not ratio.denominator:
                return pyo.Constraint.Skip
            num = quicksum(m.S[ids[p], y] for p in ratio.numerator)
            den = quicksum(getattr(ratio, bound) * m.S[ids[p], y] for p in ratio.denominator)
            if bound == "min_ratio":
                return num - den + (m.SH_ratio_low[r, y] if elastic else 0.0) >= 0.0
            return num - den - (m.SH_ratio_high[r, y] if elastic else 0.0) <= 0.0

        return rule

    m.P8_min = pyo.Constraint(ratio_rows("min_ratio"), rule=ratio_rule("min_ratio"))
    m.P8_max = pyo.Constraint(ratio_rows("max_ratio"), rule=ratio_rule("max_ratio"))

    def describe_ratio(index):
        r, y = index
        name = d.ratios[r].name
        return f"{name} {y}", list(d.source(Src.RATIO, name))

    b.family("P8", "minimum", m.P8_min, describe_ratio)
    b.family("P8", "maximum", m.P8_max, describe_ratio)


def _other_components(b: Builder, total) -> None:
    """P7 bands of the reserve and of all components (EndStrength.component)."""
    d, m = b.data, b.model
    bands = d.end_strength_other
    if not bands:
        return
    elastic = d.elastic
    low = [k for k, (lo, _hi) in sorted(bands.items()) if lo > 0]
    high = [k for k, (_lo, hi) in sorted(bands.items()) if not math.isinf(hi)]

    def end_low(_m, component, y):
        under = m.SH_under_other[component, y] if elastic else 0.0
        return total(y, component) + under >= bands[(component, y)][0]

    def end_high(_m, component, y):
        over = m.SH_over_other[component, y] if elastic else 0.0
        return total(y, component) - over <= bands[(component, y)][1]

    m.P7_min_component = pyo.Constraint(low, rule=end_low)
    m.P7_max_component = pyo.Constraint(high, rule=end_high)

    def describe(index):
        component, y = index
        words = "reserve total" if component == "reserve" else "all components total"
        return f"{words} {y}", list(d.source(Src.END_STRENGTH, y, component))

    b.family("P7", "minimum", m.P7_min_component, describe)
    b.family("P7", "maximum", m.P7_max_component, describe)


# --- sweep levers (forceplan.sweep.engine) ------------------------------------------------

SWEEP_TARGETS = ("EndStrength.min_total", "EndStrength.max_total")


def sweep_params(cell, data) -> list[tuple]:
    return [("end_min" if cell.column == "min_total" else "end_max", cell.key[0])]


def sweep_levers(param: tuple, ctx: Levers) -> list:
    """P7_min / P7_max rows (added if absent)."""
    d, m, lp = ctx.data, ctx.built.model, ctx.lp
    kind, y = param
    lo, hi = d.end_strength[y]
    low = kind == "end_min"
    ctx.base(lo if low else hi)
    comp = m.P7_min if low else m.P7_max
    cols = [lp.col(m.S[i, y]) for i in range(len(d.classes))]
    r = lp.row(comp[y]) if y in comp else None
    if r is None:
        if not ctx.may_set or not cols:
            return []
        terms = [(c, 1.0) for c in cols]
        if d.elastic:
            slack = m.SH_under[y] if low else m.SH_over[y]
            terms.append((lp.col(slack), 1.0 if low else -1.0))
        kind_words = "minimum" if low else "maximum"
        r = ctx.add_row(terms, "P7", kind_words, y, lambda y: (f"total {y}", []))
    return [ctx.row_lever(r, cols[0], "lower" if low else "upper", 1.0)]


def sweep_conflict(params: dict[tuple, float], base: dict[tuple, float], data) -> str:
    """End-strength min/max are two rows: check them like validation would."""
    for y in {p[1] for p in params if p[0] in ("end_min", "end_max")}:
        lo = params.get(("end_min", y), base.get(("end_min", y)))
        hi = params.get(("end_max", y), base.get(("end_max", y)))
        base_lo, base_hi = data.end_strength[y]
        lo = base_lo if lo is None else lo
        hi = base_hi if hi is None else hi
        if lo > hi:
            return f"EndStrength {y}: min_total {lo:g} is above max_total {hi:g}"
    return ""
