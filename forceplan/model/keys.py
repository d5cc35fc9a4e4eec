"""Typed keys of ModelData: its per-year parameter tables and the input cells behind them.

`ModelData.class_years[ClassYear.ACC_MIN][(p, y)]` rather than `class_years["acc_min"]`,
and `ModelData.source(Src.CLASS_YEAR, (p, y), ClassYear.ACC_MIN)` rather than
`cells[("class_year:acc_min", (p, y))]`: a misspelt key fails where it is written instead
of reading as "no value" or "no cell". The enums are `StrEnum`s, so a member equals its
text (a key read from a --vary spec or a test still finds its entry).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple


class ClassYear(StrEnum):
    """`ModelData.class_years`: per (class, year), PersonnelYears over Personnel (§8.6)."""

    ANNUAL_COST = "annual_cost"
    ACCESSION_COST = "accession_cost"
    ATTR = "attr"  # attrition_rate
    ACC_MIN = "acc_min"  # accession_min
    ACC_MAX = "acc_max"
    SEP_MIN = "sep_min"  # separation_min
    SEP_MAX = "sep_max"
    REQUIREMENT = "requirement"  # sparse: only the years given
    MIN_STRENGTH = "min_strength"  # sparse
    MAX_STRENGTH = "max_strength"  # sparse
    LD_MIN = "ld_min"  # limited_duty_min, sparse
    FYATTR = "fyattr"  # first_year_attrition_rate (blank: the year's attrition rate)


class EquipmentYear(StrEnum):
    """`ModelData.equipment_years`: per (equipment, year), EquipmentYears over Equipment."""

    PRICE = "price"  # unit_price
    PROC_MAX = "proc_max"  # procurement_max
    DON_MAX = "don_max"  # donations_max, sparse
    SCHEDULED = "scheduled"  # scheduled_deliveries, sparse
    REQUIREMENT = "requirement"  # sparse
    OM_COST = "om_cost"
    ATTR = "attr"  # attrition_rate


class Src(StrEnum):
    """What a `ModelData.cells` entry holds the input cells of."""

    CLASS = "class"  # a Personnel row; part: its column
    CLASS_YEAR = "class_year"  # a PersonnelYears row; part: the ClassYear it overrides
    COHORT = "cohort"  # PersonnelCohorts rows of a class
    ARC = "arc"  # a Transitions row
    COURSE = "course"
    COURSE_YEAR = "course_year"
    UNIT = "unit"
    UNIT_YEAR = "unit_year"
    EQUIPMENT = "equipment"
    EQUIPMENT_YEAR = "equipment_year"
    END_STRENGTH = "end_strength"  # an EndStrength row; part: its component
    RATIO = "ratio"
    FUNDING = "funding"
    LINE_LIMIT = "line_limit"
    PRICE_INDEX = "price_index"
    EXCHANGE_RATE = "exchange_rate"
    FIXED_SPENDING = "fixed_spending"


class CellKey(NamedTuple):
    """Key of `ModelData.cells`: the entity (a class, (class, year), a course, ...) and,
    where an entity has several, which column or parameter."""

    src: Src
    index: Any
    part: str = ""


#: Short names for the family modules' many lookups: `cy[CY.ACC_MIN]`, `ey[EY.PRICE]`.
CY = ClassYear
EY = EquipmentYear
