"""Indexed model data, built once from the typed input tables.

Everything the model rules need is here as plain dicts and lists keyed by names and years,
with per-year overrides already resolved (MODEL.md §7.1). Rules never look anything up in
the input tables. Each parameter also remembers the input cell it came from, so that
constraint rows and infeasibility reports can name cells.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from forceplan import schema
from forceplan.inputs import Inputs, Record, Table
from forceplan.model.keys import CellKey, ClassYear, EquipmentYear, Src

Class = tuple[str, str]  # (trade, grade)
Arc = tuple[Class, Class]

INF = math.inf


@dataclass
class ClassData:
    init: float
    attr: float
    fyattr: float
    annual_cost: float
    accession_cost: float
    separation_cost: float
    overstrength_cost: float
    overstrength_max: float
    ld_max: float
    ld_avail: float
    ld_cost: float
    courses: tuple[str, ...]
    row: int
    # v2 (MODEL.md §8.1, §8.4)
    elig: float = 1.0  # move_eligible_share (P9_moves)
    component: str = "active"  # active | reserve
    ld_share_min: float = 0.0  # limited_duty_share_min (P6_share)
    step_max: float = INF  # accession_step_max (P11)
    # v2 (MODEL.md §8.2): years a person may serve in the class (P10 cohorts), None = no limit
    max_service: int | None = None
    #: initial strength by years served 0 … max_service−1 (PersonnelCohorts or an even split)
    cohort_init: tuple[float, ...] = ()


@dataclass
class ArcData:
    cost: float
    max_per_year: float
    max_share: float
    loss: float
    courses: tuple[str, ...]
    row: int


@dataclass
class CourseData:
    cost: float
    duration: float
    instructor: Class | None
    trainees_per_instructor: float
    expansion_cost: float
    expansion_max: float
    row: int

    @property
    def instructor_ratio(self) -> float:
        """Instructor posts per trainee: duration / trainees_per_instructor (0 if none)."""
        if self.instructor is None or math.isinf(self.trainees_per_instructor):
            return 0.0
        return self.duration / self.trainees_per_instructor

    @property
    def load(self) -> tuple[float, ...]:
        """Share of a trainee's year spent on the course in the years after entry j = 0, 1, …
        (MODEL.md §8.3): min(max(d − j, 0), 1); a course of d ≤ 1 is (d,) as in v1."""
        d = self.duration
        if d <= 1:
            return (d,)
        return tuple(min(max(d - j, 0.0), 1.0) for j in range(math.ceil(d)))

    @property
    def seat_years(self) -> int:
        """Years a trainee holds a seat: max(1, ceil d) (C1 counts entrants of that many years)."""
        return max(1, math.ceil(self.duration))


@dataclass
class UnitData:
    init: float
    capability: float
    om_cost: float
    activation_cost: float
    activation_max: float
    disbandment_cost: float
    manning: list[tuple[Class, float]]
    equipping: list[tuple[str, float]]
    row: int
    om_by_year: dict[int, float] = field(default_factory=dict)  # om_cost after UnitYears


@dataclass
class EquipmentData:
    init: float
    om_cost: float
    attr: float
    lead: int
    line: str
    integer: bool
    row: int
    currency: str | None = None  # of unit_price; None = the base currency (§8.6)
    profile: tuple[float, ...] = (1.0,)  # share of the price paid in years z, z+1, ... (§8.7)


@dataclass
class RatioData:
    name: str
    numerator: list[Class]
    denominator: list[Class]
    min_ratio: float | None
    max_ratio: float | None
    years: list[int]
    row: int


@dataclass
class SourceData:
    lines: tuple[str, ...]
    carryover: bool
    amount: dict[int, float]  # in the source's own currency
    first_year: int  # first year with a row (carry-over starts there)
    currency: str | None = None  # None = the base currency (§8.6)
    expires: int | None = None  # carried money lapses after this many years; None = never
    priority: int = 1  # spending order of the priority stage (§8.7)

    @property
    def vintaged(self) -> bool:
        """Carried money is tracked per year of origin (B2 per vintage)."""
        return self.carryover and self.expires is not None


@dataclass
class ModelData:
    years: list[int]
    first_year: int
    settings: dict[str, Any]
    settings_cells: dict[str, str]  # key -> 'Settings!B3'
    objective: str
    elastic: bool
    integer_units: bool
    discount: dict[int, float]
    classes: dict[Class, ClassData]
    class_years: dict[ClassYear, dict[tuple[Class, int], float]]  # per (p, y)
    arcs: dict[Arc, ArcData]
    courses: dict[str, CourseData]
    capacity: dict[tuple[str, int], float]
    units: dict[str, UnitData]
    unit_min: dict[tuple[str, int], float]
    unit_max: dict[tuple[str, int], float]
    equipment: dict[str, EquipmentData]
    equipment_years: dict[EquipmentYear, dict[tuple[str, int], float]]  # per (e, y)
    end_strength: dict[int, tuple[float, float]]  # active component (v1 rows), by year
    ratios: list[RatioData]
    funding: dict[str, SourceData] | None  # None: no Funding records, spending unconstrained
    lines: list[str]
    line_limits: dict[tuple[str, int], tuple[float, float]]
    objective_weights: dict[str, float]
    penalties: dict[str, float]
    #: entity -> its input cells, e.g. CellKey(Src.CLASS, ("inf", "E1"), "trade") ->
    #: ["Personnel!A2"]; read with `source`
    cells: dict[CellKey, list[str]] = field(default_factory=dict)
    #: currency units per model money unit (see `money_scale`)
    money_scale: float = 1.0
    #: EndStrength rows of the reserve and all components: (component, year) -> (lo, hi)
    end_strength_other: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)
    #: §8.6-8.7 money: price index per (line, year) (absent = 1), exchange rates per
    #: (currency, year), fixed spending per (line, year), and whether a priority stage runs
    price_index: dict[tuple[str, int], float] = field(default_factory=dict)
    rates: dict[tuple[str, int], float] = field(default_factory=dict)
    fixed: dict[tuple[str, int], float] = field(default_factory=dict)
    priority_stage: bool = False
    #: the typed input tables: a family module may read its own sheet from them
    inputs: Any = None

    def source(self, src: Src, index: Any, part: str = "") -> list[str]:
        """The input cells of one entity (and column or parameter); [] when none.
        The list is ModelData's own: copy it before changing it."""
        return self.cells.get(CellKey(src, index, part), [])

    def rate(self, currency: str | None, year: int) -> float:
        """Base units per unit of `currency` in `year` (the base currency: 1)."""
        return 1.0 if currency is None else self.rates[(currency, year)]

    def price_factor(self, line: str, currency: str | None, year: int) -> float:
        """Base-year price -> money of `year`: the index (base currency) or the rate."""
        if currency is None:
            return self.price_index.get((line, year), 1.0)
        return self.rates[(currency, year)]

    @property
    def terminal(self) -> str:
        return str(self.settings.get("terminal") or "none")

    def active(self, p: Class) -> bool:
        return self.classes[p].component == "active"


