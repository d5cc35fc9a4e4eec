"""Objectives (MODEL.md §4, §7.8): minimum cost, maximum capability, or custom weights,
plus elastic-mode penalties.

For `max_capability` the model first maximises capability minus penalties; the solver then
holds that optimum and minimises discounted cost (a lexicographic tie-break, see
`forceplan.model.solve`), so the cost can never change the capability optimum.
"""

from __future__ import annotations

from typing import Any

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.errors import ForceplanError
from forceplan.model.core import Builder


def set_objective(b: Builder) -> str:
    """Add m.cost, m.penalty, m.capability expressions and m.objective; return its sense.

    m.cost and m.penalty are in model money units (currency / data.money_scale), so a
    minimised objective is the reported one divided by money_scale; m.capability is in
    capability points. `reported_objective` converts back.
    """
    d, m = b.data, b.model
    scale = d.money_scale
    m.cost = pyo.Expression(expr=_total(b.objective.cost))
    # a funding gap (GAP) is already in money units; other shortfalls are in heads, items...
    m.penalty = pyo.Expression(
        expr=quicksum(
            group[0].penalty
            / (1.0 if group[0].money else scale)
            * quicksum(s.var[i] for s in group for i in s.var)
            for group in b.shortfalls.values()
        )
    )
    m.capability = pyo.Expression(expr=_total(b.objective.capability))
    if d.objective == "min_cost":
        m.objective = pyo.Objective(expr=m.cost + m.penalty, sense=pyo.minimize)
        return "min"
    if d.objective == "max_capability":
        m.objective = pyo.Objective(expr=capability_score(b.model, d), sense=pyo.maximize)
        return "max"
    if d.objective == "custom":
        m.objective = pyo.Objective(expr=_custom(b) + m.penalty, sense=pyo.minimize)
        return "min"
    raise ForceplanError(
        f"unknown objective {d.objective!r}: use min_cost, max_capability or custom"
    )


def _total(parts: list[Any]) -> Any:
    """The families' parts of one objective, added in build order."""
    if not parts:
        return quicksum(())
    total = parts[0]
    for part in parts[1:]:
        total += part
    return total


def capability_score(m: pyo.ConcreteModel, d) -> Any:
    """Σ capability − penalties (in currency-equivalent), the max_capability objective."""
    return m.capability - d.money_scale * m.penalty


def reported_objective(m: pyo.ConcreteModel, d, sense: str) -> float:
    """The objective in the units the user sees (MODEL.md §7.8)."""
    if sense == "max":
        return float(pyo.value(capability_score(m, d)))
    return float(pyo.value(m.objective)) * d.money_scale


def _custom(b: Builder):
    """Σ weight·metric, divided by money_scale like every minimised objective."""
    d, m = b.data, b.model
    scale = d.money_scale
    metrics = {
        "cost": lambda: m.cost,
        **{name: _scaled(part, scale) for name, part in b.objective.metrics.items()},
        "capability": lambda: -m.capability / scale,  # weight > 0 rewards capability
        # raw sum of shortfall variables; a funding gap counts in currency units
        "shortfall": lambda: quicksum(
            s.var[i] * (1.0 if s.money else 1.0 / scale)
            for group in b.shortfalls.values()
            for s in group
            for i in s.var
        ),
    }
    return quicksum(
        weight * metrics[name]() for name, weight in d.objective_weights.items() if weight
    )


def _scaled(part: Any, scale: float) -> Any:
    return lambda: part() / scale
