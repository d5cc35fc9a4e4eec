"""The plan workbook's own sheets re-checked: the headline figures and the sheets the
constraint families do not reach.

- SHEETS: every Plan_ sheet `solve` writes is present (a deleted sheet fails);
- STATUS: Plan_Run.status is a status `solve` writes, agrees with Plan_Summary, and is
  re-derived where the audit can: a plan with shortfalls is "optimal with shortfalls",
  never a clean "optimal";
- D:Plan_Summary: every headline figure recomputed from the (audited) Plan_ tables;
- D:Plan_Charts: every number of the chart data tables recomputed from the Plan_ tables;
- D:Plan_Run: the options and figures on Plan_Run that the audit can re-derive
  (objective name, elastic, integer_units, objective value — the latter in OBJ).

numpy/pandas only; never the model or the solver.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from forceplan.audit.context import col_letter
from forceplan.audit.objective import discounted_cost, shortfalls
from forceplan.audit.verdict import FamilyResult

#: The status word for an optimal elastic plan that misses some requirement (shared with
#: the CLI and report vocabulary).
WITH_SHORTFALLS = "optimal with shortfalls"
#: Statuses `solve` writes on Plan_Run (forceplan.model.solve); anything else is an edit.
KNOWN_STATUSES = (
    "optimal",
    WITH_SHORTFALLS,
    "not proven optimal",
    "time_limit",
    "iteration_limit",
    "interrupted",
    "not_optimal",
    "unbounded",
    "infeasible",
    "infeasible_or_unbounded",
)
#: Plan_ sheets every plan written by `solve` has.
REQUIRED_SHEETS = (
    "Plan_Summary",
    "Plan_Charts",
    "Plan_Personnel",
    "Plan_Transitions",
    "Plan_Training",
    "Plan_Units",
    "Plan_Equipment",
    "Plan_Budget",
    "Plan_Funding",
    "Plan_Allocation",
    "Plan_Shortfalls",
    "Plan_Constraints",
    "Plan_Run",
)
# --- headline figures (called from audit_plan) -------------------------------------------


def headline_facts(ctx: Any) -> dict[str, Any]:
    """Headline figures recomputed from the audited tables (for Plan_Summary, Plan_Charts)."""
    pb, pp, pu = ctx.pb, ctx.pp, ctx.pu
    amounts = shortfalls(ctx)
    return {
        "objective": getattr(ctx, "objective_value", None),
        "cost": discounted_cost(ctx),  # with payments after the horizon at df_T (§8.7)
        "capability": float((pu["capability"] * pu["units"]).sum()) if len(pu) else 0.0,
        "penalty": float(sum(ctx.penalties.get(k, 0.0) * v for k, v in amounts.items())),
        "shortfall_amounts": amounts,
        "strength": {int(y): float(v) for y, v in pp.groupby("year")["strength"].sum().items()},
        "spend_by_year": {int(y): float(v) for y, v in pb.groupby("year")["spend"].sum().items()},
        "available_by_year": {}
        if ctx.funding is None
        else {int(y): float(v) for y, v in ctx.funding.groupby("year")["available"].sum().items()},
    }


# --- the workbook's own sheets (called from audit_workbook) -----------------------------


def has_shortfalls(facts: dict[str, Any], tol: float = 1e-6) -> bool:
    amounts = facts.get("shortfall_amounts", {})
    return any(v > tol * max(1.0, abs(v)) and v > 1e-6 for v in amounts.values())


def derived_status(recorded: str, facts: dict[str, Any]) -> str:
    """The status the audit stands behind: "optimal with shortfalls" for an optimal plan
    that misses a requirement, whatever Plan_Run says."""
    if recorded in ("optimal", WITH_SHORTFALLS) and has_shortfalls(facts):
        return WITH_SHORTFALLS
    return recorded


def check_sheets(
    names: list[str], run: dict[str, Any], summary: pd.DataFrame | None, facts: dict[str, Any]
) -> list[Any]:
    """SHEETS and STATUS families (FamilyResult rows)."""
    out = []
    listed = _listed_sheets(summary) if summary is not None else []
    missing = [n for n in dict.fromkeys([*REQUIRED_SHEETS, *listed]) if n not in names]
    rows = [f"{n}: sheet missing (deleted after solving?)" for n in missing]
    out.append(_family(FamilyResult, "SHEETS", len(REQUIRED_SHEETS), rows))
    status = str(run.get("status") or "")
    problems = []
    if status not in KNOWN_STATUSES:
        problems.append(f"Plan_Run status '{status}' is not a status forceplan writes")
    elif status == WITH_SHORTFALLS and facts and not has_shortfalls(facts):
        problems.append("Plan_Run status says 'optimal with shortfalls' but the plan has none")
    elif run.get("solver_status") is not None and facts:
        from forceplan.status import plan_status

        want = plan_status(str(run["solver_status"]), int(has_shortfalls(facts)))
        if status != want:
            problems.append(
                f"Plan_Run status '{status}' but the solver's '{run['solver_status']}' and the "
                f"plan's shortfalls make it '{want}'"
            )
    if summary is not None:
        said = _summary_pairs(summary).get("status")
        if said is None:
            problems.append("Plan_Summary has no status row")
        else:
            text = str(said[1])
            cell = f"Plan_Summary!B{said[0]}"
            if not text.startswith(status):
                problems.append(f"{cell} status '{text}' differs from Plan_Run status '{status}'")
            proven = status in ("optimal", WITH_SHORTFALLS)
            if not proven and "NOT A PROVEN OPTIMUM" not in text:
                problems.append(
                    f"{cell} status '{text}' hides that the plan is not a proven optimum"
                )
            # the status word alone, or followed by " — " and words (issue 19 may say more)
            words = ("optimal", WITH_SHORTFALLS)
            if proven and not any(text == w or text.startswith(w + " — ") for w in words):
                problems.append(f"{cell} status '{text}' is not a status forceplan writes")
    out.append(_family(FamilyResult, "STATUS", 2, problems))
    return out


def _listed_sheets(grid: pd.DataFrame) -> list[str]:
    """The Plan_ sheets Plan_Summary lists under "Sheets of this plan"."""
    values = grid.astype(object).where(grid.notna(), None).values.tolist()
    start = next((i for i, r in enumerate(values) if r and r[0] == "Sheets of this plan"), None)
    if start is None:
        return []
    out = []
    for r in values[start + 1 :]:
        if not r or not isinstance(r[0], str) or not r[0].startswith("Plan_"):
            break
        out.append(r[0])
    return out


def _family(cls: Any, fid: str, checked: int, rows: list[str]) -> Any:
    if not rows:
        return cls(fid, checked, 0.0, "", 0.0)
    return cls(fid, max(checked, len(rows)), 1.0, rows[0], 0.0, len(rows), rows[:10])


def _summary_pairs(grid: pd.DataFrame) -> dict[str, tuple[int, Any]]:
    """Plan_Summary's figure/value rows: key -> (Excel row, value)."""
    pairs: dict[str, tuple[int, Any]] = {}
    started = False
    for i in range(len(grid)):
        key = grid.iat[i, 0] if grid.shape[1] else None
        value = grid.iat[i, 1] if grid.shape[1] > 1 else None
        if not started:
            started = key == "figure" and value == "value"
            continue
        if key is None or (isinstance(key, float) and math.isnan(key)):
            break
        pairs.setdefault(str(key), (i + 1, None if _isnan(value) else value))
    return pairs


