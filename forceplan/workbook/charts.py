"""`Plan_Charts`: native Excel charts of the plan, next to the small tables they read.

The charts are drawing objects that Excel and LibreOffice Calc draw from the cells of this
sheet (openpyxl.chart), not pictures: a planner can restyle them, copy them into a brief,
or change the numbers and watch them move. Each data table starts with a bold title, then a
header row; the charts stand to the right of the tables.

- Total strength by year against the end-strength band (line chart).
- Spending by budget line per year (stacked columns) against the money available (line).
- Money available by funding source per year (stacked columns) against total spending.
- Equipment stock against requirement for the most valuable items (stock × unit price).
- Training seats used against capacity for the busiest courses (clustered columns).

A chart whose data is empty (no funding, no equipment, no courses) is left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from forceplan.workbook.styles import (
    FMT_COUNT,
    FMT_YEAR,
    HEADER_FILL,
    banner,
    font,
    output_sheet,
    set_cell,
)

TOP_EQUIPMENT = 4
TOP_COURSES = 6
CHART_WIDTH_CM = 17.0
CHART_HEIGHT_CM = 8.5
SMALL_WIDTH_CM = 12.0
SMALL_HEIGHT_CM = 7.0
ROWS_PER_CHART = 19  # rows a CHART_HEIGHT_CM chart covers, with a gap
ROWS_PER_SMALL_CHART = 16
FIRST_ROW = 4

ChartMaker = Callable[[Any, int, int, int], Any]  # (sheet, header row, last row, ncols)


@dataclass
class Block:
    """One data table on Plan_Charts and the charts drawn from it."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    formats: list[str | None]
    charts: list[ChartMaker] = field(default_factory=list)
    small: bool = False  # small charts, two per row


