"""Money: spending per budget line and year from the cost ledger (B1), funding by source
with restricted lines and carry-over (B2), and line limits (B3).

§8.6-8.7: B1 turns base-year prices into money of the year (price index; foreign prices at
the year's exchange rate) and adds fixed spending; payments due after the horizon are
COMMIT[line, order year] (B1 "committed after horizon"), charged in the objective at df_T.
A foreign source's F is in its own currency and pays rate·F; a carry-over source with
`expires_after` is spent by vintage (U[s, v, y], B2 "vintage").

Money variables (spend, F, CARRY, GAP) are in model money units of `data.money_scale`
currency units; the ledger keeps currency and is converted here, in one place.
"""

from __future__ import annotations

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder


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
    committed = sorted(b.ledger.after_horizon.terms)
    if committed:  # only with payment profiles that reach past the horizon
        m.CB = pyo.Set(initialize=committed, dimen=2, ordered=True)
        m.COMMIT = pyo.Var(m.CB, domain=pyo.NonNegativeReals)
    if d.funding is None:
        return
    sources = d.funding
    m.FY = pyo.Set(
        initialize=[(s, y) for s, src in sources.items() for y in d.years if _can_pay(src, y)],
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
        initialize=[(s, y) for (s, y) in m.FY if sources[s].carryover and not sources[s].vintaged],
        dimen=2,
        ordered=True,
    )
    m.CARRY = pyo.Var(m.CY_carry, domain=pyo.NonNegativeReals)
    vintages = [
        (s, v, y)
        for s, src in sources.items()
        if src.vintaged
        for v in d.years
        if src.amount.get(v, 0.0) > 0
        for y in d.years
        if v <= y <= v + (src.expires or 0)
    ]
    if vintages:  # money of year v spent in year y (B2 per vintage, §8.7)
        m.UV = pyo.Set(initialize=vintages, dimen=3, ordered=True)
        m.U = pyo.Var(m.UV, domain=pyo.NonNegativeReals)
    if d.elastic:
        m.GAP = pyo.Var(m.BY, domain=pyo.NonNegativeReals)
        b.shortfalls["funding"].append(m.GAP)


def _can_pay(src, y: int) -> bool:
    """A source can pay in year y: it has money that year or carried money."""
    if not src.carryover or src.expires is None:
        return src.amount.get(y, 0.0) > 0 or (src.carryover and y >= src.first_year)
    return any(src.amount.get(v, 0.0) > 0 for v in range(y - src.expires, y + 1))


def _describe_line(b: Builder):
    cells = b.data.cells

    def describe(index):
        line, y = index
        return f"{line} {y}", list(cells.get(("line_limit", (line, y)), []))

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    scale = d.money_scale
    terms, foreign = b.ledger.terms, b.ledger.foreign

    def spending(_m, line, y):  # B1: base-year prices × index, foreign × rate, + fixed
        f = d.price_index.get((line, y), 1.0)
        base = quicksum((c / scale if f == 1.0 else c * f / scale) * v for c, v in terms[line, y])
        if (line, y) in foreign:
            base += quicksum(c * d.rates[(k, y)] / scale * v for c, v, k in foreign[line, y])
        if (line, y) in d.fixed:
            base += d.fixed[(line, y)] / scale
        return m.spend[line, y] == base

    m.B1_spending = pyo.Constraint(m.BY, rule=spending)
    b.family("B1", "spending", m.B1_spending, _describe_line(b), money=True)
    if hasattr(m, "COMMIT"):
        commit, last = b.ledger.after_horizon.terms, d.years[-1]

        def committed(_m, line, z):  # valued at the last year's index or rate (§8.7)
            return m.COMMIT[line, z] == quicksum(
                c * d.price_factor(line, k, last) / scale * v for c, v, k in commit[line, z]
            )

        m.B1_committed = pyo.Constraint(m.CB, rule=committed)
        b.family("B1", "committed after horizon", m.B1_committed, _describe_line(b), money=True)
    if d.funding is None:
        return
    sources = d.funding
    payers: dict[tuple[str, int], list[str]] = {}
    spent: dict[tuple[str, int], list[str]] = {}
    for s, line, y in m.F_index:
        payers.setdefault((line, y), []).append(s)
        spent.setdefault((s, y), []).append(line)

    def covered(_m, line, y):  # B2: every line's spending is paid by sources that may pay it
        paid = quicksum(_paid(d, s, y, m.F[s, line, y]) for s in payers.get((line, y), ()))
        gap = m.GAP[line, y] if d.elastic else 0.0
        return paid + gap == m.spend[line, y]

    m.B2_covered = pyo.Constraint(m.BY, rule=covered)
    b.family("B2", "spending covered", m.B2_covered, _describe_line(b), money=True)

    def available(_m, s, y):  # B2: a source pays at most its money (+ what it carried in)
        src = sources[s]
        if not src.carryover and not spent.get((s, y)):
            return pyo.Constraint.Skip
        used = quicksum(m.F[s, line, y] for line in spent.get((s, y), ()))
        if src.vintaged:  # what is spent comes from the vintages still spendable
            return used == quicksum(
                m.U[s, v, y] for v in range(y - src.expires, y + 1) if (s, v, y) in m.UV
            )
        if not src.carryover:
            return used <= src.amount.get(y, 0.0) / scale
        carried_in = m.CARRY[s, y - 1] if (s, y - 1) in m.CY_carry else 0.0
        return m.CARRY[s, y] == src.amount.get(y, 0.0) / scale + carried_in - used

    m.B2_available = pyo.Constraint(m.FY, rule=available)

    def describe_source(index):
        s, y = index
        return f"{s} {y}", list(d.cells.get(("funding", (s, y)), []))

    b.family("B2", "source money", m.B2_available, describe_source, money=True)
    if hasattr(m, "U"):
        years_of: dict[tuple[str, int], list[int]] = {}
        for s, v, y in m.UV:
            years_of.setdefault((s, v), []).append(y)

        def vintage(_m, s, v):  # B2 per vintage: year v's money, spent in v .. v + expires
            spent_v = quicksum(m.U[s, v, y] for y in years_of[(s, v)])
            return spent_v <= sources[s].amount[v] / scale

        m.B2_vintage = pyo.Constraint(sorted(years_of), rule=vintage)
        b.family("B2", "vintage", m.B2_vintage, describe_source, money=True)


def _paid(d, s: str, y: int, f):
    """What F[s, ., y] pays in base units: F itself, or a foreign source's rate × F."""
    currency = d.funding[s].currency
    return f if currency is None else d.rate(currency, y) * f
