"""Synthetic workbooks of any size for benchmarks and property tests.

The generated workbook is feasible by construction, for every seed and size: the random
data is drawn first, then a concrete plan is built ("hold the force": every class at a
constant strength, every unit type at its starting count, equipment stocks topped up by
orders once lead times allow) and the limits that could rule it out are set around that
plan (`_hold_the_force`): strengths cover unit posts, direct requirements, instructor
posts and the training load; promotions needed to refill a grade stay within
`max_share_of_destination`; the first years' equipment needs are met from the starting
stock; the basic course seats the plan's recruits; the end-strength band and the grade
ratio contain the plan; and the national source (every line but the partner's) and
the partner (its own line) pay for an upper bound of the plan's spending every year.
Every input sheet is used. The same arguments give the same bytes of data (not of file
metadata) for a seed.

The v2 inputs are switched on by `Size` flags (`forceplan generate --careers --cohorts K
--money --steady`, or `--v2` for all): careers and cohorts here, money and the terminal
rule in `forceplan.generate_v2`. Each draws from its own random stream or none, so the
sheets a flag is not about stay as they are without it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan.generate_v2 import add_money, add_steady
from forceplan.workbook.atomic import atomic_write, check_target

#: Lines the national source pays; the partner pays `procurement_partner` alone.
NATIONAL_LINES = (
    "personnel",
    "recruiting",
    "separation",
    "training",
    "units",
    "sustainment",
    "procurement",
)


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
    #: MODEL.md §8.2: max_service_years of the two entry grades of every trade (0 = none)
    cohorts: int = 0
    money: bool = False  # §8.6-8.7: euros, expiry, priorities, payment profiles, overrides
    #: §8.4: Personnel.limited_duty_share_min (not in --v2: at M it makes HiGHS ~40x slower)
    limited_duty: bool = False
    steady: bool = False  # §8.5: Settings.terminal = steady


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
        # one source per line: which source pays is never a tie (a unique allocation)
        funding.append(["national", y, national, ",".join(NATIONAL_LINES), True])
        funding.append(["partner", y, round(0.1 * stock_value, -6), "procurement_partner", False])
    sheets["Funding"] = funding
    sheets["LineLimits"] = [["line", "year", "min_amount", "max_amount"]] + [
        ["recruiting", y, 0, "inf"] for y in years[:1]
    ]
    sheets["Objective"] = [["metric", "weight"], ["cost", 1.0], ["separations", 1000.0]]
    sheets["Penalties"] = [["kind", "penalty"], ["funding", 50]]
    _money_sheets(sheets, years, stock_value)
    if size.money:
        add_money(sheets, years, stock_value, seed)
    _hold_the_force(sheets, years, unit_fill=0.9, equipment_fill=0.9)
    if size.careers:
        _careers_sheets(sheets, grades)
    if size.cohorts:
        _service_limits(sheets, size.cohorts)
    if size.limited_duty:
        _limited_duty_shares(sheets)
    if size.steady:
        add_steady(sheets)
    return sheets


def _limited_duty_shares(sheets: dict[str, list[list[Any]]]) -> None:
    """§8.4 (P6_share): a class with limited-duty places has at least 0.5 % of its strength
    on limited duty, a fact; the held force's 5 % margin over its posts carries the
    unavailable quarter of a percent. Not part of --v2: at M it makes HiGHS's dual simplex
    some 40 times slower (bench/RESULTS.md)."""
    personnel = sheets["Personnel"]
    ld_max = personnel[0].index("limited_duty_max")
    personnel[0].append("limited_duty_share_min")
    for row in personnel[1:]:
        row.append(0.005 if _num(row[ld_max]) >= 1 else None)


def _service_limits(sheets: dict[str, list[list[Any]]], limit: int) -> None:
    """P10 cohorts on the entry grades (G0, G1): they recruit without limit, separate
    without limit and promote, so the leaving cohort always has a way out."""
    rows = sheets["Personnel"]
    rows[0].append("max_service_years")
    for row in rows[1:]:
        row.append(limit if row[1] in ("G0", "G1") else None)
    # the first class's base stock by years served: most joined last year (PersonnelCohorts)
    trade, grade, init = rows[1][0], rows[1][1], float(rows[1][2])
    older = float(int(init / (2 * limit)))
    split = [init - (limit - 1) * older] + [older] * (limit - 1)
    sheets["PersonnelCohorts"] = [["trade", "grade", "years_served", "strength"]] + [
        [trade, grade, k, v] for k, v in enumerate(split)
    ]


# --- the plan the limits are built around ----------------------------------------------------


def _rows(sheets: dict[str, list[list[Any]]], name: str) -> list[dict[str, Any]]:
    """Live views of a sheet's records: dicts whose writes go back into the rows."""
    header = sheets[name][0]
    return [_RowView(header, row) for row in sheets[name][1:]]


