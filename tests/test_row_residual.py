"""An LP optimum whose column values miss a row when A·x is recomputed is cleaned up
(forceplan.model.solve._accurate, HighsLP.row_residual): its basis factorised afresh with
stabler pivots, then interior point, else the re-factorised simplex optimum.

Found on the generated M workbook: HiGHS 1.16's simplex reported max_primal_infeasibility
0 while A·x missed a P1 strength balance by 0.31 persons (3.85 with presolve on) on terms
of ~500, and `forceplan audit` failed the plan."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

import forceplan.model.solve as solve_module
from forceplan.model.highs_lp import HighsLP, RunInfo
from tests.test_highs_lp import small_model


def test_row_residual_is_recomputed_from_column_values_relative_to_the_terms() -> None:
    lp = HighsLP(small_model())
    assert lp.run({"presolve": "off"}).status == "optimal"
    assert lp.row_residual() < 1e-12  # optimum x, y, z = 0.75, 1.25, 1.5
    solution = lp.highs.getSolution()
    solution.col_value = [0.75, 1.26, 1.5]  # row_value left as HiGHS had it
    lp.highs.setSolution(solution)
    # c_eq: z - 2y = 1.5 - 2.52 = -1.02 against -1: miss 0.02 on terms 1.5 + 2.52
    assert lp.row_residual() == pytest.approx(0.02 / 4.02)


def _recorded(monkeypatch: pytest.MonkeyPatch, residuals: list[float]) -> list[dict[str, Any]]:
    """Record the options of every HiGHS run; row_residual answers `residuals` in turn
    (then 0)."""
    calls: list[dict[str, Any]] = []
    real_run = HighsLP.run

    def run(self: HighsLP, options: dict[str, Any], time_limit: float | None = None) -> RunInfo:
        calls.append(dict(options))
        return real_run(self, options, time_limit)

    answers: Iterator[float] = iter(residuals)
    monkeypatch.setattr(HighsLP, "run", run)
    monkeypatch.setattr(HighsLP, "row_residual", lambda self: next(answers, 0.0))
    return calls


def _what(calls: list[dict[str, Any]]) -> list[str]:
    return [
        "refactor" if c.get("factor_pivot_threshold") == 0.5 else str(c.get("solver"))
        for c in calls
    ]


def test_an_optimum_that_misses_its_rows_is_refactorised_from_its_basis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lp = HighsLP(small_model())
    calls = _recorded(monkeypatch, [1e-3])  # the first optimum misses a row
    out = solve_module._run(lp, solve_module.SolveOptions(), None, solve_module._Clock())
    assert out.status == "optimal" and out.objective == pytest.approx(12.75)
    assert _what(calls) == ["choose", "refactor"]
    assert lp.highs.getInfo().simplex_iteration_count == 0  # the optimal basis, re-used
    # the stabler pivots are not left in the instance for later runs
    assert lp.highs.getOptionValue("factor_pivot_threshold")[1] == pytest.approx(0.1)


def test_interior_point_when_the_refactorised_optimum_still_misses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lp = HighsLP(small_model())
    calls = _recorded(monkeypatch, [1e-3, 1e-3])
    out = solve_module._run(lp, solve_module.SolveOptions(), None, solve_module._Clock())
    assert out.status == "optimal" and out.objective == pytest.approx(12.75)
    assert _what(calls) == ["choose", "refactor", "ipm"]


def test_back_to_the_simplex_basis_when_interior_point_misses_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lp = HighsLP(small_model())
    calls = _recorded(monkeypatch, [1e-3, 1e-3, 1e-3])
    out = solve_module._run(lp, solve_module.SolveOptions(), None, solve_module._Clock())
    assert out.status == "optimal" and out.objective == pytest.approx(12.75)
    assert _what(calls) == ["choose", "refactor", "ipm", "refactor"]
    assert lp.highs.getInfo().simplex_iteration_count == 0


def test_no_interior_point_in_a_stage_without_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    lp = HighsLP(small_model())
    calls = _recorded(monkeypatch, [1e-3, 1e-3])
    clock = solve_module._Clock()
    out = solve_module._run(lp, solve_module.SolveOptions(), None, clock, retry=False)
    assert out.status == "optimal" and _what(calls) == ["choose", "refactor"]


def test_no_clean_up_once_the_deadline_has_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    lp = HighsLP(small_model())
    options = solve_module.SolveOptions(deadline=time.perf_counter() + 3600)
    calls = _recorded(monkeypatch, [1e-3, 1e-3])
    real_run = HighsLP.run

    def run_then_late(self: HighsLP, opts: dict[str, Any], limit: float | None = None) -> Any:
        out = real_run(self, opts, limit)
        options.deadline = time.perf_counter() - 1.0  # the solve used the command's time
        return out

    monkeypatch.setattr(HighsLP, "run", run_then_late)
    out = solve_module._run(lp, options, None, solve_module._Clock())
    assert out.status == "optimal"
    assert len(calls) == 1  # the first run only: neither re-factorised nor IPM


def test_an_optimum_that_meets_its_rows_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    lp = HighsLP(small_model())
    runs: list[dict[str, Any]] = []
    real_run = HighsLP.run
    monkeypatch.setattr(
        HighsLP, "run", lambda self, o, t=None: runs.append(o) or real_run(self, o, t)
    )
    out = solve_module._run(lp, solve_module.SolveOptions(), None, solve_module._Clock())
    assert out.status == "optimal" and lp.row_residual() <= solve_module.ROW_RESIDUAL
    assert len(runs) == 1
