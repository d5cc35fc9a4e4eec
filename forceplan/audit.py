"""Re-check a plan against its inputs, independently of the model and the solver.

The audit reads only the typed inputs (`forceplan.inputs.Inputs`) and the `Plan_` tables
(pandas DataFrames with the MODEL.md §6 columns); it never imports Pyomo, HiGHS or the
model code. It resolves the per-year overrides itself (MODEL.md §7.1), recomputes both
sides of every constraint family of MODEL.md §3 (P1-P8, T1, C1, U1, E1, E2, B1-B3) from
the inputs and the plan's decision values, and reports, per family, how many rows it
checked and the worst row.

Families besides the MODEL.md ones:
- ROWS: every Plan_ table has exactly one row per class/arc/course/... and year;
- NN: decision values are non-negative;
- OBJ: the objective value equals Σ df·spend (+ penalties, elastic mode) for min_cost
  (Σ capability − penalties for max_capability; the weighted metrics for custom);
- SH: elastic mode only, when a Plan_Shortfalls table is given: its amounts per
  constraint and year equal the shortfalls implied by the plan;
- D:<sheet>: the derived (non-decision) columns of each Plan_ table.

B1 is the cost ledger: every cost term of MODEL.md §7.5 per (line, year) against
Plan_Budget.spend.

Tolerance: a row fails when its violation exceeds RTOL × max(1, |rhs|), RTOL = 1e-6, where
rhs is the side recomputed from the inputs (for balances: the whole flow expression). Where
a value is a difference of large ones (Plan_Funding.unspent, a listed shortfall), |rhs| is
replaced by the size of those values when larger: solver noise on a 10¹² budget is not a
violation of a zero.
For each family the worst row is the one furthest beyond its own tolerance (violation /
tolerance largest); `max_violation` and `tolerance` are that row's values.

In elastic mode the end-strength (P7) and ratio (P8) shortfalls do not appear in the
contract tables; the audit uses the shortfalls the plan implies (the amount by which a
side is missed), which equal the solver's shortfall variables at an optimum because every
penalty is positive.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forceplan import audit_cohorts, audit_money, schema
from forceplan.inputs import Inputs

RTOL = 1e-6
MAX_LISTED = 10  # failing rows listed per family

STANDARD_LINES = (
    "personnel",
    "recruiting",
    "separation",
    "training",
    "units",
    "sustainment",
    "procurement",
)

FAMILY_ORDER = (
    "ROWS",
    "NN",
    "P1",
    "P2",
    "P3",
    "P4",
    "P5",
    "P6",
    "P7",
    "P8",
    "P9",
    "P10",
    "P11",
    "P12",
    "T1",
    "C1",
    "U1",
    "E1",
    "E2",
    "E3",
    "B1",
    "B2",
    "B3",
    "OBJ",
    "SH",
    "D:Plan_Personnel",
    "D:Plan_Transitions",
    "D:Plan_Training",
    "D:Plan_Cohorts",
    "D:Plan_Equipment",
    "D:Plan_Budget",
    "D:Plan_Funding",
    "D:Plan_Constraints",
    "D:Plan_Shortfalls",
)

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


# --- report -----------------------------------------------------------------------------


@dataclass
class FamilyResult:
    id: str
    rows_checked: int
    max_violation: float  # violation at the worst row
    worst_row: str
    tolerance: float  # tolerance at the worst row
    failed: int = 0  # rows beyond their tolerance
    failing_rows: list[str] = field(default_factory=list)  # worst first, at most MAX_LISTED

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass
class AuditReport:
    families: list[FamilyResult]
    rtol: float = RTOL
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # headline figures recomputed

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.families)

    def __getitem__(self, family_id: str) -> FamilyResult:
        for fam in self.families:
            if fam.id == family_id:
                return fam
        raise KeyError(family_id)

    @property
    def failures(self) -> list[FamilyResult]:
        return [f for f in self.families if not f.ok]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "family": f.id,
                    "ok": f.ok,
                    "rows_checked": f.rows_checked,
                    "failed": f.failed,
                    "max_violation": f.max_violation,
                    "tolerance": f.tolerance,
                    "worst_row": f.worst_row,
                }
                for f in self.families
            ]
        )

    def text(self) -> str:
        head = (
            f"audit {'PASSED' if self.ok else 'FAILED'}: a row fails when its violation "
            f"exceeds {self.rtol:g} × max(1, |rhs|) (for a difference of large values: "
            "their size)"
        )
        lines = [head]
        lines += [n for n in self.notes if n.startswith("most likely edited")]
        for f in self.families:
            mark = "ok  " if f.ok else "FAIL"
            lines.append(
                f"{mark} {f.id:<20} rows {f.rows_checked:>6}  worst {f.max_violation:.3g} "
                f"(tol {f.tolerance:.3g}) at {f.worst_row}"
            )
            lines += [f"       {row}" for row in f.failing_rows if not f.ok]
        return "\n".join(lines + [n for n in self.notes if not n.startswith("most likely")])


class _Checks:
    """Rows checked per family: violation, tolerance and a label for each row."""

    def __init__(self, rtol: float = RTOL) -> None:
        self.rtol = rtol
        self.rows: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = defaultdict(list)

    def add(self, fid: str, labels: Any, lhs: Any, sense: str, rhs: Any, scale: Any = None) -> None:
        """Rows `lhs sense rhs` (sense '==', '<=' or '>='); rows with a non-finite rhs are no
        constraint and are skipped; a missing (NaN) lhs is a violation. `scale` (optional):
        the size of the quantities a near-zero rhs is the difference of (e.g. `available`
        for `unspent = available - spent`); the tolerance is then RTOL × max(1, |rhs|,
        |scale|), so that solver noise on large values is not taken for a violation."""
        self.rows[fid]  # the family is reported even with no rows
        lhs = np.asarray(lhs, dtype=float)
        rhs = np.broadcast_to(np.asarray(rhs, dtype=float), lhs.shape)
        labels = np.broadcast_to(np.asarray(labels, dtype=object), lhs.shape)
        size = np.zeros(lhs.shape) if scale is None else np.asarray(scale, dtype=float)
        size = np.broadcast_to(np.nan_to_num(np.abs(size), posinf=0.0), lhs.shape)
        keep = np.isfinite(rhs)
        lhs, rhs, labels, size = lhs[keep], rhs[keep], labels[keep], size[keep]
        if sense == "==":
            viol = np.abs(lhs - rhs)
        elif sense == "<=":
            viol = np.maximum(0.0, lhs - rhs)
        else:
            viol = np.maximum(0.0, rhs - lhs)
        viol = np.where(np.isnan(viol), np.inf, viol)
        tol = self.rtol * np.maximum(np.maximum(1.0, np.abs(rhs)), size)
        self.rows[fid].append((viol, tol, labels))

    def flag(self, fid: str, labels: list[str]) -> None:
        """Structural problems: each label is one failing row."""
        self.add(fid, np.array(labels, dtype=object), np.ones(len(labels)), "==", 0.0)

    def passed(self, fid: str, labels: Any) -> None:
        """Rows that were checked and are fine (e.g. a structural check that found nothing)."""
        labels = np.asarray(labels, dtype=object)
        self.add(fid, labels, np.zeros(len(labels)), "==", 0.0)

    def touch(self, fid: str) -> None:
        self.rows[fid]

    def result(self, fid: str) -> FamilyResult:
        parts = self.rows.get(fid, [])
        if not parts or not sum(len(p[0]) for p in parts):
            return FamilyResult(fid, 0, 0.0, "", 0.0)
        viol = np.concatenate([p[0] for p in parts])
        tol = np.concatenate([p[1] for p in parts])
        labels = np.concatenate([p[2] for p in parts])
        ratio = viol / tol
        order = np.argsort(-ratio, kind="stable")
        worst = order[0]
        bad = order[ratio[order] > 1.0]
        return FamilyResult(
            fid,
            len(viol),
            float(viol[worst]),
            str(labels[worst]),
            float(tol[worst]),
            len(bad),
            [str(labels[i]) for i in bad[:MAX_LISTED]],
        )

    def report(self) -> list[FamilyResult]:
        ids = [f for f in FAMILY_ORDER if f in self.rows] + [
            f for f in self.rows if f not in FAMILY_ORDER
        ]
        return [self.result(f) for f in ids]


# --- inputs -----------------------------------------------------------------------------


def _records(inputs: Inputs, sheet: str) -> pd.DataFrame:
    table = inputs.tables[sheet]
    columns = [*table.sheet.column_names, "_row"]
    return pd.DataFrame(table.records, columns=columns)


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype(float)


def _by_year(frame: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    return frame.merge(pd.DataFrame({"year": years}), how="cross")


def _override(
    base: pd.DataFrame, over: pd.DataFrame, keys: list[str], columns: dict[str, str]
) -> pd.DataFrame:
    """Per-year overrides: a non-blank `over[col]` replaces `base[target]` (MODEL.md §7.1)."""
    cols = list(columns)
    picked = over[keys + cols].rename(columns={c: f"{c}__ov" for c in cols})
    merged = base.merge(picked, on=keys, how="left")
    for col, target in columns.items():
        given = _num(merged[f"{col}__ov"])
        merged[target] = given.where(given.notna(), _num(merged[target]))
    return merged.drop(columns=[f"{c}__ov" for c in cols])


def _names(value: Any) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    return tuple(value)


def _pick(names: tuple[str, ...], everything: set[str]) -> set[str]:
    return set(everything) if not names or "*" in names else set(names)


def _label(frame: pd.DataFrame, *parts: str) -> pd.Series:
    """'infantry/E1 2027' style labels: the key columns joined by '/', then the year."""
    names = [c for c in parts if c != "year"]
    text = frame[names[0]].astype(str)
    for col in names[1:]:
        text = text + "/" + frame[col].astype(str)
    if "year" in parts:
        text = text + " " + frame["year"].astype(int).astype(str)
    return text


def _arc_label(frame: pd.DataFrame) -> pd.Series:
    return (
        _label(frame, "from_trade", "from_grade")
        + " → "
        + _label(frame, "to_trade", "to_grade", "year")
    )


# --- plan tables ------------------------------------------------------------------------


def _plan(tables: dict[str, pd.DataFrame], checks: _Checks, name: str) -> pd.DataFrame:
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
            frame[col] = _num(frame[col])
    year = _num(frame["year"])
    bad = year.isna() | (year != year.round())
    checks.flag("ROWS", [f"{name} row {r}: no valid year" for r in frame.loc[bad, "_plan_row"]])
    frame = frame.loc[~bad].copy()
    frame["year"] = year[~bad].astype(int)
    for key in keys:
        if key != "year":
            frame[key] = frame[key].astype(str)
    return frame


def _attach(
    checks: _Checks,
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
        labels = _label(merged.loc[missing], *label_cols)
        problems += [f"{name}: missing row {lab}" for lab in labels]
    checks.passed("ROWS", [f"{name} {len(merged)} rows"])
    checks.flag("ROWS", problems)
    return merged


@dataclass
class _Ctx:
    """Inputs with overrides resolved, joined with the plan's values, one frame per index."""

    inputs: Inputs
    years: list[int]
    elastic: bool
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
    penalties: dict[str, float] = field(default_factory=dict)
    implied: dict[str, pd.DataFrame] = field(default_factory=dict)  # elastic P7/P8 shortfalls
    money: audit_money.Money | None = None  # §8.6-8.7: index, rates, fixed spending
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the plan (Plan_Cohorts)

    @property
    def settings(self) -> dict[str, Any]:
        return self.inputs.settings

    @property
    def y0(self) -> int:
        return self.years[0]


