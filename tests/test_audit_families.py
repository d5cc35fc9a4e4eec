"""The audit's families come from the one list `schema.FAMILIES`: a family registered there
has its audit module run (this test module is a toy family's), and the audit stays
independent of the model code.

The toy family "housing" (H1): at most CAPACITY beds a year, one bed a person. Its audit
module (the protocol of `forceplan.audit.families`) is this file: `derive` adds the beds,
`check` adds the H1 rows, `constraint_rows` rebuilds its Plan_Constraints rows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from randomwb import random_workbook

from forceplan import schema
from forceplan.audit import FAMILY_ORDER, audit_plan, family_order
from forceplan.audit.prices import rebuilt
from forceplan.pipeline import SolveRequest, SolveRun, run_solve

TOY = schema.FamilySpec("housing", ("H1",), "barracks", audit_module=__name__)

# --- the toy family's audit module ---------------------------------------------------------

REPORTS = ("H1",)
CAPACITY = {"beds": 1e9}  # set by each test


def derive(ctx) -> None:
    ctx.pp["beds"] = ctx.pp["strength"]  # one bed a person


def _beds(ctx) -> pd.Series:
    return ctx.pp.groupby("year", sort=True)["beds"].sum()


def check(ctx, checks) -> None:
    beds = _beds(ctx)
    labels = [f"barracks {y}: beds ≤ capacity" for y in beds.index]
    checks.add("H1", labels, beds.to_numpy(), "<=", CAPACITY["beds"])


def constraint_rows(ctx) -> dict[tuple[str, str], pd.DataFrame]:
    beds = _beds(ctx)
    labels = [f"barracks {y}" for y in beds.index]
    return {("H1", "beds"): rebuilt(labels, beds.to_numpy(), np.nan, CAPACITY["beds"])}


# --- tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> SolveRun:
    folder = tmp_path_factory.mktemp("families")
    path = random_workbook(folder / "in.xlsx", 7, 3, 2, 3)
    run = run_solve(SolveRequest(path, output=folder / "plan.xlsx"))
    assert run.outcome.status == "optimal"
    return run


@pytest.fixture
def with_toy(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(schema, "FAMILIES", [*schema.FAMILIES, TOY])
    monkeypatch.setitem(CAPACITY, "beds", 1e9)


def _audit(run: SolveRun, tables: dict[str, pd.DataFrame] | None = None):
    return audit_plan(
        run.inputs,
        tables if tables is not None else run.tables.tables,
        run.outcome.objective,
        run.data.objective,
        run.data.elastic,
    )


def _strength(run: SolveRun) -> pd.Series:
    return run.tables.tables["Plan_Personnel"].groupby("year")["strength"].sum()


def test_the_family_list_orders_the_verdict() -> None:
    assert family_order() == FAMILY_ORDER
    ids = [f for spec in schema.FAMILIES for f in spec.ids if f != "C2"]  # C2 rows are C1's
    assert sorted(ids) == sorted(f for f in FAMILY_ORDER if f[0] in "PTCUEB" and f[1:].isdigit())


def test_a_registered_family_is_audited(solved: SolveRun, with_toy) -> None:
    assert "H1" in family_order()
    report = _audit(solved)
    assert report.ok, report.text()
    years = solved.inputs.years
    assert report["H1"].rows_checked == len(years)
    assert [f.id for f in report.families].index("H1") > [f.id for f in report.families].index("B3")


def test_a_registered_familys_failure_shows_in_the_verdict(solved: SolveRun, with_toy) -> None:
    strength = _strength(solved)
    CAPACITY["beds"] = float(strength.max()) - 10.0  # the largest year has 10 beds too few
    report = _audit(solved)
    assert not report.ok
    assert [f.id for f in report.failures] == ["H1"]
    worst = int(strength.idxmax())
    assert report["H1"].worst_row == f"barracks {worst}: beds ≤ capacity"
    assert report["H1"].max_violation == pytest.approx(10.0)
    assert "FAIL H1" in report.text()


def _cap(run: SolveRun) -> float:
    return float(_strength(run).max()) + 100.0


def _with_h1_rows(run: SolveRun, value_shift: float = 0.0) -> dict[str, pd.DataFrame]:
    """The plan's tables with Plan_Constraints rows of the toy family appended (as a model
    with the toy family would write them), at capacity `_cap(run)`."""
    tables = {k: v.copy() for k, v in run.tables.tables.items()}
    strength = _strength(run)
    cap = _cap(run)
    rows = pd.DataFrame(
        {
            "id": "H1",
            "kind": "beds",
            "index": [f"barracks {y}" for y in strength.index],
            "value": strength.to_numpy() + value_shift,
            "lower": np.nan,
            "upper": cap,
            "slack": cap - strength.to_numpy() - value_shift,
            "binding": False,
            "shadow_price": 0.0,
        }
    )
    tables["Plan_Constraints"] = pd.concat([tables["Plan_Constraints"], rows], ignore_index=True)
    return tables


def test_a_registered_family_rebuilds_its_constraint_rows(solved: SolveRun, with_toy) -> None:
    CAPACITY["beds"] = _cap(solved)
    report = _audit(solved, _with_h1_rows(solved))
    assert report.ok, report.text()
    assert not any("H1 beds" in n for n in report.notes)  # rebuilt, not just counted
    report = _audit(solved, _with_h1_rows(solved, value_shift=5.0))
    assert [f.id for f in report.failures] == ["D:Plan_Constraints"]
    assert "value" in report["D:Plan_Constraints"].worst_row
    assert "(H1 beds barracks" in report["D:Plan_Constraints"].worst_row


def test_rows_of_an_unknown_family_are_named_in_a_note(solved: SolveRun) -> None:
    report = _audit(solved, _with_h1_rows(solved))
    assert report.ok, report.text()
    assert any(f"H1 beds ({len(solved.inputs.years)})" in n for n in report.notes)


def test_a_family_without_an_audit_module_fails(
    solved: SolveRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = schema.FamilySpec("housing", ("H1",), "barracks", audit_module="no_such_audit_mod")
    monkeypatch.setattr(schema, "FAMILIES", [*schema.FAMILIES, missing])
    report = _audit(solved)
    assert [f.id for f in report.failures] == ["H1"]
    assert "no audit module no_such_audit_mod" in report["H1"].worst_row


def test_auditing_a_plan_imports_neither_the_model_nor_pyomo(solved: SolveRun) -> None:
    """The audit is an independent check: auditing a plan workbook loads no model code."""
    plan = Path(solved.request.output)
    code = (
        "import sys\n"
        "from forceplan.audit import audit_workbook\n"
        f"checked = audit_workbook({str(plan)!r}, use_ledger=False)\n"
        "assert checked.ok, checked.report.text()\n"
        "assert checked.report['P1'].rows_checked > 0\n"
        "bad = sorted(m for m in sys.modules if m.startswith('forceplan.model')\n"
        "             or m.split('.')[0] in ('pyomo', 'highspy'))\n"
        "print('loaded:', bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "loaded: []"