def build_data(
    inputs: Inputs,
    objective: str | None = None,
    elastic: bool | None = None,
    integer_units: bool | None = None,
) -> ModelData:
    """Model data from valid inputs; keyword options override the Settings sheet."""
    s = inputs.settings
    years = list(inputs.years)
    y0 = years[0]
    rate = float(s["discount_rate"])
    cells: dict[CellKey, list[str]] = defaultdict(list)

    classes = _classes(inputs["Personnel"], cells)
    _cohorts(inputs, classes, cells)
    class_years = _class_years(inputs, classes, years, cells)
    courses, capacity = _courses(inputs, years, cells)
    units, unit_min, unit_max = _units(inputs, years, cells)
    equipment, equipment_years = _equipment(inputs, years, cells)
    other_bands = {  # EndStrength rows of the reserve and of all components (§8.4)
        (component, y): band
        for component in ("reserve", "all")
        for y, band in _end_strength(inputs["EndStrength"], cells, component).items()
    }
    data = ModelData(
        years=years,
        first_year=y0,
        settings=dict(s),
        settings_cells={k: f"Settings!{v}" for k, v in inputs.settings_cells.items()},
        objective=objective or s["objective"],
        elastic=bool(s["elastic"] if elastic is None else elastic),
        integer_units=bool(s["integer_units"] if integer_units is None else integer_units),
        discount={y: (1.0 + rate) ** -(y - y0) for y in years},
        classes=classes,
        class_years=class_years,
        arcs=_arcs(inputs["Transitions"], cells),
        courses=courses,
        capacity=capacity,
        units=units,
        unit_min=unit_min,
        unit_max=unit_max,
        equipment=equipment,
        equipment_years=equipment_years,
        end_strength=_end_strength(inputs["EndStrength"], cells, "active"),
        ratios=_ratios(inputs, classes, years, cells),
        funding=_funding(inputs["Funding"], cells, _base_currency(s)),
        lines=inputs.budget_lines(),
        line_limits=_line_limits(inputs["LineLimits"], cells),
        objective_weights={r["metric"]: float(r["weight"]) for r in inputs["Objective"]},
        penalties={},
        cells=dict(cells),
        end_strength_other=other_bands,
    )
    _money_inputs(data, inputs)
    data.money_scale = money_scale(data)
    data.penalties = penalties(
        data, {r["kind"]: r["penalty"] for r in inputs["Penalties"] if r["penalty"] is not None}
    )
    data.inputs = inputs
    return data


