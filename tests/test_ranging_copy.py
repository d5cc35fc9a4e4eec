"""Stage-1 ranging computed on a copy of the HiGHS instance while the later stages run
(forceplan.model.sensitivity.DeferredRanging) is the ranging HiGHS gives on the original
instance before the later stages, bit for bit, and every other price with it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from randomwb import CAREERS, random_workbook

from forceplan.model import sensitivity
from forceplan.pipeline import SolveRequest, run_solve

ROOT = Path(__file__).parent.parent


def _solve(workbook: Path, objective: str | None = None):
    run = run_solve(SolveRequest(workbook, objective=objective, write=False, diagnose=False))
    assert run.outcome.status == "optimal"
    return run.outcome.sensitivity


def _same(a, b) -> None:
    for name in ("row_dual", "col_dual", "row_basic", "col_basic", "row_penalty", "col_penalty"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert np.array_equal(x, y), name
    for name in ("row_range", "col_range"):
        x, y = getattr(a, name), getattr(b, name)
        assert x is not None and y is not None, name
        for part_x, part_y in zip(x, y, strict=True):
            assert np.array_equal(part_x, part_y, equal_nan=True), name
    assert a.note == b.note and a.fixed_integers == b.fixed_integers


def _cases(tmp: Path) -> list[tuple[Path, str | None]]:
    v2 = random_workbook(tmp / "v2.xlsx", 5, 3, 2, 4, careers=CAREERS, money=True, cohorts=True)
    return [
        (ROOT / "data" / "ukraine-2026-2035.xlsx", None),  # funding priority stage follows
        (v2, None),
        (v2, "max_capability"),  # the cost tie-break follows
    ]


@pytest.mark.parametrize("case", [0, 1, 2])
def test_ranging_on_the_copy_equals_the_original(tmp_path, monkeypatch, case):
    workbook, objective = _cases(tmp_path)[case]
    used: list[bool] = []
    started: list[bool] = []
    finish, start = sensitivity.DeferredRanging.finish, sensitivity.DeferredRanging.start

    def spy_finish(self):
        used.append(True)
        return finish(self)

    def spy_start(self):
        started.append(True)
        return start(self)

    monkeypatch.setattr(sensitivity.DeferredRanging, "finish", spy_finish)
    monkeypatch.setattr(sensitivity.DeferredRanging, "start", spy_start)
    deferred = _solve(workbook, objective)
    assert used == [True] and started, "the ranging was not computed on a copy"
    monkeypatch.undo()
    # the same solve with the ranging on the original instance, before the later stages
    monkeypatch.setattr(sensitivity, "_faithful_copy", lambda lp: None)
    direct = _solve(workbook, objective)
    _same(deferred, direct)


def test_no_later_stage_ranges_the_original(tmp_path, monkeypatch):
    """Without a later stage there is nothing to overlap: no copy is made."""
    made: list[bool] = []
    real = sensitivity._faithful_copy
    monkeypatch.setattr(sensitivity, "_faithful_copy", lambda lp: made.append(True) or real(lp))
    workbook = random_workbook(tmp_path / "plain.xlsx", 5, 3, 2, 4)
    sens = _solve(workbook)
    assert not made and sens.row_range is not None
