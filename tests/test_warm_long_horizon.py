"""Warm re-solves where HiGHS's default factorisation of the stored basis fails (MODEL.md
§8.9, issue 20 item 1).

On generated workbooks with a 30-year horizon (this 8x3x30 one: 6,600 columns; the same
holds at 100x8x30 and at L), the dual simplex started from the model's own optimal basis
at HiGHS's default pivot threshold (0.1) stops at iteration 0 with an error, and the
re-solve was in fact a cold one (as many iterations, or more). The warm run now factorises
the stored basis with stabler pivots (forceplan.model.solve._warm).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_roundtrip import run_values
from test_warm_start import REL, edit, solve

from forceplan.generate import Size, generate_workbook
from forceplan.model import solve as solve_module

LONG = Size(trades=8, grades=3, years=30, unit_types=5, equipment=10)
YEAR = 2041  # the middle of the horizon


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("warm_long")
    source = folder / "long.xlsx"
    generate_workbook(source, LONG, seed=1)
    out = folder / "plan.xlsx"
    run = solve(source, out)
    assert run.outcome.start == "cold start"
    return out


def _raised_requirement(plan: Path, out: Path) -> tuple[Path, float]:
    """`plan` with the YEAR end-strength minimum raised by 1 %."""
    rows = list(openpyxl.load_workbook(plan, read_only=True)["EndStrength"].values)
    header = list(rows[0])
    old = next(r for r in rows[1:] if r[header.index("year")] == YEAR)[header.index("min_total")]
    value = round(old * 1.01)
    return edit(plan, out, "EndStrength", {"year": YEAR}, "min_total", value), value


def test_unchanged_plan_resolves_from_its_basis_without_pivots(plan, tmp_path) -> None:
    again = solve(plan, tmp_path / "again.xlsx")
    assert again.outcome.start.startswith("warm start from ")
    assert again.outcome.simplex_iterations <= 10
    assert again.outcome.objective == pytest.approx(run_values(plan)["objective_value"], rel=REL)


def test_requirement_edit_resolves_warm_in_a_few_pivots(plan, tmp_path) -> None:
    edited, value = _raised_requirement(plan, tmp_path / "edited.xlsx")
    warm = solve(edited, tmp_path / "warm.xlsx")
    cold = solve(edited, tmp_path / "cold.xlsx", cold=True)
    assert warm.outcome.start.startswith("warm start from ")
    assert warm.outcome.objective == pytest.approx(cold.outcome.objective, rel=REL)
    # the edit reached the model: more soldiers cost more
    assert warm.outcome.objective > run_values(plan)["objective_value"] * (1 + 1e-6)
    strength = warm.tables.tables["Plan_Personnel"].groupby("year")["strength"].sum()
    assert strength[YEAR] >= value * (1 - REL)
    # measured: 3 iterations warm against 2,471 cold; a failed warm run solves cold
    assert cold.outcome.simplex_iterations > 1000
    assert warm.outcome.simplex_iterations <= cold.outcome.simplex_iterations // 20


def test_warm_run_without_a_verdict_falls_back_to_the_cold_start(
    plan, tmp_path, monkeypatch
) -> None:
    # HiGHS's default pivot threshold: the dual simplex from this basis fails at iteration
    # 0 (the failure the stabler pivots avoid); the solve goes on cold and says so
    monkeypatch.setattr(solve_module, "_REFACTOR", dict(solve_module._FACTOR_DEFAULT))
    edited, _ = _raised_requirement(plan, tmp_path / "edited.xlsx")
    warm = solve(edited, tmp_path / "warm.xlsx")
    cold = solve(edited, tmp_path / "cold.xlsx", cold=True)
    assert warm.outcome.start.startswith("cold start (HiGHS found no verdict from the basis ")
    assert run_values(tmp_path / "warm.xlsx")["start"] == warm.outcome.start
    assert warm.outcome.objective == pytest.approx(cold.outcome.objective, rel=REL)
