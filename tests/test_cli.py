"""The command line: exit codes, JSON output, help, crash handling, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import forceplan, sha
from wb import minimal_sheets, set_value, write_workbook

from forceplan import __version__
from forceplan.errors import ExitCode

COMMANDS = ["validate", "template", "solve", "diagnose"]


@pytest.fixture
def valid_book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "army.xlsx", minimal_sheets())


def test_version() -> None:
    result = forceplan("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"forceplan {__version__}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_on_every_command(command: str | None) -> None:
    result = forceplan(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys, forceplan.cli; heavy = [m for m in ('pandas', 'pyomo', 'openpyxl', "
        "'highspy', 'numpy') if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_validate_valid_workbook_json(valid_book: Path) -> None:
    result = forceplan("validate", str(valid_book), "--json")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["valid"] is True and payload["errors"] == 0


def test_validate_broken_workbook_names_cell(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "initial_strength", "lots")
    book = write_workbook(tmp_path / "broken.xlsx", sheets)
    result = forceplan("validate", str(book), "--json")
    assert result.returncode == ExitCode.INPUT
    payload = json.loads(result.stdout)
    assert any(
        i["where"].startswith("Personnel!") and i["severity"] == "error" for i in payload["issues"]
    )
    table = forceplan("validate", str(book))
    assert table.returncode == ExitCode.INPUT
    assert "Personnel" in table.stdout and "Traceback" not in table.stdout + table.stderr


@pytest.mark.parametrize("name", ["missing.xlsx", "folder", "~$open.xlsx", "notes.xlsx"])
def test_unreadable_files_exit_2_in_one_line(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    if name == "folder":
        target.mkdir()
    elif name != "missing.xlsx":
        target.write_text("trade,grade\ninfantry,E1\n")
    result = forceplan("validate", str(target))
    assert result.returncode == ExitCode.INPUT
    assert "Traceback" not in result.stderr + result.stdout
    assert "error" in result.stderr


def test_template_then_validate(tmp_path: Path) -> None:
    book = tmp_path / "t.xlsx"
    assert forceplan("template", str(book)).returncode == 0
    result = forceplan("validate", str(book), "--json")
    assert result.returncode == ExitCode.INPUT
    errors = [i for i in json.loads(result.stdout)["issues"] if i["severity"] == "error"]
    # only what the user must still fill in: the horizon and at least one class
    assert sorted(i["where"] for i in errors) == ["Personnel!A2", "Settings!B2", "Settings!B3"]
    assert forceplan("template", str(book)).returncode == ExitCode.INPUT  # no silent overwrite


def test_solve_writes_plan_and_leaves_input_alone(valid_book: Path, tmp_path: Path) -> None:
    before = sha(valid_book)
    out = tmp_path / "plan.xlsx"
    result = forceplan("solve", str(valid_book), "-o", str(out), "--json")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "optimal"
    assert payload["output"] == str(out) and out.exists()
    assert {"read", "build", "solve", "results", "write"} <= set(payload["timings"])
    assert isinstance(payload["objective"], float)
    assert sha(valid_book) == before


def test_solve_default_output_is_next_to_input(valid_book: Path) -> None:
    result = forceplan("solve", str(valid_book), "-q")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert (valid_book.parent / "army.plan.xlsx").exists()


def test_solve_refuses_to_overwrite_input(valid_book: Path) -> None:
    result = forceplan("solve", str(valid_book), "-o", str(valid_book))
    assert result.returncode == ExitCode.INPUT
    assert "input workbook" in result.stderr


def test_infeasible_solve_exits_3_and_explains(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "EndStrength", 2, "min_total", 10_000_000)
    set_value(sheets, "EndStrength", 2, "max_total", 10_000_000)
    book = write_workbook(tmp_path / "impossible.xlsx", sheets)
    result = forceplan("solve", str(book), "--json")
    assert result.returncode == ExitCode.INFEASIBLE, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "infeasible" and payload["output"] is None
    assert payload["conflicts"], "the IIS should name the conflicting requirements"
    assert payload["elastic"]["shortfalls"], "the elastic re-solve should name shortfalls"
    diagnose = forceplan("diagnose", str(book))
    assert diagnose.returncode == ExitCode.INFEASIBLE
    assert "EndStrength!" in diagnose.stdout


def test_bad_option_is_an_input_error(valid_book: Path) -> None:
    result = forceplan("solve", str(valid_book), "--objective", "cheapest")
    assert result.returncode == ExitCode.INPUT
    assert "Traceback" not in result.stderr


def test_internal_error_prints_one_line_and_logs_traceback(
    valid_book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import forceplan.workbook.validate as validate
    from forceplan import cli

    def boom(_path: Path) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(validate, "validate_workbook", boom)
    monkeypatch.setenv("FORCEPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "argv", ["forceplan", "validate", str(valid_book)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" not in err and "simulated bug" in err
    logs = list((tmp_path / "home" / "logs").glob("forceplan-crash-*.log"))
    assert len(logs) == 1 and "Traceback" in logs[0].read_text()


def test_solver_log_goes_to_the_named_file(valid_book: Path, tmp_path: Path) -> None:
    log = tmp_path / "highs.log"
    done = forceplan(
        "-q", "solve", str(valid_book), "-o", str(tmp_path / "p.xlsx"), "--solver-log", str(log)
    )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert "rows" in text and "Model status" in text  # HiGHS's own summary lines
    assert "Model status" not in done.stdout  # and nothing of it on the console


@pytest.mark.parametrize(
    "name, words",
    [("missing/x.log", "does not exist"), (".", "is a folder"), ("log.xlsx", "workbook")],
)
def test_bad_solver_log_paths_exit_2(valid_book: Path, tmp_path: Path, name: str, words: str):
    before = sha(valid_book)
    done = forceplan("solve", str(valid_book), "--solver-log", str(tmp_path / name))
    assert done.returncode == ExitCode.INPUT, done.stdout + done.stderr
    assert words in " ".join((done.stdout + done.stderr).split())
    assert sha(valid_book) == before
