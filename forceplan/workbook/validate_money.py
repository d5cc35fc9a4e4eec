"""Checks of the money inputs of MODEL.md §8.6-8.7 that compare cells.

- a foreign currency (Funding.currency, Equipment.currency) needs a rate on ExchangeRates
  for every horizon year; the base currency's rate is 1 by definition;
- Equipment.payment_profile: numbers ≥ 0 that sum to 1;
- currency, expires_after and priority are attributes of a Funding source, like lines and
  carryover: rows of one source that disagree are an error; expires_after without
  carryover is a warning (it changes nothing).

Single cells (priority ≥ 1, rate > 0, index > 0) are checked by the reader from the
registry. Every issue names the sheet and cell.
"""

from __future__ import annotations

import math
from typing import Any

from forceplan.inputs import Inputs, Record

#: How far the shares of a payment profile may sum from 1.
PROFILE_TOLERANCE = 1e-6
#: Funding columns that must agree across the rows of one source (besides lines, carryover).
SOURCE_ATTRIBUTES = ("currency", "expires_after", "priority")


def check_money(inputs: Inputs, out: Any, horizon_ok: bool) -> None:
    """Add the §8.6-8.7 issues to `out` (a validate._Collector)."""
    if horizon_ok:
        _check_rates(inputs, out)
    _check_base_rate(inputs, out)
    _check_profiles(inputs, out)
    _check_source_attributes(inputs, out)


def _base(inputs: Inputs) -> str:
    return str(inputs.settings.get("currency") or "UAH").strip()


def _currency(rec: Record) -> str:
    value = rec.get("currency")
    return str(value).strip() if value is not None else ""


def _check_rates(inputs: Inputs, out: Any) -> None:
    """Every foreign currency in use has a rate in every horizon year (once per currency
    and sheet, at the first row that uses it)."""
    base = _base(inputs)
    rated: dict[str, set[int]] = {}
    for rec in inputs["ExchangeRates"]:
        if rec.get("rate") is not None and isinstance(rec.get("year"), int):
            rated.setdefault(str(rec["currency"]), set()).add(rec["year"])
    for sheet, what in (("Funding", "amount"), ("Equipment", "unit_price")):
        table = inputs[sheet]
        seen: set[str] = set()
        for rec in table:
            code = _currency(rec)
            if not code or code == base or code in seen:
                continue
            seen.add(code)
            missing = [y for y in inputs.years if y not in rated.get(code, set())]
            if missing:
                out.error(
                    table,
                    rec,
                    "currency",
                    f"currency {code!r} (of {sheet}.{what}) has no exchange rate for "
                    f"{_years(missing)}: add rows currency {code}, year, rate (base "
                    f"{base} per one {code}) to ExchangeRates for every year "
                    f"{inputs.first_year}–{inputs.last_year}, or leave the currency blank "
                    f"for money in {base}",
                )


def _years(years: list[int]) -> str:
    if len(years) > 4:
        return f"{len(years)} years ({years[0]}, {years[1]} … {years[-1]})"
    return ", ".join(map(str, years))


def _check_base_rate(inputs: Inputs, out: Any) -> None:
    base = _base(inputs)
    table = inputs["ExchangeRates"]
    for rec in table:
        rate = rec.get("rate")
        if str(rec.get("currency")) == base and rate is not None and rate != 1.0:
            out.error(
                table,
                rec,
                "rate",
                f"{base} is the base currency (Settings currency): its rate is 1 by "
                f"definition, not {rate:g}; delete the row or correct Settings currency",
            )


def _check_profiles(inputs: Inputs, out: Any) -> None:
    table = inputs["Equipment"]
    for rec in table:
        parts = rec.get("payment_profile") or ()
        if not parts:
            continue
        shares = []
        for part in parts:
            try:
                shares.append(float(part))
            except ValueError:
                shares = []
                out.error(
                    table,
                    rec,
                    "payment_profile",
                    f"{part!r} in payment_profile is not a number: list the shares of the "
                    "price paid in the order year, the next year, ... e.g. 0.3,0.5,0.2",
                )
                break
        if not shares:
            continue
        if any(x < 0 or not math.isfinite(x) for x in shares):
            out.error(
                table,
                rec,
                "payment_profile",
                "payment_profile has a negative or infinite share: every share is a "
                "fraction ≥ 0 of the price",
            )
        elif abs(sum(shares) - 1.0) > PROFILE_TOLERANCE:
            out.error(
                table,
                rec,
                "payment_profile",
                f"the shares of payment_profile add up to {sum(shares):.6g}, not 1: "
                "they split the price over the years, so they must sum to 1 "
                "(e.g. 0.3,0.5,0.2)",
            )


def _check_source_attributes(inputs: Inputs, out: Any) -> None:
    table = inputs["Funding"]
    first_rows: dict[str, Record] = {}
    warned: set[str] = set()
    for rec in table:
        source = rec.get("source")
        if source is None or source == "":
            continue
        idle = rec.get("expires_after") is not None and not rec.get("carryover")
        if idle and source not in warned:
            warned.add(source)
            out.warning(
                table,
                rec,
                "expires_after",
                f"source {source!r} does not carry money over (carryover FALSE), so "
                "expires_after changes nothing: its money lapses at the end of each "
                "year; set carryover TRUE or clear expires_after",
            )
        first = first_rows.setdefault(source, rec)
        if first is rec:
            continue
        for column in SOURCE_ATTRIBUTES:
            here, there = _attribute(rec, column), _attribute(first, column)
            if here != there:
                out.error(
                    table,
                    rec,
                    column,
                    f"source {source!r} has {column} {_show(here)} here but {_show(there)} "
                    f"in row {first['_row']} ({table.cell(first, column)}): {column} "
                    "applies to the whole source; make the rows agree",
                )


def _attribute(rec: Record, column: str) -> Any:
    if column == "currency":
        return _currency(rec)
    return rec.get(column)


def _show(value: Any) -> str:
    return "blank" if value is None or value == "" else repr(value)
