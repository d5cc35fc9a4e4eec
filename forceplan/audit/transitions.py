"""Moves between classes (T1, MODEL.md §3): the per-year cap and the share of the
destination, with the derived column of Plan_Transitions (`lost`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan.audit import context as cx
from forceplan.audit import money as am
from forceplan.audit.context import CLASS, Context
from forceplan.audit.prices import rebuilt
from forceplan.audit.verdict import Checks

REPORTS = ("T1", "D:Plan_Transitions")
BOUND_KINDS = {("T1", "per-year cap")}


def check(ctx: Context, checks: Checks) -> None:
    _t1_transitions(ctx, checks)
    _derived_transitions(ctx, checks)


def cost_terms(ctx: Context) -> list[pd.DataFrame]:
    """MODEL.md §7.5: transition cost on M (line training)."""
    return [am.terms(ctx.pt, "training", ctx.pt["cost"] * ctx.pt["moved"])]


def _t1_transitions(ctx: Context, checks: Checks) -> None:
    pt = ctx.pt
    checks.touch("T1")
    if not len(pt):
        return
    labels = cx.arc_label(pt)
    checks.add("T1", labels + ": ≤ max_per_year", pt["moved"], "<=", pt["max_per_year"])
    dest = pt[["to_trade", "to_grade", "year"]].merge(
        ctx.pp[[*CLASS, "year", "strength"]],
        left_on=["to_trade", "to_grade", "year"],
        right_on=[*CLASS, "year"],
        how="left",
    )
    share = pt["max_share"].to_numpy()
    with np.errstate(invalid="ignore"):  # inf × 0 where the share is unbounded
        rhs = np.where(np.isfinite(share), share * dest["strength"].to_numpy(), np.inf)
    checks.add("T1", labels + ": ≤ share × destination", pt["moved"], "<=", rhs)


def _derived_transitions(ctx: Context, checks: Checks) -> None:
    pt = ctx.pt
    checks.touch("D:Plan_Transitions")
    if len(pt):
        cx.same(
            checks, "D:Plan_Transitions", cx.arc_label(pt), pt, "lost", pt["loss"] * pt["moved"]
        )


def constraint_rows(ctx: Context) -> dict[tuple[str, str], pd.DataFrame]:
    """T1: the per-year cap (a bound of M) and M - share · S[destination] <= 0."""
    pt, out = ctx.pt, {}
    if not len(pt):
        return out
    arcs = cx.arc_label(pt)
    out[("T1", "per-year cap")] = rebuilt(arcs, pt["moved"], np.nan, pt["max_per_year"])
    dest = (
        pt[["to_trade", "to_grade", "year"]]
        .merge(
            ctx.pp[[*CLASS, "year", "strength"]],
            left_on=["to_trade", "to_grade", "year"],
            right_on=[*CLASS, "year"],
            how="left",
        )["strength"]
        .to_numpy()
    )
    share = pt["max_share"].fillna(np.inf).to_numpy()
    with np.errstate(invalid="ignore"):
        body = pt["moved"].to_numpy() - np.where(np.isfinite(share), share * dest, 0.0)
    out[("T1", "share of destination")] = rebuilt(arcs, body, np.nan, 0.0, dest)
    return out
