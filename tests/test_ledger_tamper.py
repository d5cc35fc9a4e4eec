"""The run ledger sees truncation and wipes (issue 14): every plan's Plan_Run carries the
ledger's head and record count before its own record, every record its number and its
plan's sheet hashes; `audit PLAN` checks the plan against the ledger; `history --head`
prints the head to publish, `history --verify [--expect HASH]` checks the chain; a swap
names the records swapped; `--ledger PATH` means the ledger file on every command.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from clirun import forceplan, sha
from wb import minimal_sheets, write_workbook

from forceplan import ledger
from forceplan.errors import ExitCode


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A ledger with 4 records and the 4 plans they recorded."""
    folder = tmp_path_factory.mktemp("ledgertamper")
    book = write_workbook(folder / "army.xlsx", minimal_sheets())
    path = folder / "ledger.sqlite"
    plans = []
    for k in range(4):
        out = folder / f"army{k}.plan.xlsx"
        result = forceplan(
            "solve", str(book), "-o", str(out), "--ledger", str(path), "-q", home=folder
        )
        assert result.returncode == 0, result.stderr
        plans.append(out)
    return path, plans


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ledger.sqlite"
    shutil.copy(path, target)
    return target


def sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    with con:
        for s in statements:
            con.execute(s)
    con.close()


def test_plans_carry_the_ledger_head_and_records_their_number(solved, tmp_path: Path) -> None:
    path, plans = solved
    records = ledger.read_records(path)
    assert [r["seq"] for r in records] == [1, 2, 3, 4]
    assert all(r["plan_hashes"] for r in records)
    result = forceplan("audit", str(plans[2]), "--ledger", str(path), home=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "checked against ledger record 3" in result.stdout


def test_history_head_and_verify(solved, tmp_path: Path) -> None:
    path, _plans = solved
    head = forceplan("history", "--ledger", str(path), "--head", home=tmp_path)
    assert head.returncode == 0
    assert head.stdout.strip() == ledger.read_records(path)[-1]["hash"]
    verified = forceplan("history", "--ledger", str(path), "--verify", home=tmp_path)
    assert verified.returncode == 0 and "chain verified, 4 record(s)" in verified.stdout


def test_deleting_the_newest_record_and_fixing_the_counter_is_caught(
    solved, tmp_path: Path
) -> None:
    path, plans = solved
    copy = copy_of(path, tmp_path)
    sql(
        copy,
        "DELETE FROM runs WHERE id = 4",
        "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'runs'",
        "UPDATE meta SET value = '3' WHERE key = 'records'",
        "UPDATE meta SET value = (SELECT hash FROM runs WHERE id = 3) WHERE key = 'head'",
    )
    before = sha(copy)
    # the chain alone looks whole; the plan of record 4 knows better
    assert forceplan("audit", "--ledger", str(copy), home=tmp_path).returncode == 0
    result = forceplan("audit", str(plans[3]), "--ledger", str(copy), home=tmp_path)
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "holds 3 record(s) but this plan's run was record 4" in result.stdout
    assert sha(copy) == before


def test_deleting_the_newest_record_is_seen_by_the_ledger_itself(solved, tmp_path: Path) -> None:
    path, _plans = solved
    copy = copy_of(path, tmp_path)
    sql(copy, "DELETE FROM runs WHERE id = 4", "DELETE FROM sqlite_sequence")
    result = forceplan("history", "--ledger", str(copy), "--verify", home=tmp_path)
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "noted 4 record(s) but holds 3" in result.stdout


def test_a_wiped_ledger_is_caught(solved, tmp_path: Path) -> None:
    path, plans = solved
    backup = copy_of(path, tmp_path)
    try:  # the ledger the plan names, wiped in place
        sql(path, "DELETE FROM runs", "DELETE FROM sqlite_sequence", "DELETE FROM meta")
        result = forceplan("audit", str(plans[1]), "--ledger", str(path), home=tmp_path)
    finally:
        shutil.copy(backup, path)
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "every record was wiped" in result.stdout


def test_a_published_head_must_stay_in_the_chain(solved, tmp_path: Path) -> None:
    path, _plans = solved
    head = ledger.read_records(path)[-1]["hash"]
    copy = copy_of(path, tmp_path)
    sql(copy, "DELETE FROM runs WHERE id = 4", "DELETE FROM meta")
    result = forceplan(
        "history", "--ledger", str(copy), "--verify", "--expect", head, home=tmp_path
    )
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "published head" in result.stdout


def test_a_swap_names_the_swapped_records(solved, tmp_path: Path) -> None:
    path, _plans = solved
    copy = copy_of(path, tmp_path)
    con = sqlite3.connect(copy)
    with con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(runs)") if r[1] != "id"]
        a = con.execute(f"SELECT {','.join(cols)} FROM runs WHERE id = 3").fetchone()
        b = con.execute(f"SELECT {','.join(cols)} FROM runs WHERE id = 4").fetchone()
        sets = ",".join(f"{c} = ?" for c in cols)
        con.execute(f"UPDATE runs SET {sets} WHERE id = 3", b)
        con.execute(f"UPDATE runs SET {sets} WHERE id = 4", a)
    con.close()
    check = ledger.verify(copy)
    assert not check.ok
    assert sorted(check.altered) == [3, 4]
    text = check.text()
    assert "record 3 holds the record written as number 4" in text
    assert "record 2" not in text


def test_an_edited_plan_sheet_is_named_by_the_ledger(solved, tmp_path: Path) -> None:
    import openpyxl

    path, plans = solved
    book = openpyxl.load_workbook(plans[0])
    ws = book["Plan_Constraints"]
    header = [c.value for c in ws[1]]
    price = header.index("shadow_price") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, price).value not in (None, 0, 0.0):
            ws.cell(r, price).value = ws.cell(r, price).value * 10
            break
    target = tmp_path / "x10.plan.xlsx"
    book.save(target)
    result = forceplan("audit", str(target), "--ledger", str(path), home=tmp_path)
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "Plan_Constraints: edited since the solve" in result.stdout


def test_ledger_path_is_a_path_on_every_command(solved, tmp_path: Path) -> None:
    _path, plans = solved
    missing = tmp_path / "elsewhere.sqlite"
    named = forceplan("audit", str(plans[0]), "--ledger", str(missing), home=tmp_path)
    assert named.returncode == ExitCode.INPUT  # a ledger named but absent: said, exit 2
    assert f"no ledger at {missing}" in named.stderr
    assert forceplan("history", "--ledger", str(missing), "--verify", home=tmp_path).returncode == 2
    assert not missing.exists()  # reading never creates a ledger
    # without --ledger: the user's ledger, here absent; the plan is audited and says so
    default = forceplan("audit", str(plans[0]), home=tmp_path)
    assert default.returncode == 0, default.stdout
    assert "no ledger at" in default.stdout and "not checked against its ledger" in default.stdout
