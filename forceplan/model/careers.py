"""Careers (MODEL.md §8.1, §8.4, §8.5): time in grade (P9), the limited-duty share (P6_share),
accession smoothing (P11) and the steady last year (P12 for classes, E3 for equipment).

These rows only read the variables of the personnel, transitions and equipment modules;
they add no variables and no costs. P9 is on for every workbook; the others exist only
when their column or setting is given.
"""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder
from forceplan.model.keys import CY, EY, Src
from forceplan.model.personnel import _describer


def add_variables(b: Builder) -> None:
    """No variables of its own."""


def add_constraints(b: Builder) -> None:
    _time_in_grade(b)
    _limited_duty_share(b)
    _accession_steps(b)
    if b.data.terminal == "steady":
        _steady_classes(b)
        _steady_equipment(b)


def _arcs_by_class(b: Builder) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    n = len(b.data.classes)
    into: dict[int, list[int]] = {i: [] for i in range(n)}
    out: dict[int, list[int]] = {i: [] for i in range(n)}
    for k, (src, dst) in enumerate(b.data.arcs):
        out[b.class_ids[src]].append(k)
        into[b.class_ids[dst]].append(k)
    return into, out


def _time_in_grade(b: Builder) -> None:
    """P9: moves out + separations ≤ the surviving start-of-year stock (arrivals of the year
    cannot leave in it); P9_moves: moves out ≤ move_eligible_share × that stock."""
    d, m = b.data, b.model
    classes = list(d.classes)
    y0 = d.first_year
    _into, out = _arcs_by_class(b)

    attr = d.class_years[CY.ATTR]  # the year's attrition rate (§8.6 overrides)

    def survivors(i: int, y: int):
        c = d.classes[classes[i]]
        return (1 - attr[(classes[i], y)]) * (c.init if y == y0 else m.S[i, y - 1])

    def can_leave(i: int, y: int) -> bool:
        if d.classes[classes[i]].max_service is not None:
            return False  # P10 classes: P9 per cohort (cohorts.py)
        return bool(out[i]) or m.X[i, y].ub is None or m.X[i, y].ub > 0

    rows = [(i, y) for (i, y) in m.PY if can_leave(i, y)]

    def p9(_m, i, y):
        return quicksum(m.M[k, y] for k in out[i]) + m.X[i, y] <= survivors(i, y)

    m.P9_time_in_grade = pyo.Constraint(rows, rule=p9)
    b.family(
        "P9",
        "leavers ≤ start-of-year stock",
        m.P9_time_in_grade,
        _describer(b, ["initial_strength", "attrition_rate"], [CY.ATTR]),
    )
    movers = [
        (i, y)
        for (i, y) in m.PY
        if out[i] and d.classes[classes[i]].elig < 1 and d.classes[classes[i]].max_service is None
    ]

    def p9_moves(_m, i, y):
        elig = d.classes[classes[i]].elig
        return quicksum(m.M[k, y] for k in out[i]) <= elig * survivors(i, y)

    m.P9_moves = pyo.Constraint(movers, rule=p9_moves)
    b.family(
        "P9",
        "moves ≤ eligible stock",
        m.P9_moves,
        _describer(b, ["move_eligible_share", "initial_strength", "attrition_rate"], [CY.ATTR]),
    )


def _limited_duty_share(b: Builder) -> None:
    """P6_share: L[p,y] ≥ limited_duty_share_min × S[p,y]."""
    d, m = b.data, b.model
    classes = list(d.classes)
    rows = [(i, y) for (i, y) in m.LD if d.classes[classes[i]].ld_share_min > 0]

    def rule(_m, i, y):
        return m.L[i, y] - d.classes[classes[i]].ld_share_min * m.S[i, y] >= 0.0

    m.P6_share = pyo.Constraint(rows, rule=rule)
    b.family(
        "P6",
        "limited-duty share",
        m.P6_share,
        _describer(b, ["limited_duty_share_min"]),
    )


