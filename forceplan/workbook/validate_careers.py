"""Checks of the careers columns (MODEL.md §8.1, §8.4, §8.5) that compare cells.

- P9 (always on): a separation minimum above the stock that can still be serving at the
  start of the year is a warning (v1 workbooks may carry such schedules; P9 makes them
  infeasible);
- limited duty: `PersonnelYears.limited_duty_min` above `Personnel.limited_duty_max`, and a
  `limited_duty_share_min` with no limited-duty places (or one that `min_strength` pushes
  above the places) are errors naming both cells;
- P11: an accession minimum more than `accession_step_max` above the previous year's
  maximum (or below the next) is an error naming both cells;
- components: an EndStrength band for the reserve with no reserve class, and a ratio that
  names reserve classes (ratios count active classes only), are warnings.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from forceplan.inputs import Inputs, Record, Table

Class = tuple[str, str]
#: slack for comparing a minimum with an upper bound computed from rates
_RTOL = 1e-9


def check_careers(inputs: Inputs, out: Any, horizon_ok: bool) -> None:
    """Add the careers issues to `out` (validate._Collector)."""
    personnel = inputs["Personnel"]
    if not personnel.present or not horizon_ok:
        return
    values = _Values(inputs)
    _limited_duty(inputs, values, out)
    _accession_steps(inputs, values, out)
    _total_step(inputs, values, out)
    _separations_vs_survivors(inputs, values, out)
    _components(inputs, out)


def _num(value: float) -> str:
    if math.isinf(value):
        return "unbounded"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


class _Values:
    """Per class and year: the value in force of a Personnel column and where it comes from."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.personnel = inputs["Personnel"]
        self.years_table = inputs["PersonnelYears"]
        self.classes: dict[Class, Record] = {}
        for rec in self.personnel:
            if rec.get("trade") and rec.get("grade"):
                self.classes.setdefault((rec["trade"], rec["grade"]), rec)
        # a given first_year_attrition_rate (a blank one follows the year's rate, §8.6)
        self.fyattr_given: dict[Class, float | None] = {
            p: None
            if rec.get("_fyattr_follows") or rec.get("first_year_attrition_rate") is None
            else float(rec["first_year_attrition_rate"])
            for p, rec in self.classes.items()
        }
        self.overrides: dict[tuple[Class, int], Record] = {}
        for rec in self.years_table:
            p = (rec.get("trade"), rec.get("grade"))
            if p in self.classes and isinstance(rec.get("year"), int):
                self.overrides.setdefault((p, rec["year"]), rec)

    def get(self, p: Class, y: int, column: str, default: float) -> tuple[float, str]:
        """(value, cell) of `column` for class p in year y: the override, else the class."""
        over = self.overrides.get((p, y))
        if over is not None and over.get(column) is not None:
            return float(over[column]), self.years_table.where(over, column)
        rec = self.classes[p]
        if column in self.personnel.sheet.column_names and rec.get(column) is not None:
            return float(rec[column]), _where(self.personnel, rec, column)
        return default, ""


def _where(table: Table, rec: Record, column: str) -> str:
    if column in table.letters:
        return table.where(rec, column)
    return f"the default of {table.title or table.sheet.name}.{column}"


