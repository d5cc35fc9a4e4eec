"""The sheet registry: every input sheet and column of the workbook contract, declared once.

The template, the reader, validation messages and the docs are generated from these
declarations; nothing else in the package lists input columns. The output sheets (Plan_)
are declared the same way in `forceplan.output_schema`.
Keep this module free of heavy imports: the CLI imports it for `--help`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from forceplan import output_schema

INF = math.inf

Kind = Literal["text", "int", "float", "bool", "list", "enum"]

#: Entities that names on one sheet may refer to, and where they are defined.
REF_DEFINED_ON = {
    "trade": "Personnel.trade",
    "grade": "Personnel.grade",
    "course": "Courses.course",
    "unit_type": "UnitTypes.unit_type",
    "equipment": "Equipment.equipment",
    "line": "the budget lines (personnel, recruiting, separation, training, units, "
    "sustainment, procurement, or a name used in Equipment.budget_line)",
}

STANDARD_LINES = (
    "personnel",
    "recruiting",
    "separation",
    "training",
    "units",
    "sustainment",
    "procurement",
)

OBJECTIVES = ("min_cost", "max_capability", "custom")
OBJECTIVE_METRICS = ("cost", "separations", "accessions", "overstrength", "capability", "shortfall")
PENALTY_KINDS = ("end_strength", "manning", "equipment", "units", "funding", "ratio")
#: MODEL.md §7.7 defaults of the elastic penalties (per unit of shortfall per year) where
#: the Penalties sheet gives none: a price per currency unit of funding gap, and a multiple
#: of the costliest person, item and unit for the others. The model and the audit each
#: work out those three costs from the inputs; the rule that turns them into penalties is
#: this one (`default_penalties`).
PENALTY_FUNDING = 100.0
PENALTY_MULTIPLE = 1000.0
COMPONENTS = ("active", "reserve")  # Personnel.component (MODEL.md §8.4)
END_STRENGTH_COMPONENTS = ("active", "reserve", "all")  # EndStrength.component
TERMINAL_RULES = ("none", "steady")  # Settings.terminal (MODEL.md §8.5)


def default_penalties(c_person: float, c_equip: float, c_unit: float) -> dict[str, float]:
    """MODEL.md §7.7: penalty per kind from the costliest person (c_person), equipment item
    (c_equip) and unit type (c_unit), as §8.6 amends their reading."""
    person = PENALTY_MULTIPLE * max(1.0, c_person)
    return {
        "funding": PENALTY_FUNDING,
        "end_strength": person,
        "manning": person,
        "ratio": person,
        "equipment": PENALTY_MULTIPLE * max(1.0, c_equip),
        "units": PENALTY_MULTIPLE * max(1.0, c_unit),
    }


@dataclass(frozen=True)
class Column:
    """One column of an input sheet (or one key of the Settings sheet)."""

    name: str
    kind: Kind
    help: str
    default: Any = None
    required: bool = False
    unit: str = ""
    lo: float | None = None  # allowed range; None = no bound
    hi: float | None = None
    lo_open: bool = False  # True: the lower bound itself is not allowed
    ref: str | None = None  # entity this name (or list of names) refers to
    choices: tuple[str, ...] = ()  # for kind == "enum"
    line: str | None = None  # budget line this cost column is paid from
    allow_star: bool = False  # list columns: "*" means all
    unbounded_ok: bool = False  # numbers: "inf" (unbounded) is allowed

    @property
    def is_number(self) -> bool:
        return self.kind in ("int", "float")

    def range_text(self) -> str:
        """Human wording of the allowed range, for messages and header comments."""
        if self.lo is None and self.hi is None:
            return ""
        if self.hi is None:
            return f"> {self.lo:g}" if self.lo_open else f"≥ {self.lo:g}"
        if self.lo is None:
            return f"≤ {self.hi:g}"
        left = "(" if self.lo_open else "["
        return f"in {left}{self.lo:g}, {self.hi:g}]"


@dataclass(frozen=True)
class Sheet:
    """One input sheet: a plain table with the header in row 1."""

    name: str
    help: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that identify a record (duplicates are errors)
    required: bool = False
    #: (min column, max column, what they bound) pairs checked for min > max
    min_max: tuple[tuple[str, str], ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# --- column helpers (keep the declarations below one line each where possible) ----------


def _name(name: str, help: str, ref: str | None = None, required: bool = True) -> Column:
    return Column(name, "text", help, required=required, ref=ref, default=None if required else "")


def _year(help: str = "planning year (within first_year..last_year)") -> Column:
    return Column("year", "int", help, required=True, unit="year")


def _count(name: str, help: str, default: float = 0.0, unit: str = "persons") -> Column:
    return Column(name, "float", help, default=default, unit=unit, lo=0.0)


def _cap(name: str, help: str, unit: str = "persons/year") -> Column:
    """A `*_max` column: blank or `inf` means unbounded."""
    return Column(
        name,
        "float",
        help + " (blank or inf = unbounded)",
        default=INF,
        unit=unit,
        lo=0.0,
        unbounded_ok=True,
    )


def _opt(name: str, help: str, unit: str = "persons") -> Column:
    """A per-year override column: blank means 'no override'; `*max*` ones accept inf."""
    unbounded = "max" in name or name == "capacity"
    return Column(
        name,
        "float",
        help + " (blank = no override)",
        default=None,
        unit=unit,
        lo=0.0,
        unbounded_ok=unbounded,
    )


def _opt_rate(name: str, help: str) -> Column:
    """A per-year override of a rate: a fraction, blank = no override."""
    return Column(
        name,
        "float",
        help + " (blank = no override)",
        default=None,
        unit="fraction",
        lo=0.0,
        hi=1.0,
    )


def _rate(name: str, help: str, default: float | None = 0.0) -> Column:
    return Column(name, "float", help, default=default, unit="fraction", lo=0.0, hi=1.0)


def _money(name: str, help: str, line: str | None, unit: str = "currency") -> Column:
    return Column(name, "float", help, default=0.0, unit=unit, lo=0.0, line=line)


# --- the sheets ---------------------------------------------------------------------------

SETTINGS_KEYS: tuple[Column, ...] = (
    Column("first_year", "int", "first planning year", required=True, unit="year"),
    Column("last_year", "int", "last planning year (≥ first_year)", required=True, unit="year"),
    Column("title", "text", "plan title printed on outputs", default=""),
    Column(
        "classification",
        "text",
        "banner printed on every report page and output sheet",
        default="UNCLASSIFIED",
    ),
    Column(
        "currency",
        "text",
        "base currency of every money column (foreign currencies: ExchangeRates)",
        default="UAH",
    ),
    Column(
        "discount_rate",
        "float",
        "annual discount rate: df_y = (1 + r)^-(y - first_year)",
        default=0.0,
        unit="fraction/year",
        lo=0.0,
    ),
    Column("objective", "enum", "what the plan optimises", default="min_cost", choices=OBJECTIVES),
    Column(
        "elastic", "bool", "add priced shortfall variables so a plan always exists", default=False
    ),
    Column("integer_units", "bool", "unit counts must be whole numbers (MILP)", default=False),
    Column(
        "unit_fill_rate",
        "float",
        "share of each unit's TO&E personnel that must be present",
        default=1.0,
        unit="fraction",
        lo=0.0,
        hi=1.0,
        lo_open=True,
    ),
    Column(
        "equipment_fill_rate",
        "float",
        "share of each unit's equipment that must be on hand",
        default=1.0,
        unit="fraction",
        lo=0.0,
        hi=1.0,
        lo_open=True,
    ),
    _cap("accession_max_total", "all accessions in a year (recruiting pool)"),
    _cap("separation_max_total", "all separations in a year (demobilisation capacity)"),
    _cap("overstrength_max_total", "total overstrength in a year", unit="persons"),
    _cap(
        "accession_step_max_total",
        "largest change of all accessions from one year to the next, up or down (P11)",
    ),
    Column(
        "terminal",
        "enum",
        "end of the horizon: none, or steady = the last year's flows must keep its strength "
        "and renew its equipment for ever (P12, E3)",
        default="none",
        choices=TERMINAL_RULES,
    ),
)

SETTINGS = Sheet(
    "Settings",
    "Planning horizon and global options: one `key` / `value` pair per row.",
    (
        Column("key", "text", "setting name", required=True),
        Column("value", "text", "setting value", required=False),
    ),
    key=("key",),
    required=True,
)

PERSONNEL = Sheet(
    "Personnel",
    "One row per personnel class (trade × grade): starting strength, flows, costs and caps.",
    (
        _name("trade", "trade (branch / specialty) of the class"),
        _name("grade", "grade (rank group / service category) of the class"),
        Column(
            "initial_strength",
            "float",
            "headcount at the end of first_year - 1",
            required=True,
            unit="persons",
            lo=0.0,
        ),
        _rate("attrition_rate", "annual loss rate of serving personnel"),
        _rate(
            "first_year_attrition_rate",
            "loss rate of accessions in the year they join (blank = attrition_rate)",
            None,
        ),
        _money(
            "annual_cost",
            "pay, allowances and overhead per person-year",
            "personnel",
            "currency/person-year",
        ),
        _money(
            "accession_cost",
            "recruiting cost and bonus per accession",
            "recruiting",
            "currency/person",
        ),
        _count("accession_min", "minimum accessions per year", unit="persons/year"),
        _cap("accession_max", "maximum accessions per year"),
        Column(
            "accession_courses",
            "list",
            "courses every accession takes, e.g. basic,infantry",
            default=(),
            ref="course",
        ),
        _money(
            "separation_cost",
            "severance / demobilisation payment per separation",
            "separation",
            "currency/person",
        ),
        _count("separation_min", "minimum managed separations per year", unit="persons/year"),
        _cap("separation_max", "maximum managed separations per year"),
        _money(
            "overstrength_cost",
            "cost per head-year above requirement",
            "personnel",
            "currency/person-year",
        ),
        _cap("overstrength_max", "cap on overstrength in this class", unit="persons"),
        _count("limited_duty_max", "headcount that may be on limited duty"),
        _rate(
            "limited_duty_availability",
            "share of a limited-duty person that counts toward requirement",
            0.5,
        ),
        _money(
            "limited_duty_cost",
            "extra cost per limited-duty head-year",
            "personnel",
            "currency/person-year",
        ),
        _rate(
            "move_eligible_share",
            "share of the start-of-year stock that has served long enough to be promoted or "
            "cross-trained (P9_moves; 1 = all)",
            1.0,
        ),
        Column(
            "component",
            "enum",
            "active or reserve: EndStrength counts active classes unless its component says "
            "reserve or all; Ratios count active classes only",
            default="active",
            choices=COMPONENTS,
        ),
        _rate(
            "limited_duty_share_min",
            "least share of the class's strength that is on limited duty (P6_share)",
        ),
        _cap(
            "accession_step_max",
            "largest change of accessions from one year to the next, up or down (P11)",
        ),
        Column(
            "max_service_years",
            "int",
            "years a person serves in this class before he must leave it by a separation or a "
            "move (e.g. 3 = discharge after three years; P10 cohorts; blank = no limit)",
            default=None,
            unit="years",
            lo=1.0,
        ),
    ),
    key=("trade", "grade"),
    required=True,
    min_max=(("accession_min", "accession_max"), ("separation_min", "separation_max")),
)

PERSONNEL_YEARS = Sheet(
    "PersonnelYears",
    "Per class and year overrides; blank cells keep the class value.",
    (
        _name("trade", "trade of the class", ref="trade"),
        _name("grade", "grade of the class", ref="grade"),
        _year(),
        Column(
            "requirement",
            "float",
            "direct posts outside units (HQs, training base, institutional); blank = 0",
            default=None,
            unit="persons",
            lo=0.0,
        ),
        _opt("accession_min", "minimum accessions this year", "persons/year"),
        _opt("accession_max", "maximum accessions this year", "persons/year"),
        _opt("separation_min", "minimum separations this year", "persons/year"),
        _opt("separation_max", "maximum separations this year", "persons/year"),
        _opt("min_strength", "minimum strength of the class at year end"),
        _opt("max_strength", "maximum strength of the class at year end"),
        Column(
            "limited_duty_min",
            "float",
            "headcount that is on limited duty this year whatever the plan (wounded, "
            "recovering; ≤ Personnel.limited_duty_max; blank = 0)",
            default=None,
            unit="persons",
            lo=0.0,
        ),
        _opt(
            "annual_cost", "pay per person-year this year, base-year prices", "currency/person-year"
        ),
        _opt_rate("attrition_rate", "loss rate of serving personnel this year"),
        _opt("accession_cost", "cost per accession this year, base-year prices", "currency/person"),
    ),
    key=("trade", "grade", "year"),
    min_max=(
        ("accession_min", "accession_max"),
        ("separation_min", "separation_max"),
        ("min_strength", "max_strength"),
    ),
)

TRANSITIONS = Sheet(
    "Transitions",
    "Movements between classes: promotion, cross-training, re-enlistment, downgrade.",
    (
        _name("from_trade", "trade moved from", ref="trade"),
        _name("from_grade", "grade moved from", ref="grade"),
        _name("to_trade", "trade moved to", ref="trade"),
        _name("to_grade", "grade moved to", ref="grade"),
        _money("cost", "cost per person moved", "training", "currency/person"),
        _cap("max_per_year", "headcount moved per year"),
        Column(
            "max_share_of_destination",
            "float",
            "moved in a year ≤ share × destination strength that year (blank or inf = unbounded)",
            default=INF,
            unit="fraction",
            lo=0.0,
            unbounded_ok=True,
        ),
        _rate("loss_rate", "share of those moved who leave the force in the year of the move"),
        Column("course", "list", "courses the moved personnel take", default=(), ref="course"),
    ),
    key=("from_trade", "from_grade", "to_trade", "to_grade"),
)

COURSES = Sheet(
    "Courses",
    "Training courses: seats, cost, duration and instructors.",
    (
        _name("course", "course name"),
        _cap("capacity", "trainees per year", unit="trainees/year"),
        _money("cost_per_trainee", "cost per trainee", "training", "currency/trainee"),
        Column(
            "duration_years",
            "float",
            "years a trainee is not available for duty: a share of the year of entry, or more "
            "than 1 for a course that takes years (the load spreads over the years; C2)",
            default=0.0,
            unit="years",
            lo=0.0,
        ),
        _name("instructor_trade", "trade that supplies instructors (blank = none)", "trade", False),
        _name("instructor_grade", "grade that supplies instructors (blank = none)", "grade", False),
        Column(
            "trainees_per_instructor",
            "float",
            "trainees per instructor (blank or inf = no instructors needed)",
            default=INF,
            unit="trainees/instructor",
            lo=0.0,
            lo_open=True,
            unbounded_ok=True,
        ),
        _money(
            "expansion_cost",
            "one-off cost per seat of permanent added capacity",
            "training",
            "currency/seat",
        ),
        _count("expansion_max", "seats that may be added per year", unit="seats/year"),
    ),
    key=("course",),
)

COURSE_YEARS = Sheet(
    "CourseYears",
    "Course capacity for particular years (e.g. partner courses that exist only some years).",
    (
        _name("course", "course name", ref="course"),
        _year(),
        _opt("capacity", "trainees this year", "trainees/year"),
    ),
    key=("course", "year"),
)

PERSONNEL_COHORTS = Sheet(
    "PersonnelCohorts",
    "Initial strength of a class with max_service_years by completed years of service "
    "(P10); a class's rows must sum to its initial_strength; without rows it is split evenly.",
    (
        _name("trade", "trade of the class", ref="trade"),
        _name("grade", "grade of the class", ref="grade"),
        Column(
            "years_served",
            "int",
            "completed years of service in the class at the base state (0 … max_service_years−1)",
            required=True,
            unit="years",
            lo=0.0,
        ),
        _count("strength", "headcount with this many years served at the base state"),
    ),
    key=("trade", "grade", "years_served"),
)

UNIT_TYPES = Sheet(
    "UnitTypes",
    "Unit types (brigades, regiments, battalions): counts, costs and limits.",
    (
        _name("unit_type", "unit type name"),
        Column("description", "text", "free text", default=""),
        _count("initial_units", "units at the end of first_year - 1", unit="units"),
        Column(
            "capability_score",
            "float",
            "capability of one unit for one year",
            default=0.0,
            unit="points/unit-year",
        ),
        _money(
            "om_cost", "annual operations and maintenance per unit", "units", "currency/unit-year"
        ),
        _money("activation_cost", "cost per unit stood up", "units", "currency/unit"),
        _cap("activation_max", "units stood up per year", unit="units/year"),
        _money("disbandment_cost", "cost per unit disbanded", "units", "currency/unit"),
        _count("min_units", "minimum units in every year", unit="units"),
        _cap("max_units", "maximum units in every year", unit="units"),
    ),
    key=("unit_type",),
    min_max=(("min_units", "max_units"),),
)

UNIT_YEARS = Sheet(
    "UnitYears",
    "Per unit type and year overrides of the unit limits.",
    (
        _name("unit_type", "unit type name", ref="unit_type"),
        _year(),
        _opt("min_units", "minimum units this year", "units"),
        _opt("max_units", "maximum units this year", "units"),
        _opt("om_cost", "O&M per unit this year, base-year prices", "currency/unit-year"),
    ),
    key=("unit_type", "year"),
    min_max=(("min_units", "max_units"),),
)

MANNING = Sheet(
    "Manning",
    "Table of organisation: personnel of each class in one unit.",
    (
        _name("unit_type", "unit type", ref="unit_type"),
        _name("trade", "trade of the post", ref="trade"),
        _name("grade", "grade of the post", ref="grade"),
        _count("personnel", "posts of this class per unit", unit="persons/unit"),
    ),
    key=("unit_type", "trade", "grade"),
)

EQUIPPING = Sheet(
    "Equipping",
    "Table of equipment: items of each equipment type in one unit.",
    (
        _name("unit_type", "unit type", ref="unit_type"),
        _name("equipment", "equipment type", ref="equipment"),
        _count("quantity", "items per unit", unit="items/unit"),
    ),
    key=("unit_type", "equipment"),
)

EQUIPMENT = Sheet(
    "Equipment",
    "Equipment types: stock, prices, lead times and production limits.",
    (
        _name("equipment", "equipment type name"),
        Column("description", "text", "free text", default=""),
        _count("initial_stock", "items at the end of first_year - 1", unit="items"),
        _money("unit_price", "price per item ordered", "procurement", "currency/item"),
        _money("om_cost", "annual upkeep per item in stock", "sustainment", "currency/item-year"),
        _rate("attrition_rate", "annual wear-out / loss of the stock"),
        Column(
            "lead_time_years",
            "int",
            "years between order and delivery",
            default=0,
            unit="years",
            lo=0.0,
        ),
        _cap("procurement_max", "orders per year", unit="items/year"),
        Column("budget_line", "text", "budget line that pays for orders", default="procurement"),
        Column("integer", "bool", "orders must be whole numbers", default=False),
        Column(
            "currency",
            "text",
            "currency of unit_price (blank = base currency; rates on ExchangeRates)",
            default="",
        ),
        Column(
            "payment_profile",
            "list",
            "shares of the price paid in the order year, the next year, ... (sum 1; blank = 1)",
            default=(),
        ),
    ),
    key=("equipment",),
)

EQUIPMENT_YEARS = Sheet(
    "EquipmentYears",
    "Per equipment type and year: prices, limits, donations, contracted deliveries, requirements.",
    (
        _name("equipment", "equipment type", ref="equipment"),
        _year(),
        Column(
            "unit_price",
            "float",
            "price this year (blank = no override)",
            default=None,
            unit="currency/item",
            lo=0.0,
        ),
        _opt("procurement_max", "orders this year", "items/year"),
        _count("donations_max", "partner deliveries on offer this year (blank = 0)", unit="items"),
        _count(
            "scheduled_deliveries",
            "deliveries already contracted (compulsory, blank = 0)",
            unit="items",
        ),
        _count(
            "requirement",
            "stock needed outside units (training fleets, reserve; blank = 0)",
            unit="items",
        ),
        _opt("om_cost", "upkeep per item this year, base-year prices", "currency/item-year"),
        _opt_rate("attrition_rate", "wear-out / loss of the stock this year"),
    ),
    key=("equipment", "year"),
)

END_STRENGTH = Sheet(
    "EndStrength",
    "The glide path: band for the total strength of all classes at the end of each year.",
    (
        _year(),
        _count("min_total", "minimum total strength (blank = 0)"),
        _cap("max_total", "maximum total strength", unit="persons"),
        Column(
            "component",
            "enum",
            "which classes the band counts: active, reserve or all (blank = active)",
            default="active",
            choices=END_STRENGTH_COMPONENTS,
        ),
    ),
    key=("year", "component"),
    min_max=(("min_total", "max_total"),),
)

RATIOS = Sheet(
    "Ratios",
    "Grade pyramid, officer share, trade mix: min ≤ numerator strength / denominator ≤ max.",
    (
        _name("name", "ratio name"),
        Column(
            "numerator_trades",
            "list",
            "trades in the numerator (* = all)",
            default=("*",),
            ref="trade",
            allow_star=True,
        ),
        Column(
            "numerator_grades",
            "list",
            "grades in the numerator (* = all)",
            default=("*",),
            ref="grade",
            allow_star=True,
        ),
        Column(
            "denominator_trades",
            "list",
            "trades in the denominator (* = all)",
            default=("*",),
            ref="trade",
            allow_star=True,
        ),
        Column(
            "denominator_grades",
            "list",
            "grades in the denominator (* = all)",
            default=("*",),
            ref="grade",
            allow_star=True,
        ),
        Column(
            "min_ratio",
            "float",
            "lowest allowed ratio (blank = none)",
            default=None,
            unit="fraction",
            lo=0.0,
        ),
        Column(
            "max_ratio",
            "float",
            "highest allowed ratio (blank = none)",
            default=None,
            unit="fraction",
            lo=0.0,
            unbounded_ok=True,
        ),
        Column(
            "years",
            "list",
            "years it applies to (blank or * = all)",
            default=("*",),
            ref="year",
            allow_star=True,
        ),
    ),
    key=("name",),
    min_max=(("min_ratio", "max_ratio"),),
)

FUNDING = Sheet(
    "Funding",
    "Money by source and year, and the budget lines each source may pay for.",
    (
        _name("source", "funding source (national budget, EU loan, a partner...)"),
        _year(),
        _money("amount", "money available this year, in the source's currency", None),
        Column(
            "lines",
            "list",
            "budget lines this money may pay for (blank or * = any)",
            default=("*",),
            ref="line",
            allow_star=True,
        ),
        Column("carryover", "bool", "unspent money moves to the next year", default=False),
        Column(
            "currency",
            "text",
            "currency of amount (blank = base currency; rates on ExchangeRates)",
            default="",
        ),
        Column(
            "expires_after",
            "int",
            "years a year's carried money stays spendable (blank = never lapses; 0 = no carry)",
            default=None,
            unit="years",
            lo=0.0,
        ),
        Column(
            "priority",
            "int",
            "spending order: lower numbers are spent first (blank = 1)",
            default=None,
            lo=1.0,
        ),
    ),
    key=("source", "year"),
)

PRICE_INDEX = Sheet(
    "PriceIndex",
    "Price level of a budget line in a year (base-year prices × index = money of the year).",
    (
        _name("line", "budget line", ref="line"),
        _year(),
        Column(
            "index",
            "float",
            "price index (first_year = 1 typically; blank = 1)",
            default=1.0,
            unit="factor",
            lo=0.0,
            lo_open=True,
        ),
    ),
    key=("line", "year"),
)

EXCHANGE_RATES = Sheet(
    "ExchangeRates",
    "Base-currency units per one unit of a foreign currency, by year.",
    (
        _name("currency", "currency code used in Funding.currency or Equipment.currency"),
        _year(),
        Column(
            "rate",
            "float",
            "base-currency units per unit of this currency",
            required=True,
            unit="base/foreign",
            lo=0.0,
            lo_open=True,
        ),
    ),
    key=("currency", "year"),
)

FIXED_SPENDING = Sheet(
    "FixedSpending",
    "Money a line must pay in a year whatever the plan (contracts signed before the horizon).",
    (
        _name("line", "budget line", ref="line"),
        _year(),
        _money("amount", "nominal money due (base currency, not indexed)", None),
    ),
    key=("line", "year"),
)

LINE_LIMITS = Sheet(
    "LineLimits",
    "Bounds on undiscounted spending per budget line and year.",
    (
        _name("line", "budget line", ref="line"),
        _year(),
        _money("min_amount", "minimum spending", None),
        Column(
            "max_amount",
            "float",
            "maximum spending (blank or inf = unbounded)",
            default=INF,
            unit="currency",
            lo=0.0,
            unbounded_ok=True,
        ),
    ),
    key=("line", "year"),
    min_max=(("min_amount", "max_amount"),),
)

OBJECTIVE = Sheet(
    "Objective",
    "Weights of the custom objective (objective = custom).",
    (
        Column("metric", "enum", "what is weighted", required=True, choices=OBJECTIVE_METRICS),
        Column("weight", "float", "weight (capability: > 0 rewards capability)", default=0.0),
    ),
    key=("metric",),
)

PENALTIES = Sheet(
    "Penalties",
    "Elastic mode: price per unit of shortfall per year, by kind (blank = default).",
    (
        Column("kind", "enum", "kind of shortfall", required=True, choices=PENALTY_KINDS),
        Column(
            "penalty",
            "float",
            "price per unit of shortfall per year",
            default=None,
            unit="currency-equivalent",
            lo=0.0,
        ),
    ),
    key=("kind",),
)

SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    PERSONNEL,
    PERSONNEL_YEARS,
    TRANSITIONS,
    COURSES,
    COURSE_YEARS,
    UNIT_TYPES,
    UNIT_YEARS,
    MANNING,
    EQUIPPING,
    EQUIPMENT,
    EQUIPMENT_YEARS,
    END_STRENGTH,
    RATIOS,
    FUNDING,
    LINE_LIMITS,
    OBJECTIVE,
    PENALTIES,
    PRICE_INDEX,
    EXCHANGE_RATES,
    FIXED_SPENDING,
    PERSONNEL_COHORTS,
)

SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
SETTINGS_BY_KEY: dict[str, Column] = {c.name: c for c in SETTINGS_KEYS}

OUTPUT_PREFIX = "Plan_"
#: Hidden sheet of the plan workbook holding the warm-start basis (MODEL.md §8.9). Its name
#: does not start with Plan_, so tools reading the Plan_ tables never see it; forceplan
#: replaces it on every write and never reads it as an input table.
BASIS_SHEET = "_forceplan_basis"

# The Plan_ sheets and their columns are declared in the output registry beside this one;
# these views of it keep their old names here.
PLAN_COLUMNS = output_schema.PLAN_COLUMNS  # MODEL.md §6 columns of each contract table
OPTIONAL_PLAN_SHEETS = output_schema.OPTIONAL_PLAN_SHEETS  # written only when inputs call


def is_output_sheet(name: str) -> bool:
    """A sheet forceplan writes (and replaces): the Plan_ sheets and the basis sheet."""
    return name.startswith(OUTPUT_PREFIX) or name == BASIS_SHEET


@dataclass(frozen=True)
class FamilySpec:
    """One constraint family of the model (MODEL.md §3), declared once.

    The model builds the families in this order from `model_module`; the audit checks them
    in the same order from `audit_module`. A family's model module owns everything about
    it on the model side: its variables, rows, cells, costs, shortfalls, Plan_ rows and
    sweep levers; its words module (constant data, no Pyomo) what the report says of it.
    """

    name: str
    ids: tuple[str, ...]  # the constraint IDs it owns (Plan_Constraints.id)
    title: str
    model_module: str = ""  # default: forceplan.model.<name>
    audit_module: str = ""  # default: forceplan.audit.<name>
    words_module: str = ""  # default: forceplan.words.<name> (no Pyomo: the report reads it)

    @property
    def model_path(self) -> str:
        return self.model_module or f"forceplan.model.{self.name}"

    @property
    def audit_path(self) -> str:
        return self.audit_module or f"forceplan.audit.{self.name}"

    @property
    def words_path(self) -> str:
        return self.words_module or f"forceplan.words.{self.name}"


#: Every constraint family, in build order (variables of all, then rows of all). The model,
#: the audit and the tests derive their lists from this one; add a family here.
FAMILIES: list[FamilySpec] = [
    FamilySpec("personnel", ("P1", "P2", "P3", "P4", "P5", "P6"), "personnel"),
    FamilySpec("transitions", ("T1",), "moves between classes"),
    FamilySpec("training", ("C1", "C2"), "training"),
    FamilySpec("units", ("U1",), "units"),
    FamilySpec("equipment", ("E1", "E2"), "equipment"),
    FamilySpec("strength", ("P7", "P8"), "end strength and ratios"),
    FamilySpec("budget", ("B1", "B2", "B3"), "money"),
    FamilySpec("careers", ("P9", "P11", "P12", "E3"), "careers and end of horizon"),
    FamilySpec("cohorts", ("P10",), "cohorts by years served"),
]
