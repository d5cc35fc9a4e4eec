"""Semantic checks of an input workbook: the rules that need more than one cell.

`load_workbook` already reports what a single cell can tell (types, ranges, missing sheets
and columns, formulas without values). This module adds the rules of MODEL.md §7.2 that
compare cells: the planning horizon, duplicate records, names that refer to other sheets,
years outside the horizon, a minimum above its maximum (also after per-year overrides),
self-transitions, half-given instructor classes, inconsistent funding sources; and warnings
for plans that are obviously impossible.

Every rule is driven by the sheet registry (`schema`) where it can be: `Sheet.key` gives
the duplicate rule, `Sheet.min_max` the min/max pairs, `Column.ref` the references. Every
problem is collected as an `Issue` naming the sheet and cell of the offending value; user
mistakes never raise.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from forceplan import schema
from forceplan.errors import Issue, Severity
from forceplan.inputs import Inputs, Record, Table
from forceplan.workbook.cells import column_index
from forceplan.workbook.load import load_workbook
from forceplan.workbook.validate_careers import check_careers
from forceplan.workbook.validate_cohorts import check_cohorts
from forceplan.workbook.validate_money import check_money

#: `phase(name)` -> a context manager around one step (see `validate_workbook`).
Phase = Callable[[str], AbstractContextManager[Any]]


def untimed(_phase: str) -> AbstractContextManager[Any]:
    """The `phase` hook of callers that neither time nor show the steps."""
    return nullcontext()


#: Longest planning horizon accepted, in years.
MAX_HORIZON_YEARS = 100
#: How far (as a share of the bound) the initial total may sit outside the first year's
#: EndStrength band before an unclosable gap is worth a warning.
START_GAP_SHARE = 0.10
#: Per-year override sheet -> the sheet whose values it overrides (same key minus `year`).
OVERRIDDEN_BY = {
    "PersonnelYears": "Personnel",
    "CourseYears": "Courses",
    "UnitYears": "UnitTypes",
    "EquipmentYears": "Equipment",
}
#: How each kind of referenced name is called in messages.
_ENTITY_WORDS = {
    "trade": "trade",
    "grade": "grade",
    "course": "course",
    "unit_type": "unit type",
    "equipment": "equipment type",
    "line": "budget line",
}


def validate_workbook(
    path: Path, objective: str | None = None, phase: Phase = untimed
) -> tuple[Inputs, list[Issue]]:
    """Read `path` and check it: every problem found, errors first, in sheet and row order.

    `objective`: the command's --objective, checked against the inputs too. `phase(name)`
    wraps the "read" and the "validate" step (solve times and shows them). Files that
    cannot be read at all (missing, not an .xlsx, damaged) raise InputError from the
    reader; everything else is returned as issues. Commands read input through
    `forceplan.load.load_checked`, which calls this.
    """
    with phase("read"):
        inputs, issues = load_workbook(path)
    with phase("validate"):
        issues = issues + check_inputs(inputs) + check_options(inputs, objective)
        return inputs, sort_issues(issues, inputs)


def check_options(inputs: Inputs, objective: str | None) -> list[Issue]:
    """The command's options against the inputs (the Settings sheet is `check_inputs`')."""
    if objective == "custom" and not len(inputs["Objective"]):
        message = "--objective custom needs weights on the Objective sheet (metric, weight)"
        return [Issue("error", "Objective", "", message)]
    return []


def check_inputs(inputs: Inputs) -> list[Issue]:
    """The semantic checks on typed inputs (values that failed to load are skipped)."""
    out = _Collector()
    horizon_ok = _check_horizon(inputs, out)
    _check_has_classes(inputs, out)
    _check_objective(inputs, out)
    _check_duplicates(inputs, out)
    _check_references(inputs, out)
    _check_classes(inputs, out)
    _check_instructor_pairs(inputs, out)
    _check_ratio_years(inputs, out, horizon_ok)
    if horizon_ok:
        _check_years(inputs, out)
    _check_min_max(inputs, out)
    _check_overrides(inputs, out)
    _check_self_transitions(inputs, out)
    _check_funding_sources(inputs, out)
    check_money(inputs, out, horizon_ok)  # §8.6-8.7
    _check_ratio_bounds(inputs, out)
    if horizon_ok:
        _warn_units_above_end_strength(inputs, out)
        _warn_unreachable_start(inputs, out)
    _warn_new_budget_lines(inputs, out)
    check_careers(inputs, out, horizon_ok)
    check_cohorts(inputs, out, horizon_ok)
    return out.issues


def sort_issues(issues: Iterable[Issue], inputs: Inputs) -> list[Issue]:
    """Errors before warnings; then file-level issues, then sheets in workbook order, rows."""
    order = {title: i for i, title in enumerate(inputs.sheet_order)}
    by_lower = {title.strip().lower(): i for title, i in order.items()}
    registry = {s.name.lower(): len(order) + i for i, s in enumerate(schema.SHEETS)}

    def rank(sheet: str) -> int:
        if not sheet:
            return -1
        if sheet in order:
            return order[sheet]
        lower = sheet.strip().lower()
        return by_lower.get(lower, registry.get(lower, len(order) + len(registry)))

    def key(issue: Issue) -> tuple[bool, int, int, int]:
        row, col = _cell_position(issue.cell) if issue.sheet else (0, 0)
        return (issue.severity != "error", rank(issue.sheet), row, col)

    return sorted(issues, key=key)


def _cell_position(cell: str) -> tuple[int, int]:
    """'D7' -> (7, 3); 'row 7' -> (7, -1); '1' (header row) -> (1, -1); '' -> (0, -1)."""
    match = re.fullmatch(r"\s*(?:row\s*)?([A-Za-z]*)(\d+)\s*", cell)
    if not match:
        return (0, -1)
    letters, row = match.groups()
    return (int(row), column_index(letters) if letters else -1)


# --- collecting issues ------------------------------------------------------------------


class _Collector:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, severity: Severity, table: Table, rec: Record, column: str, message: str):
        self.issues.append(Issue(severity, table.title, table.cell(rec, column), message))

    def error(self, table: Table, rec: Record, column: str, message: str) -> None:
        self.add("error", table, rec, column, message)

    def warning(self, table: Table, rec: Record, column: str, message: str) -> None:
        self.add("warning", table, rec, column, message)

    def setting(self, inputs: Inputs, key: str, message: str) -> None:
        self.issues.append(
            Issue("error", _settings_title(inputs), inputs.settings_cells.get(key, ""), message)
        )


def _settings_title(inputs: Inputs) -> str:
    for title in inputs.sheet_order:
        if title.strip().lower() == "settings":
            return title
    return "Settings"


def _tables(inputs: Inputs) -> Iterator[Table]:
    """The input tables present in the workbook, in registry order."""
    for sheet in schema.SHEETS[1:]:
        table = inputs.tables.get(sheet.name)
        if table is not None and table.present:
            yield table


def _given(value: Any) -> bool:
    return value is not None and value != "" and value != ()


def _num(value: float) -> str:
    if math.isinf(value):
        return "unbounded"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def _source(table: Table, rec: Record, column: str) -> str:
    """Where a value comes from, for messages: 'Personnel!H3', or 'the default'."""
    if column in table.letters:
        return table.where(rec, column)
    return f"the default of {table.title or table.sheet.name}.{column}"


def _suggestion(name: str, known: Iterable[str]) -> str:
    known = sorted(known)
    same_letters = [k for k in known if k.lower() == name.lower()]
    close = same_letters or difflib.get_close_matches(name, known, n=1)
    if not close:
        return ""
    extra = " (names are case-sensitive)" if same_letters else ""
    return f" Did you mean {close[0]!r}?{extra}"


# --- Settings ---------------------------------------------------------------------------


def _check_horizon(inputs: Inputs, out: _Collector) -> bool:
    """True when first_year..last_year is a usable horizon (year checks make sense)."""
    first = inputs.settings.get("first_year")
    last = inputs.settings.get("last_year")
    if not isinstance(first, int) or not isinstance(last, int):
        return False  # missing or unreadable: the reader has reported it
    if last < first:
        out.setting(
            inputs,
            "last_year",
            f"last_year {last} is before first_year {first}: the planning horizon is "
            "empty; make last_year the same as or later than first_year",
        )
        return False
    if last - first + 1 > MAX_HORIZON_YEARS:
        out.setting(
            inputs,
            "last_year",
            f"the horizon {first}–{last} is {last - first + 1} years long; at most "
            f"{MAX_HORIZON_YEARS} years can be planned: check first_year and last_year",
        )
        return False
    return True


def _check_has_classes(inputs: Inputs, out: _Collector) -> None:
    table = inputs["Personnel"]
    if table.present and not len(table):
        out.issues.append(
            Issue(
                "error",
                table.title,
                "A2",
                "Personnel has no classes: add at "
                "least one row with a trade, a grade and an initial_strength",
            )
        )


def _check_objective(inputs: Inputs, out: _Collector) -> None:
    if inputs.settings.get("objective") == "custom" and not len(inputs["Objective"]):
        out.setting(
            inputs,
            "objective",
            "objective is 'custom' but there are no weights: add an Objective sheet with "
            "metric/weight rows (e.g. cost, 1), or choose min_cost or max_capability",
        )


# --- duplicates -------------------------------------------------------------------------


def _check_duplicates(inputs: Inputs, out: _Collector) -> None:
    for table in _tables(inputs):
        key = table.sheet.key
        if not key:
            continue
        seen: dict[tuple, Record] = {}
        for rec in table:
            values = tuple(rec.get(c) for c in key)
            if not all(_given(v) for v in values):
                continue  # an unreadable or empty key cell: already reported
            first = seen.setdefault(values, rec)
            if first is rec:
                continue
            what = ", ".join(f"{c} {v!r}" for c, v in zip(key, values, strict=True))
            out.error(
                table,
                rec,
                key[0],
                f"duplicate record: {what} is already given in row {first['_row']} "
                f"({table.cell(first, key[0])}); each may appear only once: merge the two "
                "rows or delete one",
            )


# --- references -------------------------------------------------------------------------


def _known_names(inputs: Inputs) -> dict[str, set[str]]:
    """Defined names of each kind of reference (see schema.REF_DEFINED_ON)."""

    def names(sheet: str, column: str) -> set[str]:
        return {r[column] for r in inputs[sheet] if _given(r.get(column))}

    return {
        "trade": names("Personnel", "trade"),
        "grade": names("Personnel", "grade"),
        "course": names("Courses", "course"),
        "unit_type": names("UnitTypes", "unit_type"),
        "equipment": names("Equipment", "equipment"),
        "line": set(inputs.budget_lines()),
    }


def _listed(value: Any) -> tuple[str, ...]:
    """The names in a text or list cell."""
    if not _given(value):
        return ()
    return value if isinstance(value, tuple) else (value,)


def _check_references(inputs: Inputs, out: _Collector) -> None:
    known = _known_names(inputs)
    personnel_present = inputs["Personnel"].present
    for table in _tables(inputs):
        for col in table.sheet.columns:
            if col.ref not in known:
                continue
            if col.ref in ("trade", "grade") and not personnel_present:
                continue  # the missing Personnel sheet is reported once by the reader
            for rec in table:
                _check_names(table, rec, col, known[col.ref], out)


def _check_names(
    table: Table, rec: Record, col: schema.Column, known: set[str], out: _Collector
) -> None:
    entity = _ENTITY_WORDS[col.ref or ""]
    for name in _listed(rec.get(col.name)):
        if name == "*":
            if not col.allow_star:
                out.error(
                    table,
                    rec,
                    col.name,
                    f"'*' (all) is not allowed in {col.name}: list the {entity} names",
                )
            continue
        if name not in known:
            column = "" if col.name == col.ref else f" in {col.name}"
            out.error(
                table,
                rec,
                col.name,
                f"{entity} {name!r}{column} is not defined: it must be listed in "
                f"{schema.REF_DEFINED_ON[col.ref or '']}.{_suggestion(name, known)}",
            )


def _class_pairs(sheet: schema.Sheet) -> list[tuple[str, str]]:
    """(trade column, grade column) pairs naming a personnel class, e.g. from_trade/from_grade."""
    pairs = []
    for col in sheet.columns:
        if col.ref == "trade" and col.kind == "text":
            partner = col.name.replace("trade", "grade")
            if partner in sheet.column_names and sheet.column(partner).ref == "grade":
                pairs.append((col.name, partner))
    return pairs


def _check_classes(inputs: Inputs, out: _Collector) -> None:
    """A (trade, grade) pair must be a class listed on Personnel, not just two known names."""
    personnel = inputs["Personnel"]
    if not personnel.present:
        return
    classes = {(r["trade"], r["grade"]) for r in personnel}
    trades = {t for t, _ in classes}
    grades = {g for _, g in classes}
    for table in _tables(inputs):
        for trade_col, grade_col in _class_pairs(table.sheet):
            for rec in table:
                trade, grade = rec.get(trade_col), rec.get(grade_col)
                if trade not in trades or grade not in grades:
                    continue  # blank, or an unknown name already reported
                if (trade, grade) not in classes:
                    out.error(
                        table,
                        rec,
                        trade_col,
                        f"there is no personnel class {trade_col} {trade!r} with {grade_col} "
                        f"{grade!r}: both names exist on Personnel, but not together in one "
                        "row; add that class to Personnel or correct the trade or grade",
                    )


def _check_instructor_pairs(inputs: Inputs, out: _Collector) -> None:
    """Optional class pairs (Courses instructors): give both columns or neither."""
    for table in _tables(inputs):
        for trade_col, grade_col in _class_pairs(table.sheet):
            if table.sheet.column(trade_col).required:
                continue
            for rec in table:
                trade, grade = _given(rec.get(trade_col)), _given(rec.get(grade_col))
                if trade == grade:
                    continue
                blank, other = (grade_col, trade_col) if trade else (trade_col, grade_col)
                out.error(
                    table,
                    rec,
                    blank,
                    f"{blank} is blank but {other} is {rec[other]!r}: give both to name the "
                    "class that supplies the instructors, or clear both for none",
                )


# --- years ------------------------------------------------------------------------------


def _horizon_text(inputs: Inputs) -> str:
    return f"{inputs.first_year}–{inputs.last_year}"


def _check_years(inputs: Inputs, out: _Collector) -> None:
    years = inputs.years
    for table in _tables(inputs):
        if "year" not in table.sheet.column_names:
            continue
        for rec in table:
            year = rec.get("year")
            if isinstance(year, int) and year not in years:
                out.error(
                    table,
                    rec,
                    "year",
                    f"year {year} is outside the planning horizon {_horizon_text(inputs)} "
                    "(Settings first_year..last_year): correct the year, delete the row, or "
                    "widen the horizon",
                )


def _check_ratio_years(inputs: Inputs, out: _Collector, horizon_ok: bool) -> None:
    """List columns of years (Ratios.years): whole numbers within the horizon, or '*'."""
    for table in _tables(inputs):
        for col in table.sheet.columns:
            if col.ref != "year":
                continue
            for rec in table:
                for entry in _listed(rec.get(col.name)):
                    if entry == "*" and col.allow_star:
                        continue
                    year = _as_year(entry)
                    if year is None:
                        out.error(
                            table,
                            rec,
                            col.name,
                            f"{entry!r} in {col.name} is not a year: list whole years "
                            "separated by commas (e.g. 2027,2028), or leave blank for all years",
                        )
                    elif horizon_ok and year not in inputs.years:
                        out.error(
                            table,
                            rec,
                            col.name,
                            f"year {year} in {col.name} is outside the planning horizon "
                            f"{_horizon_text(inputs)}: correct or remove it",
                        )


def _as_year(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


# --- minimum above maximum --------------------------------------------------------------


def _check_min_max(inputs: Inputs, out: _Collector) -> None:
    for table in _tables(inputs):
        for lo_col, hi_col in table.sheet.min_max:
            for rec in table:
                lo, hi = rec.get(lo_col), rec.get(hi_col)
                if lo is not None and hi is not None and lo > hi:
                    out.error(
                        table,
                        rec,
                        lo_col,
                        f"{lo_col} {_num(lo)} is above {hi_col} {_num(hi)} "
                        f"({table.cell(rec, hi_col)}): no plan can meet both; lower "
                        f"{lo_col} or raise {hi_col}",
                    )


def _check_overrides(inputs: Inputs, out: _Collector) -> None:
    """A per-year min (or max) must not cross the max (or min) it leaves in force."""
    for year_sheet, base_sheet in OVERRIDDEN_BY.items():
        table, base = inputs[year_sheet], inputs[base_sheet]
        base_columns = set(base.sheet.column_names)
        pairs = [p for p in table.sheet.min_max if set(p) <= base_columns]
        if not table.present or not pairs:
            continue
        key = tuple(c for c in table.sheet.key if c != "year")
        by_key = {tuple(r.get(c) for c in key): r for r in base}
        for rec in table:
            parent = by_key.get(tuple(rec.get(c) for c in key))
            if parent is None:
                continue  # unknown class / unit type: reported as a reference error
            for lo_col, hi_col in pairs:
                _check_override_pair(table, rec, base, parent, lo_col, hi_col, out)


def _check_override_pair(
    table: Table,
    rec: Record,
    base: Table,
    parent: Record,
    lo_col: str,
    hi_col: str,
    out: _Collector,
) -> None:
    lo, hi = rec.get(lo_col), rec.get(hi_col)
    if (lo is None) == (hi is None):
        return  # neither overridden, or both (then the within-row check applies)
    year = rec.get("year")
    if lo is not None:
        base_hi = parent.get(hi_col)
        if base_hi is not None and lo > base_hi:
            out.error(
                table,
                rec,
                lo_col,
                f"{lo_col} {_num(lo)} for {year} is above the {hi_col} {_num(base_hi)} that "
                f"still applies ({_source(base, parent, hi_col)}): no plan can meet both; "
                f"lower this value or also give {hi_col} for {year} on this row",
            )
    else:
        base_lo = parent.get(lo_col)
        if base_lo is not None and base_lo > hi:
            out.error(
                table,
                rec,
                hi_col,
                f"{hi_col} {_num(hi)} for {year} is below the {lo_col} {_num(base_lo)} that "
                f"still applies ({_source(base, parent, lo_col)}): no plan can meet both; "
                f"raise this value or also give {lo_col} for {year} on this row",
            )


# --- single-sheet consistency -----------------------------------------------------------


def _check_self_transitions(inputs: Inputs, out: _Collector) -> None:
    table = inputs["Transitions"]
    (from_t, from_g), (to_t, to_g) = _class_pairs(table.sheet)
    for rec in table:
        source, target = (rec.get(from_t), rec.get(from_g)), (rec.get(to_t), rec.get(to_g))
        if all(_given(v) for v in source) and source == target:
            out.error(
                table,
                rec,
                to_t,
                f"this transition moves {source[0]!r} / {source[1]!r} to its own class: a "
                "move must change trade or grade; correct the destination or delete the row",
            )


def _line_set(lines: Any) -> frozenset[str]:
    names = frozenset(_listed(lines))
    return frozenset({"*"}) if not names or "*" in names else names


def _check_funding_sources(inputs: Inputs, out: _Collector) -> None:
    """Every row of one source must name the same lines and the same carryover."""
    table = inputs["Funding"]
    first_rows: dict[str, Record] = {}
    for rec in table:
        source = rec.get("source")
        if not _given(source):
            continue
        first = first_rows.setdefault(source, rec)
        if first is rec:
            continue
        if _line_set(rec["lines"]) != _line_set(first["lines"]):
            out.error(
                table,
                rec,
                "lines",
                f"source {source!r} may pay for {_lines_text(rec['lines'])} here but for "
                f"{_lines_text(first['lines'])} in row {first['_row']} "
                f"({table.cell(first, 'lines')}): a source pays for the same lines in "
                "every year; make the rows agree",
            )
        if bool(rec["carryover"]) != bool(first["carryover"]):
            out.error(
                table,
                rec,
                "carryover",
                f"source {source!r} has carryover {_yes_no(rec['carryover'])} here but "
                f"{_yes_no(first['carryover'])} in row {first['_row']} "
                f"({table.cell(first, 'carryover')}): carry-over applies to the whole "
                "source; make the rows agree",
            )


def _lines_text(lines: Any) -> str:
    names = _line_set(lines)
    return "any line (*)" if names == {"*"} else "lines " + ", ".join(sorted(names))


def _yes_no(value: Any) -> str:
    return "TRUE" if value else "FALSE"


def _check_ratio_bounds(inputs: Inputs, out: _Collector) -> None:
    table = inputs["Ratios"]
    for rec in table:
        if rec.get("min_ratio") is None and rec.get("max_ratio") is None:
            out.warning(
                table,
                rec,
                "min_ratio",
                f"ratio {rec.get('name')!r} has neither min_ratio nor max_ratio, so it "
                "limits nothing: give at least one, or delete the row",
            )


# --- warnings: obvious impossibilities --------------------------------------------------


def _effective_min_units(inputs: Inputs) -> dict[tuple[str, int], float]:
    """(unit type, year) -> min_units in force (UnitYears override, else UnitTypes)."""
    overrides = {
        (r["unit_type"], r["year"]): r["min_units"]
        for r in inputs["UnitYears"]
        if r.get("min_units") is not None
    }
    result = {}
    for unit in inputs["UnitTypes"]:
        for year in inputs.years:
            value = overrides.get((unit["unit_type"], year), unit["min_units"])
            result[unit["unit_type"], year] = value or 0.0
    return result


def _warn_units_above_end_strength(inputs: Inputs, out: _Collector) -> None:
    """Minimum units (plus direct posts) need more people than EndStrength allows."""
    table = inputs["EndStrength"]
    if not len(table):
        return
    per_unit: dict[str, float] = defaultdict(float)
    for rec in inputs["Manning"]:
        per_unit[rec["unit_type"]] += rec.get("personnel") or 0.0
    posts: dict[int, float] = defaultdict(float)
    for rec in inputs["PersonnelYears"]:
        posts[rec["year"]] += rec.get("requirement") or 0.0
    fill = inputs.settings.get("unit_fill_rate") or 1.0
    min_units = _effective_min_units(inputs)
    for rec in table:
        year, cap = rec.get("year"), rec.get("max_total")
        if (rec.get("component") or "active") == "reserve":
            continue  # unit posts are manned by the active force (and maybe the reserve)
        if year not in inputs.years or cap is None or math.isinf(cap):
            continue
        in_units = fill * sum(per_unit[u] * n for (u, y), n in min_units.items() if y == year)
        needed = in_units + posts[year]
        if needed > cap * (1 + 1e-9):
            posts_text = (
                f", plus {_num(posts[year])} direct posts (PersonnelYears requirement)"
                if posts[year]
                else ""
            )
            out.warning(
                table,
                rec,
                "max_total",
                f"in {year} the minimum unit numbers need {_num(in_units)} personnel "
                f"(min_units × Manning × unit_fill_rate {fill:g}){posts_text}, more than "
                f"max_total {_num(cap)} allows: no plan can man them; lower min_units or "
                "raise max_total",
            )


def _first_year_values(inputs: Inputs, column: str) -> list[Any]:
    """A Personnel column's value for every class in first_year, after PersonnelYears."""
    overrides = {
        (r["trade"], r["grade"]): r[column]
        for r in inputs["PersonnelYears"]
        if r.get("year") == inputs.first_year and r.get(column) is not None
    }
    return [overrides.get((r["trade"], r["grade"]), r.get(column)) for r in inputs["Personnel"]]