def _class_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    cls = _records(inputs, "Personnel")
    base = pd.DataFrame(
        {
            "trade": cls["trade"],
            "grade": cls["grade"],
            "init": _num(cls["initial_strength"]).fillna(0.0),
            "attr": _num(cls["attrition_rate"]).fillna(0.0),
            "fyattr": _num(cls["first_year_attrition_rate"]).fillna(
                _num(cls["attrition_rate"]).fillna(0.0)
            ),
            "annual_cost": _num(cls["annual_cost"]),
            "accession_cost": _num(cls["accession_cost"]),
            "separation_cost": _num(cls["separation_cost"]),
            "overstrength_cost": _num(cls["overstrength_cost"]),
            "overstrength_max": _num(cls["overstrength_max"]),
            "ld_max": _num(cls["limited_duty_max"]).fillna(0.0),
            "ld_avail": _num(cls["limited_duty_availability"]),
            "ld_cost": _num(cls["limited_duty_cost"]),
            "acc_courses": cls["accession_courses"].map(_names),
            "acc_min": _num(cls["accession_min"]),
            "acc_max": _num(cls["accession_max"]),
            "sep_min": _num(cls["separation_min"]),
            "sep_max": _num(cls["separation_max"]),
            "req_direct": 0.0,
            "min_strength": 0.0,
            "max_strength": math.inf,
            # v2 (MODEL.md §8.1, §8.4)
            "elig": _num(cls["move_eligible_share"]).fillna(1.0),
            "component": cls["component"].fillna("active").replace("", "active"),
            "ld_share_min": _num(cls["limited_duty_share_min"]).fillna(0.0),
            "step_max": _num(cls["accession_step_max"]).fillna(math.inf),
            "max_service": _num(cls["max_service_years"]),  # §8.2: P9 per cohort
            "ld_min": 0.0,
        }
    )
    frame = _by_year(base, years)
    over = _records(inputs, "PersonnelYears")
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
    arcs = _records(inputs, "Transitions")
    base = arcs[ARC].copy()
    base["cost"] = _num(arcs["cost"])
    base["max_per_year"] = _num(arcs["max_per_year"])
    base["max_share"] = _num(arcs["max_share_of_destination"])
    base["loss"] = _num(arcs["loss_rate"]).fillna(0.0)
    base["courses"] = arcs["course"].map(_names)
    base["load"] = base["courses"].map(lambda cs: audit_cohorts.profile(durations, cs))
    return _by_year(base, years)


def _course_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    courses = _records(inputs, "Courses")
    base = pd.DataFrame(
        {
            "course": courses["course"],
            "capacity_in": _num(courses["capacity"]),
            "cost": _num(courses["cost_per_trainee"]),
            "duration": _num(courses["duration_years"]).fillna(0.0),
            "instructor_trade": courses["instructor_trade"].fillna(""),
            "instructor_grade": courses["instructor_grade"].fillna(""),
            "per_instructor": _num(courses["trainees_per_instructor"]),
            "expansion_cost": _num(courses["expansion_cost"]),
            "expansion_max": _num(courses["expansion_max"]).fillna(0.0),
        }
    )
    frame = _by_year(base, years)
    over = _records(inputs, "CourseYears")
    return _override(frame, over, ["course", "year"], {"capacity": "capacity_in"})


def _unit_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    units = _records(inputs, "UnitTypes")
    base = pd.DataFrame(
        {
            "unit_type": units["unit_type"],
            "init": _num(units["initial_units"]).fillna(0.0),
            "capability": _num(units["capability_score"]).fillna(0.0),
            "om_cost": _num(units["om_cost"]),
            "activation_cost": _num(units["activation_cost"]),
            "activation_max": _num(units["activation_max"]),
            "disbandment_cost": _num(units["disbandment_cost"]),
            "min_units": _num(units["min_units"]).fillna(0.0),
            "max_units": _num(units["max_units"]),
        }
    )
    frame = _by_year(base, years)
    over = _records(inputs, "UnitYears")
    return _override(
        frame,
        over,
        ["unit_type", "year"],
        {"min_units": "min_units", "max_units": "max_units", "om_cost": "om_cost"},
    )


