"""MODEL.md §8.6-8.7 on the Ukraine example: one variant per money rule, solved and summed up.

    PYTHONPATH=. python bench/money_demo.py [OUT_DIR]

Each variant is the bundled example plus one rule (the last combines them); for each the
script prints status, objective, solve time and the figures the rule changes. The
variants' numbers are illustrative (rates, index, profiles and the fixed amount are round
assumptions, not sourced figures).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from forceplan.pipeline import SolveRequest, run_solve

EXAMPLE = Path(__file__).resolve().parents[1] / "forceplan" / "examples" / "ukraine-2026-2035.xlsx"
YEARS = range(2026, 2036)
USD = {y: 42.0 * 1.04 ** (y - 2026) for y in YEARS}  # UAH per USD: 4 % a year
US_ITEMS = ("bradley", "himars", "patriot_battery", "pac3_interceptor")  # procurement_us
PROFILED = {
    "leopard_2": "0.3,0.4,0.3",
    "patriot_battery": "0.2,0.3,0.3,0.2",
    "fighter": "0.3,0.3,0.4",
    "shell_155": "0.5,0.5",  # ordered every year: its last orders leave debts after 2035
}


def _column(ws, name: str) -> int:
    header = [c.value for c in ws[1]]
    if name not in header:
        ws.cell(row=1, column=len(header) + 1, value=name)
        return len(header) + 1
    return header.index(name) + 1


def _rows(ws):
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        rec = {h: ws.cell(row=r, column=j + 1).value for j, h in enumerate(header)}
        if any(v is not None for v in rec.values()):
            yield r, rec


def priority(book) -> None:
    ws = book["Funding"]
    col = _column(ws, "priority")
    order = {"eu_loan": 1, "purl": 1, "other_partners": 1, "national_budget": 2}
    for r, rec in _rows(ws):
        ws.cell(row=r, column=col, value=order[rec["source"]])


def expiring(book) -> None:
    ws = book["Funding"]
    col = _column(ws, "expires_after")
    for r, rec in _rows(ws):
        if rec["source"] == "eu_loan":
            ws.cell(row=r, column=col, value=2)


def currencies(book) -> None:
    """PURL money and the US-built items' prices in USD."""
    rates = book.create_sheet("ExchangeRates")
    rates.append(["currency", "year", "rate"])
    for y, r in USD.items():
        rates.append(["USD", y, round(r, 4)])
    ws = book["Funding"]
    col = _column(ws, "currency")
    for r, rec in _rows(ws):
        if rec["source"] == "purl":
            ws.cell(row=r, column=col, value="USD")
            ws.cell(row=r, column=3, value=round(rec["amount"] / USD[rec["year"]]))
    eq = book["Equipment"]
    col, price = _column(eq, "currency"), _column(eq, "unit_price")
    for r, rec in _rows(eq):
        if rec["equipment"] in US_ITEMS:
            eq.cell(row=r, column=col, value="USD")
            eq.cell(row=r, column=price, value=rec["unit_price"] / USD[2026])
    ey = book["EquipmentYears"]
    if "unit_price" in [c.value for c in ey[1]]:
        price = _column(ey, "unit_price")
        for r, rec in _rows(ey):
            if rec["equipment"] in US_ITEMS and rec.get("unit_price") is not None:
                ey.cell(row=r, column=price, value=rec["unit_price"] / USD[2026])


def price_index(book, inflation: float = 0.05) -> None:
    ws = book.create_sheet("PriceIndex")
    ws.append(["line", "year", "index"])
    for line in ("personnel", "sustainment", "units", "procurement"):
        for y in YEARS:
            ws.append([line, y, round((1 + inflation) ** (y - 2026), 6)])


def profiles(book) -> None:
    eq = book["Equipment"]
    col = _column(eq, "payment_profile")
    for r, rec in _rows(eq):
        if rec["equipment"] in PROFILED:
            eq.cell(row=r, column=col, value=PROFILED[rec["equipment"]])


