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

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder, BuiltModel, Levers, PlanRows, clean, item
from forceplan.model.keys import Src


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
        b.shortfall(
            "funding",
            "B2",
            m.GAP,
            lambda i: (f"{i[0]} spending not covered by any funding source", i[1]),
            money=True,
        )


def _can_pay(src, y: int) -> bool:
    """A source can pay in year y: it has money that year or carried money."""
    if not src.carryover or src.expires is None:
        return src.amount.get(y, 0.0) > 0 or (src.carryover and y >= src.first_year)
    return any(src.amount.get(v, 0.0) > 0 for v in range(y - src.expires, y + 1))


def _describe_line(b: Builder):
    source = b.data.source

    def describe(index):
        line, y = index
        return f"{line} {y}", list(source(Src.LINE_LIMIT, (line, y)))

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
    b.objective.cost.append(quicksum(d.discount[y] * m.spend[line, y] for line, y in m.BY))
    if hasattr(m, "COMMIT"):  # payments due after the horizon count at df_T (§8.7)
        b.objective.cost.append(d.discount[d.years[-1]] * quicksum(m.COMMIT.values()))
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
        return f"{s} {y}", list(d.source(Src.FUNDING, (s, y)))

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


def priority_expression(built: BuiltModel):
    """Σ priority_s · rate(s, y) · F[s, b, y] in model money units (base currency): what
    the funding priority stage minimises (forceplan.model.priority, §8.7)."""
    d, m = built.data, built.model
    assert d.funding is not None
    return quicksum(
        d.funding[s].priority * d.rate(d.funding[s].currency, y) * m.F[s, line, y]
        for s, line, y in m.F_index
    )


def _paid(d, s: str, y: int, f):
    """What F[s, ., y] pays in base units: F itself, or a foreign source's rate × F."""
    currency = d.funding[s].currency
    return f if currency is None else d.rate(currency, y) * f


def plan_rows(built: BuiltModel) -> PlanRows:
    """Plan_Budget, Plan_Funding and Plan_Allocation, money in base currency (§8.6): a
    foreign source's own-currency figures (`*_own`) times the year's `rate`; unspent =
    carried_out + lapsed."""
    d, m = built.data, built.model
    money = built.money
    committed = getattr(m, "COMMIT", {})  # payments after the horizon of orders placed in y
    budget = [
        {
            "line": b,
            "year": y,
            "spend": money(m.spend[b, y]),
            "discounted_spend": d.discount[y] * money(m.spend[b, y]),
            "committed_after_horizon": money(committed[b, y]) if (b, y) in committed else 0.0,
            "funding_gap": money(m.GAP[b, y]) if d.elastic and d.funding is not None else 0.0,
        }
        for (b, y) in m.BY
    ]
    funding_rows, allocation_rows = [], []
    if d.funding is not None:
        spent: dict[tuple[str, int], float] = {}  # own currency
        for s, line, y in m.F_index:
            own = money(m.F[s, line, y])
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
    return {"Plan_Budget": budget, "Plan_Funding": funding_rows, "Plan_Allocation": allocation_rows}


def _noise(x: float, size: float) -> float:
    """A difference of large values: solver noise (1e-9 of their size) reads as 0."""
    return 0.0 if abs(x) <= 1e-9 * max(1.0, abs(size)) else x


def _carried_out(built: BuiltModel, s: str, y: int) -> float:
    """Money of source s (own currency) still spendable after year y."""
    d, m = built.data, built.model
    src = d.funding[s]
    if not src.vintaged:
        return built.money(m.CARRY[s, y]) if (s, y) in m.CY_carry else 0.0
    left = 0.0
    for v in range(y - (src.expires or 0) + 1, y + 1):  # vintages that live on after y
        if src.amount.get(v, 0.0) > 0:
            used = sum(built.money(m.U[s, v, t]) for t in range(v, y + 1) if (s, v, t) in m.UV)
            left += src.amount[v] - used
    return clean(left)


# --- sweep levers (forceplan.sweep.engine) ------------------------------------------------
#
# | input | LP |
# |---|---|
# | Funding.amount (s, y) | B2_available row: `Σ F ≤ a` (carry-over: `CARRY + Σ F − CARRY₋₁ = a`) |
# | LineLimits.min/max_amount | bounds of spend (B3) |
# | FixedSpending.amount (b, y) | both bounds of the B1 row of (b, y) (its constant) |
# | PriceIndex.index (b, y) | coefficients of B1 (b, y) (and of B1 committed rows if y = T) |
# | ExchangeRates.rate (k, y) | coefficients of B1 and B2_covered rows of year y for k |

