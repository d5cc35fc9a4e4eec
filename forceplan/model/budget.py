"""Money: spending per budget line and year from the cost ledger (B1), funding by source
with restricted lines and carry-over (B2), and line limits (B3).

Money variables (spend, F, CARRY, GAP) are in model money units of `data.money_scale`
currency units; the ledger keeps currency and is converted here, in one place.
"""

from __future__ import annotations

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.build import Builder


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    scale = d.money_scale
    m.BY = pyo.Set(
        initialize=[(line, y) for line in d.lines for y in d.years], dimen=2, ordered=True
    )

    def limits(_m, line, y):  # B3 bounds undiscounted spending
        lo, hi = d.line_limits.get((line, y), (0.0, float("inf")))
        return (lo / scale, b.bounded(hi / scale))

    m.spend = pyo.Var(m.BY, domain=pyo.NonNegativeReals, bounds=limits)
    b.family("B3", "line limits", m.spend, _describe_line(b), is_bound=True, money=True)
    if d.funding is None:
        return
    sources = d.funding
    m.FY = pyo.Set(
        initialize=[
            (s, y)
            for s, src in sources.items()
            for y in d.years
            if src.amount.get(y, 0.0) > 0 or (src.carryover and y >= src.first_year)
        ],
        dimen=2,
        ordered=True,
    )
    m.F_index = pyo.Set(
        initialize=[
            (s, line, y)
            for (s, y) in m.FY
            for line in d.lines
            if "*" in sources[s].lines or line in sources[s].lines
        ],
        dimen=3,
        ordered=True,
    )
    m.F = pyo.Var(m.F_index, domain=pyo.NonNegativeReals)
    m.CY_carry = pyo.Set(
        initialize=[(s, y) for (s, y) in m.FY if sources[s].carryover], dimen=2, ordered=True
    )
    m.CARRY = pyo.Var(m.CY_carry, domain=pyo.NonNegativeReals)
    if d.elastic:
        m.GAP = pyo.Var(m.BY, domain=pyo.NonNegativeReals)
        b.shortfalls["funding"].append(m.GAP)


def _describe_line(b: Builder):
    cells = b.data.cells

    def describe(index):
        line, y = index
        return f"{line} {y}", list(cells.get(("line_limit", (line, y)), []))

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    scale = d.money_scale
    terms = b.ledger.terms

    def spending(_m, line, y):  # B1
        return m.spend[line, y] == quicksum(c / scale * v for c, v in terms.get((line, y), ()))

    m.B1_spending = pyo.Constraint(m.BY, rule=spending)
    b.family("B1", "spending", m.B1_spending, _describe_line(b), money=True)
    if d.funding is None:
        return
    sources = d.funding
    payers: dict[tuple[str, int], list[str]] = {}
    spent: dict[tuple[str, int], list[str]] = {}
    for s, line, y in m.F_index:
        payers.setdefault((line, y), []).append(s)
        spent.setdefault((s, y), []).append(line)

    def covered(_m, line, y):  # B2: every line's spending is paid by sources that may pay it
        paid = quicksum(m.F[s, line, y] for s in payers.get((line, y), ()))
        gap = m.GAP[line, y] if d.elastic else 0.0
        return paid + gap == m.spend[line, y]

    m.B2_covered = pyo.Constraint(m.BY, rule=covered)
    b.family("B2", "spending covered", m.B2_covered, _describe_line(b), money=True)

    def available(_m, s, y):  # B2: a source pays at most its money (+ what it carried in)
        src = sources[s]
        if not src.carryover and not spent.get((s, y)):
            return pyo.Constraint.Skip
        used = quicksum(m.F[s, line, y] for line in spent.get((s, y), ()))
        if not src.carryover:
            return used <= src.amount.get(y, 0.0) / scale
        carried_in = m.CARRY[s, y - 1] if (s, y - 1) in m.CY_carry else 0.0
        return m.CARRY[s, y] == src.amount.get(y, 0.0) / scale + carried_in - used

    m.B2_available = pyo.Constraint(m.FY, rule=available)

    def describe_source(index):
        s, y = index
        return f"{s} {y}", list(d.cells.get(("funding", (s, y)), []))

    b.family("B2", "source money", m.B2_available, describe_source, money=True)
