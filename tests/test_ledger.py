"""The run ledger: every solve appends a hash-chained record; `history` lists them;
`audit --ledger` verifies the chain and names the record altered or deleted.

Every test points FORCEPLAN_HOME at its tmp_path: the real user's ledger is never touched.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from clirun import forceplan, sha
from wb import minimal_sheets, write_workbook

from forceplan import ledger
from forceplan.errors import ExitCode, ForceplanError


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("FORCEPLAN_HOME", str(folder))
    return folder


def record(n: int) -> dict:
    """A made-up record (no solve needed)."""
    return {
        "time": f"2026-01-0{n}T10:00:00+0000",
        "user": "planner",
        "host": "office",
        "input_file": f"/plans/army{n}.xlsx",
        "input_sha256": "a" * 64,
        "input_content_hash": "b" * 64,
        "output_file": f"/plans/army{n}.plan.xlsx",
        "output_sha256": "c" * 64,
        "status": "optimal",
        "objective": "min_cost",
        "objective_value": 1234.5 * n,
        "options": ledger.canonical({"elastic": False}),
        "versions": ledger.canonical({"tool": "forceplan 0.1.0"}),
    }


def filled(path: Path, n: int = 3) -> Path:
    for i in range(1, n + 1):
        ledger.append(path, record(i))
    return path


def execute(path: Path, sql: str, *params) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute(sql, params)
    con.close()


# --- solves are recorded ----------------------------------------------------------------


def test_solves_are_recorded_in_the_default_ledger(tmp_path: Path, home: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    sheets = minimal_sheets()
    sheets["EndStrength"][1] = [2026, 5000, 6000]  # no plan can reach it
    impossible = write_workbook(tmp_path / "impossible.xlsx", sheets)

    ok = forceplan("solve", str(book), "--json", home=home)
    assert ok.returncode == ExitCode.OK, ok.stderr
    assert json.loads(ok.stdout)["ledger"]["id"] == 1
    bad = forceplan("solve", str(impossible), "-q", home=home)
    assert bad.returncode == ExitCode.INFEASIBLE

    path = home / "ledger.sqlite"
    assert path.exists()
    first, second = ledger.read_records(path)
    plan = tmp_path / "army.plan.xlsx"
    assert first["status"] == "optimal" and second["status"] == "infeasible"
    assert first["input_file"] == str(book.resolve())
    assert first["input_sha256"] == sha(book)
    assert first["output_file"] == str(plan.resolve())
    assert first["output_sha256"] == sha(plan)
    assert first["objective"] == "min_cost" and first["objective_value"] > 0
    assert second["output_file"] is None and second["objective_value"] is None
    assert json.loads(first["options"])["elastic"] is False
    assert json.loads(first["versions"])["tool"].startswith("forceplan ")
    assert first["prev_hash"] == ledger.GENESIS
    assert second["prev_hash"] == first["hash"]
    assert ledger.verify(path).ok

    # the same record is what Plan_Run says of the plan
    from forceplan.plan_reader import read_plan

    run = read_plan(plan).run
    assert run["input_content_hash"] == first["input_content_hash"]
    assert run["input_sha256"] == first["input_sha256"]


def test_history_lists_runs_and_verifies_the_chain(tmp_path: Path, home: Path) -> None:
    path = filled(tmp_path / "runs.sqlite", 3)
    result = forceplan("history", "--ledger", str(path), "--json", "--limit", "2", home=home)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [r["id"] for r in payload["records"]] == [2, 3]
    assert payload["chain"]["ok"] is True
    text = forceplan("history", "--ledger", str(path), home=home)
    assert text.returncode == 0
    assert "army3.xlsx" in text.stdout and "chain verified, 3 record(s)" in text.stdout


def test_history_without_a_ledger_says_so(home: Path) -> None:
    result = forceplan("history", home=home)
    assert result.returncode == 0
    assert "No runs recorded yet" in result.stdout


def test_solve_with_ledger_option_writes_there(tmp_path: Path, home: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    chosen = tmp_path / "team" / "ledger.sqlite"
    result = forceplan("solve", str(book), "-q", "--ledger", str(chosen), home=home)
    assert result.returncode == 0, result.stderr
    assert len(ledger.read_records(chosen)) == 1
    assert not (home / "ledger.sqlite").exists()


def test_a_ledger_that_cannot_be_written_does_not_lose_the_plan(tmp_path: Path, home: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    blocked = tmp_path / "blocked"
    blocked.mkdir()  # a folder where the ledger file should be
    result = forceplan("solve", str(book), "-q", "--ledger", str(blocked), home=home)
    assert result.returncode == ExitCode.OK
    assert (tmp_path / "army.plan.xlsx").exists()
    assert "warning" in result.stderr and "not recorded in the ledger" in result.stderr


# --- the chain --------------------------------------------------------------------------


def test_an_intact_chain_verifies(tmp_path: Path, home: Path) -> None:
    path = filled(tmp_path / "runs.sqlite", 3)
    check = ledger.verify(path)
    assert check.ok and check.records == 3
    assert check.head == ledger.read_records(path)[-1]["hash"]
    result = forceplan("audit", "--ledger", str(path), home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chain verified" in result.stdout


def test_an_edited_field_names_the_record(tmp_path: Path, home: Path) -> None:
    path = filled(tmp_path / "runs.sqlite", 3)
    execute(path, "UPDATE runs SET objective_value = 1.0 WHERE id = 2")
    check = ledger.verify(path)
    assert not check.ok and check.altered == [2]
    result = forceplan("audit", "--ledger", str(path), "--json", home=home)
    assert result.returncode == ExitCode.AUDIT_FAILED
    payload = json.loads(result.stdout)["ledger"]
    assert payload["altered"] == [2]
    assert any(p.startswith("record 2 was altered") for p in payload["problems"])
    text = forceplan("audit", "--ledger", str(path), home=home)
    assert text.returncode == ExitCode.AUDIT_FAILED
    assert "record 2 was altered" in text.stdout


def test_an_edit_with_a_recomputed_hash_is_still_caught(tmp_path: Path) -> None:
    path = filled(tmp_path / "runs.sqlite", 3)
    rec = ledger.read_records(path)[0]
    rec["status"] = "optimal (approved)"
    execute(
        path,
        "UPDATE runs SET status = ?, hash = ? WHERE id = 1",
        rec["status"],
        ledger.record_hash(rec),
    )
    check = ledger.verify(path)
    assert check.altered == [1]
    assert "record 2 holds a different hash" in check.problems[0]


def test_a_deleted_record_breaks_the_chain(tmp_path: Path, home: Path) -> None:
    path = filled(tmp_path / "runs.sqlite", 3)
    execute(path, "DELETE FROM runs WHERE id = 2")
    check = ledger.verify(path)
    assert not check.ok and check.missing == [2]
    result = forceplan("audit", "--ledger", str(path), home=home)
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "record 2 missing" in result.stdout


def test_deleting_the_newest_record_is_seen(tmp_path: Path) -> None:
    path = filled(tmp_path / "runs.sqlite", 3)
    execute(path, "DELETE FROM runs WHERE id = 3")
    check = ledger.verify(path)
    assert check.missing == [3]
    ledger.append(path, record(4))  # a later run does not hide the gap
    assert ledger.verify(path).missing == [3]


def test_concurrent_solves_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    ledger.append(path, record(1))
    threads = [threading.Thread(target=ledger.append, args=(path, record(2))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = ledger.verify(path)
    assert check.ok, check.problems
    assert check.records == 9


def test_not_a_ledger(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    execute(other, "CREATE TABLE x (a)")
    with pytest.raises(ForceplanError, match="not a forceplan ledger"):
        ledger.verify(other)
    with pytest.raises(ForceplanError, match="no ledger at"):
        ledger.verify(tmp_path / "missing.sqlite")
