"""The run ledger's Plan_ sheet hashes of the sheets `solve` streams are computed from the
values written (forceplan.workbook.write._streamed_hashes), not read back from the saved
file: they must equal what `forceplan audit` recomputes from the file
(forceplan.provenance.plan_sheet_hashes), on plans and on a table of every kind of value."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from randomwb import CAREERS, random_workbook

from forceplan.pipeline import SolveRequest, run_solve
from forceplan.provenance import _trim, plan_sheet_hashes
from forceplan.workbook.tables import table_sheet
from forceplan.workbook.write import _streamed_hashes, save_book

ROOT = Path(__file__).parent.parent


def _check_plan(workbook: Path, out: Path, *args: str) -> None:
    ledger = out.parent / "ledger.sqlite"  # the hashes are made for a run ledger only
    run = run_solve(SolveRequest(workbook, out, force=True, diagnose=False, ledger=ledger))
    assert run.outcome.has_solution
    assert run.plan_hashes, "no sheet was hashed from memory"
    from_file = plan_sheet_hashes(run.output)  # every Plan_ sheet read back
    for name, found in run.plan_hashes.items():
        assert found == from_file[name], name
    assert plan_sheet_hashes(run.output, run.plan_hashes) == from_file


def test_example_plan_hashes_from_memory_equal_the_file(tmp_path):
    _check_plan(ROOT / "data" / "ukraine-2026-2035.xlsx", tmp_path / "plan.xlsx")


@pytest.mark.parametrize("seed", [3, 11])
def test_generated_plan_hashes_from_memory_equal_the_file(tmp_path, seed):
    workbook = random_workbook(
        tmp_path / "g.xlsx", seed, 3, 2, 4, careers=CAREERS, money=True, cohorts=True
    )
    _check_plan(workbook, tmp_path / "plan.xlsx")


def test_generated_size_workbook_hashes(tmp_path):
    from forceplan.generate import Size, generate_workbook

    path = tmp_path / "s.xlsx"
    generate_workbook(path, Size(4, 3, 4, 3, 4, careers=True, cohorts=2, money=True))
    _check_plan(path, tmp_path / "plan.xlsx")


def test_every_kind_of_value_hashes_as_read_back(tmp_path):
    """Numbers of every size, blanks (None, NaN, ±inf, pd.NA), booleans, integers beyond
    2**53, text with characters XML cannot hold, surrounding spaces, markup and line breaks,
    numpy scalars in an object column."""
    n = 9
    frame = pd.DataFrame(
        {
            "floats": [0.0, -0.0, 1.5, -1e-13, 1e16, 123456789.123456789, math.nan, math.inf, -2.5],
            "ints": np.array([0, -1, 2**53 + 1, 10**17, 5, 6, 7, 8, 9], dtype=np.int64),
            "flags": [True, False] * 4 + [True],
            "text": [
                "plain",
                " padded ",
                "a\x01b\x1fc",
                "<&>\"'",
                "line\nbreak\ttab\r\nwindows\rmac\r\x01\nx",
                "",
                "=HYPERLINK(1)",
                "ünïcödé ✓",
                "x",
            ],
            "mixed": [None, 1, 2.5, True, "t", np.float64(3.25), np.int64(7), pd.NA, math.nan],
            "empty": [None] * n,
        }
    )
    book = Workbook()
    streamed: dict = {}
    table_sheet(book, "Plan_Edge", frame, "UNCLASSIFIED", set(), deferred=streamed)
    assert "Plan_Edge" in streamed
    path = tmp_path / "edge.xlsx"
    with path.open("wb") as fh:
        save_book(book, fh, {}, streamed)
    from_file = plan_sheet_hashes(path)
    assert _streamed_hashes(book, streamed)["Plan_Edge"] == from_file["Plan_Edge"]


def test_trim_is_the_plain_canonical_form():
    """_trim's cache of floats gives what _cell_value gives value by value."""
    from forceplan.provenance import _cell_value

    rows = [
        [0.0, -0.0, math.nan, math.nan, math.inf, -math.inf, 1e-13, 2.0**60, 1e300, 0.1 + 0.2],
        ["", " ", "x", None, True, False, 0, 1, 2**60, 0.30000000000000004],
        [-0.0, 0.0, None, "", None],
        [None, ""],
    ]
    plain = [[_cell_value(v) for v in row] for row in rows]
    for values in plain:
        while values and values[-1] is None:
            values.pop()
    while plain and not plain[-1]:
        plain.pop()
    trimmed = _trim(rows)
    assert trimmed == plain
    assert [[type(v) for v in r] for r in trimmed] == [[type(v) for v in r] for r in plain]