def _limited_duty(inputs: Inputs, values: _Values, out: Any) -> None:
    personnel, years = values.personnel, values.years_table
    for (p, y), rec in values.overrides.items():
        low = rec.get("limited_duty_min")
        if low is None:
            continue
        parent = values.classes[p]
        cap = float(parent.get("limited_duty_max") or 0.0)
        if low > cap * (1 + _RTOL):
            out.error(
                years,
                rec,
                "limited_duty_min",
                f"limited_duty_min {_num(low)} for {p[0]}/{p[1]} in {y} is above "
                f"limited_duty_max {_num(cap)} ({_where(personnel, parent, 'limited_duty_max')})"
                ": those people cannot all be on limited duty; raise limited_duty_max or "
                "lower limited_duty_min",
            )
    for p, rec in values.classes.items():
        share = float(rec.get("limited_duty_share_min") or 0.0)
        if share <= 0:
            continue
        cap = float(rec.get("limited_duty_max") or 0.0)
        if cap <= 0:
            out.error(
                personnel,
                rec,
                "limited_duty_share_min",
                f"limited_duty_share_min {share:g} asks for limited duty in {p[0]}/{p[1]} but "
                f"limited_duty_max is 0 ({_where(personnel, rec, 'limited_duty_max')}): the "
                "class could have no strength at all; give limited_duty_max the places, or "
                "clear limited_duty_share_min",
            )
            continue
        for y in inputs.years:
            floor, cell = values.get(p, y, "min_strength", 0.0)
            if share * floor > cap * (1 + _RTOL):
                out.error(
                    personnel,
                    rec,
                    "limited_duty_share_min",
                    f"limited_duty_share_min {share:g} of the minimum strength {_num(floor)} "
                    f"of {p[0]}/{p[1]} in {y} ({cell}) is {_num(share * floor)} on limited "
                    f"duty, above limited_duty_max {_num(cap)} "
                    f"({_where(personnel, rec, 'limited_duty_max')}): raise limited_duty_max, "
                    "or lower the share or the minimum strength",
                )
                break


def _accession_steps(inputs: Inputs, values: _Values, out: Any) -> None:
    personnel = values.personnel
    years = list(inputs.years)
    for p, rec in values.classes.items():
        step = rec.get("accession_step_max")
        if step is None or math.isinf(step):
            continue
        for prev, y in itertools.pairwise(years):
            for a, b in ((prev, y), (y, prev)):
                low, low_cell = values.get(p, b, "accession_min", 0.0)
                high, high_cell = values.get(p, a, "accession_max", math.inf)
                if low > high + step + _RTOL * max(1.0, low):
                    out.error(
                        personnel,
                        rec,
                        "accession_step_max",
                        f"{p[0]}/{p[1]} must recruit at least {_num(low)} in {b} "
                        f"({low_cell}) but at most {_num(high)} in {a} ({high_cell}): the "
                        f"change is more than accession_step_max {_num(step)} allows; raise "
                        "accession_step_max or bring the limits closer",
                    )
                    return


def _total_step(inputs: Inputs, values: _Values, out: Any) -> None:
    """Σ accession minimums of a year more than accession_step_max_total away from the
    Σ maximums of the year before or after: no plan can meet both."""
    step = inputs.settings.get("accession_step_max_total")
    if step is None or math.isinf(step):
        return
    years = list(inputs.years)
    low = {y: sum(values.get(p, y, "accession_min", 0.0)[0] for p in values.classes) for y in years}
    high = {
        y: sum(values.get(p, y, "accession_max", math.inf)[0] for p in values.classes)
        for y in years
    }
    for prev, y in itertools.pairwise(years):
        for a, b in ((prev, y), (y, prev)):
            if low[b] > high[a] + step + _RTOL * max(1.0, low[b]):
                out.setting(
                    inputs,
                    "accession_step_max_total",
                    f"all classes must recruit at least {_num(low[b])} in {b} (the sum of "
                    f"accession_min) but at most {_num(high[a])} in {a} (the sum of "
                    f"accession_max): the change is more than accession_step_max_total "
                    f"{_num(step)} allows; raise it or bring the limits closer",
                )
                return


def _arc_inflow(inputs: Inputs) -> dict[Class, float]:
    """Largest arrivals per year into each class by Transitions (net of loss_rate)."""
    inflow: dict[Class, float] = {}
    for rec in inputs["Transitions"]:
        dst = (rec.get("to_trade"), rec.get("to_grade"))
        cap = rec.get("max_per_year")
        cap = math.inf if cap is None else float(cap)
        inflow[dst] = inflow.get(dst, 0.0) + (1 - float(rec.get("loss_rate") or 0.0)) * cap
    return inflow


