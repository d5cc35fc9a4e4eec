"""Scenarios: the input cells each --vary spec edits, and their values in each scenario.

A spec is matched against the workbook once (`match_specs`): the cells it edits, with
their values in the workbook. A scenario is one value per spec (a factor for `*` specs,
a value otherwise); `cell_values` turns it into new values for the matched cells, applying
the specs in the order given (two specs that hit the same cell compose: `*` multiplies
what the earlier spec left). Scenarios are absolute: each starts from the workbook.
"""

from __future__ import annotations

import fnmatch
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan.inputs import Inputs
from forceplan.sweep.spec import SpecError, VarySpec, year_range

MAX_SCENARIOS = 1_000_000


@dataclass(frozen=True)
class Cell:
    """One input cell a spec edits."""

    sheet: str  # registry sheet name, e.g. "Funding"
    title: str  # the sheet's title in the workbook
    column: str  # column name (Settings: the key)
    key: tuple[Any, ...]  # the record: (source, year), (course,), (trade, grade), (key,) ...
    row: int | None  # Excel row; None: a Settings key the sheet does not have yet
    letter: str | None  # column letter; None if the column is absent from the sheet
    base: float  # the workbook's value (inf for a blank *_max)

    @property
    def address(self) -> str:
        if self.row is None or self.letter is None:
            return f"{self.title}!(new {self.column})"
        return f"{self.title}!{self.letter}{self.row}"


@dataclass(frozen=True)
class Scenario:
    id: int  # 1-based
    values: tuple[float, ...]  # one per spec: factor (for *) or value


_RECORD_KEY = {
    "Funding": ("source", "year"),
    "EndStrength": ("year",),
    "Courses": ("course",),
    "CourseYears": ("course", "year"),
    "Personnel": ("trade", "grade"),
    "LineLimits": ("line", "year"),
    "ExchangeRates": ("currency", "year"),
    "PriceIndex": ("line", "year"),
    "FixedSpending": ("line", "year"),
}


def match_specs(specs: list[VarySpec], inputs: Inputs) -> list[list[Cell]]:
    """The cells each spec edits; a spec that matches nothing is an error."""
    return [_match(spec, inputs) for spec in specs]


def _match(spec: VarySpec, inputs: Inputs) -> list[Cell]:
    t = spec.target
    if t.sheet == "Settings":
        column = t.column
        address = inputs.settings_cells.get(column)
        row = letter = None
        if address:
            letter = "".join(ch for ch in address if ch.isalpha())
            row = int("".join(ch for ch in address if ch.isdigit()))
        title = _settings_title(inputs)
        base = _f(inputs.settings[column])
        return [Cell("Settings", title, column, (column,), row, letter, base)]
    table = inputs[t.sheet]
    keys = _RECORD_KEY[t.sheet]
    cells = []
    for rec in table:
        if all(_matches(spec, k, rec.get(k), alts) for k, alts in spec.filters):
            base = rec.get(t.column)
            cells.append(
                Cell(
                    t.sheet,
                    table.title or t.sheet,
                    t.column,
                    tuple(rec.get(k) for k in keys),
                    int(rec["_row"]),
                    table.letters.get(t.column),
                    _f(base, t.column),
                )
            )
    if not cells:
        where = f" with {spec.filter_text}" if spec.filter_text else ""
        raise SpecError(
            f"--vary {spec.text!r}: no {t.sheet} record{where} in the workbook "
            f"({len(table)} record(s) on {t.sheet})"
        )
    return cells


def _settings_title(inputs: Inputs) -> str:
    for title in inputs.sheet_order:
        if title.strip().lower() == "settings":
            return title
    return "Settings"


def _matches(spec: VarySpec, key: str, value: Any, alternatives: tuple[str, ...]) -> bool:
    if key == "year":
        if value is None:
            return False
        ranges = [year_range(spec.text, a) for a in alternatives]
        return any(lo <= int(value) <= hi for lo, hi in ranges)
    return any(fnmatch.fnmatchcase(str(value), alt) for alt in alternatives)


def _f(value: Any, column: str = "") -> float:
    """A cell's number: blank is 0 for minimums and amounts, inf for maximums/capacities."""
    if value is None:
        return math.inf if ("max" in column or column == "capacity") else 0.0
    return float(value)


def build_scenarios(specs: list[VarySpec], samples: int | None, seed: int) -> list[Scenario]:
    """Grids combine as a product; distributions are drawn jointly, `samples` times per
    grid point (numpy's default generator seeded with `seed`: the same seed, the same
    scenarios)."""
    import numpy as np

    grid = [s for s in specs if not s.sampled]
    sampled = [s for s in specs if s.sampled]
    if sampled and not samples:
        raise SpecError(
            f"--vary {sampled[0].text!r}: a distribution needs --samples N (and --seed S)"
        )
    if samples and not sampled:
        raise SpecError(
            "--samples needs at least one --vary with a distribution, e.g. *uniform(0.8,1.2)"
        )
    if samples is not None and samples < 1:
        raise SpecError("--samples must be at least 1")
    count = math.prod(len(s.grid) for s in grid) * (samples or 1)
    if count > MAX_SCENARIOS:
        raise SpecError(f"{count:,} scenarios is too many (at most {MAX_SCENARIOS:,})")
    if count == 0:
        raise SpecError("the --vary values give no scenario")
    rng = np.random.default_rng(seed)
    draws = np.zeros((samples or 0, len(sampled)))
    for k in range(samples or 0):
        for j, spec in enumerate(sampled):
            assert spec.distribution is not None
            draws[k, j] = _draw(rng, *spec.distribution)
    scenarios = []
    ident = 1
    for point in itertools.product(*(s.grid for s in grid)):
        for k in range(samples or 1):
            gi, si = iter(point), iter(draws[k] if samples else ())
            values = tuple(float(next(si) if s.sampled else next(gi)) for s in specs)
            scenarios.append(Scenario(ident, values))
            ident += 1
    return scenarios


def _draw(rng: Any, name: str, args: tuple[float, ...]) -> float:
    if name == "uniform":
        return float(rng.uniform(args[0], args[1]))
    if name == "normal":
        return float(rng.normal(args[0], args[1]))
    low, mode, high = args
    if low == high:
        return low
    return float(rng.triangular(low, mode, high))


def cell_values(
    specs: list[VarySpec], matched: list[list[Cell]], scenario: Scenario
) -> dict[Cell, float]:
    """New values of every matched cell in this scenario (specs applied in order)."""
    out: dict[Cell, float] = {}
    for spec, cells, value in zip(specs, matched, scenario.values, strict=True):
        for cell in cells:
            current = out.get(cell, cell.base)
            if spec.scale:
                out[cell] = current if math.isinf(current) else current * value
            else:
                out[cell] = value
    return out


def write_scenario_workbook(source: Path, target: Path, values: dict[Cell, float]) -> None:
    """A copy of `source` with the scenario's cells changed (for checks and the baseline:
    what a planner would do by hand)."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    for cell, value in values.items():
        ws = book[cell.title]
        shown = None if math.isinf(value) else value
        if cell.row is None or cell.letter is None:
            if cell.sheet != "Settings":
                raise SpecError(f"{cell.title} has no column {cell.column!r} to change")
            ws.append([cell.column, shown])
        else:
            ws[f"{cell.letter}{cell.row}"].value = shown
    book.save(target)