def _accession_steps(b: Builder) -> None:
    """P11: |A[p,y] − A[p,y−1]| ≤ accession_step_max, two rows; likewise the total."""
    d, m = b.data, b.model
    classes = list(d.classes)
    later = [y for y in d.years if y > d.first_year]
    rows = [
        (i, y)
        for i, p in enumerate(classes)
        for y in later
        if not math.isinf(d.classes[p].step_max)
    ]

    def rise(_m, i, y):
        return m.A[i, y] - m.A[i, y - 1] <= d.classes[classes[i]].step_max

    def fall(_m, i, y):
        return m.A[i, y - 1] - m.A[i, y] <= d.classes[classes[i]].step_max

    m.P11_rise = pyo.Constraint(rows, rule=rise)
    m.P11_fall = pyo.Constraint(rows, rule=fall)
    describe = _describer(b, ["accession_step_max"])
    b.family("P11", "rise cap", m.P11_rise, describe)
    b.family("P11", "fall cap", m.P11_fall, describe)

    step = float(d.settings.get("accession_step_max_total", math.inf))
    if math.isinf(step) or not later:
        return
    n = len(classes)

    def total(y):
        return quicksum(m.A[i, y] for i in range(n))

    m.P11_total_rise = pyo.Constraint(later, rule=lambda _m, y: total(y) - total(y - 1) <= step)
    m.P11_total_fall = pyo.Constraint(later, rule=lambda _m, y: total(y - 1) - total(y) <= step)
    cell = [d.settings_cells["accession_step_max_total"]]

    def describe_total(y):
        return f"all classes {y}", cell

    b.family("P11", "total rise cap", m.P11_total_rise, describe_total)
    b.family("P11", "total fall cap", m.P11_total_fall, describe_total)


def _steady_classes(b: Builder) -> None:
    """P12: the last year's flows keep its strength: P1 of year T with S[T−1] → S[T]."""
    d, m = b.data, b.model
    classes = list(d.classes)
    last = d.years[-1]
    into, out = _arcs_by_class(b)
    arcs = list(d.arcs)
    attr, fyattr = d.class_years[CY.ATTR], d.class_years[CY.FYATTR]  # year T's rates (§8.6)

    def rule(_m, i):
        key = (classes[i], last)
        flows = (
            (1 - fyattr[key]) * m.A[i, last]
            + quicksum((1 - d.arcs[arcs[k]].loss) * m.M[k, last] for k in into[i])
            - quicksum(m.M[k, last] for k in out[i])
            - m.X[i, last]
        )
        return flows - attr[key] * m.S[i, last] == 0.0

    m.P12_steady = pyo.Constraint(range(len(classes)), rule=rule)
    describe = _describer(b, ["attrition_rate", "first_year_attrition_rate"], [CY.ATTR])

    def describe_last(i):
        label, cells = describe((i, last))
        return label, cells + _setting_cell(b)

    b.family("P12", "steady last year", m.P12_steady, describe_last)


def _steady_equipment(b: Builder) -> None:
    """E3: orders placed in T + T's donations and scheduled deliveries ≥ attr × stock[T]."""
    d, m = b.data, b.model
    last = d.years[-1]
    ey = d.equipment_years
    renewing = [e for e in d.equipment if ey[EY.ATTR][(e, last)] > 0]  # year T's rate (§8.6)

    def rule(_m, e):
        scheduled = ey[EY.SCHEDULED].get((e, last), 0.0)
        wear = ey[EY.ATTR][(e, last)]
        return m.ORD[e, last] + m.DON[e, last] - wear * m.Q[e, last] >= -scheduled

    m.E3_steady = pyo.Constraint(renewing, rule=rule)
    source = d.source

    def describe(e):
        src = source(Src.EQUIPMENT, e) + source(Src.EQUIPMENT_YEAR, (e, last))
        return f"{e} {last}", src + _setting_cell(b)

    b.family("E3", "renewal ≥ wear-out", m.E3_steady, describe)


def _setting_cell(b: Builder) -> list[str]:
    cell = b.data.settings_cells.get("terminal")
    return [cell] if cell else []
