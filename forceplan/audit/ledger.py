"""`forceplan audit PLAN`: the plan against its record in the run ledger (family LEDGER).

A plan written by `forceplan solve` carries on Plan_Run the ledger it was recorded in, that
ledger's head hash and record count just before its own record (`ledger`,
`ledger_prev_hash`, `ledger_records`). Its ledger record carries the SHA-256 of every
Plan_ sheet's values as written (`plan_hashes`). So, when the ledger is there:

- the chain must verify (`forceplan.ledger.verify`);
- the ledger must still hold the plan's own record and every record before it: fewer
  records than `ledger_records + 1`, or a `ledger_prev_hash` no longer in the chain, means
  records were deleted (newest ones included, whatever SQLite's counter says) or wiped;
- every Plan_ sheet must hash as recorded: an edit anywhere on a Plan_ sheet — a price
  ×10, a status word, a chart number — names the sheet, even where no re-derivation can.

A plan whose Plan_Run names no ledger, or whose ledger file is absent, is not checked
against a ledger (a note says so): the audit cannot tell a deleted ledger file from a plan
brought from another machine. A ledger named with `--ledger PATH` is taken to be the
plan's; the user's default ledger only when it is the one Plan_Run names (or holds the
plan's predecessor record).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from forceplan.audit.verdict import FamilyResult


def check_ledger(
    plan_path: Path, run: dict[str, Any], ledger: Path | None
) -> tuple[Any, list[str]]:
    """(LEDGER FamilyResult or None, notes)."""
    from forceplan.errors import ForceplanError
    from forceplan.ledger import GENESIS, default_path, read_records, verify
    from forceplan.provenance import plan_sheet_hashes_like

    recorded_in = run.get("ledger")
    if run.get("ledger_records") is None:
        return None, ["Plan_Run names no run ledger: the plan was not checked against one"]
    path = Path(ledger) if ledger is not None else default_path()
    # the plan's own ledger: the one named with --ledger, the one Plan_Run names, or a
    # copy of it (below: the head before the plan's record is in its chain); the user's
    # default ledger on another machine is not the plan's
    same = ledger is not None or (recorded_in is not None and _same(path, Path(str(recorded_in))))
    if not path.is_file():
        return None, [
            f"no ledger at {path}: the plan was not checked against its ledger record "
            f"(it was recorded in {recorded_in}; give --ledger PATH)"
        ]
    try:
        chain = verify(path)
        records = read_records(path)
    except ForceplanError as exc:
        return _fail(FamilyResult, [str(exc)]), []
    problems = [f"ledger {path}: {p}" for p in chain.problems]
    count = int(float(run["ledger_records"]))
    prev = str(run.get("ledger_prev_hash") or GENESIS)
    mine = _find(records, run)
    hashes = {r["hash"] for r in records} | {GENESIS}
    # the same ledger: the one Plan_Run names, or a copy of it (the head before this plan's
    # record is in its chain)
    same = same or (prev != GENESIS and prev in hashes)
    if mine is None:
        if not same:
            return (
                _fail(FamilyResult, problems) if problems else None,
                [
                    f"the plan was recorded in {recorded_in}, not in {path}: not checked "
                    "against its ledger record"
                ],
            )
        if len(records) < count + 1:
            what = "every record was wiped" if not records else "records were deleted"
            problems.append(
                f"the ledger holds {len(records)} record(s) but this plan's run was record "
                f"{count + 1}: {what} (the ledger was truncated after this plan was written)"
            )
        else:
            problems.append(
                "the ledger holds no record of this plan's run (same date and inputs): its "
                "record was deleted, or the plan's Plan_Run date or input hash was edited"
            )
        if prev not in hashes:
            problems.append(
                f"the ledger's head when this plan was written ({prev[:16]}…) is no longer in "
                "the chain: records were deleted or the chain was rebuilt"
            )
        return _fail(FamilyResult, problems), []
    if prev not in hashes:
        problems.append(
            f"record {mine['id']}: the head before it ({prev[:16]}…, on Plan_Run) is no longer "
            "in the chain: records were deleted or the chain was rebuilt"
        )
    if mine.get("seq") is not None and int(mine["seq"]) != count + 1 and mine["prev_hash"] == prev:
        problems.append(
            f"record {mine['id']} says it was record number {mine['seq']}, Plan_Run says "
            f"{count + 1}"
        )
    rows = 1
    stored = mine.get("plan_hashes")
    if stored:
        recorded = json.loads(stored)
        current = plan_sheet_hashes_like(plan_path, recorded)
        for name, (digest, _cols) in recorded.items():
            rows += 1
            if name not in current:
                problems.append(f"{name}: sheet missing (ledger record {mine['id']} has it)")
            elif current[name][0] != digest:
                problems.append(
                    f"{name}: edited since the solve (its values differ from those recorded "
                    f"in ledger record {mine['id']})"
                )
    for key, field in (("status", "status"), ("objective", "objective")):
        if str(run.get(key)) != str(mine.get(field)):
            problems.append(
                f"Plan_Run {key} '{run.get(key)}' differs from ledger record {mine['id']} "
                f"('{mine.get(field)}')"
            )
    value, stored_value = _number(run.get("objective_value")), _number(mine.get("objective_value"))
    if value is not None and (
        stored_value is None or abs(value - stored_value) > 1e-9 * max(1.0, abs(value))
    ):
        problems.append(
            f"Plan_Run objective_value {value} differs from ledger record {mine['id']} "
            f"({stored_value})"
        )
    if problems:
        return _fail(FamilyResult, problems, rows), []
    return FamilyResult("LEDGER", rows, 0.0, f"ledger record {mine['id']}", 0.0), [
        f"checked against ledger record {mine['id']} of {path}"
    ]


def _number(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if v == v and abs(v) != float("inf") else None


def _find(records: list[dict[str, Any]], run: dict[str, Any]) -> dict[str, Any] | None:
    date, content = str(run.get("date")), str(run.get("input_content_hash"))
    for rec in reversed(records):
        if str(rec.get("time")) == date and str(rec.get("input_content_hash")) == content:
            return rec
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return str(a) == str(b)


def _fail(cls: Any, problems: list[str], checked: int = 1) -> Any:
    return cls(
        "LEDGER",
        max(checked, len(problems)),
        float(len(problems)),
        problems[0],
        0.0,
        len(problems),
        problems[:10],
    )
