"""Problems found in user input, and the exit codes every command uses."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Literal


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: one line on screen, traceback in the log file
    INPUT = 2  # the user's file or options are wrong
    INFEASIBLE = 3
    NOT_OPTIMAL = 4  # solver stopped (time limit, ...) without a proven optimum
    AUDIT_FAILED = 5


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem in the input, located as precisely as possible (`Personnel!D7`)."""

    severity: Severity
    sheet: str
    cell: str  # "D7", "row 7", "" (whole sheet/file)
    message: str

    @property
    def where(self) -> str:
        if not self.sheet:
            return self.cell
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict[str, str]:
        return asdict(self) | {"where": self.where}

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}" if self.where else self.message


class ForceplanError(Exception):
    """A user mistake: reported in one line (or a table of issues), never as a traceback."""

    exit_code = ExitCode.INPUT


class InputError(ForceplanError):
    """The workbook cannot be used; `issues` holds every problem found."""

    def __init__(self, issues: list[Issue] | Issue):
        self.issues = [issues] if isinstance(issues, Issue) else list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        first = errors[0] if errors else self.issues[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(
            f"{first.where}: {first.message}{more}" if first.where else f"{first.message}{more}"
        )


def file_error(path: object, message: str) -> InputError:
    """An error about the file as a whole (missing, corrupt, encrypted ...)."""
    return InputError(Issue("error", "", str(path), message))


class Interrupted(BaseException):
    """Ctrl-C, raised by the CLI's SIGINT handler. A BaseException that is not a
    KeyboardInterrupt, so that no library turns it into its own message: `main` prints one
    line and exits 130 (`cleanup` code in `finally` blocks still runs)."""

    def __init__(self, message: str = "interrupted") -> None:
        super().__init__(message)
