"""The audit's constraint families, from the one list in `schema.FAMILIES`.

Each `FamilySpec` names its audit module (`spec.audit_path`, by default
`forceplan.audit.<name>`). `audit_plan` imports them in `schema.FAMILIES` order and uses
this protocol (only `check` is required):

`REPORTS: tuple[str, ...]`
    the verdict families its rows are reported under (default: `spec.ids`), e.g.
    `("C1", "D:Plan_Training")`; constraint IDs are listed by letter (in the order letters
    first appear in the family list) and number, then OBJ, SH and the `D:` families.
`derive(ctx) -> None`
    computed columns on the context's frames (`ctx.pp`, `ctx.pe`, ...); every family's
    `derive` runs before any family's `check`.
`cost_terms(ctx) -> list[DataFrame]`
    its cost terms as (line, year, amount) rows at base-year prices (`money.terms`): the
    budget family checks Plan_Budget.spend against the sum of every family's terms (B1).
`check(ctx, checks) -> None`
    its rows: `checks.add(fid, labels, lhs, sense, rhs, scale=None)` (sense `==`, `<=`,
    `>=`), `checks.flag(fid, labels)` for structural problems, `checks.touch(fid)` to
    report a family that has no rows in this plan. Values that later steps need (the
    shortfalls the plan implies) go in `ctx.implied`.
`constraint_rows(ctx) -> dict[(id, kind), DataFrame]`
    the Plan_Constraints rows it can rebuild (`prices.rebuilt(labels, value, lower,
    upper, scale)`); rows no module rebuilds get only the arithmetic and price checks.
`BOUND_KINDS`, `SHIFT_INVARIANT`: sets of (id, kind)
    rows that are a variable's own bounds; rows whose constants may sit in the body or the
    bounds (see `prices`).
`integer_rows(ctx, rows) -> bool array`
    Plan_Constraints rows of integer columns (a MIP price may have either sign).
`INVOLVES: dict[fid, (frame, sheet, keys, row columns, previous-row columns)]`
    the plan cells a failing row reads, to name the cell most likely edited.

A family whose audit module does not exist fails the audit (its rows are not checked).
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType, SimpleNamespace
from typing import Any

from forceplan import schema

#: Verdict families of the audit itself (not of one constraint family).
HEAD = ("ROWS", "NN")
MIDDLE = ("OBJ", "SH")
TAIL = ("D:Plan_Constraints", "D:Plan_Shortfalls")


def load() -> list[tuple[schema.FamilySpec, Any]]:
    """(spec, audit module) per family of `schema.FAMILIES`, in its order."""
    return [(spec, _module(spec)) for spec in schema.FAMILIES]


def _module(spec: schema.FamilySpec) -> ModuleType | SimpleNamespace:
    path = spec.audit_path
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as exc:
        if exc.name is None or not path.startswith(exc.name):
            raise  # the module exists but something it imports does not

    def check(_ctx: Any, checks: Any) -> None:
        for fid in spec.ids:
            checks.flag(fid, [f"{fid}: no audit module {path}: its rows are not checked"])

    return SimpleNamespace(REPORTS=spec.ids, check=check)


def reports(spec: schema.FamilySpec, module: Any) -> tuple[str, ...]:
    return tuple(getattr(module, "REPORTS", spec.ids))


def family_order(loaded: list[tuple[schema.FamilySpec, Any]] | None = None) -> tuple[str, ...]:
    """The order the verdict lists its families in (see the module doc)."""
    loaded = load() if loaded is None else loaded
    named = [f for spec, module in loaded for f in reports(spec, module)]
    named = [f for f in dict.fromkeys(named) if f not in (*HEAD, *MIDDLE, *TAIL)]
    ids = [f for f in named if not f.startswith("D:")]
    letters = list(dict.fromkeys(_split(f)[0] for f in ids))

    def key(fid: str) -> tuple[int, int]:
        letter, number = _split(fid)
        return letters.index(letter), number

    ids.sort(key=key)
    sheets = [f for f in named if f.startswith("D:")]
    return (*HEAD, *ids, *MIDDLE, *sheets, *TAIL)


def _split(fid: str) -> tuple[str, int]:
    """'P10' -> ('P', 10); an ID of another form sorts after its letter's numbered ones."""
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", fid)
    return (match[1], int(match[2])) if match else (fid, 1 << 30)


#: The verdict's order for the families declared in `schema.FAMILIES` at import.
FAMILY_ORDER = family_order()
