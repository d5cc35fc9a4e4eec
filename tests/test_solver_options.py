"""HiGHS options chosen by model size (bench/RESULTS.md "HiGHS options"): large LPs are
solved with presolve off; the optimum is the one HiGHS's default finds."""

from __future__ import annotations

from pathlib import Path

import pytest

import forceplan.model.solve as solve_module
from forceplan.pipeline import SolveRequest, run_solve

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "ukraine-2026-2035.xlsx"


@pytest.mark.parametrize("objective", ["min_cost", "max_capability"])
def test_presolve_off_for_large_lps_reaches_the_default_optimum(
    objective: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = run_solve(SolveRequest(EXAMPLE, write=False, objective=objective))
    assert default.outcome.lp.highs.getOptionValue("presolve")[1] == "choose"
    monkeypatch.setattr(solve_module, "LARGE_LP_COLUMNS", 1)  # the example counts as large
    large = run_solve(SolveRequest(EXAMPLE, write=False, objective=objective))
    assert large.outcome.lp.highs.getOptionValue("presolve")[1] == "off"
    assert large.outcome.status == default.outcome.status == "optimal"
    assert large.outcome.objective == pytest.approx(default.outcome.objective, rel=1e-9)


def test_a_mip_keeps_presolve(monkeypatch: pytest.MonkeyPatch) -> None:
    from forceplan.model.highs_lp import HighsLP

    monkeypatch.setattr(solve_module, "LARGE_LP_COLUMNS", 1)
    lp = HighsLP.__new__(HighsLP)
    lp.is_mip = True
    assert not solve_module._large_lp(lp)
