"""Courses: trainees from accessions and moves, seats and expansion (C1), and their cost.

Instructor posts and the training load enter the manning balance P2 (personnel).
"""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    m.CY = pyo.Set(initialize=[(c, y) for c in d.courses for y in d.years], dimen=2, ordered=True)
    m.TR = pyo.Var(m.CY, domain=pyo.NonNegativeReals)
    # seats can only be added to a course whose capacity is finite in some year
    expandable = [
        c
        for c, course in d.courses.items()
        if course.expansion_max > 0 and any(not math.isinf(d.capacity[(c, y)]) for y in d.years)
    ]
    m.EY = pyo.Set(initialize=[(c, y) for c in expandable for y in d.years], dimen=2, ordered=True)
    m.EXP = pyo.Var(
        m.EY, domain=pyo.NonNegativeReals, bounds=lambda _m, c, y: (0.0, d.courses[c].expansion_max)
    )
    b.family("C1", "expansion cap", m.EXP, _describer(b), is_bound=True)
    for c, y in m.CY:
        b.ledger.add("training", y, d.courses[c].cost, m.TR[c, y])
    for c, y in m.EY:
        b.ledger.add("training", y, d.courses[c].expansion_cost, m.EXP[c, y])


def _describer(b: Builder):
    cells = b.data.cells

    def describe(index):
        c, y = index
        return f"{c} {y}", cells.get(("course", c), []) + cells.get(("course_year", (c, y)), [])

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    classes, arcs = list(d.classes), list(d.arcs)
    takers: dict[str, list[int]] = {c: [] for c in d.courses}  # classes whose accessions take c
    for i, p in enumerate(classes):
        for c in d.classes[p].courses:
            takers[c].append(i)
    movers: dict[str, list[int]] = {c: [] for c in d.courses}  # arcs whose moves take c
    for k, a in enumerate(arcs):
        for c in d.arcs[a].courses:
            movers[c].append(k)

    def trainees_rule(_m, c, y):  # gross flows: before attrition and arc losses (§7.4)
        return m.TR[c, y] == quicksum(m.A[i, y] for i in takers[c]) + quicksum(
            m.M[k, y] for k in movers[c]
        )

    m.C1_trainees = pyo.Constraint(m.CY, rule=trainees_rule)
    describe = _describer(b)
    b.family("C1", "trainees", m.C1_trainees, describe)

    limited = [(c, y) for (c, y) in m.CY if not math.isinf(d.capacity[(c, y)])]
    years = d.years

    def capacity_rule(_m, c, y):  # expansion seats are permanent and count the year added
        added = quicksum(m.EXP[c, t] for t in years if t <= y and (c, t) in m.EY)
        # C2 (§8.3): trainees on the course = entrants of the last max(1, ceil d) years
        window = d.courses[c].seat_years
        on_course = quicksum(m.TR[c, y - j] for j in range(window) if y - j >= years[0])
        return on_course - added <= d.capacity[(c, y)]

    m.C1_capacity = pyo.Constraint(limited, rule=capacity_rule)
    b.family("C1", "capacity", m.C1_capacity, describe)
