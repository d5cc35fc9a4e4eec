"""`forceplan sweep --fractional-units`: a workbook with whole units and whole equipment
orders (a MIP) is swept as its LP relaxation, each scenario agreeing with a fresh LP solve;
without the flag every scenario is a MIP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from wb import add_row, minimal_sheets, set_value, write_workbook

from forceplan.pipeline import SolveRequest, run_solve
from forceplan.sweep.engine import SweepEngine, SweepOptions
from forceplan.sweep.scenarios import build_scenarios, cell_values, write_scenario_workbook

SPECS = ["EndStrength.min_total[year=2028]=1450,1550"]


def _book(tmp_path: Path, whole: bool) -> Path:
    sheets = minimal_sheets()
    add_row(sheets, "Settings", key="integer_units", value=whole)
    set_value(sheets, "Equipment", 3, "integer", whole)  # radios ordered whole
    set_value(sheets, "Equipment", 2, "integer", False)
    return write_workbook(tmp_path / ("whole.xlsx" if whole else "relaxed.xlsx"), sheets)


def test_fractional_units_sweeps_the_lp_relaxation(tmp_path: Path) -> None:
    whole, relaxed = _book(tmp_path, True), _book(tmp_path, False)
    mip = SweepEngine(whole, SPECS, SweepOptions())
    lp = SweepEngine(whole, SPECS, SweepOptions(fractional_units=True))
    assert mip.base["mip"] is True and lp.base["mip"] is False
    assert not any(e.integer for e in lp.data.equipment.values()) and not lp.data.integer_units
    checked = 0
    for scenario in build_scenarios(lp.specs, None, 0):
        row, mip_row = lp.evaluate(scenario), mip.evaluate(scenario)
        values = cell_values(lp.specs, lp.prep.matched, scenario)
        path = tmp_path / f"s{scenario.id}.xlsx"
        write_scenario_workbook(relaxed, path, values)  # the cells are where `whole` has them
        fresh = run_solve(SolveRequest(path, write=False))
        assert fresh.outcome.status == row["status"] == mip_row["status"] == "optimal"
        assert not fresh.outcome.is_mip
        assert row["objective"] == pytest.approx(fresh.outcome.objective, rel=1e-7)
        # min_cost: the relaxation costs no more than the whole-unit plan
        assert row["objective"] <= mip_row["objective"] * (1 + 1e-9)
        checked += 1
    assert checked == 2


def test_cli_flag(tmp_path: Path) -> None:
    whole = _book(tmp_path, True)
    args = [sys.executable, "-m", "forceplan", "sweep", str(whole), "--vary", SPECS[0]]
    args += ["--workers", "1", "--json", "--fractional-units", "-o", str(tmp_path / "s.xlsx")]
    done = subprocess.run(
        args, capture_output=True, text=True, env=dict(os.environ, COLUMNS="200"), timeout=300
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["base"]["mip"] is False
    assert payload["status_counts"] == {"optimal": 2}
