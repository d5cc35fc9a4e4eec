"""Re-check a plan against its inputs, independently of the model and the solver.

The audit reads only the typed inputs (`forceplan.inputs.Inputs`) and the `Plan_` tables
(pandas DataFrames with the MODEL.md §6 columns); it never imports Pyomo, HiGHS or the
model code (`forceplan.model`). It resolves the per-year overrides itself (MODEL.md §7.1),
recomputes both sides of every constraint family of MODEL.md §3 from the inputs and the
plan's decision values, and reports, per family, how many rows it checked and the worst
row.

The package is laid out like `forceplan.model`: one module per constraint family, named
as in `schema.FAMILIES` (personnel, transitions, training, units, equipment, strength,
budget, careers, cohorts), each with its checks and its part of the Plan_Constraints
rebuild (the protocol is in `families`), and modules for what crosses families:

- `context`: the inputs' frames joined with the plan (ROWS, NN) and shared helpers;
- `money`: price index, rates, payments and vintages of MODEL.md §8.6-8.7;
- `objective`: OBJ, SH and D:Plan_Shortfalls (penalties, shortfalls);
- `prices`: D:Plan_Constraints (rebuilt rows, slacks, complementary slackness);
- `summary`: headline figures and the workbook's own sheets (Plan_Summary, Plan_Charts);
- `ledger`: the plan against its run-ledger record (LEDGER);
- `verdict`: rows checked, tolerances, the report (`AuditReport`, `FamilyResult`);
- `plan` (`audit_plan`) and `workbook` (`audit_workbook`): the two entry points.

Families besides the MODEL.md ones:
- ROWS: every Plan_ table has exactly one row per class/arc/course/... and year;
- NN: decision values are non-negative;
- OBJ: the objective value equals Σ df·spend + df_T·committed_after_horizon (+ penalties,
  elastic mode) for min_cost (Σ capability − penalties for max_capability; the weighted
  metrics for custom);
- SH: elastic mode only, when a Plan_Shortfalls table is given: its amounts per
  constraint and year equal the shortfalls implied by the plan;
- D:<sheet>: the derived (non-decision) columns of each Plan_ table.

Tolerance: a row fails when its violation exceeds RTOL × max(1, |rhs|), RTOL = 1e-6 (see
`verdict`).
"""

from __future__ import annotations

from forceplan.audit.context import PLAN_KEYS
from forceplan.audit.families import FAMILY_ORDER, family_order
from forceplan.audit.plan import audit_plan
from forceplan.audit.verdict import MAX_LISTED, RTOL, AuditReport, Checks, FamilyResult
from forceplan.audit.workbook import WORKBOOK_FAMILIES, WorkbookAudit, audit_workbook

__all__ = [
    "FAMILY_ORDER",
    "MAX_LISTED",
    "PLAN_KEYS",
    "RTOL",
    "WORKBOOK_FAMILIES",
    "AuditReport",
    "Checks",
    "FamilyResult",
    "WorkbookAudit",
    "audit_plan",
    "audit_workbook",
    "family_order",
]
