"""One way from a workbook to model data (forceplan.load): solve and sweep accept and
refuse the same workbooks with the same words, and the steps run in order."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from wb import minimal_sheets, set_value, write_workbook

from forceplan.errors import InputError
from forceplan.load import ModelOptions, load_checked
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.sweep.engine import SweepOptions, prepare
from forceplan.workbook.validate import validate_workbook

SPEC = "Funding.amount[source=national]=*0.9,1.1"


def _refusals(path: Path, objective: str | None = None) -> tuple[list, list]:
    with pytest.raises(InputError) as solved:
        run_solve(SolveRequest(path, objective=objective, write=False))
    with pytest.raises(InputError) as swept:
        prepare(path, [SPEC], SweepOptions(objective=objective))
    return solved.value.issues, swept.value.issues


def test_solve_and_sweep_refuse_a_bad_cell_alike(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "initial_strength", -5)
    set_value(sheets, "Personnel", 3, "accession_min", 900)  # above accession_max
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    solved, swept = _refusals(path)
    assert solved == swept
    assert {i.sheet for i in solved if i.severity == "error"} == {"Personnel"}
    assert solved == validate_workbook(path)[1]  # and as `forceplan validate` lists them


def test_objective_custom_without_weights_same_words(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", minimal_sheets())
    solved, swept = _refusals(path, "custom")
    assert solved == swept
    assert [i.message for i in solved] == [
        "--objective custom needs weights on the Objective sheet (metric, weight)"
    ]
    assert solved[0].sheet == "Objective"


def test_steps_in_order_and_model_data_from_valid_input(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "plan.xlsx", minimal_sheets())
    seen: list[str] = []

    @contextlib.contextmanager
    def phase(name: str) -> Iterator[None]:
        seen.append(name)
        yield

    loaded = load_checked(path, ModelOptions("max_capability", True), phase=phase)
    assert seen == ["read", "validate", "build"]
    assert loaded.data is not None and loaded.built is None
    assert (loaded.data.objective, loaded.data.elastic) == ("max_capability", True)
    assert loaded.data.integer_units is False  # not given: the Settings sheet's value
    built = load_checked(path, build_model=True).built
    assert built is not None and built.model.nconstraints() > 0


def test_errors_stop_before_the_build_step(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "attrition_rate", "lots")
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    seen: list[str] = []

    @contextlib.contextmanager
    def phase(name: str) -> Iterator[None]:
        seen.append(name)
        yield

    with pytest.raises(InputError) as refused:
        load_checked(path, phase=phase)
    assert seen == ["read", "validate"]
    assert refused.value.issues[0].where.startswith("Personnel!D")


def test_checking_alone_needs_no_model_code() -> None:
    """`forceplan validate` and the audit read input without importing the model."""
    example = Path(__file__).parent.parent / "data" / "ukraine-2026-2035.xlsx"
    code = (
        "import sys, pathlib\n"
        "from forceplan.workbook.validate import validate_workbook\n"
        f"validate_workbook(pathlib.Path({str(example)!r}))\n"
        "bad = [m for m in sys.modules if m.startswith(('forceplan.model', 'pyomo'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
