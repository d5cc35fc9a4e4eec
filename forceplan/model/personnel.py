"""Personnel classes: strength balance (P1), manning (P2), overstrength, accession and
separation limits (P3-P5), limited duty and strength bounds (P6), and their costs."""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.core.util import quicksum

from forceplan.model.core import Builder, BuiltModel, Levers, PlanRows, value
from forceplan.model.courseload import instructor_terms, profile
from forceplan.model.keys import CY, CellKey, Src

NonNeg = pyo.NonNegativeReals


def add_variables(b: Builder) -> None:
    d, m = b.data, b.model
    cy = d.class_years
    classes = list(d.classes)
    m.PY = pyo.Set(
        initialize=[(i, y) for i in range(len(classes)) for y in d.years], dimen=2, ordered=True
    )

    def bounds(lo_key: CY, hi_key: CY, lo_default: float = 0.0, hi_default: float = math.inf):
        def rule(_m, i, y):
            key = (classes[i], y)
            return (cy[lo_key].get(key, lo_default), b.bounded(cy[hi_key].get(key, hi_default)))

        return rule

    m.S = pyo.Var(m.PY, domain=NonNeg, bounds=bounds(CY.MIN_STRENGTH, CY.MAX_STRENGTH))
    m.A = pyo.Var(m.PY, domain=NonNeg, bounds=bounds(CY.ACC_MIN, CY.ACC_MAX))
    m.X = pyo.Var(m.PY, domain=NonNeg, bounds=bounds(CY.SEP_MIN, CY.SEP_MAX))
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
    ld_min = cy[CY.LD_MIN]  # PersonnelYears.limited_duty_min: limited duty is a fact (§8.4)
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

        def manning_where(index):
            p = classes[index[0]]
            return f"{p[0]}/{p[1]} manning below requirement", index[1]

        b.shortfall("manning", "P2", m.SH_manning, manning_where)

    b.family("P3", "class cap", m.O, _describer(b, ["overstrength_max"]), is_bound=True)
    b.family(
        "P4",
        "class limits",
        m.A,
        _describer(b, ["accession_min", "accession_max"], [CY.ACC_MIN, CY.ACC_MAX]),
        is_bound=True,
    )
    b.family(
        "P5",
        "class limits",
        m.X,
        _describer(b, ["separation_min", "separation_max"], [CY.SEP_MIN, CY.SEP_MAX]),
        is_bound=True,
    )
    b.family(
        "P6",
        "strength limits",
        m.S,
        _describer(b, [], [CY.MIN_STRENGTH, CY.MAX_STRENGTH]),
        is_bound=True,
    )
    b.family(
        "P6",
        "limited-duty cap",
        m.L,
        _describer(b, ["limited_duty_max"], [CY.LD_MIN]),
        is_bound=True,
    )

    for i, y in m.PY:
        c, key = d.classes[classes[i]], (classes[i], y)
        b.ledger.add("personnel", y, cy[CY.ANNUAL_COST][key], m.S[i, y])  # §8.6 per year
        b.ledger.add("personnel", y, c.overstrength_cost, m.O[i, y])
        b.ledger.add("recruiting", y, cy[CY.ACCESSION_COST][key], m.A[i, y])
        b.ledger.add("separation", y, c.separation_cost, m.X[i, y])
        if (i, y) in m.LD:
            b.ledger.add("personnel", y, c.ld_cost, m.L[i, y])


def _describer(b: Builder, columns: list[str], params: tuple[CY, ...] | list[CY] = ()):
    """Label 'trade/grade year' and the cells of `columns` on Personnel (the class row if
    none) plus the PersonnelYears cells overriding `params` in that year."""
    classes = list(b.data.classes)
    source = b.data.source

    def describe(index):
        i, y = index
        p = classes[i]
        src: list[str] = []
        for col in columns or ["trade"]:
            src += source(Src.CLASS, p, col)
        for param in params:
            src += source(Src.CLASS_YEAR, (p, y), param)
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

    attr, fyattr = d.class_years[CY.ATTR], d.class_years[CY.FYATTR]  # per year (§8.6)

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
            b, ["initial_strength", "attrition_rate", "first_year_attrition_rate"], [CY.ATTR]
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
    requirement = d.class_years[CY.REQUIREMENT]

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
    b.family("P2", "manning", m.P2_manning, _describer(b, [], [CY.REQUIREMENT]))

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

    for metric, var in (("separations", m.X), ("accessions", m.A), ("overstrength", m.O)):
        b.objective.metrics[metric] = lambda var=var: quicksum(var.values())  # custom objective

    m.P6_limited_duty = pyo.Constraint(m.LD, rule=lambda _m, i, y: m.L[i, y] <= m.S[i, y])
    b.family(
        "P6", "limited duty ≤ strength", m.P6_limited_duty, _describer(b, ["limited_duty_max"])
    )


