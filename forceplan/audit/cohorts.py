"""Service limits (P10 cohorts, MODEL.md §8.2), re-derived from the inputs and the Plan_
tables alone (never from forceplan.model).

- P10: Plan_Cohorts must list every cohort (class with max_service_years × years served ×
  year); the cohorts sum to the class strength, cohort 0 is the year's arrivals, a cohort
  never grows as it ages (P9 per cohort), the year's leavers are the leaving cohort plus
  what the younger cohorts lost, and `leaving` is the last cohort's strength.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from forceplan.audit.context import CLASS, Context
from forceplan.audit.verdict import Checks

REPORTS = ("P10", "D:Plan_Cohorts")  # and P9 per cohort (reported with careers)


# --- P10 ---------------------------------------------------------------------------------


def _limits(inputs: Any) -> dict[tuple[str, str], tuple[int, list[float]]]:
    """Class -> (K, initial strength by years served) for classes with max_service_years."""
    given: dict[tuple[str, str], dict[int, float]] = {}
    for r in inputs["PersonnelCohorts"] if "PersonnelCohorts" in inputs.tables else ():
        given.setdefault((r["trade"], r["grade"]), {})[int(r["years_served"])] = float(
            r["strength"] or 0.0
        )
    out = {}
    for r in inputs["Personnel"]:
        k = r.get("max_service_years")
        if k is None:
            continue
        p, k = (r["trade"], r["grade"]), int(k)
        init = float(r["initial_strength"] or 0.0)
        rows = given.get(p)
        out[p] = (k, [rows.get(j, 0.0) for j in range(k)] if rows else [init / k] * k)
    return out


def check(ctx: Context, checks: Checks) -> None:
    """P10 and P9 per cohort; `ctx.pp` is the audit's class × year frame (with the plan's
    strength, accessions, separations and the derived moves)."""
    tables = ctx.tables
    limits = _limits(ctx.inputs)
    checks.touch("P10")
    checks.touch("D:Plan_Cohorts")
    if not limits:
        return
    plan = tables.get("Plan_Cohorts")
    if plan is None:
        checks.flag("ROWS", ["Plan_Cohorts missing: classes have max_service_years"])
        return
    cohorts = plan.copy()
    for col in ("years_served", "year", "strength", "leaving"):
        cohorts[col] = pd.to_numeric(cohorts[col], errors="coerce")
    cohorts["trade"] = cohorts["trade"].astype(str)
    cohorts["grade"] = cohorts["grade"].astype(str)
    value = {
        (t, g, int(k), int(y)): (s, lv)
        for t, g, k, y, s, lv in zip(
            cohorts["trade"],
            cohorts["grade"],
            cohorts["years_served"].fillna(-1),
            cohorts["year"].fillna(-1),
            cohorts["strength"],
            cohorts["leaving"],
            strict=True,
        )
    }
    pp = ctx.pp.set_index([*CLASS, "year"])
    y0 = ctx.y0
    missing: list[str] = []
    rows: dict[str, list[tuple[str, float, float]]] = {"sum": [], "enter": [], "exit": []}
    ages: list[tuple[str, float, float]] = []
    shares: list[tuple[str, float, float]] = []
    leaving: list[tuple[str, float, float]] = []
    for p, (k_max, init) in limits.items():
        sc: dict[tuple[int, int], float] = {}
        for y in ctx.years:
            for k in range(k_max):
                got = value.get((p[0], p[1], k, y))
                if got is None:
                    missing.append(f"Plan_Cohorts: no row {p[0]}/{p[1]} years_served {k} {y}")
                    sc[(k, y)] = math.nan
                    continue
                sc[(k, y)] = float(got[0])
                lv = float(got[1]) if got[1] == got[1] else math.nan
                label = f"{p[0]}/{p[1]} {y} k={k}: leaving"
                leaving.append((label, lv, sc[(k, y)] if k == k_max - 1 else 0.0))
        for y in ctx.years:
            row = pp.loc[(p[0], p[1], y)]
            a = 1.0 - float(row["attr"])
            start = [init[k] if y == y0 else sc[(k, y - 1)] for k in range(k_max)]
            surv = [a * s for s in start]
            lab = f"{p[0]}/{p[1]} {y}"
            total = sum(sc[(k, y)] for k in range(k_max))
            rows["sum"].append((lab + ": Σ cohorts = strength", total, float(row["strength"])))
            arrivals = (1 - float(row["fyattr"])) * float(row["accessions"]) + float(
                row["calc_moves_in"]
            )
            rows["enter"].append((lab + ": cohort 0 = arrivals", sc[(0, y)], arrivals))
            younger = sum(surv[k - 1] - sc[(k, y)] for k in range(1, k_max))
            leavers = float(row["separations"]) + float(row["calc_moves_out"])
            rows["exit"].append(
                (lab + ": leavers = leaving cohort + younger leavers", leavers, surv[-1] + younger)
            )
            for k in range(1, k_max):
                ages.append((f"{lab} k={k}: cohort ≤ its survivors", sc[(k, y)], surv[k - 1]))
            elig = float(row["elig"])
            if elig < 1:
                free = sum(min(elig * surv[k], surv[k] - sc[(k + 1, y)]) for k in range(k_max - 1))
                shares.append(
                    (
                        lab + ": moves out ≤ eligible + leaving cohort",
                        row["calc_moves_out"],
                        free + surv[-1],
                    )
                )
    checks.flag("ROWS", missing)
    for name, sense in (("sum", "=="), ("enter", "=="), ("exit", "==")):
        _add(checks, "P10", rows[name], sense)
    _add(checks, "P9", ages, "<=")
    _add(checks, "P9", shares, "<=")
    _add(checks, "D:Plan_Cohorts", leaving, "==")


def _add(checks: Any, fid: str, rows: list[tuple[str, float, float]], sense: str) -> None:
    if not rows:
        checks.touch(fid)
        return
    labels, lhs, rhs = zip(*rows, strict=True)
    lhs = np.array(lhs, dtype=float)
    rhs = np.array(rhs, dtype=float)
    rhs = np.where(np.isnan(rhs), 0.0, rhs)  # a missing cohort shows as a NaN lhs instead
    checks.add(fid, np.array(labels, dtype=object), lhs, sense, rhs)