def _note(
    cells: dict, src: Src, key: Any, table: Table, rec: Record, *cols: str, part: str = ""
) -> None:
    """Remember the input cells of `cols` (columns absent from the sheet have none)."""
    present = [c for c in cols if c in table.letters]
    cells[CellKey(src, key, part)].extend(table.where(rec, c) for c in present)


def _classes(table: Table, cells: dict) -> dict[Class, ClassData]:
    out = {}
    for r in table:
        p = (r["trade"], r["grade"])
        out[p] = ClassData(
            init=r["initial_strength"] or 0.0,
            attr=r["attrition_rate"],
            fyattr=r["first_year_attrition_rate"],
            annual_cost=r["annual_cost"],
            accession_cost=r["accession_cost"],
            separation_cost=r["separation_cost"],
            overstrength_cost=r["overstrength_cost"],
            overstrength_max=r["overstrength_max"],
            ld_max=r["limited_duty_max"],
            ld_avail=r["limited_duty_availability"],
            ld_cost=r["limited_duty_cost"],
            courses=tuple(r["accession_courses"]),
            row=r["_row"],
            elig=_or(r.get("move_eligible_share"), 1.0),
            component=r.get("component") or "active",
            ld_share_min=_or(r.get("limited_duty_share_min"), 0.0),
            step_max=_or(r.get("accession_step_max"), INF),
            max_service=None if r.get("max_service_years") is None else int(r["max_service_years"]),
        )
        _note(cells, Src.CLASS, p, table, r, "trade", part="trade")
        for col in _CLASS_CELL_COLUMNS:  # each family cites the columns it comes from
            _note(cells, Src.CLASS, p, table, r, col, part=col)
    return out


_CLASS_CELL_COLUMNS = (
    "initial_strength",
    "attrition_rate",
    "first_year_attrition_rate",
    "accession_min",
    "accession_max",
    "separation_min",
    "separation_max",
    "overstrength_max",
    "limited_duty_max",
    "move_eligible_share",
    "limited_duty_share_min",
    "accession_step_max",
    "component",
    "max_service_years",
)


