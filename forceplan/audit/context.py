"""The audit's view of a plan: the inputs with their per-year overrides resolved (MODEL.md
§7.1), joined with the plan's decision values, one frame per index (class × year, arc ×
year, ...), and the helpers every family module uses.

The audit reads only the typed inputs (`forceplan.inputs.Inputs`) and the `Plan_` tables
(pandas DataFrames with the MODEL.md §6 columns); it never imports Pyomo, HiGHS or the
model code. Plan rows that are missing, duplicated, unknown or without a whole year are
flagged in the family ROWS; negative decision values in NN.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forceplan import schema
from forceplan.audit.money import Money, read_money
from forceplan.audit.verdict import Checks
from forceplan.inputs import Inputs

CLASS = ["trade", "grade"]
ARC = ["from_trade", "from_grade", "to_trade", "to_grade"]

#: Plan_ table -> (key columns, decision columns checked for non-negativity)
PLAN_KEYS: dict[str, tuple[list[str], list[str]]] = {
    "Plan_Personnel": (
        [*CLASS, "year"],
        ["strength", "accessions", "separations", "limited_duty", "overstrength", "shortfall"],
    ),
    "Plan_Transitions": ([*ARC, "year"], ["moved"]),
    "Plan_Cohorts": ([*CLASS, "years_served", "year"], ["strength", "leaving"]),
    "Plan_Training": (["course", "year"], ["trainees", "expansion"]),
    "Plan_Units": (["unit_type", "year"], ["units", "activations", "disbandments", "shortfall"]),
    "Plan_Equipment": (
        ["equipment", "year"],
        ["stock", "orders", "donations", "disposals", "shortfall"],
    ),
    "Plan_Budget": (["line", "year"], ["spend", "committed_after_horizon"]),
    "Plan_Funding": (["source", "year"], ["carried_out"]),
    "Plan_Allocation": (["source", "line", "year"], ["amount"]),
}


# --- inputs -----------------------------------------------------------------------------


def records(inputs: Inputs, sheet: str) -> pd.DataFrame:
    table = inputs.tables[sheet]
    columns = [*table.sheet.column_names, "_row"]
    return pd.DataFrame(table.records, columns=columns)


def num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(float)


def by_year(frame: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    return frame.merge(pd.DataFrame({"year": years}), how="cross")


def _override(
    base: pd.DataFrame, over: pd.DataFrame, keys: list[str], columns: dict[str, str]
) -> pd.DataFrame:
    """Per-year overrides: a non-blank `over[col]` replaces `base[target]` (MODEL.md §7.1)."""
    cols = list(columns)
    picked = over[keys + cols].rename(columns={c: f"{c}__ov" for c in cols})
    merged = base.merge(picked, on=keys, how="left")
    for col, target in columns.items():
        given = num(merged[f"{col}__ov"])
        merged[target] = given.where(given.notna(), num(merged[target]))
    return merged.drop(columns=[f"{c}__ov" for c in cols])


def names(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    return tuple(value)


def pick(names: tuple[str, ...], everything: set[str]) -> set[str]:
    return set(everything) if not names or "*" in names else set(names)


def label(frame: pd.DataFrame, *parts: str) -> pd.Series:
    """'infantry/E1 2027' style labels: the key columns joined by '/', then the year."""
    names = [c for c in parts if c != "year"]
    text = frame[names[0]].astype(str)
    for col in names[1:]:
        text = text + "/" + frame[col].astype(str)
    if "year" in parts:
        text = text + " " + frame["year"].astype(int).astype(str)
    return text


def arc_label(frame: pd.DataFrame) -> pd.Series:
    return (
        label(frame, "from_trade", "from_grade")
        + " → "
        + label(frame, "to_trade", "to_grade", "year")
    )


# --- plan tables ------------------------------------------------------------------------


# --- courses that take years (C2, MODEL.md §8.3) ------------------------------------


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


# --- plan tables ------------------------------------------------------------------------


def _plan(tables: dict[str, pd.DataFrame], checks: Checks, name: str) -> pd.DataFrame:
    """A Plan_ table with its Excel row numbers, numeric values and every contract column
    (a missing column reads as blank); rows without a whole year are flagged and dropped."""
    keys, values = PLAN_KEYS[name]
    frame = tables.get(name)
    if frame is None:
        frame = pd.DataFrame(columns=list(schema.PLAN_COLUMNS.get(name, keys + values)))
    frame = frame.reset_index(drop=True).copy()
    frame["_plan_row"] = frame.index + 2  # Excel row on the Plan_ sheet (header in row 1)
    for col in schema.PLAN_COLUMNS.get(name, keys + values):
        if col not in frame:
            frame[col] = np.nan
    for col in frame.columns:
        if col not in keys and col != "_plan_row" and col in schema.PLAN_COLUMNS.get(name, ()):
            frame[col] = num(frame[col])
    year = num(frame["year"])
    bad = year.isna() | (year != year.round())
    checks.flag("ROWS", [f"{name} row {r}: no valid year" for r in frame.loc[bad, "_plan_row"]])
    frame = frame.loc[~bad].copy()
    frame["year"] = year[~bad].astype(int)
    for key in keys:
        if key != "year":
            frame[key] = frame[key].astype(str)
    return frame


def _attach(
    checks: Checks,
    name: str,
    expected: pd.DataFrame,
    plan: pd.DataFrame,
    keys: list[str],
    label_cols: tuple[str, ...],
    dense: bool = True,
) -> pd.DataFrame:
    """`expected` (one row per key) left-joined with the plan's rows; ROWS flags missing,
    duplicate and unknown plan rows."""
    problems: list[str] = []
    dup = plan.duplicated(keys, keep="first")
    problems += [f"{name} row {r}: duplicate row" for r in plan.loc[dup, "_plan_row"]]
    plan = plan.loc[~dup]
    probe = plan[[*keys, "_plan_row"]].merge(
        expected[keys].assign(_known=True), on=keys, how="left"
    )
    unknown = probe.loc[probe["_known"].isna(), "_plan_row"]
    problems += [f"{name} row {r}: not a row of the inputs" for r in unknown]
    cols = [c for c in plan.columns if c not in expected.columns or c in keys]
    merged = expected.merge(plan[cols], on=keys, how="left")
    if dense:
        missing = merged["_plan_row"].isna()
        labels = label(merged.loc[missing], *label_cols)
        problems += [f"{name}: missing row {lab}" for lab in labels]
    checks.passed("ROWS", [f"{name} {len(merged)} rows"])
    checks.flag("ROWS", problems)
    return merged


@dataclass
class Context:
    """Inputs with overrides resolved, joined with the plan's values, one frame per index.

    Family modules add their computed columns to these frames (`derive`), read them in
    `check`, and may leave what later steps need in `implied` (e.g. the shortfalls the plan
    implies) or `extra` (anything a new family wants to share with its own later steps).
    """

    inputs: Inputs
    years: list[int]
    elastic: bool
    integer_units: bool  # whole units: their bound rows have MIP prices (Plan_Constraints)
    pp: pd.DataFrame  # class x year
    pt: pd.DataFrame  # arc x year
    pc: pd.DataFrame  # course x year
    pu: pd.DataFrame  # unit type x year
    pe: pd.DataFrame  # equipment x year
    pb: pd.DataFrame  # line x year
    funding: pd.DataFrame | None  # source x year (None: no Funding records)
    alloc: pd.DataFrame  # the plan's allocation rows
    sources: dict[str, dict[str, Any]]
    lines: list[str]
    durations: dict[str, float]
    money: Money  # §8.6-8.7: index, rates, fixed spending
    tables: dict[str, pd.DataFrame]  # the plan's tables as given
    penalties: dict[str, float] = field(default_factory=dict)
    implied: dict[str, pd.DataFrame] = field(default_factory=dict)  # elastic P7/P8 shortfalls
    costs: list[pd.DataFrame] = field(default_factory=list)  # cost terms of every family
    objective_value: float | None = None  # the objective the plan implies (OBJ)
    facts: dict[str, Any] = field(default_factory=dict)  # headline figures (Plan_Summary)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> dict[str, Any]:
        return self.inputs.settings

    @property
    def y0(self) -> int:
        return self.years[0]


def _class_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    cls = records(inputs, "Personnel")
    base = pd.DataFrame(
        {
            "trade": cls["trade"],
            "grade": cls["grade"],
            "init": num(cls["initial_strength"]).fillna(0.0),
            "attr": num(cls["attrition_rate"]).fillna(0.0),
            "fyattr": num(cls["first_year_attrition_rate"]).fillna(
                num(cls["attrition_rate"]).fillna(0.0)
            ),
            "annual_cost": num(cls["annual_cost"]),
            "accession_cost": num(cls["accession_cost"]),
            "separation_cost": num(cls["separation_cost"]),
            "overstrength_cost": num(cls["overstrength_cost"]),
            "overstrength_max": num(cls["overstrength_max"]),
            "ld_max": num(cls["limited_duty_max"]).fillna(0.0),
            "ld_avail": num(cls["limited_duty_availability"]),
            "ld_cost": num(cls["limited_duty_cost"]),
            "acc_courses": cls["accession_courses"].map(names),
            "acc_min": num(cls["accession_min"]),
            "acc_max": num(cls["accession_max"]),
            "sep_min": num(cls["separation_min"]),
            "sep_max": num(cls["separation_max"]),
            "req_direct": 0.0,
            "min_strength": 0.0,
            "max_strength": math.inf,
            # v2 (MODEL.md §8.1, §8.4)
            "elig": num(cls["move_eligible_share"]).fillna(1.0),
            "component": cls["component"].fillna("active").replace("", "active"),
            "ld_share_min": num(cls["limited_duty_share_min"]).fillna(0.0),
            "step_max": num(cls["accession_step_max"]).fillna(math.inf),
            "max_service": num(cls["max_service_years"]),  # §8.2: P9 per cohort
            "ld_min": 0.0,
        }
    )
    frame = by_year(base, years)
    over = records(inputs, "PersonnelYears")
    return _override(
        frame,
        over,
        [*CLASS, "year"],
        {
            "accession_min": "acc_min",
            "accession_max": "acc_max",
            "separation_min": "sep_min",
            "separation_max": "sep_max",
            "requirement": "req_direct",
            "min_strength": "min_strength",
            "max_strength": "max_strength",
            "limited_duty_min": "ld_min",
            "annual_cost": "annual_cost",  # §8.6 per-year overrides
            "accession_cost": "accession_cost",
            "attrition_rate": "attr",
        },
    ).pipe(_fyattr_follows, inputs)


def _fyattr_follows(frame: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """A blank first_year_attrition_rate follows the year's attrition rate (§8.6)."""
    follows = {
        (r["trade"], r["grade"]) for r in inputs.tables["Personnel"] if r.get("_fyattr_follows")
    }
    mask = [(t, g) in follows for t, g in zip(frame["trade"], frame["grade"], strict=True)]
    frame["fyattr"] = frame["fyattr"].where(~np.array(mask, dtype=bool), frame["attr"])
    return frame


