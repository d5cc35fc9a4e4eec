"""What a plan decides, in plain sentences for the report's summary.

"58 mechanised brigades stood up; 70 wartime brigades and 30 territorial brigades
disbanded." Read from the Plan_ tables only (the same numbers as section 4), so the summary
can never disagree with the tables below it.
"""

from __future__ import annotations

import math
from typing import Any

from forceplan import fmt

#: Items named per list ("the largest orders: a, b and c").
TOP_ITEMS = 3
#: Totals below this are solver noise, not a decision.
NOISE = 1e-6


#: Nouns of unit types: "mech_brigade_wartime" reads "mech brigades (wartime)".
UNIT_NOUNS = (
    "brigade", "regiment", "battalion", "battery", "company", "squadron", "division",
    "group", "unit", "wing", "corps", "detachment", "team", "ship", "flotilla",
)  # fmt: skip


def _plural_word(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word if word == "corps" else word + "es"
    return word + "s"


def plural(name: str, n: float) -> str:
    """'mechanised_brigade', 58 -> 'mechanised brigades'; 'patriot_battery' -> 'patriot
    batteries'; 'mech_brigade_wartime' -> 'mech brigades (wartime)'."""
    words = str(name).replace("_", " ").split()
    if not words:
        return ""
    if abs(n - 1) < 1e-9:
        return " ".join(words)
    nouns = [i for i, w in enumerate(words) if w.lower() in UNIT_NOUNS]
    at = nouns[-1] if nouns else len(words) - 1
    head = [*words[:at], _plural_word(words[at])]
    tail = words[at + 1 :]
    return " ".join(head) + (f" ({' '.join(tail)})" if tail else "")


def listing(parts: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _counted(frame: Any, key: str, column: str) -> list[tuple[str, float]]:
    if frame is None or not len(frame) or column not in frame:
        return []
    totals = frame.groupby(key, sort=False)[column].sum()
    items = [(str(k), float(v)) for k, v in totals.items() if math.isfinite(v) and v > NOISE]
    return sorted(items, key=lambda kv: -kv[1])


def _amount(n: float) -> str:
    return fmt.count(n)


def decisions(tables: dict[str, Any], currency: str, unit_prices: dict[str, float]) -> list[str]:
    """Sentences: units stood up and disbanded, strength, recruiting, orders, money, gaps."""
    out: list[str] = []
    units = tables.get("Plan_Units")
    up = _counted(units, "unit_type", "activations")
    down = _counted(units, "unit_type", "disbandments")
    unit_parts = []
    if up:
        unit_parts.append(
            listing([f"{_amount(n)} {plural(u, round(n, 1))}" for u, n in up]) + " stood up"
        )
    if down:
        unit_parts.append(
            listing([f"{_amount(n)} {plural(u, round(n, 1))}" for u, n in down]) + " disbanded"
        )
    if unit_parts:
        out.append("Units: " + "; ".join(unit_parts) + ".")
    elif units is not None and len(units):
        out.append("Units: no unit is stood up or disbanded.")
    personnel = tables.get("Plan_Personnel")
    if personnel is not None and len(personnel):
        strength = personnel.groupby("year")["strength"].sum().sort_index()
        first, last = int(strength.index[0]), int(strength.index[-1])
        out.append(
            f"People: total strength {fmt.count(strength.iloc[0])} at the end of {first}, "
            f"{fmt.count(strength.iloc[-1])} at the end of {last}; "
            f"{fmt.count(personnel['accessions'].sum())} recruited and "
            f"{fmt.count(personnel['separations'].sum())} separated over {first}–{last}."
        )
    orders = _counted(tables.get("Plan_Equipment"), "equipment", "orders")
    if orders:
        ranked = sorted(orders, key=lambda kv: -kv[1] * unit_prices.get(kv[0], 0.0))
        top = [f"{_amount(n)} {str(e).replace('_', ' ')}" for e, n in ranked[:TOP_ITEMS]]
        more = len(orders) - len(top)
        tail = f" (and orders of {more} other item{'s' if more != 1 else ''})" if more else ""
        out.append(f"Equipment: the largest orders by value are {listing(top)}{tail}.")
    budget = tables.get("Plan_Budget")
    if budget is not None and len(budget):
        lines = _counted(budget, "line", "spend")
        total = float(budget["spend"].sum())
        years = sorted(int(y) for y in budget["year"].unique())
        biggest = [f"{line} {fmt.money(v, currency)}" for line, v in lines[:TOP_ITEMS]]
        out.append(
            f"Money: {fmt.money(total, currency)} spent over {years[0]}–{years[-1]} "
            f"(undiscounted); the largest lines are {listing(biggest)}."
        )
    shortfalls = tables.get("Plan_Shortfalls")
    if shortfalls is not None and len(shortfalls):
        kinds = shortfalls.groupby("kind").size().to_dict()
        parts = [f"{n} {kind}" for kind, n in kinds.items()]
        out.append(
            f"Shortfalls: {len(shortfalls)} requirement(s) NOT met ({listing(parts)}); "
            "see the shortfall table."
        )
    else:
        out.append("Shortfalls: none — every requirement is met.")
    return out
