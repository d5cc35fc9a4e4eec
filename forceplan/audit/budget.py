"""Money (B1-B3, MODEL.md §3, §7.5-§7.6, §8.6-§8.7): the cost ledger per line and year
against Plan_Budget.spend, funding (sources, carry-over, vintages, currencies) and line
limits, with the derived columns of Plan_Budget and Plan_Funding.

B1 is the cost ledger: every family's `cost_terms` (at base-year prices, indexed here),
the payments of equipment orders by their profile and currency, and fixed spending.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan.audit import context as cx
from forceplan.audit import money as am
from forceplan.audit.context import Context
from forceplan.audit.prices import nz, rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("B1", "B2", "B3", "D:Plan_Budget", "D:Plan_Funding")
BOUND_KINDS = {("B3", "line limits")}
#: rows whose constants (fixed spending, payments of earlier orders, money of the year) may
#: sit in the body or in the bounds: compared up to that constant (the row's distance to
#: each bound), which an edited value or bound still changes
SHIFT_INVARIANT = {("B1", "spending"), ("B2", "spending covered"), ("B2", "source money")}
INVOLVES = {
    "B1": ("pb", "Plan_Budget", ("line",), ("spend",), ()),
    "B3": ("pb", "Plan_Budget", ("line",), ("spend",), ()),
}


def check(ctx: Context, checks: Checks) -> None:
    _b1_spending(ctx, checks)
    _b2_funding(ctx, checks)
    _b3_line_limits(ctx, checks)
    _derived_budget(ctx, checks)
    _derived_gap(ctx, checks)
    _derived_funding(ctx, checks)


def _ledger(ctx: Context) -> pd.DataFrame:
    """Every cost term of MODEL.md §7.5 as (line, year, amount) rows: the families' terms
    (× the price index, §8.6), the orders' payments (§8.7) and fixed spending."""
    money = ctx.money
    base = am.index_terms(money, pd.concat([p for p in ctx.costs if len(p)]))
    paid, _committed = am.equipment_payments(money, ctx.pe)  # profiles, currencies
    fixed = am.fixed_terms(money)
    return pd.concat([p for p in (base, paid, fixed) if len(p)], ignore_index=True)


def _b1_spending(ctx: Context, checks: Checks) -> None:
    pb = ctx.pb
    cx.sum_into(pb, _ledger(ctx), ["line", "year"], "amount", "calc_spend")
    labels = cx.label(pb, "line", "year")
    checks.add("B1", labels, pb["spend"], "==", pb["calc_spend"])
    money = ctx.money
    _paid, committed = am.equipment_payments(money, ctx.pe)
    cx.sum_into(pb, committed, ["line", "year"], "amount", "calc_committed")
    checks.add(
        "B1",
        labels + ": committed_after_horizon",
        pb["committed_after_horizon"].fillna(0.0),
        "==",
        pb["calc_committed"],
    )


def _b2_funding(ctx: Context, checks: Checks) -> None:
    checks.touch("B2")
    if ctx.funding is None:
        return
    pb, alloc, pf = ctx.pb, ctx.alloc, ctx.funding
    cx.sum_into(pb, alloc, ["line", "year"], "amount", "paid")
    labels = cx.label(pb, "line", "year")
    if ctx.elastic:  # a funding gap spend - paid ≥ 0 is priced (OBJ)
        checks.add("B2", labels + ": paid ≤ spend", pb["paid"], "<=", pb["spend"])
    else:
        checks.add("B2", labels + ": paid = spend", pb["paid"], "==", pb["spend"])
    bad = alloc[~alloc["_allowed"]]
    checks.add(
        "B2",
        cx.label(bad, "source", "line", "year") + ": line not allowed for the source",
        bad["amount"].abs(),
        "<=",
        0.0,
    )
    cx.sum_into(pf, alloc, ["source", "year"], "amount", "calc_spent")  # base currency
    money = ctx.money
    rate = np.array(
        [
            money.rate(money.currency(ctx.sources[s]["currency"]), int(y))
            for s, y in zip(pf["source"], pf["year"], strict=True)
        ]
    )
    pf["calc_rate"] = rate
    pf["calc_spent_own"] = pf["calc_spent"] / rate  # a foreign source pays rate × own money
    amount, carry_in, carries, vintaged = _source_money(ctx)
    pf["calc_amount"], pf["calc_carry_in"] = amount, carry_in
    labels = cx.label(pf, "source", "year")
    own = pf["calc_spent_own"]
    checks.add("B2", labels + ": spent ≤ available", own, "<=", amount + carry_in)
    carry = np.where(carries & ~vintaged, amount + carry_in - own, 0.0)
    plain = ~vintaged
    carried_own = pf["carried_out"] / rate
    size = np.asarray(amount + carry_in)[plain]  # carry is a difference of these (noise)
    checks.add("B2", labels[plain] + ": carried_out", carried_own[plain], "==", carry[plain], size)
    _b2_vintages(ctx, checks, pf, vintaged)