def _cohorts(inputs: Inputs, classes: dict[Class, ClassData], cells: dict) -> None:
    """Initial strength by years served (MODEL.md §8.2): the PersonnelCohorts rows of a class
    with max_service_years, else its initial_strength split evenly over the cohorts."""
    given: dict[Class, dict[int, float]] = defaultdict(dict)
    table = inputs["PersonnelCohorts"] if "PersonnelCohorts" in inputs.tables else None
    for r in table or ():
        p = (r["trade"], r["grade"])
        given[p][int(r["years_served"])] = r["strength"] or 0.0
        _note(cells, Src.COHORT, p, table, r, "strength")
    for p, c in classes.items():
        if c.max_service is None:
            continue
        k = c.max_service
        rows = given.get(p)
        c.cohort_init = (
            tuple(rows.get(j, 0.0) for j in range(k)) if rows else tuple([c.init / k] * k)
        )


def _or(value: Any, default: float) -> float:
    return default if value is None else float(value)


_CLASS_YEAR_COLUMNS = {  # parameter -> (PersonnelYears column, Personnel column or default)
    ClassYear.ANNUAL_COST: ("annual_cost", "annual_cost"),  # §8.6 overrides (dense)
    ClassYear.ACCESSION_COST: ("accession_cost", "accession_cost"),
    ClassYear.ATTR: ("attrition_rate", "attrition_rate"),
    ClassYear.ACC_MIN: ("accession_min", "accession_min"),
    ClassYear.ACC_MAX: ("accession_max", "accession_max"),
    ClassYear.SEP_MIN: ("separation_min", "separation_min"),
    ClassYear.SEP_MAX: ("separation_max", "separation_max"),
    ClassYear.REQUIREMENT: ("requirement", 0.0),
    ClassYear.MIN_STRENGTH: ("min_strength", 0.0),
    ClassYear.MAX_STRENGTH: ("max_strength", INF),
    ClassYear.LD_MIN: ("limited_duty_min", 0.0),
}


def _class_years(
    inputs: Inputs, classes: dict[Class, ClassData], years: list[int], cells: dict
) -> dict[ClassYear, dict[tuple[Class, int], float]]:
    personnel = {(r["trade"], r["grade"]): r for r in inputs["Personnel"]}
    out: dict[ClassYear, dict[tuple[Class, int], float]] = {}
    for param, (_col, base) in _CLASS_YEAR_COLUMNS.items():
        if isinstance(base, str):
            out[param] = {(p, y): float(personnel[p][base]) for p in classes for y in years}
        else:
            out[param] = {}  # sparse: only (p, y) that differ from the default
    table = inputs["PersonnelYears"]
    for r in table:
        p, y = (r["trade"], r["grade"]), r["year"]
        for param, (col, _base) in _CLASS_YEAR_COLUMNS.items():
            if r.get(col) is not None:
                out[param][(p, y)] = float(r[col])
                _note(cells, Src.CLASS_YEAR, (p, y), table, r, col, part=param)
    # a blank first_year_attrition_rate follows the year's attrition rate (§8.6)
    out[ClassYear.FYATTR] = {
        (p, y): out[ClassYear.ATTR][(p, y)]
        if personnel[p].get("_fyattr_follows")
        else float(personnel[p]["first_year_attrition_rate"])
        for p in classes
        for y in years
    }
    return out


def _arcs(table: Table, cells: dict) -> dict[Arc, ArcData]:
    out = {}
    for r in table:
        a = ((r["from_trade"], r["from_grade"]), (r["to_trade"], r["to_grade"]))
        out[a] = ArcData(
            r["cost"],
            r["max_per_year"],
            r["max_share_of_destination"],
            r["loss_rate"],
            tuple(r["course"]),
            r["_row"],
        )
        _note(cells, Src.ARC, a, table, r, "from_trade")
    return out


