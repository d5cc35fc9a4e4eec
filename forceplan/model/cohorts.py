"""Service limits planned person by person (MODEL.md §8.2): cohorts by years served (P10).

A class with `max_service_years` K is tracked by completed years of service in the class:
`SC[p,k,y]` is the end-of-year strength of those who joined (or moved in) in year y − k.

    P10_enter  SC[p,0,y] = (1 − fyattr)·A[p,y] + Σ_{a into p} (1 − loss_a)·M[a,y]
    P9_cohort  SC[p,k,y] ≤ (1 − attr)·SC[p,k−1,y−1]                    k = 1 … K−1
    P10_exit   X[p,y] + Σ_{a out of p} M[a,y]
                 = (1 − attr)·SC[p,K−1,y−1]                               (the leaving cohort)
                 + Σ_{k=1}^{K−1} [(1 − attr)·SC[p,k−1,y−1] − SC[p,k,y]]   (the others' leavers)

P9_cohort is P9 per cohort: a cohort can only lose people (its leavers are its shrinkage
beyond attrition), so nobody leaves from the cohort of the year, and the leaving cohort K−1
has no row of its own: all its survivors are in P10_exit. With P1 (kept for the class) these
rows give S[p,y] = Σ_k SC[p,k,y] by induction from the initial split, so the class-level P9
row is dropped for these classes (careers.py) and no row states the sum.

If move_eligible_share e < 1 and the class has arcs out, moves are split by cohort, MC[p,k,y]
for k < K−1 (the leaving cohort is exempt from the share):

    P9_cohort_moves  MC[p,k,y] ≤ e·(1 − attr)·SC[p,k,y−1]
    P9_cohort_split  MC[p,k,y] ≤ (1 − attr)·SC[p,k,y−1] − SC[p,k+1,y]   (its leavers)
    P9_moves         Σ_{a out of p} M[a,y] ≤ Σ_k MC[p,k,y] + (1 − attr)·SC[p,K−1,y−1]
"""

from __future__ import annotations

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.careers import _arcs_by_class
from forceplan.model.core import Builder, BuiltModel, PlanRows, value
from forceplan.model.keys import CY, Src


def cohort_classes(b: Builder) -> list[int]:
    """Class indices with a service limit."""
    return [i for i, p in enumerate(b.data.classes) if b.data.classes[p].max_service is not None]


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    classes = list(d.classes)
    index = [
        (i, k, y)
        for i in cohort_classes(b)
        for k in range(d.classes[classes[i]].max_service)
        for y in d.years
    ]
    m.PKY = pyo.Set(initialize=index, dimen=3, ordered=True)
    m.SC = pyo.Var(m.PKY, domain=pyo.NonNegativeReals)
    _into, out = _arcs_by_class(b)
    split = [
        (i, k, y)
        for (i, k, y) in index
        if out[i] and d.classes[classes[i]].elig < 1 and k < d.classes[classes[i]].max_service - 1
    ]
    m.PKM = pyo.Set(initialize=split, dimen=3, ordered=True)
    m.MC = pyo.Var(m.PKM, domain=pyo.NonNegativeReals)


