"""Sweep scenarios settled without a solve (forceplan.sweep.interval), the order a one-line
sweep is solved in, and the time a scenario may take when no --time-limit is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from wb import minimal_sheets, set_value, write_workbook

from forceplan.model.persistent import RunResult
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.sweep.engine import (
    SCENARIO_FACTOR,
    SCENARIO_FLOOR,
    SweepEngine,
    SweepOptions,
)
from forceplan.sweep.interval import STRATEGY, FeasibleInterval, Point, line_anchor, outward
from forceplan.sweep.scenarios import (
    Scenario,
    build_scenarios,
    cell_values,
    write_scenario_workbook,
)

FUNDING = "Funding.amount=*0:2:41"  # the minimal workbook has no plan below ~×0.2


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "army.xlsx", minimal_sheets())


def _point(t: float) -> Point:
    return Point(t, f"t={t}")


# --- the rule ------------------------------------------------------------------------------


def test_beyond_an_infeasible_value_seen_from_a_plan_is_implied() -> None:
    interval = FeasibleInterval("×")
    interval.learn(_point(1.0), True)
    assert interval.implied(0.1) == ""  # nothing proven infeasible yet
    interval.learn(_point(0.5), False)
    assert "t=0.5 has none, t=1.0 has one" in interval.implied(0.4)
    assert interval.implied(0.5)  # the same inputs again
    assert interval.implied(0.6) == ""  # between: unknown
    assert interval.implied(1.5) == ""  # the other side: unknown
    interval.learn(_point(2.0), False)
    assert "t=2.0 has none" in interval.implied(3.0)
    assert interval.implied(1.9) == ""
    interval.learn(_point(0.7), True)  # a plan nearer: the nearest proofs are named
    assert "t=0.5 has none, t=0.7 has one" in interval.implied(0.2)


def test_an_infeasible_value_between_two_plans_switches_the_rule_off() -> None:
    interval = FeasibleInterval("=")
    interval.learn(_point(1.0), True)
    interval.learn(_point(0.5), False)
    assert interval.implied(0.1)
    interval.learn(_point(0.2), True)  # contradicts convexity: HiGHS's tolerances
    assert interval.contradicted
    assert interval.implied(0.1) == ""


def test_without_a_plan_nothing_is_implied() -> None:
    interval = FeasibleInterval("×")
    interval.learn(_point(0.5), False)
    interval.learn(_point(0.6), False)
    assert interval.implied(0.1) == ""


def test_outward_order_and_anchor(book: Path) -> None:
    scenarios = [Scenario(i + 1, (v,)) for i, v in enumerate([0.6, 0.8, 1.0, 1.2, 1.4])]
    order = [s.values[0] for s in outward(scenarios, 1.0)]
    assert order == [0.8, 0.6, 1.0, 1.2, 1.4]
    assert outward(scenarios, None) == scenarios
    engine_specs = SweepEngine(book, [FUNDING], SweepOptions())
    assert line_anchor(engine_specs.specs, engine_specs.prep.matched) == 1.0
    two = SweepEngine(book, [FUNDING, "Settings.accession_max_total=300"], SweepOptions())
    assert line_anchor(two.specs, two.prep.matched) is None
    assert two._interval is None  # two specs: a plane, not a line
    # `=` on cells whose workbook values differ: no anchor (but still one line)
    differing = SweepEngine(book, ["Funding.amount=1e6,2e6"], SweepOptions())
    assert line_anchor(differing.specs, differing.prep.matched) is None
    assert differing._interval is not None


# --- in a sweep ------------------------------------------------------------------------------


def test_implied_rows_agree_with_fresh_solves(book: Path, tmp_path: Path) -> None:
    engine = SweepEngine(book, [FUNDING], SweepOptions())
    scenarios = build_scenarios(engine.specs, None, 0)
    rows = {s.id: engine.evaluate(s) for s in outward(scenarios, 1.0)}
    implied = [i for i, r in rows.items() if r["strategy"] == STRATEGY]
    assert len(implied) >= 2
    assert all(rows[i]["status"] == "infeasible" for i in implied)
    assert all("implied, not solved" in rows[i]["message"] for i in implied)
    # the same sweep with the rule off: every status the same
    plain = SweepEngine(book, [FUNDING], SweepOptions())
    plain._interval = None
    for s in outward(scenarios, 1.0):
        assert plain.evaluate(s)["status"] == rows[s.id]["status"], s
    # and each implied scenario solved from scratch by `forceplan solve`'s pipeline
    for i in implied:
        values = cell_values(engine.specs, engine.prep.matched, scenarios[i - 1])
        path = tmp_path / f"s{i}.xlsx"
        write_scenario_workbook(book, path, values)
        fresh = run_solve(SolveRequest(path, write=False, diagnose=False))
        assert fresh.outcome.status == "infeasible", i


def test_no_rule_where_values_enter_the_matrix_or_units_are_whole(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["ExchangeRates"] = [["currency", "year", "rate"]] + [
        ["USD", y, 40.0] for y in (2026, 2027, 2028)
    ]
    for row in (5, 6):  # the partner's money in USD
        set_value(sheets, "Funding", row, "currency", "USD")
    book = write_workbook(tmp_path / "rates.xlsx", sheets)
    assert SweepEngine(book, ["ExchangeRates.rate=*0.5:2:4"], SweepOptions())._interval is None
    assert SweepEngine(book, [FUNDING], SweepOptions())._interval is not None
    set_value(sheets, "Equipment", 3, "integer", True)  # radios ordered whole: a MIP
    whole = SweepEngine(write_workbook(tmp_path / "whole.xlsx", sheets), [FUNDING], SweepOptions())
    assert whole.lp.is_mip and whole._interval is None
    relaxed = SweepEngine(tmp_path / "whole.xlsx", [FUNDING], SweepOptions(fractional_units=True))
    assert not relaxed.lp.is_mip and relaxed._interval is not None


def test_crossing_the_workbook_values_starts_from_the_base_basis(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = SweepEngine(book, [FUNDING], SweepOptions())
    restored: list[float] = []
    original = engine.lp.restore_basis
    monkeypatch.setattr(engine.lp, "restore_basis", lambda: restored.append(1) or original())
    for t in (0.9, 0.8, 1.1, 1.2):
        engine.evaluate(Scenario(1, (t,)))
    assert restored == [1]  # once: from 0.8 (below ×1) to 1.1 (above)


# --- the time a scenario may take -------------------------------------------------------------


def _stalling(engine: SweepEngine, caps: list[float | None]) -> None:
    """HiGHS that never reaches a verdict and uses all the time it is given."""

    def run(cap, strategy="warm", threads=None, iteration_limit=None):
        caps.append(cap)
        return RunResult("time_limit", False, None, cap or 0.0, 0, strategy, False)

    engine.lp.run = run  # type: ignore[method-assign]


def test_a_scenario_without_a_verdict_stops_at_its_budget(book: Path) -> None:
    engine = SweepEngine(book, [FUNDING], SweepOptions())
    caps: list[float | None] = []
    _stalling(engine, caps)
    budget = max(SCENARIO_FLOOR, SCENARIO_FACTOR * engine.base_highs_seconds)
    row = engine.evaluate(Scenario(1, (1.1,)))
    assert row["status"] == "time_limit"
    assert sum(c for c in caps if c is not None) == pytest.approx(budget)
    assert None not in caps  # the last strategy too is capped (it was unlimited)
    assert f"no verdict within {budget:.0f} s" in row["message"]
    assert "--time-limit" in row["message"]


def test_a_given_time_limit_is_the_scenario_budget(book: Path) -> None:
    engine = SweepEngine(book, [FUNDING], SweepOptions(time_limit=3.0))
    caps: list[float | None] = []
    _stalling(engine, caps)
    row = engine.evaluate(Scenario(1, (1.1,)))
    assert row["status"] == "time_limit"
    assert sum(c for c in caps if c is not None) == pytest.approx(3.0)
    assert "no verdict within" not in row["message"]  # the user's own limit: no advice


def test_cli_counts_the_implied_scenarios(book: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    args = [sys.executable, "-m", "forceplan", "sweep", str(book), "--vary", FUNDING]
    args += ["--workers", "2", "-o", str(tmp_path / "sweep.xlsx")]
    shown = subprocess.run(
        args, capture_output=True, text=True, env=dict(os.environ, COLUMNS="80"), timeout=300
    )
    assert shown.returncode == 0, shown.stderr
    assert "infeasible scenario(s) not solved: implied by a proven one" in shown.stdout
