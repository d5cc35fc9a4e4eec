"""Plan_Constraints re-checked without a solver: values, bounds, slacks, binding flags, prices.

Part of `forceplan.audit` (numpy/pandas only; it never imports the model). Three kinds of
checks, all in the family `D:Plan_Constraints`:

1. **Re-derived rows.** For every constraint family whose algebra the audit knows (the
   MODEL.md §3 families P1-P8, T1, C1, U1, E1, E2, B1-B3, in the form the model hands to
   the solver: variables on the left, constants moved into the bounds), each row's `value`,
   `lower` and `upper` are recomputed from the inputs and the plan's decisions and compared
   with the sheet (a row may be stored negated: `-upper <= -value <= -lower` is the same
   row). Rows of families the audit does not know (added by later versions) are counted
   and named in a note; they still get checks 2 and 3.
2. **Row arithmetic.** `slack` = min(value - lower, upper - value); `binding` is true when
   the slack is zero (to 1e-7 relative, as the writer decides it) and false when it is
   clearly positive.
3. **Prices (LP duality, no solver needed).** Complementary slackness: a row that does not
   bind has price 0. Dual feasibility: a row binding at its upper limit has a price of the
   sign that raising that limit can bring (<= 0 when minimising, >= 0 when maximising), a
   row binding at its lower limit the opposite sign; an equality row may have either. If
   the sheet has a `side` column (min | max | equal) the side must be one where the value
   sits and fixes the sign; `valid_from`/`valid_to` (ranging) must contain the limit.

What this cannot see: a binding row whose price is replaced by another value of the right
sign (e.g. ×10). The size of a price is fixed by the reduced-cost identity c − Aᵀy over
every column, which needs every row's coefficients — a second implementation of the
model; the ledger's per-sheet plan hashes (`forceplan audit PLAN` with the ledger present)
cover that edit instead. Ranging intervals are checked for consistency only: computing them
needs the solver's basis.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

#: Binding rule of the writer (forceplan.results.BINDING_RTOL); a row whose slack lies
#: between the two is accepted either way.
BINDING_RTOL = 1e-7
NOT_BINDING_RTOL = 1e-5
RTOL = 1e-6
SHEET = "Plan_Constraints"

#: Families whose constants (fixed spending, payments of earlier orders, money of the
#: year) may sit in the body or in the bounds: compared up to that constant (the row's
#: distance to each bound), which an edited value or bound still changes.
SHIFT_INVARIANT = {("B1", "spending"), ("B2", "spending covered"), ("B2", "source money")}

#: (id, kind) -> True for bound families (rows are a variable's own bounds).
BOUND_FAMILIES = {
    ("P3", "class cap"),
    ("P4", "class limits"),
    ("P5", "class limits"),
    ("P6", "strength limits"),
    ("P6", "limited-duty cap"),
    ("T1", "per-year cap"),
    ("C1", "expansion cap"),
    ("U1", "unit limits"),
    ("U1", "activation cap"),
    ("E1", "order cap"),
    ("E1", "donations on offer"),
    ("B3", "line limits"),
}


def _blank(x: Any) -> Any:
    return np.where(np.isfinite(np.asarray(x, dtype=float)), x, np.nan)


def _rows(labels: Any, value: Any, lower: Any, upper: Any, scale: Any = 0.0) -> pd.DataFrame:
    n = len(labels)
    frame = pd.DataFrame(
        {
            "index": np.asarray(labels, dtype=object),
            "e_value": np.broadcast_to(np.asarray(value, dtype=float), (n,)),
            "e_lower": np.broadcast_to(_blank(lower), (n,)),
            "e_upper": np.broadcast_to(_blank(upper), (n,)),
            "e_scale": np.broadcast_to(np.abs(np.asarray(scale, dtype=float)), (n,)),
        }
    )
    return frame


def _nz(x: pd.Series) -> pd.Series:
    """Lower bounds of 0 are sign restrictions: the writer leaves them blank."""
    x = pd.to_numeric(x, errors="coerce").astype(float)
    return x.where(x.fillna(0.0) != 0.0, np.nan)


def expected_rows(ctx: Any) -> dict[tuple[str, str], pd.DataFrame]:
    """Per (id, kind): the rows the audit can rebuild (index label, value, lower, upper)."""
    from forceplan import audit as a

    out: dict[tuple[str, str], pd.DataFrame] = {}
    pp, pt, pc, pu, pe, pb = ctx.pp, ctx.pt, ctx.pc, ctx.pu, ctx.pe, ctx.pb
    elastic = ctx.elastic
    cls = a._label(pp, *a.CLASS, "year")
    s = pp["strength"]
    # bound families: the value is a plan decision, the bounds are input limits
    out[("P3", "class cap")] = _rows(cls, pp["overstrength"], np.nan, pp["overstrength_max"])
    out[("P4", "class limits")] = _rows(cls, pp["accessions"], _nz(pp["acc_min"]), pp["acc_max"])
    out[("P5", "class limits")] = _rows(cls, pp["separations"], _nz(pp["sep_min"]), pp["sep_max"])
    out[("P6", "strength limits")] = _rows(cls, s, _nz(pp["min_strength"]), pp["max_strength"])
    out[("P6", "limited-duty cap")] = _rows(  # §8.4: limited_duty_min is L's lower bound
        cls, pp["limited_duty"], _nz(pp["ld_min"]), pp["ld_max"]
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
    out[("P1", "balance")] = _rows(cls, body, base, base, s)
    # P2: S - O - (1-avail) L - training load - unit and instructor posts (+SH) = direct posts
    body = (
        s
        - pp["overstrength"]
        - (1 - pp["ld_avail"].fillna(0.5)) * pp["limited_duty"].fillna(0.0)
        - pp["calc_training_load"]
        - pp["unit_posts"]
        - pp["instructor_posts"]
        + (pp["shortfall"].fillna(0.0) if elastic else 0.0)
    )
    out[("P2", "manning")] = _rows(cls, body, pp["req_direct"], pp["req_direct"], s)
    years = sorted(set(pp["year"]))
    totals = [f"all classes {y}" for y in years]
    for fid, col, key in (
        ("P3", "overstrength", "overstrength_max_total"),
        ("P4", "accessions", "accession_max_total"),
        ("P5", "separations", "separation_max_total"),
    ):
        cap = float(ctx.settings.get(key, math.inf) or math.inf)
        sums = pp.groupby("year")[col].sum().reindex(years).to_numpy()
        out[(fid, "total cap")] = _rows(totals, sums, np.nan, cap)
    ld = pp["limited_duty"].fillna(0.0)
    out[("P6", "limited duty ≤ strength")] = _rows(cls, ld - s, np.nan, 0.0, s)
    # P7, P8 (elastic: the implied shortfalls, as the audit's SH family uses them)
    # §8.4: a band per (year, component); implied P7 rows follow the EndStrength records
    p7 = ctx.implied.get("P7")
    if p7 is not None and len(p7):
        records = list(a._records(ctx.inputs, "EndStrength").itertuples())
        totals = {c: a._total_strength(ctx, c) for c in ("active", "reserve", "all")}
        words = {"active": "total", "reserve": "reserve total", "all": "all components total"}
        size = max(float(totals["all"].max()), 1.0)
        labels, lo_v, lo_b, hi_v, hi_b = [], [], [], [], []
        for rec, r in zip(records, p7.itertuples(index=False), strict=False):
            y, comp = int(r.year), getattr(rec, "component", None) or "active"
            t = float(totals[comp].get(y, 0.0))
            labels.append(f"{words[comp]} {y}")
            lo_v.append(t + (r.under if elastic else 0.0))
            lo_b.append(float(rec.min_total or 0.0))
            hi_v.append(t - (r.over if elastic else 0.0))
            hi_b.append(math.inf if rec.max_total is None else float(rec.max_total))
        out[("P7", "minimum")] = _rows(labels, lo_v, lo_b, np.inf, size)
        out[("P7", "maximum")] = _rows(labels, hi_v, -np.inf, hi_b, size)
    _ratio_rows(ctx, out)
    # T1 share: M - share · S[destination] <= 0
    if len(pt):
        arcs = a._arc_label(pt)
        out[("T1", "per-year cap")] = _rows(arcs, pt["moved"], np.nan, pt["max_per_year"])
        dest = (
            pt[["to_trade", "to_grade", "year"]]
            .merge(
                pp[[*a.CLASS, "year", "strength"]],
                left_on=["to_trade", "to_grade", "year"],
                right_on=[*a.CLASS, "year"],
                how="left",
            )["strength"]
            .to_numpy()
        )
        share = pt["max_share"].fillna(np.inf).to_numpy()
        with np.errstate(invalid="ignore"):
            body = pt["moved"].to_numpy() - np.where(np.isfinite(share), share * dest, 0.0)
        out[("T1", "share of destination")] = _rows(arcs, body, np.nan, 0.0, dest)
    if len(pc):
        lab = a._label(pc, "course", "year")
        out[("C1", "expansion cap")] = _rows(lab, pc["expansion"], np.nan, pc["expansion_max"])
        out[("C1", "trainees")] = _rows(
            lab, pc["trainees"] - pc["calc_trainees"], 0.0, 0.0, pc["trainees"]
        )
        out[("C1", "capacity")] = _rows(  # C2 (§8.3): everyone on the course that year
            lab, pc["on_course"] - pc["added"], np.nan, pc["capacity_in"], pc["on_course"]
        )
    if len(pu):
        lab = a._label(pu, "unit_type", "year")
        first = (pu["year"] == ctx.y0).to_numpy()
        floor = np.nan if elastic else _nz(pu["min_units"])
        out[("U1", "unit limits")] = _rows(lab, pu["units"], floor, pu["max_units"])
        out[("U1", "activation cap")] = _rows(lab, pu["activations"], np.nan, pu["activation_max"])
        prev = np.where(first, 0.0, pu["prev"])
        base = np.where(first, pu["init"], 0.0)
        body = pu["units"] - prev - pu["activations"] + pu["disbandments"]
        out[("U1", "balance")] = _rows(lab, body, base, base, pu["units"])
        if elastic:
            have = pu["units"] + pu["shortfall"].fillna(0.0)
            out[("U1", "minimum (elastic)")] = _rows(lab, have, pu["min_units"], np.inf)
    if len(pe):
        lab = a._label(pe, "equipment", "year")
        first = (pe["year"] == ctx.y0).to_numpy()
        out[("E1", "order cap")] = _rows(lab, pe["orders"], np.nan, pe["proc_max"])
        out[("E1", "donations on offer")] = _rows(lab, pe["donations"], np.nan, pe["don_max"])
        prev = np.where(first, 0.0, (1 - pe["attr"]) * pe["prev"])
        base = np.where(first, (1 - pe["attr"]) * pe["init"], 0.0) + pe["scheduled"]
        body = pe["stock"] - prev - pe["arriving"] - pe["donations"] + pe["disposals"]
        out[("E1", "balance")] = _rows(lab, body, base, base, pe["stock"])
        have = pe["stock"] + (pe["shortfall"].fillna(0.0) if elastic else 0.0)
        out[("E2", "stock ≥ requirement")] = _rows(
            lab, have - pe["unit_need"], pe["req_direct"], np.inf, pe["stock"]
        )
    lab = a._label(pb, "line", "year")
    limits = a._records(ctx.inputs, "LineLimits")
    lo = pd.Series(0.0, index=pb.index)
    hi = pd.Series(np.inf, index=pb.index)
    if len(limits):
        keyed = pb[["line", "year"]].merge(
            limits.assign(year=limits["year"].astype(int)), on=["line", "year"], how="left"
        )
        lo = pd.to_numeric(keyed["min_amount"], errors="coerce").fillna(0.0)
        hi = pd.to_numeric(keyed["max_amount"], errors="coerce").fillna(np.inf)
    out[("B3", "line limits")] = _rows(lab, pb["spend"], _nz(lo), hi)
    if "calc_spend" in pb:
        out[("B1", "spending")] = _rows(lab, pb["spend"] - pb["calc_spend"], 0.0, 0.0, pb["spend"])
    if ctx.funding is not None and "paid" in pb:
        gap = pb["funding_gap"].fillna(0.0) if elastic and "funding_gap" in pb else 0.0
        out[("B2", "spending covered")] = _rows(
            lab, pb["paid"] + gap - pb["spend"], 0.0, 0.0, pb["spend"]
        )
        _source_rows(ctx, out)
    return {k: v for k, v in out.items() if len(v)}


def _ratio_rows(ctx: Any, out: dict[tuple[str, str], pd.DataFrame]) -> None:
    from forceplan import audit as a

    pp, elastic = ctx.pp, ctx.elastic
    implied = ctx.implied.get("P8")
    short = {}
    if implied is not None:
        short = {(r.name, int(r.year)): (r.low, r.high) for r in implied.itertuples(index=False)}
    rows: dict[str, list[tuple[str, float, float]]] = {"minimum": [], "maximum": []}
    for rec in a._records(ctx.inputs, "Ratios").itertuples(index=False):
        num_mask = a._ratio_classes(ctx, rec, "numerator")
        den_mask = a._ratio_classes(ctx, rec, "denominator")
        num = pp["strength"].where(num_mask, 0.0).groupby(pp["year"]).sum()
        den = pp["strength"].where(den_mask, 0.0).groupby(pp["year"]).sum()
        for kind, col, sign in (("minimum", "min_ratio", 1.0), ("maximum", "max_ratio", -1.0)):
            r = getattr(rec, col)
            if r is None or pd.isna(r) or math.isinf(float(r)):
                continue
            for y in a._ratio_years(ctx, rec):
                low, high = short.get((rec.name, y), (0.0, 0.0))
                extra = (low if sign > 0 else high) if elastic else 0.0
                value = float(num.get(y, 0.0)) - float(r) * float(den.get(y, 0.0)) + sign * extra
                rows[kind].append((f"{rec.name} {y}", value, float(num.get(y, 0.0))))
    for kind, items in rows.items():
        if items:
            labels, values, scales = zip(*items, strict=True)
            lo, hi = (0.0, np.inf) if kind == "minimum" else (-np.inf, 0.0)
            out[("P8", kind)] = _rows(list(labels), list(values), lo, hi, list(scales))


def _source_rows(ctx: Any, out: dict[tuple[str, str], pd.DataFrame]) -> None:
    pf = ctx.funding
    labels, values, lowers, uppers, scales = [], [], [], [], []
    prev_carry: dict[str, float] = {}
    skipped: list[str] = []
    for r in pf.itertuples(index=False):
        src = ctx.sources[r.source]
        base = str(ctx.settings.get("currency") or "")
        if src.get("expires") is not None or str(src.get("currency") or base) not in ("", base):
            # vintages and foreign money (MODEL.md §8.6-8.7): rows of another form, checked
            # in the audit's B2 family; here their arithmetic and prices only
            skipped.append(f"{r.source} {int(r.year)}")
            continue
        amount = float(src["amount"].get(int(r.year), 0.0))
        spent = float(r.calc_spent)
        carry = float(r.carried_out) if not pd.isna(r.carried_out) else 0.0
        label = f"{r.source} {int(r.year)}"
        if src["carryover"] and int(r.year) >= src["first_year"]:
            carried_in = prev_carry.get(r.source, 0.0)
            labels.append(label)
            values.append(carry - carried_in + spent)
            lowers.append(amount)
            uppers.append(amount)
            scales.append(max(amount, spent, carry))
        else:
            labels.append(label)
            values.append(spent)
            lowers.append(np.nan)
            uppers.append(amount)
            scales.append(max(amount, spent))
        prev_carry[r.source] = carry
    if labels or skipped:
        frame = _rows(labels, values, lowers, uppers, scales)
        skip = _rows(skipped, np.nan, np.nan, np.nan).assign(e_skip=True)
        out[("B2", "source money")] = pd.concat([frame.assign(e_skip=False), skip])


# --- the checks -------------------------------------------------------------------------


def check_constraints(
    ctx: Any, checks: Any, frame: pd.DataFrame | None, sense: str, letters: dict[str, str]
) -> list[str]:
    """Add the `D:Plan_Constraints` rows to `checks`; returns notes for the report."""
    fid = "D:Plan_Constraints"
    checks.touch(fid)
    if frame is None:
        return []
    notes: list[str] = []
    pc = frame.reset_index(drop=True).copy()
    pc["_plan_row"] = pc.index + 2
    for col in ("value", "lower", "upper", "slack", "shadow_price"):
        pc[col] = pd.to_numeric(pc.get(col), errors="coerce").astype(float)
    pc["id"] = pc.get("id", pd.Series(dtype=object)).astype(str)
    pc["kind"] = pc["kind"].astype(str) if "kind" in pc else ""
    pc["index"] = pc.get("index", pd.Series(dtype=object)).astype(str)
    where = "Plan_Constraints row " + pc["_plan_row"].astype(str) + " (" + pc["id"] + " "
    where = where + pc["kind"] + " " + pc["index"] + ")"

    rows = pc["_plan_row"].astype(str)
    cache: dict[str, pd.Series] = {}

    def cell(col: str) -> pd.Series:
        if col not in cache:
            cache[col] = (f"{SHEET}!{letters.get(col, '?')}" + rows).astype(object)
        return cache[col]

    _rederive(ctx, checks, pc, where, cell, notes)
    _arithmetic(checks, pc, where, cell)
    _prices(checks, pc, where, cell, sense, _integer_rows(ctx, pc))
    return notes


def _rederive(ctx, checks, pc, where, cell, notes) -> None:
    fid = "D:Plan_Constraints"
    expected = expected_rows(ctx)
    unknown: dict[str, int] = {}
    for (cid, kind), rows in pc.groupby(["id", "kind"], sort=False):
        exp = expected.get((cid, kind))
        if exp is None:
            unknown[f"{cid} {kind}"] = len(rows)
            continue
        merged = (
            rows[["index", "value", "lower", "upper"]]
            .assign(_pos=rows.index)
            .merge(exp.drop_duplicates("index"), on="index", how="left")
        )
        if "e_skip" in merged:
            skip = merged["e_skip"].fillna(False).astype(bool)
            if skip.any():
                unknown[f"{cid} {kind} (vintages, foreign money)"] = int(skip.sum())
            merged = merged[~skip]
        idx = merged["_pos"].to_numpy()
        known = merged["e_value"].notna().to_numpy()
        if (~known).any():
            cells = cell("index").to_numpy()
            checks.flag(
                fid,
                [
                    f"{cells[i]}: {where.to_numpy()[i]}: no such row in the inputs"
                    for i in idx[~known]
                ],
            )
        m = merged[known]
        ids = idx[known]
        got = m[["value", "lower", "upper"]].to_numpy(dtype=float).copy()
        want = m[["e_value", "e_lower", "e_upper"]].to_numpy(dtype=float).copy()
        if (cid, kind) in BOUND_FAMILIES:
            # a lower bound of 0 is the sign restriction x >= 0: written blank, or as 0 when
            # the maximum is 0 too (the writer's choice, issue 12); either is the same row
            for arr in (got, want):
                arr[:, 1] = np.where(arr[:, 1] == 0.0, np.nan, arr[:, 1])
        if (cid, kind) in SHIFT_INVARIANT:
            got, want = _shifted(got), _shifted(want)
        flipped = -want[:, [0, 2, 1]]
        scale = np.maximum.reduce(
            [
                np.ones(len(m)),
                np.nan_to_num(np.abs(want), posinf=0.0).max(axis=1) if len(m) else np.ones(0),
                m["e_scale"].fillna(0.0).to_numpy(),
            ]
        )
        tol = RTOL * scale[:, None]

        straight, negated = _close(got, want, tol), _close(got, flipped, tol)
        use_neg = negated.sum(axis=1) > straight.sum(axis=1)
        ok = np.where(use_neg[:, None], negated, straight)
        ref = np.where(use_neg[:, None], flipped, want)
        for j, col in enumerate(("value", "lower", "upper")):
            # violation: |sheet - rebuilt| (a blank on one side only is infinitely wrong)
            diff = np.abs(got[:, j] - ref[:, j])
            diff = np.where(np.isnan(got[:, j]) & np.isnan(ref[:, j]), 0.0, diff)
            diff = np.where(np.isnan(diff), np.inf, diff)
            diff = np.where(ok[:, j], 0.0, diff)
            cells, wheres = cell(col).to_numpy(), where.to_numpy()
            bad = np.flatnonzero(diff > 0)
            labels = np.full(len(ids), f"{col} rebuilt from the inputs and the plan", dtype=object)
            for k in bad:
                i = ids[k]
                labels[k] = (
                    f"{cells[i]} {col} {_fmt(got[k, j])} against {_fmt(ref[k, j])} "
                    f"rebuilt from the inputs and the plan decisions: {wheres[i]}"
                )
            checks.add(fid, np.array(labels, dtype=object), diff, "<=", 0.0)
    if unknown:
        listed = ", ".join(f"{k} ({n})" for k, n in unknown.items())
        notes.append(
            "Plan_Constraints rows of families this audit cannot rebuild were checked for "
            f"their arithmetic and prices only: {listed}"
        )


def _shifted(rows: np.ndarray) -> np.ndarray:
    """(value, lower, upper) less the row's own lower bound (or upper, if it has none): the
    row up to a constant moved between its body and its bounds."""
    base = np.where(np.isfinite(rows[:, 1]), rows[:, 1], rows[:, 2])
    base = np.where(np.isfinite(base), base, 0.0)
    return rows - base[:, None]


def _close(a: np.ndarray, b: np.ndarray, tol: np.ndarray) -> np.ndarray:
    both_blank = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):
        return both_blank | (np.abs(a - b) <= tol)


def _fmt(x: float) -> str:
    return "blank" if np.isnan(x) else f"{x:.10g}"


def _arithmetic(checks, pc, where, cell) -> None:
    fid = "D:Plan_Constraints"
    v, lo, hi = pc["value"].to_numpy(), pc["lower"].to_numpy(), pc["upper"].to_numpy()
    gaps = np.vstack(
        [np.where(np.isnan(lo), np.inf, v - lo), np.where(np.isnan(hi), np.inf, hi - v)]
    )
    slack = gaps.min(axis=0)
    slack = np.where(np.isinf(slack), np.nan, slack)
    scale = np.maximum.reduce(
        [np.ones(len(v)), np.nan_to_num(np.abs(lo)), np.nan_to_num(np.abs(hi))]
    )
    sheet = pc["slack"].to_numpy()
    diff = np.where(np.isnan(slack) & np.isnan(sheet), 0.0, np.abs(sheet - slack))
    diff = np.where(np.isnan(diff), np.inf, diff)
    checks.add(
        fid,
        (cell("slack") + " slack ≠ min(value − lower, upper − value): " + where).to_numpy(),
        diff,
        "<=",
        RTOL * np.maximum(scale, np.nan_to_num(np.abs(v))),
    )
    equal = ~np.isnan(lo) & ~np.isnan(hi) & (np.abs(np.nan_to_num(hi - lo)) <= BINDING_RTOL * scale)
    slack0 = np.nan_to_num(slack, nan=np.inf)
    must = equal | (slack0 <= BINDING_RTOL * scale)
    cannot = ~equal & (slack0 > NOT_BINDING_RTOL * scale)
    flag = pc["binding"].map(_truth).to_numpy()
    wrong = (must & (flag != True)) | (cannot & (flag != False))  # noqa: E712
    checks.add(
        fid,
        (
            cell("binding")
            + " binding "
            + pc["binding"].astype(str)
            + " but the slack is "
            + pd.Series(slack).map(_fmt)
            + ": "
            + where
        ).to_numpy(),
        wrong.astype(float),
        "<=",
        0.0,
    )


def _truth(x: Any) -> bool | None:
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | float) and not pd.isna(x):
        return bool(x)
    text = str(x).strip().lower()
    return {"true": True, "false": False, "1": True, "0": False}.get(text)


def _integer_rows(ctx: Any, pc: pd.DataFrame) -> np.ndarray:
    """Bound rows of integer columns (whole units, whole orders): in a MIP their price is
    the reduced cost of a column fixed at its value, which may have either sign."""
    from forceplan import audit as a

    mask = np.zeros(len(pc), dtype=bool)
    if getattr(ctx, "integer_units", False):
        mask |= (pc["id"] == "U1").to_numpy() & pc["kind"].isin(
            ["unit limits", "activation cap"]
        ).to_numpy()
    pe = ctx.pe
    if len(pe) and pe["integer"].any():
        whole = set(a._label(pe[pe["integer"]], "equipment", "year"))
        mask |= ((pc["id"] == "E1") & (pc["kind"] == "order cap")).to_numpy() & pc["index"].isin(
            whole
        ).to_numpy()
    return mask


def _prices(checks, pc, where, cell, sense: str, integer: np.ndarray | None = None) -> None:
    """Complementary slackness and the sign of each price (dual feasibility)."""
    fid = "D:Plan_Constraints"
    price = pc["shadow_price"].to_numpy()
    has = ~np.isnan(price)
    v, lo, hi = pc["value"].to_numpy(), pc["lower"].to_numpy(), pc["upper"].to_numpy()
    scale = np.maximum.reduce(
        [np.ones(len(v)), np.nan_to_num(np.abs(lo)), np.nan_to_num(np.abs(hi))]
    )
    near = NOT_BINDING_RTOL * scale
    at_lo = ~np.isnan(lo) & (np.abs(v - lo) <= near)
    at_hi = ~np.isnan(hi) & (np.abs(hi - v) <= near)
    # a value of 0 with no lower limit also sits on x >= 0 (bound rows: the writer leaves
    # that sign restriction out; its reduced cost is the same number)
    at_sign = (
        np.isnan(lo)
        & (np.abs(v) <= near)
        & pc.apply(
            lambda r: (r["id"], r["kind"]) in BOUND_FAMILIES or r["kind"] == "nan", axis=1
        ).to_numpy(dtype=bool)
    )
    top = float(np.nanmax(np.abs(price))) if has.any() else 0.0
    ptol = 1e-7 * max(1.0, top)
    slack = np.minimum(np.where(at_lo, 0.0, np.inf), np.where(at_hi, 0.0, np.inf))
    off = has & ~(at_lo | at_hi | at_sign) & (np.nan_to_num(slack, nan=np.inf) > 0)
    checks.add(
        fid,
        (
            cell("shadow_price")
            + " price "
            + pd.Series(price).map(_fmt)
            + " on a row that does not bind (complementary slackness: it must be 0): "
            + where
        ).to_numpy()[off],
        np.abs(price[off]),
        "<=",
        ptol,
    )
    # sign: +1 means the price must be >= 0, -1 means <= 0, 0 either
    raise_helps = -1.0 if sense == "min" else 1.0  # price of raising a binding upper limit
    lower_side = at_lo | at_sign
    sign = np.where(
        at_hi & ~lower_side, raise_helps, np.where(lower_side & ~at_hi, -raise_helps, 0.0)
    )
    if "side" in pc:
        side = pc["side"].astype(str).str.strip().str.lower().to_numpy()
        sign = np.where(side == "max", raise_helps, sign)
        sign = np.where(side == "min", -raise_helps, sign)
        sign = np.where(side == "equal", 0.0, sign)
        binding = np.array([_truth(b) is True for b in pc["binding"]])
        bad_side = binding & (((side == "max") & ~at_hi) | ((side == "min") & ~lower_side))
        checks.add(
            fid,
            (cell("side") + " side does not match where the value sits: " + where).to_numpy(),
            bad_side.astype(float),
            "<=",
            0.0,
        )
        _ranging(checks, pc, where, cell, lo, hi, side, scale)
    if integer is not None:
        sign = np.where(integer, 0.0, sign)
    wrong = has & (sign * np.nan_to_num(price) < -ptol)
    checks.add(
        fid,
        (
            cell("shadow_price")
            + " price "
            + pd.Series(price).map(_fmt)
            + " has the wrong sign for the side that binds (dual feasibility): "
            + where
        ).to_numpy(),
        np.where(wrong, np.abs(np.nan_to_num(price)), 0.0),
        "<=",
        ptol,
    )


def _ranging(checks, pc, where, cell, lo, hi, side, scale) -> None:
    if "valid_from" not in pc or "valid_to" not in pc:
        return
    vf = pd.to_numeric(pc["valid_from"], errors="coerce").to_numpy(dtype=float)
    vt = pd.to_numeric(pc["valid_to"], errors="coerce").to_numpy(dtype=float)
    limit = np.where(side == "max", hi, np.where(side == "min", lo, np.nan))
    # only a price that is neither 0 nor annotated (degenerate, penalty-driven, MIP) must
    # hold at its own limit
    price = pd.to_numeric(pc["shadow_price"], errors="coerce").fillna(0.0).to_numpy()
    note = (
        pc["price_note"].fillna("").astype(str).str.strip().to_numpy() if "price_note" in pc else ""
    )
    limit = np.where((price != 0.0) & (note == ""), limit, np.nan)
    tol = RTOL * scale
    below = ~np.isnan(vf) & ~np.isnan(limit) & (limit < vf - tol)
    above = ~np.isnan(vt) & ~np.isnan(limit) & (limit > vt + tol)
    checks.add(
        "D:Plan_Constraints",
        (
            cell("valid_from") + " the limit lies outside [valid_from, valid_to]: " + where
        ).to_numpy(),
        (below | above).astype(float),
        "<=",
        0.0,
    )
