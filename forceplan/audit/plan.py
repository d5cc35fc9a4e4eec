"""`audit_plan`: the Plan_ tables re-checked against the inputs, family by family.

The steps, in order: join the plan with the inputs (`context`, family ROWS), every family's
`derive`, non-negative decisions (NN), every family's `cost_terms` and `check` (in
`schema.FAMILIES` order, see `families`), the objective and shortfalls (`objective`), the
Plan_Constraints rows, slacks and prices (`prices`), the headline figures (`summary`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from forceplan.audit import families
from forceplan.audit.context import Context, build_context, col_letter, label, nonnegative
from forceplan.audit.objective import (
    check_listing,
    check_objective,
    check_penalties,
    default_penalties,
)
from forceplan.audit.prices import check_constraints
from forceplan.audit.summary import headline_facts
from forceplan.audit.verdict import RTOL, AuditReport, Checks, FamilyResult
from forceplan.inputs import Inputs


def audit_plan(
    inputs: Inputs,
    tables: dict[str, pd.DataFrame],
    objective_value: float | None = None,
    objective_name: str = "min_cost",
    elastic: bool = False,
    integer_units: bool | None = None,
) -> AuditReport:
    """Re-check `tables` (Plan_ name -> DataFrame) against `inputs`; see `forceplan.audit`.

    `elastic` and `integer_units` are the options the plan was solved with (`integer_units`
    None: the Settings value); `objective_value` (optional) is checked against the plan's
    own cost, capability and penalties for `objective_name`.
    """
    checks = Checks()
    if integer_units is None:
        integer_units = bool(inputs.settings.get("integer_units"))
    ctx = build_context(inputs, tables, elastic, integer_units, checks)
    loaded = families.load()
    modules = [module for _spec, module in loaded]
    for module in modules:
        if hasattr(module, "derive"):
            module.derive(ctx)
    nonnegative(ctx, tables, checks)
    for module in modules:
        if hasattr(module, "cost_terms"):
            ctx.costs += module.cost_terms(ctx)
    for module in modules:
        module.check(ctx, checks)
    ctx.penalties = default_penalties(ctx)
    check_objective(ctx, checks, objective_value, objective_name)
    check_listing(ctx, checks, tables)
    check_penalties(ctx, checks, tables.get("Plan_Shortfalls"))
    notes = [f"penalties used: {ctx.penalties}"] if elastic else []
    frame = tables.get("Plan_Constraints")
    sense = "max" if objective_name == "max_capability" else "min"
    notes += check_constraints(ctx, checks, frame, sense, _letters(frame), modules)
    ctx.facts = headline_facts(ctx)
    results = checks.report(families.family_order(loaded))
    suspects = locate(ctx, tables, [f for f in results if not f.ok], modules)
    if suspects:
        notes.insert(0, "most likely edited: " + "; ".join(suspects))
    return AuditReport(results, RTOL, notes, ctx.facts)


def _letters(frame: pd.DataFrame | None) -> dict[str, str]:
    """Column name -> Excel column letter on a Plan_ table sheet (header in row 1)."""
    if frame is None:
        return {}
    return {str(c): col_letter(i) for i, c in enumerate(frame.columns)}


def locate(
    ctx: Context, tables: dict[str, pd.DataFrame], failures: list[FamilyResult], modules: list[Any]
) -> list[str]:
    """The plan cells most likely edited: each failing row of a family votes for the cells
    it reads (the family module's INVOLVES); the cells with most votes are named (with the
    families they break)."""
    involves: dict[str, tuple[Any, ...]] = {}
    for module in modules:
        involves.update(getattr(module, "INVOLVES", {}))
    votes: dict[str, set[str]] = {}
    for fam in failures:
        spec = involves.get(fam.id)
        if spec is None:
            continue
        attr, sheet, keys, same, before = spec
        frame = getattr(ctx, attr, None)
        table = tables.get(sheet)
        if frame is None or table is None or not len(frame):
            continue
        cols = [str(c) for c in table.columns]
        labels = label(frame, *keys, "year")
        rows = dict(zip(labels, frame["_plan_row"], strict=False))
        prev_key = dict(
            zip(labels, label(frame.assign(year=frame["year"] - 1), *keys, "year"), strict=False)
        )
        for text in fam.failing_rows:
            row_label = text.split(":")[0]
            if row_label not in rows:
                continue
            for key, names in ((row_label, same), (prev_key.get(row_label), before)):
                r = rows.get(key)
                if r is None or pd.isna(r):
                    continue
                for col in names:
                    if col in cols:
                        cell = f"{sheet}!{col_letter(cols.index(col))}{int(r)} ({col}, {key})"
                        votes.setdefault(cell, set()).add(f"{fam.id} {row_label}")
    if not votes:
        return []
    best = max(len(v) for v in votes.values())
    if best < 2:
        return []
    top = [c for c, v in votes.items() if len(v) == best][:3]
    return [f"{c}: breaks {', '.join(sorted(votes[c]))}" for c in top]