def _b2_vintages(ctx: Context, checks: Checks, pf: pd.DataFrame, vintaged: np.ndarray) -> None:
    """Expiring money (§8.7): the spending path must be payable from the live vintages
    (oldest first is feasible exactly when any split is), and nothing carried may exceed
    what oldest-first keeps alive."""
    for source, rows in pf[vintaged].groupby("source", sort=False):
        src = ctx.sources[source]
        spent = dict(zip(rows["year"].astype(int), rows["calc_spent_own"], strict=True))
        path = am.vintage_rows(src["amount"], spent, int(src["expires"]), ctx.years)
        short = np.array([path[int(y)][0] for y in rows["year"]])
        left = np.array([path[int(y)][1] for y in rows["year"]])
        labels = cx.label(rows, "source", "year")
        # `short` is spending minus live money: its noise is of the size of what is spent,
        # which in a year with no new money (the spend drawn from earlier vintages) is not
        # the year's amount (v2 example eu_loan 2028: 1.2e-4 EUR on ~1e9 against amount 0)
        size = np.maximum(np.abs(rows["calc_amount"]), np.abs(rows["calc_spent_own"]))
        checks.add("B2", labels + ": paid from live vintages", short, "<=", 0.0, size)
        carried = rows["carried_out"] / rows["calc_rate"]
        checks.add("B2", labels + ": carried ≤ live vintages", carried, "<=", left)