def add_charts_sheet(book: Any, tables: dict[str, Any], classification: str, inputs: Any) -> Any:
    """Create Plan_Charts (after Plan_Summary) with its data tables and charts."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    index = book.sheetnames.index("Plan_Summary") + 1 if "Plan_Summary" in book else None
    ws = output_sheet(book, "Plan_Charts", classification, index)
    blocks = [
        b
        for b in (
            _strength_block(tables, inputs.end_strength_band or {}, inputs.reserve_classes),
            _spending_block(tables),
            _funding_block(tables),
            _equipment_block(tables, inputs.unit_prices),
            _training_block(tables),
        )
        if b is not None and b.rows
    ]
    width = max([len(b.header) for b in blocks] + [4])
    banner(ws, classification, width)
    set_cell(
        ws.cell(row=2, column=1),
        "Charts of the plan. The tables below are the data they draw (from the Plan_ sheets).",
    )
    chart_col = width + 2
    bold, fill = font(book, bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    row = FIRST_ROW
    for block in blocks:
        set_cell(ws.cell(row=row, column=1), block.title)
        ws.cell(row=row, column=1).font = bold
        header_row = row + 1
        for j, name in enumerate(block.header, start=1):
            cell = ws.cell(row=header_row, column=j)
            set_cell(cell, name)
            cell.font, cell.fill = bold, fill
        for i, values in enumerate(block.rows, start=header_row + 1):
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row=i, column=j)
                set_cell(cell, value)
                fmt = block.formats[j - 1]
                if fmt and cell.value is not None:
                    cell.number_format = fmt
        last_row = header_row + len(block.rows)
        per_row = 2 if block.small else 1
        step = ROWS_PER_SMALL_CHART if block.small else ROWS_PER_CHART
        for k, make in enumerate(block.charts):
            chart = make(ws, header_row, last_row, len(block.header))
            _finish(chart, block.small)
            col = chart_col + (k % per_row) * 8
            anchor_row = row + (k // per_row) * step
            ws.add_chart(chart, f"{get_column_letter(col)}{anchor_row}")
        chart_rows = math.ceil(len(block.charts) / per_row) * step
        row = max(last_row + 3, row + chart_rows)
    for j in range(1, width + 1):
        texts = [b.header[j - 1] for b in blocks if j <= len(b.header)]
        texts += [
            r[j - 1] for b in blocks for r in b.rows if j <= len(r) and isinstance(r[j - 1], str)
        ]
        longest = max([len(str(t)) for t in texts] + [10])
        ws.column_dimensions[get_column_letter(j)].width = min(40, longest + 2)
    return ws


# --- data blocks ---------------------------------------------------------------------------


def _years(tables: dict[str, Any]) -> list[int]:
    frame = tables.get("Plan_Personnel")
    if frame is None or not len(frame):
        return []
    return sorted(int(y) for y in frame["year"].unique())


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _strength_block(
    tables: dict[str, Any], band: dict[int, Any], reserve: set[tuple[str, str]] | None = None
) -> Block | None:
    frame = tables.get("Plan_Personnel")
    if frame is None or not len(frame):
        return None
    if reserve:  # the band counts the active component (MODEL.md §8.4)
        pairs = zip(frame["trade"], frame["grade"], strict=True)
        frame = frame[[(t, g) not in reserve for t, g in pairs]]
    strength = frame.groupby("year")["strength"].sum()
    rows = []
    for year, total in strength.items():
        lo, hi = [*band.get(int(year), ()), None, None][:2]
        rows.append([int(year), float(total), _num(lo), _num(hi)])
    has_band = any(r[2] is not None or r[3] is not None for r in rows)
    header = ["year", "strength", "min_total", "max_total"]
    block = Block(
        "Total strength by year (end of year)",
        header,
        rows,
        [FMT_YEAR, FMT_COUNT, FMT_COUNT, FMT_COUNT],
    )

    def make(ws: Any, hr: int, lr: int, ncols: int) -> Any:
        chart = _line_chart("Total strength against the end-strength band", "persons")
        _add_series(chart, ws, hr, lr, range(2, 5 if has_band else 3))
        _set_categories(chart, ws, hr + 1, lr, 1)
        _style_line(chart.series[0], "1F4E79", 2.5)
        for s in chart.series[1:]:
            _style_line(s, "C00000", 1.5, dash="dash")
        return chart

    block.charts.append(make)
    return block


def _pivot(frame: Any, index: str, columns: str, values: str, years: list[int]) -> Any:
    table = frame.pivot_table(
        index=index, columns=columns, values=values, aggfunc="sum", sort=False
    )
    return table.reindex(index=years).fillna(0.0)


def _spending_block(tables: dict[str, Any]) -> Block | None:
    budget, years = tables.get("Plan_Budget"), _years(tables)
    if budget is None or not len(budget) or not years:
        return None
    spend = _pivot(budget, "year", "line", "spend", years)
    lines = [c for c in spend.columns if float(spend[c].abs().sum()) > 1e-9]
    if not lines:
        return None
    funding = tables.get("Plan_Funding")
    available = None
    if funding is not None and len(funding):
        available = funding.groupby("year")["available"].sum().reindex(years).fillna(0.0)
    header = ["year", *[str(c) for c in lines]] + (
        ["funding available"] if available is not None else []
    )
    rows = []
    for y in years:
        row = [y, *[float(spend.loc[y, c]) for c in lines]]
        if available is not None:
            row.append(float(available.loc[y]))
        rows.append(row)
    block = Block(
        "Spending by budget line and year (undiscounted)",
        header,
        rows,
        [FMT_YEAR] + [_money_cells(rows)] * (len(header) - 1),
    )

    def make(ws: Any, hr: int, lr: int, ncols: int) -> Any:
        chart = _bar_chart(
            "Spending by budget line against the money available", "money", stacked=True
        )
        _money_axis(chart, rows)
        _add_series(chart, ws, hr, lr, range(2, len(lines) + 2))
        _set_categories(chart, ws, hr + 1, lr, 1)
        if available is not None:
            line = _line_chart("", "")
            _add_series(line, ws, hr, lr, [ncols])
            _set_categories(line, ws, hr + 1, lr, 1)
            _style_line(line.series[0], "000000", 2.5)
            chart += line
        return chart

    block.charts.append(make)
    return block


def _funding_block(tables: dict[str, Any]) -> Block | None:
    funding, years = tables.get("Plan_Funding"), _years(tables)
    if funding is None or not len(funding) or not years:
        return None
    available = _pivot(funding, "year", "source", "available", years)
    sources = list(available.columns)
    budget = tables.get("Plan_Budget")
    total = budget.groupby("year")["spend"].sum().reindex(years).fillna(0.0)
    header = ["year", *[str(s) for s in sources], "total spending"]
    rows = [[y, *[float(available.loc[y, s]) for s in sources], float(total.loc[y])] for y in years]
    block = Block(
        "Money available by funding source and year",
        header,
        rows,
        [FMT_YEAR] + [_money_cells(rows)] * (len(header) - 1),
    )

    def make(ws: Any, hr: int, lr: int, ncols: int) -> Any:
        chart = _bar_chart("Funding by source against total spending", "money", stacked=True)
        _money_axis(chart, rows)
        _add_series(chart, ws, hr, lr, range(2, len(sources) + 2))
        _set_categories(chart, ws, hr + 1, lr, 1)
        line = _line_chart("", "")
        _add_series(line, ws, hr, lr, [ncols])
        _set_categories(line, ws, hr + 1, lr, 1)
        _style_line(line.series[0], "000000", 2.5)
        chart += line
        return chart

    block.charts.append(make)
    return block


def _equipment_block(tables: dict[str, Any], prices: dict[str, float] | None) -> Block | None:
    frame, years = tables.get("Plan_Equipment"), _years(tables)
    if frame is None or not len(frame) or not years:
        return None
    prices = prices or {}
    value = {}
    for item, group in frame.groupby("equipment", sort=False):
        price = _num(prices.get(str(item))) or 0.0
        stock = float(group["stock"].max())
        need = float(group["requirement"].max())
        # rank by fleet value; without prices, by size
        value[str(item)] = (max(stock, need) * price, max(stock, need))
    top = sorted(value, key=lambda e: (-value[e][0], -value[e][1], e))[:TOP_EQUIPMENT]
    top = [e for e in top if value[e][1] > 0]
    if not top:
        return None
    stock = _pivot(frame, "year", "equipment", "stock", years)
    need = _pivot(frame, "year", "equipment", "requirement", years)
    header = ["year"]
    for e in top:
        header += [f"{e} stock", f"{e} requirement"]
    rows = []
    for y in years:
        row: list[Any] = [y]
        for e in top:
            row += [float(stock.loc[y, e]), float(need.loc[y, e])]
        rows.append(row)
    block = Block(
        "Equipment stock against requirement (most valuable items)",
        header,
        rows,
        [FMT_YEAR] + [FMT_COUNT] * (len(header) - 1),
        small=True,
    )
    for k, item in enumerate(top):
        block.charts.append(_equipment_chart(item, 2 + 2 * k))
    return block


def _equipment_chart(item: str, col: int) -> ChartMaker:
    def make(ws: Any, hr: int, lr: int, ncols: int) -> Any:
        chart = _line_chart(f"{item}: stock against requirement", "items")
        _add_series(chart, ws, hr, lr, [col, col + 1])
        _set_categories(chart, ws, hr + 1, lr, 1)
        _style_line(chart.series[0], "1F4E79", 2.5)
        _style_line(chart.series[1], "C00000", 1.5, dash="dash")
        return chart

    return make


def _training_block(tables: dict[str, Any]) -> Block | None:
    frame = tables.get("Plan_Training")
    if frame is None or not len(frame):
        return None
    rows = []
    for course, group in frame.groupby("course", sort=False):
        capacity = group["capacity"]
        unlimited = bool(capacity.isna().any())
        rows.append(
            [
                str(course),
                float(group["trainees"].sum()),
                None if unlimited else float(capacity.sum()),
            ]
        )
    rows.sort(key=lambda r: (-r[1], r[0]))
    rows = rows[:TOP_COURSES]
    first, last = _year_range(frame)
    header = ["course", "trainees", "capacity"]
    block = Block(
        f"Training seats used against capacity, {first}–{last} total (blank capacity: no limit)",
        header,
        rows,
        [None, FMT_COUNT, FMT_COUNT],
    )

    def make(ws: Any, hr: int, lr: int, ncols: int) -> Any:
        chart = _bar_chart("Training seats used against capacity", "trainees", stacked=False)
        _add_series(chart, ws, hr, lr, [2, 3])
        _set_categories(chart, ws, hr + 1, lr, 1, text=True)
        return chart

    block.charts.append(make)
    return block


def _year_range(frame: Any) -> tuple[int, int]:
    years = [int(y) for y in frame["year"]]
    return min(years), max(years)


# --- chart helpers -------------------------------------------------------------------------


def _line_chart(title: str, y_title: str) -> Any:
    from openpyxl.chart import LineChart

    chart = LineChart()
    if title:
        chart.title = title
    chart.y_axis.title = y_title or None
    chart.x_axis.title = "year" if title else None
    return chart


def _bar_chart(title: str, y_title: str, stacked: bool) -> Any:
    from openpyxl.chart import BarChart

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    else:
        chart.grouping = "clustered"
    return chart


def _add_series(chart: Any, ws: Any, header_row: int, last_row: int, cols: Any) -> None:
    from openpyxl.chart import Reference, Series
    from openpyxl.chart.data_source import StrRef
    from openpyxl.chart.series import SeriesLabel

    for col in cols:
        values = Reference(ws, min_col=col, min_row=header_row + 1, max_row=last_row)
        title = Reference(ws, min_col=col, min_row=header_row)
        series = Series(values, title=None)
        series.tx = SeriesLabel(strRef=StrRef(f=str(title)))
        chart.series.append(series)


def _set_categories(
    chart: Any, ws: Any, first: int, last: int, col: int, text: bool = False
) -> None:
    from openpyxl.chart import Reference
    from openpyxl.chart.data_source import AxDataSource, NumRef, StrRef

    ref = str(Reference(ws, min_col=col, min_row=first, max_row=last))
    for s in chart.series:
        s.cat = AxDataSource(strRef=StrRef(f=ref)) if text else AxDataSource(numRef=NumRef(f=ref))


def _money_cells(rows: list[list[Any]]) -> str:
    """Money cells of a chart's data table: in mn when the amounts reach millions."""
    from forceplan.fmt import excel_money_format, money_unit

    _divisor, label = money_unit(v for row in rows for v in row[1:])
    return excel_money_format("mn" if label else "")