def _courses(
    inputs: Inputs, years: list[int], cells: dict
) -> tuple[dict[str, CourseData], dict[tuple[str, int], float]]:
    courses, capacity = {}, {}
    table = inputs["Courses"]
    for r in table:
        c = r["course"]
        instructor = (
            (r["instructor_trade"], r["instructor_grade"])
            if r["instructor_trade"] and r["instructor_grade"]
            else None
        )
        courses[c] = CourseData(
            r["cost_per_trainee"],
            r["duration_years"],
            instructor,
            r["trainees_per_instructor"],
            r["expansion_cost"],
            r["expansion_max"],
            r["_row"],
        )
        for y in years:
            capacity[(c, y)] = r["capacity"]
        _note(cells, Src.COURSE, c, table, r, "capacity")
    table = inputs["CourseYears"]
    for r in table:
        if r["capacity"] is not None:
            capacity[(r["course"], r["year"])] = r["capacity"]
            _note(cells, Src.COURSE_YEAR, (r["course"], r["year"]), table, r, "capacity")
    return courses, capacity


def _units(inputs: Inputs, years: list[int], cells: dict):
    units, umin, umax, om = {}, {}, {}, {}
    table = inputs["UnitTypes"]
    for r in table:
        u = r["unit_type"]
        units[u] = UnitData(
            r["initial_units"],
            r["capability_score"],
            r["om_cost"],
            r["activation_cost"],
            r["activation_max"],
            r["disbandment_cost"],
            [],
            [],
            r["_row"],
        )
        for y in years:
            umin[(u, y)], umax[(u, y)] = r["min_units"], r["max_units"]
            om[(u, y)] = r["om_cost"]
        _note(cells, Src.UNIT, u, table, r, "unit_type")
    table = inputs["UnitYears"]
    for r in table:
        key = (r["unit_type"], r["year"])
        if r["min_units"] is not None:
            umin[key] = r["min_units"]
        if r["max_units"] is not None:
            umax[key] = r["max_units"]
        if r.get("om_cost") is not None:
            om[key] = r["om_cost"]
        _note(cells, Src.UNIT_YEAR, key, table, r, "unit_type")
    for r in inputs["Manning"]:
        if r["personnel"]:
            units[r["unit_type"]].manning.append(((r["trade"], r["grade"]), r["personnel"]))
    for r in inputs["Equipping"]:
        if r["quantity"]:
            units[r["unit_type"]].equipping.append((r["equipment"], r["quantity"]))
    for u, unit in units.items():
        unit.om_by_year = {y: om[(u, y)] for y in years}
    return units, umin, umax


def _equipment(inputs: Inputs, years: list[int], cells: dict):
    equipment: dict[str, EquipmentData] = {}
    EY = EquipmentYear
    per_year: dict[EquipmentYear, dict[tuple[str, int], float]] = {p: {} for p in EY}
    base = _base_currency(inputs.settings)
    table = inputs["Equipment"]
    for r in table:
        e = r["equipment"]
        equipment[e] = EquipmentData(
            r["initial_stock"],
            r["om_cost"],
            r["attrition_rate"],
            int(r["lead_time_years"]),
            r["budget_line"] or "procurement",
            bool(r["integer"]),
            r["_row"],
            _currency(r.get("currency"), base),
            payment_profile(r.get("payment_profile")) or (1.0,),
        )
        for y in years:
            per_year[EY.PRICE][(e, y)] = r["unit_price"]
            per_year[EY.PROC_MAX][(e, y)] = r["procurement_max"]
            per_year[EY.OM_COST][(e, y)] = r["om_cost"]  # §8.6 overrides (dense)
            per_year[EY.ATTR][(e, y)] = r["attrition_rate"]
        _note(cells, Src.EQUIPMENT, e, table, r, "equipment")
    table = inputs["EquipmentYears"]
    for r in table:
        key = (r["equipment"], r["year"])
        if r["unit_price"] is not None:
            per_year[EY.PRICE][key] = r["unit_price"]
        if r["procurement_max"] is not None:
            per_year[EY.PROC_MAX][key] = r["procurement_max"]
        for param, col in ((EY.OM_COST, "om_cost"), (EY.ATTR, "attrition_rate")):
            value = r.get(col)
            if value is not None:
                per_year[param][key] = value
        for param, col in (
            (EY.DON_MAX, "donations_max"),
            (EY.SCHEDULED, "scheduled_deliveries"),
            (EY.REQUIREMENT, "requirement"),
        ):
            if r[col]:
                per_year[param][key] = r[col]
        _note(cells, Src.EQUIPMENT_YEAR, key, table, r, "equipment")
    return equipment, per_year


