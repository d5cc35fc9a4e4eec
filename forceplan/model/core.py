"""The model's core types: a family's rows, the cost ledger, the builder and the built model.

Family modules import these from here (not from build.py), so building the model does not
import its own parts in a circle.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyomo.core as pyo

from forceplan.model.data import ModelData

#: Label of one index of a constraint or variable, and the input cells behind it.
Describe = Callable[[Any], tuple[str, list[str]]]
#: Where a shortfall is (in words) and its year, from the index of its variable.
Where = Callable[[Any], tuple[str, int]]


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
class Shortfall:
    """A shortfall variable of elastic mode (MODEL.md §7.7): the constraint it relaxes and
    how Plan_Shortfalls names each of its entries."""

    kind: str  # Penalties kind: manning, end_strength, ratio, units, equipment, funding
    id: str  # the constraint ID it relaxes (Plan_Shortfalls.constraint)
    var: Any  # pyo.Var
    where: Where
    penalty: float  # per unit (Penalties sheet or MODEL.md §7.7 default; money: per currency)
    money: bool = False  # True: in model money units (data.money_scale), like GAP


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
class ObjectiveParts:
    """What the families add to the objectives (MODEL.md §4, forceplan.model.objective)."""

    cost: list[Any] = field(default_factory=list)  # discounted cost, model money units
    capability: list[Any] = field(default_factory=list)  # capability points
    #: custom objective metrics (Objective sheet) -> their sum, before ÷ money_scale
    metrics: dict[str, Callable[[], Any]] = field(default_factory=dict)


@dataclass
class Builder:
    data: ModelData
    model: pyo.ConcreteModel
    ledger: CostLedger = field(default_factory=CostLedger)
    families: list[Family] = field(default_factory=list)
    objective: ObjectiveParts = field(default_factory=ObjectiveParts)
    #: shortfall kind -> its variables (elastic mode), in registration order
    shortfalls: dict[str, list[Shortfall]] = field(default_factory=lambda: defaultdict(list))
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

    def shortfall(
        self,
        kind: str,
        id: str,
        var: Any,
        where: Where,
        money: bool = False,
        penalty: float | None = None,
    ) -> None:
        """Register a shortfall variable: penalised in the objective at `penalty` (default:
        the Penalties price of `kind`), listed on Plan_Shortfalls under constraint `id`
        where `where` says. All shortfalls of one kind share its penalty and unit."""
        price = self.data.penalties[kind] if penalty is None else penalty
        self.shortfalls[kind].append(Shortfall(kind, id, var, where, price, money))

    def bounded(self, value: float) -> float | None:
        """Pyomo bound from a model number: inf becomes None (unbounded)."""
        return None if math.isinf(value) else value


def clean(x: float) -> float:
    """Round away solver noise (|x| < 1e-9) so tables do not show -0.0 or 1e-13."""
    return 0.0 if abs(x) < 1e-9 else x


def value(var: Any) -> float:
    """A solved variable's value (0 if it has none), solver noise rounded away."""
    v = var.value
    return 0.0 if v is None else clean(float(v))


def item(component: Any, index: Any) -> Any:
    """component[index], or None if the indexed Pyomo component has no such index."""
    return component[index] if index in component else None  # noqa: SIM401 (no .get)


#: A family's contribution to the plan: Plan_ sheet name -> its rows (column -> value).
PlanRows = dict[str, list[dict[str, Any]]]


@dataclass
class BuiltModel:
    model: pyo.ConcreteModel
    data: ModelData
    ledger: CostLedger
    families: list[Family]
    shortfalls: dict[str, list[Shortfall]]
    class_ids: dict[Any, int]
    arc_ids: dict[Any, int]
    classes: list[Any]
    arcs: list[Any]
    sense: str  # "min" or "max" of the reported objective

    def money(self, var: Any) -> float:
        """A money variable (spend, F, CARRY, GAP) in currency units."""
        return value(var) * self.data.money_scale

    def shortfall_vars(self) -> list[Any]:
        """Every shortfall variable (elastic mode), kind by kind."""
        return [v for group in self.shortfalls.values() for s in group for v in s.var.values()]


class Levers(Protocol):
    """What a family's `sweep_levers(param, ctx)` is given (forceplan.sweep.engine): the
    compiled LP and the built model, and the ways to tie a parameter to the LP. A lever
    sets a bound to mult × the parameter's value; every scenario starts from the
    workbook's values."""

    lp: Any  # forceplan.model.persistent.PersistentLP: .row(con), .col(var) positions
    built: BuiltModel
    data: ModelData
    may_set: bool  # a spec sets the value (not only scales it): rows may be added

    def base(self, value: float) -> None:
        """The parameter's value in the workbook."""

    def row_lever(self, row: int, key_col: int, side: str, unit: float) -> Any:
        """A bound of `row` ("lower", "upper", "both"); the sign of the row's coefficient
        of `key_col` says which side that is in the row as written."""

    def col_lever(self, col: int, side: str, unit: float) -> Any:
        """A bound of column `col`."""

    def add_row(
        self, terms: list[tuple[int, float]], id: str, kind: str, index: Any, describe: Describe
    ) -> int:
        """A new free row (its bounds come from the lever) for a limit the workbook left
        out; listed as (id, kind, describe(index)) among the binding limits."""

    def coefficients(self, base: float, rows: Iterable[tuple[Any, Any, list]]) -> None:
        """A coefficient lever: rows (Pyomo row, anchor variable, [(unit, var, factor)])
        whose entries are rebuilt from the factors (forceplan.sweep.coefficients)."""
