"""Service limits (P10 cohorts, MODEL.md §8.2) on the bundled example: model size and time.

    python -m bench.cohorts [--out DIR] [--mobilised K] [--contract K] [VARIANT ...]

The bundled example (v2) already carries the limits: mobilised classes serve at most 3
years and contract soldiers a 5-year first term, with the end-2025 strength split by years
served on PersonnelCohorts. Variants of data/ukraine-2026-2035.xlsx, written into DIR (a
temporary folder by default): `base` (as bundled), `none` (every max_service_years cleared
and PersonnelCohorts emptied: the rows and time the limits cost; infeasible on the v2
example, measured 2026-11-28, as its strength targets count on the limits), `limits`
(max_service_years K for every mobilised class, default 3, and for every contract_soldier
class, default 5; the bundled split by years served is kept), `person` (as `limits`
without any mobilised separation_min schedule). One JSON line per variant: status,
objective, HiGHS rows and columns, solve seconds, mobilised strength by year and those
leaving at the limit. Results are in bench/RESULTS.md (before the v2 example, `cohorts`
added the limits to an example that had none; that variant is now `limits`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl

from forceplan.pipeline import SolveRequest, run_solve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "ukraine-2026-2035.xlsx"


def _column(ws: Any, name: str) -> int:
    head = [c.value for c in ws[1]]
    if name not in head:
        ws.cell(1, len(head) + 1, name)
        head.append(name)
    return head.index(name) + 1


def limits(book: Any, mobilised: int, contract: int) -> None:
    people = book["Personnel"]
    col = _column(people, "max_service_years")
    for row in range(2, people.max_row + 1):
        grade = people.cell(row, 2).value
        if grade == "mobilised" and mobilised:
            people.cell(row, col, mobilised)
        elif grade == "contract_soldier" and contract:
            people.cell(row, col, contract)


def no_limits(book: Any) -> None:
    people = book["Personnel"]
    col = _column(people, "max_service_years")
    for row in range(2, people.max_row + 1):
        people.cell(row, col, None)
    split = book["PersonnelCohorts"]
    if split.max_row > 1:
        split.delete_rows(2, split.max_row - 1)


def no_schedule(book: Any) -> None:
    years = book["PersonnelYears"]
    col = [c.value for c in years[1]].index("separation_min") + 1
    for row in range(2, years.max_row + 1):
        if years.cell(row, 2).value == "mobilised":
            years.cell(row, col, None)


def measure(path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    run = run_solve(SolveRequest(path, write=False, diagnose=False))
    out: dict[str, Any] = {
        "status": run.outcome.status,
        "objective": run.outcome.objective,
        "seconds": round(time.perf_counter() - started, 2),
        "highs_seconds": round(run.outcome.highs_seconds, 2),
    }
    lp = run.outcome.lp
    if lp is not None:
        out["rows"], out["columns"] = len(lp.rows), len(lp.columns)
    if run.tables is not None:
        pp = run.tables["Plan_Personnel"]
        mob = pp[pp["grade"] == "mobilised"].groupby("year")
        out["mobilised_strength"] = {int(y): round(v) for y, v in mob["strength"].sum().items()}
        out["mobilised_separations"] = {
            int(y): round(v) for y, v in mob["separations"].sum().items()
        }
        cohorts = run.tables.tables.get("Plan_Cohorts")
        if cohorts is not None:
            m = cohorts[cohorts["grade"] == "mobilised"].groupby("year")["leaving"].sum()
            out["mobilised_at_limit"] = {int(y): round(v) for y, v in m.items()}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="*", default=["base", "none"])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--mobilised", type=int, default=3, help="0 = no limit")
    parser.add_argument("--contract", type=int, default=5, help="0 = no limit")
    args = parser.parse_args(argv)
    folder = args.out or Path(tempfile.mkdtemp(prefix="cohorts-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in args.variants:
        book = openpyxl.load_workbook(EXAMPLE)
        if name not in ("base", "none", "limits", "person"):
            parser.error(f"unknown variant {name!r} (base, none, limits, person)")
        if name == "none":
            no_limits(book)
        if name in ("limits", "person"):
            limits(book, args.mobilised, args.contract)
        if name == "person":
            no_schedule(book)
        path = folder / f"example-{name}-{args.mobilised}-{args.contract}.xlsx"
        book.save(path)
        print(json.dumps({"variant": name, **measure(path)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