def _money_axis(chart: Any, rows: list[list[Any]]) -> None:
    """A money axis in bn or mn ('2,000 bn', not 2,000,000,000,000), named so."""
    from forceplan.fmt import money_unit

    _divisor, label = money_unit(v for row in rows for v in row[1:])
    if label:
        commas = ",," if label == "mn" else ",,,"
        chart.y_axis.number_format = f'#,##0{commas}" {label}"'
        chart.y_axis.title = f"money ({label})"


def _style_line(series: Any, color: str, width_pt: float, dash: str | None = None) -> None:
    series.smooth = False
    line = series.graphicalProperties.line
    line.solidFill = color
    line.width = int(width_pt * 12700)  # EMU
    if dash:
        line.dashStyle = dash
    series.marker.symbol = "none"


def _finish(chart: Any, small: bool) -> None:
    """Size, legend, visible axes with thousands separators."""
    chart.width = SMALL_WIDTH_CM if small else CHART_WIDTH_CM
    chart.height = SMALL_HEIGHT_CM if small else CHART_HEIGHT_CM
    chart.legend.position = "b"
    for sub in [chart, *getattr(chart, "_charts", [])]:
        sub.x_axis.delete = False
        sub.y_axis.delete = False
    if not chart.y_axis.number_format or chart.y_axis.number_format == "General":
        chart.y_axis.number_format = "#,##0"
