"""Force-wide strength: the end-strength glide path (P7) and grade/trade ratios (P8)."""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    if not d.elastic:
        return
    m.SH_under = pyo.Var(sorted(d.end_strength), domain=pyo.NonNegativeReals)
    m.SH_over = pyo.Var(sorted(d.end_strength), domain=pyo.NonNegativeReals)
    b.shortfalls["end_strength"] += [m.SH_under, m.SH_over]
    if d.end_strength_other:  # reserve and all-component bands (MODEL.md §8.4)
        other = sorted(d.end_strength_other)
        m.SH_under_other = pyo.Var(other, domain=pyo.NonNegativeReals)
        m.SH_over_other = pyo.Var(other, domain=pyo.NonNegativeReals)
        b.shortfalls["end_strength"] += [m.SH_under_other, m.SH_over_other]
    rows = [(r, y) for r, ratio in enumerate(d.ratios) for y in ratio.years]
    m.SH_ratio_low = pyo.Var(rows, domain=pyo.NonNegativeReals)
    m.SH_ratio_high = pyo.Var(rows, domain=pyo.NonNegativeReals)
    b.shortfalls["ratio"] += [m.SH_ratio_low, m.SH_ratio_high]


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
        return f"total {y}", list(d.cells.get(("end_strength", y), []))

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
        return f"{name} {y}", list(d.cells.get(("ratio", name), []))

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
        return f"{words} {y}", list(d.cells.get((f"end_strength:{component}", y), []))

    b.family("P7", "minimum", m.P7_min_component, describe)
    b.family("P7", "maximum", m.P7_max_component, describe)