def _isnan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def check_summary(
    grid: pd.DataFrame | None,
    run: dict[str, Any],
    inputs: Any,
    facts: dict[str, Any],
    shortfall_rows: int | None,
    rtol: float,
) -> tuple[Any, list[str]]:
    """D:Plan_Summary: every headline figure recomputed."""
    fid = "D:Plan_Summary"
    if grid is None or not facts:
        return FamilyResult(fid, 0, 0.0, "", 0.0), []
    pairs = _summary_pairs(grid)
    problems: list[str] = []
    notes: list[str] = []
    checked = 0
    band = {y: (r.get("min_total"), r.get("max_total")) for y, r in _active_band(inputs).items()}

    def number(key: str, want: float | None, scale: float = 0.0) -> None:
        nonlocal checked
        if key not in pairs or want is None:
            return
        checked += 1
        row, got = pairs[key]
        x = _as_float(got)
        if x is None or abs(x - want) > rtol * max(1.0, abs(want), scale):
            problems.append(f"Plan_Summary!B{row} {key} = {got} but the plan gives {want:,.6g}")

    def text(key: str, want: str) -> None:
        nonlocal checked
        if key not in pairs:
            return
        checked += 1
        row, got = pairs[key]
        if str(got if got is not None else "") != want:
            problems.append(f"Plan_Summary!B{row} {key} = '{got}' but it is '{want}'")

    text("objective", str(run.get("objective") or ""))
    # money figures are sums of large terms: their noise is judged against the objective
    size = abs(facts.get("objective") or 0.0) + abs(facts["cost"]) + abs(facts["penalty"])
    number("objective value", facts.get("objective"), size)
    number("total discounted cost", facts["cost"], size)
    number("total capability", facts["capability"])
    number("elastic penalties", facts["penalty"], size)
    number("shortfalls", None if shortfall_rows is None else float(shortfall_rows))
    problems += _year_table(grid, facts, inputs, rtol)
    checked += 1
    known = {"title", "status", "objective", "currency", "objective value"}
    known |= {"total discounted cost", "total capability", "elastic penalties", "shortfalls"}
    for key, (row, got) in pairs.items():
        if key.startswith("strength ") and key[9:].isdigit():
            y = int(key[9:])
            want = facts["strength"].get(y)
            checked += 1
            shown = _leading_number(got)
            if want is None or shown is None or abs(shown - want) > 0.5 + rtol * abs(want):
                problems.append(f"Plan_Summary!B{row} {key} = '{got}' but the plan gives {want}")
            lo, hi = band.get(y, (None, None))
            if lo is not None and f"(band {float(lo):,.0f} – " not in str(got):
                problems.append(f"Plan_Summary!B{row} {key}: the band shown is not EndStrength's")
            _ = hi
        elif key.startswith("spend ") and key[6:].isdigit():
            number(key, facts["spend_by_year"].get(int(key[6:])))
        elif key not in known:
            notes.append(f"Plan_Summary row {row} '{key}' is not a figure this audit re-derives")
    return _family(FamilyResult, fid, checked, problems), notes


