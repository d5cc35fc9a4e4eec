"""Seeded random workbooks that use every input sheet and are feasible by construction.

    path = random_workbook(tmp_path / "r.xlsx", seed=7, n_trades=3, n_grades=2, n_years=3)

How feasibility is guaranteed: the generator first builds a *reference plan* (unit counts
held at their initial values, no moves, no limited duty, no expansion; strengths chosen
so that every class covers its unit, direct and instructor posts plus its training load;
accessions and separations that reach those strengths; equipment orders that cover every
requirement on time) and then draws every limit around that plan with a margin: minimums
below it, maximums above it, money above its cost. The reference plan therefore satisfies
every constraint of MODEL.md §3, so the workbook has an optimum. A few limits are drawn
tight on purpose (a course's capacity in one year equals the reference trainees; a line's
minimum spending) so that the optimum has binding rows and uses expansion seats,
transitions and the restricted and carry-over funding sources.

`tight` (a set of names) breaks feasibility on purpose, for elastic mode; each name
forces one kind of priced shortfall in the last year (first year for equipment):
"end_strength" pins the end strength far below the posts of the unit floors and direct
posts; "funding" cuts the national money to a third (a funding gap); "units" asks for more
units than activation_max can stand up; "equipment" asks for ten times the stock on hand;
"ratio" asks for a 95 % senior share; "manning" adds direct posts no class can fill.

`careers` (a set of names) adds the v2 careers columns of MODEL.md §8.1, §8.4 and §8.5,
drawn from a second random stream so that without it the workbook is exactly what it was
before (pinned tests depend on it), and around the same reference plan so that it stays
feasible: "move_eligible_share" (any share: the reference moves nobody); "limited_duty"
(PersonnelYears.limited_duty_min and Personnel.limited_duty_share_min below what the
reference's overstrength can carry on limited duty); "accession_step" (a step per class and
in total, one of them at the reference's largest change so that it binds); "reserve" (a
reserve class fed by a discharge arc from the first class, with reserve and all-component
EndStrength rows, the reserve's minimum at its reference strength); "steady"
(Settings.terminal = steady: the reference holds the last year's strength at the year
before's and its orders of the last year renew the wear-out; needs ≥ 2 years).

`cohorts=True` (off by default, own random stream, so the pinned workbooks do not
change) adds MODEL.md §8.2 and §8.3: one or two classes (never the first, which feeds the
reserve) get `max_service_years` K ∈ {1, 2, 3}, with a random `PersonnelCohorts` split for
some; the reference plan then ages their cohorts, makes the leaving cohort go by
separation and recruits what the strength needs (early leavers from the younger cohorts
only when the strength falls), so the limits drawn around it stay feasible. A course
`long` of 1.2–2.5 years with instructors and limited seats is put on the cross-trade arc
(which the reference does not use), so its C2 rows exist without touching feasibility.

`money=True` (off by default, so the pinned workbooks do not change) adds the MODEL.md
§8.6-8.7 inputs with their own random stream: price indices, a USD price and a USD
partner (ExchangeRates), a two-year payment profile, fixed spending, per-year cost
overrides, an expiring loan and funding priorities. The reference plan's money is
recomputed in money of the year before any funding is drawn, so the workbook stays
feasible by construction.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wb import Sheets, write_workbook

from forceplan.generate_v2 import add_year_column

TRADES = ("infantry", "armour", "artillery", "signals", "logistics", "engineers", "medical")
GRADES = ("E1", "E2", "E3", "O1", "O2", "O3")
UNIT_TYPES = ("brigade", "battalion", "regiment", "company")
EQUIPMENT = ("rifle", "truck", "radio", "drone", "howitzer")
FIRST_YEAR = 2026
CUSTOM_LINE = "eu_procurement"  # an Equipment.budget_line outside the standard lines
CAREERS = ("move_eligible_share", "limited_duty", "accession_step", "reserve", "steady")
RESERVE = ("reserve", "R")  # the reserve class added by careers={"reserve"}


@dataclass
class Reference:
    """The reference plan the limits are drawn around (what makes the workbook feasible)."""

    strength: dict[tuple[str, str, int], float] = field(default_factory=dict)
    accessions: dict[tuple[str, str, int], float] = field(default_factory=dict)
    separations: dict[tuple[str, str, int], float] = field(default_factory=dict)
    overstrength: dict[tuple[str, str, int], float] = field(default_factory=dict)
    trainees: dict[tuple[str, int], float] = field(default_factory=dict)
    stock: dict[tuple[str, int], float] = field(default_factory=dict)
    orders: dict[tuple[str, int], float] = field(default_factory=dict)
    cost: dict[tuple[str, int], float] = field(default_factory=dict)  # (line, year)
    limited_duty: dict[tuple[str, str, int], float] = field(default_factory=dict)
    reserve: dict[int, float] = field(default_factory=dict)  # reserve strength by year


def _header(names: str) -> list[Any]:
    return names.split()


def _r(x: float, digits: int = 2) -> float:
    return round(x, digits)


def _up(x: float) -> float:
    """Round up to whole numbers (limits above the reference stay above it)."""
    return float(math.ceil(x - 1e-9))


def _down(x: float) -> float:
    return float(max(0.0, math.floor(x + 1e-9)))


class _Gen:
    def __init__(
        self,
        seed: int,
        n_trades: int,
        n_grades: int,
        n_years: int,
        n_units: int,
        n_equipment: int,
        integer_orders: bool,
    ):
        self.rng = random.Random(seed)
        self.seed = seed
        self.trades = list(TRADES[: max(2, n_trades)])
        self.grades = list(GRADES[: max(2, n_grades)])
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + max(1, n_years)))
        self.classes = [(t, g) for t in self.trades for g in self.grades]
        self.units = list(UNIT_TYPES[: max(1, n_units)])
        self.equipment = list(EQUIPMENT[: max(1, n_equipment)])
        self.integer_orders = integer_orders
        self.ref = Reference()

    def u(self, lo: float, hi: float, digits: int = 2) -> float:
        return _r(self.rng.uniform(lo, hi), digits)

    # --- entities -----------------------------------------------------------------------

    def draw_courses(self) -> None:
        u = self.u
        top = (self.trades[0], self.grades[-1])
        self.courses = {
            "basic": dict(
                duration=u(0.08, 0.2),
                cost=u(500, 3000, 0),
                instructor=top,
                per_instructor=u(8, 30, 0),
                expansion_cost=u(100, 2000, 0),
                expansion_max=u(5, 40, 0),
            ),
            "advanced": dict(
                duration=u(0.03, 0.12),
                cost=u(1000, 6000, 0),
                instructor=None,
                per_instructor=None,
                expansion_cost=u(200, 3000, 0),
                expansion_max=u(5, 20, 0),
            ),
            "leader": dict(
                duration=u(0.05, 0.2),
                cost=u(2000, 9000, 0),
                instructor=top,
                per_instructor=None,  # blank: no instructors needed
                expansion_cost=0.0,
                expansion_max=0.0,
            ),
        }

    def draw_classes(self) -> None:
        u, rng = self.u, self.rng
        self.cls: dict[tuple[str, str], dict[str, Any]] = {}
        for t, g in self.classes:
            level = self.grades.index(g)
            attr = u(0.02, 0.12, 3)
            self.cls[(t, g)] = dict(
                attr=attr,
                fyattr=None if rng.random() < 0.3 else _r(attr + rng.uniform(0, 0.1), 3),
                annual_cost=u(20000, 40000, 0) * (1 + 0.5 * level),
                accession_cost=u(2000, 8000, 0) * (1 + 2 * level),
                separation_cost=u(500, 6000, 0),
                overstrength_cost=u(0, 3000, 0),
                ld_max=0.0 if rng.random() < 0.3 else u(2, 20, 0),
                ld_avail=None if rng.random() < 0.3 else u(0.2, 0.9),
                ld_cost=u(0, 2000, 0),
                courses=("basic",) if level == 0 or rng.random() < 0.4 else ("basic", "advanced"),
            )

    def draw_units(self) -> None:
        u, rng = self.u, self.rng
        self.unit: dict[str, dict[str, Any]] = {}
        for name in self.units:
            init = float(rng.randint(1, 4))
            self.unit[name] = dict(
                init=init,
                capability=u(1, 20, 1),
                om_cost=u(1e5, 1e6, 0),
                activation_cost=u(1e5, 2e6, 0),
                activation_max=float(rng.randint(1, 3)),
                disbandment_cost=u(0, 5e5, 0),
                min_units=float(rng.randint(0, int(init))),
                max_units=init + rng.randint(0, 3),
            )
        self.manning = {
            (name, p): float(rng.randint(3, 60))
            for name in self.units
            for p in self.classes
            if rng.random() < 0.6
        }
        self.equipping = {
            (name, e): float(rng.randint(2, 80))
            for name in self.units
            for e in self.equipment
            if rng.random() < 0.7
        }

    def draw_equipment(self) -> None:
        u, rng = self.u, self.rng
        self.item: dict[str, dict[str, Any]] = {}
        last = len(self.years) - 1
        for k, e in enumerate(self.equipment):
            price = u(500, 50000, 0)
            self.item[e] = dict(
                price=price,
                om_cost=_r(price * rng.uniform(0.01, 0.05), 0),
                attr=u(0.0, 0.08, 3),
                lead=rng.randint(0, min(2, last)),
                line=CUSTOM_LINE if k == 1 else "procurement",
                integer=self.integer_orders and k == 0,
            )

    # --- the reference plan -------------------------------------------------------------

    def reference_personnel(self) -> None:
        u, rng, ref = self.u, self.rng, self.ref
        fill = self.settings["unit_fill_rate"]
        self.unit_posts = {
            p: fill * sum(q * self.unit[n]["init"] for (n, c), q in self.manning.items() if c == p)
            for p in self.classes
        }
        self.direct = {
            (p, y): u(1, 30, 0) for p in self.classes for y in self.years if rng.random() < 0.4
        }
        self.init = {
            p: _up((self.unit_posts[p] + 15) * rng.uniform(1.2, 1.7) + rng.uniform(5, 40))
            for p in self.classes
        }
        self.draw_cohorts()  # own stream; needs the initial strengths
        strength = {
            (p, y): _up(self.init[p] * rng.uniform(0.9, 1.25))
            for p in self.classes
            for y in self.years
        }
        for _ in range(200):
            if "steady" in self.careers:  # P12 with P1: S[T] = S[T-1]
                prev, last = self.years[-2], self.years[-1]
                for p in self.classes:
                    top = max(strength[(p, prev)], strength[(p, last)])
                    strength[(p, prev)] = strength[(p, last)] = top
            flows = self._flows(strength)
            deficit = {k: -v for k, v in flows["over"].items() if v < 0}
            if not deficit:
                break
            for k, d in deficit.items():
                strength[k] = _up(strength[k] + 2 * d + 1)
        else:  # pragma: no cover - loads < retention make this converge
            raise RuntimeError("reference strengths did not converge")
        ref.strength = {(*p, y): s for (p, y), s in strength.items()}
        ref.accessions = {(*p, y): a for (p, y), a in flows["A"].items()}
        ref.separations = {(*p, y): x for (p, y), x in flows["X"].items()}
        ref.overstrength = {(*p, y): o for (p, y), o in flows["over"].items()}
        ref.trainees = flows["TR"]
        # posts that no plan can avoid in the last year (units held at today's count)
        self.floor_posts = sum(self.unit_posts.values()) + sum(
            v for (_p, y), v in self.direct.items() if y == self.years[-1]
        )

    def _flows(self, strength: dict) -> dict[str, dict]:
        """Accessions, separations, trainees and overstrength that give `strength`."""
        acc, sep, over, trainees = {}, {}, {}, {}
        for p in self.classes:
            c = self.cls[p]
            fy = c["attr"] if c["fyattr"] is None else c["fyattr"]
            if p in self.limits:
                self._cohort_flows(p, strength, acc, sep, fy)
                continue
            prev = self.init[p]
            for y in self.years:
                need = strength[(p, y)] - (1 - c["attr"]) * prev
                acc[(p, y)] = max(0.0, need) / (1 - fy)
                sep[(p, y)] = max(0.0, -need)
                prev = strength[(p, y)]
        for name in self.courses:
            for y in self.years:
                trainees[(name, y)] = sum(
                    acc[(p, y)] for p in self.classes if name in self.cls[p]["courses"]
                )
        for p in self.classes:
            load = sum(self.courses[n]["duration"] for n in self.cls[p]["courses"])
            for y in self.years:
                posts = self.unit_posts[p] + self.direct.get((p, y), 0.0)
                posts += sum(
                    trainees[(n, y)] * co["duration"] / co["per_instructor"]
                    for n, co in self.courses.items()
                    if co["instructor"] == p and co["per_instructor"]
                )
                over[(p, y)] = strength[(p, y)] - posts - load * acc[(p, y)]
        return {"A": acc, "X": sep, "over": over, "TR": trainees}

    def _cohort_flows(self, p, strength: dict, acc: dict, sep: dict, fy: float) -> None:
        """P10 reference for a class with a service limit: cohorts age, the last one
        leaves by separation, recruits fill the rest; if the aged cohorts exceed the
        strength, the oldest younger cohorts leave early (cohort 0 of the year never)."""
        a = self.cls[p]["attr"]
        cohorts = list(self.cohort_init[p])
        for y in self.years:
            surv = [(1 - a) * x for x in cohorts]
            aged = surv[:-1]  # cohorts 1 … K−1 before early leavers
            leavers = surv[-1]
            need = strength[(p, y)] - sum(aged)
            for k in range(len(aged) - 1, -1, -1):  # strength falls: oldest leave first
                if need >= 0:
                    break
                out = min(aged[k], -need)
                aged[k] -= out
                leavers += out
                need += out
            arrivals = max(0.0, need)
            acc[(p, y)] = arrivals / (1 - fy)
            sep[(p, y)] = leavers
            cohorts = [arrivals, *aged]

    def draw_cohorts(self) -> None:
        """Service limits and a long course (MODEL.md §8.2-8.3) from their own stream."""
        self.limits: dict[tuple[str, str], int] = {}
        self.cohort_rows: dict[tuple[str, str], list[float]] = {}
        self.cohort_init: dict[tuple[str, str], list[float]] = {}
        self.long_course: dict[str, Any] | None = None
        if not self.cohorts:
            return
        rng = random.Random(self.seed * 7919 + 29)
        picks = rng.sample(self.classes[1:], k=min(len(self.classes) - 1, rng.randint(1, 2)))
        for p in picks:
            k = rng.randint(1, 3)
            self.limits[p] = k
            init = self.init[p]
            if k > 1 and rng.random() < 0.6:
                weights = [rng.uniform(0.2, 1.0) for _ in range(k)]
                split = [_r(init * w / sum(weights), 2) for w in weights]
                split[-1] = _r(init - sum(split[:-1]), 2)
                self.cohort_rows[p] = split
                self.cohort_init[p] = split
            else:
                self.cohort_init[p] = [init / k] * k
        top = (self.trades[0], self.grades[-1])
        self.long_course = dict(
            duration=_r(rng.uniform(1.2, 2.5), 2),
            cost=_r(rng.uniform(2000, 9000), 0),
            instructor=top,
            per_instructor=_r(rng.uniform(4, 12), 0),
            capacity=float(rng.randint(3, 15)),
        )

    def cohort_sheet(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["trade", "grade", "years_served", "strength"]]
        for p, split in self.cohort_rows.items():
            rows += [[*p, k, v] for k, v in enumerate(split)]
        return rows

    def reference_equipment(self) -> None:
        rng, ref = self.rng, self.ref
        efill = self.settings["equipment_fill_rate"]
        y0 = self.years[0]
        self.eq_year: dict[tuple[str, int], dict[str, float]] = {}
        for e, it in self.item.items():
            unit_need = efill * sum(
                q * self.unit[n]["init"] for (n, k), q in self.equipping.items() if k == e
            )
            keep = (1 - it["attr"]) ** len(self.years)
            it["init"] = _up((unit_need + 5) * rng.uniform(1.05, 1.4) / keep)
            prev = it["init"]
            for y in self.years:
                row: dict[str, float] = {}
                if rng.random() < 0.4:
                    row["scheduled_deliveries"] = float(rng.randint(1, 10))
                if rng.random() < 0.4:
                    row["donations_max"] = float(rng.randint(1, 20))
                if rng.random() < 0.4:
                    row["unit_price"] = _r(it["price"] * rng.uniform(0.8, 1.3), 0)
                if y >= y0 + it["lead"] and rng.random() < 0.7:
                    row["requirement"] = float(rng.randint(5, 60))  # needs new orders
                self.eq_year[(e, y)] = row
                need = unit_need + row.get("requirement", 0.0)
                base = (1 - it["attr"]) * prev + row.get("scheduled_deliveries", 0.0)
                order = max(0.0, need - base)
                if it["integer"]:
                    order = _up(order)
                if order > 0:
                    assert y - it["lead"] >= y0, "initial stock covers the lead time"
                    ref.orders[(e, y - it["lead"])] = order
                ref.stock[(e, y)] = base + order
            for y in self.years:
                ref.orders.setdefault((e, y), 0.0)

    def reference_careers(self) -> None:
        """The careers columns (second random stream) and their part of the reference."""
        rng, ref, years = self.crng, self.ref, self.years
        self.elig = {p: _r(rng.uniform(0.2, 0.9)) for p in self.classes}
        self.ld_min: dict[tuple[tuple[str, str], int], float] = {}
        self.ld_share: dict[tuple[str, str], float] = {}
        if "limited_duty" in self.careers:
            for p in self.classes:
                c = self.cls[p]
                if c["ld_max"] <= 0:
                    continue
                unavailable = 1 - (0.5 if c["ld_avail"] is None else c["ld_avail"])
                room = {  # limited duty the reference's overstrength can carry
                    y: min(c["ld_max"], ref.overstrength[(*p, y)] / unavailable) for y in years
                }
                self.ld_share[p] = _r(0.5 * min(room[y] / ref.strength[(*p, y)] for y in years), 4)
                for y in years:
                    self.ld_min[(p, y)] = _down(0.5 * room[y])
                    held = max(self.ld_min[(p, y)], self.ld_share[p] * ref.strength[(*p, y)])
                    ref.limited_duty[(*p, y)] = held
                    ref.overstrength[(*p, y)] -= unavailable * held
        if "reserve" in self.careers:
            self.reserve = dict(
                init=float(rng.randint(20, 200)),
                attr=_r(rng.uniform(0.05, 0.2), 3),
                annual_cost=_r(rng.uniform(500, 3000), 0),
                accession_cost=_r(rng.uniform(100, 1000), 0),
                separation_cost=_r(rng.uniform(100, 1000), 0),
                arc_cost=_r(rng.uniform(100, 2000), 0),
                arc_max=float(rng.randint(5, 40)),
            )
            stock = self.reserve["init"]
            for y in years:
                recruits = 0.0
                if "steady" in self.careers and y == years[-1]:  # P12: the reserve recruits
                    recruits = self.reserve["attr"] * stock / (1 - self.reserve["attr"])
                stock = (1 - self.reserve["attr"]) * (stock + recruits)
                ref.reserve[y] = stock
                ref.accessions[(*RESERVE, y)] = recruits
        self.steps: dict[tuple[str, str], float] = {}
        self.total_step: float | None = None
        if "accession_step" in self.careers and len(years) > 1:
            for k, p in enumerate(self.classes):
                acc = [ref.accessions[(*p, y)] for y in years]
                swing = max(abs(b - a) for a, b in itertools.pairwise(acc))
                self.steps[p] = _up(swing + 1e-6) if k == 0 else _up(1.2 * swing + 5)
            total = [sum(v for key, v in ref.accessions.items() if key[2] == y) for y in years]
            swing = max(abs(b - a) for a, b in itertools.pairwise(total))
            self.total_step = _up(1.2 * swing + 5)
        if "steady" in self.careers:  # E3: the last year's orders renew its wear-out
            last = years[-1]
            for e, it in self.item.items():
                sched = self.eq_year[(e, last)].get("scheduled_deliveries", 0.0)
                short = it["attr"] * ref.stock[(e, last)] - sched - ref.orders[(e, last)]
                # with lead time 0 the renewal arrives in T and wears out with the stock
                extra = max(0.0, short) / ((1 - it["attr"]) if it["lead"] == 0 else 1.0)
                if it["integer"]:
                    extra = _up(extra)
                ref.orders[(e, last)] += extra
                if it["lead"] == 0:
                    ref.stock[(e, last)] += extra

    def reference_cost(self) -> None:
        ref, cost = self.ref, self.ref.cost
        for y in self.years:
            for line in (
                "personnel",
                "recruiting",
                "separation",
                "training",
                "units",
                "sustainment",
                "procurement",
                CUSTOM_LINE,
            ):
                cost[(line, y)] = 0.0
            for p in self.classes:
                c, key = self.cls[p], (*p, y)
                cost[("personnel", y)] += c["annual_cost"] * ref.strength[key]
                cost[("personnel", y)] += c["overstrength_cost"] * ref.overstrength[key]
                cost[("recruiting", y)] += c["accession_cost"] * ref.accessions[key]
                cost[("separation", y)] += c["separation_cost"] * ref.separations[key]
                cost[("personnel", y)] += c["ld_cost"] * ref.limited_duty.get(key, 0.0)
            if ref.reserve:
                cost[("personnel", y)] += self.reserve["annual_cost"] * ref.reserve[y]
                recruits = ref.accessions[(*RESERVE, y)]
                cost[("recruiting", y)] += self.reserve["accession_cost"] * recruits
            for n, co in self.courses.items():
                cost[("training", y)] += co["cost"] * ref.trainees[(n, y)]
            for unit in self.unit.values():
                cost[("units", y)] += unit["om_cost"] * unit["init"]
            for e, it in self.item.items():
                price = self.eq_year[(e, y)].get("unit_price", it["price"])
                cost[("sustainment", y)] += it["om_cost"] * ref.stock[(e, y)]
                cost[(it["line"], y)] += price * ref.orders[(e, y)]

    # --- §8.6-8.7 money (money=True) ---------------------------------------------------------

    money: dict[str, Any] | None = None

    def draw_money(self) -> None:
        """Indices, rates, a USD item, a payment profile, fixed spending and cost overrides
        (own random stream), then the reference plan's money of the year."""
        rng = random.Random(self.seed * 7919 + 17)
        years, y0 = self.years, self.years[0]
        index = {
            (line, y): _r(1 + 0.05 * k * rng.uniform(0.5, 1.5), 3)
            for line in ("personnel", "procurement", "sustainment")
            for k, y in enumerate(years)
            if k
        }
        rates = {y: _r(rng.uniform(38, 45), 2) for y in years}
        usd = self.equipment[0]
        profiled = self.equipment[-1] if len(self.equipment) > 1 else None
        pay = {p: _r(self.cls[p]["annual_cost"] * rng.uniform(0.95, 1.25), 0) for p in self.classes}
        om = {n: _r(un["om_cost"] * rng.uniform(0.9, 1.2), 0) for n, un in self.unit.items()}
        self.money = dict(
            index=index,
            rates=rates,
            usd=usd,
            profiled=profiled,
            pay_year=years[-1],
            pay=pay,
            om=om,
            fixed={("procurement", y0): _r(rng.uniform(1000, 5000), 0)},
        )
        self._money_cost()

    def usd_price(self, base_price: float) -> float:
        return _r(base_price / 40.0, 2)

    def _money_cost(self) -> None:
        """The reference plan's spending in money of the year (§8.6-8.7)."""
        mo, ref, cost = self.money, self.ref, self.ref.cost
        assert mo is not None
        last = self.years[-1]
        for key in cost:
            cost[key] = 0.0
        for y in self.years:
            for p in self.classes:
                c, key = self.cls[p], (*p, y)
                pay = mo["pay"][p] if y == mo["pay_year"] else c["annual_cost"]
                cost[("personnel", y)] += pay * ref.strength[key]
                cost[("personnel", y)] += c["overstrength_cost"] * ref.overstrength[key]
                cost[("recruiting", y)] += c["accession_cost"] * ref.accessions[key]
                cost[("separation", y)] += c["separation_cost"] * ref.separations[key]
            for n, co in self.courses.items():
                cost[("training", y)] += co["cost"] * ref.trainees[(n, y)]
            for name, unit in self.unit.items():
                om = mo["om"][name] if y == mo["pay_year"] else unit["om_cost"]
                cost[("units", y)] += om * unit["init"]
            for e, it in self.item.items():
                cost[("sustainment", y)] += it["om_cost"] * ref.stock[(e, y)]
        for (line, y), value in list(cost.items()):
            cost[(line, y)] = value * mo["index"].get((line, y), 1.0)
        for e, it in self.item.items():
            shares = (0.6, 0.4) if e == mo["profiled"] else (1.0,)
            for z in self.years:
                price = self.eq_year[(e, z)].get("unit_price", it["price"])
                for i, share in enumerate(shares):
                    y = z + i
                    if y > last:
                        continue
                    if e == mo["usd"]:
                        factor = mo["rates"][y] * self.usd_price(price) / price if price else 0.0
                    else:
                        factor = mo["index"].get((it["line"], y), 1.0)
                    cost[(it["line"], y)] += share * price * factor * ref.orders[(e, z)]
        for key, value in mo["fixed"].items():
            cost[key] += value

    def money_sheets(self, sheets: Sheets) -> None:
        """Write the §8.6-8.7 inputs into the sheets."""
        mo = self.money
        assert mo is not None
        sheets["PriceIndex"] = [["line", "year", "index"]] + [
            [b, y, v] for (b, y), v in mo["index"].items()
        ]
        sheets["ExchangeRates"] = [["currency", "year", "rate"]] + [
            ["USD", y, r] for y, r in mo["rates"].items()
        ]
        sheets["FixedSpending"] = [["line", "year", "amount"]] + [
            [b, y, v] for (b, y), v in mo["fixed"].items()
        ]
        items = sheets["Equipment"]
        items[0] += ["currency", "payment_profile"]
        for row in items[1:]:
            row += ["USD" if row[0] == mo["usd"] else None]
            row += ["0.6,0.4" if row[0] == mo["profiled"] else None]
            if row[0] == mo["usd"]:
                row[3] = self.usd_price(row[3])
        for row in sheets["EquipmentYears"][1:]:
            if row[0] == mo["usd"] and row[2] is not None:
                row[2] = self.usd_price(row[2])
        add_year_column(
            sheets["PersonnelYears"],
            2,
            {(*p, mo["pay_year"]): v for p, v in mo["pay"].items()},
            "annual_cost",
        )
        add_year_column(
            sheets["UnitYears"], 1, {(n, mo["pay_year"]): v for n, v in mo["om"].items()}, "om_cost"
        )
        funding = sheets["Funding"]
        funding[0] += ["currency", "expires_after", "priority"]
        for row in funding[1:]:
            source, year = row[0], row[1]
            if source == "partner":  # USD money, spent first
                row[2] = _up(row[2] / mo["rates"][year])
                row += ["USD", None, 1]
            elif source == "loan":  # money that lapses a year after it is given
                row += [None, 1, 3]
            else:
                row += [None, None, 2 if source == "national" else 1]

    def break_on_purpose(self) -> None:
        """The `tight` shortfalls that change per-year rows (after the reference plan)."""
        last = self.years[-1]
        if "manning" in self.tight:
            p = self.classes[0]
            self.direct[(p, last)] = _up(
                self.direct.get((p, last), 0.0) + 5 * self.ref.strength[(*p, last)] + 100
            )
        if "equipment" in self.tight:
            e = self.equipment[0]
            row = self.eq_year[(e, self.years[0])]
            row["requirement"] = row.get("requirement", 0.0) + 10 * self.item[e]["init"] + 100

    # --- sheets -------------------------------------------------------------------------

    def settings_sheet(self, objective: str) -> list[list[Any]]:
        ref = self.ref
        # the reserve has no posts: all of it is overstrength in P2 (FORMULATION.md, §8.4)
        reserve = _up(max(ref.reserve.values())) if ref.reserve else 0

        def total(d: dict) -> float:
            return max(sum(v for k, v in d.items() if k[2] == y) for y in self.years)

        return [
            ["key", "value"],
            ["first_year", self.years[0]],
            ["last_year", self.years[-1]],
            ["title", f"random plan {self.seed}"],
            ["classification", "UNCLASSIFIED // TEST"],
            ["currency", "EUR"],
            ["discount_rate", self.settings["discount_rate"]],
            ["objective", objective],
            ["elastic", False],
            ["integer_units", False],
            ["unit_fill_rate", self.settings["unit_fill_rate"]],
            ["equipment_fill_rate", self.settings["equipment_fill_rate"]],
            ["accession_max_total", _up(1.5 * total(ref.accessions) + 10)],
            ["separation_max_total", _up(1.5 * total(ref.separations) + 10)],
            ["overstrength_max_total", _up(1.5 * total(ref.overstrength) + 10 + reserve)],
            *self.careers_settings(),
        ]

    def careers_settings(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        if self.total_step is not None:
            rows.append(["accession_step_max_total", self.total_step])
        if "steady" in self.careers:
            rows.append(["terminal", "steady"])
        return rows

    def personnel_sheet(self) -> list[list[Any]]:
        ref = self.ref
        rows: list[list[Any]] = [
            _header(
                "trade grade initial_strength attrition_rate first_year_attrition_rate annual_cost "
                "accession_cost accession_min accession_max accession_courses separation_cost "
                "separation_min separation_max overstrength_cost overstrength_max limited_duty_max "
                "limited_duty_availability limited_duty_cost"
            )
            + self.careers_columns()
        ]
        for p in self.classes:
            c = self.cls[p]
            acc = [ref.accessions[(*p, y)] for y in self.years]
            sep = [ref.separations[(*p, y)] for y in self.years]
            over = [ref.overstrength[(*p, y)] for y in self.years]
            rows.append(
                [
                    *p,
                    self.init[p],
                    c["attr"],
                    c["fyattr"],
                    c["annual_cost"],
                    c["accession_cost"],
                    _down(0.5 * min(acc)),
                    _up(1.5 * max(acc) + 10),
                    ",".join(c["courses"]),
                    c["separation_cost"],
                    _down(0.5 * min(sep)),
                    _up(1.5 * max(sep) + 10),
                    c["overstrength_cost"],
                    _up(1.5 * max(over) + 10) if self.rng.random() < 0.7 else "inf",
                    c["ld_max"],
                    c["ld_avail"],
                    c["ld_cost"],
                    *self.careers_values(p),
                    *([self.limits.get(p)] if self.cohorts else []),
                ]
            )
        if self.cohorts:
            rows[0].append("max_service_years")
        if "reserve" in self.careers:
            r = self.reserve
            rows.append(
                [
                    *(*RESERVE, r["init"], r["attr"], None, r["annual_cost"], r["accession_cost"]),
                    *(0, "inf", None),
                    *(r["separation_cost"], 0, "inf", 0, "inf", 0, None, 0),
                    *self.careers_values(RESERVE),
                    *([None] if self.cohorts else []),
                ]
            )
        return rows

    def careers_columns(self) -> list[str]:
        names = []
        if "move_eligible_share" in self.careers:
            names.append("move_eligible_share")
        if "limited_duty" in self.careers:
            names.append("limited_duty_share_min")
        if "accession_step" in self.careers:
            names.append("accession_step_max")
        if "reserve" in self.careers:
            names.append("component")
        return names

    def careers_values(self, p: tuple[str, str]) -> list[Any]:
        values: list[Any] = []
        if "move_eligible_share" in self.careers:
            values.append(self.elig.get(p, 1.0))
        if "limited_duty" in self.careers:
            values.append(self.ld_share.get(p))
        if "accession_step" in self.careers:
            values.append(self.steps.get(p))
        if "reserve" in self.careers:
            values.append("reserve" if p == RESERVE else "active")
        return values

    def personnel_years_sheet(self) -> list[list[Any]]:
        ref, rng = self.ref, self.rng
        rows: list[list[Any]] = [
            _header(
                "trade grade year requirement accession_min accession_max separation_min "
                "separation_max min_strength max_strength"
            )
        ]
        for p in self.classes:
            for y in self.years:
                key = (*p, y)
                direct = self.direct.get((p, y))
                if direct is None and rng.random() < 0.6:
                    continue
                a, x, s = ref.accessions[key], ref.separations[key], ref.strength[key]
                pick = rng.random
                rows.append(
                    [
                        *p,
                        y,
                        direct,
                        _down(0.8 * a) if pick() < 0.5 else None,
                        _up(1.3 * a + 5) if pick() < 0.5 else None,
                        _down(0.8 * x) if pick() < 0.3 else None,
                        _up(1.3 * x + 5) if pick() < 0.3 else None,
                        _down(0.6 * s) if pick() < 0.6 else None,
                        _up(1.8 * s + 10) if pick() < 0.6 else None,
                        *([self.ld_min.get((p, y))] if "limited_duty" in self.careers else []),
                    ]
                )
        if "limited_duty" in self.careers:
            rows[0].append("limited_duty_min")
        return rows

    def transitions_sheet(self) -> list[list[Any]]:
        u, rng = self.u, self.rng
        rows: list[list[Any]] = [
            _header(
                "from_trade from_grade to_trade to_grade cost max_per_year "
                "max_share_of_destination loss_rate course"
            )
        ]
        for t in self.trades:
            for low, high in zip(self.grades, self.grades[1:], strict=False):
                if rng.random() < 0.8:
                    rows.append(
                        [
                            t,
                            low,
                            t,
                            high,
                            u(200, 3000, 0),
                            u(5, 40, 0),
                            u(0.05, 0.5),
                            u(0, 0.05, 3),
                            "leader" if rng.random() < 0.7 else None,
                        ]
                    )
        rows.append(
            [
                self.trades[0],
                self.grades[0],
                self.trades[1],
                self.grades[0],
                u(500, 4000, 0),
                "inf",
                None,
                0.0,
                "advanced,long" if self.long_course else "advanced",
            ]
        )
        if "reserve" in self.careers:  # discharge into the reserve
            r = self.reserve
            rows.append([*self.classes[0], *RESERVE, r["arc_cost"], r["arc_max"], None, 0.0, None])
        return rows

    def courses_sheets(self) -> tuple[list[list[Any]], list[list[Any]]]:
        tr = self.ref.trainees
        rng = self.rng
        rows: list[list[Any]] = [
            _header(
                "course capacity cost_per_trainee duration_years instructor_trade instructor_grade "
                "trainees_per_instructor expansion_cost expansion_max"
            )
        ]
        base_capacity = {
            "basic": _up(1.3 * max(tr[("basic", y)] for y in self.years) + 10),
            "advanced": None,  # no limit, except on CourseYears
            "leader": float(rng.randint(10, 40)),
        }
        for name, co in self.courses.items():
            inst = co["instructor"] or (None, None)
            rows.append(
                [
                    name,
                    base_capacity[name],
                    co["cost"],
                    co["duration"],
                    *inst,
                    co["per_instructor"],
                    co["expansion_cost"],
                    co["expansion_max"],
                ]
            )
        if self.long_course:  # C2: a course of more than a year on the cross-trade arc
            co = self.long_course
            rows.append(
                [
                    "long",
                    *(co["capacity"], co["cost"], co["duration"], *co["instructor"]),
                    *(co["per_instructor"], 0, 0),
                ]
            )
        years: list[list[Any]] = [["course", "year", "capacity"]]
        tight = rng.choice(self.years)
        years.append(["basic", tight, _up(tr[("basic", tight)]) + 1])  # binding: expansion pays
        for y in self.years:
            if y == tight or rng.random() < 0.5:
                years.append(["advanced", y, _up(1.1 * tr[("advanced", y)]) + 2])
        return rows, years

    def unit_sheets(self) -> tuple[list[list[Any]], ...]:
        rng = self.rng
        types: list[list[Any]] = [
            _header(
                "unit_type description initial_units capability_score om_cost activation_cost "
                "activation_max disbandment_cost min_units max_units"
            )
        ]
        for name, un in self.unit.items():
            types.append(
                [
                    name,
                    f"random {name}",
                    un["init"],
                    un["capability"],
                    un["om_cost"],
                    un["activation_cost"],
                    un["activation_max"],
                    un["disbandment_cost"],
                    un["min_units"],
                    un["max_units"] if rng.random() < 0.7 else "inf",
                ]
            )
        years: list[list[Any]] = [["unit_type", "year", "min_units", "max_units"]]
        for name, un in self.unit.items():
            y = self.years[-1] if {"end_strength", "units"} & self.tight else rng.choice(self.years)
            floor: list[Any] = [un["init"], None]  # a floor at today's count
            if "units" in self.tight:  # unreachable: max_units stays hard, min is priced
                floor = [un["init"] + un["activation_max"] * len(self.years) + 1] * 2
            years.append([name, y, *floor])
            if rng.random() < 0.5:
                other = rng.choice(self.years)
                if other != y:
                    years.append([name, other, None, un["init"] + rng.randint(0, 2)])
        manning = [["unit_type", "trade", "grade", "personnel"]]
        manning += [[n, *p, q] for (n, p), q in self.manning.items()]
        equipping = [["unit_type", "equipment", "quantity"]]
        equipping += [[n, e, q] for (n, e), q in self.equipping.items()]
        return types, years, manning, equipping

    def equipment_sheets(self) -> tuple[list[list[Any]], list[list[Any]]]:
        orders = self.ref.orders
        items: list[list[Any]] = [
            _header(
                "equipment description initial_stock unit_price om_cost attrition_rate "
                "lead_time_years procurement_max budget_line integer"
            )
        ]
        for e, it in self.item.items():
            most = max(orders[(e, y)] for y in self.years)
            items.append(
                [
                    e,
                    f"random {e}",
                    it["init"],
                    it["price"],
                    it["om_cost"],
                    it["attr"],
                    it["lead"],
                    _up(1.5 * most + 10),
                    it["line"],
                    it["integer"],
                ]
            )
        years: list[list[Any]] = [
            _header(
                "equipment year unit_price procurement_max donations_max scheduled_deliveries "
                "requirement"
            )
        ]
        for (e, y), row in self.eq_year.items():
            cap = _up(1.2 * orders[(e, y)] + 3) if self.rng.random() < 0.3 else None
            if not row and cap is None:
                continue
            years.append(
                [
                    e,
                    y,
                    row.get("unit_price"),
                    cap,
                    row.get("donations_max"),
                    row.get("scheduled_deliveries"),
                    row.get("requirement"),
                ]
            )
        return items, years

    def strength_sheets(self) -> tuple[list[list[Any]], list[list[Any]]]:
        ref, rng, tight = self.ref, self.rng, "end_strength" in self.tight
        total = {y: sum(v for k, v in ref.strength.items() if k[2] == y) for y in self.years}
        last = self.years[-1]
        floor = self.floor_posts
        band: list[list[Any]] = [["year", "min_total", "max_total"]]
        for y in self.years:
            lo, hi = _down(0.8 * total[y]), _up(1.25 * total[y])
            if tight and y == last:
                lo = hi = _down(0.3 * floor)  # far below the posts: shortfalls
            band.append([y, lo, hi if rng.random() < 0.8 or tight else "inf"])
        if ref.reserve:
            band[0].append("component")
            for row in band[1:]:
                row.append("active")
            band.append([last, _down(ref.reserve[last]), "inf", "reserve"])
            first = self.years[0]
            band.append([first, 0, _up(1.25 * (total[first] + ref.reserve[first])), "all"])
        top = self.grades[-1]

        def share(pick) -> list[float]:
            return [
                sum(v for k, v in ref.strength.items() if k[2] == y and pick(k)) / total[y]
                for y in self.years
            ]

        senior = share(lambda k: k[1] == top)
        first = share(lambda k: k[0] == self.trades[0])
        later = self.years[1:] or self.years
        ratios: list[list[Any]] = [
            _header(
                "name numerator_trades numerator_grades denominator_trades denominator_grades "
                "min_ratio max_ratio years"
            ),
            [
                "senior_share",
                "*",
                top,
                "*",
                "*",
                0.95 if "ratio" in self.tight else _r(0.6 * min(senior), 4),
                1.0 if "ratio" in self.tight else _r(min(1.0, 1.4 * max(senior) + 0.01), 4),
                None,
            ],
            [
                f"{self.trades[0]}_share",
                self.trades[0],
                None,
                None,
                None,
                _r(0.5 * min(first), 4),
                None,
                ",".join(str(y) for y in later),
            ],
        ]
        return band, ratios

    def funding_sheets(self) -> tuple[list[list[Any]], list[list[Any]]]:
        cost, rng = self.ref.cost, self.rng
        lines = [
            "personnel",
            "recruiting",
            "separation",
            "training",
            "units",
            "procurement",
        ]
        custom = [CUSTOM_LINE] if CUSTOM_LINE in {it["line"] for it in self.item.values()} else []
        lines += custom
        national_lines = [b for b in lines if b != "units"]
        funding: list[list[Any]] = [["source", "year", "amount", "lines", "carryover"]]
        for y in self.years:
            # national money covers the reference except units, sustainment and some
            # procurement: the restricted and carry-over sources must pay the rest
            need = sum(cost[(b, y)] for b in national_lines)
            if "funding" in self.tight and y == self.years[-1]:
                need *= 0.3  # a funding gap (elastic mode only)
            funding.append(
                ["national", y, _up(1.05 * need + 1000), ",".join(national_lines), False]
            )
        for y in self.years:
            if rng.random() < 0.8:
                funding.append(
                    [
                        "partner",
                        y,
                        _up(
                            rng.uniform(0.2, 0.6)
                            * (cost[("procurement", y)] + cost[("training", y)])
                            + 1000
                        ),
                        ",".join(["procurement", "training", *custom]),
                        False,
                    ]
                )
        upkeep = sum(cost[("units", y)] + cost[("sustainment", y)] for y in self.years)
        funding.append(
            ["reserve", self.years[0], _up(1.2 * upkeep + 1000), "units,sustainment", True]
        )
        if len(self.years) > 1:
            funding.append(
                ["reserve", self.years[-1], float(rng.randint(0, 1000)), "units,sustainment", True]
            )
            funding.append(
                ["loan", self.years[1], _up(0.1 * cost[("personnel", self.years[1])]), "*", True]
            )
        y0, yl = self.years[0], self.years[-1]
        limits: list[list[Any]] = [
            ["line", "year", "min_amount", "max_amount"],
            [
                "personnel",
                y0,
                _down(0.5 * cost[("personnel", y0)]),
                _up(2 * cost[("personnel", y0)] + 1000),
            ],
            ["training", yl, 0, _up(3 * cost[("training", yl)] + 1e5)],
            *([[CUSTOM_LINE, yl, 0, None]] if custom else []),
        ]
        return funding, limits


def random_sheets(
    seed: int,
    n_trades: int = 3,
    n_grades: int = 2,
    n_years: int = 3,
    n_units: int = 2,
    n_equipment: int = 2,
    objective: str = "min_cost",
    tight: Collection[str] = (),
    integer_orders: bool = False,
    penalties: bool = False,
    careers: Collection[str] = (),
    money: bool = False,
    cohorts: bool = False,
) -> Sheets:
    """The sheets of a random workbook (see the module doc)."""
    g = _Gen(seed, n_trades, n_grades, n_years, n_units, n_equipment, integer_orders)
    g.cohorts = cohorts
    g.tight = set(tight)
    g.careers = set(careers)
    unknown = g.careers - set(CAREERS)
    assert not unknown, f"unknown careers options {unknown}"
    if len(g.years) < 2:
        g.careers.discard("steady")  # P12 would pin the only year to the initial strength
    g.crng = random.Random(seed * 7919 + 1)  # careers draws: the base stream stays untouched
    g.settings = {
        "discount_rate": g.u(0.0, 0.06, 3),
        "unit_fill_rate": g.u(0.8, 1.0),
        "equipment_fill_rate": g.u(0.8, 1.0),
    }
    g.draw_courses()
    g.draw_classes()
    g.draw_units()
    g.draw_equipment()
    g.reference_personnel()
    g.reference_equipment()
    g.reference_careers()
    g.reference_cost()
    g.break_on_purpose()
    if money:
        g.draw_money()
    courses, course_years = g.courses_sheets()
    unit_types, unit_years, manning, equipping = g.unit_sheets()
    equipment, equipment_years = g.equipment_sheets()
    end_strength, ratios = g.strength_sheets()
    funding, line_limits = g.funding_sheets()
    sheets: Sheets = {
        "Settings": g.settings_sheet(objective),
        "Personnel": g.personnel_sheet(),
        "PersonnelYears": g.personnel_years_sheet(),
        "Transitions": g.transitions_sheet(),
        "Courses": courses,
        "CourseYears": course_years,
        "UnitTypes": unit_types,
        "UnitYears": unit_years,
        "Manning": manning,
        "Equipping": equipping,
        "Equipment": equipment,
        "EquipmentYears": equipment_years,
        "EndStrength": end_strength,
        "Ratios": ratios,
        "Funding": funding,
        "LineLimits": line_limits,
    }
    if objective == "custom":
        sheets["Objective"] = [
            ["metric", "weight"],
            ["cost", 1.0],
            ["separations", 10.0],
            ["capability", 1000.0],
        ]
    if money:
        g.money_sheets(sheets)
    if cohorts and g.cohort_rows:
        sheets["PersonnelCohorts"] = g.cohort_sheet()
    if penalties:
        sheets["Penalties"] = [
            ["kind", "penalty"],
            ["end_strength", g.u(1e5, 1e6, 0)],
            ["funding", None],
        ]
    return sheets


def random_workbook(
    path: Path, seed: int, n_trades: int = 3, n_grades: int = 2, n_years: int = 3, **options: Any
) -> Path:
    """Write a seeded random workbook to `path` (options: see `random_sheets`)."""
    return write_workbook(path, random_sheets(seed, n_trades, n_grades, n_years, **options))