def _equipment_frame(inputs: Inputs, years: list[int]) -> pd.DataFrame:
    eq = _records(inputs, "Equipment")
    line = eq["budget_line"].where(eq["budget_line"].fillna("").astype(str) != "", "procurement")
    base = pd.DataFrame(
        {
            "equipment": eq["equipment"],
            "init": _num(eq["initial_stock"]).fillna(0.0),
            "price": _num(eq["unit_price"]),
            "om_cost": _num(eq["om_cost"]),
            "attr": _num(eq["attrition_rate"]).fillna(0.0),
            "lead": _num(eq["lead_time_years"]).fillna(0).astype(int),
            "proc_max": _num(eq["procurement_max"]),
            "line": line,
            "integer": eq["integer"].fillna(False).astype(bool),
            "currency": eq["currency"],
            "profile": eq["payment_profile"],
            "don_max": 0.0,
            "scheduled": 0.0,
            "req_direct": 0.0,
        }
    )
    frame = _by_year(base, years)
    over = _records(inputs, "EquipmentYears")
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


def _budget_lines(inputs: Inputs) -> list[str]:
    lines = list(STANDARD_LINES)
    for rec in inputs.tables["Equipment"]:
        line = rec.get("budget_line") or "procurement"
        if line not in lines:
            lines.append(line)
    return lines


