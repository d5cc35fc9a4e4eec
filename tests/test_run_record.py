"""Plan_Run's keys are declared once (forceplan.run_record): the solve writes them in the
declared order and types, the ledger and the report read them from there."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import VOLATILE_RUN_KEYS
from wb import minimal_sheets, write_workbook

from forceplan import ledger, run_record
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.plan_reader import read_plan
from forceplan.run_record import INPUT_HASH, KEYS, STAGE, TIME, Group


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, object]]]:
    tmp = tmp_path_factory.mktemp("record")
    book = write_workbook(tmp / "plan.xlsx", minimal_sheets())
    run = run_solve(
        SolveRequest(book, output=tmp / "out.xlsx", ledger=tmp / "ledger.sqlite", force=True)
    )
    return run.output, run.record()


def test_plan_run_rows_follow_the_declared_order(plan) -> None:
    path, rows = plan
    written = list(read_plan(path).run)
    assert written[0] == "classification"  # the writer's row, declared first
    assert written[1:] == [k for k, _v in rows]
    order = {k.name: i for i, k in enumerate(KEYS)}
    positions = [order[run_record.key_of(k).name] for k, _v in rows]
    assert positions == sorted(positions)
    assert not run_record.untyped(rows)
    assert {k for k, _v in rows} >= {k.name for k in KEYS if not (k.many or k.by_writer)}


def test_families_of_keys(plan) -> None:
    _path, rows = plan
    keys = [k for k, _v in rows]
    assert STAGE.key(1) in keys and TIME.key("solve") in keys
    assert INPUT_HASH.part("input_hash:Personnel") == "Personnel"
    assert run_record.group_of("time_compile_s") is Group.TIMINGS
    assert run_record.group_of("time_limit") is Group.OPTIONS  # not a timing
    assert run_record.group_of("someone's note") is Group.OTHER


def test_undeclared_or_missing_keys_are_refused() -> None:
    values = {k.name: "x" for k in KEYS if not (k.many or k.optional or k.by_writer)}
    assert run_record.rows(values)
    with pytest.raises(ValueError, match="not declared"):
        run_record.rows({**values, "new_figure": 1.0})
    del values["status"]
    with pytest.raises(ValueError, match="without a value"):
        run_record.rows(values)


def test_ledger_takes_options_and_versions_from_the_record() -> None:
    assert ledger.OPTION_KEYS == (
        "objective",
        "elastic",
        "integer_units",
        "time_limit",
        "mip_gap",
        "threads",
    )
    assert ledger.VERSION_KEYS[0] == "tool" and "python-calamine" in ledger.VERSION_KEYS


def test_volatile_keys_are_pinned() -> None:
    """The golden plans leave these out (tests/golden_cases.py): a key marked volatile
    by mistake would no longer be compared, so the list is pinned here."""
    assert {
        "date",
        "host",  # the golden plans must pass on CI's machine and user too
        "user",
        "input_sha256",  # file bytes: openpyxl stamps the time in a written workbook
        "ledger",
        "ledger_prev_hash",
        "ledger_records",
        "numpy",
        "openpyxl",
        "pandas",
        "pyomo",
        "python",
        "python-calamine",
        "solver",
        "tool",
        "time_compile_s",
        "time_highs_s",
    } == VOLATILE_RUN_KEYS
    assert run_record.is_volatile(TIME.key("read"))
    assert not run_record.is_volatile("time_limit") and run_record.is_volatile("user")


def test_report_groups_come_from_the_record(plan) -> None:
    from forceplan.report.build import _provenance

    path, _rows = plan
    shown = _provenance(read_plan(path), "sha")
    titles = [g["title"] for g in shown["groups"]]
    assert titles == ["Inputs", "Tool, solver and libraries", "Run", "Options"]
    options = dict(shown["groups"][3]["rows"])
    assert "time_limit" in options
    assert all(k.startswith("time_") and k.endswith("_s") for k, _v in shown["timings"])
    assert "Personnel" in dict(shown["sheets"])
    assert {k for k, _v in shown["other"]} >= {"start", "structure_hash", "ledger"}
