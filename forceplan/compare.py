"""`forceplan compare A.xlsx B.xlsx`: what differs between two plan workbooks.

Two plans (two scenarios, or a plan before and after an edit) are read back from their
`Plan_` sheets with pandas and python-calamine; nothing is solved again. Compared:

- the headline: status, objective and its value, gap, discounted cost, total spending,
  final strength, shortfalls, and whether the inputs were the same (content hash);
- total strength by year; spending by budget line and year; units by type and year;
  equipment stock and orders by item and year;
- binding constraints: limits (id, kind, index) binding in one plan and not in the other.

Values equal to a relative 1e-9 (or 1e-9 absolute, around zero) count as unchanged and show
a change of 0 (float noise is never reported). Plans solved for different objectives are
compared on everything but the objective value, which is not subtracted (a warning says
so): cost and capability are different units. The
result is shown as tables, as one JSON object (`--json`), and with `-o` as a workbook
(written atomically: a temporary file, then a rename).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forceplan.errors import ForceplanError
from forceplan.plan_reader import Plan, read_plan  # read_plan: the shared plan reader
from forceplan.plan_reader import as_number as _number
from forceplan.plan_reader import is_blank as _is_blank

REL_TOL = 1e-9
ABS_TOL = 1e-9
SHOW_ROWS = 30  # changed rows shown per table on screen

#: Sections: title, Plan_ sheet, key columns, value columns (summed over the rest).
SECTIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "strength": ("Total strength by year", "Plan_Personnel", ("year",), ("strength",)),
    "spend": ("Spending by budget line and year", "Plan_Budget", ("line", "year"), ("spend",)),
    "units": ("Units by type and year", "Plan_Units", ("unit_type", "year"), ("units",)),
    "equipment": (
        "Equipment stock and orders by item and year",
        "Plan_Equipment",
        ("equipment", "year"),
        ("stock", "orders"),
    ),
}
#: Headline rows that describe the files, not the plan: they do not make plans differ.
INFO_FIGURES = ("plan workbook", "input file", "input content hash")
_SHEET_NAMES = {
    "summary": "Compare_Summary",
    "strength": "Compare_Strength",
    "spend": "Compare_Spend",
    "units": "Compare_Units",
    "equipment": "Compare_Equipment",
    "binding": "Compare_Binding",
}


@dataclass
class Comparison:
    a: Plan
    b: Plan
    summary: Any  # DataFrame: figure, A, B, change, changed
    sections: dict[str, Any] = field(default_factory=dict)  # name -> DataFrame
    binding: Any = None  # DataFrame: id, kind, index, binding_in

    @property
    def identical(self) -> bool:
        """Same results (the file names and input hashes may differ)."""
        results = self.summary[~self.summary["figure"].isin(INFO_FIGURES)]
        return (
            not bool(results["changed"].any())
            and all(not bool(f["changed"].any()) for f in self.sections.values())
            and not len(self.binding)
        )

    def to_dict(self) -> dict[str, Any]:
        def records(frame: Any) -> list[dict[str, Any]]:
            return [
                {k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
            ]

        return {
            "a": str(self.a.path),
            "b": str(self.b.path),
            "identical": self.identical,
            "warnings": [w for w in (objective_warning(self.a, self.b),) if w],
            "summary": records(self.summary),
            **{
                name: {
                    "changed": int(frame["changed"].sum()),
                    "rows": records(frame),
                }
                for name, frame in self.sections.items()
            },
            "binding": records(self.binding),
        }


# --- comparing -------------------------------------------------------------------------


def compare_plans(a_path: Path, b_path: Path) -> Comparison:
    a, b = read_plan(a_path), read_plan(b_path)
    result = Comparison(a, b, _summary(a, b))
    for name, (_title, sheet, keys, values) in SECTIONS.items():
        result.sections[name] = _diff_table(a.tables.get(sheet), b.tables.get(sheet), keys, values)
    result.binding = _binding_changes(
        a.tables.get("Plan_Constraints"),
        b.tables.get("Plan_Constraints"),
        (_words(a), _words(b)),
    )
    return result


def _words(plan: Plan) -> tuple[str, str]:
    """(objective, currency) of a plan, for the price sentences."""
    objective = str(plan.run.get("objective") or "min_cost")
    return objective, str(plan.run.get("currency") or "")


def same(x: Any, y: Any) -> bool:
    """Equal values: numbers to REL_TOL (ABS_TOL around zero), anything else exactly."""
    nx, ny = _number(x), _number(y)
    if nx is not None and ny is not None:
        return math.isclose(nx, ny, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if _is_blank(x) and _is_blank(y):
        return True
    return x == y


def _sum(plan: Plan, sheet: str, column: str) -> float | None:
    frame = plan.tables.get(sheet)
    if frame is None or column not in frame.columns:
        return None
    return float(frame[column].sum())


def _final_strength(plan: Plan) -> float | None:
    frame = plan.tables.get("Plan_Personnel")
    if frame is None or not len(frame):
        return None
    last = frame["year"].max()
    return float(frame.loc[frame["year"] == last, "strength"].sum())


def _summary(a: Plan, b: Plan) -> Any:
    import pandas as pd

    def figures(p: Plan) -> dict[str, Any]:
        shortfalls = p.tables.get("Plan_Shortfalls")
        return {
            "plan workbook": p.path.name,
            "status": p.run.get("status"),
            "objective": p.run.get("objective"),
            "objective value": _number(p.run.get("objective_value")),
            "gap": _number(p.run.get("gap")),
            "discounted cost": _sum(p, "Plan_Budget", "discounted_spend"),
            "total spending": _sum(p, "Plan_Budget", "spend"),
            "final-year strength": _final_strength(p),
            "shortfalls": None if shortfalls is None else len(shortfalls),
            "shortfall penalty": _sum(p, "Plan_Shortfalls", "penalty"),
            "input file": p.run.get("input_file"),
            "input content hash": p.run.get("input_content_hash"),
        }

    fa, fb = figures(a), figures(b)
    comparable = same_objective(a, b)
    rows = []
    for key in fa:
        va, vb = fa[key], fb[key]
        na, nb = _number(va), _number(vb)
        change = nb - na if na is not None and nb is not None else None
        if change is not None and same(va, vb):
            change = 0.0  # within tolerance: float noise is not a change
        if key == "objective value" and not comparable:
            change = None  # cost and capability are different units: never subtracted
        rows.append(
            {"figure": key, "A": va, "B": vb, "change": change, "changed": not same(va, vb)}
        )
    return pd.DataFrame(rows, columns=["figure", "A", "B", "change", "changed"])


def same_objective(a: Plan, b: Plan) -> bool:
    """Whether the two objective values can be subtracted (same objective, or unknown)."""
    oa, ob = a.run.get("objective"), b.run.get("objective")
    return _is_blank(oa) or _is_blank(ob) or str(oa) == str(ob)


def objective_warning(a: Plan, b: Plan) -> str | None:
    if same_objective(a, b):
        return None
    return (
        f"A is solved for {a.run.get('objective')} and B for {b.run.get('objective')}: their "
        "objective values are in different units and are not subtracted; compare the "
        "strength, spending, units and equipment below instead"
    )


def _diff_table(fa: Any, fb: Any, keys: tuple[str, ...], values: tuple[str, ...]) -> Any:
    """Outer join of A and B summed by `keys`: A, B, change and change_pct per value column."""
    import pandas as pd

    def totals(frame: Any) -> Any:
        if frame is None or not len(frame) or not (set(keys) | set(values)) <= set(frame.columns):
            empty = {k: pd.Series(dtype="int64" if k == "year" else "object") for k in keys}
            return pd.DataFrame(empty | {v: pd.Series(dtype="float64") for v in values})
        frame = frame.astype({"year": "int64"}) if "year" in keys else frame
        return frame.groupby(list(keys), sort=False)[list(values)].sum().reset_index()

    out = totals(fa).merge(totals(fb), on=list(keys), how="outer", suffixes=("_A", "_B"))
    out = out.sort_values(list(keys), kind="stable", ignore_index=True)
    columns = list(keys)
    changed = pd.Series(False, index=out.index)
    for v in values:
        a, b = out[f"{v}_A"].astype(float), out[f"{v}_B"].astype(float)
        out[f"{v}_change"] = [
            0.0 if same(x, y) else y - x for x, y in zip(a, b, strict=True)
        ]  # within tolerance: no change, not float noise
        out[f"{v}_change_pct"] = [
            (y - x) / abs(x) if not (math.isnan(x) or math.isnan(y)) and x != 0 else None
            for x, y in zip(a, b, strict=True)
        ]
        changed |= pd.Series([not same(x, y) for x, y in zip(a, b, strict=True)], index=out.index)
        columns += [f"{v}_A", f"{v}_B", f"{v}_change", f"{v}_change_pct"]
    out["changed"] = changed.astype(bool)
    return out[[*columns, "changed"]]


def _binding_changes(
    fa: Any, fb: Any, words: tuple[tuple[str, str], tuple[str, str]] | None = None
) -> Any:
    """Limits binding in one plan and not the other (id, kind, index), with the price
    sentence of `forceplan.prices` where the price is one a sentence may state."""
    import pandas as pd

    from forceplan.prices import is_printed_limit, sentence

    def binding(frame: Any, objective: str, currency: str) -> dict[tuple[str, str, str], Any]:
        if frame is None or not len(frame) or "binding" not in frame.columns:
            return {}
        out = {}
        for row in frame[frame["binding"].map(_truthy)].to_dict("records"):
            kind = "" if _is_blank(row.get("kind")) else str(row["kind"])
            said = sentence(row, objective, currency) if is_printed_limit(row) else ""
            key = (str(row["id"]), kind, str(row["index"]))
            out[key] = (_number(row.get("shadow_price")), said)
        return out

    wa, wb = words or (("min_cost", ""), ("min_cost", ""))
    ba, bb = binding(fa, *wa), binding(fb, *wb)
    columns = ["id", "kind", "index", "binding_in", "shadow_price", "sentence"]
    rows = [[*k, "A only", p, said] for k, (p, said) in ba.items() if k not in bb]
    rows += [[*k, "B only", p, said] for k, (p, said) in bb.items() if k not in ba]
    return pd.DataFrame(rows, columns=columns)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().upper() in ("TRUE", "1", "YES")
    return bool(value) and not (isinstance(value, float) and math.isnan(value))


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- output ----------------------------------------------------------------------------


#: Headline figures in money (shown in bn/mn with the currency).
MONEY_FIGURES = ("discounted cost", "total spending", "shortfall penalty")
#: Sections whose values are money.
MONEY_SECTIONS = ("spend",)


def show_comparison(console: Any, result: Comparison) -> None:
    """Rich tables that fit the terminal: the headline, then the changed rows of every
    section; money in one readable unit per table (bn/mn, named in the title)."""
    from rich.table import Table

    from forceplan import fmt
    from forceplan.show import _settings

    currency = str(_settings(result.a.path).get("currency") or "")
    console.print(f"A: {result.a.path}\nB: {result.b.path}")
    warning = objective_warning(result.a, result.b)
    if warning:
        console.print(f"[bold yellow]warning:[/] {warning}")
    table = Table(title="Headline", header_style="bold")
    table.add_column("figure", overflow="fold")
    for col in ("A", "B", "change"):
        table.add_column(col, justify="right", overflow="fold")
    for row in result.summary.itertuples(index=False):
        style = "yellow" if row.changed else None
        values = (row.A, row.B, row.change)
        if row.figure == "objective value":
            kinds = [p.run.get("objective") for p in (result.a, result.b)]
            kinds.append(kinds[0] if kinds[0] == kinds[1] else None)
            cells = [
                fmt.money(v, currency) if k == "min_cost" else _show(v)
                for v, k in zip(values, kinds, strict=True)
            ]
        elif row.figure in MONEY_FIGURES:
            cells = [fmt.money(v, currency) for v in values]
        elif row.figure == "input content hash":
            cells = [str(v)[:12] if not _is_blank(v) else "—" for v in values[:2]] + ["—"]
        else:
            cells = [_show(v) for v in values]
        table.add_row(row.figure, *cells, style=style)
    console.print(table)
    for name, (title, _sheet, keys, values) in SECTIONS.items():
        frame = result.sections[name]
        changed = frame[frame["changed"]]
        if not len(changed):
            console.print(f"[green]{title}: no change[/] ({len(frame)} rows)")
            continue
        shown = changed.head(SHOW_ROWS)
        unit = None
        if name in MONEY_SECTIONS:
            amounts = [shown[f"{v}_{x}"] for v in values for x in ("A", "B", "change")]
            unit = fmt.money_unit(x for column in amounts for x in column)
            title += f" ({fmt.unit_label(unit[1], currency)})"
        table = Table(
            title=f"{title}: {len(changed)} of {len(frame)} rows changed", header_style="bold"
        )
        for k in keys:
            table.add_column(k, overflow="fold")
        for v in values:
            for suffix in ("A", "B", "change"):
                table.add_column(f"{v} {suffix}" if len(values) > 1 else suffix, justify="right")
        for row in shown.to_dict(orient="records"):
            cells = [fmt.year(row[k]) if k == "year" else str(_plain(row[k])) for k in keys]
            for v in values:
                for x in ("A", "B", "change"):
                    value = row[f"{v}_{x}"]
                    cells.append(fmt.scaled(value, unit) if unit else _show(value))
            table.add_row(*cells)
        if len(changed) > SHOW_ROWS:
            table.caption = f"{len(changed) - SHOW_ROWS} more changed rows: use -o or --json"
        console.print(table)
    if not len(result.binding):
        console.print("[green]Binding constraints: the same limits bind in both plans[/]")
    else:
        table = Table(
            title=f"Binding constraints that changed: {len(result.binding)}", header_style="bold"
        )
        for col in ("id", "kind", "index", "binding in", "shadow price", "in words"):
            table.add_column(
                col, justify="right" if col == "shadow price" else "left", overflow="fold"
            )
        for row in result.binding.head(SHOW_ROWS).itertuples(index=False):
            table.add_row(
                row.id, row.kind, row.index, row.binding_in, _show(row.shadow_price), row.sentence
            )
        if len(result.binding) > SHOW_ROWS:
            table.caption = f"{len(result.binding) - SHOW_ROWS} more: use -o or --json"
        console.print(table)
    verdict = (
        "[green]The plans are the same.[/]"
        if result.identical
        else ("[yellow]The plans differ.[/]")
    )
    console.print(verdict)


def _show(value: Any) -> str:
    from forceplan import fmt

    value = _plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return fmt.number(value)


def write_comparison(result: Comparison, output: Path, overwrite: bool = False) -> None:
    """The comparison as a workbook: one formatted table per section, header in row 1."""
    from openpyxl import Workbook

    from forceplan.workbook.atomic import atomic_write, check_target
    from forceplan.workbook.styles import FMT_SHARE
    from forceplan.workbook.tables import table_sheet

    output = Path(output)
    for plan in (result.a, result.b):
        if output.exists() and output.resolve() == plan.path.resolve():
            raise ForceplanError(f"{output} is one of the plans being compared: choose another -o")
    check_target(output, overwrite)
    classification = _classification(result)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    summary = result.summary.astype(object)
    table_sheet(book, _SHEET_NAMES["summary"], summary, classification, taken)
    money = "#,##0.00"
    for name, frame in result.sections.items():
        formats = {c: (FMT_SHARE if c.endswith("_pct") else money) for c in frame.columns}
        formats["year"] = "0"
        table_sheet(book, _SHEET_NAMES[name], frame, classification, taken, formats)
    table_sheet(
        book,
        _SHEET_NAMES["binding"],
        result.binding,
        classification,
        taken,
        {"shadow_price": "General"},
    )
    atomic_write(output, book.save, overwrite=overwrite)


def _classification(result: Comparison) -> str:
    ca = str(result.a.run.get("classification") or "")
    cb = str(result.b.run.get("classification") or "")
    if ca == cb:
        return ca or "UNCLASSIFIED"
    return " / ".join(c for c in (ca, cb) if c)
