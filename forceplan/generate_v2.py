"""The v2 inputs of synthetic workbooks beyond careers and cohorts: money by year and
currency (MODEL.md §8.6-8.7, `forceplan generate --money`) and the terminal rule (§8.5,
`--steady`).

`add_money` is drawn from its own random stream, so a workbook generated without it is
what it was before, byte for byte. It runs before `generate._hold_the_force` works out the
held-force plan's money, and stays inside what that bound pays for: the cost overrides by
year only lower a class's, unit's or item's cost and attrition (the wartime-to-peacetime
turn: the plan that holds the force only needs fewer recruits and orders), a foreign price
is bounded at its currency's highest rate, a payment profile spreads an order's price
over later years (each year pays at most one year's orders), fixed spending is added to
the national bound, and the new euro source is money on top of what the national and
partner sources already pay. `steady` holds for the held-force plan as it is: its
strengths are constant, and its orders of the last year renew what attrition takes.
"""

from __future__ import annotations

import random
from typing import Any

Sheets = dict[str, list[list[Any]]]

#: The euro facility: spent first, on both procurement lines, lapsing two years after it
#: is given; the partner's dollars next (lapsing after one year), the national money last.
EU_SOURCE = "eu_facility"
PRIORITY = {EU_SOURCE: 1, "partner": 2, "national": 3}
EXPIRES = {EU_SOURCE: 2, "partner": 1}


def add_year_column(
    rows: list[list[Any]], n_keys: int, values: dict[tuple[Any, ...], Any], column: str
) -> None:
    """Add `column` to a per-year sheet: into the row of each key (with `year` after the
    `n_keys` key columns), or a new row holding only it."""
    width = len(rows[0])
    rows[0].append(column)
    for row in rows[1:]:
        row.extend([None] * (width - len(row)))
        row.append(values.pop(tuple(row[: n_keys + 1]), None))
    for key, value in values.items():
        rows.append([*key, *([None] * (width - n_keys - 1)), value])


