"""The model's core types: a family's rows, the cost ledger, the builder and the built model.

Family modules import these from here (not from build.py), so building the model does not
import its own parts in a circle.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyomo.core as pyo

from forceplan.model.data import ModelData

#: Label of one index of a constraint or variable, and the input cells behind it.
Describe = Callable[[Any], tuple[str, list[str]]]


@dataclass
class Family:
    """One constraint family's rows: a Pyomo constraint, or bounds of a Pyomo variable."""

    id: str
    kind: str  # what the rows say, e.g. "balance", "class cap", "total cap"
    component: Any  # pyo.Constraint or pyo.Var
    describe: Describe
    is_bound: bool = False  # True: rows are the variable's bounds
    money: bool = False  # True: rows are in model money units (see data.money_scale)
    #: True: the maximum is what others offer (donations): at 0 nothing is on offer and the
    #: row is no limit a planner can relax (its price is kept, but no sentence shows it)
    offer: bool = False


@dataclass
class CostLedger:
    """Cost terms per (budget line, year): (coefficient, variable) pairs."""

    terms: dict[tuple[str, int], list[tuple[float, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, line: str, year: int, coef: float, var: Any) -> None:
        if coef:
            self.terms[(line, year)].append((coef, var))

    def add_many(self, line: str, items: Iterable[tuple[int, float, Any]]) -> None:
        for year, coef, var in items:
            self.add(line, year, coef, var)

    #: terms priced in a foreign currency: (line, year) -> (coef in that currency, var, currency)
    foreign: dict[tuple[str, int], list[tuple[float, Any, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: payments due after the horizon (§8.7), by (line, order year)
    after_horizon: CommitLedger = field(default_factory=lambda: CommitLedger())

    def add_priced(
        self, line: str, year: int, coef: float, var: Any, currency: str | None, _order: int
    ) -> None:
        """A price term paid in `year`: base currency at base-year prices (B1 applies the
        price index), or in `currency` (B1 converts at the year's rate)."""
        if currency is None:
            self.add(line, year, coef, var)
        elif coef:
            self.foreign[(line, year)].append((coef, var, currency))


@dataclass
class CommitLedger:
    """Payments after the horizon (§8.7): (line, order year) -> (coef, var, currency or None),
    coef at base-year prices or in the currency; valued at the last year's index or rate."""

    terms: dict[tuple[str, int], list[tuple[float, Any, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add_priced(
        self, line: str, _year: int, coef: float, var: Any, currency: str | None, order: int
    ) -> None:
        if coef:
            self.terms[(line, order)].append((coef, var, currency))


@dataclass
class Builder:
    data: ModelData
    model: pyo.ConcreteModel
    ledger: CostLedger = field(default_factory=CostLedger)
    families: list[Family] = field(default_factory=list)
    #: shortfall kind -> list of (variable component) in elastic mode
    shortfalls: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    #: index maps: class tuple -> int and back, arc -> int
    class_ids: dict[Any, int] = field(default_factory=dict)
    arc_ids: dict[Any, int] = field(default_factory=dict)

    def family(
        self,
        id: str,
        kind: str,
        component: Any,
        describe: Describe,
        is_bound: bool = False,
        money: bool = False,
        offer: bool = False,
    ) -> None:
        self.families.append(Family(id, kind, component, describe, is_bound, money, offer))

    def bounded(self, value: float) -> float | None:
        """Pyomo bound from a model number: inf becomes None (unbounded)."""
        return None if math.isinf(value) else value


@dataclass
class BuiltModel:
    model: pyo.ConcreteModel
    data: ModelData
    ledger: CostLedger
    families: list[Family]
    shortfalls: dict[str, list[Any]]
    class_ids: dict[Any, int]
    arc_ids: dict[Any, int]
    classes: list[Any]
    arcs: list[Any]
    sense: str  # "min" or "max" of the reported objective

    def shortfall_vars(self) -> list[Any]:
        """Every shortfall variable (elastic mode), kind by kind."""
        return [v for group in self.shortfalls.values() for var in group for v in var.values()]