def plan_rows(built: BuiltModel) -> PlanRows:
    """Plan_Personnel: moves_in net of the arc's loss_rate; attrition = attr·S[y-1] +
    first_year_attr·A[y], so strength = previous + accessions + moves_in - moves_out -
    separations - attrition holds row by row."""
    d, m = built.data, built.model
    classes, arcs = built.classes, built.arcs
    fill = float(d.settings["unit_fill_rate"])
    ids = built.class_ids
    arcs_in: dict[int, list[int]] = {i: [] for i in range(len(classes))}
    arcs_out: dict[int, list[int]] = {i: [] for i in range(len(classes))}
    for k, (src, dst) in enumerate(arcs):
        arcs_out[ids[src]].append(k)
        arcs_in[ids[dst]].append(k)
    posts: dict[int, list[tuple[str, float]]] = {i: [] for i in range(len(classes))}
    for u, unit in d.units.items():
        for p, qty in unit.manning:
            posts[ids[p]].append((u, fill * qty))
    teaching = instructor_terms(d)  # C2 (§8.3): per year after entry j
    acc_load = [profile(d, d.classes[p].courses) for p in classes]
    arc_load = [profile(d, d.arcs[a].courses) for a in arcs]
    y0 = d.first_year

    def earlier(var, key, y: int) -> float:
        return value(var[key, y]) if y >= y0 else 0.0

    direct = d.class_years[CY.REQUIREMENT]
    rows = []
    for i, y in m.PY:
        p = classes[i]
        c = d.classes[p]
        prev = c.init if y == d.first_year else value(m.S[i, y - 1])
        acc = value(m.A[i, y])
        moved_in = [(k, value(m.M[k, y])) for k in arcs_in[i]]
        requirement = direct.get((p, y), 0.0)
        requirement += sum(q * value(m.N[u, y]) for u, q in posts[i])
        requirement += sum(r * earlier(m.TR, cname, y - j) for cname, j, r in teaching[p])
        rows.append(
            {
                "trade": p[0],
                "grade": p[1],
                "year": y,
                "strength": value(m.S[i, y]),
                "accessions": acc,
                "separations": value(m.X[i, y]),
                "moves_in": sum((1 - d.arcs[arcs[k]].loss) * v for k, v in moved_in),
                "moves_out": sum(value(m.M[k, y]) for k in arcs_out[i]),
                "attrition": d.class_years[CY.ATTR][(p, y)] * prev
                + d.class_years[CY.FYATTR][(p, y)] * acc,
                "limited_duty": value(m.L[i, y]) if (i, y) in m.LD else 0.0,
                "training_load": sum(
                    share * earlier(m.A, i, y - j) for j, share in enumerate(acc_load[i])
                )
                + sum(
                    share * earlier(m.M, k, y - j)
                    for k in arcs_in[i]
                    for j, share in enumerate(arc_load[k])
                ),
                "requirement": requirement,
                "overstrength": value(m.O[i, y]),
                "shortfall": value(m.SH_manning[i, y]) if d.elastic else 0.0,
            }
        )
    return {"Plan_Personnel": rows}


# --- sweep levers (forceplan.sweep.engine) ------------------------------------------------

#: The --vary targets (forceplan.sweep.spec.TARGETS) this family's rows and bounds take.
SWEEP_TARGETS = (
    "Settings.accession_max_total",
    "Settings.separation_max_total",
    "Settings.overstrength_max_total",
    "Personnel.accession_max",
    "Personnel.accession_min",
    "Personnel.separation_max",
    "Personnel.separation_min",
)
_CLASS_PARAMS = {
    "accession_max": CY.ACC_MAX,
    "accession_min": CY.ACC_MIN,
    "separation_max": CY.SEP_MAX,
    "separation_min": CY.SEP_MIN,
}
_TOTALS = {  # Settings key -> (row ID, variable name)
    "accession_max_total": ("P4", "A"),
    "separation_max_total": ("P5", "X"),
    "overstrength_max_total": ("P3", "O"),
}


def sweep_params(cell, data) -> list[tuple]:
    """The model parameters an input cell sets (years with a PersonnelYears value keep it)."""
    if cell.sheet == "Settings":
        return [("setting", cell.column)]
    param, p = _CLASS_PARAMS[cell.column], cell.key
    return [
        (param, p, y)
        for y in data.years
        if CellKey(Src.CLASS_YEAR, (p, y), param) not in data.cells
    ]


def sweep_levers(param: tuple, ctx: Levers) -> list:
    """P3/P4/P5 total rows `Σ O / A / X ≤ cap` per year (added if absent); A / X bounds."""
    d, m, lp = ctx.data, ctx.built.model, ctx.lp
    kind = param[0]
    if kind == "setting":
        key = param[1]
        ctx.base(float(d.settings[key]))
        cid, name = _TOTALS[key]
        var = m.component(name)
        comp = m.component(f"{cid}_total")
        levers = []
        for y in d.years:
            r = lp.row(comp[y]) if comp is not None else None
            cols = [lp.col(var[i, y]) for i in range(len(d.classes))]
            if r is None:
                if not ctx.may_set or not cols:
                    continue
                terms = [(c, 1.0) for c in cols]
                r = ctx.add_row(terms, cid, "total cap", y, lambda y: (f"all classes {y}", []))
            levers.append(ctx.row_lever(r, cols[0], "upper", 1.0))
        return levers
    _k, p, y = param
    defaults = {CY.ACC_MAX: math.inf, CY.SEP_MAX: math.inf}
    ctx.base(d.class_years[kind].get((p, y), defaults.get(kind, 0.0)))
    var = m.A if kind in (CY.ACC_MIN, CY.ACC_MAX) else m.X
    col = lp.col(var[ctx.built.class_ids[p], y])
    return [ctx.col_lever(col, "upper" if kind in (CY.ACC_MAX, CY.SEP_MAX) else "lower", 1.0)]


def active_strength(built: BuiltModel) -> dict[int, list]:
    """Year -> the strength variables EndStrength counts by default (active classes)."""
    d, m = built.data, built.model
    active = [i for i, p in enumerate(d.classes) if d.active(p)]
    return {y: [m.S[i, y] for i in active] for y in d.years}
