"""Scenarios that need no solve: along one varied input, the ones with a plan form an interval.

A sweep of one `--vary` spec moves the LP along a line: every matched cell is the
workbook's value times t (`*t`) or t itself (`=t`), and it enters the LP only as row or
column bounds `mult × value` (the families' sweep levers). The pairs (x, t) with x a plan
of scenario t are then one polyhedron, and its shadow on the t axis, the scenarios that
have a plan, is convex: an interval. So once HiGHS has proven scenario a infeasible and
scenario f (or the workbook as it is) has a plan, every scenario beyond a, seen from f,
has none either; no solve can say otherwise.

A 1,000-scenario budget sweep of the Ukraine example has ~200 budgets too small for any
plan; each costs a capped warm simplex and an interior point proof (1-9 s). With the
scenarios taken outward from the workbook's own values (`outward`), a worker proves the
first one or two and the rest follow from this rule.

Not used (every scenario solved) when a varied value enters the matrix (exchange rates,
price indices), for whole units (a MIP's plans are not convex), or with two or more specs.
If HiGHS's verdicts ever contradict the interval (within its tolerances: an infeasible
scenario between two with plans), the rule switches itself off for the rest of the sweep.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from forceplan.sweep.scenarios import Cell, Scenario
from forceplan.sweep.spec import VarySpec

STRATEGY = "implied"  # the `strategy` of a row settled by the rule (no HiGHS run)


@dataclass(frozen=True)
class Point:
    t: float
    label: str  # "scenario 14 (×0.708)" or "the workbook as it is (×1)"


@dataclass
class FeasibleInterval:
    """What the solved scenarios of one line say about the others."""

    symbol: str  # "×" for a scale factor, "=" for a value
    with_plan: list[Point] = field(default_factory=list)
    without_plan: list[Point] = field(default_factory=list)
    contradicted: bool = False

    def learn(self, point: Point, has_plan: bool) -> None:
        (self.with_plan if has_plan else self.without_plan).append(point)
        if self.with_plan and self.without_plan:
            lo = min(p.t for p in self.with_plan)
            hi = max(p.t for p in self.with_plan)
            if any(lo <= p.t <= hi for p in self.without_plan):
                self.contradicted = True  # HiGHS's tolerances, not convexity: stop inferring

    def implied(self, t: float) -> str:
        """Why scenario t has no plan, if the interval says so; "" if it must be solved."""
        if self.contradicted or not self.with_plan or not self.without_plan:
            return ""
        low = min(self.with_plan, key=lambda p: p.t)
        high = max(self.with_plan, key=lambda p: p.t)
        above = [p for p in self.without_plan if high.t < p.t <= t]
        below = [p for p in self.without_plan if t <= p.t < low.t]
        if above:
            return self._why(min(above, key=lambda p: p.t), high)
        if below:
            return self._why(max(below, key=lambda p: p.t), low)
        return ""

    def _why(self, without: Point, with_plan: Point) -> str:
        return (
            f"no plan satisfies every requirement: implied, not solved ({without.label} "
            f"has none, {with_plan.label} has one; the values with a plan form an interval)"
        )

    def label(self, scenario: Scenario) -> str:
        return f"scenario {scenario.id} ({self.symbol}{scenario.values[0]:.6g})"


def line_anchor(specs: Sequence[VarySpec], matched: Sequence[Sequence[Cell]]) -> float | None:
    """The t of the workbook as it is on the sweep's line; None if the sweep is not one
    line through it (two or more specs; `=` cells whose workbook values differ)."""
    if len(specs) != 1:
        return None
    if specs[0].scale:
        return 1.0
    bases = {cell.base for cell in matched[0]}
    if len(bases) == 1:
        (base,) = bases
        return base if math.isfinite(base) else None
    return None


def outward(scenarios: Sequence[Scenario], anchor: float | None) -> list[Scenario]:
    """Scenarios in solving order: from the workbook's own values outward, the smaller
    values downward and then the larger ones upward. Each scenario stays next to its
    neighbour (warm starts), and the first infeasible one on a side settles the rest of
    that side. Without an anchor (not one line) the order is kept."""
    if anchor is None or any(len(s.values) != 1 for s in scenarios):
        return list(scenarios)
    below = sorted((s for s in scenarios if s.values[0] < anchor), key=lambda s: -s.values[0])
    rest = sorted((s for s in scenarios if s.values[0] >= anchor), key=lambda s: s.values[0])
    return [*below, *rest]
