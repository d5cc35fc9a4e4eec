"""Shadow prices in words: one sentence builder for `solve`, `report`, `compare` and
`explain` (MODEL.md §8.8).

Everything here reads the columns of `Plan_Constraints` (`id, kind, index, shadow_price,
side, valid_from, valid_to, price_note, binding, source_cells`), so a plan workbook read
back gives the same sentences as the solve that wrote it. No solver, no Pyomo.

A row is printed as a *binding limit* when it binds with a non-zero price, is a limit
taken from the inputs (not an accounting identity such as a balance), can be relaxed by
someone (not the sign restriction x ≥ 0, not a donation nobody offers) and its price holds
for an increase of the limit (HiGHS ranging; a degenerate price that holds only for a
decrease is not shown as if it held both ways). Each printed price passes the
finite-difference check of §8.8 (tests/test_prices.py).
"""

from __future__ import annotations

import math
from typing import Any


def describe(family: str, kind: str) -> Any:
    """The family registry's words for (id, kind) (imported late: the report imports us)."""
    from forceplan.report.families import describe as registry

    return registry(family, kind)


#: price_note texts (results.py writes them, this module reads them back).
NOTE_DEGENERATE_NONE = "degenerate: the price is not unique and holds for no change of the limit"
NOTE_DEGENERATE_UP = "degenerate: the price is not unique; it holds only when the limit is raised"
NOTE_DEGENERATE_DOWN = (
    "degenerate: the price is not unique; it holds only when the limit is lowered"
)
NOTE_PENALTY = "penalty-driven: set by elastic-mode penalties (Penalties sheet), not by costs"
NOTE_MIP = (
    "given the whole units and items chosen: the price of the LP with the integer decisions fixed"
)
NOTE_NO_RANGE = "no range: HiGHS gave no ranging for this optimum"
NOTE_SIGN = "the price of x ≥ 0: a count cannot go below zero, so no limit can be relaxed"
NOTE_NO_OFFER = "nothing on offer: the limit is 0 and only a partner can raise it"

#: Notes that keep a row out of the printed binding limits.
_NOT_PRINTED = (NOTE_DEGENERATE_NONE, NOTE_DEGENERATE_DOWN, NOTE_SIGN, NOTE_NO_OFFER)

PRICE_EPS = 1e-9
#: Rows whose limit is in the workbook's currency (prices per currency unit).
MONEY_IDS = ("B1", "B2", "B3")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def number(value: Any) -> float | None:
    if blank(value) or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().upper() in ("TRUE", "1", "YES")
    return bool(value) and not blank(value)


# --- numbers in words -------------------------------------------------------------------


def amount(x: float, unit: str = "") -> str:
    """5.05 bn UAH, 12.3 mn UAH, 55,526 UAH, 2.91 UAH, 0.0042 points."""
    a = abs(x)
    sign = "−" if x < 0 else ""
    if a >= 1e9:
        text = f"{a / 1e9:,.3g} bn" if a < 1e12 else f"{a / 1e9:,.0f} bn"
    elif a >= 1e6:
        text = f"{a / 1e6:,.3g} mn"
    elif a >= 100:
        text = f"{a:,.0f}"
    elif a == 0:
        text = "0"
    else:
        text = f"{a:,.3g}"
    return f"{sign}{text}{' ' + unit if unit else ''}"


def _what(objective: str, currency: str) -> tuple[str, str]:
    if objective == "max_capability":
        return "capability", "points"
    if objective == "custom":
        return "the objective", "objective units"
    return "total cost", currency


def _split_index(index: Any) -> tuple[str, str]:
    text = str(index)
    head, _, tail = text.rpartition(" ")
    if head and len(tail) == 4 and tail.isdigit():
        return head, tail
    return text, ""


def _limit_words(side: str) -> str:
    return {"max": "the maximum", "min": "the minimum"}.get(side, "the limit")


# --- which rows are printed -------------------------------------------------------------


def notes_of(row: dict[str, Any]) -> str:
    note = row.get("price_note")
    return "" if blank(note) else str(note)


def is_identity(row: dict[str, Any]) -> bool:
    return describe(str(row["id"]), str(row.get("kind") or "")).definition


def is_printed_limit(row: dict[str, Any]) -> bool:
    """A binding limit whose price a sentence may state (see the module doc)."""
    price = number(row.get("shadow_price"))
    if price is None or abs(price) <= PRICE_EPS or not truthy(row.get("binding")):
        return False
    if is_identity(row):
        return False
    note = notes_of(row)
    return not any(n in note for n in _NOT_PRINTED)