def _active_band(inputs: Any) -> dict[int, Any]:
    """Year -> the EndStrength row of the active component (blank = active, MODEL.md
    §8.4): the band Plan_Summary and Plan_Charts show; reserve and all-component bands
    are P7 rows only."""
    return {
        int(r["year"]): r
        for r in inputs.tables["EndStrength"]
        if (r.get("component") or "active") == "active"
    }


def _year_table(grid: pd.DataFrame, facts: dict[str, Any], inputs: Any, rtol: float) -> list[str]:
    """Plan_Summary's "Year by year" table: strength, band, spend, money available."""
    values = grid.astype(object).where(grid.notna(), None).values.tolist()
    start = next((i for i, r in enumerate(values) if r and r[0] == "Year by year"), None)
    if start is None or start + 1 >= len(values):
        return []
    header = [h for h in values[start + 1] if h is not None]
    band = _active_band(inputs)
    problems = []
    k = start + 2
    while k < len(values) and values[k] and values[k][0] is not None:
        row = values[k]
        y = int(float(row[0]))
        rec = band.get(y)
        want = {
            "strength": facts["strength"].get(y),
            "spend": facts["spend_by_year"].get(y),
            "funding available": facts.get("available_by_year", {}).get(y),
            "min_total": None if rec is None else rec.get("min_total"),
            "max_total": None if rec is None else rec.get("max_total"),
        }
        for j, name in enumerate(header[1:], start=1):
            got = _as_float(row[j]) if j < len(row) else None
            exp = want.get(str(name), _UNKNOWN)
            cell = f"Plan_Summary!{col_letter(j)}{k + 1}"
            if exp is _UNKNOWN:
                problems.append(f"{cell}: '{name}' for {y} is not a figure this audit knows")
                continue
            exp = None if exp is None or not math.isfinite(float(exp)) else float(exp)
            if got is None and exp is None:
                continue
            if got is None or exp is None or abs(got - exp) > rtol * max(1.0, abs(exp)):
                problems.append(f"{cell} {name} for {y} = {row[j]} but the plan gives {exp}")
        k += 1
    return problems


