"""`forceplan report PLAN.xlsx`: the auditor's report of a plan, as one self-contained HTML file.

Everything comes from the plan workbook alone: the input sheets (read as `solve` reads
them), the `Plan_` tables and `Plan_Run` (pandas/calamine); nothing is solved again and
neither Pyomo nor the solver is imported. The independent audit (`forceplan.audit`) runs on
the same file and its verdict is part of the report.

The HTML has no external resource of any kind: CSS is inline, charts are inline SVG
(`forceplan.report.charts`), there are no scripts. The classification is printed at the
top and bottom of the screen view and, in print, at the top and bottom of every page.
Text from the workbook is escaped by Jinja2's autoescaping (names such as `<script>` or
`=HYPERLINK(...)` are shown as text).

`--pdf` also renders a PDF with WeasyPrint (pure Python on top of the Pango library, which
the supported machines have): the classification sits in the page margins of every page.
LibreOffice cannot do it here: its HTML import needs Writer (not installed with Calc) and
ignores inline SVG.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forceplan import __version__
from forceplan.errors import ForceplanError
from forceplan.plan_reader import table as plan_table
from forceplan.report import charts
from forceplan.report.families import describe, family_words

#: Binding rows per (family, kind) described in words; the strongest overall.
PRICES_PER_KIND = 3
PRICES_TOP = 15
PRICE_EPS = 1e-9


@dataclass
class ReportResult:
    html: Path
    pdf: Path | None = None
    seconds: float = 0.0
    audit_ok: bool | None = None
    notes: list[str] = field(default_factory=list)


# --- formatting -------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and value == "")
        or type(value).__name__ in ("NAType", "NaTType")
    )


def fmt(value: Any, digits: int = 4) -> str:
    """Numbers with thousands separators: whole numbers ≥ 1000 without decimals,
    small ones to `digits` significant digits; blanks as an em dash."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if blank(value):
        return "—"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if abs(value) >= 1000 or value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.{digits}g}"
    return str(value)