def fixed(book) -> None:
    ws = book.create_sheet("FixedSpending")
    ws.append(["line", "year", "amount"])
    ws.append(["procurement", 2026, 300e9])  # contracts signed before 2026 (assumed)
    ws.append(["procurement", 2027, 150e9])


def overrides(book) -> None:
    """Wartime to peacetime attrition and pay: classes' 2030+ attrition halves."""
    ws = book["PersonnelYears"]
    col = _column(ws, "attrition_rate")
    people = {(rec["trade"], rec["grade"]): rec for _r, rec in _rows(book["Personnel"])}
    done = set()
    for r, rec in _rows(ws):
        p = (rec["trade"], rec["grade"])
        if rec["year"] >= 2030 and p in people:
            ws.cell(row=r, column=col, value=(people[p]["attrition_rate"] or 0) / 2)
            done.add((*p, rec["year"]))
    for p, rec in people.items():
        for y in range(2030, 2036):
            if (*p, y) not in done:
                row = [None] * ws.max_column
                header = [c.value for c in ws[1]]
                row[header.index("trade")], row[header.index("grade")] = p
                row[header.index("year")] = y
                row[col - 1] = (rec["attrition_rate"] or 0) / 2
                ws.append(row)


def everything(book) -> None:
    """Every rule at once, with 2 % inflation and the EU loan expiring after 6 years: at 5 %
    the index alone uses all but 1 bn of the EU loan by 2035, so an expiry or the fixed
    spending on top leaves no plan (see the 'all_5pct' variant: infeasible)."""
    for rule in (priority, currencies, profiles, fixed, overrides):
        rule(book)
    price_index(book, 0.02)
    ws = book["Funding"]
    col = _column(ws, "expires_after")
    for r, rec in _rows(ws):
        if rec["source"] == "eu_loan":
            ws.cell(row=r, column=col, value=6)


def everything_5pct(book) -> None:
    for rule in (priority, expiring, currencies, price_index, profiles, fixed, overrides):
        rule(book)


VARIANTS: dict[str, Callable | None] = {
    "example": None,
    "priority": priority,
    "expiring+priority": lambda b: (priority(b), expiring(b)),
    "currencies": currencies,
    "price_index": price_index,
    "payment_profiles": profiles,
    "fixed_spending": fixed,
    "attrition_overrides": overrides,
    "all": everything,
    "all_5pct": everything_5pct,
}


def _by_year(frame, column: str, **where) -> str:
    for k, v in where.items():
        frame = frame[frame[k] == v]
    series = frame.groupby("year")[column].sum() / 1e9
    return " ".join(f"{int(y) % 100:02d}:{v:,.0f}" for y, v in series.items())


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rule in VARIANTS.items():
        book = openpyxl.load_workbook(EXAMPLE)
        if rule is not None:
            rule(book)
        path = out / f"ukraine-{name}.xlsx"
        book.save(path)
        started = time.perf_counter()
        run = run_solve(SolveRequest(path, write=False, diagnose=False))
        seconds = time.perf_counter() - started
        o = run.outcome
        print(
            f"== {name}: {o.status}, objective {o.objective or float('nan'):,.0f} UAH, "
            f"solve {o.solver_seconds:.2f} s (HiGHS {o.highs_seconds:.2f} s), total {seconds:.2f} s"
        )
        if run.tables is None:
            continue
        t = run.tables.tables
        f, b = t["Plan_Funding"], t["Plan_Budget"]
        print("   stages:", " | ".join(o.stage_report))
        print("   eu_loan spent (bn):    ", _by_year(f, "spent", source="eu_loan"))
        print("   national unspent (bn): ", _by_year(f, "unspent", source="national_budget"))
        print("   lapsed, all (bn):      ", _by_year(f, "lapsed"))
        print("   procurement spend (bn):", _by_year(b, "spend", line="procurement"))
        print(f"   committed after horizon: {b['committed_after_horizon'].sum() / 1e9:,.1f} bn")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/forceplan-money-demo"))