def check_budget_grid(tables: dict[str, pd.DataFrame], rtol: float) -> Any:
    """D:Plan_BudgetGrid: spending line × year, totals and money available, from
    Plan_Budget and Plan_Funding (header row 1: line, the years, total)."""
    fid = "D:Plan_BudgetGrid"
    grid = tables.get("Plan_BudgetGrid")
    pb, pf = tables.get("Plan_Budget"), tables.get("Plan_Funding")
    if grid is None or pb is None:
        return FamilyResult(fid, 0, 0.0, "", 0.0)
    spend = pb.assign(
        year=pd.to_numeric(pb["year"], errors="coerce"),
        spend=pd.to_numeric(pb["spend"], errors="coerce"),
    )
    by = spend.groupby(["line", "year"])["spend"].sum()
    total = spend.groupby("year")["spend"].sum()
    avail = None
    if pf is not None and len(pf):
        avail = (
            pf.assign(
                year=pd.to_numeric(pf["year"], errors="coerce"),
                available=pd.to_numeric(pf["available"], errors="coerce"),
            )
            .groupby("year")["available"]
            .sum()
        )
    cols = list(grid.columns)
    problems, checked = [], 0
    for i, row in grid.reset_index(drop=True).iterrows():
        line = str(row[cols[0]])
        values = []
        for j, c in enumerate(cols[1:], start=1):
            got = _as_float(row[c])
            text = str(c).strip()
            year = _as_float(text)
            if year is None:  # the total column: the row's sum
                want = float(sum(v for v in values if v is not None))
            elif line == "total spending":
                want = float(total.get(year, 0.0))
            elif line == "funding available":
                want = None if avail is None else float(avail.get(year, 0.0))
            else:
                want = float(by.get((line, year), np.nan))
                want = None if math.isnan(want) else want
            values.append(got)
            checked += 1
            if want is None and got is None:
                continue
            if got is None or want is None or abs(got - want) > rtol * max(1.0, abs(want)):
                problems.append(
                    f"Plan_BudgetGrid!{col_letter(j)}{i + 2} {line} {text} = {row[c]} but "
                    f"the plan gives {want}"
                )
    return _family(FamilyResult, fid, checked, problems)