def cell(value: Any) -> str:
    """An input cell as typed (no rounding beyond 12 significant digits)."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.12g}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _years(frame: Any) -> list[int]:
    return sorted({int(y) for y in frame["year"].dropna()}) if frame is not None else []


def _series_by(frame: Any, key: str, value: str, years: list[int]) -> dict[str, list[float]]:
    """name -> values per year (sums), names in first-seen order."""
    if frame is None or not len(frame):
        return {}
    data = frame[[key, "year", value]].copy()
    data[key] = data[key].astype(str)
    data["year"] = data["year"].astype(int)
    table = data.groupby([key, "year"], sort=False)[value].sum()
    out: dict[str, list[float]] = {}
    for name in dict.fromkeys(data[key]):
        out[name] = [float(table.get((name, y), 0.0)) for y in years]
    return out


def _by_year(frame: Any, value: str, years: list[int]) -> list[float]:
    if frame is None or not len(frame) or value not in frame:
        return [0.0 for _ in years]
    sums = frame.assign(year=frame["year"].astype(int)).groupby("year")[value].sum()
    return [float(sums.get(y, 0.0)) for y in years]


# --- sections ---------------------------------------------------------------------------


def _strength_section(plan: Any, inputs: Any, years: list[int]) -> dict[str, Any]:
    personnel = plan_table(plan, "Plan_Personnel")
    reserve = {
        (r["trade"], r["grade"])
        for r in inputs.tables["Personnel"]
        if (r.get("component") or "active") == "reserve"
    }
    if reserve and personnel is not None and len(personnel):  # the band counts active ones
        pairs = zip(personnel["trade"], personnel["grade"], strict=True)
        personnel = personnel[[(t, g) not in reserve for t, g in pairs]]
    strength = _by_year(personnel, "strength", years)
    bands: dict[int, tuple[float | None, float | None]] = {}
    for rec in inputs.tables["EndStrength"]:
        if (rec.get("component") or "active") != "active":
            continue  # reserve and all-component bands are P7 rows of their own
        lo, hi = rec.get("min_total"), rec.get("max_total")
        bands[int(rec["year"])] = (
            None if blank(lo) else float(lo),
            None if blank(hi) or math.isinf(float(hi)) else float(hi),
        )
    rows = []
    for y, s in zip(years, strength, strict=True):
        lo, hi = bands.get(y, (None, None))
        tol = 1e-6 * max(1.0, s)
        inside = (lo is None or s >= lo - tol) and (hi is None or s <= hi + tol)
        rows.append({"year": y, "strength": s, "min": lo, "max": hi, "inside": inside})
    target = None
    if years and years[-1] in bands:
        lo, hi = bands[years[-1]]
        since = years[-1]
        for y in reversed(years):
            if bands.get(y) == (lo, hi) and rows[years.index(y)]["inside"]:
                since = y
            else:
                break
        target = {
            "min": lo,
            "max": hi,
            "final": strength[-1],
            "met": rows[-1]["inside"],
            "since": since,
            "text": fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}",
        }
    chart = charts.line_chart(
        [str(y) for y in years],
        [charts.Series("total strength (plan)", strength, "#0072B2")],
        title="Strength glide path against the EndStrength band",
        y_label="persons",
        band=(
            [bands.get(y, (None, None))[0] for y in years],
            [bands.get(y, (None, None))[1] for y in years],
        )
        if bands
        else None,
        band_name="EndStrength band (min_total – max_total)",
    )
    return {"rows": rows, "target": target, "chart": chart, "values": strength}


def _column_total(table: Any, column: str) -> float:
    """Σ of a Plan_ column (0 if the table or column is absent: a plan from before §8)."""
    if table is None or column not in table:
        return 0.0
    values = (float(v) for v in table[column] if isinstance(v, int | float) and math.isfinite(v))
    return sum(values, 0.0)


def _money_section(plan: Any, years: list[int]) -> dict[str, Any]:
    budget = plan_table(plan, "Plan_Budget")
    funding = plan_table(plan, "Plan_Funding")
    spend = _by_year(budget, "spend", years)
    discounted = _by_year(budget, "discounted_spend", years)
    has_funding = funding is not None and len(funding) > 0
    available = _by_year(funding, "available", years) if has_funding else None
    spent = _by_year(funding, "spent", years) if has_funding else None
    rows = [
        {
            "year": y,
            "spend": spend[i],
            "discounted": discounted[i],
            "available": available[i] if available else None,
            "unspent": (available[i] - spent[i]) if available and spent else None,
        }
        for i, y in enumerate(years)
    ]
    labels = [str(y) for y in years]
    by_line = _series_by(budget, "line", "spend", years)
    by_line = {k: v for k, v in by_line.items() if any(abs(x) > 0 for x in v)}
    lines = [charts.Series("funding available (all sources)", available, "#000000", True)]
    spend_chart = charts.bar_chart(
        labels,
        charts.top_series(by_line),
        title="Spending by budget line",
        y_label="spend",
        lines=lines if available else [],
    )
    funding_chart = None
    if has_funding:
        by_source = _series_by(funding, "source", "spent", years)
        funding_chart = charts.bar_chart(
            labels,
            charts.top_series(by_source),
            title="Funding used by source",
            y_label="spent",
            lines=[
                charts.Series("available (all sources)", available, "#000000", True),
                charts.Series("total spending", spend, "#000000"),
            ],
        )
    totals = {
        "spend": sum(spend),
        "discounted": sum(discounted),
        "by_line": {k: sum(v) for k, v in by_line.items()},
    }
    return {
        "rows": rows,
        "totals": totals,
        "spend_chart": spend_chart,
        "funding_chart": funding_chart,
        "has_funding": has_funding,
    }


def _personnel_charts(plan: Any, years: list[int]) -> dict[str, Any]:
    pp = plan_table(plan, "Plan_Personnel")
    labels = [str(y) for y in years]
    out: dict[str, Any] = {}
    out["by_trade"] = charts.bar_chart(
        labels,
        charts.top_series(_series_by(pp, "trade", "strength", years)),
        title="Strength by trade",
        y_label="persons",
    )
    out["by_grade"] = charts.bar_chart(
        labels,
        charts.top_series(_series_by(pp, "grade", "strength", years)),
        title="Strength by grade",
        y_label="persons",
    )
    flows = {
        "accessions": _by_year(pp, "accessions", years),
        "separations": _by_year(pp, "separations", years),
        "attrition": _by_year(pp, "attrition", years),
        "moves (promotion, cross-training)": _by_year(pp, "moves_out", years),
    }
    out["flows"] = charts.bar_chart(
        labels,
        [charts.Series(k, v) for k, v in flows.items()],
        title="Accessions, separations, attrition and moves",
        y_label="persons per year",
        stacked=False,
    )
    out["flow_rows"] = [{"year": y, **{k: flows[k][i] for k in flows}} for i, y in enumerate(years)]
    out["flow_names"] = list(flows)
    out.update(_cohort_chart(plan, years))
    return out


def _cohort_chart(plan: Any, years: list[int]) -> dict[str, Any]:
    """Plan_Cohorts (MODEL.md §8.2): strength of the service-limited classes by years served,
    stacked per year, with those at the limit (who leave the next year) as a line."""
    pk = plan_table(plan, "Plan_Cohorts")
    if pk is None or not len(pk):
        return {"cohorts": None}
    served = sorted({int(k) for k in pk["years_served"]})
    series = [
        charts.Series(
            f"{k} year{'s' if k != 1 else ''} served",
            _by_year(pk[pk["years_served"] == k], "strength", years),
        )
        for k in served
    ]
    leaving = charts.Series("at the limit: leave next year", _by_year(pk, "leaving", years))
    classes = sorted({f"{t}/{g}" for t, g in zip(pk["trade"], pk["grade"], strict=True)})
    chart = charts.bar_chart(
        [str(y) for y in years],
        series[: len(charts.PALETTE)],
        title="Service-limited classes by years served",
        y_label="persons",
        lines=[leaving],
    )
    return {"cohorts": chart, "cohort_classes": ", ".join(classes)}


def _small_multiples(
    frame: Any,
    key: str,
    solid: tuple[str, str],
    dashed: tuple[str, str],
    years: list[int],
) -> list[dict[str, Any]]:
    """One small line chart per item (course, equipment): solid vs dashed column."""
    if frame is None or not len(frame):
        return []
    labels = [str(y) for y in years]
    out = []
    data = frame.assign(year=frame["year"].astype(int))
    for name, rows in data.groupby(data[key].astype(str), sort=False):
        rows = rows.set_index("year")
        a = [_value(rows, y, solid[0]) for y in years]
        b = [_value(rows, y, dashed[0]) for y in years]
        limited = any(v is not None for v in b)
        series = [charts.Series(solid[1], a, "#0072B2")]
        if limited:
            series.append(charts.Series(dashed[1], b, "#D55E00", True))
        binding = sum(
            1
            for x, c in zip(a, b, strict=True)
            if x is not None and c and abs(x - c) <= 1e-6 * max(1.0, abs(c))
        )
        out.append(
            {
                "name": name,
                "chart": charts.line_chart(
                    labels, series, title=str(name), width=330, height=170, legend=False
                ),
                "limited": limited,
                "peak": max((v for v in a if v is not None), default=0.0),
                "at_limit": binding,
            }
        )
    return out


def _value(rows: Any, year: int, column: str) -> float | None:
    if year not in rows.index or column not in rows:
        return None
    v = rows.at[year, column]
    if hasattr(v, "iloc"):
        v = v.iloc[0]
    return None if blank(v) else float(v)


def _units_chart(plan: Any, years: list[int]) -> Any:
    units = _series_by(plan_table(plan, "Plan_Units"), "unit_type", "units", years)
    if not units:
        return None
    return charts.line_chart(
        [str(y) for y in years],
        [charts.Series(k, v) for k, v in units.items()][: len(charts.PALETTE)],
        title="Units fielded by type",
        y_label="units",
        height=300,
    )


def _shortfalls(plan: Any) -> list[dict[str, Any]]:
    frame = plan_table(plan, "Plan_Shortfalls")
    if frame is None or not len(frame):
        return []
    return frame.to_dict("records")


# --- constraints and shadow prices ------------------------------------------------------


def price_sentence(row: dict[str, Any], objective: str, currency: str) -> str:
    """'One more basic training seat in 2027 lowers total cost by 55,526 UAH (...)' — the
    shared sentence builder of `forceplan.prices`."""
    from forceplan.prices import sentence

    return sentence(row, objective, currency)


def _constraints_section(plan: Any, objective: str, currency: str) -> dict[str, Any]:
    import pandas as pd

    frame = plan_table(plan, "Plan_Constraints")
    if frame is None:
        frame = pd.DataFrame(columns=["id", "index", "kind", "binding", "shadow_price"])
    if "kind" not in frame:
        frame = frame.assign(kind="")
    frame = frame.assign(kind=frame["kind"].fillna("").astype(str), id=frame["id"].astype(str))
    binding = frame["binding"].map(_truthy) if len(frame) else frame["binding"]
    counts = frame.groupby(["id", "kind"], sort=False).size().to_dict()
    bound = frame[binding].groupby(["id", "kind"], sort=False).size().to_dict()
    families = []
    titles, registered = family_words()
    known = [*registered, *(k for k in counts if k not in registered)]
    for fid in titles:
        title, module, algebra = titles[fid]
        kinds = [
            {
                "kind": k,
                "rows": int(counts.get((fid, k), 0)),
                "binding": int(bound.get((fid, k), 0)),
                "meaning": describe(fid, k).meaning,
                "definition": describe(fid, k).definition,
            }
            for (f, k) in known
            if f == fid
        ]
        families.append(
            {
                "id": fid,
                "title": title,
                "module": module,
                "algebra": algebra,
                "kinds": kinds,
                "rows": sum(k["rows"] for k in kinds),
            }
        )
    from forceplan.prices import (
        NOTE_DEGENERATE_DOWN,
        NOTE_DEGENERATE_NONE,
        count_not_printed,
        is_printed_limit,
    )

    prices = pd.to_numeric(frame.get("shadow_price"), errors="coerce")
    has_prices = bool(len(frame)) and bool(prices.notna().any())
    records = frame.to_dict("records")
    printed = pd.Series([is_printed_limit(r) for r in records], index=frame.index, dtype=bool)
    definitions = {k for k, v in registered.items() if v.definition}
    is_def = pd.Series(
        [(i, k) in definitions for i, k in zip(frame["id"], frame["kind"], strict=True)],
        index=frame.index,
        dtype=bool,
    )
    priced = binding & prices.notna() & (prices.abs() > PRICE_EPS)
    order = prices.abs().sort_values(ascending=False, kind="stable").index
    limits = frame[printed].reindex([i for i in order if printed.get(i, False)])
    # one sentence per limit: rows of one index with the same price say the same thing
    limits = limits[
        ~pd.Series(
            [
                (str(i), f"{float(p):.9g}")
                for i, p in zip(limits["index"], limits["shadow_price"], strict=True)
            ],
            index=limits.index,
        ).duplicated()
    ]
    # identities: only those whose price no printed limit of the same index already states
    stated = {
        (str(r["index"]), f"{float(r['shadow_price']):.9g}") for r in limits.to_dict("records")
    }
    keep_identity = pd.Series(
        [
            bool(p and d)
            and not any(
                n in str(r.get("price_note") or "")
                for n in (NOTE_DEGENERATE_NONE, NOTE_DEGENERATE_DOWN)
            )
            and (str(r["index"]), f"{float(r['shadow_price']):.9g}") not in stated
            for r, p, d in zip(records, priced, is_def, strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )
    identities = frame[keep_identity].reindex([i for i in order if keep_identity.get(i, False)])
    hidden = count_not_printed(frame)

    def rows_of(sub: Any) -> list[dict[str, Any]]:
        out = []
        for row in sub.to_dict("records"):
            out.append(
                {
                    "id": row["id"],
                    "kind": row["kind"],
                    "index": row["index"],
                    "price": float(row["shadow_price"]),
                    "cells": "" if blank(row.get("source_cells")) else str(row["source_cells"]),
                    "sentence": price_sentence(row, objective, currency),
                }
            )
        return out

    by_kind = []
    for (fid, kind), sub in limits.groupby(["id", "kind"], sort=False):
        by_kind.append(
            {
                "id": fid,
                "kind": kind,
                "count": len(sub),
                "rows": rows_of(sub.head(PRICES_PER_KIND)),
            }
        )
    by_kind.sort(key=lambda k: list(titles).index(k["id"]) if k["id"] in titles else 99)
    identity_kinds = []
    for (fid, kind), sub in identities.groupby(["id", "kind"], sort=False):
        identity_kinds.append(
            {"id": fid, "kind": kind, "count": len(sub), "rows": rows_of(sub.head(2))}
        )
    return {
        "families": families,
        "total_rows": len(frame),
        "total_binding": int(binding.sum()) if len(frame) else 0,
        "has_prices": has_prices,
        "top": rows_of(limits.head(PRICES_TOP)),
        "by_kind": by_kind,
        "identities": identity_kinds,
        "binding_limits": len(limits),
        "hidden": hidden,
        "mip": bool(plan.flag("integer_units"))
        or (
            "price_note" in frame
            and bool(frame["price_note"].astype(str).str.startswith("given the whole").any())
        ),
    }


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().upper() in ("TRUE", "1", "YES")
    return bool(value) and not blank(value)


# --- provenance and appendix ------------------------------------------------------------


def _provenance(plan: Any, plan_sha: str) -> dict[str, Any]:
    """Plan_Run's rows by the groups of forceplan.run_record (undeclared keys: "Other")."""
    from forceplan.run_record import INPUT_HASH, REPORT_GROUPS, Group, names, of_group

    run = plan.run
    groups = [
        {"title": g.value, "rows": [(k, run[k]) for k in names(g) if k in run]}
        for g in REPORT_GROUPS
    ]
    sheets = [(INPUT_HASH.part(k), v) for k, v in of_group(run, Group.SHEETS)]
    return {
        "groups": groups,
        "sheets": sheets,
        "timings": of_group(run, Group.TIMINGS),
        "other": of_group(run, Group.OTHER),
        "plan_sha256": plan_sha,
    }


