"""`forceplan audit PLAN.xlsx`: a plan workbook audited from the file alone.

Besides the families of `audit_plan`: INPUTS (the input sheets read without errors), HASH
(their content hash still equals the one recorded at solve time), SHEETS, STATUS,
D:Plan_Summary, D:Plan_Charts, D:Plan_BudgetGrid, D:Plan_Run (`summary`) and LEDGER (the
plan against its run-ledger record, `ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forceplan.audit.ledger import check_ledger
from forceplan.audit.plan import audit_plan
from forceplan.audit.summary import (
    check_budget_grid,
    check_charts,
    check_run,
    check_sheets,
    check_summary,
    derived_status,
    read_free_layout,
)
from forceplan.audit.verdict import RTOL, AuditReport, FamilyResult
from forceplan.inputs import Inputs

#: INPUTS: the input sheets of the plan workbook can be read without errors;
#: HASH: the input sheets' content hash equals the one recorded in Plan_Run at solve time.
#: SHEETS, STATUS, D:Plan_Summary, D:Plan_Charts, D:Plan_Run: forceplan.audit.summary;
#: LEDGER: the plan against its run-ledger record (forceplan.audit.ledger), when there.
WORKBOOK_FAMILIES = (
    "INPUTS",
    "SHEETS",
    "STATUS",
    "D:Plan_Summary",
    "D:Plan_Charts",
    "D:Plan_BudgetGrid",
    "D:Plan_Run",
    "HASH",
    "LEDGER",
)


@dataclass
class WorkbookAudit:
    """`forceplan audit PLAN.xlsx`: the plan's constraints, objective and input hashes."""

    path: Any
    report: AuditReport
    run: dict[str, Any]  # Plan_Run as read
    objective_name: str
    objective_value: float | None
    elastic: bool
    integer_units: bool
    recorded_hash: str | None
    current_hash: str | None
    edited_sheets: list[str] = field(default_factory=list)
    derived_status: str = ""  # the status the audit stands behind (summary.derived_status)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def status(self) -> str:
        return str(self.run.get("status") or "unknown")

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": str(self.path),
            "ok": self.ok,
            "rule": f"a row fails when its violation exceeds {self.report.rtol:g} × max(1, |rhs|)"
            " (for a difference of large values: their size)",
            "rtol": self.report.rtol,
            "status": self.status,
            "derived_status": self.derived_status or self.status,
            "objective": self.objective_name,
            "objective_value": self.objective_value,
            "elastic": self.elastic,
            "integer_units": self.integer_units,
            "input_content_hash": {
                "recorded": self.recorded_hash,
                "current": self.current_hash,
                "matches": self.recorded_hash is not None
                and self.recorded_hash == self.current_hash,
                "edited_sheets": self.edited_sheets,
            },
            "families": [
                {
                    "family": f.id,
                    "ok": f.ok,
                    "rows_checked": f.rows_checked,
                    "failed": f.failed,
                    "max_violation": f.max_violation,
                    "tolerance": f.tolerance,
                    "worst_row": f.worst_row,
                    "failing_rows": f.failing_rows,
                }
                for f in self.report.families
            ],
            "notes": self.report.notes,
        }

    def text(self) -> str:
        status = self.status
        if self.derived_status and self.derived_status != status:
            status = f"{self.derived_status} (Plan_Run says '{self.status}')"
        head = [
            f"plan {self.path}: status {status}, objective {self.objective_name}"
            f" = {self.objective_value if self.objective_value is not None else 'not recorded'}"
            f" (elastic {self.elastic}, integer_units {self.integer_units})",
        ]
        return "\n".join([*head, self.report.text()])


def audit_workbook(
    path: Any, plan: Any = None, loaded: Any = None, ledger: Any = None, use_ledger: bool = True
) -> WorkbookAudit:
    """Audit a plan workbook as written by `forceplan solve`, from the file alone.

    The input sheets are read as `solve` reads them; the Plan_ tables and Plan_Run with
    pandas/calamine. The options the plan was solved with (objective, elastic,
    integer_units) and its objective value come from Plan_Run. Besides the families of
    `audit_plan`: INPUTS (the input sheets read without errors) and HASH (their content
    hash still equals the one recorded at solve time; edited sheets are named from the
    per-sheet `input_hash:<Sheet>` rows).

    `plan` (a `plan_reader.Plan`) and `loaded` (`load_workbook`'s (inputs, issues)) may be
    given when the caller has already read the file. `ledger`: the run ledger to check the
    plan against (default: the user's; `use_ledger=False` skips LEDGER).

    Also SHEETS, STATUS, D:Plan_Summary, D:Plan_Charts, D:Plan_Run (forceplan.audit.summary)
    and LEDGER (forceplan.audit.ledger).
    """
    from forceplan.plan_reader import read_plan
    from forceplan.provenance import (
        CONTENT_HASH_METHOD,
        content_hash,
        extra_sheet_hashes,
        sheet_hashes,
    )
    from forceplan.workbook.load import load_workbook

    plan = plan if plan is not None else read_plan(path)
    inputs, issues = loaded if loaded is not None else load_workbook(plan.path)
    errors = [i for i in issues if i.severity == "error"]
    name = str(plan.run.get("objective") or inputs.settings.get("objective") or "min_cost")
    value = plan.number("objective_value")
    elastic = plan.flag("elastic")
    if elastic is None:
        elastic = bool(inputs.settings.get("elastic"))
    integer_units = plan.flag("integer_units")
    if integer_units is None:
        integer_units = bool(inputs.settings.get("integer_units"))
    families: list[FamilyResult] = []
    notes: list[str] = []
    families.append(_inputs_family(errors, len(inputs.tables) + 1))
    facts: dict[str, Any] = {}
    if errors:
        notes.append(
            "the input sheets have errors: the constraints were not re-derived "
            "(`forceplan validate` lists every problem)"
        )
    else:
        report = audit_plan(inputs, plan.tables, value, name, elastic, integer_units)
        families += report.families
        notes += report.notes
        facts = report.facts
        if value is None:
            notes.append("Plan_Run records no objective_value: OBJ was not checked")
    families += _sheet_families(plan, inputs, facts, name, notes)
    recorded = plan.run.get("input_content_hash")
    recorded = str(recorded) if recorded is not None else None
    current = content_hash(inputs)
    method = plan.run.get("content_hash_method")
    current_sheets = sheet_hashes(inputs)
    recorded_sheets = {
        k.split(":", 1)[1]: str(v) for k, v in plan.run.items() if k.startswith("input_hash:")
    }
    try:
        extra = extra_sheet_hashes(plan.path)
    except Exception as exc:  # an unreadable notes sheet is reported, not a crash
        extra = {}
        notes.append(f"the sheets outside the registry could not be hashed ({exc})")
    for sheet, digest in extra.items():
        if digest:
            current_sheets[sheet] = digest
        elif sheet in recorded_sheets:  # too large to read safely: not compared
            recorded_sheets.pop(sheet)
            notes.append(f"{sheet}: too large to read safely, not compared with its hash")
    hash_family, edited = _hash_family(
        recorded,
        current,
        recorded_sheets,
        current_sheets,
        method is None or str(method) == CONTENT_HASH_METHOD,
        inputs,
    )
    families.append(hash_family)
    if use_ledger:
        ledger_family, ledger_notes = check_ledger(plan.path, plan.run, ledger)
        if ledger_family is not None:
            families.append(ledger_family)
        notes += ledger_notes
    report = AuditReport(families, RTOL, notes, facts)
    return WorkbookAudit(
        plan.path,
        report,
        plan.run,
        name,
        value,
        bool(elastic),
        bool(integer_units),
        recorded,
        current,
        edited,
        derived_status(str(plan.run.get("status") or "unknown"), facts),
    )