SWEEP_TARGETS = (
    "Funding.amount",
    "LineLimits.max_amount",
    "LineLimits.min_amount",
    "ExchangeRates.rate",
    "PriceIndex.index",
    "FixedSpending.amount",
)
_SHEET_PARAM = {"ExchangeRates": "rate", "PriceIndex": "index", "FixedSpending": "fixed"}


def sweep_params(cell, data) -> list[tuple]:
    if cell.sheet == "Funding":
        return [("funding", *cell.key)]
    if cell.sheet == "LineLimits":
        return [("line_max" if cell.column == "max_amount" else "line_min", *cell.key)]
    return [(_SHEET_PARAM[cell.sheet], *cell.key)]


def sweep_refuse(cell, data) -> str:
    """Why setting this cell would change the model's shape ('' if it would not)."""
    if cell.sheet != "Funding":
        return ""
    s, y = cell.key
    src = data.funding[s]
    if (not src.carryover or src.vintaged) and src.amount.get(y, 0.0) <= 0:
        return (
            f"{s} has no money in {y} in the workbook, so the model has nothing to spend it "
            "on; give it an amount in the workbook or scale it (*) instead"
        )
    return ""


def sweep_levers(param: tuple, ctx: Levers) -> list:
    d, m, lp = ctx.data, ctx.built.model, ctx.lp
    kind, key, y = param
    unit = 1 / d.money_scale
    if kind == "funding":
        src = d.funding[key]
        ctx.base(src.amount.get(y, 0.0))
        if src.vintaged:  # the year's money is its own vintage (§8.7)
            vintage = m.component("B2_vintage")
            con = item(vintage, (key, y)) if vintage is not None else None
            r = lp.row(con) if con is not None else None
            return [] if r is None else [ctx.row_lever(r, lp.col(m.U[key, y, y]), "upper", unit)]
        con = item(m.B2_available, (key, y))
        r = lp.row(con) if con is not None else None
        if r is None:
            return []  # no money and no way to spend it (set values refused earlier)
        if src.carryover:
            return [ctx.row_lever(r, lp.col(m.CARRY[key, y]), "both", unit)]
        col = next(lp.col(m.F[key, b, y]) for b in d.lines if (key, b, y) in m.F_index)
        return [ctx.row_lever(r, col, "upper", unit)]
    if kind == "fixed":  # the constant of the B1 row: both of its bounds
        ctx.base(d.fixed.get((key, y), 0.0))
        r = lp.row(m.B1_spending[key, y])
        return [ctx.row_lever(r, lp.col(m.spend[key, y]), "both", unit)]
    if kind in ("rate", "index"):  # coefficients, not bounds
        base = d.price_index.get((key, y), 1.0) if kind == "index" else d.rates[(key, y)]
        ctx.coefficients(base, _coefficient_rows(ctx.built, kind, key, y))
        return []
    lo, hi = d.line_limits.get((key, y), (0.0, math.inf))
    ctx.base(hi if kind == "line_max" else lo)
    side = "upper" if kind == "line_max" else "lower"
    return [ctx.col_lever(lp.col(m.spend[key, y]), side, unit)]


def _coefficient_rows(built: BuiltModel, kind: str, key: str, year: int):
    """(Pyomo row, anchor variable, [(unit, var, factor)]) of every row a price index or an
    exchange rate enters, with all of that row's factor-dependent terms (factor:
    ("index", line, year), ("rate", currency, year) or None = 1)."""
    d, m, ledger = built.data, built.model, built.ledger
    scale, last = d.money_scale, d.years[-1]
    lines = [key] if kind == "index" else d.lines
    for line in lines:
        if (line, year) in m.B1_spending:
            terms = [
                (c / scale, v, ("index", line, year)) for c, v in ledger.terms.get((line, year), ())
            ]
            terms += [
                (c / scale, v, ("rate", k, year))
                for c, v, k in ledger.foreign.get((line, year), ())
            ]
            if kind == "index" or any(f == ("rate", key, year) for _u, _v, f in terms):
                yield m.B1_spending[line, year], m.spend[line, year], terms
        if year == last and hasattr(m, "B1_committed"):
            for (b, z), items in ledger.after_horizon.terms.items():
                if b != line:
                    continue
                terms = [
                    (c / scale, v, ("index", b, last) if k is None else ("rate", k, last))
                    for c, v, k in items
                ]
                if kind == "index" or any(f == ("rate", key, year) for _u, _v, f in terms):
                    yield m.B1_committed[b, z], m.COMMIT[b, z], terms
    if kind == "rate" and d.funding is not None:
        for line in d.lines:
            terms = [
                (
                    1.0,
                    m.F[s, line, year],
                    None if src.currency is None else ("rate", src.currency, year),
                )
                for s, src in d.funding.items()
                if (s, line, year) in m.F_index
            ]
            if any(f == ("rate", key, year) for _u, _v, f in terms):
                yield m.B2_covered[line, year], m.spend[line, year], terms
