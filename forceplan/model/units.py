"""Units (brigades, regiments...): count balance and limits (U1), and their cost.

Unit posts enter the manning balance P2 (personnel); unit equipment enters E2.
"""

from __future__ import annotations

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder, BuiltModel, PlanRows, value
from forceplan.model.keys import Src


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    m.UY = pyo.Set(initialize=[(u, y) for u in d.units for y in d.years], dimen=2, ordered=True)
    domain = pyo.NonNegativeIntegers if d.integer_units else pyo.NonNegativeReals
    # elastic mode: the minimum becomes a priced constraint; the maximum always stays hard
    lower = (lambda _m, u, y: 0.0) if d.elastic else (lambda _m, u, y: d.unit_min[(u, y)])
    m.N = pyo.Var(
        m.UY,
        domain=domain,
        bounds=lambda _m, u, y: (lower(_m, u, y), b.bounded(d.unit_max[(u, y)])),
    )
    m.ACT = pyo.Var(
        m.UY, domain=domain, bounds=lambda _m, u, y: (0.0, b.bounded(d.units[u].activation_max))
    )
    m.DIS = pyo.Var(m.UY, domain=domain)
    describe = _describer(b)
    b.family("U1", "unit limits", m.N, describe, is_bound=True)
    b.family("U1", "activation cap", m.ACT, describe, is_bound=True)
    if d.elastic:
        m.SH_units = pyo.Var(m.UY, domain=pyo.NonNegativeReals)
        b.shortfall("units", "U1", m.SH_units, lambda i: (f"{i[0]} units below min_units", i[1]))
    for u, y in m.UY:
        unit = d.units[u]
        b.ledger.add("units", y, unit.om_by_year[y], m.N[u, y])  # UnitYears override (§8.6)
        b.ledger.add("units", y, unit.activation_cost, m.ACT[u, y])
        b.ledger.add("units", y, unit.disbandment_cost, m.DIS[u, y])


def _describer(b: Builder):
    source = b.data.source

    def describe(index):
        u, y = index
        return f"{u} {y}", source(Src.UNIT, u) + source(Src.UNIT_YEAR, (u, y))

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    y0 = d.first_year

    def balance(_m, u, y):
        prev = d.units[u].init if y == y0 else m.N[u, y - 1]
        return m.N[u, y] == prev + m.ACT[u, y] - m.DIS[u, y]

    m.U1_balance = pyo.Constraint(m.UY, rule=balance)
    b.objective.capability.append(
        quicksum(d.units[u].capability * m.N[u, y] for u, y in m.UY if d.units[u].capability)
    )
    describe = _describer(b)
    b.family("U1", "balance", m.U1_balance, describe)
    if d.elastic:
        floors = [(u, y) for (u, y) in m.UY if d.unit_min[(u, y)] > 0]
        m.U1_minimum = pyo.Constraint(
            floors, rule=lambda _m, u, y: m.N[u, y] + m.SH_units[u, y] >= d.unit_min[(u, y)]
        )
        b.family("U1", "minimum (elastic)", m.U1_minimum, describe)


def plan_rows(built: BuiltModel) -> PlanRows:
    d, m = built.data, built.model
    rows = [
        {
            "unit_type": u,
            "year": y,
            "units": value(m.N[u, y]),
            "activations": value(m.ACT[u, y]),
            "disbandments": value(m.DIS[u, y]),
            "shortfall": value(m.SH_units[u, y]) if d.elastic else 0.0,
        }
        for (u, y) in m.UY
    ]
    return {"Plan_Units": rows}