def _arc_frame(inputs: Inputs, years: list[int], durations: dict[str, float]) -> pd.DataFrame:
    arcs = records(inputs, "Transitions")
    base = arcs[ARC].copy()
    base["cost"] = num(arcs["cost"])
    base["max_per_year"] = num(arcs["max_per_year"])
    base["max_share"] = num(arcs["max_share_of_destination"])
    base["loss"] = num(arcs["loss_rate"]).fillna(0.0)
    base["courses"] = arcs["course"].map(names)
    base["load"] = base["courses"].map(lambda cs: profile(durations, cs))
    return by_year(base, years)


def _course_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    courses = records(inputs, "Courses")
    base = pd.DataFrame(
        {
            "course": courses["course"],
            "capacity_in": num(courses["capacity"]),
            "cost": num(courses["cost_per_trainee"]),
            "duration": num(courses["duration_years"]).fillna(0.0),
            "instructor_trade": courses["instructor_trade"].fillna(""),
            "instructor_grade": courses["instructor_grade"].fillna(""),
            "per_instructor": num(courses["trainees_per_instructor"]),
            "expansion_cost": num(courses["expansion_cost"]),
            "expansion_max": num(courses["expansion_max"]).fillna(0.0),
        }
    )
    frame = by_year(base, years)
    over = records(inputs, "CourseYears")
    return _override(frame, over, ["course", "year"], {"capacity": "capacity_in"})