def _sheet_families(
    plan: Any, inputs: Inputs, facts: dict[str, Any], name: str, notes: list[str]
) -> list[FamilyResult]:
    """SHEETS, STATUS, D:Plan_Summary, D:Plan_Charts, D:Plan_Run (forceplan.audit.summary)."""
    names, grids = read_free_layout(plan.path)
    out = check_sheets(names, plan.run, grids.get("Plan_Summary"), facts)
    listing = plan.tables.get("Plan_Shortfalls")
    summary, more = check_summary(
        grids.get("Plan_Summary"),
        plan.run,
        inputs,
        facts,
        None if listing is None else len(listing),
        RTOL,
    )
    notes += more
    out += [summary, check_charts(grids.get("Plan_Charts"), plan.tables, inputs, RTOL)]
    if "Plan_BudgetGrid" in plan.tables:
        out.append(check_budget_grid(plan.tables, RTOL))
    out.append(check_run(plan.run, inputs, name))
    return out


def _inputs_family(errors: list[Any], sheets: int) -> FamilyResult:
    if not errors:
        return FamilyResult("INPUTS", sheets, 0.0, "", 0.0)
    rows = [str(i) for i in errors]
    return FamilyResult("INPUTS", sheets, float(len(errors)), rows[0], 0.0, len(rows), rows[:10])


def _hash_family(
    recorded: str | None,
    current: str,
    recorded_sheets: dict[str, str],
    current_sheets: dict[str, str],
    same_method: bool,
    inputs: Inputs,
) -> tuple[FamilyResult, list[str]]:
    """HASH: one row per input sheet (exact comparison, tolerance 0)."""
    if recorded is None:
        row = "Plan_Run has no input_content_hash: the inputs cannot be matched to the plan"
        return FamilyResult("HASH", 1, 1.0, row, 0.0, 1, [row]), []
    if not same_method:
        row = "Plan_Run's content_hash_method differs from this version's: cannot compare"
        return FamilyResult("HASH", 1, 1.0, row, 0.0, 1, [row]), []
    from forceplan.provenance import is_extra_sheet

    checked = max(1, len(current_sheets))
    # sheets outside the registry (Sources, About) count when the plan recorded them; one
    # added later (a planner's notes) is not an edit of the inputs
    extra = {n for n in recorded_sheets if is_extra_sheet(n)}
    current_sheets = {
        n: h for n, h in current_sheets.items() if not is_extra_sheet(n) or n in extra
    }
    extras_same = all(current_sheets.get(n) == recorded_sheets[n] for n in extra)
    if recorded == current and extras_same:
        return FamilyResult("HASH", checked, 0.0, "input_content_hash", 0.0), []
    if not recorded_sheets:
        row = (
            "input sheets edited after solving (content hash differs; the plan records no "
            "per-sheet hashes to say which)"
        )
        return FamilyResult("HASH", checked, 1.0, row, 0.0, 1, [row]), []
    edited = [
        name
        for name in dict.fromkeys([*current_sheets, *recorded_sheets])
        if current_sheets.get(name) != recorded_sheets.get(name)
    ]
    rows = [
        f"{inputs.tables[n].title or n if n in inputs.tables else n}: "
        + (
            "deleted after solving (Plan_Run records its hash)"
            if n not in current_sheets
            else "edited after solving (its content hash differs from Plan_Run input_hash)"
        )
        for n in edited
    ]
    if not rows:  # the parts agree but the whole does not: a different canonical form
        rows = ["input_content_hash differs from Plan_Run (no single sheet differs)"]
    return FamilyResult("HASH", checked, float(len(rows)), rows[0], 0.0, len(rows), rows), edited
