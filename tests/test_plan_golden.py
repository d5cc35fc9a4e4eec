"""Every Plan_ sheet of the pinned plans is value-identical to its stored copy.

This is the guard of behaviour-preserving changes (issue 11's refactor): the same workbook
must give the same plan, row for row and cell for cell (numbers to 1e-9 relative). When a
change is meant to move a plan, regenerate the copy (see tests/golden_cases.py) and say why
in the commit.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from golden_cases import CASES, plan_values, stored


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@pytest.mark.parametrize("name", sorted(CASES))
def test_plan_sheets_value_identical(name: str, tmp_path: Path) -> None:
    want = stored(name)
    got = plan_values(name, tmp_path)
    assert sorted(got) == sorted(want), "the plan's sheets differ"
    run_want, run_got = want.pop("Plan_Run"), got.pop("Plan_Run")
    for key in sorted(set(run_want) | set(run_got)):
        assert _same(run_got.get(key), run_want.get(key)), f"Plan_Run {key}"
    for title, sheet in want.items():
        mine = got[title]
        assert mine["columns"] == sheet["columns"], f"{title} columns"
        assert len(mine["rows"]) == len(sheet["rows"]), f"{title} row count"
        for i, (row, pinned) in enumerate(zip(mine["rows"], sheet["rows"], strict=True)):
            for column, a, b in zip(sheet["columns"], row, pinned, strict=True):
                assert _same(a, b), f"{title} row {i + 2} {column}: {a!r} != {b!r}"