def _unit_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    units = records(inputs, "UnitTypes")
    base = pd.DataFrame(
        {
            "unit_type": units["unit_type"],
            "init": num(units["initial_units"]).fillna(0.0),
            "capability": num(units["capability_score"]).fillna(0.0),
            "om_cost": num(units["om_cost"]),
            "activation_cost": num(units["activation_cost"]),
            "activation_max": num(units["activation_max"]),
            "disbandment_cost": num(units["disbandment_cost"]),
            "min_units": num(units["min_units"]).fillna(0.0),
            "max_units": num(units["max_units"]),
        }
    )
    frame = by_year(base, years)
    over = records(inputs, "UnitYears")
    return _override(
        frame,
        over,
        ["unit_type", "year"],
        {"min_units": "min_units", "max_units": "max_units", "om_cost": "om_cost"},
    )


def _equipment_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    eq = records(inputs, "Equipment")
    line = eq["budget_line"].where(eq["budget_line"].fillna("").astype(str) != "", "procurement")
    base = pd.DataFrame(
        {
            "equipment": eq["equipment"],
            "init": num(eq["initial_stock"]).fillna(0.0),
            "price": num(eq["unit_price"]),
            "om_cost": num(eq["om_cost"]),
            "attr": num(eq["attrition_rate"]).fillna(0.0),
            "lead": num(eq["lead_time_years"]).fillna(0).astype(int),
            "proc_max": num(eq["procurement_max"]),
            "line": line,
            "integer": eq["integer"].fillna(False).astype(bool),
            "currency": eq["currency"],
            "profile": eq["payment_profile"],
            "don_max": 0.0,
            "scheduled": 0.0,
            "req_direct": 0.0,
        }
    )
    frame = by_year(base, years)
    over = records(inputs, "EquipmentYears")
    return _override(
        frame,
        over,
        ["equipment", "year"],
        {
            "unit_price": "price",
            "procurement_max": "proc_max",
            "donations_max": "don_max",
            "scheduled_deliveries": "scheduled",
            "requirement": "req_direct",
            "om_cost": "om_cost",  # §8.6 per-year overrides
            "attrition_rate": "attr",
        },
    )


