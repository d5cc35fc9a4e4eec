"""Equipment: stock balance with lead times, donations and disposals (E1), the stock
requirement of units and outside units (E2), and procurement and upkeep costs."""

from __future__ import annotations

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder, BuiltModel, PlanRows, value
from forceplan.model.keys import EY, Src


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    ey = d.equipment_years
    m.QY = pyo.Set(initialize=[(e, y) for e in d.equipment for y in d.years], dimen=2, ordered=True)
    m.Q = pyo.Var(m.QY, domain=pyo.NonNegativeReals)
    m.ORD = pyo.Var(
        m.QY,
        within=lambda _m, e, y: (
            pyo.NonNegativeIntegers if d.equipment[e].integer else pyo.NonNegativeReals
        ),
        bounds=lambda _m, e, y: (0.0, b.bounded(ey[EY.PROC_MAX][(e, y)])),
    )
    m.DON = pyo.Var(
        m.QY,
        domain=pyo.NonNegativeReals,
        bounds=lambda _m, e, y: (0.0, ey[EY.DON_MAX].get((e, y), 0.0)),
    )
    m.DSP = pyo.Var(m.QY, domain=pyo.NonNegativeReals)
    describe = _describer(b)
    b.family("E1", "order cap", m.ORD, describe, is_bound=True)
    b.family("E1", "donations on offer", m.DON, describe, is_bound=True, offer=True)
    if d.elastic:
        m.SH_equipment = pyo.Var(m.QY, domain=pyo.NonNegativeReals)
        b.shortfall(
            "equipment", "E2", m.SH_equipment, lambda i: (f"{i[0]} stock below requirement", i[1])
        )
    for e, y in m.QY:  # orders are paid from the order year, also when they arrive after T
        _payments(b, e, y)
        b.ledger.add("sustainment", y, ey[EY.OM_COST][(e, y)], m.Q[e, y])


def _payments(b: Builder, e: str, z: int) -> None:
    """An order placed in z pays share_i · unit_price[e, z] in year z + i (§8.7): at base-year
    prices for base-currency items (B1 applies the price index), in the item's currency
    otherwise (B1 converts at the payment year's rate); payments after the horizon are
    commitments, valued at the last year's index or rate."""
    d, m = b.data, b.model
    item, price = d.equipment[e], d.equipment_years[EY.PRICE][(e, z)]
    last = d.years[-1]
    for i, share in enumerate(item.profile):
        if share and price:
            year = z + i
            target = b.ledger if year <= last else b.ledger.after_horizon
            target.add_priced(
                item.line, min(year, last), share * price, m.ORD[e, z], item.currency, z
            )


def _describer(b: Builder):
    source = b.data.source

    def describe(index):
        e, y = index
        return f"{e} {y}", source(Src.EQUIPMENT, e) + source(Src.EQUIPMENT_YEAR, (e, y))

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    ey = d.equipment_years
    y0 = d.first_year

    def balance(_m, e, y):  # E1: attrition applies to the previous stock only
        item = d.equipment[e]
        prev = item.init if y == y0 else m.Q[e, y - 1]
        attr = ey[EY.ATTR][(e, y)]  # EquipmentYears override (§8.6)
        arriving = m.ORD[e, y - item.lead] if y - item.lead >= y0 else 0.0
        return (
            m.Q[e, y]
            == (1 - attr) * prev
            + arriving
            + ey[EY.SCHEDULED].get((e, y), 0.0)
            + m.DON[e, y]
            - m.DSP[e, y]
        )

    m.E1_balance = pyo.Constraint(m.QY, rule=balance)
    describe = _describer(b)
    b.family("E1", "balance", m.E1_balance, describe)

    fill = float(d.settings["equipment_fill_rate"])
    users: dict[str, list[tuple[str, float]]] = {e: [] for e in d.equipment}
    for u, unit in d.units.items():
        for e, qty in unit.equipping:
            users[e].append((u, qty))
    needed = [(e, y) for (e, y) in m.QY if users[e] or ey[EY.REQUIREMENT].get((e, y), 0.0)]

    def requirement(_m, e, y):  # E2
        need = quicksum(fill * qty * m.N[u, y] for u, qty in users[e])
        have = m.Q[e, y] + (m.SH_equipment[e, y] if d.elastic else 0.0)
        return have - need >= ey[EY.REQUIREMENT].get((e, y), 0.0)

    m.E2_requirement = pyo.Constraint(needed, rule=requirement)
    b.family("E2", "stock ≥ requirement", m.E2_requirement, describe)


def plan_rows(built: BuiltModel) -> PlanRows:
    """Plan_Equipment: deliveries = orders arriving that year + scheduled deliveries; orders
    arriving after the last year are listed in `arrival_year` (and on Plan_Summary)."""
    d, m = built.data, built.model
    ey = d.equipment_years
    fill = float(d.settings["equipment_fill_rate"])
    rows = []
    for e, y in m.QY:
        item = d.equipment[e]
        arriving = value(m.ORD[e, y - item.lead]) if y - item.lead >= d.first_year else 0.0
        need = ey[EY.REQUIREMENT].get((e, y), 0.0) + sum(
            fill * q * value(m.N[u, y])
            for u, unit in d.units.items()
            for eq, q in unit.equipping
            if eq == e
        )
        rows.append(
            {
                "equipment": e,
                "year": y,
                "stock": value(m.Q[e, y]),
                "orders": value(m.ORD[e, y]),
                "deliveries": arriving + ey[EY.SCHEDULED].get((e, y), 0.0),
                "donations": value(m.DON[e, y]),
                "disposals": value(m.DSP[e, y]),
                "requirement": need,
                "shortfall": value(m.SH_equipment[e, y]) if d.elastic else 0.0,
                "arrival_year": y + item.lead,
                "attrition": ey[EY.ATTR][(e, y)]
                * (item.init if y == d.first_year else value(m.Q[e, y - 1])),
            }
        )
    return {"Plan_Equipment": rows}