def _source_money(ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per Plan_Funding row, in the source's currency: the year's amount, what was carried
    in (last year's carried_out at last year's rate), whether it carries, by vintage."""
    pf = ctx.funding
    amount, carry_in, carries, vintaged = [], [], [], []
    previous = pf.groupby("source", sort=False)["carried_out"].shift(1).fillna(0.0)
    previous = previous / pf.groupby("source", sort=False)["calc_rate"].shift(1).fillna(1.0)
    for rec, prev in zip(pf.itertuples(index=False), previous, strict=True):
        src = ctx.sources[rec.source]
        active = src["carryover"] and rec.year >= src["first_year"]
        amount.append(src["amount"].get(int(rec.year), 0.0))
        carry_in.append(prev if active and rec.year > src["first_year"] else 0.0)
        carries.append(active)
        vintaged.append(src["carryover"] and src["expires"] is not None)
    return (
        np.array(amount),
        np.array(carry_in),
        np.array(carries, dtype=bool),
        np.array(vintaged, dtype=bool),
    )


def _b3_line_limits(ctx: Context, checks: Checks) -> None:
    checks.touch("B3")
    limits = cx.records(ctx.inputs, "LineLimits")
    if not len(limits):
        return
    limits["year"] = limits["year"].astype(int)
    rows = limits.merge(ctx.pb[["line", "year", "spend"]], on=["line", "year"], how="left")
    labels = cx.label(rows, "line", "year")
    checks.add(
        "B3", labels + ": ≥ min_amount", rows["spend"], ">=", cx.num(rows["min_amount"]).fillna(0.0)
    )
    checks.add("B3", labels + ": ≤ max_amount", rows["spend"], "<=", cx.num(rows["max_amount"]))


def _derived_budget(ctx: Context, checks: Checks) -> None:
    pb = ctx.pb
    rate = float(ctx.settings.get("discount_rate") or 0.0)
    discount = (1.0 + rate) ** -(pb["year"].astype(float) - ctx.y0)
    cx.same(
        checks,
        "D:Plan_Budget",
        cx.label(pb, "line", "year"),
        pb,
        "discounted_spend",
        discount * pb["spend"],
    )


def _derived_funding(ctx: Context, checks: Checks) -> None:
    pf, fid = ctx.funding, "D:Plan_Funding"
    checks.touch(fid)
    if pf is None:
        return
    labels = cx.label(pf, "source", "year")
    rate = pf["calc_rate"]
    own = pf["calc_amount"] + pf["calc_carry_in"]  # in the source's currency
    available = own * rate
    cx.same(checks, fid, labels, pf, "available", available)
    cx.same(checks, fid, labels, pf, "spent", pf["calc_spent"], available)
    cx.same(checks, fid, labels, pf, "unspent", available - pf["calc_spent"], available)
    lapsed = available - pf["calc_spent"] - pf["carried_out"]  # unspent = carried + lapsed
    cx.same(checks, fid, labels, pf, "lapsed", lapsed, available)
    checks.add("B2", labels + ": lapsed ≥ 0", pf["lapsed"], ">=", 0.0, available)
    cx.same(checks, fid, labels, pf, "rate", rate)
    for column in ("available", "spent", "unspent", "carried_out", "lapsed"):
        cx.same(checks, fid, labels, pf, f"{column}_own", pf[column] / rate, own)


def _derived_gap(ctx: Context, checks: Checks) -> None:
    """Plan_Budget funding_gap = spend − Σ allocation in elastic mode, 0 otherwise."""
    pb = ctx.pb
    budget = ctx.tables.get("Plan_Budget")
    if budget is None or "funding_gap" not in budget:
        return
    pb_cols = [str(c) for c in budget.columns]
    if ctx.elastic and ctx.funding is not None and "paid" in pb:
        want = (pb["spend"] - pb["paid"]).to_numpy(dtype=float)
    else:
        want = np.zeros(len(pb))
    labels = cx.cells(pb, "Plan_Budget", "funding_gap", pb_cols) + (
        " funding_gap (spend not paid by any source): " + cx.label(pb, "line", "year")
    )
    cx.same(checks, "D:Plan_Budget", labels, pb, "funding_gap", want, pb["spend"])


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    """B3 (bounds of spend), B1 (spend = the ledger), B2 (spending covered, source money)."""
    out: dict[tuple[str, str], pd.DataFrame] = {}
    pb = ctx.pb
    lab = cx.label(pb, "line", "year")
    limits = cx.records(ctx.inputs, "LineLimits")
    lo = pd.Series(0.0, index=pb.index)
    hi = pd.Series(np.inf, index=pb.index)
    if len(limits):
        keyed = pb[["line", "year"]].merge(
            limits.assign(year=limits["year"].astype(int)), on=["line", "year"], how="left"
        )
        lo = pd.to_numeric(keyed["min_amount"], errors="coerce").fillna(0.0)
        hi = pd.to_numeric(keyed["max_amount"], errors="coerce").fillna(np.inf)
    out[("B3", "line limits")] = rebuilt(lab, pb["spend"], nz(lo), hi)
    if "calc_spend" in pb:
        out[("B1", "spending")] = rebuilt(
            lab, pb["spend"] - pb["calc_spend"], 0.0, 0.0, pb["spend"]
        )
    if ctx.funding is not None and "paid" in pb:
        gap = pb["funding_gap"].fillna(0.0) if ctx.elastic and "funding_gap" in pb else 0.0
        out[("B2", "spending covered")] = rebuilt(
            lab, pb["paid"] + gap - pb["spend"], 0.0, 0.0, pb["spend"]
        )
        _source_rows(ctx, out)
    return out


def _source_rows(ctx: Context, out: dict[tuple[str, str], pd.DataFrame]) -> None:
    pf = ctx.funding
    labels, values, lowers, uppers, scales = [], [], [], [], []
    prev_carry: dict[str, float] = {}
    skipped: list[str] = []
    for r in pf.itertuples(index=False):
        src = ctx.sources[r.source]
        base = str(ctx.settings.get("currency") or "")
        if src.get("expires") is not None or str(src.get("currency") or base) not in ("", base):
            # vintages and foreign money (MODEL.md §8.6-8.7): rows of another form, checked
            # in the audit's B2 family; here their arithmetic and prices only
            skipped.append(f"{r.source} {int(r.year)}")
            continue
        amount = float(src["amount"].get(int(r.year), 0.0))
        spent = float(r.calc_spent)
        carry = float(r.carried_out) if not pd.isna(r.carried_out) else 0.0
        label = f"{r.source} {int(r.year)}"
        if src["carryover"] and int(r.year) >= src["first_year"]:
            carried_in = prev_carry.get(r.source, 0.0)
            labels.append(label)
            values.append(carry - carried_in + spent)
            lowers.append(amount)
            uppers.append(amount)
            scales.append(max(amount, spent, carry))
        else:
            labels.append(label)
            values.append(spent)
            lowers.append(np.nan)
            uppers.append(amount)
            scales.append(max(amount, spent))
        prev_carry[r.source] = carry
    if labels or skipped:
        frame = rebuilt(labels, values, lowers, uppers, scales)
        skip = rebuilt(skipped, np.nan, np.nan, np.nan).assign(e_skip=True)
        out[("B2", "source money")] = pd.concat([frame.assign(e_skip=False), skip])
