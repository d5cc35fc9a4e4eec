"""Courses: trainees from accessions and moves, seats and expansion (C1), and their cost.

Instructor posts and the training load enter the manning balance P2 (personnel).
"""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder, BuiltModel, Levers, PlanRows, item, value
from forceplan.model.keys import CellKey, Src


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
    source = b.data.source

    def describe(index):
        c, y = index
        return f"{c} {y}", source(Src.COURSE, c) + source(Src.COURSE_YEAR, (c, y))

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


def plan_rows(built: BuiltModel) -> PlanRows:
    """Plan_Training: capacity is the year's capacity plus all seats added so far (blank =
    no limit); utilisation counts everyone on the course (C2)."""
    d, m = built.data, built.model
    rows = []
    added: dict[str, float] = {}
    for c, y in m.CY:
        expansion = value(m.EXP[c, y]) if (c, y) in m.EY else 0.0
        added[c] = added.get(c, 0.0) + expansion
        capacity = d.capacity[(c, y)] + added[c]
        trainees = value(m.TR[c, y])
        on_course = sum(  # C2 (§8.3): entrants of the years a trainee holds a seat
            value(m.TR[c, y - j]) for j in range(d.courses[c].seat_years) if y - j >= d.first_year
        )
        rows.append(
            {
                "course": c,
                "year": y,
                "trainees": trainees,
                "capacity": None if math.isinf(capacity) else capacity,
                "expansion": expansion,
                "utilisation": None
                if math.isinf(capacity)
                else (on_course / capacity if capacity > 0 else (0.0 if on_course == 0 else None)),
            }
        )
    return {"Plan_Training": rows}


# --- sweep levers (forceplan.sweep.engine) ------------------------------------------------

SWEEP_TARGETS = ("Courses.capacity", "CourseYears.capacity")


def sweep_params(cell, data) -> list[tuple]:
    """Courses.capacity sets the years without a CourseYears value."""
    if cell.sheet == "CourseYears":
        return [("capacity", *cell.key)]
    c = cell.key[0]
    return [
        ("capacity", c, y) for y in data.years if CellKey(Src.COURSE_YEAR, (c, y)) not in data.cells
    ]


def sweep_refuse(cell, data) -> str:
    """Why setting this cell would change the model's shape ('' if it would not)."""
    c = cell.key[0]
    unlimited = all(math.isinf(data.capacity[(c, y)]) for y in data.years)
    if data.courses[c].expansion_max > 0 and unlimited:
        return (
            f"course {c} has no capacity limit in any year but may be expanded; give it a "
            "finite capacity in the workbook first"
        )
    return ""


def sweep_levers(param: tuple, ctx: Levers) -> list:
    """C1_capacity rows `TR − Σ EXP ≤ capacity` (added if absent)."""
    d, m, lp = ctx.data, ctx.built.model, ctx.lp
    _k, c, y = param
    ctx.base(d.capacity[(c, y)])
    con = item(m.C1_capacity, (c, y))
    r = lp.row(con) if con is not None else None
    tr = lp.col(m.TR[c, y])
    if r is None:
        if not ctx.may_set:
            return []
        terms = [(tr, 1.0)]
        terms += [(lp.col(m.EXP[c, t]), -1.0) for t in d.years if t <= y and (c, t) in m.EY]
        r = ctx.add_row(terms, "C1", "capacity", (c, y), lambda i: (f"{i[0]} {i[1]}", []))
    return [ctx.row_lever(r, tr, "upper", 1.0)]
