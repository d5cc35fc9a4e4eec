"""The tamper corpus: how many edits of a plan workbook and of the run ledger does
`forceplan audit` catch, and does it stay quiet on harmless edits?

    PYTHONPATH=. python bench/tamper.py [--out bench/TAMPER.md] [--label after]

Solves the Ukraine example (min_cost) and the austere example (--elastic) through the CLI
into a private ledger, then for every case copies a plan (or the ledger), applies one
edit and runs `forceplan audit PLAN --ledger LEDGER` (plan cases) or `forceplan audit
--ledger LEDGER` and `forceplan audit NEWEST_PLAN --ledger LEDGER` (ledger cases) in a
fresh process. A case is caught when the audit exits non-zero; a harmless edit must exit 0.
The same commands run on older versions (`PYTHONPATH=/path/to/old`), for before/after.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, FORCEPLAN_HOME=str(home), COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "forceplan", *args], capture_output=True, text=True, env=env
    )


def header(ws) -> list:
    return [c.value for c in ws[1]]


def cell(ws, column: str, row: int = 2):
    return ws.cell(row, header(ws).index(column) + 1)


def first_row(ws, test: Callable[[dict], bool]) -> int:
    names = header(ws)
    for r in range(2, ws.max_row + 1):
        rec = {n: ws.cell(r, j + 1).value for j, n in enumerate(names)}
        if test(rec):
            return r
    raise LookupError(ws.title)


def run_value(ws, key: str):
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            return ws.cell(r, 2)
    raise LookupError(key)


def summary_value(ws, key: str):
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            return ws.cell(r, 2)
    raise LookupError(key)


def _summary_strength(b) -> None:
    """The 2030 strength on Plan_Summary: a text row "strength 2030" (older layout) or the
    year-by-year table (issue 19's layout)."""
    ws = b["Plan_Summary"]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "strength 2030":
            ws.cell(r, 2).value = "750,000 (band 800,000 – 800,000)"
            return
        if ws.cell(r, 1).value in (2030, "2030"):
            ws.cell(r, 2).value = 750000.0
            return
    raise LookupError("strength 2030")


def scale(c, factor: float) -> None:
    c.value = float(c.value) * factor


def binding_priced(ws) -> int:
    names = header(ws)
    price, bind = names.index("shadow_price") + 1, names.index("binding") + 1
    for r in range(2, ws.max_row + 1):
        p = ws.cell(r, price).value
        if ws.cell(r, bind).value in (True, "TRUE") and p not in (None, 0, 0.0):
            return r
    raise LookupError("no priced row")


def slack_row(ws) -> int:
    names = header(ws)
    s, b = names.index("slack") + 1, names.index("binding") + 1
    for r in range(2, ws.max_row + 1):
        v = ws.cell(r, s).value
        if isinstance(v, int | float) and v > 100 and ws.cell(r, b).value in (False, "FALSE"):
            return r
    raise LookupError("no slack row")


def set_col(ws, column: str, row: int, value) -> None:
    ws.cell(row, header(ws).index(column) + 1).value = value


# --- plan tamperings (each must fail) ---------------------------------------------------

PLAN_CASES: dict[str, tuple[str, Callable]] = {
    "Plan_Personnel strength +1000": (
        "uk",
        lambda b: scale(cell(b["Plan_Personnel"], "strength", 3), 1.01),
    ),
    "Plan_Personnel accessions ×2": (
        "uk",
        lambda b: set_col(
            b["Plan_Personnel"],
            "accessions",
            3,
            2 * (cell(b["Plan_Personnel"], "accessions", 3).value or 0) + 10,
        ),
    ),
    "Plan_Personnel requirement +5": (
        "uk",
        lambda b: scale(cell(b["Plan_Personnel"], "requirement", 5), 1.2),
    ),
    "Plan_Transitions moved +100": (
        "uk",
        lambda b: set_col(
            b["Plan_Transitions"],
            "moved",
            2,
            (cell(b["Plan_Transitions"], "moved").value or 0) + 100,
        ),
    ),
    "Plan_Training trainees ×1.1": (
        "uk",
        lambda b: scale(cell(b["Plan_Training"], "trainees", 4), 1.1),
    ),
    "Plan_Units units +1": (
        "uk",
        lambda b: set_col(b["Plan_Units"], "units", 3, cell(b["Plan_Units"], "units", 3).value + 1),
    ),
    "Plan_Equipment orders +5": (
        "uk",
        lambda b: set_col(
            b["Plan_Equipment"],
            "orders",
            3,
            (cell(b["Plan_Equipment"], "orders", 3).value or 0) + 5,
        ),
    ),
    "Plan_Equipment deliveries +5": (
        "uk",
        lambda b: set_col(
            b["Plan_Equipment"],
            "deliveries",
            3,
            (cell(b["Plan_Equipment"], "deliveries", 3).value or 0) + 5,
        ),
    ),
    "Plan_Equipment attrition ×2": (
        "uk",
        lambda b: set_col(
            b["Plan_Equipment"],
            "attrition",
            2,
            2 * (cell(b["Plan_Equipment"], "attrition").value or 0) + 1,
        ),
    ),
    "Plan_Budget spend ×0.9": ("uk", lambda b: scale(cell(b["Plan_Budget"], "spend", 2), 0.9)),
    "Plan_Budget discounted_spend ×0.9": (
        "uk",
        lambda b: scale(cell(b["Plan_Budget"], "discounted_spend", 5), 0.9),
    ),
    "Plan_Funding available ×1.1": (
        "uk",
        lambda b: scale(cell(b["Plan_Funding"], "available", 2), 1.1),
    ),
    "Plan_Allocation amount ×1.1": (
        "uk",
        lambda b: scale(cell(b["Plan_Allocation"], "amount", 2), 1.1),
    ),
    "Plan_Constraints value ×1.1": (
        "uk",
        lambda b: scale(cell(b["Plan_Constraints"], "value", 2), 1.1),
    ),
    "Plan_Constraints shadow_price ×10": (
        "uk",
        lambda b: scale(
            cell(b["Plan_Constraints"], "shadow_price", binding_priced(b["Plan_Constraints"])), 10
        ),
    ),
    "Plan_Constraints shadow_price sign": (
        "uk",
        lambda b: scale(
            cell(b["Plan_Constraints"], "shadow_price", binding_priced(b["Plan_Constraints"])), -1
        ),
    ),
    "Plan_Constraints binding flag": (
        "uk",
        lambda b: set_col(
            b["Plan_Constraints"], "binding", binding_priced(b["Plan_Constraints"]), False
        ),
    ),
    "Plan_Constraints price on a slack row": (
        "uk",
        lambda b: set_col(
            b["Plan_Constraints"], "shadow_price", slack_row(b["Plan_Constraints"]), 1234.5
        ),
    ),
    "Plan_Constraints slack ×2": (
        "uk",
        lambda b: set_col(
            b["Plan_Constraints"],
            "slack",
            slack_row(b["Plan_Constraints"]),
            2 * cell(b["Plan_Constraints"], "slack", slack_row(b["Plan_Constraints"])).value,
        ),
    ),
    "Plan_Constraints upper ×2": (
        "uk",
        lambda b: set_col(
            b["Plan_Constraints"], "upper", 2, 2 * cell(b["Plan_Constraints"], "upper").value
        ),
    ),
    "Plan_Summary objective value ×0.9": (
        "uk",
        lambda b: scale(summary_value(b["Plan_Summary"], "objective value"), 0.9),
    ),
    "Plan_Summary strength 2030": ("uk", _summary_strength),
    "Plan_Summary status verified": (
        "uk",
        lambda b: setattr(
            summary_value(b["Plan_Summary"], "status"), "value", "optimal (verified)"
        ),
    ),
    "Plan_Charts data ×1.1": ("uk", lambda b: scale(b["Plan_Charts"].cell(6, 2), 1.1)),
    "Plan_Run status verified": (
        "uk",
        lambda b: setattr(run_value(b["Plan_Run"], "status"), "value", "optimal (verified)"),
    ),
    "Plan_Run objective_value ×0.9": (
        "uk",
        lambda b: scale(run_value(b["Plan_Run"], "objective_value"), 0.9),
    ),
    "Plan_Run elastic flag": (
        "uk",
        lambda b: setattr(run_value(b["Plan_Run"], "elastic"), "value", True),
    ),
    "Sources sheet figure": ("uk", lambda b: setattr(b["Sources"].cell(2, 2), "value", 50.0)),
    "Personnel annual_cost input": (
        "uk",
        lambda b: scale(cell(b["Personnel"], "annual_cost", 2), 1.1),
    ),
    "Funding amount input": ("uk", lambda b: scale(cell(b["Funding"], "amount", 2), 1.1)),
    "delete Plan_Summary": ("uk", lambda b: b.remove(b["Plan_Summary"])),
    "delete Plan_Charts": ("uk", lambda b: b.remove(b["Plan_Charts"])),
    "delete Plan_Constraints": ("uk", lambda b: b.remove(b["Plan_Constraints"])),
    "delete Plan_Personnel": ("uk", lambda b: b.remove(b["Plan_Personnel"])),
    "elastic: funding_gap zeroed": (
        "aus",
        lambda b: [
            setattr(c, "value", 0.0)
            for c in b["Plan_Budget"]
            .iter_cols(
                min_col=header(b["Plan_Budget"]).index("funding_gap") + 1,
                max_col=header(b["Plan_Budget"]).index("funding_gap") + 1,
                min_row=2,
            )
            .__next__()
        ],
    ),
    "elastic: Plan_Shortfalls amount ×0.5": (
        "aus",
        lambda b: scale(cell(b["Plan_Shortfalls"], "amount", 2), 0.5),
    ),
    "elastic: Plan_Shortfalls rows deleted": (
        "aus",
        lambda b: b["Plan_Shortfalls"].delete_rows(2, b["Plan_Shortfalls"].max_row),
    ),
    "elastic: Plan_Summary shortfalls 0": (
        "aus",
        lambda b: setattr(summary_value(b["Plan_Summary"], "shortfalls"), "value", 0),
    ),
}

# --- harmless edits (each must pass) ----------------------------------------------------


def _notes(b) -> None:
    ws = b.create_sheet("Notes")
    ws["A1"] = "reviewed by the budget office"


def _extra_column(b) -> None:
    ws = b["Plan_Personnel"]
    col = ws.max_column + 1
    ws.cell(1, col).value = "comment"
    ws.cell(2, col).value = "checked"


HARMLESS: dict[str, tuple[str, Callable]] = {
    "load and save": ("uk", lambda b: None),
    "column width": (
        "uk",
        lambda b: setattr(b["Plan_Personnel"].column_dimensions["A"], "width", 40),
    ),
    "bold font": (
        "uk",
        lambda b: setattr(b["Plan_Budget"]["C2"], "font", openpyxl.styles.Font(bold=True)),
    ),
    "number format": ("uk", lambda b: setattr(b["Plan_Budget"]["C3"], "number_format", "0.00")),
    "notes sheet added": ("uk", _notes),
    "cell comment": (
        "uk",
        lambda b: setattr(b["Plan_Units"]["A2"], "comment", openpyxl.comments.Comment("ok", "me")),
    ),
    "freeze panes": ("uk", lambda b: setattr(b["Plan_Equipment"], "freeze_panes", "C2")),
    "tab colour": ("uk", lambda b: setattr(b["Plan_Run"].sheet_properties, "tabColor", "FF0000")),
    "extra column on Plan_Personnel": ("uk", _extra_column),
    "zoom": ("uk", lambda b: setattr(b["Plan_Summary"].sheet_view, "zoomScale", 150)),
    "active sheet": ("uk", lambda b: setattr(b, "active", 3)),
    "Sources moved to the end": ("uk", lambda b: b.move_sheet("Sources", offset=len(b.sheetnames))),
    "autofilter": ("uk", lambda b: setattr(b["Plan_Units"].auto_filter, "ref", "A1:D5")),
    "row height": ("uk", lambda b: setattr(b["Plan_Funding"].row_dimensions[2], "height", 30)),
    "gridlines hidden": (
        "uk",
        lambda b: setattr(b["Plan_Training"].sheet_view, "showGridLines", False),
    ),
    "landscape": (
        "uk",
        lambda b: setattr(b["Plan_Constraints"].page_setup, "orientation", "landscape"),
    ),
    "document title": ("uk", lambda b: setattr(b.properties, "title", "reviewed plan")),
    "elastic plan: load and save": ("aus", lambda b: None),
}

# --- ledger tamperings (each must be caught) --------------------------------------------


def sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    with con:
        for s in statements:
            con.execute(s)
    con.close()


def rehash_from(path: Path, first: int, edit: str | None = None) -> None:
    """Edit (optional) and recompute every hash from record `first` on: a rebuilt chain."""
    sys.path.insert(0, os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0])
    from forceplan import ledger

    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    with con:
        if edit:
            con.execute(edit)
        rows = [dict(r) for r in con.execute("SELECT * FROM runs ORDER BY id")]
        prev = ledger.GENESIS
        for r in rows:
            if r["id"] >= first:
                r["prev_hash"] = prev
                r["hash"] = ledger.record_hash(r)
                con.execute(
                    "UPDATE runs SET prev_hash=?, hash=? WHERE id=?",
                    (r["prev_hash"], r["hash"], r["id"]),
                )
            prev = r["hash"]
        with contextlib.suppress(sqlite3.DatabaseError):
            con.execute("UPDATE meta SET value=? WHERE key='head'", (prev,))
    con.close()