class _RowView(dict):
    def __init__(self, header: list[str], row: list[Any]) -> None:
        super().__init__(zip(header, row, strict=False))
        self._header, self._row = header, row

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._row[self._header.index(key)] = value


def _num(value: Any) -> float:
    return 0.0 if value in (None, "") else float(value)


def _hold_the_force(sheets, years: list[int], unit_fill: float, equipment_fill: float) -> None:
    """Build the plan that holds the force and set the limits around it (see module doc)."""
    people = _rows(sheets, "Personnel")
    arcs = _rows(sheets, "Transitions")
    courses = {r["course"]: r for r in _rows(sheets, "Courses")}
    units = _rows(sheets, "UnitTypes")
    n0 = {u["unit_type"]: _num(u["initial_units"]) for u in units}
    posts: dict[tuple[str, str], float] = {}
    for r in _rows(sheets, "Manning"):
        key = (r["trade"], r["grade"])
        posts[key] = posts.get(key, 0.0) + unit_fill * _num(r["personnel"]) * n0[r["unit_type"]]
    direct: dict[tuple[str, str], float] = {}  # largest direct requirement over the years
    separations: dict[tuple[str, str], float] = {}
    for r in _rows(sheets, "PersonnelYears"):
        key = (r["trade"], r["grade"])
        direct[key] = max(direct.get(key, 0.0), _num(r.get("requirement")))
        separations[key] = max(separations.get(key, 0.0), _num(r.get("separation_min")))
    by_class = {(r["trade"], r["grade"]): r for r in people}
    arc_into = {(a["to_trade"], a["to_grade"]): a for a in arcs}

    def course_load(names: str) -> tuple[float, float]:
        """(years in training, cost) of a comma list of courses."""
        picked = [courses[c] for c in str(names or "").split(",") if c]
        return sum(_num(c["duration_years"]) for c in picked), sum(
            _num(c["cost_per_trainee"]) for c in picked
        )

    instructor = courses["basic"]
    instructor_key = (instructor["instructor_trade"], instructor["instructor_grade"])
    per_trainee = _num(instructor["duration_years"]) / _num(instructor["trainees_per_instructor"])
    flows: dict[tuple[str, str], tuple[float, float, float]] = {}  # class -> (A, M in, X)
    extra_posts = 0.0
    for _round in range(3):  # instructor posts depend on the recruits: settle in 3 rounds
        flows = _hold_classes(
            people,
            by_class,
            arc_into,
            posts,
            direct,
            separations,
            course_load,
            instructor_key,
            extra_posts,
        )
        basic_trainees = sum(
            flows[(r["trade"], r["grade"])][0]
            for r in people
            if "basic" in str(r["accession_courses"]).split(",")
        )
        extra_posts = 1.1 * per_trainee * basic_trainees
    instructor["capacity"] = max(_num(instructor["capacity"]), round(1.2 * basic_trainees) + 1)

    strengths = {key: _num(r["initial_strength"]) for key, r in by_class.items()}
    for key, r in by_class.items():
        r["limited_duty_max"] = round(strengths[key] * 0.02)
    total = sum(strengths.values())
    for r in _rows(sheets, "EndStrength"):
        r["min_total"], r["max_total"] = round(total * 0.75), round(total * 1.35)
    for ratio in _rows(sheets, "Ratios"):
        top = sum(v for (_t, g), v in strengths.items() if g == ratio["numerator_grades"])
        ratio["max_ratio"] = min(1.0, max(_num(ratio["max_ratio"]), round(1.1 * top / total, 3)))

    stock_cost, partner_cost = _hold_equipment(sheets, years, n0, equipment_fill)
    people_cost = 0.0
    for key, r in by_class.items():
        accessions, moved_in, separated = flows[key]
        arc = arc_into.get(key)
        _load, acc_course_cost = course_load(r["accession_courses"])
        arc_cost = 0.0
        if arc is not None:
            arc_cost = _num(arc["cost"]) + course_load(arc["course"])[1]
        people_cost += (
            strengths[key] * (_num(r["annual_cost"]) + _num(r["overstrength_cost"]))
            + accessions * (_num(r["accession_cost"]) + acc_course_cost)
            + separated * _num(r["separation_cost"])
            + moved_in * arc_cost
        )
    unit_cost = sum(_num(u["om_cost"]) * n0[u["unit_type"]] for u in units)
    # §8.6-8.7: prices may rise by an index, and fixed spending comes on top
    index = max(
        (_num(r["index"]) for r in _rows(sheets, "PriceIndex")) if "PriceIndex" in sheets else (),
        default=1.0,
    )
    fixed: dict[Any, float] = {}
    for r in _rows(sheets, "FixedSpending") if "FixedSpending" in sheets else []:
        fixed[r["year"]] = fixed.get(r["year"], 0.0) + _num(r["amount"])
    spend = max(1.0, index) * (people_cost + unit_cost + stock_cost) + max(
        fixed.values(), default=0.0
    )
    national = math.ceil(1.25 * spend / 1e6) * 1e6
    rates = _rates(sheets, min)
    for r in _rows(sheets, "Funding"):
        if r["source"] == "national":
            r["amount"] = national
        elif r["source"] == "partner":  # pays the partner line alone: what the plan orders there
            rate = rates.get(r.get("currency") or "", 1.0)
            needed = math.ceil(1.25 * max(1.0, index) * partner_cost / rate / 1e3) * 1e3
            r["amount"] = max(_num(r["amount"]), needed)