def budget_lines(inputs: Inputs) -> list[str]:
    lines = list(schema.STANDARD_LINES)
    for rec in inputs.tables["Equipment"]:
        line = rec.get("budget_line") or "procurement"
        if line not in lines:
            lines.append(line)
    return lines


def read_sources(inputs: Inputs) -> dict[str, dict[str, Any]]:
    """Funding source -> lines (set, or None = any), carryover, amount per year, first year."""
    out: dict[str, dict[str, Any]] = {}
    for rec in inputs.tables["Funding"]:
        src = out.setdefault(
            rec["source"],
            {
                "lines": None
                if not names(rec["lines"]) or "*" in names(rec["lines"])
                else set(names(rec["lines"])),
                "carryover": bool(rec["carryover"]),
                "amount": defaultdict(float),
                "first_year": rec["year"],
                "currency": rec.get("currency"),
                "expires": rec.get("expires_after") if rec["carryover"] else None,
            },
        )
        src["amount"][rec["year"]] += float(rec["amount"] or 0.0)
        src["first_year"] = min(src["first_year"], rec["year"])
    return out


# --- joining the plan -------------------------------------------------------------------


# --- joining the plan -------------------------------------------------------------------


def build_context(
    inputs: Inputs,
    tables: dict[str, pd.DataFrame],
    elastic: bool,
    integer_units: bool,
    checks: Checks,
) -> Context:
    """The inputs' frames joined with the plan's tables; ROWS flags what does not match."""
    years = list(inputs.years)
    courses = _course_frame(inputs, years)
    durations = dict(zip(courses["course"], courses["duration"], strict=False))
    lines = budget_lines(inputs)
    sources = read_sources(inputs)
    pp = _attach(
        checks,
        "Plan_Personnel",
        _class_frame(inputs, years),
        _plan(tables, checks, "Plan_Personnel"),
        [*CLASS, "year"],
        (*CLASS, "year"),
    )
    pt = _attach(
        checks,
        "Plan_Transitions",
        _arc_frame(inputs, years, durations),
        _plan(tables, checks, "Plan_Transitions"),
        [*ARC, "year"],
        (*ARC, "year"),
    )
    pc = _attach(
        checks,
        "Plan_Training",
        courses,
        _plan(tables, checks, "Plan_Training"),
        ["course", "year"],
        ("course", "year"),
    )
    pu = _attach(
        checks,
        "Plan_Units",
        _unit_frame(inputs, years),
        _plan(tables, checks, "Plan_Units"),
        ["unit_type", "year"],
        ("unit_type", "year"),
    )
    pe = _attach(
        checks,
        "Plan_Equipment",
        _equipment_frame(inputs, years),
        _plan(tables, checks, "Plan_Equipment"),
        ["equipment", "year"],
        ("equipment", "year"),
    )
    line_years = by_year(pd.DataFrame({"line": lines}), years)
    pb = _attach(
        checks,
        "Plan_Budget",
        line_years,
        _plan(tables, checks, "Plan_Budget"),
        ["line", "year"],
        ("line", "year"),
    )
    funding, alloc = None, _plan(tables, checks, "Plan_Allocation")
    if sources:
        source_years = by_year(pd.DataFrame({"source": list(sources)}), years)
        funding = _attach(
            checks,
            "Plan_Funding",
            source_years,
            _plan(tables, checks, "Plan_Funding"),
            ["source", "year"],
            ("source", "year"),
        )
        alloc = _allocation(checks, alloc, sources, lines, years)
    elif len(alloc):
        flagged = [f"Plan_Allocation row {r}: no Funding records" for r in alloc["_plan_row"]]
        checks.flag("ROWS", flagged)
    return Context(
        inputs,
        years,
        elastic,
        integer_units,
        pp,
        pt,
        pc,
        pu,
        pe,
        pb,
        funding,
        alloc,
        sources,
        lines,
        durations,
        read_money(inputs),
        tables,
    )


