"""`forceplan compare`: what differs between two plan workbooks, read without a solver."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from wb import minimal_sheets, set_value, write_workbook

from forceplan.compare import _binding_changes, compare_plans, write_comparison
from forceplan.errors import ExitCode, ForceplanError
from forceplan.pipeline import SolveRequest, run_solve


def forceplan(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "forceplan", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """base, the same plan solved again from itself, and a scenario with edited inputs."""
    folder = tmp_path_factory.mktemp("plans")
    base = folder / "base.plan.xlsx"
    run_solve(SolveRequest(write_workbook(folder / "base.xlsx", minimal_sheets()), output=base))
    same = folder / "same.plan.xlsx"
    run_solve(SolveRequest(base, output=same))
    sheets = minimal_sheets()
    set_value(sheets, "EndStrength", 4, "min_total", 1500)  # 2028: 1400 -> 1500
    set_value(sheets, "UnitYears", 2, "min_units", 3)  # 2027: a third battalion
    scenario = folder / "scenario.plan.xlsx"
    run_solve(SolveRequest(write_workbook(folder / "scenario.xlsx", sheets), output=scenario))
    return {"base": base, "same": same, "scenario": scenario, "input": folder / "base.xlsx"}


def test_identical_plans(plans: dict[str, Path]) -> None:
    result = compare_plans(plans["base"], plans["same"])
    assert result.identical
    assert not len(result.binding)
    assert all(not f["changed"].any() for f in result.sections.values())
    summary = result.summary.set_index("figure")
    assert summary.loc["input content hash", "A"] == summary.loc["input content hash", "B"]


def test_scenario_differences(plans: dict[str, Path]) -> None:
    result = compare_plans(plans["base"], plans["scenario"])
    assert not result.identical
    summary = result.summary.set_index("figure")
    assert summary.loc["objective value", "changed"]
    assert summary.loc["objective value", "change"] == pytest.approx(
        summary.loc["objective value", "B"] - summary.loc["objective value", "A"]
    )
    strength = result.sections["strength"].set_index("year")
    assert strength.loc[2028, "strength_A"] == pytest.approx(1400, rel=1e-9)
    assert strength.loc[2028, "strength_B"] == pytest.approx(1500, rel=1e-9)
    assert strength.loc[2028, "strength_change"] == pytest.approx(100, rel=1e-9)
    assert strength.loc[2028, "strength_change_pct"] == pytest.approx(100 / 1400, rel=1e-9)
    units = result.sections["units"].set_index(["unit_type", "year"])
    assert units["changed"].tolist() == [False, True, False]
    assert units.loc[("battalion", 2027), "units_B"] == pytest.approx(3, rel=1e-9)
    spend = result.sections["spend"]
    assert spend["changed"].any()
    assert {"line", "year", "spend_A", "spend_B", "spend_change"} <= set(spend.columns)
    equipment = result.sections["equipment"]
    assert {"stock_A", "stock_B", "orders_A", "orders_B"} <= set(equipment.columns)
    # a third battalion needs more rifles and radios
    assert equipment["changed"].any()
    binding = result.binding
    assert set(binding["binding_in"]) <= {"A only", "B only"}
    assert len(binding), "some limit binds in one plan only"


def test_binding_changes_by_id_kind_and_index() -> None:
    a = pd.DataFrame(
        {
            "id": ["P7", "P4", "U1"],
            "index": ["2028", "infantry/enlisted 2026", "battalion 2027"],
            "binding": [True, True, False],
            "shadow_price": [10.0, -3.0, 0.0],
            "kind": ["end strength", "class limits", "unit limits"],
        }
    )
    b = a.copy()
    b["binding"] = [True, False, True]
    changes = _binding_changes(a, b)
    assert changes[["id", "index", "binding_in"]].values.tolist() == [
        ["P4", "infantry/enlisted 2026", "A only"],
        ["U1", "battalion 2027", "B only"],
    ]


def test_cli_tables_json_and_workbook(plans: dict[str, Path], tmp_path: Path) -> None:
    shown = forceplan("compare", str(plans["base"]), str(plans["scenario"]))
    assert shown.returncode == 0, shown.stderr
    assert "Total strength by year" in shown.stdout and "The plans differ" in shown.stdout
    same = forceplan("compare", str(plans["base"]), str(plans["same"]))
    assert "The plans are the same" in same.stdout

    out = tmp_path / "diff.xlsx"
    result = forceplan(
        "compare", str(plans["base"]), str(plans["scenario"]), "-o", str(out), "--json"
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["identical"] is False and payload["output"] == str(out)
    assert payload["strength"]["changed"] == 3
    assert payload["units"]["changed"] == 1
    assert {r["figure"] for r in payload["summary"]} >= {"status", "objective value"}
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Compare_Summary",
        "Compare_Strength",
        "Compare_Spend",
        "Compare_Units",
        "Compare_Equipment",
        "Compare_Binding",
    ]
    header = [c.value for c in book["Compare_Strength"][1]]
    assert header[:3] == ["year", "strength_A", "strength_B"]
    assert book["Compare_Strength"].tables  # a formatted table, header in row 1
    assert not list(tmp_path.glob(".*.tmp"))
    # an existing -o is not replaced without --force
    again = forceplan("compare", str(plans["base"]), str(plans["same"]), "-o", str(out))
    assert again.returncode == ExitCode.INPUT and "already exists" in again.stderr
    forced = forceplan(
        "compare", str(plans["base"]), str(plans["same"]), "-o", str(out), "--force", "--json"
    )
    assert forced.returncode == 0 and json.loads(forced.stdout)["identical"] is True


def test_not_a_plan_workbook_exits_2(plans: dict[str, Path], tmp_path: Path) -> None:
    result = forceplan("compare", str(plans["input"]), str(plans["base"]))
    assert result.returncode == ExitCode.INPUT
    assert "not a plan workbook" in result.stderr and "Plan_Run" in result.stderr
    missing = forceplan("compare", str(tmp_path / "nope.xlsx"), str(plans["base"]))
    assert missing.returncode == ExitCode.INPUT and "not found" in missing.stderr
    with pytest.raises(ForceplanError, match="not a plan workbook"):
        compare_plans(plans["base"], plans["input"])


def test_compare_output_may_not_be_one_of_the_plans(plans: dict[str, Path]) -> None:
    result = compare_plans(plans["base"], plans["same"])
    before = plans["same"].read_bytes()
    with pytest.raises(ForceplanError, match="one of the plans"):
        write_comparison(result, plans["same"], overwrite=True)
    assert plans["same"].read_bytes() == before


def test_compare_reads_plans_without_the_solver(plans: dict[str, Path]) -> None:
    code = (
        "import sys; from forceplan.compare import compare_plans; "
        f"r = compare_plans({str(plans['base'])!r}, {str(plans['scenario'])!r}); "
        "print(sorted(m for m in ('pyomo', 'highspy') if m in sys.modules), r.identical)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "False"]
