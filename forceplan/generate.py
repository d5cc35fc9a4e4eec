"""Synthetic workbooks of any size for benchmarks and property tests.

The generated force is feasible by construction: accessions and separations are generous,
the end-strength band is wide, equipment starts above what the starting units need and
decays slower than the fill rate allows, and a national source with carry-over can pay
for everything. Every input sheet is used. The same arguments give the same bytes of data
(not of file metadata) for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan.workbook.atomic import atomic_write, check_target


@dataclass(frozen=True)
class Size:
    trades: int = 12
    grades: int = 5
    years: int = 10
    unit_types: int = 10
    equipment: int = 25
    first_year: int = 2026
    integer_orders: bool = False  # one equipment type with whole-number orders (a MILP)
    careers: bool = False  # MODEL.md §8.1/§8.4: move shares, intake steps, a reserve class


#: Benchmark sizes (issue: S ≈ the Ukraine example, M, L).
SIZES = {
    "S": Size(15, 5, 10, 10, 25),
    "M": Size(100, 8, 15, 50, 100),
    "L": Size(300, 10, 30, 150, 300),
}


def generate_sheets(size: Size, seed: int = 0) -> dict[str, list[list[Any]]]:
    """The workbook as sheet name -> rows (header first)."""
    rng = random.Random(seed)
    y0 = size.first_year
    years = list(range(y0, y0 + size.years))
    trades = [f"trade{t:03d}" for t in range(size.trades)]
    grades = [f"G{g}" for g in range(size.grades)]
    sheets: dict[str, list[list[Any]]] = {}

    sheets["Settings"] = [
        ["key", "value"],
        ["first_year", y0],
        ["last_year", years[-1]],
        ["title", f"synthetic {size.trades}x{size.grades}x{size.years} seed {seed}"],
        ["discount_rate", 0.03],
        ["objective", "min_cost"],
        ["unit_fill_rate", 0.9],
        ["equipment_fill_rate", 0.9],
    ]

    # --- units and equipment ------------------------------------------------------------
    units = [f"unit{u:03d}" for u in range(size.unit_types)]
    equipment = [f"equip{e:03d}" for e in range(size.equipment)]
    unit_rows = [
        [
            "unit_type",
            "description",
            "initial_units",
            "capability_score",
            "om_cost",
            "activation_cost",
            "activation_max",
            "disbandment_cost",
            "min_units",
            "max_units",
        ]
    ]
    manning = [["unit_type", "trade", "grade", "personnel"]]
    equipping = [["unit_type", "equipment", "quantity"]]
    initial_units: dict[str, int] = {}
    posts: dict[tuple[str, str], float] = {}
    needed: dict[str, float] = {e: 0.0 for e in equipment}
    for u in units:
        n0 = rng.randint(1, 6)
        initial_units[u] = n0
        unit_rows.append(
            [
                u,
                f"synthetic unit type {u}",
                n0,
                rng.randint(10, 100),
                round(rng.uniform(5e7, 3e8), -5),
                round(rng.uniform(1e8, 5e8), -5),
                2,
                round(rng.uniform(1e7, 5e7), -5),
                rng.randint(0, n0),
                n0 + 4,
            ]
        )
        for t in rng.sample(trades, k=min(len(trades), 3)):
            for g in grades[:3]:
                qty = rng.randint(5, 60)
                manning.append([u, t, g, qty])
                posts[(t, g)] = posts.get((t, g), 0.0) + qty * n0
        for e in rng.sample(equipment, k=min(len(equipment), 3)):
            qty = rng.randint(2, 30)
            equipping.append([u, e, qty])
            needed[e] += qty * n0
    sheets["UnitTypes"] = unit_rows
    sheets["UnitYears"] = [["unit_type", "year", "min_units", "max_units"]] + [
        [u, years[-1], None, initial_units[u] + 6] for u in units[: max(1, len(units) // 5)]
    ]
    sheets["Manning"] = manning
    sheets["Equipping"] = equipping

    # --- personnel: a pyramid per trade; recruits enter the two lowest grades --------------
    personnel = [
        [
            "trade",
            "grade",
            "initial_strength",
            "attrition_rate",
            "first_year_attrition_rate",
            "annual_cost",
            "accession_cost",
            "accession_max",
            "accession_courses",
            "separation_cost",
            "separation_max",
            "overstrength_cost",
            "limited_duty_max",
            "limited_duty_availability",
            "limited_duty_cost",
        ]
    ]
    initial: dict[tuple[str, str], float] = {}
    for t in trades:
        base = rng.randint(300, 3000)
        for g_index, g in enumerate(grades):
            # at least 1.3 x the posts of the starting units, so the start is feasible
            strength = float(max(round(base * 0.6**g_index), round(1.3 * posts.get((t, g), 0))))
            initial[(t, g)] = strength
            entry = g_index < 2
            personnel.append(
                [
                    t,
                    g,
                    strength,
                    round(rng.uniform(0.03, 0.12), 3),
                    round(rng.uniform(0.05, 0.15), 3),
                    round(rng.uniform(300_000, 600_000) * (1 + 0.25 * g_index), -3),
                    round(rng.uniform(20_000, 60_000), -3) if entry else 0,
                    "inf" if entry else 0,
                    f"basic,course_{t}" if g_index == 0 else ("" if not entry else f"course_{t}"),
                    round(rng.uniform(10_000, 50_000), -3),
                    "inf",
                    round(rng.uniform(0, 20_000), -3),
                    round(strength * 0.02),
                    0.5,
                    5_000,
                ]
            )
    sheets["Personnel"] = personnel
    total_initial = sum(initial.values())

    py = [["trade", "grade", "year", "requirement", "accession_max", "separation_min"]]
    for t in trades:
        if rng.random() < 0.3:
            y = rng.choice(years)
            py.append([t, grades[0], y, round(initial[(t, grades[0])] * 0.05), None, None])
        if size.grades > 1 and rng.random() < 0.2:
            y = rng.choice(years)
            py.append([t, grades[1], y, None, None, round(initial[(t, grades[1])] * 0.02)])
    sheets["PersonnelYears"] = py

    transitions = [
        [
            "from_trade",
            "from_grade",
            "to_trade",
            "to_grade",
            "cost",
            "max_share_of_destination",
            "loss_rate",
            "course",
        ]
    ]
    for t in trades:
        for g_index in range(size.grades - 1):
            transitions.append(
                [
                    t,
                    grades[g_index],
                    t,
                    grades[g_index + 1],
                    round(rng.uniform(5_000, 30_000), -3),
                    0.4,
                    round(rng.uniform(0, 0.05), 3),
                    "leadership" if g_index >= 1 else "",
                ]
            )
    sheets["Transitions"] = transitions

    # --- courses: basic, one per trade, leadership; a partner course in some years --------
    instructor_trade = trades[0]
    courses = [
        [
            "course",
            "capacity",
            "cost_per_trainee",
            "duration_years",
            "instructor_trade",
            "instructor_grade",
            "trainees_per_instructor",
            "expansion_cost",
            "expansion_max",
        ]
    ]
    courses.append(
        [
            "basic",
            round(total_initial * 0.6),
            40_000,
            0.15,
            instructor_trade,
            grades[min(1, len(grades) - 1)],
            25,
            200_000,
            round(total_initial * 0.05),
        ]
    )
    courses.append(["leadership", "inf", 60_000, 0.1, "", "", "inf", 0, 0])
    courses.append(["partner_course", 0, 0, 0.1, "", "", "inf", 0, 0])
    for t in trades:
        courses.append(
            [
                f"course_{t}",
                "inf",
                round(rng.uniform(20_000, 80_000), -3),
                round(rng.uniform(0.05, 0.2), 2),
                "",
                "",
                "inf",
                0,
                0,
            ]
        )
    sheets["Courses"] = courses
    sheets["CourseYears"] = [["course", "year", "capacity"]] + [
        ["partner_course", y, 5_000] for y in years[: max(1, len(years) // 2)]
    ]

    equipment_rows = [
        [
            "equipment",
            "description",
            "initial_stock",
            "unit_price",
            "om_cost",
            "attrition_rate",
            "lead_time_years",
            "procurement_max",
            "budget_line",
            "integer",
        ]
    ]
    prices: dict[str, float] = {}
    for e in equipment:
        price = round(10 ** rng.uniform(5, 8.5), -3)
        prices[e] = price
        equipment_rows.append(
            [
                e,
                f"synthetic item {e}",
                round(needed[e] * 1.4 + rng.randint(0, 20)),
                price,
                round(price * 0.05, -2),
                round(rng.uniform(0.0, 0.08), 3),
                rng.randint(0, 2),
                "inf",
                "procurement_partner" if e == equipment[0] or rng.random() < 0.2 else "procurement",
                size.integer_orders and e == equipment[-1],
            ]
        )
    sheets["Equipment"] = equipment_rows
    ey = [
        ["equipment", "year", "unit_price", "donations_max", "scheduled_deliveries", "requirement"]
    ]
    for e in equipment:
        if rng.random() < 0.3:
            ey.append(
                [
                    e,
                    rng.choice(years),
                    round(prices[e] * 1.1, -3),
                    rng.randint(0, 20),
                    rng.randint(0, 5),
                    rng.randint(0, 5),
                ]
            )
    sheets["EquipmentYears"] = ey

    # --- force totals and money -----------------------------------------------------------
    sheets["EndStrength"] = [["year", "min_total", "max_total"]] + [
        [y, round(total_initial * 0.75), round(total_initial * 1.35)] for y in years
    ]
    sheets["Ratios"] = [
        [
            "name",
            "numerator_trades",
            "numerator_grades",
            "denominator_trades",
            "denominator_grades",
            "min_ratio",
            "max_ratio",
            "years",
        ],
        ["top grade share", "*", grades[-1], "*", "*", 0.0, 0.9 if size.grades > 1 else 1.0, ""],
    ]
    yearly_people = sum(initial[p] * float(personnel[1 + i][5]) for i, p in enumerate(initial))
    yearly_units = sum(initial_units[u] * float(unit_rows[1 + i][4]) for i, u in enumerate(units))
    stock_value = sum(needed[e] * prices[e] for e in equipment)
    national = round(3.0 * (yearly_people + yearly_units) + 0.5 * stock_value, -6)
    funding = [["source", "year", "amount", "lines", "carryover"]]
    for y in years:
        funding.append(["national", y, national, "*", True])
        funding.append(
            ["partner", y, round(0.1 * stock_value, -6), "procurement,procurement_partner", False]
        )
    sheets["Funding"] = funding
    sheets["LineLimits"] = [["line", "year", "min_amount", "max_amount"]] + [
        ["recruiting", y, 0, "inf"] for y in years[:1]
    ]
    sheets["Objective"] = [["metric", "weight"], ["cost", 1.0], ["separations", 1000.0]]
    sheets["Penalties"] = [["kind", "penalty"], ["funding", 50]]
    _money_sheets(sheets, years, stock_value)
    if size.careers:
        _careers_sheets(sheets, grades)
    return sheets


RESERVE_GRADE = "R"


def _careers_sheets(sheets: dict[str, list[list[Any]]], grades: list[str]) -> None:
    """§8.1/§8.4 on top of the generated force, without drawing random numbers (the other
    sheets stay byte for byte as without the flag): every grade below the top may promote
    80 % of its stock; entry grades change intake by at most half their initial strength a
    year; each trade gets a reserve class fed from its lowest grade (optional arc)."""
    personnel = sheets["Personnel"]
    personnel[0] += ["component", "move_eligible_share", "accession_step_max"]
    trades = []
    for row in personnel[1:]:
        g_index = grades.index(row[1])
        entry = g_index < 2
        step = max(100.0, round(0.5 * float(row[2]))) if entry else None
        row += ["active", 0.8 if g_index < len(grades) - 1 else None, step]
        if row[0] not in trades:
            trades.append(row[0])
    for t in trades:
        personnel.append(
            [
                t,
                RESERVE_GRADE,
                0.0,
                0.1,
                None,
                20_000,
                0,
                0,
                "",
                0,
                "inf",
                0,
                0,
                0.5,
                0,
                "reserve",
                None,
                None,
            ]
        )
        sheets["Transitions"].append([t, grades[0], t, RESERVE_GRADE, 5_000, None, 0.0, ""])


def _money_sheets(sheets: dict[str, list[list[Any]]], years: list[int], stock: float) -> None:
    """§8.6-8.7: 2 % a year on pay, the partner's money in USD, a contract signed before
    the horizon (all well inside the national money, which carries over)."""
    sheets["PriceIndex"] = [["line", "year", "index"]] + [
        ["personnel", y, round(1.02**k, 4)] for k, y in enumerate(years)
    ]
    sheets["ExchangeRates"] = [["currency", "year", "rate"]] + [
        ["USD", y, round(40.0 * 1.03**k, 2)] for k, y in enumerate(years)
    ]
    funding = sheets["Funding"]
    funding[0].append("currency")
    for row in funding[1:]:
        if row[0] == "partner":
            row[2] = round(row[2] / 40.0, -3)
        row.append("USD" if row[0] == "partner" else None)
    sheets["FixedSpending"] = [
        ["line", "year", "amount"],
        ["procurement", years[0], max(1000.0, round(0.01 * stock, -3))],
    ]


def write_sheets(path: Path, sheets: dict[str, list[list[Any]]], overwrite: bool = False) -> None:
    """Write rows to an .xlsx quickly (openpyxl write-only mode), atomically."""
    from openpyxl import Workbook

    check_target(path, overwrite)
    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    atomic_write(path, book.save, overwrite)


def generate_workbook(path: Path, size: Size, seed: int = 0, overwrite: bool = False) -> None:
    """Write the synthetic workbook of `size` (with `size.careers`, the v2 careers columns)."""
    write_sheets(path, generate_sheets(size, seed), overwrite)
