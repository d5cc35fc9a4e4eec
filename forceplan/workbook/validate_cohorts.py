"""Checks of service limits (MODEL.md §8.2, P10) that compare cells.

- `PersonnelCohorts` rows for a class without `max_service_years`, and a `years_served`
  at or above the class's limit, are errors at the cell;
- the cohort strengths of a class must sum to its `initial_strength` (error naming both
  the initial_strength cell and the strength cells);
- a class with a service limit must have a way out at its limit: a class whose
  `separation_max` is 0 in every year (after PersonnelYears) and which has no Transitions
  arc out is an error at its max_service_years cell (its leaving cohort could not leave).
(`max_service_years` < 1 or not whole is rejected by the schema like any other range.)
"""

from __future__ import annotations

import math
from typing import Any

from forceplan.inputs import Inputs

Class = tuple[str, str]
_RTOL = 1e-9


def check_cohorts(inputs: Inputs, out: Any, horizon_ok: bool) -> None:
    """Add the service-limit issues to `out` (validate._Collector)."""
    personnel = inputs["Personnel"]
    if not personnel.present:
        return
    limits: dict[Class, Any] = {}
    for rec in personnel:
        if rec.get("max_service_years") is not None and rec.get("trade") and rec.get("grade"):
            limits.setdefault((rec["trade"], rec["grade"]), rec)
    _cohort_rows(inputs, limits, out)
    if horizon_ok:
        _way_out(inputs, limits, out)


def _cohort_rows(inputs: Inputs, limits: dict[Class, Any], out: Any) -> None:
    table = inputs["PersonnelCohorts"]
    personnel = inputs["Personnel"]
    by_class: dict[Class, list[Any]] = {}
    for rec in table:
        p = (rec.get("trade"), rec.get("grade"))
        if p not in limits:
            if any(p == (r.get("trade"), r.get("grade")) for r in personnel):
                out.error(
                    table,
                    rec,
                    "trade",
                    f"class {p[0]}/{p[1]} has no max_service_years on Personnel: cohorts by "
                    "years served exist only for classes with a service limit; give the "
                    "limit or delete the row",
                )
            continue
        k, served = int(limits[p]["max_service_years"]), rec.get("years_served")
        if isinstance(served, int) and served >= k:
            out.error(
                table,
                rec,
                "years_served",
                f"years_served {served} is not below max_service_years {k} of class "
                f"{p[0]}/{p[1]} ({personnel.where(limits[p], 'max_service_years')}): "
                f"cohorts are 0 … {k - 1}; those at the limit leave in the first year",
            )
        by_class.setdefault(p, []).append(rec)
    for p, recs in by_class.items():
        total = sum(float(r.get("strength") or 0.0) for r in recs)
        init = float(limits[p].get("initial_strength") or 0.0)
        if abs(total - init) > _RTOL * max(1.0, abs(init)):
            cells = ", ".join(table.where(r, "strength") for r in recs)
            out.error(
                table,
                recs[0],
                "strength",
                f"the cohort strengths of {p[0]}/{p[1]} ({cells}) sum to {total:,.6g}, but "
                f"its initial_strength ({personnel.where(limits[p], 'initial_strength')}) is "
                f"{init:,.6g}: they must be equal",
            )


def _way_out(inputs: Inputs, limits: dict[Class, Any], out: Any) -> None:
    personnel = inputs["Personnel"]
    leaving = {(r.get("from_trade"), r.get("from_grade")) for r in inputs["Transitions"]}
    overrides: dict[Class, list[float | None]] = {}
    for rec in inputs["PersonnelYears"]:
        p = (rec.get("trade"), rec.get("grade"))
        overrides.setdefault(p, []).append(rec.get("separation_max"))
    years = len(inputs.years)
    for p, rec in limits.items():
        if p in leaving:
            continue
        class_cap = rec.get("separation_max")
        class_cap = math.inf if class_cap is None else float(class_cap)
        given = [v for v in overrides.get(p, []) if v is not None]
        caps = given + ([class_cap] if len(given) < years else [])
        if caps and all(float(v) <= 0 for v in caps):
            out.error(
                personnel,
                rec,
                "max_service_years",
                f"class {p[0]}/{p[1]} has a service limit but no way out at it: its "
                f"separation_max is 0 ({personnel.where(rec, 'separation_max')}) and no "
                "Transitions arc leaves it; allow separations or add a re-enlistment arc",
            )
