"""A toy constraint family, defined only here and in its schema entries (tests/test_toy_family.py).

H1 (housing): the active strength of a year, the persons living in barracks, is at most
the year's housing capacity:

    Σ_{p active} S[p,y] (− SH_housing[y] in elastic mode) ≤ Housing.capacity[y]

It shows what a family module holds (schema.FamilySpec.model_module = "toy_housing"):
variables and rows with the input cells behind each row (`b.family`), a shortfall with its
own penalty (`b.shortfall`) and the report's words (TITLES, KINDS; a real family keeps
them in forceplan/words/<name>.py so that the report does not import Pyomo). Its audit
checks live in the module named by AUDIT_MODULE (tests/toy_housing_audit.py).
"""

from __future__ import annotations

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan import schema
from forceplan.model.core import Builder
from forceplan.words.kind import Kind, Title

AUDIT_MODULE = "toy_housing_audit"

#: The input sheet: one row per year with a housing limit.
HOUSING = schema.Sheet(
    "Housing",
    "Barracks places per year (a toy family of the tests).",
    (
        schema.Column("year", "int", "planning year", required=True),
        schema.Column(
            "capacity", "float", "persons housed in barracks", required=True, unit="persons", lo=0
        ),
    ),
    key=("year",),
)

SPEC = schema.FamilySpec(
    "housing",
    ("H1",),
    "housing",
    model_module="toy_housing",
    audit_module=AUDIT_MODULE,
    words_module="toy_housing",
)

#: Currency-equivalent per person without a bed for a year (elastic mode).
PENALTY = 1.0


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    if not d.elastic:
        return
    m.SH_housing = pyo.Var(d.years, domain=pyo.NonNegativeReals)
    b.shortfall(
        "housing",
        "H1",
        m.SH_housing,
        lambda y: ("persons above barracks capacity", y),
        penalty=PENALTY,
    )


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    table = d.inputs["Housing"]
    capacity = {r["year"]: r["capacity"] for r in table}
    cells = {r["year"]: [table.where(r, "year"), table.where(r, "capacity")] for r in table}
    active = [b.class_ids[p] for p in d.classes if d.active(p)]

    def rule(_m, y):
        housed = quicksum(m.S[i, y] for i in active)
        if d.elastic:
            housed -= m.SH_housing[y]
        return housed <= capacity[y]

    m.H1_housing = pyo.Constraint(sorted(capacity), rule=rule)
    b.family("H1", "barracks ≤ capacity", m.H1_housing, lambda y: (f"barracks {y}", cells[y]))


TITLES = {"H1": Title("Housing", "Σ_{p active} S[p,y] ≤ Housing.capacity[y]")}
KINDS = {
    ("H1", "barracks ≤ capacity"): Kind(
        "The active strength of a year lives in barracks: at most Housing.capacity.",
        "one more barracks place in {year}",
    ),
}
