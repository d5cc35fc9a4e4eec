"""Shared fixtures of the test suite.

Model tests (tests/test_model_*.py) use the `model` fixture: it writes a tiny workbook into
the test's tmp_path, solves it through `run_solve` (no plan file written) and reads values
from the Plan_ tables:

    run = model.solve({
        "Settings": model.settings(2026, 2027),
        "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 100)),
    })
    model.value(run, "Plan_Personnel", "strength", grade="E", year=2026)
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from wb import write_workbook

from forceplan.pipeline import SolveRequest, SolveRun, run_solve


@pytest.fixture(autouse=True, scope="session")
def _private_forceplan_home(tmp_path_factory: pytest.TempPathFactory):
    """Logs and the run ledger of every test go to a temporary folder, never the user's
    (subprocesses inherit the variable)."""
    import os

    previous = os.environ.get("FORCEPLAN_HOME")
    os.environ["FORCEPLAN_HOME"] = str(tmp_path_factory.mktemp("forceplan-home"))
    yield
    if previous is None:
        os.environ.pop("FORCEPLAN_HOME", None)
    else:
        os.environ["FORCEPLAN_HOME"] = previous


#: Relative tolerance of every hand-derived optimum.
REL = 1e-9


class ModelCase:
    """Tiny workbooks in, solved runs and Plan_ values out."""

    rel = REL

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self._count = itertools.count(1)

    # --- building workbooks ---------------------------------------------------------------

    @staticmethod
    def sheet(columns: str, *rows: tuple[Any, ...]) -> list[list[Any]]:
        """A sheet: header from whitespace-separated column names, then the records."""
        return [columns.split(), *(list(r) for r in rows)]

    @staticmethod
    def settings(first: int, last: int | None = None, **extra: Any) -> list[list[Any]]:
        """Settings rows for the horizon first..last plus any other key=value."""
        rows = [["key", "value"], ["first_year", first], ["last_year", last or first]]
        rows += [[k, v] for k, v in extra.items()]
        return rows

    def write(self, sheets: dict[str, list[list[Any]]]) -> Path:
        return write_workbook(self.tmp_path / f"case{next(self._count)}.xlsx", sheets)

    def solve(self, sheets: dict[str, list[list[Any]]], **options: Any) -> SolveRun:
        """Solve the workbook; `options` are SolveRequest fields (objective, elastic, ...)."""
        return run_solve(SolveRequest(self.write(sheets), write=False, **options))

    # --- reading results ------------------------------------------------------------------

    @staticmethod
    def table(run: SolveRun, sheet: str) -> pd.DataFrame:
        assert run.tables is not None, f"no plan: status {run.outcome.status}"
        return run.tables.tables[sheet]

    @classmethod
    def row(cls, run: SolveRun, sheet: str, **where: Any) -> pd.Series:
        """The single row of a Plan_ table whose columns equal `where`."""
        df = cls.table(run, sheet)
        mask = pd.Series(True, index=df.index)
        for column, wanted in where.items():
            mask &= df[column] == wanted
        found = df[mask]
        assert len(found) == 1, f"{sheet} {where}: {len(found)} rows\n{df.to_string()}"
        return found.iloc[0]

    @classmethod
    def value(cls, run: SolveRun, sheet: str, column: str, **where: Any) -> float:
        return float(cls.row(run, sheet, **where)[column])

    @classmethod
    def total(cls, run: SolveRun, sheet: str, column: str, **where: Any) -> float:
        """Sum of `column` over the rows matching `where` (all rows if none given)."""
        df = cls.table(run, sheet)
        for key, wanted in where.items():
            df = df[df[key] == wanted]
        return float(df[column].sum())

    @classmethod
    def constraint(cls, run: SolveRun, id: str, kind: str, index: str) -> pd.Series:
        """One row of Plan_Constraints, e.g. ("C1", "capacity", "basic 2026")."""
        return cls.row(run, "Plan_Constraints", id=id, kind=kind, index=index)

    @staticmethod
    def approx(expected: float, rel: float = REL, abs: float = 1e-9) -> Any:
        """pytest.approx with the model tests' tolerance (abs only matters around 0)."""
        return pytest.approx(expected, rel=rel, abs=abs)


@pytest.fixture
def model(tmp_path: Path) -> ModelCase:
    return ModelCase(tmp_path)