def _end_strength(table: Table, cells: dict, component: str) -> dict[int, tuple[float, float]]:
    """EndStrength rows of one component (blank component = active), by year."""
    out = {}
    for r in table:
        if (r.get("component") or "active") != component:
            continue
        out[r["year"]] = (r["min_total"] or 0.0, r["max_total"])
        cols = ("min_total", "max_total", "component")
        _note(cells, Src.END_STRENGTH, r["year"], table, r, *cols, part=component)
    return out


def _select(names: tuple[str, ...], classes: dict[Class, ClassData], index: int) -> set[str]:
    if not names or "*" in names:
        return {p[index] for p in classes}
    return set(names)


def _ratios(
    inputs: Inputs, classes: dict[Class, ClassData], years: list[int], cells: dict
) -> list[RatioData]:
    out = []
    active = [p for p, c in classes.items() if c.component == "active"]
    table = inputs["Ratios"]
    for r in table:
        nt = _select(r["numerator_trades"], classes, 0)
        ng = _select(r["numerator_grades"], classes, 1)
        dt = _select(r["denominator_trades"], classes, 0)
        dg = _select(r["denominator_grades"], classes, 1)
        yrs = r["years"]
        ratio_years = years if not yrs or "*" in yrs else sorted({int(float(y)) for y in yrs})
        out.append(
            RatioData(
                name=r["name"],
                # ratios count active classes only (MODEL.md §8.4)
                numerator=[p for p in active if p[0] in nt and p[1] in ng],
                denominator=[p for p in active if p[0] in dt and p[1] in dg],
                min_ratio=r["min_ratio"],
                max_ratio=r["max_ratio"],
                years=[y for y in ratio_years if y in years],
                row=r["_row"],
            )
        )
        _note(cells, Src.RATIO, r["name"], table, r, "min_ratio", "max_ratio")
    return out


def _funding(table: Table, cells: dict, base: str) -> dict[str, SourceData] | None:
    if not len(table):
        return None
    out: dict[str, SourceData] = {}
    for r in table:
        s = r["source"]
        if s not in out:
            lines = tuple(r["lines"]) if r["lines"] and "*" not in r["lines"] else ("*",)
            carry = bool(r["carryover"])
            out[s] = SourceData(
                lines,
                carry,
                {},
                r["year"],
                _currency(r.get("currency"), base),
                r.get("expires_after") if carry else None,
                int(r.get("priority") or 1),
            )
        out[s].amount[r["year"]] = out[s].amount.get(r["year"], 0.0) + r["amount"]
        out[s].first_year = min(out[s].first_year, r["year"])
        _note(cells, Src.FUNDING, (s, r["year"]), table, r, "amount")
    return out


def _base_currency(settings: dict[str, Any]) -> str:
    return str(settings.get("currency") or "UAH").strip()


def _currency(value: Any, base: str) -> str | None:
    """A currency cell: None for blank or the base currency itself (rate 1)."""
    text = str(value).strip() if value is not None else ""
    return None if not text or text == base else text


def payment_profile(value: Any) -> tuple[float, ...] | None:
    """Shares of an Equipment.payment_profile cell; None if blank or not all numbers."""
    parts = tuple(value) if isinstance(value, tuple | list) else (() if value is None else (value,))
    try:
        shares = tuple(float(p) for p in parts)
    except (TypeError, ValueError):
        return None
    return shares or None