def swap(path: Path, a: int, b: int) -> None:
    con = sqlite3.connect(path)
    with con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(runs)") if r[1] != "id"]
        ra = con.execute(f"SELECT {','.join(cols)} FROM runs WHERE id=?", (a,)).fetchone()
        rb = con.execute(f"SELECT {','.join(cols)} FROM runs WHERE id=?", (b,)).fetchone()
        sets = ",".join(f"{c}=?" for c in cols)
        con.execute(f"UPDATE runs SET {sets} WHERE id=?", (*rb, a))
        con.execute(f"UPDATE runs SET {sets} WHERE id=?", (*ra, b))
    con.close()


LEDGER_CASES: dict[str, Callable[[Path], None]] = {
    "edit a field of record 3": lambda p: sql(
        p, "UPDATE runs SET status='optimal (edited)' WHERE id=3"
    ),
    "edit record 3 and recompute its hash": lambda p: (
        rehash_from(p, 3, None) if False else _edit_rehash_one(p, 3)
    ),
    "delete record 3": lambda p: sql(p, "DELETE FROM runs WHERE id=3"),
    "delete the newest record": lambda p: sql(
        p, "DELETE FROM runs WHERE id=(SELECT max(id) FROM runs)"
    ),
    "delete the newest record, fix sqlite_sequence": lambda p: sql(
        p,
        "DELETE FROM runs WHERE id=(SELECT max(id) FROM runs)",
        "UPDATE sqlite_sequence SET seq=(SELECT max(id) FROM runs) WHERE name='runs'",
    ),
    "delete the 2 newest, fix sequence and meta": lambda p: _truncate_all_traces(p, 2),
    "wipe every row": lambda p: sql(p, "DELETE FROM runs"),
    "wipe every row, reset sqlite_sequence": lambda p: sql(
        p, "DELETE FROM runs", "DELETE FROM sqlite_sequence"
    ),
    "wipe every row, reset sequence and meta": lambda p: _truncate_all_traces(p, 99),
    "swap records 3 and 4": lambda p: swap(p, 3, 4),
    "edit objective_value of record 1": lambda p: sql(
        p, "UPDATE runs SET objective_value=1 WHERE id=1"
    ),
    "edit prev_hash of record 5": lambda p: sql(
        p, "UPDATE runs SET prev_hash='" + "1" * 64 + "' WHERE id=5"
    ),
    "append a forged record (wrong link)": lambda p: _forge(p, good_link=False),
    "append a forged record (right link, wrong hash)": lambda p: _forge(p, good_link=True),
    "rebuild the chain from record 3 on": lambda p: rehash_from(
        p, 3, "UPDATE runs SET objective_value=2 WHERE id=3"
    ),
    "edit the newest record and recompute its hash": lambda p: _edit_rehash_one(p, None),
    "edit time of record 2": lambda p: sql(p, "UPDATE runs SET time='2020-01-01' WHERE id=2"),
    "edit output_sha256 of the newest record": lambda p: sql(
        p, "UPDATE runs SET output_sha256='" + "0" * 64 + "' WHERE id=(SELECT max(id) FROM runs)"
    ),
    "delete record 1": lambda p: sql(p, "DELETE FROM runs WHERE id=1"),
    "truncate to 2 records and rebuild": lambda p: (_truncate_all_traces(p, 3), rehash_from(p, 1)),
}