def _used_width(row: list[str]) -> int:
    return max((i + 1 for i, v in enumerate(row) if v), default=0)


def _appendix(raw_sheets: list[Any]) -> list[dict[str, Any]]:
    """Every input sheet (all sheets but Plan_), as stored: header row, then the records."""
    out = []
    for sheet in raw_sheets:
        if sheet.title.startswith("Plan_") or not sheet.read:
            continue
        rows = [[cell(v) for v in row] for row in sheet.rows]
        while rows and not any(rows[-1]):
            rows.pop()
        width = max(
            (max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows), default=0
        )
        rows = [(r + [""] * width)[:width] for r in rows]
        body = [r for r in rows[1:] if any(r)]
        out.append(
            {
                "title": sheet.title,
                "header": rows[0] if rows else [],
                "rows": body,
                "anchor": "sheet-" + re.sub(r"[^A-Za-z0-9_-]", "-", sheet.title),
            }
        )
    return out


# --- building ---------------------------------------------------------------------------


def build_context(path: Path) -> dict[str, Any]:
    """Everything the template shows, from the plan workbook at `path`."""
    from forceplan.audit import audit_workbook
    from forceplan.plan_reader import read_plan
    from forceplan.provenance import file_sha256
    from forceplan.workbook.load import tables_from_raw
    from forceplan.workbook.read import read_raw_workbook

    path = Path(path)
    plan = read_plan(path)
    raw, raw_issues = read_raw_workbook(path, extras=True)  # the appendix shows every sheet
    inputs, issues = tables_from_raw(raw, path)
    issues = raw_issues + issues
    audit = audit_workbook(path, plan=plan, loaded=(inputs, issues))
    settings = inputs.settings
    personnel = plan_table(plan, "Plan_Personnel")
    years = _years(personnel) or list(inputs.years)
    currency = str(settings.get("currency") or "")
    objective = str(plan.run.get("objective") or settings.get("objective") or "min_cost")
    money = _money_section(plan, years)
    units = plan_table(plan, "Plan_Units")
    scores = {str(r["unit_type"]): float(r["capability_score"] or 0.0) for r in inputs["UnitTypes"]}
    capability = 0.0
    if units is not None and len(units):
        capability = float(
            sum(
                scores.get(str(u), 0.0) * float(n)
                for u, n in zip(units["unit_type"], units["units"], strict=True)
            )
        )
    shortfalls = _shortfalls(plan)
    equipment = plan_table(plan, "Plan_Equipment")
    pipeline = 0.0
    if equipment is not None and "arrival_year" in equipment and len(equipment):
        late = equipment[(equipment["arrival_year"] > years[-1]) & (equipment["orders"] > 0)]
        pipeline = float(late["orders"].sum())
    from forceplan.status import badge_class, explain, of_plan

    label = of_plan(plan.run, len(shortfalls))
    summary = {
        "title": settings.get("title") or plan.path.stem,
        "status": label,  # one vocabulary (forceplan.status): never green with shortfalls
        "status_class": badge_class(label),
        "status_text": explain(label)[0].upper() + explain(label)[1:],
        "objective": objective,
        "objective_value": plan.number("objective_value"),
        "gap": plan.number("gap"),
        "currency": currency,
        "cost": money["totals"]["discounted"],
        "spend": money["totals"]["spend"],
        "capability": capability,
        "penalty": float(sum(float(s.get("penalty") or 0.0) for s in shortfalls)),
        "shortfalls": len(shortfalls),
        "elastic": plan.flag("elastic"),
        "integer_units": plan.flag("integer_units"),
        "discount_rate": settings.get("discount_rate"),
        "pipeline_orders": pipeline,
        "committed": _column_total(plan_table(plan, "Plan_Budget"), "committed_after_horizon"),
        "lapsed": _column_total(plan_table(plan, "Plan_Funding"), "lapsed"),
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
    }
    return {
        "tool": f"forceplan {__version__}",
        "generated": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "plan_file": plan.path.name,
        "classification": plan.classification,
        "summary": summary,
        "decisions": _decisions(plan, inputs, currency),
        "strength": _strength_section(plan, inputs, years),
        "money": money,
        "personnel": _personnel_charts(plan, years),
        "training": _small_multiples(
            plan_table(plan, "Plan_Training"),
            "course",
            ("trainees", "trainees"),
            ("capacity", "capacity"),
            years,
        ),
        "units_chart": _units_chart(plan, years),
        "unit_rows": _final_units(units, years),
        "equipment": _small_multiples(
            equipment, "equipment", ("stock", "stock"), ("requirement", "requirement"), years
        ),
        "shortfalls": shortfalls,
        "constraints": _constraints_section(plan, objective, currency),
        "provenance": _provenance(plan, file_sha256(path)),
        "audit": audit,
        "input_warnings": [str(i) for i in issues if i.severity == "error"],
        "appendix": _appendix(raw),
        "years": years,
    }