def _rates(sheets, pick) -> dict[str, float]:
    """Currency -> its lowest (pick=min) or highest (max) rate over the horizon."""
    rates: dict[str, float] = {}
    for r in _rows(sheets, "ExchangeRates") if "ExchangeRates" in sheets else []:
        rate = _num(r["rate"])
        rates[r["currency"]] = pick(rates.get(r["currency"], rate), rate)
    return rates


def _hold_classes(
    people,
    by_class,
    arc_into,
    posts,
    direct,
    separations,
    course_load,
    instructor_key,
    instructor_posts,
):
    """Strength per class held constant: accessions (entry grades) or promotions (the
    grades above) replace attrition, separations and those promoted further. Raises the
    starting strength where the class could not otherwise cover its posts and training
    load, or be refilled within the promotion share; returns class -> (A, M in, X)."""
    flows = {}
    promoted_out: dict[tuple[str, str], float] = {}
    for r in reversed(people):  # top grades first: their refill is the grade below's outflow
        key = (r["trade"], r["grade"])
        attr = _num(r["attrition_rate"])
        fyattr = _num(r["first_year_attrition_rate"])
        entry = _num(r["accession_max"]) > 0 or str(r["accession_max"]) == "inf"
        acc_load, _cost = course_load(r["accession_courses"])
        arc = arc_into.get(key)
        loss = _num(arc["loss_rate"]) if arc is not None else 0.0
        arc_load = course_load(arc["course"])[0] if arc is not None else 0.0
        out = promoted_out.get(key, 0.0)
        sep = separations.get(key, 0.0)
        required = posts.get(key, 0.0) + direct.get(key, 0.0)
        if key == instructor_key:
            required += instructor_posts
        # strength S must cover `required` plus the training load of its own refill:
        #   entry grade: A = (attr S + sep + out) / (1 - fyattr), load acc_load * A
        #   other grade: M = (attr S + sep + out) / (1 - loss),  load arc_load * M
        #   and M <= 0.8 S (the promotion share stays below max_share_of_destination)
        rate = (1 - fyattr) if entry else (1 - loss)
        load = acc_load if entry else arc_load
        coef = load * attr / rate
        strength = _num(r["initial_strength"])
        need = (1.05 * required + load * (sep + out) / rate) / max(1e-9, 1 - coef)
        if not entry:
            need = max(need, (sep + out) / max(1e-9, 0.8 * rate - attr))
        strength = max(strength, math.ceil(need) + 1)
        r["initial_strength"] = float(strength)
        refill = (attr * strength + sep + out) / rate
        if entry:
            flows[key] = (refill, 0.0, sep)
        else:
            flows[key] = (0.0, refill, sep)
            share = refill / strength
            arc["max_share_of_destination"] = min(
                1.0, max(_num(arc["max_share_of_destination"]), round(1.25 * share, 3))
            )
            below = (arc["from_trade"], arc["from_grade"])
            promoted_out[below] = promoted_out.get(below, 0.0) + refill
    return flows


