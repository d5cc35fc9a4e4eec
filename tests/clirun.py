"""Running the `forceplan` command as a user would, for the CLI tests: a fresh interpreter
with a wide terminal (no wrapping) and, when given, its own FORCEPLAN_HOME (ledger, logs)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path


def forceplan(
    *args: str, home: Path | None = None, columns: int = 200, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS=str(columns))
    if home is not None:
        env["FORCEPLAN_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "forceplan", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def sha(path: Path) -> str:
    """SHA-256 of a file's bytes (to show a user's file is unchanged)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def solve_plan_run(workbook: Path, folder: Path, *options: str) -> list[tuple]:
    """`forceplan solve WORKBOOK OPTIONS` into FOLDER/plan.xlsx (own ledger home); the rows
    of the plan's Plan_Run sheet. Fails the test if the command does not exit 0."""
    import openpyxl

    out = folder / "plan.xlsx"
    done = forceplan("solve", str(workbook), "-o", str(out), *options, home=folder / "home")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out, read_only=True)
    try:
        return [tuple(r) for r in book["Plan_Run"].iter_rows(values_only=True)]
    finally:
        book.close()
