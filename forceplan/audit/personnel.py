"""Personnel (P1-P6, MODEL.md §3): the strength balance, manning, the class caps and the
strength and limited-duty limits, with the derived columns of Plan_Personnel.

`derive` adds to the class × year frame the flows the rows read: last year's strength,
moves in (net of loss) and out, attrition, the training load (C2 shares of earlier
entrants, §8.3) and the requirement (unit posts + direct posts + instructor posts).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from forceplan.audit import context as cx
from forceplan.audit import money as am
from forceplan.audit.context import ARC, CLASS, Context
from forceplan.audit.prices import nz, rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("P1", "P2", "P3", "P4", "P5", "P6", "D:Plan_Personnel")
#: Plan_Constraints rows that are a variable's own bounds (value = the plan's decision)
BOUND_KINDS = {
    ("P3", "class cap"),
    ("P4", "class limits"),
    ("P5", "class limits"),
    ("P6", "strength limits"),
    ("P6", "limited-duty cap"),
}
_ROW = ("pp", "Plan_Personnel", ("trade", "grade"))
#: family -> (frame, Plan_ sheet, keys, columns of the row a failing row reads, columns of
#: the previous year's row it reads): the cells named as "most likely edited"
INVOLVES = {
    "P1": (*_ROW, ("strength", "accessions", "separations"), ("strength",)),
    "P2": (*_ROW, ("strength", "overstrength", "limited_duty", "shortfall", "accessions"), ()),
    "P3": (*_ROW, ("overstrength",), ()),
    "P4": (*_ROW, ("accessions",), ()),
    "P5": (*_ROW, ("separations",), ()),
    "P6": (*_ROW, ("strength", "limited_duty"), ()),
}


def derive(ctx: Context) -> None:
    _derive_flows(ctx)
    _derive_requirement(ctx)


def check(ctx: Context, checks: Checks) -> None:
    _p1_balance(ctx, checks)
    _p2_manning(ctx, checks)
    _p3_overstrength(ctx, checks)
    _p4_accessions(ctx, checks)
    _p5_separations(ctx, checks)
    _p6_limits(ctx, checks)
    _derived_personnel(ctx, checks)


def cost_terms(ctx: Context) -> list[pd.DataFrame]:
    """MODEL.md §7.5: pay, overstrength and limited duty (personnel), recruiting, separation."""
    pp = ctx.pp
    return [
        am.terms(pp, "personnel", pp["annual_cost"] * pp["strength"]),
        am.terms(pp, "personnel", pp["overstrength_cost"] * pp["overstrength"]),
        am.terms(pp, "personnel", pp["ld_cost"] * pp["limited_duty"]),
        am.terms(pp, "recruiting", pp["accession_cost"] * pp["accessions"]),
        am.terms(pp, "separation", pp["separation_cost"] * pp["separations"]),
    ]


def _derive_flows(ctx: Context) -> None:
    """Strength flows per class and year: moves in (net of loss) and out, training load."""
    pp, pt = ctx.pp, ctx.pt
    pp["prev"] = cx.previous(pp, CLASS, "strength", ctx.y0)
    pt["net_in"] = (1 - pt["loss"]) * pt["moved"]
    pt["in_load"] = cx.lagged(pt, ARC, "moved", list(pt["load"]))  # C2 (§8.3)
    into = pt.rename(columns={"to_trade": "trade", "to_grade": "grade"})
    out_of = pt.rename(columns={"from_trade": "trade", "from_grade": "grade"})
    cx.sum_into(pp, into, [*CLASS, "year"], "net_in", "calc_moves_in")
    cx.sum_into(pp, out_of, [*CLASS, "year"], "moved", "calc_moves_out")
    cx.sum_into(pp, into, [*CLASS, "year"], "in_load", "arc_load")
    acc_load = pp["acc_courses"].map(lambda cs: cx.profile(ctx.durations, cs))
    own = cx.lagged(pp, CLASS, "accessions", list(acc_load))
    pp["calc_training_load"] = own + pp["arc_load"]
    pp["calc_attrition"] = pp["attr"] * pp["prev"] + pp["fyattr"] * pp["accessions"]


def _derive_requirement(ctx: Context) -> None:
    """Requirement R per class and year: unit posts + direct posts + instructor posts."""
    pp, pc, pu = ctx.pp, ctx.pc, ctx.pu
    fill = float(ctx.settings.get("unit_fill_rate") or 1.0)
    posts = cx.records(ctx.inputs, "Manning").merge(
        pu[["unit_type", "year", "units"]], on="unit_type"
    )
    posts["need"] = fill * cx.num(posts["personnel"]).fillna(0.0) * posts["units"]
    cx.sum_into(pp, posts, [*CLASS, "year"], "need", "unit_posts")
    teach = pc[(pc["instructor_trade"] != "") & (pc["instructor_grade"] != "")].copy()
    teach = teach[np.isfinite(teach["per_instructor"])]
    shares = [  # C2 (§8.3): posts follow each year's load; one term for d ≤ 1 as in v1
        tuple(x / n for x in cx.load(d))
        for d, n in zip(teach["duration"], teach["per_instructor"], strict=True)
    ]
    teach["need"] = cx.lagged(teach, ["course"], "trainees", shares)
    teach = teach.rename(columns={"instructor_trade": "trade", "instructor_grade": "grade"})
    cx.sum_into(pp, teach, [*CLASS, "year"], "need", "instructor_posts")
    pp["calc_requirement"] = pp["unit_posts"] + pp["req_direct"] + pp["instructor_posts"]


def _p1_balance(ctx: Context, checks: Checks) -> None:
    pp = ctx.pp
    rhs = (
        (1 - pp["attr"]) * pp["prev"]
        + (1 - pp["fyattr"]) * pp["accessions"]
        + pp["calc_moves_in"]
        - pp["calc_moves_out"]
        - pp["separations"]
    )
    checks.add("P1", cx.label(pp, *CLASS, "year"), pp["strength"], "==", rhs)


def _p2_manning(ctx: Context, checks: Checks) -> None:
    pp = ctx.pp
    labels = cx.label(pp, *CLASS, "year")
    shortfall = pp["shortfall"].fillna(0.0) if ctx.elastic else 0.0
    rhs = (
        pp["calc_requirement"]
        + pp["calc_training_load"]
        + pp["overstrength"]
        + (1 - pp["ld_avail"]) * pp["limited_duty"]
        - shortfall
    )
    checks.add("P2", labels, pp["strength"], "==", rhs)
    cx.shortfall_zero(ctx, checks, "P2", pp, labels)


def _class_caps(
    ctx: Context, checks: Checks, fid: str, column: str, lo: str | None, hi: str, total_key: str
) -> None:
    pp = ctx.pp
    labels = cx.label(pp, *CLASS, "year")
    if lo is not None:
        checks.add(fid, labels + f": {column} ≥ minimum", pp[column], ">=", pp[lo])
    checks.add(fid, labels + f": {column} ≤ maximum", pp[column], "<=", pp[hi])
    cap = float(ctx.settings.get(total_key, math.inf))
    totals = pp.groupby("year", sort=True)[column].sum()
    checks.add(
        fid,
        [f"all classes {y}: Σ {column} ≤ {total_key}" for y in totals.index],
        totals.to_numpy(),
        "<=",
        cap,
    )


def _p3_overstrength(ctx: Context, checks: Checks) -> None:
    _class_caps(
        ctx, checks, "P3", "overstrength", None, "overstrength_max", "overstrength_max_total"
    )


def _p4_accessions(ctx: Context, checks: Checks) -> None:
    _class_caps(ctx, checks, "P4", "accessions", "acc_min", "acc_max", "accession_max_total")


def _p5_separations(ctx: Context, checks: Checks) -> None:
    _class_caps(ctx, checks, "P5", "separations", "sep_min", "sep_max", "separation_max_total")


def _p6_limits(ctx: Context, checks: Checks) -> None:
    pp = ctx.pp
    labels = cx.label(pp, *CLASS, "year")
    ld = pp["limited_duty"]
    checks.add("P6", labels + ": limited_duty ≤ limited_duty_max", ld, "<=", pp["ld_max"])
    checks.add("P6", labels + ": limited_duty ≥ limited_duty_min", ld, ">=", pp["ld_min"])
    share = pp["ld_share_min"] > 0
    checks.add(
        "P6",
        labels[share] + ": limited_duty ≥ limited_duty_share_min × strength",
        ld[share],
        ">=",
        pp.loc[share, "ld_share_min"] * pp.loc[share, "strength"],
    )
    checks.add("P6", labels + ": limited_duty ≤ strength", ld, "<=", pp["strength"])
    checks.add("P6", labels + ": strength ≥ min_strength", pp["strength"], ">=", pp["min_strength"])
    checks.add("P6", labels + ": strength ≤ max_strength", pp["strength"], "<=", pp["max_strength"])


def _derived_personnel(ctx: Context, checks: Checks) -> None:
    pp, fid = ctx.pp, "D:Plan_Personnel"
    labels = cx.label(pp, *CLASS, "year")
    for column in ("requirement", "training_load", "attrition", "moves_in", "moves_out"):
        cx.same(checks, fid, labels, pp, column, pp[f"calc_{column}"])


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    """P1-P6 rows of Plan_Constraints as the model hands them to the solver."""
    out: dict[tuple[str, str], pd.DataFrame] = {}
    pp = ctx.pp
    cls = cx.label(pp, *CLASS, "year")
    s = pp["strength"]
    # bound families: the value is a plan decision, the bounds are input limits
    out[("P3", "class cap")] = rebuilt(cls, pp["overstrength"], np.nan, pp["overstrength_max"])
    out[("P4", "class limits")] = rebuilt(cls, pp["accessions"], nz(pp["acc_min"]), pp["acc_max"])
    out[("P5", "class limits")] = rebuilt(cls, pp["separations"], nz(pp["sep_min"]), pp["sep_max"])
    out[("P6", "strength limits")] = rebuilt(cls, s, nz(pp["min_strength"]), pp["max_strength"])
    out[("P6", "limited-duty cap")] = rebuilt(  # §8.4: limited_duty_min is L's lower bound
        cls, pp["limited_duty"], nz(pp["ld_min"]), pp["ld_max"]
    )
    # P1: S - (1-attr) S[y-1] - (1-fyattr) A - moves in + moves out + X = (1-attr) initial
    first = (pp["year"] == ctx.y0).to_numpy()
    carried = np.where(first, 0.0, (1 - pp["attr"]) * pp["prev"])
    base = np.where(first, (1 - pp["attr"]) * pp["init"], 0.0)
    body = (
        s
        - carried
        - (1 - pp["fyattr"]) * pp["accessions"]
        - pp["calc_moves_in"]
        + pp["calc_moves_out"]
        + pp["separations"]
    )
    out[("P1", "balance")] = rebuilt(cls, body, base, base, s)
    # P2: S - O - (1-avail) L - training load - unit and instructor posts (+SH) = direct posts
    body = (
        s
        - pp["overstrength"]
        - (1 - pp["ld_avail"].fillna(0.5)) * pp["limited_duty"].fillna(0.0)
        - pp["calc_training_load"]
        - pp["unit_posts"]
        - pp["instructor_posts"]
        + (pp["shortfall"].fillna(0.0) if ctx.elastic else 0.0)
    )
    out[("P2", "manning")] = rebuilt(cls, body, pp["req_direct"], pp["req_direct"], s)
    years = sorted(set(pp["year"]))
    totals = [f"all classes {y}" for y in years]
    for fid, col, key in (
        ("P3", "overstrength", "overstrength_max_total"),
        ("P4", "accessions", "accession_max_total"),
        ("P5", "separations", "separation_max_total"),
    ):
        cap = float(ctx.settings.get(key, math.inf) or math.inf)
        sums = pp.groupby("year")[col].sum().reindex(years).to_numpy()
        out[(fid, "total cap")] = rebuilt(totals, sums, np.nan, cap)
    ld = pp["limited_duty"].fillna(0.0)
    out[("P6", "limited duty ≤ strength")] = rebuilt(cls, ld - s, np.nan, 0.0, s)
    return out