def _separations_vs_survivors(inputs: Inputs, values: _Values, out: Any) -> None:
    """P9: X[p,y] ≤ (1−attr)·S[p,y−1]. S[p,y−1] is bounded above by propagating the largest
    inflows (accessions, moves in) and the smallest outflow (separation_min) from the
    initial strength, and by max_strength; a separation minimum above the survivors of that
    bound can never be met."""
    inflow = _arc_inflow(inputs)
    for p, rec in values.classes.items():
        given_fyattr = values.fyattr_given.get(p)
        stock = float(rec.get("initial_strength") or 0.0)
        warned: set[str] = set()
        for y in inputs.years:
            attr = values.get(p, y, "attrition_rate", 0.0)[0]  # the year's rate (§8.6)
            fyattr = attr if given_fyattr is None else given_fyattr  # a blank one follows it
            survivors = (1 - attr) * stock
            sep_min, cell = values.get(p, y, "separation_min", 0.0)
            if sep_min > survivors * (1 + _RTOL) + 1e-9 and cell not in warned:
                warned.add(cell)
                table, record, column = _locate(values, p, y, "separation_min")
                out.warning(
                    table,
                    record,
                    column,
                    f"separation_min {_num(sep_min)} of {p[0]}/{p[1]} in {y} is more than "
                    f"the {_num(survivors)} people who can at most still be serving from the "
                    "start of the year (after attrition): since P9 (MODEL.md §8.1) people "
                    "who join or move in during a year cannot be separated in that year, so "
                    "no plan meets it; lower separation_min",
                )
            acc_max, _ = values.get(p, y, "accession_max", math.inf)
            top, _ = values.get(p, y, "max_strength", math.inf)
            arrivals = (1 - fyattr) * acc_max + inflow.get(p, 0.0)
            stock = min(top, max(0.0, survivors + arrivals - sep_min))


def _locate(values: _Values, p: Class, y: int, column: str) -> tuple[Table, Record, str]:
    over = values.overrides.get((p, y))
    if over is not None and over.get(column) is not None:
        return values.years_table, over, column
    return values.personnel, values.classes[p], column


def _components(inputs: Inputs, out: Any) -> None:
    personnel = inputs["Personnel"]
    reserve = {
        (r.get("trade"), r.get("grade")) for r in personnel if r.get("component") == "reserve"
    }
    band = inputs["EndStrength"]
    for rec in band:
        if rec.get("component") == "reserve" and not reserve:
            out.warning(
                band,
                rec,
                "component",
                "this band counts the reserve, but no Personnel class has component "
                "reserve: it counts nobody; mark the reserve classes on Personnel or "
                "delete the row",
            )
    if not reserve:
        return
    classes = [(r.get("trade"), r.get("grade")) for r in personnel]
    ratios = inputs["Ratios"]
    for rec in ratios:
        for side in ("numerator", "denominator"):
            trades, grades = rec.get(f"{side}_trades"), rec.get(f"{side}_grades")
            if not (_explicit(trades) or _explicit(grades)):
                continue  # "*": every class, and the contract counts the active ones
            hits = sorted(
                p for p in classes if p in reserve and _picks(trades, p[0]) and _picks(grades, p[1])
            )
            if hits:
                column = f"{side}_trades" if _explicit(trades) else f"{side}_grades"
                out.warning(
                    ratios,
                    rec,
                    column,
                    f"ratio {rec.get('name')!r} names reserve class {hits[0][0]}/{hits[0][1]} "
                    f"in its {side}, but ratios count active classes only (MODEL.md §8.4): "
                    "the reserve is left out of it",
                )
                break


def _picks(value: Any, name: str) -> bool:
    return not _explicit(value) or name in _names(value)


def _names(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    return value if isinstance(value, tuple) else (value,)


def _explicit(value: Any) -> bool:
    names = _names(value)
    return bool(names) and "*" not in names