def _money_inputs(data: ModelData, inputs: Inputs) -> None:
    """PriceIndex, ExchangeRates, FixedSpending and the priority flag (§8.6-8.7)."""
    cells = data.cells
    for name, src, target, column in (
        ("PriceIndex", Src.PRICE_INDEX, data.price_index, "index"),
        ("ExchangeRates", Src.EXCHANGE_RATE, data.rates, "rate"),
        ("FixedSpending", Src.FIXED_SPENDING, data.fixed, "amount"),
    ):
        table = inputs.tables.get(name)
        for r in table or ():
            first = "currency" if name == "ExchangeRates" else "line"
            key = (r[first], r["year"])
            target[key] = float(r[column]) if r[column] is not None else 1.0
            cells.setdefault(CellKey(src, key), []).append(table.where(r, column))
    data.fixed = {k: v for k, v in data.fixed.items() if v}
    data.priority_stage = any(r.get("priority") is not None for r in inputs["Funding"])


def _line_limits(table: Table, cells: dict) -> dict[tuple[str, int], tuple[float, float]]:
    out = {}
    for r in table:
        out[(r["line"], r["year"])] = (r["min_amount"] or 0.0, r["max_amount"])
        key = (r["line"], r["year"])
        _note(cells, Src.LINE_LIMIT, key, table, r, "min_amount", "max_amount")
    return out


def money_scale(data: ModelData) -> float:
    """Currency units per model money unit: 10^6 when budgets run to hundreds of millions.

    Spending, funding and the objective are carried in millions inside the LP so that money
    rows (10^12 for a national defence budget) and headcount rows (10^5) stay within a few
    orders of magnitude of each other; HiGHS's MIP in particular misjudges feasibility on
    rows of 10^10 and more. Results are converted back, so nothing outside the model sees it.
    """
    figures = [
        abs(v) * max((data.rate(src.currency, y) for y in data.years), default=1.0)
        for src in (data.funding or {}).values()
        for v in src.amount.values()
    ]
    figures += list(data.fixed.values())
    figures += [v for lim in data.line_limits.values() for v in lim if math.isfinite(v)]
    figures.append(sum(c.init * c.annual_cost for c in data.classes.values()))
    return 1e6 if max(figures, default=0.0) >= 1e8 else 1.0


def penalties(data: ModelData, given: dict[str, float]) -> dict[str, float]:
    """Shortfall prices per unit per year: the Penalties sheet, else MODEL.md §7.7 defaults
    (as §8.6 amends them: the highest value of each per-year override over the years,
    prices in base currency at the highest rate of the horizon, no price index)."""
    years, cy, ey = data.years, data.class_years, data.equipment_years

    def top(values: dict, key: Any) -> float:
        return max((values.get((key, y), 0.0) for y in years), default=0.0)

    top_price = {
        e: top(ey[EquipmentYear.PRICE], e)
        * max((data.rate(d.currency, y) for y in years), default=1.0)
        for e, d in data.equipment.items()
    }
    top_om = {e: top(ey[EquipmentYear.OM_COST], e) for e in data.equipment}
    top_pay = {p: top(cy[ClassYear.ANNUAL_COST], p) for p in data.classes}
    c_person = max(
        (
            top_pay[p]
            + top(cy[ClassYear.ACCESSION_COST], p)
            + c.separation_cost
            + c.overstrength_cost
            + c.ld_cost
            for p, c in data.classes.items()
        ),
        default=0.0,
    )
    c_person += max((a.cost for a in data.arcs.values()), default=0.0)
    c_person += max((c.cost for c in data.courses.values()), default=0.0)
    c_equip = max((top_price[e] + top_om[e] for e in data.equipment), default=0.0)
    c_unit = max(
        (
            max(u.om_by_year.values(), default=u.om_cost)
            + u.activation_cost
            + u.disbandment_cost
            + sum(q * top_pay[p] for p, q in u.manning)
            + sum(q * (top_price[e] + top_om[e]) for e, q in u.equipping)
            for u in data.units.values()
        ),
        default=0.0,
    )
    defaults = schema.default_penalties(c_person, c_equip, c_unit)
    return defaults | {k: float(v) for k, v in given.items()}
