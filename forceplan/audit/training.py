"""Training (C1, and C2 courses that take years, MODEL.md §3, §8.3): trainees from gross
flows, seats against capacity plus expansion, with the derived columns of Plan_Training.

C2 has no verdict family of its own: its seats (everyone on the course that year) are C1's
capacity rows, its load and instructor posts are in P2 (personnel).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan.audit import context as cx
from forceplan.audit import money as am
from forceplan.audit.context import Context
from forceplan.audit.prices import rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("C1", "D:Plan_Training")
BOUND_KINDS = {("C1", "expansion cap")}
INVOLVES = {"C1": ("pc", "Plan_Training", ("course",), ("trainees", "expansion"), ())}


def derive(ctx: Context) -> None:
    _derive_trainees(ctx)


def check(ctx: Context, checks: Checks) -> None:
    _c1_courses(ctx, checks)
    _derived_training(ctx, checks)


def cost_terms(ctx: Context) -> list[pd.DataFrame]:
    """MODEL.md §7.5: course cost on TR, expansion on EXP (line training)."""
    pc = ctx.pc
    return [
        am.terms(pc, "training", pc["cost"] * pc["trainees"]),
        am.terms(pc, "training", pc["expansion_cost"] * pc["expansion"]),
    ]


def _derive_trainees(ctx: Context) -> None:
    """Trainees per course and year from gross flows (MODEL.md §7.4), seats added so far."""
    pp, pt, pc = ctx.pp, ctx.pt, ctx.pc
    takers = pp[["year", "accessions", "acc_courses"]].explode("acc_courses")
    takers = takers.dropna(subset=["acc_courses"])
    takers.columns = ["year", "flow", "course"]
    movers = pt[["year", "moved", "courses"]].explode("courses").dropna(subset=["courses"])
    movers.columns = ["year", "flow", "course"]
    cx.sum_into(pc, pd.concat([takers, movers]), ["course", "year"], "flow", "calc_trainees")
    pc["added"] = pc.groupby("course", sort=False)["expansion"].cumsum()
    window = [(1.0,) * cx.seat_years(d) for d in pc["duration"]]  # C2 seats
    pc["on_course"] = cx.lagged(pc, ["course"], "trainees", window)


def _c1_courses(ctx: Context, checks: Checks) -> None:
    pc = ctx.pc
    checks.touch("C1")
    if not len(pc):
        return
    labels = cx.label(pc, "course", "year")
    checks.add("C1", labels + ": trainees", pc["trainees"], "==", pc["calc_trainees"])
    checks.add("C1", labels + ": capacity", pc["on_course"], "<=", pc["capacity_in"] + pc["added"])
    checks.add(
        "C1", labels + ": expansion ≤ expansion_max", pc["expansion"], "<=", pc["expansion_max"]
    )


def _derived_training(ctx: Context, checks: Checks) -> None:
    pc, fid = ctx.pc, "D:Plan_Training"
    checks.touch(fid)
    if not len(pc):
        return
    labels = cx.label(pc, "course", "year")
    capacity = (pc["capacity_in"] + pc["added"]).to_numpy(dtype=float)
    cx.same(checks, fid, labels, pc, "capacity", capacity)  # blank = no limit (inf)
    trainees = pc["on_course"].to_numpy(dtype=float)  # C2: everyone on the course
    with np.errstate(divide="ignore", invalid="ignore"):
        use = np.where(capacity > 0, trainees / capacity, np.where(trainees == 0, 0.0, np.nan))
    use = np.where(np.isinf(capacity), np.inf, use)  # no limit: blank utilisation
    cx.same(checks, fid, labels, pc, "utilisation", use)


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    pc, out = ctx.pc, {}
    if not len(pc):
        return out
    lab = cx.label(pc, "course", "year")
    out[("C1", "expansion cap")] = rebuilt(lab, pc["expansion"], np.nan, pc["expansion_max"])
    out[("C1", "trainees")] = rebuilt(
        lab, pc["trainees"] - pc["calc_trainees"], 0.0, 0.0, pc["trainees"]
    )
    out[("C1", "capacity")] = rebuilt(  # C2 (§8.3): everyone on the course that year
        lab, pc["on_course"] - pc["added"], np.nan, pc["capacity_in"], pc["on_course"]
    )
    return out