def _describer(b: Builder, columns: list[str], params: tuple[str, ...] = (CY.ATTR,)):
    """Label 'trade/grade k=served year' and the cells of the class, its cohort rows
    and its PersonnelYears overrides."""
    classes = list(b.data.classes)
    source = b.data.source

    def describe(index):
        i, k, y = index if len(index) == 3 else (index[0], None, index[1])
        p = classes[i]
        src: list[str] = []
        for col in ["max_service_years", *columns]:
            src += source(Src.CLASS, p, col)
        src += source(Src.COHORT, p)
        for param in params:
            src += source(Src.CLASS_YEAR, (p, y), param)
        name = f"{p[0]}/{p[1]}" if k is None else f"{p[0]}/{p[1]} k={k}"
        return f"{name} {y}", src  # the year last: prices split it off

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    classes, arcs = list(d.classes), list(d.arcs)
    y0 = d.first_year
    into, out = _arcs_by_class(b)
    attr, fyattr = d.class_years[CY.ATTR], d.class_years[CY.FYATTR]
    ids = cohort_classes(b)
    K = {i: d.classes[classes[i]].max_service for i in ids}

    def surv(i: int, k: int, y: int):
        """Survivors in year y of those in cohort k at the end of y − 1."""
        p = classes[i]
        start = d.classes[p].cohort_init[k] if y == y0 else m.SC[i, k, y - 1]
        return (1 - attr[(p, y)]) * start

    def enter(_m, i, y):
        p = classes[i]
        arrivals = (1 - fyattr[(p, y)]) * m.A[i, y] + quicksum(
            (1 - d.arcs[arcs[a]].loss) * m.M[a, y] for a in into[i]
        )
        return m.SC[i, 0, y] - arrivals == 0.0

    rows = [(i, y) for i in ids for y in d.years]
    m.P10_enter = pyo.Constraint(rows, rule=enter)
    b.family(
        "P10",
        "cohort 0 = arrivals",
        m.P10_enter,
        _describer(b, ["first_year_attrition_rate"], (CY.FYATTR,)),
    )

    ages = [(i, k, y) for i in ids for k in range(1, K[i]) for y in d.years]

    def age(_m, i, k, y):
        return m.SC[i, k, y] - surv(i, k - 1, y) <= 0.0

    m.P9_cohort = pyo.Constraint(ages, rule=age)
    b.family(
        "P9",
        "cohort ≤ its survivors",
        m.P9_cohort,
        _describer(b, ["initial_strength", "attrition_rate"]),
    )

    def leave(_m, i, y):
        k_last = K[i] - 1
        leavers = quicksum(m.M[a, y] for a in out[i]) + m.X[i, y]
        younger = quicksum(surv(i, k - 1, y) - m.SC[i, k, y] for k in range(1, K[i]))
        return leavers - younger == surv(i, k_last, y)

    m.P10_exit = pyo.Constraint(rows, rule=leave)
    b.family(
        "P10",
        "leaving cohort goes",
        m.P10_exit,
        _describer(b, ["initial_strength", "attrition_rate", "separation_max"]),
    )
    _cohort_moves(b, out, surv, K)


def _cohort_moves(b: Builder, out, surv, K) -> None:
    """P9 with move_eligible_share per cohort; the leaving cohort is exempt."""
    d, m = b.data, b.model
    classes = list(d.classes)
    elig = {i: d.classes[classes[i]].elig for i, _k, _y in m.PKM}

    def share(_m, i, k, y):
        return m.MC[i, k, y] - elig[i] * surv(i, k, y) <= 0.0

    def split(_m, i, k, y):
        return m.MC[i, k, y] - surv(i, k, y) + m.SC[i, k + 1, y] <= 0.0

    m.P9_cohort_moves = pyo.Constraint(m.PKM, rule=share)
    m.P9_cohort_split = pyo.Constraint(m.PKM, rule=split)
    describe = _describer(b, ["move_eligible_share", "initial_strength", "attrition_rate"])
    b.family("P9", "cohort moves ≤ eligible", m.P9_cohort_moves, describe)
    b.family("P9", "cohort moves ≤ its leavers", m.P9_cohort_split, describe)
    rows = sorted({(i, y) for i, _k, y in m.PKM})

    def moves(_m, i, y):
        return quicksum(m.M[a, y] for a in out[i]) - quicksum(
            m.MC[i, k, y] for k in range(K[i] - 1)
        ) <= surv(i, K[i] - 1, y)

    m.P9_cohort_total = pyo.Constraint(rows, rule=moves)
    b.family("P9", "moves ≤ eligible + leaving cohort", m.P9_cohort_total, describe)


def plan_rows(built: BuiltModel) -> PlanRows:
    """Plan_Cohorts (MODEL.md §8.2), only when some class has a service limit: strength by
    years served; `leaving` = the survivors of the last cohort, who leave the class the
    next year."""
    d, m = built.data, built.model
    if not len(m.PKY):
        return {}
    rows = []
    for i, k, y in m.PKY:
        p = built.classes[i]
        c = d.classes[p]
        strength = value(m.SC[i, k, y])
        rows.append(
            {
                "trade": p[0],
                "grade": p[1],
                "years_served": k,
                "year": y,
                "strength": strength,
                "leaving": strength if k == c.max_service - 1 else 0.0,
            }
        )
    return {"Plan_Cohorts": rows}