def _can_shrink(inputs: Inputs) -> bool:
    if any((r.get("attrition_rate") or 0) > 0 for r in inputs["Personnel"]):
        return True
    if any((r.get("loss_rate") or 0) > 0 for r in inputs["Transitions"]):
        return True
    if (inputs.settings.get("separation_max_total") or 0) <= 0:
        return False
    return any((v or 0) > 0 for v in _first_year_values(inputs, "separation_max"))


def _can_grow(inputs: Inputs) -> bool:
    if (inputs.settings.get("accession_max_total") or 0) <= 0:
        return False
    return any((v or 0) > 0 for v in _first_year_values(inputs, "accession_max"))


def _warn_unreachable_start(inputs: Inputs, out: _Collector) -> None:
    """Initial strength far outside the first year's band, with no flow to close the gap."""
    table = inputs["EndStrength"]
    band = next(
        (
            r
            for r in table
            if r.get("year") == inputs.first_year and (r.get("component") or "active") == "active"
        ),
        None,
    )
    if band is None or not inputs["Personnel"].present:
        return
    total = sum(
        r.get("initial_strength") or 0.0
        for r in inputs["Personnel"]
        if (r.get("component") or "active") == "active"
    )
    lo, hi = band.get("min_total") or 0.0, band.get("max_total")
    year = inputs.first_year
    if hi is not None and total > hi * (1 + START_GAP_SHARE) and not _can_shrink(inputs):
        out.warning(
            table,
            band,
            "max_total",
            f"the force starts at {_num(total)} personnel (Personnel initial_strength) but "
            f"may be at most {_num(hi)} at the end of {year}, and nothing can reduce it "
            "(all attrition rates are 0 and no separations are allowed): allow separations, "
            "or raise max_total",
        )
    elif total < lo * (1 - START_GAP_SHARE) and not _can_grow(inputs):
        out.warning(
            table,
            band,
            "min_total",
            f"the force starts at {_num(total)} personnel (Personnel initial_strength) but "
            f"must be at least {_num(lo)} at the end of {year}, and nothing can increase it "
            "(no accessions are allowed): allow accessions, or lower min_total",
        )


def _warn_new_budget_lines(inputs: Inputs, out: _Collector) -> None:
    """A non-standard Equipment.budget_line may be a typo, unless Funding/LineLimits use it."""
    used = {line for r in inputs["Funding"] for line in _listed(r.get("lines"))}
    used |= {r["line"] for r in inputs["LineLimits"] if _given(r.get("line"))}
    table = inputs["Equipment"]
    warned = set()
    for rec in table:
        line = rec.get("budget_line")
        if not _given(line) or line in schema.STANDARD_LINES or line in used or line in warned:
            continue
        warned.add(line)
        out.warning(
            table,
            rec,
            "budget_line",
            f"budget line {line!r} is not one of the standard lines "
            f"({', '.join(schema.STANDARD_LINES)}), so it becomes a new line of its own."
            f"{_suggestion(line, schema.STANDARD_LINES)} If the new line is intended, "
            "nothing needs to change (naming it on Funding or LineLimits also clears this "
            "warning)",
        )
