"""Movements between classes (promotion, cross-training, re-enlistment): T1 and their cost.

The arc balance terms themselves live in P1 (personnel); course seats in C1 (training).
"""

from __future__ import annotations

import math

import pyomo.core as pyo

from forceplan.model.core import Builder, BuiltModel, PlanRows, value
from forceplan.model.keys import Src


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    arcs = list(d.arcs)
    m.AY = pyo.Set(
        initialize=[(k, y) for k in range(len(arcs)) for y in d.years], dimen=2, ordered=True
    )
    m.M = pyo.Var(
        m.AY,
        domain=pyo.NonNegativeReals,
        bounds=lambda _m, k, y: (0.0, b.bounded(d.arcs[arcs[k]].max_per_year)),
    )
    b.family("T1", "per-year cap", m.M, _describer(b), is_bound=True)
    for k, y in m.AY:
        b.ledger.add("training", y, d.arcs[arcs[k]].cost, m.M[k, y])


def _describer(b: Builder):
    arcs = list(b.data.arcs)

    def describe(index):
        k, y = index
        (ft, fg), (tt, tg) = arcs[k]
        return f"{ft}/{fg} → {tt}/{tg} {y}", list(b.data.source(Src.ARC, arcs[k]))

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    arcs = list(d.arcs)
    shared = [(k, y) for (k, y) in m.AY if not math.isinf(d.arcs[arcs[k]].max_share)]

    def share_rule(_m, k, y):
        a = arcs[k]
        return m.M[k, y] <= d.arcs[a].max_share * m.S[b.class_ids[a[1]], y]

    m.T1_share = pyo.Constraint(shared, rule=share_rule)
    b.family("T1", "share of destination", m.T1_share, _describer(b))


def plan_rows(built: BuiltModel) -> PlanRows:
    d, m = built.data, built.model
    rows = []
    for k, y in m.AY:
        (ft, fg), (tt, tg) = a = built.arcs[k]
        moved = value(m.M[k, y])
        rows.append(
            {
                "from_trade": ft,
                "from_grade": fg,
                "to_trade": tt,
                "to_grade": tg,
                "year": y,
                "moved": moved,
                "lost": d.arcs[a].loss * moved,
            }
        )
    return {"Plan_Transitions": rows}