def _edit_rehash_one(path: Path, rid: int | None) -> None:
    sys.path.insert(0, os.environ.get("PYTHONPATH", str(ROOT)).split(os.pathsep)[0])
    from forceplan import ledger

    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    with con:
        if rid is None:
            rid = con.execute("SELECT max(id) FROM runs").fetchone()[0]
        con.execute("UPDATE runs SET objective_value=objective_value*0.5 WHERE id=?", (rid,))
        r = dict(con.execute("SELECT * FROM runs WHERE id=?", (rid,)).fetchone())
        con.execute("UPDATE runs SET hash=? WHERE id=?", (ledger.record_hash(r), rid))
    con.close()


def _truncate_all_traces(path: Path, n: int) -> None:
    con = sqlite3.connect(path)
    with con:
        ids = [r[0] for r in con.execute("SELECT id FROM runs ORDER BY id DESC LIMIT ?", (n,))]
        for i in ids:
            con.execute("DELETE FROM runs WHERE id=?", (i,))
        top = con.execute("SELECT max(id) FROM runs").fetchone()[0]
        if top is None:
            con.execute("DELETE FROM sqlite_sequence")
        else:
            con.execute("UPDATE sqlite_sequence SET seq=? WHERE name='runs'", (top,))
        try:
            count = con.execute("SELECT count(*) FROM runs").fetchone()[0]
            last = con.execute("SELECT hash FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            con.execute("UPDATE meta SET value=? WHERE key='records'", (str(count),))
            con.execute("UPDATE meta SET value=? WHERE key='head'", (last[0] if last else "",))
        except sqlite3.DatabaseError:
            pass
    con.close()


def _forge(path: Path, good_link: bool) -> None:
    con = sqlite3.connect(path)
    with con:
        last = con.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        cols = [r[1] for r in con.execute("PRAGMA table_info(runs)")]
        rec = dict(zip(cols, last, strict=True))
        rec["id"] += 1
        rec["prev_hash"] = rec["hash"] if good_link else "2" * 64
        rec["hash"] = "3" * 64
        con.execute(
            f"INSERT INTO runs ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            [rec[c] for c in cols],
        )
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="current")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tamper-"))
    home = work / "home"
    led = work / "ledger.sqlite"
    plans = {}
    started = time.perf_counter()
    for name, src, extra in (
        ("uk", ROOT / "data" / "ukraine-2026-2035.xlsx", []),
        ("aus", ROOT / "data" / "ukraine-austere.xlsx", ["--elastic"]),
    ):
        for k in range(3):  # several records in the ledger
            out = work / f"{name}{k}.plan.xlsx"
            r = cli(
                "solve", str(src), "-o", str(out), "--ledger", str(led), "-q", *extra, home=home
            )
            assert r.returncode == 0, r.stderr
        plans[name] = out
    results = {"plan": {}, "harmless": {}, "ledger": {}}
    for group, cases in (("plan", PLAN_CASES), ("harmless", HARMLESS)):
        for case, (which, edit) in cases.items():
            target = work / f"case-{len(results[group])}-{group}.xlsx"
            book = openpyxl.load_workbook(plans[which])
            edit(book)
            book.save(target)
            r = cli("audit", str(target), "--ledger", str(led), home=home)
            results[group][case] = r.returncode
            print(f"{group:8} {case:45} exit {r.returncode}", flush=True)
    for case, edit in LEDGER_CASES.items():
        copy = work / f"ledger-{len(results['ledger'])}.sqlite"
        shutil.copy(led, copy)
        edit(copy)
        a = cli("audit", "--ledger", str(copy), home=home).returncode
        b = cli("audit", str(plans["aus"]), "--ledger", str(copy), home=home).returncode
        results["ledger"][case] = [a, b]
        print(f"ledger   {case:45} exit {a} / plan {b}", flush=True)
    caught_plan = sum(v != 0 for v in results["plan"].values())
    false_alarms = sum(v != 0 for v in results["harmless"].values())
    caught_ledger = sum(any(x != 0 for x in v) for v in results["ledger"].values())
    summary = (
        f"{args.label}: ledger tamperings caught {caught_ledger}/{len(LEDGER_CASES)}, "
        f"plan tamperings caught {caught_plan}/{len(PLAN_CASES)}, false alarms "
        f"{false_alarms}/{len(HARMLESS)} harmless edits ({time.perf_counter() - started:.0f} s)"
    )
    print(summary)
    if args.out:
        with args.out.open("a") as fh:
            fh.write(
                f"\n## {args.label}\n\n{summary}\n\n```\n{json.dumps(results, indent=1)}\n```\n"
            )


if __name__ == "__main__":
    main()
