"""Personnel classes: strength balance (P1), manning (P2), overstrength, accession and
separation limits (P3-P5), limited duty and strength bounds (P6), and their costs."""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder
from forceplan.model.courseload import instructor_terms, profile

NonNeg = pyo.NonNegativeReals


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    cy = d.class_years
    classes = list(d.classes)
    m.PY = pyo.Set(
        initialize=[(i, y) for i in range(len(classes)) for y in d.years], dimen=2, ordered=True
    )

    def bounds(lo_key: str, hi_key: str, lo_default: float = 0.0, hi_default: float = math.inf):
        def rule(_m, i, y):
            key = (classes[i], y)
            return (cy[lo_key].get(key, lo_default), b.bounded(cy[hi_key].get(key, hi_default)))

        return rule

    m.S = pyo.Var(m.PY, domain=NonNeg, bounds=bounds("min_strength", "max_strength"))
    m.A = pyo.Var(m.PY, domain=NonNeg, bounds=bounds("acc_min", "acc_max"))
    m.X = pyo.Var(m.PY, domain=NonNeg, bounds=bounds("sep_min", "sep_max"))
    m.O = pyo.Var(
        m.PY,
        domain=NonNeg,
        bounds=lambda _m, i, y: (0.0, b.bounded(d.classes[classes[i]].overstrength_max)),
    )
    m.LD = pyo.Set(
        initialize=[(i, y) for (i, y) in m.PY if d.classes[classes[i]].ld_max > 0],
        dimen=2,
        ordered=True,
    )
    ld_min = cy["ld_min"]  # PersonnelYears.limited_duty_min: limited duty is a fact (§8.4)
    m.L = pyo.Var(
        m.LD,
        domain=NonNeg,
        bounds=lambda _m, i, y: (
            ld_min.get((classes[i], y), 0.0),
            d.classes[classes[i]].ld_max,
        ),
    )
    if d.elastic:
        m.SH_manning = pyo.Var(m.PY, domain=NonNeg)
        b.shortfalls["manning"].append(m.SH_manning)

    b.family("P3", "class cap", m.O, _describer(b, ["overstrength_max"]), is_bound=True)
    b.family(
        "P4",
        "class limits",
        m.A,
        _describer(b, ["accession_min", "accession_max"], ["acc_min", "acc_max"]),
        is_bound=True,
    )
    b.family(
        "P5",
        "class limits",
        m.X,
        _describer(b, ["separation_min", "separation_max"], ["sep_min", "sep_max"]),
        is_bound=True,
    )
    b.family(
        "P6",
        "strength limits",
        m.S,
        _describer(b, [], ["min_strength", "max_strength"]),
        is_bound=True,
    )
    b.family(
        "P6",
        "limited-duty cap",
        m.L,
        _describer(b, ["limited_duty_max"], ["ld_min"]),
        is_bound=True,
    )

    for i, y in m.PY:
        c, key = d.classes[classes[i]], (classes[i], y)
        b.ledger.add("personnel", y, cy["annual_cost"][key], m.S[i, y])  # §8.6 per year
        b.ledger.add("personnel", y, c.overstrength_cost, m.O[i, y])
        b.ledger.add("recruiting", y, cy["accession_cost"][key], m.A[i, y])
        b.ledger.add("separation", y, c.separation_cost, m.X[i, y])
        if (i, y) in m.LD:
            b.ledger.add("personnel", y, c.ld_cost, m.L[i, y])


def _describer(b: Builder, columns: list[str], params: tuple[str, ...] | list[str] = ()):
    """Label 'trade/grade year' and the cells of `columns` on Personnel (the class row if
    none) plus the PersonnelYears cells overriding `params` in that year."""
    classes = list(b.data.classes)
    cells = b.data.cells

    def describe(index):
        i, y = index
        p = classes[i]
        src: list[str] = []
        for col in columns or ["trade"]:
            src += cells.get((f"class.{col}", p) if columns else ("class", p), [])
        for param in params:
            src += cells.get((f"class_year:{param}", (p, y)), [])
        return f"{p[0]}/{p[1]} {y}", src

    return describe


