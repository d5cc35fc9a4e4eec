"""Adversarial corpus, outputs: no command may lose or half-write a user's file.

Every case runs the real CLI in a child process and checks the exit code, the message,
and the folder's files by hash before and after (see tests/corpus.py).
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from clirun import sha
from corpus import assert_clean, assert_unchanged, book, forceplan, snapshot


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    book(tmp_path / "in.xlsx")
    book(tmp_path / "precious_budget.xlsx", lambda s: s["Settings"][3].__setitem__(1, "mine"))
    return tmp_path


def _refused(result, *words: str) -> None:
    assert_clean(result)
    assert result.code == 2, result.text[-2000:]
    for word in words:
        assert word in result.text, result.text[-2000:]


# --- never replace without --force ------------------------------------------------------


def test_solve_refuses_to_replace_another_workbook(folder: Path) -> None:
    before = snapshot(folder)
    result = forceplan("solve", folder / "in.xlsx", "-o", folder / "precious_budget.xlsx")
    _refused(result, "already exists", "--force")
    assert_unchanged(before, snapshot(folder))


def test_solve_force_replaces_after_a_backup(folder: Path) -> None:
    old = sha(folder / "precious_budget.xlsx")
    result = forceplan(
        "solve", folder / "in.xlsx", "-o", folder / "precious_budget.xlsx", "--force"
    )
    assert_clean(result)
    assert result.code == 0, result.text
    assert sha(folder / "precious_budget.bak.xlsx") == old
    assert sha(folder / "precious_budget.xlsx") != old


def test_solve_refuses_its_own_input_as_output(folder: Path) -> None:
    before = snapshot(folder)
    _refused(forceplan("solve", folder / "in.xlsx", "-o", folder / "in.xlsx"), "in.xlsx")
    assert_unchanged(before, snapshot(folder))


def test_solving_a_plan_again_writes_a_new_name(folder: Path) -> None:
    assert forceplan("solve", folder / "in.xlsx").code == 0
    before = snapshot(folder)
    result = forceplan("solve", folder / "in.plan.xlsx")  # the budget-office round trip
    assert_clean(result)
    assert result.code == 0, result.text
    assert_unchanged(before, snapshot(folder), {"in.plan-2.xlsx"})


def test_default_output_never_replaces_a_previous_plan(folder: Path) -> None:
    assert forceplan("solve", folder / "in.xlsx").code == 0
    before = snapshot(folder)
    result = forceplan("solve", folder / "in.xlsx")
    assert_clean(result)
    assert result.code == 0, result.text
    assert "in.plan-2.xlsx" in result.text
    assert_unchanged(before, snapshot(folder), {"in.plan-2.xlsx"})


def test_report_refuses_to_replace_without_force(folder: Path) -> None:
    assert forceplan("solve", folder / "in.xlsx", "-o", folder / "p.xlsx").code == 0
    (folder / "notes.html").write_text("<p>my notes</p>")
    before = snapshot(folder)
    _refused(forceplan("report", folder / "p.xlsx", "-o", folder / "notes.html"), "already exists")
    assert_unchanged(before, snapshot(folder))
    result = forceplan("report", folder / "p.xlsx", "-o", folder / "notes.html", "--force")
    assert result.code == 0, result.text
    assert (folder / "notes.bak.html").read_text() == "<p>my notes</p>"


def test_report_default_name_moves_to_a_free_one(folder: Path) -> None:
    assert forceplan("solve", folder / "in.xlsx", "-o", folder / "p.xlsx").code == 0
    assert forceplan("report", folder / "p.xlsx").code == 0
    before = snapshot(folder)
    result = forceplan("report", folder / "p.xlsx")
    assert_clean(result)
    assert result.code == 0, result.text
    assert_unchanged(before, snapshot(folder), {"p.report-2.html"})


@pytest.mark.parametrize(
    "command",
    [
        ("template", "{out}"),
        ("template", "{out}", "--example", "ukraine-2026-2035"),
        ("generate", "{out}", "--trades", "2", "--grades", "2", "--years", "2"),
        ("compare", "{plan}", "{plan}", "-o", "{out}"),
        ("sweep", "{in}", "--vary", "Funding.amount=*0.9:1.1:2", "-o", "{out}", "--workers", "1"),
    ],
    ids=lambda c: c[0] + ("-example" if "--example" in c else ""),
)
def test_every_writer_refuses_an_existing_file(folder: Path, command: tuple[str, ...]) -> None:
    assert forceplan("solve", folder / "in.xlsx", "-o", folder / "plan.xlsx").code == 0
    names = {"{out}": folder / "precious_budget.xlsx", "{plan}": folder / "plan.xlsx"}
    names["{in}"] = folder / "in.xlsx"
    args = [str(names.get(a, a)) for a in command]
    before = snapshot(folder)
    _refused(forceplan(*args), "already exists")
    assert_unchanged(before, snapshot(folder))


def test_template_force_keeps_a_backup(folder: Path) -> None:
    old = sha(folder / "precious_budget.xlsx")
    result = forceplan("template", folder / "precious_budget.xlsx", "--force")
    assert result.code == 0, result.text
    assert sha(folder / "precious_budget.bak.xlsx") == old


@pytest.mark.parametrize("where", ["missing/out.xlsx", "adir"])
def test_bad_output_places_are_refused(folder: Path, where: str) -> None:
    (folder / "adir").mkdir()
    before = snapshot(folder)
    _refused(forceplan("solve", folder / "in.xlsx", "-o", folder / where))
    assert_unchanged(before, snapshot(folder))


# --- two writers, one path; the ledger's hash ---------------------------------------------


def test_two_solves_to_one_path_cannot_both_succeed(folder: Path) -> None:
    ledger = folder / "ledger.sqlite"
    out = folder / "shared.xlsx"
    command = [sys.executable, "-m", "forceplan", "solve"]
    procs = [
        subprocess.Popen(
            [*command, str(folder / src), "-o", str(out), "--ledger", str(ledger)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=folder,
        )
        for src in ("in.xlsx", "precious_budget.xlsx")
    ]
    results = [(p.wait(timeout=120), p.stdout.read() + p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    assert all("Traceback" not in text for _, text in results)
    with sqlite3.connect(ledger) as db:
        rows = db.execute("SELECT output_file, output_sha256 FROM runs").fetchall()
    assert len(rows) == 1, rows
    assert rows[0][1] == sha(out)


# --- disk full, file-size limit, kills -------------------------------------------------------


def _limit_file_size(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.parametrize(
    "command", [("solve", "-o", "{out}"), ("template", "{out}")], ids=lambda c: c[0]
)
def test_file_size_limit_is_a_clear_input_error(folder: Path, command) -> None:
    before = snapshot(folder)
    out = folder / "out.xlsx"
    args = [str(out) if a == "{out}" else a for a in command]
    if args[0] == "solve":
        args.insert(1, str(folder / "in.xlsx"))
    result = forceplan(*args, preexec=_limit_file_size(4096))
    _refused(result, "no space left", "out.xlsx", "ulimit -f")
    assert_unchanged(before, snapshot(folder))


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2, 1.6])
def test_kill_9_leaves_no_temporary_file(folder: Path, delay: float) -> None:
    before = snapshot(folder)
    out = folder / "out.xlsx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "forceplan", "solve", str(folder / "in.xlsx"), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # where unnamed files are not available, the next run in the folder removes the temp
    assert forceplan("template", folder / "next.xlsx").code == 0
    after = snapshot(folder)
    assert_unchanged(before, after, {"out.xlsx", "next.xlsx"})
    if out.exists():  # the kill came after the rename: the file is whole
        with zipfile.ZipFile(out) as zf:
            assert zf.testzip() is None


def test_temp_of_a_killed_writer_is_removed_by_the_next_run(folder: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = folder / f".~forceplan-{dead.pid}-0123456789ab.tmp"
    stale.write_bytes(b"")  # what a kill -9 mid-write leaves
    old_style = folder / ".plan.xlsx.0123456789ab.tmp"  # left by earlier versions
    old_style.write_bytes(b"")
    os.utime(old_style, (time.time() - 7200, time.time() - 7200))
    mine = folder / f".~forceplan-{os.getpid()}-0123456789ab.tmp"  # a live writer's
    mine.write_bytes(b"")
    assert forceplan("template", folder / "next.xlsx").code == 0
    assert not stale.exists() and not old_style.exists()
    assert mine.exists()


def test_sigterm_during_a_run_leaves_nothing_behind(folder: Path) -> None:
    before = snapshot(folder)
    proc = subprocess.Popen(
        [sys.executable, "-m", "forceplan", "solve", str(folder / "in.xlsx"), "-o", "o.xlsx"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.8)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert "Traceback" not in proc.stderr.read()
    assert_unchanged(before, snapshot(folder), {"o.xlsx"})


def test_full_disk_is_a_clear_input_error(folder: Path) -> None:
    """ENOSPC cannot be provoked without root: the child's os.fsync is made to fail."""
    shim = folder / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import errno, os\n"
        "def _full(fd):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fsync = _full\n"
    )
    before = snapshot(folder)
    env_path = os.pathsep.join([str(shim), os.environ.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "forceplan", "solve", str(folder / "in.xlsx"), "-o", "o.xlsx"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONPATH": env_path},
        timeout=120,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, text
    assert "no space left" in text and "o.xlsx" in text and "disk is full" in text
    assert "Traceback" not in text and "internal error" not in text
    assert_unchanged(before, snapshot(folder))


def test_sweep_keeps_the_rows_of_an_unfinished_sweep(folder: Path) -> None:
    partial = folder / "out.xlsx.partial.jsonl"
    partial.write_text('{"kind": "row", "scenario": 0}\n')
    before = snapshot(folder)
    args = ["sweep", folder / "in.xlsx", "--vary", "Funding.amount=*0.9:1.1:2"]
    result = forceplan(*args, "-o", folder / "out.xlsx", "--workers", "1")
    _refused(result, "earlier sweep", "--force")
    assert_unchanged(before, snapshot(folder))
