"""Deadlines and interruptions that behave (issue 14): --time-limit is a deadline for the
whole command, --no-diagnose, exit 4 says whether a plan was written, Ctrl-C gives one line
and exit 130 (also in sweeps, without worker tracebacks), a dead sweep worker is reported,
and `sweep --resume` continues from the checkpoint.

No test asserts a timing: deadlines are tested by giving a deadline that has already
passed, interruptions by waiting for a checkpoint row before sending SIGINT.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from wb import minimal_sheets, write_workbook

from forceplan.errors import ExitCode
from forceplan.pipeline import SolveRequest, explain_infeasible, run_solve
from forceplan.sweep.engine import TEST_DIE_ENV


def forceplan(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, COLUMNS="200", FORCEPLAN_HOME=str(home), **env)
    return subprocess.run(
        [sys.executable, "-m", "forceplan", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=600,
    )


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "army.xlsx", minimal_sheets())


@pytest.fixture
def infeasible(tmp_path: Path) -> Path:
    sheets = minimal_sheets()
    sheets["EndStrength"][1] = [2026, 2500, 2600]  # beyond what recruiting allows
    return write_workbook(tmp_path / "tight.xlsx", sheets)


def test_the_deadline_counts_from_the_start_of_the_command(book: Path, tmp_path: Path) -> None:
    """A deadline already spent before the solve leaves HiGHS no time: exit 4, no plan."""
    out = tmp_path / "late.plan.xlsx"
    request = SolveRequest(book, output=out, time_limit=1.0, started=time.perf_counter() - 60)
    run = run_solve(request)
    assert run.exit_code == ExitCode.NOT_OPTIMAL
    assert run.output is None and not out.exists()


def test_exit_4_says_whether_a_plan_was_written(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.plan.xlsx"
    result = forceplan("solve", str(book), "-o", str(out), "--time-limit", "0", home=tmp_path)
    assert result.returncode == ExitCode.NOT_OPTIMAL
    assert "No plan was written" in result.stdout
    assert not out.exists()
    result = forceplan(
        "solve", str(book), "-o", str(out), "--time-limit", "0", "--json", home=tmp_path
    )
    payload = json.loads(result.stdout)
    assert payload["plan_written"] is False and payload["output"] is None


def test_no_diagnose_skips_the_diagnosis(infeasible: Path, tmp_path: Path) -> None:
    result = forceplan("solve", str(infeasible), "--no-diagnose", "--json", home=tmp_path)
    assert result.returncode == ExitCode.INFEASIBLE
    payload = json.loads(result.stdout)
    assert "conflicts" not in payload and "elastic" not in payload
    assert not {"diagnose", "iis", "elastic"} & set(payload["timings"])
    full = json.loads(forceplan("solve", str(infeasible), "--json", home=tmp_path).stdout)
    assert "conflicts" in full  # the default still explains


def test_diagnosis_stops_at_the_deadline(infeasible: Path) -> None:
    run = run_solve(SolveRequest(infeasible, write=False, diagnose=False))
    assert run.exit_code == ExitCode.INFEASIBLE
    run.deadline = time.perf_counter() - 1.0  # the command's time is up
    explain_infeasible(run)
    assert run.conflicts is None and run.elastic_run is None
    assert any("not isolated" in n for n in run.notes)
    assert any("elastic re-solve was not run" in n for n in run.notes)


# --- Ctrl-C, dead workers, resume --------------------------------------------------------

VARY = "Settings.accession_max_total=100:400:60"


def _interrupt_when(cmd: list[str], ready, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `cmd` in its own process group (SIGINT at default, as in a terminal), send SIGINT
    to the group (what Ctrl-C does) once `ready()` is true."""

    def child() -> None:
        os.setpgrp()
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=child,
    )
    deadline = time.monotonic() + 300
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _rows(path: Path) -> int:
    return len(path.read_text().splitlines()) - 1 if path.exists() else 0


def test_ctrl_c_in_a_sweep_then_resume(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "army.sweep.xlsx"
    partial = out.with_name(out.name + ".partial.jsonl")
    env = dict(os.environ, COLUMNS="200", FORCEPLAN_HOME=str(tmp_path))
    cmd = [sys.executable, "-m", "forceplan", "sweep", str(book), "--vary", VARY]
    cmd += ["--workers", "2", "-o", str(out)]
    result = _interrupt_when(cmd, lambda: _rows(partial) >= 3, env)
    if result.returncode == 0:
        pytest.skip("the sweep finished before it could be interrupted")
    assert result.returncode == 130, result.stderr
    lines = [ln for ln in result.stderr.replace("\r", "\n").splitlines() if "error" in ln]
    assert len(lines) == 1 and lines[0].startswith("error: interrupted")
    for noise in ("Traceback", "KeyboardInterrupt", "leaked semaphore", "Aborted"):
        assert noise not in result.stderr
    assert not out.exists()
    kept = _rows(partial)
    assert kept >= 3
    # a plain re-run refuses to overwrite the checkpoint
    again = forceplan("sweep", str(book), "--vary", VARY, "-o", str(out), home=tmp_path)
    assert again.returncode == ExitCode.INPUT and "--resume" in again.stderr
    assert _rows(partial) == kept
    resumed = forceplan(
        "sweep", str(book), "--vary", VARY, "-o", str(out), "--resume", "--json", home=tmp_path
    )
    assert resumed.returncode == 0, resumed.stderr
    payload = json.loads(resumed.stdout)
    assert payload["resumed_rows"] >= 3
    assert sorted(r["scenario"] for r in payload["rows"]) == list(range(1, 61))
    assert out.exists() and not partial.exists()


def test_resume_refuses_another_sweeps_checkpoint(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "army.sweep.xlsx"
    partial = out.with_name(out.name + ".partial.jsonl")
    partial.write_text(json.dumps({"kind": "meta", "specs": ["Funding.amount=*2"]}) + "\n")
    result = forceplan(
        "sweep", str(book), "--vary", VARY, "-o", str(out), "--resume", home=tmp_path
    )
    assert result.returncode == ExitCode.INPUT
    assert "belongs to another sweep (not the same specs)" in result.stderr
    assert partial.read_text().count("\n") == 1  # untouched


def test_a_dead_worker_is_reported(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "army.sweep.xlsx"
    args = ["sweep", str(book), "--vary", "Settings.accession_max_total=100:400:7"]
    args += ["--workers", "2", "-o", str(out)]
    result = forceplan(*args, "--json", home=tmp_path, **{TEST_DIE_ENV: "3"})
    assert result.returncode == 0, result.stderr
    deaths = json.loads(result.stdout)["worker_deaths"]
    assert deaths and {d["scenario"] for d in deaths} == {3}
    assert "leaked semaphore" not in result.stderr
    text = forceplan(*args, "--force", home=tmp_path, **{TEST_DIE_ENV: "3"})
    assert "a worker process died" in text.stdout and "scenario 3" in text.stdout
    assert "leaked semaphore" not in text.stderr