def _as_float(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(str(x).replace(",", "")) if isinstance(x, str) else float(x)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _leading_number(x: Any) -> float | None:
    if isinstance(x, int | float) and not isinstance(x, bool):
        return float(x)
    head = str(x).split(" ")[0].replace(",", "")
    return _as_float(head)


def check_charts(
    grid: pd.DataFrame | None, tables: dict[str, pd.DataFrame], inputs: Any, rtol: float
) -> Any:
    """D:Plan_Charts: every number of the chart data tables, from the Plan_ tables."""
    fid = "D:Plan_Charts"
    if grid is None:
        return FamilyResult(fid, 0, 0.0, "", 0.0)
    blocks = _blocks(grid)
    expect = _chart_values(tables, inputs)
    problems: list[str] = []
    checked = 0
    for title, header_row, header, rows in blocks:
        kind = next((k for k in expect if title.startswith(k)), None)
        if kind is None:
            problems.append(f"Plan_Charts row {header_row - 1}: unknown data table '{title}'")
            continue
        lookup = expect[kind]
        for offset, values in enumerate(rows, start=1):
            key = values[0]
            for j in range(1, len(header)):
                col = header[j]
                if col is None:
                    continue
                got = _as_float(values[j]) if j < len(values) else None
                try:
                    want = lookup(key, str(col))
                except (KeyError, TypeError, ValueError):  # a Plan_ table or column is gone
                    want = _UNKNOWN
                cell = f"Plan_Charts!{col_letter(j)}{header_row + offset}"
                checked += 1
                if want is _UNKNOWN:
                    problems.append(f"{cell}: '{col}' for {key} is not in the plan")
                    continue
                if got is None and want is None:
                    continue
                if got is None or want is None or abs(got - want) > rtol * max(1.0, abs(want)):
                    problems.append(
                        f"{cell} {col} for {key} = {values[j]} but the plan gives {want}"
                    )
    return _family(FamilyResult, fid, checked, problems)


_UNKNOWN = object()


def _blocks(grid: pd.DataFrame) -> list[tuple[str, int, list[Any], list[list[Any]]]]:
    """(title, Excel header row, header, data rows) of each data table on Plan_Charts."""
    out = []
    values = grid.astype(object).where(grid.notna(), None).values.tolist()
    i = 3  # row 4 (FIRST_ROW): tables start after the banner and the explanation
    while i < len(values):
        row = values[i]
        if row and isinstance(row[0], str) and i + 1 < len(values) and values[i + 1][0] is not None:
            header = values[i + 1]
            width = max(j for j, v in enumerate(header) if v is not None) + 1
            header = header[:width]
            data = []
            k = i + 2
            while k < len(values) and values[k][0] is not None:
                data.append(values[k][:width])
                k += 1
            out.append((row[0], i + 2, header, data))
            i = k
        else:
            i += 1
    return out


def _chart_values(tables: dict[str, pd.DataFrame], inputs: Any) -> dict[str, Any]:
    pp = tables.get("Plan_Personnel")
    pb = tables.get("Plan_Budget")
    pf = tables.get("Plan_Funding")
    pe = tables.get("Plan_Equipment")
    pt = tables.get("Plan_Training")

    def num(frame, col):
        return pd.to_numeric(frame[col], errors="coerce")

    band = _active_band(inputs)
    reserve = {
        (str(r["trade"]), str(r["grade"]))
        for r in inputs.tables["Personnel"]
        if (r.get("component") or "active") != "active"
    }
    active = (  # a missing Plan_Personnel is reported by each chart cell (below)
        None
        if pp is None or not {"trade", "grade"} <= set(pp.columns)
        else pd.Series(
            [
                (str(t), str(g)) not in reserve
                for t, g in zip(pp["trade"], pp["grade"], strict=True)
            ],
            index=pp.index,
            dtype=bool,
        )
    )

    def strength(key, col):
        y = int(key)
        if col == "strength":  # the active total: the one the band bounds (§8.4)
            rows = (num(pp, "year") == y) & (True if active is None else active)
            return float(num(pp, "strength")[rows].sum())
        if col in ("min_total", "max_total"):
            rec = band.get(y)
            v = None if rec is None else rec.get(col)
            return None if v is None or not math.isfinite(float(v)) else float(v)
        return _UNKNOWN

    def spending(key, col):
        y = int(key)
        if col == "funding available":
            return float(num(pf, "available")[num(pf, "year") == y].sum())
        mask = (num(pb, "year") == y) & (pb["line"].astype(str) == col)
        return float(num(pb, "spend")[mask].sum()) if mask.any() else _UNKNOWN

    def funding(key, col):
        y = int(key)
        if col == "total spending":
            return float(num(pb, "spend")[num(pb, "year") == y].sum())
        mask = (num(pf, "year") == y) & (pf["source"].astype(str) == col)
        return float(num(pf, "available")[mask].sum()) if mask.any() else _UNKNOWN

    def equipment(key, col):
        y = int(key)
        for suffix, column in ((" stock", "stock"), (" requirement", "requirement")):
            if col.endswith(suffix):
                item = col[: -len(suffix)]
                mask = (num(pe, "year") == y) & (pe["equipment"].astype(str) == item)
                return float(num(pe, column)[mask].sum()) if mask.any() else _UNKNOWN
        return _UNKNOWN

    def training(key, col):
        mask = pt["course"].astype(str) == str(key)
        if not mask.any():
            return _UNKNOWN
        if col == "trainees":
            return float(num(pt, "trainees")[mask].sum())
        if col == "capacity":
            cap = num(pt, "capacity")[mask]
            return None if cap.isna().any() else float(cap.sum())
        return _UNKNOWN

    return {
        "Total strength by year": strength,
        "Spending by budget line": spending,
        "Money available by funding source": funding,
        "Equipment stock against requirement": equipment,
        "Training seats used": training,
    }


def check_run(run: dict[str, Any], inputs: Any, objective_name: str) -> Any:
    """D:Plan_Run: options that decide what the plan means, against the inputs."""
    problems = []
    recorded = run.get("objective")
    setting = inputs.settings.get("objective")
    if recorded not in ("min_cost", "max_capability", "custom"):
        problems.append(f"Plan_Run objective '{recorded}' is not an objective forceplan knows")
    stages = str(run.get("solve_stages") or "")
    if stages and recorded and not stages.startswith(str(recorded)):
        problems.append(
            f"Plan_Run objective '{recorded}' differs from the first solve stage '{stages}'"
        )
    _ = setting, objective_name
    return _family(FamilyResult, "D:Plan_Run", 2, problems)


def read_free_layout(path: Any) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """The sheet names of a plan workbook and the cell grids of Plan_Summary and Plan_Charts
    (header=None: Excel row r is grid row r-1)."""
    from forceplan.plan_reader import FREE_LAYOUT

    with pd.ExcelFile(path, engine="calamine") as book:
        names = list(book.sheet_names)
        wanted = [n for n in FREE_LAYOUT if n in names]
        grids = pd.read_excel(book, sheet_name=wanted, header=None) if wanted else {}
    return names, grids
