"""Objectives (MODEL.md §4, §7.8): minimum cost, maximum capability, or custom weights,
plus elastic-mode penalties.

For `max_capability` the model first maximises capability minus penalties; the solver then
holds that optimum and minimises discounted cost (a lexicographic tie-break, see
`forceplan.model.solve`), so the cost can never change the capability optimum.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.util import quicksum

from forceplan.errors import ForceplanError
from forceplan.model.build import Builder


def set_objective(b: Builder) -> str:
    """Add m.cost, m.penalty, m.capability expressions and m.objective; return its sense."""
    d, m = b.data, b.model
    m.cost = pyo.Expression(expr=quicksum(d.discount[y] * m.spend[line, y] for line, y in m.BY))
    m.penalty = pyo.Expression(
        expr=quicksum(
            d.penalties[kind] * quicksum(var[i] for var in vars_ for i in var)
            for kind, vars_ in b.shortfalls.items()
        )
    )
    m.capability = pyo.Expression(
        expr=quicksum(d.units[u].capability * m.N[u, y] for u, y in m.UY if d.units[u].capability)
    )
    if d.objective == "min_cost":
        m.objective = pyo.Objective(expr=m.cost + m.penalty, sense=pyo.minimize)
        return "min"
    if d.objective == "max_capability":
        m.objective = pyo.Objective(expr=m.capability - m.penalty, sense=pyo.maximize)
        return "max"
    if d.objective == "custom":
        m.objective = pyo.Objective(expr=_custom(b) + m.penalty, sense=pyo.minimize)
        return "min"
    raise ForceplanError(
        f"unknown objective {d.objective!r}: use min_cost, max_capability or custom"
    )


def _custom(b: Builder):
    d, m = b.data, b.model
    metrics = {
        "cost": lambda: m.cost,
        "separations": lambda: quicksum(m.X.values()),
        "accessions": lambda: quicksum(m.A.values()),
        "overstrength": lambda: quicksum(m.O.values()),
        "capability": lambda: -m.capability,  # weight > 0 rewards capability
        "shortfall": lambda: quicksum(
            v[i] for vars_ in b.shortfalls.values() for v in vars_ for i in v
        ),
    }
    return quicksum(
        weight * metrics[name]() for name, weight in d.objective_weights.items() if weight
    )