def add_money(sheets: Sheets, years: list[int], stock_value: float, seed: int) -> None:
    """§8.6-8.7 on top of the base money (`generate._money_sheets`: the personnel price
    index, the partner's dollars, one fixed payment)."""
    rng = random.Random(seed * 7919 + 86)  # own stream: the base sheets stay as they are
    peace = years[len(years) // 3]  # costs and attrition fall from this year on
    eur = {y: round(43.0 * 1.02**k * rng.uniform(0.98, 1.02), 2) for k, y in enumerate(years)}
    sheets["ExchangeRates"] += [["EUR", y, r] for y, r in eur.items()]
    sheets["PriceIndex"] += [
        [line, y, round(1.025**k, 4)]
        for line in ("procurement", "sustainment")
        for k, y in enumerate(years)
    ]
    usd0 = next(r[2] for r in sheets["ExchangeRates"][1:] if r[0] == "USD" and r[1] == years[0])
    later = [y for y in years if y >= peace]
    _equipment(sheets, rng, {"EUR": eur[years[0]], "USD": usd0}, later)
    _overrides(sheets, rng, later)
    # payments still due on contracts signed before the horizon, falling off
    fixed = sheets["FixedSpending"]
    fixed += [
        ["procurement", y, round(share * stock_value, -3)]
        for y, share in zip(years[1:3], (0.006, 0.003), strict=False)
    ]
    fixed.append(["sustainment", years[0], round(0.002 * stock_value, -3) + 1000.0])
    _funding(sheets, rng, years, stock_value / eur[years[0]])


def _equipment(
    sheets: Sheets, rng: random.Random, rate0: dict[str, float], later: list[int]
) -> None:
    """Some items priced in euros or dollars (converted at the first year's rate); long-lead
    items paid over their lead time; lower upkeep and wear-out from the peace year on."""
    items = sheets["Equipment"]
    head = items[0]
    price_at, lead_at = head.index("unit_price"), head.index("lead_time_years")
    head += ["currency", "payment_profile"]
    foreign: dict[str, str] = {}
    for row in items[1:]:
        draw = rng.random()
        currency = "EUR" if draw < 0.2 else ("USD" if draw < 0.35 else None)
        if currency:
            foreign[row[0]] = currency
            row[price_at] = round(row[price_at] / rate0[currency], 2)
        lead = int(row[lead_at])
        profile = {1: "0.4,0.6", 2: "0.2,0.3,0.5"}.get(lead) if rng.random() < 0.6 else None
        row += [currency, profile]
    years_rows = sheets["EquipmentYears"]
    price_at = years_rows[0].index("unit_price")
    for row in years_rows[1:]:
        if row[0] in foreign and row[price_at] is not None:
            row[price_at] = round(row[price_at] / rate0[foreign[row[0]]], 2)
    om: dict[tuple[Any, ...], float] = {}
    attrition: dict[tuple[Any, ...], float] = {}
    om_at, attr_at = head.index("om_cost"), head.index("attrition_rate")
    for k, row in enumerate(items[1:]):
        if rng.random() < 0.3 or k == 0:  # the first always: small workbooks have one
            factors = rng.uniform(0.7, 1.0), rng.uniform(0.4, 0.9)
            for y in later:
                om[(row[0], y)] = round(row[om_at] * factors[0], -2)
                attrition[(row[0], y)] = round(row[attr_at] * factors[1], 4)
    add_year_column(years_rows, 1, om, "om_cost")
    add_year_column(years_rows, 1, attrition, "attrition_rate")


def _overrides(sheets: Sheets, rng: random.Random, years: list[int]) -> None:
    """PersonnelYears and UnitYears cost overrides: a third of the classes get lower pay,
    attrition and recruiting cost from the peace year on; some unit types cheaper upkeep."""
    people = sheets["Personnel"]
    head = people[0]
    at = {c: head.index(c) for c in ("annual_cost", "attrition_rate", "accession_cost")}
    pay: dict[tuple[Any, ...], float] = {}
    attrition: dict[tuple[Any, ...], float] = {}
    recruiting: dict[tuple[Any, ...], float] = {}
    for k, row in enumerate(people[1:]):
        if rng.random() >= 1 / 3 and k:
            continue
        factors = rng.uniform(0.8, 0.95), rng.uniform(0.6, 0.9), rng.uniform(0.9, 1.0)
        for y in years:
            key = (row[0], row[1], y)
            pay[key] = round(row[at["annual_cost"]] * factors[0], -2)
            attrition[key] = round(row[at["attrition_rate"]] * factors[1], 4)
            if row[at["accession_cost"]]:
                recruiting[key] = round(row[at["accession_cost"]] * factors[2], -2)
    for column, values in (
        ("annual_cost", pay),
        ("attrition_rate", attrition),
        ("accession_cost", recruiting),
    ):
        add_year_column(sheets["PersonnelYears"], 2, values, column)
    units = sheets["UnitTypes"]
    om_at = units[0].index("om_cost")
    om = {
        (row[0], y): round(row[om_at] * rng.uniform(0.85, 1.0), -5)
        for k, row in enumerate(units[1:])
        if rng.random() < 0.5 or k == 0
        for y in years
    }
    add_year_column(sheets["UnitYears"], 1, om, "om_cost")


def _funding(sheets: Sheets, rng: random.Random, years: list[int], stock_eur: float) -> None:
    """Priorities and expiry for every source; the partner's dollars carry over for a year;
    a euro facility in the first half of the horizon on both procurement lines."""
    funding = sheets["Funding"]
    head = funding[0]
    head += ["expires_after", "priority"]
    carry_at = head.index("carryover")
    for row in funding[1:]:
        if row[0] == "partner":
            row[carry_at] = True
        row += [EXPIRES.get(row[0]), PRIORITY[row[0]]]
    for y in years[: max(1, len(years) // 2)]:
        amount = round(rng.uniform(0.03, 0.08) * stock_eur, -3)
        row = dict(zip(head, [None] * len(head), strict=True))
        row.update(source=EU_SOURCE, year=y, amount=amount, carryover=True, currency="EUR")
        row.update(lines="procurement,procurement_partner", priority=PRIORITY[EU_SOURCE])
        row["expires_after"] = EXPIRES[EU_SOURCE]
        funding.append(list(row.values()))


def add_steady(sheets: Sheets) -> None:
    """Settings.terminal = steady (§8.5: P12 for every class, E3 for every item)."""
    sheets["Settings"].append(["terminal", "steady"])