def _hold_equipment(sheets, years: list[int], n0: dict[str, float], fill: float) -> float:
    """Starting stocks that meet every need until orders can arrive; returns upper bounds
    of the plan's yearly equipment spending paid nationally (upkeep, orders on national
    lines) and on the partner line (orders of partner-funded items)."""
    need = {r["equipment"]: 0.0 for r in _rows(sheets, "Equipment")}
    for r in _rows(sheets, "Equipping"):
        need[r["equipment"]] += fill * _num(r["quantity"]) * n0[r["unit_type"]]
    extra: dict[tuple[str, int], float] = {}
    for r in _rows(sheets, "EquipmentYears"):
        extra[(r["equipment"], int(r["year"]))] = _num(r.get("requirement"))
    y0 = years[0]
    cost = partner = 0.0
    highest_rate = _rates(sheets, max)  # a foreign price costs at most this in base money
    for r in _rows(sheets, "Equipment"):
        e = r["equipment"]
        attr = _num(r["attrition_rate"])
        lead = int(_num(r["lead_time_years"]))
        covered = 0.0  # the starting stock must carry every year before orders arrive
        for k, y in enumerate(years[: lead + 1]):
            covered = max(covered, (need[e] + extra.get((e, y), 0.0)) / (1 - attr) ** (k + 1))
        stock = max(_num(r["initial_stock"]), math.ceil(1.02 * covered) + 1)
        r["initial_stock"] = stock
        # the plan orders what attrition took (and any requirement's rise): at most this
        bump = max((v for (x, _y), v in extra.items() if x == e), default=0.0)
        highest = stock + bump
        # EquipmentYears may raise the price by 10 %
        price = 1.1 * _num(r["unit_price"]) * highest_rate.get(r.get("currency") or "", 1.0)
        orders = price * (attr * highest + bump + 1)
        cost += _num(r["om_cost"]) * highest
        if r["budget_line"] == "procurement_partner":
            partner += orders
        else:
            cost += orders
    del y0
    return cost, partner


RESERVE_GRADE = "R"


def _careers_sheets(sheets: dict[str, list[list[Any]]], grades: list[str]) -> None:
    """§8.1/§8.4 on top of the generated force, without drawing random numbers (the other
    sheets stay byte for byte as without the flag): every grade below the top may promote
    80 % of its stock; entry grades change intake by at most half their initial strength a
    year, all of them together by half the sum; each trade gets a reserve class fed from
    its lowest grade (optional arc), counted by EndStrength rows of the reserve (at most a
    quarter of the active force) and of all components."""
    personnel = sheets["Personnel"]
    personnel[0] += ["component", "move_eligible_share", "accession_step_max"]
    trades = []
    steps = 0.0
    for row in personnel[1:]:
        g_index = grades.index(row[1])
        entry = g_index < 2
        step = max(100.0, round(0.5 * float(row[2]))) if entry else None
        steps += step or 0.0
        row += ["active", 0.8 if g_index < len(grades) - 1 else None, step]
        if row[0] not in trades:
            trades.append(row[0])
    sheets["Settings"].append(["accession_step_max_total", round(0.5 * steps)])
    strength = sheets["EndStrength"]
    strength[0].append("component")
    for row in strength[1:]:
        row.append(None)  # active
    for row in list(strength[1:]):
        reserve = round(0.25 * row[2])
        strength.append([row[0], 0, reserve, "reserve"])
        strength.append([row[0], row[1], row[2] + reserve, "all"])
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