def add_constraints(b: Builder) -> None:
    d, m = b.data, b.model
    classes = list(d.classes)
    arcs = list(d.arcs)
    y0 = d.first_year
    in_arcs: dict[int, list[int]] = {i: [] for i in range(len(classes))}
    out_arcs: dict[int, list[int]] = {i: [] for i in range(len(classes))}
    for k, (src, dst) in enumerate(arcs):
        out_arcs[b.class_ids[src]].append(k)
        in_arcs[b.class_ids[dst]].append(k)

    attr, fyattr = d.class_years["attr"], d.class_years["fyattr"]  # per year (§8.6)

    def balance(_m, i, y):  # P1
        c, key = d.classes[classes[i]], (classes[i], y)
        prev = (1 - attr[key]) * (c.init if y == y0 else m.S[i, y - 1])
        moves_in = quicksum((1 - d.arcs[arcs[k]].loss) * m.M[k, y] for k in in_arcs[i])
        moves_out = quicksum(m.M[k, y] for k in out_arcs[i])
        return m.S[i, y] == prev + (1 - fyattr[key]) * m.A[i, y] + moves_in - moves_out - m.X[i, y]

    m.P1_balance = pyo.Constraint(m.PY, rule=balance)
    b.family(
        "P1",
        "balance",
        m.P1_balance,
        _describer(
            b, ["initial_strength", "attrition_rate", "first_year_attrition_rate"], ["attr"]
        ),
    )

    # P2: requirement = unit posts + direct posts + instructor posts; training load is absent
    fill = float(d.settings["unit_fill_rate"])
    manning: dict[int, list[tuple[str, float]]] = {i: [] for i in range(len(classes))}
    for u, unit in d.units.items():
        for p, qty in unit.manning:
            manning[b.class_ids[p]].append((u, qty))
    # C2 (§8.3): load and instructor posts per year after entry j; one j = 0 term in v1
    teaching = instructor_terms(d)
    instructors = [teaching[p] for p in classes]
    acc_load = [profile(d, d.classes[p].courses) for p in classes]
    arc_load = [profile(d, d.arcs[a].courses) for a in arcs]
    requirement = d.class_years["requirement"]

    def manning_rule(_m, i, y):  # P2
        c = d.classes[classes[i]]
        lhs = m.S[i, y] - m.O[i, y]
        if (i, y) in m.LD:
            lhs -= (1 - c.ld_avail) * m.L[i, y]
        for j, share in enumerate(acc_load[i]):
            if share and y - j >= y0:
                lhs -= share * m.A[i, y - j]
        lhs -= quicksum(
            share * m.M[k, y - j]
            for k in in_arcs[i]
            for j, share in enumerate(arc_load[k])
            if share and y - j >= y0
        )
        lhs -= quicksum(fill * qty * m.N[u, y] for u, qty in manning[i])
        lhs -= quicksum(
            ratio * m.TR[cname, y - j] for cname, j, ratio in instructors[i] if y - j >= y0
        )
        if d.elastic:
            lhs += m.SH_manning[i, y]
        return lhs == requirement.get((classes[i], y), 0.0)

    m.P2_manning = pyo.Constraint(m.PY, rule=manning_rule)
    b.family("P2", "manning", m.P2_manning, _describer(b, [], ["requirement"]))

    settings = d.settings
    years = d.years
    n = len(classes)

    def total_rule(var, key):
        cap = float(settings[key])
        if math.isinf(cap):
            return None
        return pyo.Constraint(
            years, rule=lambda _m, y: quicksum(var[i, y] for i in range(n)) <= cap
        )

    def describe_total(key):
        return lambda y: (
            f"all classes {y}",
            [d.settings_cells[key]] if key in d.settings_cells else [],
        )

    for cid, var, key in (
        ("P3", m.O, "overstrength_max_total"),
        ("P4", m.A, "accession_max_total"),
        ("P5", m.X, "separation_max_total"),
    ):
        con = total_rule(var, key)
        if con is not None:
            m.add_component(f"{cid}_total", con)
            b.family(cid, "total cap", con, describe_total(key))

    m.P6_limited_duty = pyo.Constraint(m.LD, rule=lambda _m, i, y: m.L[i, y] <= m.S[i, y])
    b.family(
        "P6", "limited duty ≤ strength", m.P6_limited_duty, _describer(b, ["limited_duty_max"])
    )