def _allocation(
    checks: Checks,
    alloc: pd.DataFrame,
    sources: dict[str, dict[str, Any]],
    lines: list[str],
    years: list[int],
) -> pd.DataFrame:
    """The plan's allocation rows (sparse: a missing row is 0), marked `_allowed` when the
    source may pay for the line; duplicates and unknown names are flagged in ROWS."""
    dup = alloc.duplicated(["source", "line", "year"], keep="first")
    problems = [f"Plan_Allocation row {r}: duplicate row" for r in alloc.loc[dup, "_plan_row"]]
    alloc = alloc.loc[~dup].copy()
    known = alloc["source"].isin(list(sources)) & alloc["line"].isin(lines)
    known &= alloc["year"].isin(years)
    problems += [
        f"Plan_Allocation row {r}: unknown source, line or year"
        for r in alloc.loc[~known, "_plan_row"]
    ]
    alloc = alloc.loc[known].copy()
    alloc["_allowed"] = [
        sources[s]["lines"] is None or b in sources[s]["lines"]
        for s, b in zip(alloc["source"], alloc["line"], strict=True)
    ]
    alloc["amount"] = alloc["amount"].fillna(0.0)
    checks.passed("ROWS", [f"Plan_Allocation {len(alloc)} rows"])
    checks.flag("ROWS", problems)
    return alloc


def sum_into(
    target: pd.DataFrame, parts: pd.DataFrame, keys: list[str], value: str, name: str
) -> None:
    """target[name] = Σ parts[value] grouped by keys (0 where nothing matches)."""
    if len(parts):
        total = parts.groupby(keys, sort=False)[value].sum().rename(name).reset_index()
        total["year"] = total["year"].astype(int)
        merged = target[keys].merge(total, on=keys, how="left")
        target[name] = merged[name].fillna(0.0).to_numpy()
    else:
        target[name] = 0.0


def previous(frame: pd.DataFrame, keys: list[str], value: str, y0: int) -> pd.Series:
    """Last year's value per key (frames are in year order); the base state in first_year."""
    prev = frame.groupby(keys, sort=False)[value].shift(1)
    return prev.where(frame["year"] != y0, frame["init"])


# --- helpers of the family checks ---------------------------------------------------


def shortfall_zero(ctx: Context, checks: Checks, fid: str, frame: pd.DataFrame, labels) -> None:
    """Outside elastic mode a shortfall column must be 0."""
    if not ctx.elastic:
        checks.add(fid, labels + ": shortfall outside elastic mode", frame["shortfall"], "<=", 0.0)


def integer(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    x = values.to_numpy(dtype=float)
    return x, np.round(x)


def same(
    checks: Checks,
    fid: str,
    labels: pd.Series,
    frame: pd.DataFrame,
    column: str,
    expected: Any,
    scale: Any = None,
) -> None:
    """frame[column] equals `expected`; a non-finite expected value means a blank cell."""
    got = num(frame[column]).to_numpy()
    want = np.asarray(expected, dtype=float)
    blank_want, blank_got = ~np.isfinite(want), np.isnan(got)
    lhs = np.where(blank_want & blank_got, 0.0, got)
    lhs = np.where(blank_want != blank_got, np.nan, lhs)  # blank on one side only: a violation
    rhs = np.where(blank_want, 0.0, want)
    checks.add(fid, labels + f": {column}", lhs, "==", rhs, scale)


def nonnegative(ctx: Context, tables: dict[str, pd.DataFrame], checks: Checks) -> None:
    for name, (_keys, values) in PLAN_KEYS.items():
        frame = tables.get(name)
        if frame is None or not len(frame):
            continue
        rows = (np.arange(len(frame)) + 2).astype(str)
        for col in values:
            if col in frame:
                labels = np.char.add(f"{name} row ", rows).astype(object) + f" {col}"
                checks.add("NN", labels, num(frame[col]).fillna(0.0), ">=", 0.0)


def col_letter(i: int) -> str:
    """0-based column number -> Excel letters."""
    text = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        text = chr(65 + r) + text
    return text


def cells(frame: pd.DataFrame, sheet: str, column: str, columns: list[str]) -> pd.Series:
    """'Plan_X!C7' per row of a frame joined with a plan table (its `_plan_row`)."""
    letter = col_letter(columns.index(column)) if column in columns else "?"
    rows = frame["_plan_row"].map(lambda r: "?" if pd.isna(r) else str(int(r)))
    return f"{sheet}!{letter}" + rows
