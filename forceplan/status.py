"""One status vocabulary for every output: CLI, `history`, Plan_Run, the report, `show`.

The solver's own status (HiGHS: optimal, infeasible, time_limit, ...) says whether the LP
was solved; a planner needs to know whether the plan meets every requirement. An elastic
plan that prices 70 bn of shortfalls is the optimum of the elastic model, but it is not a
plan that meets the requirements, so it is never shown as plain "optimal".

The four words (also used by `forceplan audit` when it re-derives a plan's status):
- "optimal": proven optimal, every requirement met;
- "optimal with shortfalls": proven optimal in elastic mode, with shortfalls (named on
  Plan_Shortfalls);
- "not proven optimal": the solver stopped (time limit, iteration limit, no verdict,
  unbounded) without proving an optimum; a plan may still have been found;
- "infeasible": no plan meets every requirement.
"""

from __future__ import annotations

from typing import Any

OPTIMAL = "optimal"
WITH_SHORTFALLS = "optimal with shortfalls"
NOT_PROVEN = "not proven optimal"
INFEASIBLE = "infeasible"
LABELS = (OPTIMAL, WITH_SHORTFALLS, NOT_PROVEN, INFEASIBLE)

_INFEASIBLE_SOLVER = ("infeasible", "infeasible_or_unbounded")


def plan_status(solver_status: str | None, shortfalls: int = 0) -> str:
    """The plan's status from the solver's status and the number of non-zero shortfalls."""
    status = (solver_status or "").strip().lower()
    if status in LABELS:
        # already a label (a Plan_Run written by this version): the shortfalls still count
        if status == OPTIMAL and shortfalls:
            return WITH_SHORTFALLS
        return status
    if status == "optimal":
        return WITH_SHORTFALLS if shortfalls else OPTIMAL
    if status in _INFEASIBLE_SOLVER:
        return INFEASIBLE
    return NOT_PROVEN


def style(label: str) -> str:
    """Rich style of a label: green only for a plan that meets every requirement."""
    return {OPTIMAL: "green", WITH_SHORTFALLS: "yellow", NOT_PROVEN: "yellow"}.get(label, "red")


def badge_class(label: str) -> str:
    """CSS class of the report badge: `ok` (green) only for plain "optimal"."""
    return {OPTIMAL: "ok", WITH_SHORTFALLS: "warn", NOT_PROVEN: "warn"}.get(label, "bad")


def explain(label: str) -> str:
    """One sentence under the status."""
    return {
        OPTIMAL: "proven optimal; every requirement is met",
        WITH_SHORTFALLS: "proven optimal for the elastic model, but some requirements are "
        "NOT met: the shortfalls are priced and listed",
        NOT_PROVEN: "the solver stopped before proving an optimum: this plan may not be "
        "the best one",
        INFEASIBLE: "no plan meets every requirement",
    }.get(label, label)


def of_plan(run: dict[str, Any], shortfalls: int | None) -> str:
    """The label of a plan read back from its workbook: Plan_Run's `status` (a label since
    this vocabulary, a solver status in older plans) and the number of Plan_Shortfalls rows
    (a plan with shortfalls is never plain "optimal", whatever its status cell says)."""
    status = run.get("status")
    return plan_status(None if status is None else str(status), shortfalls or 0)
