"""Terminal output with rich: messages, issue tables, JSON, and crash logs."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from forceplan.errors import ForceplanError, InputError, Issue


def state_dir() -> Path:
    """Per-user folder for logs and the run ledger ($FORCEPLAN_HOME overrides)."""
    if env := os.environ.get("FORCEPLAN_HOME"):
        return Path(env)
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "forceplan"


#: What a long phase is doing, shown on its live line.
PHASE_HINTS = {
    "solve": "HiGHS",
    "iis": "isolating the conflicting requirements",
    "elastic": "re-solving with priced shortfalls",
    "write": "writing the plan workbook",
    "report": "building the report and re-auditing",
    "pdf": "rendering the PDF",
    "generate": "writing the workbook",
}


class UI:
    def __init__(self) -> None:
        self.out = Console(highlight=False, soft_wrap=False)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.quiet = False
        self.verbose = False

    # --- messages -------------------------------------------------------------------------
    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message)

    def detail(self, message: str) -> None:
        if self.verbose:
            self.err.print(f"[dim]{message}[/]")

    def error(self, message: str) -> None:
        from rich.markup import escape

        self.err.print(f"[bold red]error:[/] {escape(message)}", markup=True)

    def user_error(self, exc: ForceplanError) -> None:
        if isinstance(exc, InputError) and len(exc.issues) > 1:
            self.issues_table(exc.issues, title="Problems found", console=self.err)
        self.error(str(exc))

    def print_json(self, payload: dict[str, Any]) -> None:
        text = json.dumps(_finite(payload), default=_json_default, allow_nan=False)
        if len(text) > 100_000:  # rich would measure every character: write it as it is
            self.out.file.write(text + "\n")
            self.out.file.flush()
            return
        self.out.print(text, markup=False, highlight=False, soft_wrap=True)

    @contextlib.contextmanager
    def phases(self, enabled: bool = True) -> Iterator[Callable[[str], Any]]:
        """A live line per running phase with its elapsed time ("solve  0:00:12"),
        replaced by "✓ solve  12.31 s" when it ends; yields `progress(phase)` context
        managers. Phases may nest (diagnose > iis): each has its own line, none is left
        spinning once it has ended."""
        if not enabled or self.quiet:
            yield lambda _phase: contextlib.nullcontext()
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (
            SpinnerColumn(),
            TextColumn("[bold]{task.description}[/] …"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=self.err, transient=True) as bar:

            @contextlib.contextmanager
            def progress(phase: str) -> Iterator[None]:
                # the start time stays true when a solver call holds the GIL and the
                # live clock cannot refresh (HiGHS's IIS search does)
                hint = PHASE_HINTS.get(phase)
                started_at = time.strftime("%H:%M:%S")
                text = f"{phase} ({hint}, started {started_at})" if hint else phase
                task = bar.add_task(text, total=None)
                started = time.perf_counter()
                try:
                    yield
                finally:
                    bar.remove_task(task)
                seconds = time.perf_counter() - started
                bar.console.print(f"[green]✓[/] {phase:<9} {seconds:7.2f} s")

            yield progress

    # --- issues -----------------------------------------------------------------------------
    #: Rows of the issues table; the rest are counted (a workbook with 100,000 bad rows
    #: would otherwise print 100,000 lines, slowly). `--json` lists every issue.
    MAX_ISSUE_ROWS = 50

    def issues_table(self, issues: list[Issue], title: str, console: Console | None = None) -> None:
        console = console or self.out
        shown = [i for i in issues if i.severity == "error" or not self.quiet]
        if not shown:
            return
        rest = shown[self.MAX_ISSUE_ROWS :]
        shown = shown[: self.MAX_ISSUE_ROWS]
        table = Table(title=title, show_lines=False, header_style="bold")
        table.add_column("severity")
        table.add_column("sheet")
        table.add_column("cell")
        table.add_column("problem", overflow="fold")
        for issue in shown:
            style = "red" if issue.severity == "error" else "yellow"
            table.add_row(
                f"[{style}]{issue.severity}[/]",
                escape(issue.sheet),
                escape(issue.cell),
                escape(issue.message),
            )
        console.print(table)
        if rest:
            errors = sum(i.severity == "error" for i in rest)
            parts = [f"{errors:,} more error(s)"] if errors else []
            if len(rest) - errors:
                parts.append(f"{len(rest) - errors:,} more warning(s)")
            console.print(
                f"… and {' and '.join(parts)} not shown (the first {self.MAX_ISSUE_ROWS} are "
                "listed; `forceplan validate --json` lists every one)",
                markup=False,
            )

    def verdict(self, workbook: Path, issues: list[Issue]) -> None:
        errors = sum(i.severity == "error" for i in issues)
        warnings = len(issues) - errors
        if errors:
            self.out.print(
                f"[bold red]{workbook.name}: {errors} error(s), {warnings} warning(s)"
                " — fix the errors and run again[/]"
            )
        else:
            self.out.print(
                f"[bold green]{workbook.name} is valid[/]"
                + (f" ({warnings} warning(s))" if warnings else "")
            )

    # --- crashes ----------------------------------------------------------------------------
    def log_crash(self, exc: BaseException) -> Path:
        """Write the traceback of an unexpected error to a log file and return its path."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        text = "".join(traceback.format_exception(exc))
        for folder in (state_dir() / "logs", Path(tempfile.gettempdir())):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"forceplan-crash-{stamp}-{os.getpid()}.log"
                path.write_text(text, encoding="utf-8")
                return path
            except OSError:
                continue
        return Path("<no writable log folder>")


def _finite(value: Any) -> Any:
    """JSON has no inf/nan: unbounded and undefined numbers become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, set | tuple):
        return list(value)
    return str(value)
