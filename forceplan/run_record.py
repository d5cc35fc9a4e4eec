"""The run record: every Plan_Run key declared once, in the order Plan_Run lists them.

`forceplan solve` writes a plan's provenance as `key, value` rows on Plan_Run
(`pipeline.run_rows` computes the values; `rows` here puts them in this order and refuses
a key that is not declared). The run ledger takes its `options` and `versions` from the
keys marked for them, the report groups the rows by `group`, and tests leave out the
`volatile` ones when they compare two plans. A key with a `{placeholder}` stands for a
family of rows (`input_hash:Personnel`, `time_solve_s`, ...).

Adding a Plan_Run row: declare it here (group, type, help), then give it its value in
`pipeline._run_rows`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal


class Group(Enum):
    """Where a row is shown in the report (the value is the report's heading)."""

    MARKING = "Classification"  # printed on every page, not in a table
    INPUTS = "Inputs"
    VERSIONS = "Tool, solver and libraries"
    RUN = "Run"
    OPTIONS = "Options"
    SHEETS = "Content hash of each input sheet"
    TIMINGS = "Timings (seconds)"
    OTHER = "Other"


#: The groups the report shows as key/value tables of their own, in this order.
REPORT_GROUPS = (Group.INPUTS, Group.VERSIONS, Group.RUN, Group.OPTIONS)

LedgerField = Literal["options", "versions"]


@dataclass(frozen=True)
class RunKey:
    name: str  # the key; a `{placeholder}` makes it a family of keys
    group: Group
    kind: type  # of the value when given (None is allowed for options not set)
    help: str
    volatile: bool = False  # differs between two runs of the same workbook
    optional: bool = False  # written only in some runs (with a ledger, ...)
    by_writer: bool = False  # added by the plan writer (forceplan.workbook.write)
    ledger: LedgerField | None = None  # the ledger record field it is kept in
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if "{" in self.name:
            parts = re.split(r"\{\w+\}", self.name)
            regex = "(.+)".join(re.escape(p) for p in parts)
            object.__setattr__(self, "_pattern", re.compile(f"^{regex}$"))

    @property
    def many(self) -> bool:
        return self._pattern is not None

    def key(self, value: Any) -> str:
        """The key of one member of a family: `INPUT_HASH.key("Personnel")`."""
        return re.sub(r"\{\w+\}", str(value), self.name, count=1)

    def part(self, key: str) -> str | None:
        """The placeholder's value in `key` (None: not a member of this family)."""
        if self._pattern is None:
            return None
        match = self._pattern.match(key)
        return match.group(1) if match else None


def _key(name: str, group: Group, kind: type, help: str, **flags: Any) -> RunKey:
    return RunKey(name, group, kind, help, **flags)


_G = Group
STAGE = _key("stage_{k}", _G.OTHER, str, "stage k of the solve: objective and value (§8.7)")
INPUT_HASH = _key(
    "input_hash:{sheet}",
    _G.SHEETS,
    str,
    "SHA-256 of one input sheet's values: `forceplan audit` names the sheets edited since",
)
TIME = _key("time_{phase}_s", _G.TIMINGS, float, "seconds of one phase", volatile=True)

#: Every Plan_Run key, in Plan_Run's order.
KEYS: tuple[RunKey, ...] = (
    _key("classification", _G.MARKING, str, "the marking of every page (Settings)", by_writer=True),
    _key("input_file", _G.INPUTS, str, "the input workbook's file name"),
    _key("input_sha256", _G.INPUTS, str, "SHA-256 of the input file's bytes", volatile=True),
    _key("input_content_hash", _G.INPUTS, str, "SHA-256 of the input sheets' typed values"),
    _key("content_hash_method", _G.INPUTS, str, "how input_content_hash is computed"),
    *(
        _key(name, _G.VERSIONS, str, help, volatile=True, ledger="versions")
        for name, help in (
            ("tool", "forceplan and its version"),
            ("solver", "HiGHS and its version"),
            ("pyomo", "Pyomo version"),
            ("pandas", "pandas version"),
            ("openpyxl", "openpyxl version"),
            ("python-calamine", "python-calamine version"),
            ("numpy", "NumPy version"),
            ("python", "Python version"),
        )
    ),
    _key("user", _G.RUN, str, "who solved", volatile=True),
    _key("host", _G.RUN, str, "the computer it was solved on", volatile=True),
    _key("date", _G.RUN, str, "when (local time with UTC offset)", volatile=True),
    _key("objective", _G.OPTIONS, str, "objective solved for", ledger="options"),
    _key("currency", _G.OPTIONS, str, "the base currency (Settings)"),
    _key("elastic", _G.OPTIONS, bool, "priced shortfalls allowed (--elastic)", ledger="options"),
    _key("integer_units", _G.OPTIONS, bool, "whole units (--integer-units)", ledger="options"),
    _key("time_limit", _G.OPTIONS, float, "--time-limit, seconds", ledger="options"),
    _key("mip_gap", _G.OPTIONS, float, "--mip-gap", ledger="options"),
    _key("threads", _G.OPTIONS, int, "--threads", ledger="options"),
    _key("status", _G.RUN, str, "the plan's status (forceplan.status)"),
    _key("solver_status", _G.RUN, str, "HiGHS's status"),
    _key("objective_value", _G.RUN, float, "the objective's value"),
    _key("gap", _G.RUN, float, "relative MIP gap (none for an LP)"),
    _key("solve_stages", _G.RUN, str, "the objectives solved in turn (§8.7)"),
    _key("start", _G.OTHER, str, "warm start from <hash> or cold start (§8.9)"),
    _key("structure_hash", _G.OTHER, str, "the LP's shape: a stored basis fits the same shape"),
    STAGE,
    INPUT_HASH,
    _key("ledger", _G.OTHER, str, "the run ledger it is recorded in", volatile=True, optional=True),
    *(
        _key(name, _G.OTHER, kind, help, volatile=True, optional=True)
        for name, kind, help in (
            ("ledger_prev_hash", str, "the ledger's newest record hash before this run"),
            ("ledger_records", int, "records in the ledger before this run"),
        )
    ),
    TIME,
    _key("time_compile_s", _G.TIMINGS, float, "compiling the LP (in time_solve_s)", volatile=True),
    _key("time_highs_s", _G.TIMINGS, float, "HiGHS's own time (in time_solve_s)", volatile=True),
    _key(
        "lost_feature",
        _G.OTHER,
        str,
        "a feature of the input file the plan's copy of it lost (one row each)",
        optional=True,
        by_writer=True,
    ),
)

_EXACT = {k.name: k for k in KEYS if not k.many}
_FAMILIES = tuple(k for k in KEYS if k.many)


def key_of(name: str) -> RunKey | None:
    """The declaration of a Plan_Run key (None: not a key forceplan writes)."""
    exact = _EXACT.get(name)
    if exact is not None:
        return exact
    return next((k for k in _FAMILIES if k.part(name) is not None), None)


def group_of(name: str) -> Group:
    key = key_of(name)
    return key.group if key is not None else Group.OTHER


def names(group: Group) -> tuple[str, ...]:
    """The single keys of `group`, in Plan_Run's order."""
    return tuple(k.name for k in KEYS if k.group is group and not k.many)


def ledger_keys(ledger: LedgerField) -> tuple[str, ...]:
    """The keys kept in the ledger record's `options` or `versions` field."""
    return tuple(k.name for k in KEYS if k.ledger == ledger)


def is_volatile(name: str) -> bool:
    key = key_of(name)
    return key is not None and key.volatile


def rows(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The run's values as Plan_Run rows, in the declared order (a family's rows in the
    order given). A key not declared here, or a declared one missing, is a bug."""
    unknown = [name for name in values if key_of(name) is None]
    if unknown:
        raise ValueError(f"Plan_Run keys not declared in forceplan.run_record: {unknown}")
    missing = [
        k.name for k in KEYS if not (k.many or k.optional or k.by_writer) and k.name not in values
    ]
    if missing:
        raise ValueError(f"Plan_Run keys without a value: {missing}")
    out: list[tuple[str, Any]] = []
    for key in KEYS:
        if key.many:
            out += [(n, v) for n, v in values.items() if n not in _EXACT and key.part(n)]
        elif key.name in values:
            out.append((key.name, values[key.name]))
    return out


def of_group(run: Mapping[str, Any], group: Group) -> list[tuple[str, Any]]:
    """The rows of a plan's Plan_Run (`plan_reader.Plan.run`) in `group`, in their order;
    keys forceplan does not declare count as OTHER."""
    return [(k, v) for k, v in run.items() if group_of(k) is group]


def untyped(rows: Iterable[tuple[str, Any]]) -> list[str]:
    """Keys whose value is neither None nor of the declared type (tests use this)."""
    bad = []
    for name, value in rows:
        key = key_of(name)
        if key is None or value is None:
            continue
        kinds = (int, float) if key.kind is float else (key.kind,)
        if not isinstance(value, kinds) or (key.kind is not bool and isinstance(value, bool)):
            bad.append(name)
    return bad
