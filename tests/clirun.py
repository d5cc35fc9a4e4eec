"""Running the `forceplan` command as a user would, for the CLI tests: a fresh interpreter
with a wide terminal (no wrapping) and, when given, its own FORCEPLAN_HOME (ledger, logs)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path


def forceplan(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200")
    if home is not None:
        env["FORCEPLAN_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "forceplan", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def sha(path: Path) -> str:
    """SHA-256 of a file's bytes (to show a user's file is unchanged)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
