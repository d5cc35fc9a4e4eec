"""Assemble the linear program from its families.

The families are declared once, in `forceplan.schema.FAMILIES`; each one's module first
declares its variables (all families), then its constraints, and adds its cost terms to the
shared cost ledger. `budget` turns the ledger into spending per line and year (B1) and
funding (B2, B3); `objective` sets the objective. Every constraint family is registered under
its ID (P1 ... B3) so that results, reports and the audit use the same names.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pyomo.core as pyo

from forceplan import schema
from forceplan.model import objective
from forceplan.model.core import (  # noqa: F401  (re-exported: older imports)
    Builder,
    BuiltModel,
    CommitLedger,
    CostLedger,
    Describe,
    Family,
)
from forceplan.model.data import ModelData


def family_modules() -> list[ModuleType]:
    """The model module of every family in schema.FAMILIES, in build order."""
    return [importlib.import_module(spec.model_path) for spec in schema.FAMILIES]


def build_model(data: ModelData) -> BuiltModel:
    m = pyo.ConcreteModel(name="forceplan")
    b = Builder(data, m)
    classes = list(data.classes)
    arcs = list(data.arcs)
    b.class_ids = {p: i for i, p in enumerate(classes)}
    b.arc_ids = {a: k for k, a in enumerate(arcs)}
    modules = family_modules()
    for module in modules:
        module.add_variables(b)
    for module in modules:
        module.add_constraints(b)
    sense = objective.set_objective(b)
    return BuiltModel(
        m,
        data,
        b.ledger,
        b.families,
        dict(b.shortfalls),
        b.class_ids,
        b.arc_ids,
        classes,
        arcs,
        sense,
    )
