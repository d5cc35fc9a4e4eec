"""The issue-15 symptoms on the bundled example, with and without the v2 careers columns.

    python -m bench.careers [--out DIR] [VARIANT ...]

Writes variant workbooks of data/ukraine-2026-2035.xlsx into DIR (a temporary folder by
default), solves each and prints one JSON line per variant: objective, solve seconds, and
the figures the reviewer quoted — same-year chains (moves out + separations above last
year's survivors, i.e. P9 violations), limited duty beside overstrength in 2030 and the
prices of the limited-duty rows, infantry contract intake 2030-35, zero-intake years, and
the 2035 collapse (trades with no contract intake, officer intake, staff-course trainees).
Results are in bench/CAREERS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from forceplan.pipeline import SolveRequest, run_solve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "ukraine-2026-2035.xlsx"
Edit = Callable[[Any], None]


def _column(ws: Any, name: str) -> int:
    head = [c.value for c in ws[1]]
    if name not in head:
        ws.cell(1, len(head) + 1, name)
        head.append(name)
    return head.index(name) + 1


def limited_duty_fact(book: Any) -> None:
    """PersonnelYears.limited_duty_min = Personnel.limited_duty_max from 2027 on (not for
    mobilised classes, which are discharged to 0 by 2030; in 2026 senior grades cannot be
    recruited to cover the unavailable half)."""
    people = book["Personnel"]
    head = [c.value for c in people[1]]
    cap = {
        (r[0], r[1]): r[head.index("limited_duty_max")]
        for r in people.iter_rows(min_row=2, values_only=True)
        if r[0]
    }
    years = book["PersonnelYears"]
    col = _column(years, "limited_duty_min")
    for row in range(2, years.max_row + 1):
        trade, grade, year = (years.cell(row, k).value for k in (1, 2, 3))
        if trade and grade != "mobilised" and year >= 2027:
            years.cell(row, col, cap[(trade, grade)])


def smoothing(share: float, total: float) -> Edit:
    """accession_step_max = share × initial_strength per class; the total step."""

    def edit(book: Any) -> None:
        people = book["Personnel"]
        head = [c.value for c in people[1]]
        col = _column(people, "accession_step_max")
        for row in range(2, people.max_row + 1):
            init = people.cell(row, head.index("initial_strength") + 1).value
            if init:
                people.cell(row, col, round(share * init))
        book["Settings"].append(["accession_step_max_total", total])

    return edit


def steady(book: Any) -> None:
    book["Settings"].append(["terminal", "steady"])


VARIANTS: dict[str, list[Edit]] = {
    "base": [],
    "limited_duty_fact": [limited_duty_fact],
    "smooth_10pc_20k": [smoothing(0.10, 20_000)],
    "steady": [steady],
    "smooth_15pc_30k_steady": [smoothing(0.15, 30_000), steady],
}


def symptoms(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    run = run_solve(SolveRequest(path, write=False, diagnose=False))
    out: dict[str, Any] = {
        "variant": path.stem,
        "status": run.outcome.status,
        "objective": run.outcome.objective,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if run.tables is None:
        return out
    pp = run.tables["Plan_Personnel"].copy()
    base = {(r["trade"], r["grade"]): r for r in run.inputs["Personnel"]}
    pp["prev"] = pp.groupby(["trade", "grade"])["strength"].shift(1)
    first = pp["year"] == pp["year"].min()
    pp.loc[first, "prev"] = [
        base[(t, g)]["initial_strength"]
        for t, g in zip(pp.loc[first, "trade"], pp.loc[first, "grade"], strict=True)
    ]
    keep = [1 - base[(t, g)]["attrition_rate"] for t, g in zip(pp.trade, pp.grade, strict=True)]
    excess = (pp["moves_out"] + pp["separations"] - pp["prev"] * keep).clip(lower=0)
    years = range(2030, 2036)
    by_year = pp.groupby("year")
    contract = pp[pp.grade == "contract_soldier"]
    infantry = contract[contract.trade == "infantry"].set_index("year")["accessions"]
    officers = pp[pp.grade == "junior_officer"].groupby("year")["accessions"].sum()
    training = run.tables["Plan_Training"]
    staff = training[training.course.str.contains("staff")].groupby("year")["trainees"].sum()
    cons = run.tables["Plan_Constraints"]
    ld_rows = cons[(cons.id == "P6") & (cons.kind == "limited-duty cap") & cons.binding]
    last = pp["year"].max()
    out |= {
        "same_year_chains": int((excess > 1e-6).sum()),
        "limited_duty_2030": round(float(by_year["limited_duty"].sum()[2030])),
        "overstrength_2030": round(float(by_year["overstrength"].sum()[2030])),
        "limited_duty_prices": [
            round(float(ld_rows.shadow_price.min())),
            round(float(ld_rows.shadow_price.max())),
        ]
        if len(ld_rows)
        else None,
        "infantry_contract_2030_35": [round(float(infantry[y])) for y in years],
        "armour_zero_intake_years": int(
            (contract[contract.trade == "armour"]["accessions"] < 0.5).sum()
        ),
        "trades_without_contract_intake_2035": int(
            (contract[contract.year == last]["accessions"] < 0.5).sum()
        ),
        "officer_intake_2030_35": [round(float(officers[y])) for y in years],
        "staff_course_2030_35": [round(float(staff.get(y, 0.0))) for y in years],
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="careers-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in args.variants:
        book = openpyxl.load_workbook(EXAMPLE)
        for edit in VARIANTS[name]:
            edit(book)
        path = folder / f"{name}.xlsx"
        book.save(path)
        print(json.dumps(symptoms(path)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
