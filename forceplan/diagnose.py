"""Why is there no plan? The solver's irreducible infeasible set (IIS) in planners' words,
and the smallest priced shortfalls that would make a plan possible (an elastic re-solve)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forceplan.model.build import BuiltModel, Family
from forceplan.model.solve import IisMember, SolveOutcome, irreducible_infeasible_set


@dataclass
class Conflict:
    id: str  # constraint family, e.g. P7
    kind: str  # e.g. "minimum"
    index: str  # e.g. "total 2028"
    side: str  # lower / upper / both
    cells: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "index": self.index,
            "side": self.side,
            "source_cells": self.cells,
        }

    def sentence(self) -> str:
        where = (
            f" ({', '.join(self.cells[:4])}{'…' if len(self.cells) > 4 else ''})"
            if self.cells
            else ""
        )
        return f"{self.id} {self.kind} {self.index}: {self.side} limit{where}"


def explain_iis(
    built: BuiltModel, outcome: SolveOutcome, time_limit: float | None = None
) -> list[Conflict] | None:
    """The conflicting requirements, mapped to constraint IDs, years and input cells."""
    members = irreducible_infeasible_set(outcome, time_limit)
    if members is None:
        return None
    by_component: dict[int, Family] = {id(f.component): f for f in built.families}
    conflicts = []
    for member in members:
        conflict = _conflict(member, by_component)
        if conflict is not None:
            conflicts.append(conflict)
    return conflicts


def _conflict(member: IisMember, families: dict[int, Family]) -> Conflict | None:
    data = member.component
    family = families.get(id(data.parent_component()))
    if family is None:
        return None
    if member.kind == "column" and member.bound == "lower" and not data.lb:
        return None  # x ≥ 0 is not a requirement anyone wrote down
    label, cells = family.describe(data.index())
    return Conflict(family.id, family.kind, label, member.bound, list(dict.fromkeys(cells)))
