"""The objective and the shortfalls (OBJ, SH, D:Plan_Shortfalls; MODEL.md §4, §5, §7.7).

- OBJ: the objective value equals Σ df·spend + df_T·committed_after_horizon (+ penalties,
  elastic mode) for min_cost (Σ capability − penalties for max_capability; the weighted
  metrics for custom);
- SH: elastic mode only, when a Plan_Shortfalls table is given: its amounts per
  constraint and year equal the shortfalls implied by the plan;
- D:Plan_Shortfalls: each listed penalty is the rate × the amount, its kind its
  constraint's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan import schema
from forceplan.audit import context as cx
from forceplan.audit.context import CLASS, Context
from forceplan.audit.verdict import Checks

#: shortfall constraint -> penalty kind (Plan_Shortfalls.kind)
SHORTFALL_KINDS = {
    "P2": "manning",
    "P7": "end_strength",
    "P8": "ratio",
    "U1": "units",
    "E2": "equipment",
    "B2": "funding",
}


def default_penalties(ctx: Context) -> dict[str, float]:
    """MODEL.md §7.7 defaults, overridden by the Penalties sheet."""
    pp, pe, pu = ctx.pp, ctx.pe, ctx.pu
    # §8.6: the highest value over the years of each per-year override; prices in base
    # currency at the highest rate of the horizon; no price index
    first = pp.groupby(CLASS, sort=False).agg(
        annual_cost=("annual_cost", "max"),
        accession_cost=("accession_cost", "max"),
        separation_cost=("separation_cost", "first"),
        overstrength_cost=("overstrength_cost", "first"),
        ld_cost=("ld_cost", "first"),
    )
    first = first.reset_index()
    person_cols = ["annual_cost", "accession_cost", "separation_cost", "overstrength_cost"]
    per_class = first[person_cols].sum(axis=1) + first["ld_cost"]
    c_person = float(per_class.max()) if len(first) else 0.0
    c_person += float(ctx.pt["cost"].max()) if len(ctx.pt) else 0.0
    c_person += float(ctx.pc["cost"].max()) if len(ctx.pc) else 0.0
    money = ctx.money
    top = pe.groupby("equipment", sort=False).agg(
        price=("price", "max"), om=("om_cost", "max"), currency=("currency", "first")
    )
    top_rate = [max(money.rate(money.currency(c), y) for y in ctx.years) for c in top["currency"]]
    item = top["price"] * np.array(top_rate, dtype=float) + top["om"]
    c_equip = float(item.max()) if len(item) else 0.0
    c_unit = 0.0
    annual = dict(
        zip(zip(first["trade"], first["grade"], strict=True), first["annual_cost"], strict=True)
    )
    manning = cx.records(ctx.inputs, "Manning")
    equipping = cx.records(ctx.inputs, "Equipping")
    units = pu.groupby("unit_type", sort=False).agg(
        om_cost=("om_cost", "max"),
        activation_cost=("activation_cost", "first"),
        disbandment_cost=("disbandment_cost", "first"),
    )
    for rec in units.reset_index().itertuples(index=False):
        crew = manning[manning["unit_type"] == rec.unit_type]
        kit = equipping[equipping["unit_type"] == rec.unit_type]
        value = rec.om_cost + rec.activation_cost + rec.disbandment_cost
        value += sum(
            float(q) * annual[(t, g)]
            for t, g, q in zip(crew["trade"], crew["grade"], crew["personnel"], strict=True)
        )
        value += sum(
            float(q) * float(item[e])
            for e, q in zip(kit["equipment"], kit["quantity"], strict=True)
        )
        c_unit = max(c_unit, value)
    out = schema.default_penalties(c_person, c_equip, c_unit)
    for rec in ctx.inputs.tables["Penalties"]:
        if rec.get("penalty") is not None:
            out[rec["kind"]] = float(rec["penalty"])
    return out


def shortfalls(ctx: Context) -> dict[str, float]:
    """Total shortfall per penalty kind (elastic mode; 0 otherwise)."""
    if not ctx.elastic:
        return dict.fromkeys(
            ("manning", "end_strength", "ratio", "units", "equipment", "funding"), 0.0
        )
    p7, p8 = ctx.implied["P7"], ctx.implied["P8"]
    gap = 0.0
    if ctx.funding is not None:
        # a difference of large values: spend and the allocations paid for it (~1e12 UAH,
        # float64 spacing 1e-4) differ by rounding; only a gap beyond 1e-9 of their size
        # is one (austere example: 1e-4 UAH made a plan without shortfalls "with")
        spend = ctx.pb["spend"]
        rows = spend - ctx.pb["paid"]
        gap = float(rows.where(rows > 1e-9 * spend.abs().clip(lower=1.0), 0.0).sum())
    return {
        "manning": float(ctx.pp["shortfall"].fillna(0.0).sum()),
        "end_strength": float(p7["under"].sum() + p7["over"].sum()),
        "ratio": float(p8["low"].sum() + p8["high"].sum()),
        "units": float(ctx.pu["shortfall"].fillna(0.0).sum()),
        "equipment": float(ctx.pe["shortfall"].fillna(0.0).sum()),
        "funding": gap,
    }


def discounted_cost(ctx: Context) -> float:
    """The plan's cost: Σ df_y · spend[b, y] + df_T · Σ committed_after_horizon (MODEL.md
    §4, §8.7: payments after the horizon are liabilities, counted at the last year's
    discount factor)."""
    rate = float(ctx.settings.get("discount_rate") or 0.0)
    pb = ctx.pb
    discount = (1.0 + rate) ** -(pb["year"].astype(float) - ctx.y0)
    cost = float((discount * pb["spend"]).sum())
    last = (1.0 + rate) ** -(ctx.years[-1] - ctx.y0)  # payments after the horizon (§8.7)
    return cost + last * float(pb["committed_after_horizon"].fillna(0.0).sum())


def check_objective(ctx: Context, checks: Checks, value: float | None, name: str) -> None:
    checks.touch("OBJ")
    if value is None:
        return
    cost = discounted_cost(ctx)
    amounts = shortfalls(ctx)
    penalty = sum(ctx.penalties[k] * v for k, v in amounts.items())
    pu = ctx.pu
    capability = float((pu["capability"] * pu["units"]).sum())
    if name == "max_capability":
        expected = capability - penalty
    elif name == "custom":
        pp = ctx.pp
        metrics = {
            "cost": cost,
            "separations": float(pp["separations"].sum()),
            "accessions": float(pp["accessions"].sum()),
            "overstrength": float(pp["overstrength"].sum()),
            "capability": -capability,
            "shortfall": sum(amounts.values()),
        }
        weights = {r["metric"]: float(r["weight"] or 0.0) for r in ctx.inputs.tables["Objective"]}
        expected = sum(w * metrics[m] for m, w in weights.items()) + penalty
    else:
        expected = cost + penalty
    ctx.objective_value = expected  # the objective the plan implies (Plan_Summary's check)
    checks.add("OBJ", f"objective ({name})", value, "==", expected)


def check_listing(ctx: Context, checks: Checks, tables: dict[str, pd.DataFrame]) -> None:
    """Plan_Shortfalls (when given) against the shortfalls the plan implies, per id and year."""
    listing = tables.get("Plan_Shortfalls")
    if not ctx.elastic or listing is None:
        return
    # v: the shortfall the plan implies; s: the size of the values it is a difference of
    # (strength, units, stock, spending), which sets the tolerance of a near-zero shortfall
    people = ctx.pp.groupby("year")["strength"].sum()
    cols = ["c", "year", "v", "s"]
    implied = [
        ctx.pp.assign(c="P2", v=ctx.pp["shortfall"], s=ctx.pp["strength"])[cols],
        ctx.implied["P7"].assign(
            c="P7", v=lambda f: f["under"] + f["over"], s=lambda f: f["year"].map(people)
        )[cols],
        ctx.implied["P8"].assign(
            c="P8", v=lambda f: f["low"] + f["high"], s=lambda f: f["year"].map(people)
        )[cols],
        ctx.pu.assign(c="U1", v=ctx.pu["shortfall"], s=ctx.pu["units"])[cols],
        ctx.pe.assign(c="E2", v=ctx.pe["shortfall"], s=ctx.pe["stock"])[cols],
    ]
    if ctx.funding is not None:
        gap = (ctx.pb["spend"] - ctx.pb["paid"]).clip(lower=0.0)
        implied.append(ctx.pb.assign(c="B2", v=gap, s=ctx.pb["spend"])[cols])
    frame = pd.concat(implied, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame = frame.groupby(["c", "year"])[["v", "s"]].sum().reset_index()
    listed = listing.rename(columns={"constraint": "c", "amount": "listed"})
    listed = listed.assign(year=listed["year"].astype(int)).groupby(["c", "year"])["listed"].sum()
    merged = frame.merge(listed.reset_index(), on=["c", "year"], how="outer").fillna(0.0)
    merged["label"] = merged["c"] + " " + merged["year"].astype(int).astype(str)
    checks.add(
        "SH",
        merged["label"] + ": listed shortfall",
        merged["listed"],
        "==",
        merged["v"],
        merged["s"],
    )


def check_penalties(ctx: Context, checks: Checks, listing: pd.DataFrame | None) -> None:
    """D:Plan_Shortfalls: penalty = rate × amount, the kind of its constraint."""
    fid = "D:Plan_Shortfalls"
    checks.touch(fid)
    if listing is None or not len(listing):
        checks.passed(fid, ["Plan_Shortfalls: no rows"])
        return
    if not ctx.elastic:
        rows = [
            f"Plan_Shortfalls row {r}: a shortfall outside elastic mode"
            for r in range(2, len(listing) + 2)
        ]
        checks.flag(fid, rows)
        return
    frame = listing.reset_index(drop=True)
    rows = (frame.index + 2).astype(str)
    cols = [str(c) for c in frame.columns]
    amount = pd.to_numeric(frame.get("amount"), errors="coerce").to_numpy(dtype=float)
    penalty = pd.to_numeric(frame.get("penalty"), errors="coerce").to_numpy(dtype=float)
    kinds = frame.get("kind", pd.Series([""] * len(frame))).astype(str).to_numpy()
    ids = frame.get("constraint", pd.Series([""] * len(frame))).astype(str).to_numpy()
    want = np.array([ctx.penalties.get(k, np.nan) for k in kinds], dtype=float) * np.asarray(amount)
    letter = cx.col_letter(cols.index("penalty")) if "penalty" in cols else "?"
    labels = np.array([f"Plan_Shortfalls!{letter}{r} penalty = rate × amount" for r in rows])
    checks.add(fid, labels, penalty, "==", want)
    letter = cx.col_letter(cols.index("kind")) if "kind" in cols else "?"
    wrong = np.array([SHORTFALL_KINDS.get(c) != k for c, k in zip(ids, kinds, strict=True)])
    checks.add(
        fid,
        np.array([f"Plan_Shortfalls!{letter}{r} kind does not match its constraint" for r in rows]),
        wrong.astype(float),
        "<=",
        0.0,
    )