def _sources(inputs: Inputs) -> dict[str, dict[str, Any]]:
    """Funding source -> lines (set, or None = any), carryover, amount per year, first year."""
    out: dict[str, dict[str, Any]] = {}
    for rec in inputs.tables["Funding"]:
        src = out.setdefault(
            rec["source"],
            {
                "lines": None
                if not _names(rec["lines"]) or "*" in _names(rec["lines"])
                else set(_names(rec["lines"])),
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


def _context(
    inputs: Inputs, tables: dict[str, pd.DataFrame], elastic: bool, checks: _Checks
) -> _Ctx:
    years = list(inputs.years)
    courses = _course_frame(inputs, years)
    durations = dict(zip(courses["course"], courses["duration"], strict=False))
    lines = _budget_lines(inputs)
    sources = _sources(inputs)
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
    line_years = _by_year(pd.DataFrame({"line": lines}), years)
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
        source_years = _by_year(pd.DataFrame({"source": list(sources)}), years)
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
    ctx = _Ctx(
        inputs, years, elastic, pp, pt, pc, pu, pe, pb, funding, alloc, sources, lines, durations
    )
    ctx.money = audit_money.read_money(inputs)
    ctx.tables = tables
    return ctx


def _allocation(
    checks: _Checks,
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


def _sum_into(
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


def _previous(frame: pd.DataFrame, keys: list[str], value: str, y0: int) -> pd.Series:
    """Last year's value per key (frames are in year order); the base state in first_year."""
    prev = frame.groupby(keys, sort=False)[value].shift(1)
    return prev.where(frame["year"] != y0, frame["init"])


def _derive_flows(ctx: _Ctx) -> None:
    """Strength flows per class and year: moves in (net of loss) and out, training load."""
    pp, pt = ctx.pp, ctx.pt
    pp["prev"] = _previous(pp, CLASS, "strength", ctx.y0)
    pt["net_in"] = (1 - pt["loss"]) * pt["moved"]
    pt["in_load"] = audit_cohorts.lagged(pt, ARC, "moved", list(pt["load"]))  # C2 (§8.3)
    into = pt.rename(columns={"to_trade": "trade", "to_grade": "grade"})
    out_of = pt.rename(columns={"from_trade": "trade", "from_grade": "grade"})
    _sum_into(pp, into, [*CLASS, "year"], "net_in", "calc_moves_in")
    _sum_into(pp, out_of, [*CLASS, "year"], "moved", "calc_moves_out")
    _sum_into(pp, into, [*CLASS, "year"], "in_load", "arc_load")
    acc_load = pp["acc_courses"].map(lambda cs: audit_cohorts.profile(ctx.durations, cs))
    own = audit_cohorts.lagged(pp, CLASS, "accessions", list(acc_load))
    pp["calc_training_load"] = own + pp["arc_load"]
    pp["calc_attrition"] = pp["attr"] * pp["prev"] + pp["fyattr"] * pp["accessions"]


def _derive_trainees(ctx: _Ctx) -> None:
    """Trainees per course and year from gross flows (MODEL.md §7.4), seats added so far."""
    pp, pt, pc = ctx.pp, ctx.pt, ctx.pc
    takers = pp[["year", "accessions", "acc_courses"]].explode("acc_courses")
    takers = takers.dropna(subset=["acc_courses"])
    takers.columns = ["year", "flow", "course"]
    movers = pt[["year", "moved", "courses"]].explode("courses").dropna(subset=["courses"])
    movers.columns = ["year", "flow", "course"]
    _sum_into(pc, pd.concat([takers, movers]), ["course", "year"], "flow", "calc_trainees")
    pc["added"] = pc.groupby("course", sort=False)["expansion"].cumsum()
    window = [(1.0,) * audit_cohorts.seat_years(d) for d in pc["duration"]]  # C2 seats
    pc["on_course"] = audit_cohorts.lagged(pc, ["course"], "trainees", window)


def _derive_requirement(ctx: _Ctx) -> None:
    """Requirement R per class and year: unit posts + direct posts + instructor posts."""
    pp, pc, pu = ctx.pp, ctx.pc, ctx.pu
    fill = float(ctx.settings.get("unit_fill_rate") or 1.0)
    posts = _records(ctx.inputs, "Manning").merge(
        pu[["unit_type", "year", "units"]], on="unit_type"
    )
    posts["need"] = fill * _num(posts["personnel"]).fillna(0.0) * posts["units"]
    _sum_into(pp, posts, [*CLASS, "year"], "need", "unit_posts")
    teach = pc[(pc["instructor_trade"] != "") & (pc["instructor_grade"] != "")].copy()
    teach = teach[np.isfinite(teach["per_instructor"])]
    shares = [  # C2 (§8.3): posts follow each year's load; one term for d ≤ 1 as in v1
        tuple(x / n for x in audit_cohorts.load(d))
        for d, n in zip(teach["duration"], teach["per_instructor"], strict=True)
    ]
    teach["need"] = audit_cohorts.lagged(teach, ["course"], "trainees", shares)
    teach = teach.rename(columns={"instructor_trade": "trade", "instructor_grade": "grade"})
    _sum_into(pp, teach, [*CLASS, "year"], "need", "instructor_posts")
    pp["calc_requirement"] = pp["unit_posts"] + pp["req_direct"] + pp["instructor_posts"]


def _derive_stocks(ctx: _Ctx) -> None:
    """Units and equipment: previous counts, order arrivals, the stock requirement."""
    pu, pe = ctx.pu, ctx.pe
    efill = float(ctx.settings.get("equipment_fill_rate") or 1.0)
    pu["prev"] = _previous(pu, ["unit_type"], "units", ctx.y0)
    pe["prev"] = _previous(pe, ["equipment"], "stock", ctx.y0)
    arrivals = pe[["equipment", "year", "orders", "lead"]].copy()
    arrivals["year"] = arrivals["year"] + arrivals["lead"]  # orders before first_year: none
    _sum_into(pe, arrivals, ["equipment", "year"], "orders", "arriving")
    kit = _records(ctx.inputs, "Equipping").merge(
        pu[["unit_type", "year", "units"]], on="unit_type"
    )
    kit["need"] = efill * _num(kit["quantity"]).fillna(0.0) * kit["units"]
    _sum_into(pe, kit, ["equipment", "year"], "need", "unit_need")
    pe["calc_requirement"] = pe["unit_need"] + pe["req_direct"]
    pe["calc_deliveries"] = pe["arriving"] + pe["scheduled"]


# --- personnel: P1-P8 -------------------------------------------------------------------


def _p1_balance(ctx: _Ctx, checks: _Checks) -> None:
    pp = ctx.pp
    rhs = (
        (1 - pp["attr"]) * pp["prev"]
        + (1 - pp["fyattr"]) * pp["accessions"]
        + pp["calc_moves_in"]
        - pp["calc_moves_out"]
        - pp["separations"]
    )
    checks.add("P1", _label(pp, *CLASS, "year"), pp["strength"], "==", rhs)


def _shortfall_zero(ctx: _Ctx, checks: _Checks, fid: str, frame: pd.DataFrame, labels) -> None:
    """Outside elastic mode a shortfall column must be 0."""
    if not ctx.elastic:
        checks.add(fid, labels + ": shortfall outside elastic mode", frame["shortfall"], "<=", 0.0)


def _p2_manning(ctx: _Ctx, checks: _Checks) -> None:
    pp = ctx.pp
    labels = _label(pp, *CLASS, "year")
    shortfall = pp["shortfall"].fillna(0.0) if ctx.elastic else 0.0
    rhs = (
        pp["calc_requirement"]
        + pp["calc_training_load"]
        + pp["overstrength"]
        + (1 - pp["ld_avail"]) * pp["limited_duty"]
        - shortfall
    )
    checks.add("P2", labels, pp["strength"], "==", rhs)
    _shortfall_zero(ctx, checks, "P2", pp, labels)


def _class_caps(
    ctx: _Ctx, checks: _Checks, fid: str, column: str, lo: str | None, hi: str, total_key: str
) -> None:
    pp = ctx.pp
    labels = _label(pp, *CLASS, "year")
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


def _p3_overstrength(ctx: _Ctx, checks: _Checks) -> None:
    _class_caps(
        ctx, checks, "P3", "overstrength", None, "overstrength_max", "overstrength_max_total"
    )


def _p4_accessions(ctx: _Ctx, checks: _Checks) -> None:
    _class_caps(ctx, checks, "P4", "accessions", "acc_min", "acc_max", "accession_max_total")


def _p5_separations(ctx: _Ctx, checks: _Checks) -> None:
    _class_caps(ctx, checks, "P5", "separations", "sep_min", "sep_max", "separation_max_total")


def _p6_limits(ctx: _Ctx, checks: _Checks) -> None:
    pp = ctx.pp
    labels = _label(pp, *CLASS, "year")
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


def _total_strength(ctx: _Ctx, component: str = "active") -> pd.Series:
    """Strength per year of the classes a component counts (MODEL.md §8.4)."""
    pp = ctx.pp
    if component != "all":
        pp = pp[pp["component"] == component]
    return pp.groupby("year", sort=True)["strength"].sum()


def _p7_end_strength(ctx: _Ctx, checks: _Checks) -> None:
    checks.touch("P7")
    band = _records(ctx.inputs, "EndStrength")
    totals = {c: _total_strength(ctx, c) for c in schema.END_STRENGTH_COMPONENTS}
    rows = []
    for rec in band.itertuples(index=False):
        year = int(rec.year)
        component = rec.component or "active"
        lo = float(rec.min_total or 0.0)
        hi = float(rec.max_total) if rec.max_total is not None else math.inf
        s = float(totals[component].get(year, 0.0))
        rows.append((year, max(0.0, lo - s), max(0.0, s - hi) if math.isfinite(hi) else 0.0))
        if ctx.elastic:
            continue  # both sides are priced: see OBJ and SH
        what = "total" if component == "active" else f"{component} total"
        checks.add("P7", f"{what} {year}: ≥ min_total", s, ">=", lo)
        checks.add("P7", f"{what} {year}: ≤ max_total", s, "<=", hi)
    if ctx.elastic:
        # the shortfalls the plan implies are ≥ 0 by construction: the rows are counted here,
        # their price is checked in OBJ and their amounts in SH
        checks.passed("P7", [f"total {y} (elastic)" for y, _u, _o in rows])
    ctx.implied["P7"] = pd.DataFrame(rows, columns=["year", "under", "over"])


def _ratio_classes(ctx: _Ctx, rec: Any, side: str) -> np.ndarray:
    pp = ctx.pp
    trades = _pick(_names(getattr(rec, f"{side}_trades")), set(pp["trade"]))
    grades = _pick(_names(getattr(rec, f"{side}_grades")), set(pp["grade"]))
    chosen = pp["trade"].isin(trades) & pp["grade"].isin(grades)
    return (chosen & (pp["component"] == "active")).to_numpy()  # active classes only


def _ratio_years(ctx: _Ctx, rec: Any) -> list[int]:
    names = _names(rec.years)
    if not names or "*" in names:
        return list(ctx.years)
    return sorted({int(float(y)) for y in names} & set(ctx.years))


def _p8_ratios(ctx: _Ctx, checks: _Checks) -> None:
    checks.touch("P8")
    pp = ctx.pp
    rows = []
    for rec in _records(ctx.inputs, "Ratios").itertuples(index=False):
        num = pp["strength"].where(_ratio_classes(ctx, rec, "numerator"), 0.0)
        den = pp["strength"].where(_ratio_classes(ctx, rec, "denominator"), 0.0)
        num_y = num.groupby(pp["year"]).sum()
        den_y = den.groupby(pp["year"]).sum()
        lo = None if rec.min_ratio is None or pd.isna(rec.min_ratio) else float(rec.min_ratio)
        hi = None if rec.max_ratio is None or pd.isna(rec.max_ratio) else float(rec.max_ratio)
        for y in _ratio_years(ctx, rec):
            n, d = float(num_y.get(y, 0.0)), float(den_y.get(y, 0.0))
            low = max(0.0, lo * d - n) if lo is not None else 0.0
            high = max(0.0, n - hi * d) if hi is not None and math.isfinite(hi) else 0.0
            rows.append((rec.name, y, low, high))
            label = f"{rec.name} {y}"
            if ctx.elastic:
                checks.passed("P8", [label + " (elastic)"])
                continue
            if lo is not None:
                checks.add("P8", label + ": ≥ min_ratio", n, ">=", lo * d)
            if hi is not None:
                checks.add("P8", label + ": ≤ max_ratio", n, "<=", hi * d)
    ctx.implied["P8"] = pd.DataFrame(rows, columns=["name", "year", "low", "high"])


# --- careers: P9, P11, P12 (MODEL.md §8.1, §8.4, §8.5) ----------------------------------


def _p9_time_in_grade(ctx: _Ctx, checks: _Checks) -> None:
    pp = ctx.pp[ctx.pp["max_service"].isna()]  # cohort classes: P9 per cohort (P10 audit)
    labels = _label(pp, *CLASS, "year")
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


def _p10_cohorts(ctx: _Ctx, checks: _Checks) -> None:
    audit_cohorts.check(ctx, checks, ctx.tables)


def _p11_accession_steps(ctx: _Ctx, checks: _Checks) -> None:
    pp = ctx.pp
    checks.touch("P11")
    before = pp.groupby(CLASS, sort=False)["accessions"].shift(1)
    later = pp["year"] != ctx.y0
    step = pp["step_max"].where(later, math.inf)
    labels = _label(pp, *CLASS, "year")
    checks.add("P11", labels + ": rise ≤ accession_step_max", pp["accessions"] - before, "<=", step)
    checks.add("P11", labels + ": fall ≤ accession_step_max", before - pp["accessions"], "<=", step)
    cap = float(ctx.settings.get("accession_step_max_total", math.inf) or 0.0)
    total = pp.groupby("year", sort=True)["accessions"].sum()
    change = total.diff().iloc[1:]
    years = [f"all classes {y}" for y in change.index]
    checks.add("P11", [y + ": rise ≤ total" for y in years], change.to_numpy(), "<=", cap)
    checks.add("P11", [y + ": fall ≤ total" for y in years], -change.to_numpy(), "<=", cap)


def _steady(ctx: _Ctx) -> bool:
    return (ctx.settings.get("terminal") or "none") == "steady"


def _p12_steady(ctx: _Ctx, checks: _Checks) -> None:
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
    labels = _label(pp, *CLASS, "year") + ": flows replace attrition"
    checks.add("P12", labels, flows, "==", pp["attr"] * pp["strength"], pp["strength"])


def _e3_steady(ctx: _Ctx, checks: _Checks) -> None:
    checks.touch("E3")
    if not _steady(ctx) or not len(ctx.pe):
        return
    pe = ctx.pe[ctx.pe["year"] == ctx.years[-1]]
    renewal = pe["orders"] + pe["donations"] + pe["scheduled"]
    labels = _label(pe, "equipment", "year") + ": renewal ≥ wear-out"
    checks.add("E3", labels, renewal, ">=", pe["attr"] * pe["stock"])


# --- transitions, courses, units, equipment ---------------------------------------------


def _t1_transitions(ctx: _Ctx, checks: _Checks) -> None:
    pt = ctx.pt
    checks.touch("T1")
    if not len(pt):
        return
    labels = _arc_label(pt)
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


def _c1_courses(ctx: _Ctx, checks: _Checks) -> None:
    pc = ctx.pc
    checks.touch("C1")
    if not len(pc):
        return
    labels = _label(pc, "course", "year")
    checks.add("C1", labels + ": trainees", pc["trainees"], "==", pc["calc_trainees"])
    checks.add("C1", labels + ": capacity", pc["on_course"], "<=", pc["capacity_in"] + pc["added"])
    checks.add(
        "C1", labels + ": expansion ≤ expansion_max", pc["expansion"], "<=", pc["expansion_max"]
    )


def _integer(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    x = values.to_numpy(dtype=float)
    return x, np.round(x)


def _u1_units(ctx: _Ctx, checks: _Checks, integer_units: bool) -> None:
    pu = ctx.pu
    checks.touch("U1")
    if not len(pu):
        return
    labels = _label(pu, "unit_type", "year")
    rhs = pu["prev"] + pu["activations"] - pu["disbandments"]
    checks.add("U1", labels + ": balance", pu["units"], "==", rhs)
    floor = pu["units"] + (pu["shortfall"].fillna(0.0) if ctx.elastic else 0.0)
    checks.add("U1", labels + ": ≥ min_units", floor, ">=", pu["min_units"])
    checks.add("U1", labels + ": ≤ max_units", pu["units"], "<=", pu["max_units"])
    checks.add("U1", labels + ": ≤ activation_max", pu["activations"], "<=", pu["activation_max"])
    _shortfall_zero(ctx, checks, "U1", pu, labels)
    if integer_units:
        for col in ("units", "activations", "disbandments"):
            x, r = _integer(pu[col])
            checks.add("U1", labels + f": {col} integer", x, "==", r)


def _e1_equipment(ctx: _Ctx, checks: _Checks) -> None:
    pe = ctx.pe
    checks.touch("E1")
    if not len(pe):
        return
    labels = _label(pe, "equipment", "year")
    rhs = (
        (1 - pe["attr"]) * pe["prev"]
        + pe["arriving"]
        + pe["scheduled"]
        + pe["donations"]
        - pe["disposals"]
    )
    checks.add("E1", labels + ": balance", pe["stock"], "==", rhs)
    checks.add("E1", labels + ": ≤ donations_max", pe["donations"], "<=", pe["don_max"])
    checks.add("E1", labels + ": ≤ procurement_max", pe["orders"], "<=", pe["proc_max"])
    whole = pe[pe["integer"]]
    x, r = _integer(whole["orders"])
    checks.add("E1", labels[pe["integer"]] + ": orders integer", x, "==", r)


def _e2_requirement(ctx: _Ctx, checks: _Checks) -> None:
    pe = ctx.pe
    checks.touch("E2")
    if not len(pe):
        return
    labels = _label(pe, "equipment", "year")
    have = pe["stock"] + (pe["shortfall"].fillna(0.0) if ctx.elastic else 0.0)
    checks.add("E2", labels, have, ">=", pe["calc_requirement"])
    _shortfall_zero(ctx, checks, "E2", pe, labels)


# --- money: B1-B3 -----------------------------------------------------------------------


def _ledger(ctx: _Ctx) -> pd.DataFrame:
    """Every cost term of MODEL.md §7.5 as (line, year, amount) rows."""
    pp, pt, pc, pu, pe = ctx.pp, ctx.pt, ctx.pc, ctx.pu, ctx.pe

    def terms(frame: pd.DataFrame, line: Any, amount: pd.Series) -> pd.DataFrame:
        return pd.DataFrame({"line": line, "year": frame["year"], "amount": amount})

    parts = [
        terms(pp, "personnel", pp["annual_cost"] * pp["strength"]),
        terms(pp, "personnel", pp["overstrength_cost"] * pp["overstrength"]),
        terms(pp, "personnel", pp["ld_cost"] * pp["limited_duty"]),
        terms(pp, "recruiting", pp["accession_cost"] * pp["accessions"]),
        terms(pp, "separation", pp["separation_cost"] * pp["separations"]),
        terms(pt, "training", pt["cost"] * pt["moved"]),
        terms(pc, "training", pc["cost"] * pc["trainees"]),
        terms(pc, "training", pc["expansion_cost"] * pc["expansion"]),
        terms(pu, "units", pu["om_cost"] * pu["units"]),
        terms(pu, "units", pu["activation_cost"] * pu["activations"]),
        terms(pu, "units", pu["disbandment_cost"] * pu["disbandments"]),
        terms(pe, "sustainment", pe["om_cost"] * pe["stock"]),
    ]
    money = ctx.money or audit_money.read_money(ctx.inputs)
    base = audit_money.index_terms(money, pd.concat([p for p in parts if len(p)]))
    paid, _committed = audit_money.equipment_payments(money, pe)  # profiles, currencies
    fixed = audit_money.fixed_terms(money)
    return pd.concat([p for p in (base, paid, fixed) if len(p)], ignore_index=True)


def _b1_spending(ctx: _Ctx, checks: _Checks) -> None:
    pb = ctx.pb
    _sum_into(pb, _ledger(ctx), ["line", "year"], "amount", "calc_spend")
    labels = _label(pb, "line", "year")
    checks.add("B1", labels, pb["spend"], "==", pb["calc_spend"])
    money = ctx.money or audit_money.read_money(ctx.inputs)
    _paid, committed = audit_money.equipment_payments(money, ctx.pe)
    _sum_into(pb, committed, ["line", "year"], "amount", "calc_committed")
    checks.add(
        "B1",
        labels + ": committed_after_horizon",
        pb["committed_after_horizon"].fillna(0.0),
        "==",
        pb["calc_committed"],
    )


def _b2_funding(ctx: _Ctx, checks: _Checks) -> None:
    checks.touch("B2")
    if ctx.funding is None:
        return
    pb, alloc, pf = ctx.pb, ctx.alloc, ctx.funding
    _sum_into(pb, alloc, ["line", "year"], "amount", "paid")
    labels = _label(pb, "line", "year")
    if ctx.elastic:  # a funding gap spend - paid ≥ 0 is priced (OBJ)
        checks.add("B2", labels + ": paid ≤ spend", pb["paid"], "<=", pb["spend"])
    else:
        checks.add("B2", labels + ": paid = spend", pb["paid"], "==", pb["spend"])
    bad = alloc[~alloc["_allowed"]]
    checks.add(
        "B2",
        _label(bad, "source", "line", "year") + ": line not allowed for the source",
        bad["amount"].abs(),
        "<=",
        0.0,
    )
    _sum_into(pf, alloc, ["source", "year"], "amount", "calc_spent")  # base currency
    money = ctx.money or audit_money.read_money(ctx.inputs)
    rate = np.array(
        [
            money.rate(money.currency(ctx.sources[s]["currency"]), int(y))
            for s, y in zip(pf["source"], pf["year"], strict=True)
        ]
    )
    pf["calc_rate"] = rate
    pf["calc_spent_own"] = pf["calc_spent"] / rate  # a foreign source pays rate × own money
    amount, carry_in, carries, vintaged = _source_money(ctx)
    pf["calc_amount"], pf["calc_carry_in"] = amount, carry_in
    labels = _label(pf, "source", "year")
    own = pf["calc_spent_own"]
    checks.add("B2", labels + ": spent ≤ available", own, "<=", amount + carry_in)
    carry = np.where(carries & ~vintaged, amount + carry_in - own, 0.0)
    plain = ~vintaged
    carried_own = pf["carried_out"] / rate
    size = np.asarray(amount + carry_in)[plain]  # carry is a difference of these (noise)
    checks.add("B2", labels[plain] + ": carried_out", carried_own[plain], "==", carry[plain], size)
    _b2_vintages(ctx, checks, pf, vintaged)


def _b2_vintages(ctx: _Ctx, checks: _Checks, pf: pd.DataFrame, vintaged: np.ndarray) -> None:
    """Expiring money (§8.7): the spending path must be payable from the live vintages
    (oldest first is feasible exactly when any split is), and nothing carried may exceed
    what oldest-first keeps alive."""
    for source, rows in pf[vintaged].groupby("source", sort=False):
        src = ctx.sources[source]
        spent = dict(zip(rows["year"].astype(int), rows["calc_spent_own"], strict=True))
        path = audit_money.vintage_rows(src["amount"], spent, int(src["expires"]), ctx.years)
        short = np.array([path[int(y)][0] for y in rows["year"]])
        left = np.array([path[int(y)][1] for y in rows["year"]])
        labels = _label(rows, "source", "year")
        checks.add(
            "B2", labels + ": paid from live vintages", short, "<=", 0.0, rows["calc_amount"]
        )
        carried = rows["carried_out"] / rows["calc_rate"]
        checks.add("B2", labels + ": carried ≤ live vintages", carried, "<=", left)


def _source_money(ctx: _Ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per Plan_Funding row, in the source's currency: the year's amount, what was carried
    in (last year's carried_out at last year's rate), whether it carries, by vintage."""
    pf = ctx.funding
    amount, carry_in, carries, vintaged = [], [], [], []
    previous = pf.groupby("source", sort=False)["carried_out"].shift(1).fillna(0.0)
    previous = previous / pf.groupby("source", sort=False)["calc_rate"].shift(1).fillna(1.0)
    for rec, prev in zip(pf.itertuples(index=False), previous, strict=True):
        src = ctx.sources[rec.source]
        active = src["carryover"] and rec.year >= src["first_year"]
        amount.append(src["amount"].get(int(rec.year), 0.0))
        carry_in.append(prev if active and rec.year > src["first_year"] else 0.0)
        carries.append(active)
        vintaged.append(src["carryover"] and src["expires"] is not None)
    return (
        np.array(amount),
        np.array(carry_in),
        np.array(carries, dtype=bool),
        np.array(vintaged, dtype=bool),
    )


def _b3_line_limits(ctx: _Ctx, checks: _Checks) -> None:
    checks.touch("B3")
    limits = _records(ctx.inputs, "LineLimits")
    if not len(limits):
        return
    limits["year"] = limits["year"].astype(int)
    rows = limits.merge(ctx.pb[["line", "year", "spend"]], on=["line", "year"], how="left")
    labels = _label(rows, "line", "year")
    checks.add(
        "B3", labels + ": ≥ min_amount", rows["spend"], ">=", _num(rows["min_amount"]).fillna(0.0)
    )
    checks.add("B3", labels + ": ≤ max_amount", rows["spend"], "<=", _num(rows["max_amount"]))


# --- objective and penalties ------------------------------------------------------------


def _default_penalties(ctx: _Ctx) -> dict[str, float]:
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
    money = ctx.money or audit_money.read_money(ctx.inputs)
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
    manning = _records(ctx.inputs, "Manning")
    equipping = _records(ctx.inputs, "Equipping")
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
    person = 1000.0 * max(1.0, c_person)
    out = {
        "funding": 100.0,
        "end_strength": person,
        "manning": person,
        "ratio": person,
        "equipment": 1000.0 * max(1.0, c_equip),
        "units": 1000.0 * max(1.0, c_unit),
    }
    for rec in ctx.inputs.tables["Penalties"]:
        if rec.get("penalty") is not None:
            out[rec["kind"]] = float(rec["penalty"])
    return out


def _shortfalls(ctx: _Ctx) -> dict[str, float]:
    """Total shortfall per penalty kind (elastic mode; 0 otherwise)."""
    if not ctx.elastic:
        return dict.fromkeys(
            ("manning", "end_strength", "ratio", "units", "equipment", "funding"), 0.0
        )
    p7, p8 = ctx.implied["P7"], ctx.implied["P8"]
    gap = 0.0
    if ctx.funding is not None:
        gap = float((ctx.pb["spend"] - ctx.pb["paid"]).clip(lower=0.0).sum())
    return {
        "manning": float(ctx.pp["shortfall"].fillna(0.0).sum()),
        "end_strength": float(p7["under"].sum() + p7["over"].sum()),
        "ratio": float(p8["low"].sum() + p8["high"].sum()),
        "units": float(ctx.pu["shortfall"].fillna(0.0).sum()),
        "equipment": float(ctx.pe["shortfall"].fillna(0.0).sum()),
        "funding": gap,
    }


def _objective(ctx: _Ctx, checks: _Checks, value: float | None, name: str) -> None:
    checks.touch("OBJ")
    if value is None:
        return
    rate = float(ctx.settings.get("discount_rate") or 0.0)
    pb = ctx.pb
    discount = (1.0 + rate) ** -(pb["year"].astype(float) - ctx.y0)
    cost = float((discount * pb["spend"]).sum())
    last = (1.0 + rate) ** -(ctx.years[-1] - ctx.y0)  # payments after the horizon (§8.7)
    cost += last * float(pb["committed_after_horizon"].fillna(0.0).sum())
    amounts = _shortfalls(ctx)
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


def _shortfall_listing(ctx: _Ctx, checks: _Checks, tables: dict[str, pd.DataFrame]) -> None:
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


# --- derived columns --------------------------------------------------------------------


def _same(
    checks: _Checks,
    fid: str,
    labels: pd.Series,
    frame: pd.DataFrame,
    column: str,
    expected: Any,
    scale: Any = None,
) -> None:
    """frame[column] equals `expected`; a non-finite expected value means a blank cell."""
    got = _num(frame[column]).to_numpy()
    want = np.asarray(expected, dtype=float)
    blank_want, blank_got = ~np.isfinite(want), np.isnan(got)
    lhs = np.where(blank_want & blank_got, 0.0, got)
    lhs = np.where(blank_want != blank_got, np.nan, lhs)  # blank on one side only: a violation
    rhs = np.where(blank_want, 0.0, want)
    checks.add(fid, labels + f": {column}", lhs, "==", rhs, scale)


def _derived_personnel(ctx: _Ctx, checks: _Checks) -> None:
    pp, fid = ctx.pp, "D:Plan_Personnel"
    labels = _label(pp, *CLASS, "year")
    for column in ("requirement", "training_load", "attrition", "moves_in", "moves_out"):
        _same(checks, fid, labels, pp, column, pp[f"calc_{column}"])


def _derived_transitions(ctx: _Ctx, checks: _Checks) -> None:
    pt = ctx.pt
    checks.touch("D:Plan_Transitions")
    if len(pt):
        _same(checks, "D:Plan_Transitions", _arc_label(pt), pt, "lost", pt["loss"] * pt["moved"])


def _derived_training(ctx: _Ctx, checks: _Checks) -> None:
    pc, fid = ctx.pc, "D:Plan_Training"
    checks.touch(fid)
    if not len(pc):
        return
    labels = _label(pc, "course", "year")
    capacity = (pc["capacity_in"] + pc["added"]).to_numpy(dtype=float)
    _same(checks, fid, labels, pc, "capacity", capacity)  # blank = no limit (inf)
    trainees = pc["on_course"].to_numpy(dtype=float)  # C2: everyone on the course
    with np.errstate(divide="ignore", invalid="ignore"):
        use = np.where(capacity > 0, trainees / capacity, np.where(trainees == 0, 0.0, np.nan))
    use = np.where(np.isinf(capacity), np.inf, use)  # no limit: blank utilisation
    _same(checks, fid, labels, pc, "utilisation", use)


def _derived_equipment(ctx: _Ctx, checks: _Checks) -> None:
    pe, fid = ctx.pe, "D:Plan_Equipment"
    checks.touch(fid)
    if len(pe):
        labels = _label(pe, "equipment", "year")
        _same(checks, fid, labels, pe, "deliveries", pe["calc_deliveries"])
        _same(checks, fid, labels, pe, "requirement", pe["calc_requirement"])


def _derived_budget(ctx: _Ctx, checks: _Checks) -> None:
    pb = ctx.pb
    rate = float(ctx.settings.get("discount_rate") or 0.0)
    discount = (1.0 + rate) ** -(pb["year"].astype(float) - ctx.y0)
    _same(
        checks,
        "D:Plan_Budget",
        _label(pb, "line", "year"),
        pb,
        "discounted_spend",
        discount * pb["spend"],
    )


def _derived_funding(ctx: _Ctx, checks: _Checks) -> None:
    pf, fid = ctx.funding, "D:Plan_Funding"
    checks.touch(fid)
    if pf is None:
        return
    labels = _label(pf, "source", "year")
    rate = pf["calc_rate"]
    own = pf["calc_amount"] + pf["calc_carry_in"]  # in the source's currency
    available = own * rate
    _same(checks, fid, labels, pf, "available", available)
    _same(checks, fid, labels, pf, "spent", pf["calc_spent"], available)
    _same(checks, fid, labels, pf, "unspent", available - pf["calc_spent"], available)
    lapsed = available - pf["calc_spent"] - pf["carried_out"]  # unspent = carried + lapsed
    _same(checks, fid, labels, pf, "lapsed", lapsed, available)
    checks.add("B2", labels + ": lapsed ≥ 0", pf["lapsed"], ">=", 0.0, available)
    _same(checks, fid, labels, pf, "rate", rate)
    for column in ("available", "spent", "unspent", "carried_out", "lapsed"):
        _same(checks, fid, labels, pf, f"{column}_own", pf[column] / rate, own)


def _nonnegative(ctx: _Ctx, tables: dict[str, pd.DataFrame], checks: _Checks) -> None:
    for name, (_keys, values) in PLAN_KEYS.items():
        frame = tables.get(name)
        if frame is None or not len(frame):
            continue
        rows = (np.arange(len(frame)) + 2).astype(str)
        for col in values:
            if col in frame:
                labels = np.char.add(f"{name} row ", rows).astype(object) + f" {col}"
                checks.add("NN", labels, _num(frame[col]).fillna(0.0), ">=", 0.0)


# --- entry point ------------------------------------------------------------------------


def audit_plan(
    inputs: Inputs,
    tables: dict[str, pd.DataFrame],
    objective_value: float | None = None,
    objective_name: str = "min_cost",
    elastic: bool = False,
    integer_units: bool | None = None,
) -> AuditReport:
    """Re-check `tables` (Plan_ name -> DataFrame) against `inputs`; see the module doc.

    `elastic` and `integer_units` are the options the plan was solved with (`integer_units`
    None: the Settings value); `objective_value` (optional) is checked against the plan's
    own cost, capability and penalties for `objective_name`.
    """
    checks = _Checks()
    ctx = _context(inputs, tables, elastic, checks)
    for derive in (_derive_flows, _derive_trainees, _derive_requirement, _derive_stocks):
        derive(ctx)
    if integer_units is None:
        integer_units = bool(inputs.settings.get("integer_units"))
    _nonnegative(ctx, tables, checks)
    for family in (
        _p1_balance,
        _p2_manning,
        _p3_overstrength,
        _p4_accessions,
        _p5_separations,
        _p6_limits,
        _p7_end_strength,
        _p8_ratios,
        _p9_time_in_grade,
        _p10_cohorts,
        _p11_accession_steps,
        _p12_steady,
        _t1_transitions,
        _c1_courses,
        _e1_equipment,
        _e2_requirement,
        _e3_steady,
        _b1_spending,
        _b2_funding,
        _b3_line_limits,
    ):
        family(ctx, checks)
    _u1_units(ctx, checks, integer_units)
    ctx.integer_units = integer_units  # Plan_Constraints: whole-unit columns have MIP prices
    ctx.penalties = _default_penalties(ctx)
    _objective(ctx, checks, objective_value, objective_name)
    _shortfall_listing(ctx, checks, tables)
    for derived in (
        _derived_personnel,
        _derived_transitions,
        _derived_training,
        _derived_equipment,
        _derived_budget,
        _derived_funding,
    ):
        derived(ctx, checks)
    notes = [f"penalties used: {ctx.penalties}"] if elastic else []
    notes += _audit_more(ctx, checks, tables, objective_name)
    families = checks.report()
    from forceplan.audit_more import locate

    suspects = locate(ctx, tables, [f for f in families if not f.ok])
    if suspects:
        notes.insert(0, "most likely edited: " + "; ".join(suspects))
    return AuditReport(families, RTOL, notes, getattr(ctx, "facts", {}))


def _audit_more(
    ctx: _Ctx, checks: _Checks, tables: dict[str, pd.DataFrame], objective_name: str
) -> list[str]:
    """Plan_Constraints (values, slacks, prices), funding gaps and the shortfall listing's
    penalties (forceplan.audit_more, forceplan.audit_rows)."""
    from forceplan.audit_more import check_extras
    from forceplan.audit_rows import check_constraints

    frame = tables.get("Plan_Constraints")
    letters = _letters(frame)
    sense = "max" if objective_name == "max_capability" else "min"
    notes = check_constraints(ctx, checks, frame, sense, letters)
    notes += check_extras(ctx, checks, tables)
    return notes


def _letters(frame: pd.DataFrame | None) -> dict[str, str]:
    """Column name -> Excel column letter on a Plan_ table sheet (header in row 1)."""
    from forceplan.audit_more import col_letter

    if frame is None:
        return {}
    return {str(c): col_letter(i) for i, c in enumerate(frame.columns)}


# --- a plan workbook --------------------------------------------------------------------

#: Families `audit_workbook` adds to those of `audit_plan`.
#: INPUTS: the input sheets of the plan workbook can be read without errors;
#: HASH: the input sheets' content hash equals the one recorded in Plan_Run at solve time.
#: SHEETS, STATUS, D:Plan_Summary, D:Plan_Charts, D:Plan_Run: forceplan.audit_more;
#: LEDGER: the plan against its run-ledger record (forceplan.audit_ledger), when there.
WORKBOOK_FAMILIES = (
    "INPUTS",
    "SHEETS",
    "STATUS",
    "D:Plan_Summary",
    "D:Plan_Charts",
    "D:Plan_BudgetGrid",
    "D:Plan_Run",
    "HASH",
    "LEDGER",
)


@dataclass
class WorkbookAudit:
    """`forceplan audit PLAN.xlsx`: the plan's constraints, objective and input hashes."""

    path: Any
    report: AuditReport
    run: dict[str, Any]  # Plan_Run as read
    objective_name: str
    objective_value: float | None
    elastic: bool
    integer_units: bool
    recorded_hash: str | None
    current_hash: str | None
    edited_sheets: list[str] = field(default_factory=list)
    derived_status: str = ""  # the status the audit stands behind (audit_more.derived_status)

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def status(self) -> str:
        return str(self.run.get("status") or "unknown")

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": str(self.path),
            "ok": self.ok,
            "rule": f"a row fails when its violation exceeds {self.report.rtol:g} × max(1, |rhs|)"
            " (for a difference of large values: their size)",
            "rtol": self.report.rtol,
            "status": self.status,
            "derived_status": self.derived_status or self.status,
            "objective": self.objective_name,
            "objective_value": self.objective_value,
            "elastic": self.elastic,
            "integer_units": self.integer_units,
            "input_content_hash": {
                "recorded": self.recorded_hash,
                "current": self.current_hash,
                "matches": self.recorded_hash is not None
                and self.recorded_hash == self.current_hash,
                "edited_sheets": self.edited_sheets,
            },
            "families": [
                {
                    "family": f.id,
                    "ok": f.ok,
                    "rows_checked": f.rows_checked,
                    "failed": f.failed,
                    "max_violation": f.max_violation,
                    "tolerance": f.tolerance,
                    "worst_row": f.worst_row,
                    "failing_rows": f.failing_rows,
                }
                for f in self.report.families
            ],
            "notes": self.report.notes,
        }

    def text(self) -> str:
        status = self.status
        if self.derived_status and self.derived_status != status:
            status = f"{self.derived_status} (Plan_Run says '{self.status}')"
        head = [
            f"plan {self.path}: status {status}, objective {self.objective_name}"
            f" = {self.objective_value if self.objective_value is not None else 'not recorded'}"
            f" (elastic {self.elastic}, integer_units {self.integer_units})",
        ]
        return "\n".join([*head, self.report.text()])


def audit_workbook(
    path: Any, plan: Any = None, loaded: Any = None, ledger: Any = None, use_ledger: bool = True
) -> WorkbookAudit:
    """Audit a plan workbook as written by `forceplan solve`, from the file alone.

    The input sheets are read as `solve` reads them; the Plan_ tables and Plan_Run with
    pandas/calamine. The options the plan was solved with (objective, elastic,
    integer_units) and its objective value come from Plan_Run. Besides the families of
    `audit_plan`: INPUTS (the input sheets read without errors) and HASH (their content
    hash still equals the one recorded at solve time; edited sheets are named from the
    per-sheet `input_hash:<Sheet>` rows).

    `plan` (a `plan_reader.Plan`) and `loaded` (`load_workbook`'s (inputs, issues)) may be
    given when the caller has already read the file. `ledger`: the run ledger to check the
    plan against (default: the user's; `use_ledger=False` skips LEDGER).

    Also SHEETS, STATUS, D:Plan_Summary, D:Plan_Charts, D:Plan_Run (forceplan.audit_more)
    and LEDGER (forceplan.audit_ledger).
    """
    from forceplan.audit_more import derived_status
    from forceplan.plan_reader import read_plan
    from forceplan.provenance import (
        CONTENT_HASH_METHOD,
        content_hash,
        extra_sheet_hashes,
        sheet_hashes,
    )
    from forceplan.workbook.load import load_workbook

    plan = plan if plan is not None else read_plan(path)
    inputs, issues = loaded if loaded is not None else load_workbook(plan.path)
    errors = [i for i in issues if i.severity == "error"]
    name = str(plan.run.get("objective") or inputs.settings.get("objective") or "min_cost")
    value = plan.number("objective_value")
    elastic = plan.flag("elastic")
    if elastic is None:
        elastic = bool(inputs.settings.get("elastic"))
    integer_units = plan.flag("integer_units")
    if integer_units is None:
        integer_units = bool(inputs.settings.get("integer_units"))
    families: list[FamilyResult] = []
    notes: list[str] = []
    families.append(_inputs_family(errors, len(inputs.tables) + 1))
    facts: dict[str, Any] = {}
    if errors:
        notes.append(
            "the input sheets have errors: the constraints were not re-derived "
            "(`forceplan validate` lists every problem)"
        )
    else:
        report = audit_plan(inputs, plan.tables, value, name, elastic, integer_units)
        families += report.families
        notes += report.notes
        facts = report.facts
        if value is None:
            notes.append("Plan_Run records no objective_value: OBJ was not checked")
    families += _sheet_families(plan, inputs, facts, name, notes)
    recorded = plan.run.get("input_content_hash")
    recorded = str(recorded) if recorded is not None else None
    current = content_hash(inputs)
    method = plan.run.get("content_hash_method")
    current_sheets = sheet_hashes(inputs)
    recorded_sheets = {
        k.split(":", 1)[1]: str(v) for k, v in plan.run.items() if k.startswith("input_hash:")
    }
    try:
        extra = extra_sheet_hashes(plan.path)
    except Exception as exc:  # an unreadable notes sheet is reported, not a crash
        extra = {}
        notes.append(f"the sheets outside the registry could not be hashed ({exc})")
    for sheet, digest in extra.items():
        if digest:
            current_sheets[sheet] = digest
        elif sheet in recorded_sheets:  # too large to read safely: not compared
            recorded_sheets.pop(sheet)
            notes.append(f"{sheet}: too large to read safely, not compared with its hash")
    hash_family, edited = _hash_family(
        recorded,
        current,
        recorded_sheets,
        current_sheets,
        method is None or str(method) == CONTENT_HASH_METHOD,
        inputs,
    )
    families.append(hash_family)
    if use_ledger:
        from forceplan.audit_ledger import check_ledger

        ledger_family, ledger_notes = check_ledger(plan.path, plan.run, ledger)
        if ledger_family is not None:
            families.append(ledger_family)
        notes += ledger_notes
    report = AuditReport(families, RTOL, notes, facts)
    return WorkbookAudit(
        plan.path,
        report,
        plan.run,
        name,
        value,
        bool(elastic),
        bool(integer_units),
        recorded,
        current,
        edited,
        derived_status(str(plan.run.get("status") or "unknown"), facts),
    )


def _sheet_families(
    plan: Any, inputs: Inputs, facts: dict[str, Any], name: str, notes: list[str]
) -> list[FamilyResult]:
    """SHEETS, STATUS, D:Plan_Summary, D:Plan_Charts, D:Plan_Run (forceplan.audit_more)."""
    from forceplan.audit_more import (
        check_budget_grid,
        check_charts,
        check_run,
        check_sheets,
        check_summary,
        read_free_layout,
    )

    names, grids = read_free_layout(plan.path)
    out = check_sheets(names, plan.run, grids.get("Plan_Summary"), facts)
    listing = plan.tables.get("Plan_Shortfalls")
    summary, more = check_summary(
        grids.get("Plan_Summary"),
        plan.run,
        inputs,
        facts,
        None if listing is None else len(listing),
        RTOL,
    )
    notes += more
    out += [summary, check_charts(grids.get("Plan_Charts"), plan.tables, inputs, RTOL)]
    if "Plan_BudgetGrid" in plan.tables:
        out.append(check_budget_grid(plan.tables, RTOL))
    out.append(check_run(plan.run, inputs, name))
    return out


def _inputs_family(errors: list[Any], sheets: int) -> FamilyResult:
    if not errors:
        return FamilyResult("INPUTS", sheets, 0.0, "", 0.0)
    rows = [str(i) for i in errors]
    return FamilyResult("INPUTS", sheets, float(len(errors)), rows[0], 0.0, len(rows), rows[:10])


def _hash_family(
    recorded: str | None,
    current: str,
    recorded_sheets: dict[str, str],
    current_sheets: dict[str, str],
    same_method: bool,
    inputs: Inputs,
) -> tuple[FamilyResult, list[str]]:
    """HASH: one row per input sheet (exact comparison, tolerance 0)."""
    if recorded is None:
        row = "Plan_Run has no input_content_hash: the inputs cannot be matched to the plan"
        return FamilyResult("HASH", 1, 1.0, row, 0.0, 1, [row]), []
    if not same_method:
        row = "Plan_Run's content_hash_method differs from this version's: cannot compare"
        return FamilyResult("HASH", 1, 1.0, row, 0.0, 1, [row]), []
    from forceplan.provenance import is_extra_sheet

    checked = max(1, len(current_sheets))
    # sheets outside the registry (Sources, About) count when the plan recorded them; one
    # added later (a planner's notes) is not an edit of the inputs
    extra = {n for n in recorded_sheets if is_extra_sheet(n)}
    current_sheets = {
        n: h for n, h in current_sheets.items() if not is_extra_sheet(n) or n in extra
    }
    extras_same = all(current_sheets.get(n) == recorded_sheets[n] for n in extra)
    if recorded == current and extras_same:
        return FamilyResult("HASH", checked, 0.0, "input_content_hash", 0.0), []
    if not recorded_sheets:
        row = (
            "input sheets edited after solving (content hash differs; the plan records no "
            "per-sheet hashes to say which)"
        )
        return FamilyResult("HASH", checked, 1.0, row, 0.0, 1, [row]), []
    edited = [
        name
        for name in dict.fromkeys([*current_sheets, *recorded_sheets])
        if current_sheets.get(name) != recorded_sheets.get(name)
    ]
    rows = [
        f"{inputs.tables[n].title or n if n in inputs.tables else n}: "
        + (
            "deleted after solving (Plan_Run records its hash)"
            if n not in current_sheets
            else "edited after solving (its content hash differs from Plan_Run input_hash)"
        )
        for n in edited
    ]
    if not rows:  # the parts agree but the whole does not: a different canonical form
        rows = ["input_content_hash differs from Plan_Run (no single sheet differs)"]
    return FamilyResult("HASH", checked, float(len(rows)), rows[0], 0.0, len(rows), rows), edited
