"""The output-sheet registry: every `Plan_` sheet and column of the plan workbook, declared once.

The input registry (`forceplan.schema`) declares what a workbook may hold; this one declares
what forceplan writes (MODEL.md §6, §8.9): each sheet's place and help text, and each
column's unit kind, meaning and role. The tables of `forceplan.results` are built against it
(`table_columns`: a column nobody registered is an error, never a silent drop), the writer
takes its number formats, header comments and the sheet list of Plan_Summary from it, and
`forceplan.plan_reader` and the report read the sheets it names. `schema.PLAN_COLUMNS` and
`schema.OPTIONAL_PLAN_SHEETS` are views of it.

Header names are the contract: units are never put in a header. They are shown by the
cells' number formats and by a comment on each header cell, both driven by `kind`:
- text, flag: no number format;
- year: `0` (2026, never 2,026);
- count: persons or items, `#,##0`;
- units: unit counts, `#,##0.0` (fractions of a unit matter in an LP);
- money: the workbook's currency, undiscounted unless the help says so; shown in millions
  ("940,149.1 mn") when the sheet's amounts reach millions;
- money_own: money in a funding source's own currency (§8.6), formatted like money;
- share: fractions shown as %;
- mixed: a constraint row's own unit (persons, items or currency), `#,##0.00`;
- price, range: a shadow price and the limits it holds between; rate: exchange rates.

Roles: `key` columns say what a row is about (with `year`); `decision` columns are values of
the LP's decision variables; `derived` columns are computed from decisions and inputs.
Keep this module free of imports from the package: schema.py and the audit read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

OutputKind = Literal[
    "text", "flag", "year", "count", "units", "money", "money_own", "share", "mixed", "price",
    "range", "rate",
]  # fmt: skip
Role = Literal["key", "decision", "derived"]

#: Number format of each kind (money kinds: see `money_format`; text and flag: none).
KIND_FORMAT: dict[str, str] = {
    "year": "0",
    "count": "#,##0",
    "units": "#,##0.0",
    "share": "0.0%",
    "mixed": "#,##0.00",
    # prices and their ranges: whole money and small per-unit prices (as issue 12 chose)
    "price": "#,##0.00##",
    "range": "#,##0.00##",
    "rate": "#,##0.0000",
}

#: Kinds of money columns (the sheet's money unit, mn or currency units, applies to both).
MONEY_KINDS = ("money", "money_own")

#: The unit a header comment names for each kind (money: the workbook's currency).
KIND_UNIT: dict[str, str] = {
    "year": "year",
    "count": "persons or items",
    "units": "units",
    "share": "fraction, shown as %",
    "mixed": "the row's own unit",
    "price": "objective units per unit of the row",
    "range": "the row's own unit",
    "money_own": "the source's own currency (column currency)",
}


@dataclass(frozen=True)
class OutputColumn:
    """One column of a Plan_ table."""

    name: str
    kind: OutputKind
    help: str
    role: Role = "derived"
    #: forceplan's own column after those MODEL.md §6 lists (not in schema.PLAN_COLUMNS)
    extra: bool = False

    @property
    def is_money(self) -> bool:
        return self.kind in MONEY_KINDS

    def unit(self, currency: str = "", money_unit: str = "") -> str:
        """The unit in words for the header comment ('' for text)."""
        if self.kind == "money":
            unit = currency or "currency units"
        elif self.kind == "rate":
            unit = f"{currency or 'base currency'} per unit of the source's currency"
        else:
            unit = KIND_UNIT.get(self.kind, "")
        if self.is_money and money_unit:
            unit += f"; shown in {'millions' if money_unit == 'mn' else 'billions'} "
            unit += f"({money_unit}), the cell holds the exact amount"
        return unit


@dataclass(frozen=True)
class OutputSheet:
    """One Plan_ sheet, in the order the plan workbook holds them."""

    name: str
    help: str  # one line, listed on Plan_Summary
    columns: tuple[OutputColumn, ...] = ()
    #: "free": a laid-out sheet (banner, headline figures, charts), not a table
    layout: Literal["table", "free"] = "table"
    #: written only when the inputs call for it (Plan_Cohorts: classes with a service limit)
    optional: bool = False
    #: listed in MODEL.md §6/§8 (schema.PLAN_COLUMNS); else forceplan's own addition
    contract: bool = True
    #: a column for each planning year, named by the year (Plan_BudgetGrid)
    per_year: OutputColumn | None = None
    #: a comment with meaning and unit on each header cell (else one note, or none)
    header_comments: bool = True

    def column(self, name: str) -> OutputColumn | None:
        for col in self.columns:
            if col.name == name:
                return col
        if self.per_year is not None and name.isdigit():
            return self.per_year
        return None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# --- declarations (one line per column where possible) ------------------------------------


def _key(name: str, help: str, kind: OutputKind = "text") -> OutputColumn:
    return OutputColumn(name, kind, help, "key")


def _dec(name: str, kind: OutputKind, help: str, extra: bool = False) -> OutputColumn:
    return OutputColumn(name, kind, help, "decision", extra)


def _der(name: str, kind: OutputKind, help: str, extra: bool = False) -> OutputColumn:
    return OutputColumn(name, kind, help, "derived", extra)


_YEAR = _key("year", "planning year (end-of-year values)", "year")
_CLASS = (_key("trade", "trade"), _key("grade", "grade"))

PLAN_SUMMARY = OutputSheet("Plan_Summary", "headline figures", layout="free", contract=False)
PLAN_CHARTS = OutputSheet(
    "Plan_Charts", "strength, money, equipment and training charts", layout="free", contract=False
)
PLAN_PERSONNEL = OutputSheet(
    "Plan_Personnel",
    "strength and flows by trade, grade and year",
    (
        *_CLASS,
        _YEAR,
        _dec("strength", "count", "persons in the class at the end of the year"),
        _dec("accessions", "count", "persons recruited into the class in the year"),
        _dec("separations", "count", "managed separations in the year (persons)"),
        _der("moves_in", "count", "persons arriving by promotion or cross-training, net of loss"),
        _der("moves_out", "count", "persons leaving the class by promotion or cross-training"),
        _der("attrition", "count", "persons lost to attrition in the year"),
        _dec("limited_duty", "count", "persons on limited duty"),
        _der("training_load", "count", "persons in training (not available for posts)"),
        _der(
            "requirement",
            "count",
            "posts to fill: direct requirement + unit manning + instructors (persons)",
        ),
        _dec("overstrength", "count", "persons above the requirement"),
        _dec("shortfall", "count", "posts not filled (elastic mode), persons"),
    ),
)
PLAN_COHORTS = OutputSheet(
    "Plan_Cohorts",
    "strength by years served of classes with a service limit; leaving = those who must "
    "leave the class next year",
    (
        *_CLASS,
        _key(
            "years_served",
            "completed years of service in the class (0 = joined this year)",
            "count",
        ),
        _YEAR,
        _dec("strength", "count", "persons in the cohort at the end of the year"),
        _der(
            "leaving",
            "count",
            "persons at the service limit: they leave the class the next year (persons)",
        ),
    ),
    optional=True,
)
PLAN_TRANSITIONS = OutputSheet(
    "Plan_Transitions",
    "promotions and cross-training moves by year",
    (
        _key("from_trade", "trade moved from"),
        _key("from_grade", "grade moved from"),
        _key("to_trade", "trade moved to"),
        _key("to_grade", "grade moved to"),
        _YEAR,
        _dec("moved", "count", "persons moved in the year (before loss)"),
        _der("lost", "count", "persons lost on the way (loss_rate)"),
    ),
)
PLAN_TRAINING = OutputSheet(
    "Plan_Training",
    "trainees against course capacity by year",
    (
        _key("course", "course"),
        _YEAR,
        _dec("trainees", "count", "trainees starting the course in the year (persons)"),
        _der("capacity", "count", "seats in the year incl. all expansion so far (blank: no limit)"),
        _dec("expansion", "count", "seats added in the year (permanent)"),
        _der("utilisation", "share", "trainees / capacity"),
    ),
)
PLAN_UNITS = OutputSheet(
    "Plan_Units",
    "units by type and year",
    (
        _key("unit_type", "unit type"),
        _YEAR,
        _dec("units", "units", "units at the end of the year"),
        _dec("activations", "units", "units stood up in the year"),
        _dec("disbandments", "units", "units disbanded in the year"),
        _dec("shortfall", "units", "units below min_units (elastic mode)"),
    ),
)
PLAN_EQUIPMENT = OutputSheet(
    "Plan_Equipment",
    "stock, orders and deliveries by item and year",
    (
        _key("equipment", "equipment item"),
        _YEAR,
        _dec("stock", "count", "items on hand at the end of the year"),
        _dec("orders", "count", "items ordered in the year"),
        _der("deliveries", "count", "items delivered in the year (orders arriving + scheduled)"),
        _dec("donations", "count", "items donated in the year"),
        _dec("disposals", "count", "items disposed of in the year"),
        _der("requirement", "count", "items required (direct + unit equipping)"),
        _dec("shortfall", "count", "items below the requirement (elastic mode)"),
        _der("arrival_year", "year", "year an order placed this year arrives", extra=True),
        _der("attrition", "count", "items lost to attrition in the year", extra=True),
    ),
)
PLAN_BUDGET = OutputSheet(
    "Plan_Budget",
    "spending by budget line and year",
    (
        _key("line", "budget line"),
        _YEAR,
        _dec("spend", "money", "spending on the line in the year, undiscounted"),
        _der("discounted_spend", "money", "spend × discount factor of the year"),
        _dec(
            "committed_after_horizon",
            "money",
            "payments after the last year for orders placed in this year",
        ),
        _dec(
            "funding_gap", "money", "spending no funding source covers (elastic mode)", extra=True
        ),
    ),
)
PLAN_BUDGET_GRID = OutputSheet(
    "Plan_BudgetGrid",
    "spending laid out line × year, with totals and funding available",
    (
        _key("line", "budget line (rows: lines, then total and funding available)"),
        _der("total", "money", "spending over the years (funding available: its total)"),
    ),
    contract=False,
    per_year=_der("year", "money", "spending of the year, undiscounted"),
    header_comments=False,  # one note on A1 explains the whole grid
)
PLAN_FUNDING = OutputSheet(
    "Plan_Funding",
    "money available, spent, carried and lapsed by source and year (base currency; *_own "
    "columns in the source's currency)",
    (
        _key("source", "funding source"),
        _YEAR,
        _der("available", "money", "money available in the year incl. carry-over"),
        _der("spent", "money", "money spent from the source in the year"),
        _der("unspent", "money", "available - spent"),
        _dec("carried_out", "money", "money carried to the next year"),
        _der("lapsed", "money", "money that expires unspent in the year"),
        _der("rate", "rate", "exchange rate: base currency per unit of the source's currency"),
        _der("available_own", "money_own", "available, in the source's own currency"),
        _der("spent_own", "money_own", "spent, in the source's own currency"),
        _der("unspent_own", "money_own", "unspent, in the source's own currency"),
        _der("carried_out_own", "money_own", "carried out, in the source's own currency"),
        _der("lapsed_own", "money_own", "lapsed, in the source's own currency"),
        _der("currency", "text", "the source's own currency", extra=True),
    ),
)
PLAN_ALLOCATION = OutputSheet(
    "Plan_Allocation",
    "which source pays for which line",
    (
        _key("source", "funding source"),
        _key("line", "budget line"),
        _YEAR,
        _dec("amount", "money", "money the source pays for the line in the year"),
    ),
)
PLAN_SHORTFALLS = OutputSheet(
    "Plan_Shortfalls",
    "requirements not met (elastic mode)",
    (
        _key("kind", "penalty kind"),
        _key("constraint", "constraint ID"),
        _key("where", "what falls short"),
        _YEAR,
        _dec("amount", "mixed", "how much: persons, units or items; currency for funding"),
        _der("penalty", "money", "penalty added to the objective, undiscounted"),
    ),
    contract=False,
)
PLAN_CONSTRAINTS = OutputSheet(
    "Plan_Constraints",
    "every limit: value, slack, shadow price, input cells",
    (
        _key("id", "constraint ID (models/FORMULATION.md)"),
        _key("index", "what and which year"),
        _der("value", "mixed", "the row's value, in its own unit (persons, items, currency)"),
        _der("lower", "mixed", "lower limit (blank: none)"),
        _der("upper", "mixed", "upper limit (blank: none)"),
        _der("slack", "mixed", "distance to the nearest limit"),
        _der(
            "shadow_price",
            "price",
            "change of the objective per unit more of the binding "
            "limit (objective units per row unit)",
        ),
        _der("binding", "flag", "TRUE when the row is at a limit"),
        _der("source_cells", "text", "input cells the row comes from"),
        # MODEL.md §8.8: which side the price is for, where it holds, what it means
        _der("side", "text", "which limit the price is for: min, max or fixed"),
        _der("valid_from", "range", "the price holds for a limit from this value (HiGHS ranging)"),
        _der("valid_to", "range", "... up to this value (blank: no end)"),
        _der("price_note", "text", "what the price means (degenerate, penalty-driven ...)"),
        _der("kind", "text", "what kind of limit", extra=True),
    ),
)
#: Plan_Run's rows (its keys) are the run record's; here only its two columns.
PLAN_RUN = OutputSheet(
    "Plan_Run",
    "provenance: input hashes, versions, options, timings",
    (_key("key", "what"), _der("value", "text", "value")),
    header_comments=False,
)

#: Every Plan_ sheet, in the order of the plan workbook (Plan_Summary first, Plan_Run last).
OUTPUT_SHEETS: tuple[OutputSheet, ...] = (
    PLAN_SUMMARY,
    PLAN_CHARTS,
    PLAN_PERSONNEL,
    PLAN_COHORTS,
    PLAN_TRANSITIONS,
    PLAN_TRAINING,
    PLAN_UNITS,
    PLAN_EQUIPMENT,
    PLAN_BUDGET,
    PLAN_BUDGET_GRID,
    PLAN_FUNDING,
    PLAN_ALLOCATION,
    PLAN_SHORTFALLS,
    PLAN_CONSTRAINTS,
    PLAN_RUN,
)
OUTPUT_BY_NAME: dict[str, OutputSheet] = {s.name: s for s in OUTPUT_SHEETS}

# --- views ------------------------------------------------------------------------------

#: The columns MODEL.md §6 (and §8) names for each contract table; forceplan's extra
#: columns follow them on the sheet.
PLAN_COLUMNS: dict[str, tuple[str, ...]] = {
    s.name: tuple(c.name for c in s.columns if not c.extra)
    for s in OUTPUT_SHEETS
    if s.contract and s.layout == "table"
}
#: Plan_ sheets written only when the inputs call for them.
OPTIONAL_PLAN_SHEETS: tuple[str, ...] = tuple(s.name for s in OUTPUT_SHEETS if s.optional)
#: Laid-out sheets: not tables, never read back as such.
FREE_LAYOUT: tuple[str, ...] = tuple(s.name for s in OUTPUT_SHEETS if s.layout == "free")


class UnregisteredOutput(RuntimeError):
    """A Plan_ sheet or column the registry does not declare (a bug, not a user error)."""


def sheet(name: str) -> OutputSheet | None:
    return OUTPUT_BY_NAME.get(name)


def table_sheet(name: str) -> OutputSheet:
    """The registered Plan_ table `name`; a name the registry lacks is a bug (a typo in the
    code), not a plan without that sheet."""
    found = OUTPUT_BY_NAME.get(name)
    if found is None or found.layout != "table":
        raise UnregisteredOutput(f"{name} is not a table in forceplan/output_schema.py")
    return found


def column(sheet_name: str, name: str) -> OutputColumn | None:
    """The registered column `name` of `sheet_name` (None for sheets outside the registry)."""
    found = OUTPUT_BY_NAME.get(sheet_name)
    return None if found is None else found.column(name)


def table_columns(sheet_name: str, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The registered columns of a Plan_ table in sheet order, after checking that `rows`
    carry exactly those: a computed column nobody registered (or a registered one nobody
    computed) raises instead of vanishing from (or blanking) the plan workbook."""
    columns = list(table_sheet(sheet_name).column_names)
    given: set[str] = set()
    for row in rows:
        given.update(row)
    if not given:
        return columns
    unknown = sorted(given - set(columns))
    missing = [c for c in columns if c not in given]
    if unknown or missing:
        parts = [f"unregistered column(s) {', '.join(unknown)}"] if unknown else []
        parts += [f"registered column(s) never computed: {', '.join(missing)}"] if missing else []
        raise UnregisteredOutput(
            f"{sheet_name}: {'; '.join(parts)}. Declare every output column once in "
            "forceplan/output_schema.py (see CONTRIBUTING.md, 'add an output column')"
        )
    return columns


