"""Audit of service limits (P10 cohorts, MODEL.md §8.2) and courses that take years (C2,
§8.3), re-derived from the inputs and the Plan_ tables alone (never from forceplan.model).

- C2: the training load, instructor posts and seats of a year count entrants of earlier
  years: `load(d)` is the share of each year after entry, `lagged` sums a column of earlier
  years of the same key with those shares.
- P10: Plan_Cohorts must list every cohort (class with max_service_years × years served ×
  year); the cohorts sum to the class strength, cohort 0 is the year's arrivals, a cohort
  never grows as it ages (P9 per cohort), the year's leavers are the leaving cohort plus
  what the younger cohorts lost, and `leaving` is the last cohort's strength.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

CLASS = ["trade", "grade"]


def load(duration: float) -> tuple[float, ...]:
    """Share of the j-th year after entry spent on a course of `duration` years."""
    if not duration > 1 or math.isinf(duration):
        return (duration,)
    return tuple(min(max(duration - j, 0.0), 1.0) for j in range(math.ceil(duration)))


def profile(durations: dict[str, float], courses: Iterable[str]) -> tuple[float, ...]:
    """Load per year after entry of a person taking `courses`, each spread on its own."""
    loads = [load(durations.get(c, 0.0)) for c in courses]
    width = max((len(x) for x in loads), default=1)
    return tuple(sum(x[j] for x in loads if j < len(x)) for j in range(width))


def seat_years(duration: float) -> int:
    return max(1, math.ceil(duration)) if math.isfinite(duration) else 1


def lagged(
    frame: pd.DataFrame, keys: list[str], value: str, coefs: Sequence[tuple[float, ...]]
) -> np.ndarray:
    """Σ_j coefs[row][j] · value of the same key j years earlier (frames list every year of
    a key in year order; before first_year: 0). With one coefficient: coef × value."""
    width = max((len(t) for t in coefs), default=1)
    total = np.zeros(len(frame))
    grouped = frame.groupby(keys, sort=False)[value] if width > 1 else None
    for j in range(width):
        coef = np.array([t[j] if j < len(t) else 0.0 for t in coefs], dtype=float)
        if j == 0:
            total = total + coef * frame[value].to_numpy(dtype=float)
        elif coef.any():
            past = grouped.shift(j).fillna(0.0).to_numpy(dtype=float)
            total = total + coef * past
    return total


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


def cohort_classes(inputs: Any) -> set[tuple[str, str]]:
    return set(_limits(inputs))


def check(ctx: Any, checks: Any, tables: dict[str, pd.DataFrame]) -> None:
    """P10 and P9 per cohort; `ctx.pp` is the audit's class × year frame (with the plan's
    strength, accessions, separations and the derived moves)."""
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
