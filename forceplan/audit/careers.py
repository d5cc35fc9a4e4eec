"""Careers and the end of the horizon (P9, P11, P12, E3, MODEL.md §8.1, §8.4, §8.5):
no same-year chains, accession steps, and a last year that can be repeated for ever.

P9 of classes with a service limit is checked per cohort by the cohorts family.
"""

from __future__ import annotations

import math

from forceplan.audit import context as cx
from forceplan.audit.context import CLASS, Context
from forceplan.audit.verdict import Checks

REPORTS = ("P9", "P11", "P12", "E3")


def check(ctx: Context, checks: Checks) -> None:
    _p9_time_in_grade(ctx, checks)
    _p11_accession_steps(ctx, checks)
    _p12_steady(ctx, checks)
    _e3_steady(ctx, checks)


def _p9_time_in_grade(ctx: Context, checks: Checks) -> None:
    pp = ctx.pp[ctx.pp["max_service"].isna()]  # cohort classes: P9 per cohort (P10 audit)
    labels = cx.label(pp, *CLASS, "year")
    survivors = (1 - pp["attr"]) * pp["prev"]
    leavers = pp["calc_moves_out"] + pp["separations"]
    checks.add("P9", labels + ": moves out + separations ≤ survivors", leavers, "<=", survivors)
    some = pp["elig"] < 1
    checks.add(
        "P9",
        labels[some] + ": moves out ≤ move_eligible_share × survivors",
        pp.loc[some, "calc_moves_out"],
        "<=",
        pp.loc[some, "elig"] * survivors[some],
    )


def _p11_accession_steps(ctx: Context, checks: Checks) -> None:
    pp = ctx.pp
    checks.touch("P11")
    before = pp.groupby(CLASS, sort=False)["accessions"].shift(1)
    later = pp["year"] != ctx.y0
    step = pp["step_max"].where(later, math.inf)
    labels = cx.label(pp, *CLASS, "year")
    checks.add("P11", labels + ": rise ≤ accession_step_max", pp["accessions"] - before, "<=", step)
    checks.add("P11", labels + ": fall ≤ accession_step_max", before - pp["accessions"], "<=", step)
    cap = float(ctx.settings.get("accession_step_max_total", math.inf) or 0.0)
    total = pp.groupby("year", sort=True)["accessions"].sum()
    change = total.diff().iloc[1:]
    years = [f"all classes {y}" for y in change.index]
    checks.add("P11", [y + ": rise ≤ total" for y in years], change.to_numpy(), "<=", cap)
    checks.add("P11", [y + ": fall ≤ total" for y in years], -change.to_numpy(), "<=", cap)


def _steady(ctx: Context) -> bool:
    return (ctx.settings.get("terminal") or "none") == "steady"


def _p12_steady(ctx: Context, checks: Checks) -> None:
    checks.touch("P12")
    if not _steady(ctx):
        return
    pp = ctx.pp[ctx.pp["year"] == ctx.years[-1]]
    flows = (
        (1 - pp["fyattr"]) * pp["accessions"]
        + pp["calc_moves_in"]
        - pp["calc_moves_out"]
        - pp["separations"]
    )
    labels = cx.label(pp, *CLASS, "year") + ": flows replace attrition"
    checks.add("P12", labels, flows, "==", pp["attr"] * pp["strength"], pp["strength"])


def _e3_steady(ctx: Context, checks: Checks) -> None:
    checks.touch("E3")
    if not _steady(ctx) or not len(ctx.pe):
        return
    pe = ctx.pe[ctx.pe["year"] == ctx.years[-1]]
    renewal = pe["orders"] + pe["donations"] + pe["scheduled"]
    labels = cx.label(pe, "equipment", "year") + ": renewal ≥ wear-out"
    checks.add("E3", labels, renewal, ">=", pe["attr"] * pe["stock"])