def sentence(row: dict[str, Any], objective: str, currency: str) -> str:
    """'Allowing one more patriot_battery unit in 2028 lowers total cost by 505 mn UAH
    (the maximum binds; the price holds while the maximum stays between 4 and 7).'"""
    kind = describe(str(row["id"]), str(row.get("kind") or ""))
    subject, year = _split_index(row["index"])
    side = side_of(row)
    templates = kind.more if isinstance(kind.more, dict) else None
    if templates is None:
        template = str(kind.more)
    else:
        template = templates.get("fixed" if side == "equal" else side) or next(
            iter(templates.values())
        )
    more = template.format(subject=subject, year=year or "every year", cur=currency)
    price = float(row["shadow_price"])
    what, unit = _what(objective, currency)
    verb = "raises" if price > 0 else "lowers"
    text = f"{more} {verb} {what} by {amount(abs(price), unit)}".replace(",,", ",")
    text = text[0].upper() + text[1:]
    detail = []
    if side in ("max", "min"):
        detail.append(f"{_limit_words(side)} binds")
    held = holds(row)
    if held:
        detail.append(held)
    note = notes_of(row)
    if NOTE_PENALTY in note:
        detail.append("a penalty price from elastic mode, not a cost")
    if NOTE_MIP in note:
        detail.append("given the whole units and items chosen")
    if NOTE_DEGENERATE_UP in note:
        detail.append("not unique: a decrease is priced differently")
    return text + (f" ({'; '.join(detail)})." if detail else ".")


def side_of(row: dict[str, Any]) -> str:
    """The row's `side`; for a plan written before MODEL.md §8.8, the bound nearest its value."""
    if not blank(row.get("side")):
        return str(row["side"])
    value, lower, upper = (
        number(row.get("value")),
        number(row.get("lower")),
        number(row.get("upper")),
    )
    if lower is not None and upper is not None:
        if abs(upper - lower) <= 1e-7 * max(1.0, abs(upper)):
            return "equal"
        if value is not None:
            return "max" if abs(upper - value) <= abs(value - lower) else "min"
    return "max" if upper is not None else ("min" if lower is not None else "")


def holds(row: dict[str, Any]) -> str:
    """'the price holds while the maximum stays between 4 and 7' (blank without ranging)."""
    lo, hi = number(row.get("valid_from")), number(row.get("valid_to"))
    if lo is None and hi is None:
        return ""
    money = str(row["id"]) in MONEY_IDS
    limit = _limit_words(side_of(row))

    def show(x: float) -> str:
        return amount(x) if money else _quantity(x)

    if lo is not None and hi is not None:
        return f"the price holds while {limit} stays between {show(lo)} and {show(hi)}"
    if lo is not None:
        return f"the price holds while {limit} stays at or above {show(lo)}"
    return f"the price holds while {limit} stays at or below {show(hi)}"


def _quantity(x: float) -> str:
    if abs(x) >= 1000 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.4g}"


def priced_limits(frame: Any, objective: str, currency: str, top: int | None = None) -> list:
    """The printed binding limits of a Plan_Constraints table, largest |price| first,
    each once (rows of one limit with the same index and price are shown once)."""
    if frame is None or not len(frame):
        return []
    records = [r for r in frame.to_dict("records") if is_printed_limit(r)]
    records.sort(key=lambda r: -abs(float(r["shadow_price"])))
    out, seen = [], set()
    for r in records:
        key = (str(r["index"]), f"{float(r['shadow_price']):.9g}")
        if key in seen:
            continue
        seen.add(key)
        out.append(limit_record(r, objective, currency))
        if top is not None and len(out) >= top:
            break
    return out


def limit_record(row: dict[str, Any], objective: str, currency: str) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "kind": "" if blank(row.get("kind")) else str(row["kind"]),
        "index": str(row["index"]),
        "side": side_of(row),
        "shadow_price": float(row["shadow_price"]),
        "valid_from": number(row.get("valid_from")),
        "valid_to": number(row.get("valid_to")),
        "price_note": notes_of(row),
        "source_cells": "" if blank(row.get("source_cells")) else str(row["source_cells"]),
        "sentence": sentence(row, objective, currency),
    }


def count_not_printed(frame: Any) -> dict[str, int]:
    """Binding rows with a price that no sentence shows, by reason (for the report)."""
    out = {"identity": 0, "degenerate": 0, "no relaxation": 0}
    if frame is None or not len(frame):
        return out
    for r in frame.to_dict("records"):
        price = number(r.get("shadow_price"))
        if price is None or abs(price) <= PRICE_EPS or not truthy(r.get("binding")):
            continue
        note = notes_of(r)
        if is_identity(r):
            out["identity"] += 1
        elif NOTE_DEGENERATE_NONE in note or NOTE_DEGENERATE_DOWN in note:
            out["degenerate"] += 1
        elif NOTE_SIGN in note or NOTE_NO_OFFER in note:
            out["no relaxation"] += 1
    return out
