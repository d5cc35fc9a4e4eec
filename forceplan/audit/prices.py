"""Plan_Constraints re-checked without a solver: values, bounds, slacks, binding flags, prices.

Part of `forceplan.audit` (numpy/pandas only; it never imports the model). Three kinds of
checks, all in the family `D:Plan_Constraints`:

1. **Re-derived rows.** Each family's audit module rebuilds its rows (`constraint_rows`:
   the MODEL.md §3 rows in the form the model hands to the solver: variables on the left,
   constants moved into the bounds): each row's `value`, `lower` and `upper` are
   recomputed from the inputs and the plan's decisions and compared with the sheet (a row
   may be stored negated: `-upper <= -value <= -lower` is the same row). Rows no family
   module rebuilds (added by later versions) are counted and named in a note; they still
   get checks 2 and 3.
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

#: Binding rule of the writer (forceplan.results.BINDING_RTOL); a row whose slack lies
#: between the two is accepted either way.
BINDING_RTOL = 1e-7
NOT_BINDING_RTOL = 1e-5
RTOL = 1e-6
SHEET = "Plan_Constraints"


def _blank(x: Any) -> Any:
    return np.where(np.isfinite(np.asarray(x, dtype=float)), x, np.nan)


def rebuilt(labels: Any, value: Any, lower: Any, upper: Any, scale: Any = 0.0) -> pd.DataFrame:
    """Rebuilt Plan_Constraints rows: index label, value, lower, upper (blank: none) and the
    size of the quantities the row is a difference of (its tolerance)."""
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


def nz(x: pd.Series) -> pd.Series:
    """Lower bounds of 0 are sign restrictions: the writer leaves them blank."""
    x = pd.to_numeric(x, errors="coerce").astype(float)
    return x.where(x.fillna(0.0) != 0.0, np.nan)


@dataclass(frozen=True)
class Rebuild:
    """What the family modules say about Plan_Constraints: the rows they rebuild, which of
    them are bound rows and shift-invariant, and a hook naming integer columns' rows."""

    rows: dict[tuple[str, str], pd.DataFrame]
    bounds: frozenset[tuple[str, str]]
    shifted: frozenset[tuple[str, str]]
    integer: tuple[Callable[[Any, pd.DataFrame], np.ndarray], ...]


def rebuild(ctx: Any, modules: Sequence[ModuleType]) -> Rebuild:
    """Per (id, kind): the rows the family modules can rebuild (index label, value, lower,
    upper), from each module's `constraint_rows(ctx)`."""
    out: dict[tuple[str, str], pd.DataFrame] = {}
    bounds: set[tuple[str, str]] = set()
    shifted: set[tuple[str, str]] = set()
    integer = []
    for module in modules:
        make = getattr(module, "constraint_rows", None)
        if make is not None:
            out.update(make(ctx))
        bounds |= set(getattr(module, "BOUND_KINDS", ()))
        shifted |= set(getattr(module, "SHIFT_INVARIANT", ()))
        if hasattr(module, "integer_rows"):
            integer.append(module.integer_rows)
    rows = {k: v for k, v in out.items() if len(v)}
    return Rebuild(rows, frozenset(bounds), frozenset(shifted), tuple(integer))


# --- the checks -------------------------------------------------------------------------


def check_constraints(
    ctx: Any,
    checks: Any,
    frame: pd.DataFrame | None,
    sense: str,
    letters: dict[str, str],
    modules: Sequence[ModuleType],
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

    known = rebuild(ctx, modules)
    _rederive(known, checks, pc, where, cell, notes)
    _arithmetic(checks, pc, where, cell)
    _prices(checks, pc, where, cell, sense, known, _integer_rows(ctx, pc, known))
    return notes


def _rederive(families: Rebuild, checks, pc, where, cell, notes) -> None:
    fid = "D:Plan_Constraints"
    expected = families.rows
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
        if (cid, kind) in families.bounds:
            # a lower bound of 0 is the sign restriction x >= 0: written blank, or as 0 when
            # the maximum is 0 too (the writer's choice, issue 12); either is the same row
            for arr in (got, want):
                arr[:, 1] = np.where(arr[:, 1] == 0.0, np.nan, arr[:, 1])
        if (cid, kind) in families.shifted:
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


def _integer_rows(ctx: Any, pc: pd.DataFrame, known: Rebuild) -> np.ndarray:
    """Bound rows of integer columns (whole units, whole orders): in a MIP their price is
    the reduced cost of a column fixed at its value, which may have either sign."""
    mask = np.zeros(len(pc), dtype=bool)
    for rows in known.integer:
        mask |= rows(ctx, pc)
    return mask


def _prices(
    checks, pc, where, cell, sense: str, known: Rebuild, integer: np.ndarray | None = None
) -> None:
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
            lambda r: (r["id"], r["kind"]) in known.bounds or r["kind"] == "nan", axis=1
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
