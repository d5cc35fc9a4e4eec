"""The audit's view of the money of MODEL.md §8.6-8.7, from the inputs alone.

Like the rest of `forceplan.audit`, this never imports the model: it re-derives the
price index, exchange rates, fixed spending, payment profiles, commitments after the
horizon and the vintages of expiring money directly from the typed inputs, so that an
error in the model's reading of them shows up as a failed audit row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forceplan.inputs import Inputs


@dataclass
class Money:
    """The §8.6-8.7 money parameters, as the audit reads them."""

    base: str
    years: list[int]
    index: dict[tuple[str, int], float] = field(default_factory=dict)
    rates: dict[tuple[str, int], float] = field(default_factory=dict)
    fixed: dict[tuple[str, int], float] = field(default_factory=dict)

    @property
    def last(self) -> int:
        return self.years[-1]

    def currency(self, value: Any) -> str | None:
        """A currency cell: None for blank or the base currency."""
        text = "" if value is None or _blank(value) else str(value).strip()
        return None if not text or text == self.base else text

    def rate(self, currency: str | None, year: int) -> float:
        return 1.0 if currency is None else self.rates.get((currency, year), math.nan)

    def factor(self, line: str, currency: str | None, year: int) -> float:
        """Base-year price -> money of the year: the line's index, or the currency's rate."""
        if currency is None:
            return self.index.get((line, year), 1.0)
        return self.rate(currency, year)


def _blank(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def read_money(inputs: Inputs) -> Money:
    money = Money(str(inputs.settings.get("currency") or "UAH").strip(), list(inputs.years))
    for rec in inputs.tables["PriceIndex"]:
        money.index[(rec["line"], rec["year"])] = float(rec["index"] or 1.0)
    for rec in inputs.tables["ExchangeRates"]:
        money.rates[(str(rec["currency"]), rec["year"])] = float(rec["rate"])
    for rec in inputs.tables["FixedSpending"]:
        key = (rec["line"], rec["year"])
        money.fixed[key] = money.fixed.get(key, 0.0) + float(rec["amount"] or 0.0)
    return money


def profile(value: Any) -> tuple[float, ...]:
    """Shares of a payment_profile cell (blank: everything in the order year)."""
    if value is None or _blank(value):
        return (1.0,)
    parts = value if isinstance(value, tuple | list) else str(value).split(",")
    shares = tuple(float(p) for p in parts if str(p).strip())
    return shares or (1.0,)


def terms(frame: pd.DataFrame, line: Any, amount: pd.Series) -> pd.DataFrame:
    """Cost terms as (line, year, amount) rows: a family's part of the B1 ledger."""
    return pd.DataFrame({"line": line, "year": frame["year"], "amount": amount})


def index_terms(money: Money, terms: pd.DataFrame) -> pd.DataFrame:
    """Base-currency cost terms at base-year prices -> money of the year (× index)."""
    if not money.index or not len(terms):
        return terms
    keys = zip(terms["line"], terms["year"].astype(int), strict=True)
    factor = np.array([money.index.get((b, y), 1.0) for b, y in keys])
    return terms.assign(amount=terms["amount"] * factor)


def equipment_payments(money: Money, pe: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(payments inside the horizon as (line, year, amount) rows in money of the year,
    commitments after it as (line, year = order year, amount) rows at the last year's
    index or rate) of the plan's orders (§8.7)."""
    paid, committed = [], []
    for rec in pe.itertuples(index=False):
        if not rec.orders or not rec.price:
            continue
        currency = money.currency(rec.currency)
        for i, share in enumerate(profile(rec.profile)):
            year = int(rec.year) + i
            if year <= money.last:
                amount = share * rec.price * rec.orders * money.factor(rec.line, currency, year)
                paid.append((rec.line, year, amount))
            else:
                factor = money.factor(rec.line, currency, money.last)
                committed.append((rec.line, int(rec.year), share * rec.price * rec.orders * factor))
    columns = ["line", "year", "amount"]
    return pd.DataFrame(paid, columns=columns), pd.DataFrame(committed, columns=columns)


def fixed_terms(money: Money) -> pd.DataFrame:
    rows = [(b, y, v) for (b, y), v in money.fixed.items()]
    return pd.DataFrame(rows, columns=["line", "year", "amount"])


def vintage_rows(
    amount: dict[int, float], spent: dict[int, float], expires: int, years: list[int]
) -> dict[int, tuple[float, float]]:
    """Spending by vintage, oldest money first (§8.7 B2 per vintage).

    Returns year -> (shortfall, money left that is still spendable after the year). Oldest
    first is the rule that keeps the most money alive, so a spending path is feasible for
    some split over vintages exactly when it has no shortfall here, and no plan can carry
    more than the money left here.
    """
    live: list[list[float]] = []  # [vintage year, money left]
    out = {}
    for y in years:
        live = [v for v in live if v[0] + expires >= y]  # vintages that lapsed before y
        if amount.get(y, 0.0) > 0:
            live.append([y, amount[y]])
        need = spent.get(y, 0.0)
        for v in live:
            take = min(v[1], need)
            v[1] -= take
            need -= take
        left = sum(v[1] for v in live if v[0] + expires > y)
        out[y] = (need, left)
    return out