def header_comment(sheet_name: str, name: str, currency: str, money_unit: str = "") -> str | None:
    """The comment on an output header cell: meaning and unit (MODEL.md §8.9)."""
    col = column(sheet_name, name)
    if col is None:
        return None
    unit = col.unit(currency, money_unit)
    return f"{name}: {col.help}" + (f"\nUnit: {unit}" if unit else "")


# --- the reference page -----------------------------------------------------------------


def _format_words(col: OutputColumn) -> str:
    if col.is_money:
        return "`#,##0`, or millions (`… mn`) once the sheet's money reaches millions"
    fmt = KIND_FORMAT.get(col.kind)
    return f"`{fmt}`" if fmt else ""


def reference_markdown() -> str:
    """Every Plan_ sheet and column as Markdown: models/OUTPUTS.md is this text (regenerate
    with `python -m forceplan.output_schema > models/OUTPUTS.md`; a test keeps it current)."""
    lines = [
        "# The plan workbook's Plan_ sheets",
        "",
        "Generated from `forceplan/output_schema.py` (do not edit by hand: run",
        "`python -m forceplan.output_schema > models/OUTPUTS.md`). Header names are the",
        "contract (MODEL.md §6, §8.9); units are shown by number formats and header comments.",
        "Role: `key` says what a row is about, `decision` is a value of the LP's decision",
        "variables, `derived` is computed from decisions and inputs. Money is in the",
        "workbook's currency (`*_own`: the funding source's own currency).",
    ]
    for s in OUTPUT_SHEETS:
        notes = [s.layout == "free" and "laid out, not a table", s.optional and "optional"]
        notes.append(not s.contract and "forceplan's own, not in MODEL.md §6")
        extra = "; ".join(n for n in notes if n)
        lines += ["", f"## {s.name}", "", s.help + (f" ({extra})." if extra else ".")]
        columns = list(s.columns) + ([s.per_year] if s.per_year is not None else [])
        if not columns:
            continue
        lines += ["", "| column | unit | number format | role | meaning |", "|---|---|---|---|---|"]
        for c in columns:
            name = "one per year (`2026` …)" if c is s.per_year else f"`{c.name}`"
            name += " (extra)" if c.extra else ""
            lines.append(f"| {name} | {c.unit()} | {_format_words(c)} | {c.role} | {c.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