def _decisions(plan: Any, inputs: Any, currency: str) -> list[str]:
    from forceplan.report.decisions import decisions

    prices: dict[str, float] = {}
    for row in inputs["Equipment"]:
        price = row.get("unit_price")
        if isinstance(price, int | float) and math.isfinite(price):
            prices[str(row["equipment"])] = float(price)
    return decisions(plan.tables, currency, prices)


def _final_units(units: Any, years: list[int]) -> list[dict[str, Any]]:
    if units is None or not len(units) or not years:
        return []
    data = units.assign(year=units["year"].astype(int))
    first = data[data["year"] == years[0]].set_index("unit_type")
    last = data[data["year"] == years[-1]].set_index("unit_type")
    out = []
    for name in dict.fromkeys(data["unit_type"]):
        out.append(
            {
                "name": name,
                "first": float(first.at[name, "units"]) if name in first.index else None,
                "last": float(last.at[name, "units"]) if name in last.index else None,
                "activations": float(data.loc[data["unit_type"] == name, "activations"].sum()),
                "disbandments": float(data.loc[data["unit_type"] == name, "disbandments"].sum()),
            }
        )
    return out


def render(context: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    env.filters["cell"] = cell
    env.filters["money"] = _money_filter
    return env.get_template("report.html.j2").render(**context)


def _money_filter(value: Any, currency: str = "") -> str:
    """Money in a readable unit for the report ('17,609.8 bn UAH'), from forceplan.fmt."""
    from forceplan.fmt import money

    return money(value, currency)


def default_report_path(plan: Path) -> Path:
    """`army.plan.xlsx` -> `army.plan.report.html`, next to the plan."""
    return plan.with_name(f"{plan.stem}.report.html")


def write_report(
    plan: Path,
    output: Path | None = None,
    pdf: bool = False,
    progress: Any = None,
    force: bool = False,
) -> ReportResult:
    """Render the report of `plan` to `output` under the output policy (never over an
    existing file without `force`; a default name moves to a free one); with `pdf`, also
    a PDF next to it.

    `progress(phase)`: a context manager per phase ("report", "pdf"), e.g. the CLI's
    live line with the elapsed time (the PDF alone takes half a minute on a large plan)."""
    import contextlib

    from forceplan.workbook.atomic import OutputTarget, write_output

    step = progress or (lambda _phase: contextlib.nullcontext())

    started = time.perf_counter()
    plan = Path(plan)
    if output is not None and Path(output).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ForceplanError(f"{output}: the report is an HTML file: give a name ending in .html")
    target = OutputTarget(
        Path(output) if output else default_report_path(plan),
        force=force,
        explicit=output is not None,
        suffixes=(".html", ".htm"),
        inputs=(plan,),
    )
    target.check()
    pdf_target = None
    if pdf:
        pdf_target = OutputTarget(
            target.path.with_suffix(".pdf"), force, target.explicit, (".pdf",), (plan,)
        )
        pdf_target.check()
    with step("report"):
        context = build_context(plan)
        html = render(context)
        written = write_output(target, lambda fh: fh.write(html.encode("utf-8")))
    result = ReportResult(written.path, audit_ok=context["audit"].ok)
    if pdf_target is not None:
        with step("pdf"):
            result.pdf = html_to_pdf(written.path, context["classification"], pdf_target)
    result.seconds = time.perf_counter() - started
    return result


#: Extra style sheet for the PDF (WeasyPrint implements CSS paged media): the
#: classification goes into the top and bottom page-margin boxes of every page, with the
#: page number; the screen banners and the browser-print spacers are hidden. The
#: banner is one box as wide as the page's text (277 mm; no empty side boxes). WeasyPrint
#: takes these as user styles, below the document's own: hence `!important`.
PDF_CSS = """
@page {
  size: A4 landscape !important;
  margin: 15mm 10mm 15mm 10mm !important;
  @top-left { content: none; } @top-right { content: none; }
  @bottom-left { content: none; } @bottom-right { content: none; }
  @top-center { content: %(banner)s; background: #1F4E79; height: 8mm; width: 277mm; color: #fff;
    font: bold 9pt Arial, Helvetica, sans-serif; text-align: center; vertical-align: middle; }
  @bottom-center { content: %(banner)s "   ·   page " counter(page) " of " counter(pages);
    background: #1F4E79; height: 8mm; width: 277mm; color: #fff;
    font: bold 9pt Arial, Helvetica, sans-serif; text-align: center; vertical-align: middle; }
}
.banner, table.page > thead, table.page > tfoot { display: none !important; }
table.page, table.page > tbody, table.page > tbody > tr, table.page > tbody > tr > td {
  display: block !important; }
.grid { display: block !important; }
.grid figure { display: inline-block !important; vertical-align: top; }
table.data th, table.data td { overflow-wrap: break-word !important; }
td.id, th.id { overflow-wrap: normal !important; }
"""


def css_string(text: str) -> str:
    """`text` as a CSS string literal."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def html_to_pdf(html: Path, classification: str = "UNCLASSIFIED", target: Any = None) -> Path:
    """PDF of the HTML report, next to it, rendered by WeasyPrint (no browser needed)."""
    from forceplan.workbook.atomic import OutputTarget, write_output

    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise ForceplanError(
            f"--pdf needs WeasyPrint and the Pango library ({exc}): open the HTML report in "
            "a browser and print it to PDF instead (the classification banner repeats on "
            "every printed page)"
        ) from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    target = target or OutputTarget(html.with_suffix(".pdf"), suffixes=(".pdf",))
    css = weasyprint.CSS(string=PDF_CSS % {"banner": css_string(classification)})
    document = weasyprint.HTML(filename=str(html)).render(stylesheets=[css])
    return write_output(target, lambda fh: document.write_pdf(fh)).path
