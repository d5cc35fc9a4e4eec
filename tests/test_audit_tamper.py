"""The audit has no blind spot (issue 14): every Plan_ sheet is re-derived or checked, a
deleted sheet fails, an elastic plan with shortfalls never audits as a clean optimum, the
failure names the sheet and cell, harmless edits stay quiet, and no file is touched.

Plans are solved once per module through the CLI, into a private ledger, so the LEDGER
family (the plan against its ledger record) is part of every check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from clirun import forceplan, sha
from wb import minimal_sheets, write_workbook

from forceplan.audit import audit_workbook
from forceplan.errors import ExitCode


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tamper")


@pytest.fixture(scope="module")
def ledger(folder: Path) -> Path:
    return folder / "ledger.sqlite"


def _solve(folder: Path, ledger: Path, name: str, sheets, *extra: str) -> Path:
    sheets["Sources"] = [["figure", "value", "source"], ["annual pay", 30000, "budget law"]]
    book = write_workbook(folder / f"{name}.xlsx", sheets)
    out = folder / f"{name}.plan.xlsx"
    result = forceplan(
        "solve", str(book), "-o", str(out), "--ledger", str(ledger), "-q", *extra, home=folder
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def plan(folder: Path, ledger: Path) -> Path:
    return _solve(folder, ledger, "army", minimal_sheets())


@pytest.fixture(scope="module")
def short_plan(folder: Path, ledger: Path) -> Path:
    """Elastic, with a funding gap: the national budget is far too small."""
    sheets = minimal_sheets()
    for row in sheets["Funding"][1:]:
        row[2] = row[2] / 40
    return _solve(folder, ledger, "short", sheets, "--elastic")


def tampered(plan: Path, target: Path, edit: Callable) -> Path:
    book = openpyxl.load_workbook(plan)
    edit(book)
    book.save(target)
    return target


def header(ws) -> list:
    return [c.value for c in ws[1]]


def col(ws, name: str) -> int:
    return header(ws).index(name) + 1


def find(ws, test: Callable[[dict], bool]) -> int:
    names = header(ws)
    for r in range(2, ws.max_row + 1):
        if test({n: ws.cell(r, j + 1).value for j, n in enumerate(names)}):
            return r
    raise AssertionError(f"no such row on {ws.title}")


def key_cell(ws, key: str):
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            return ws.cell(r, 2)
    raise AssertionError(key)


def priced(row: dict) -> bool:
    return row["binding"] is True and row["shadow_price"] not in (None, 0, 0.0)


def slack(row: dict) -> bool:
    return row["binding"] is False and (row["slack"] or 0) > 10


def scale_cell(ws, r: int, column: str, factor: float) -> None:
    cell = ws.cell(r, col(ws, column))
    cell.value = float(cell.value) * factor


def _value(b) -> None:
    ws = b["Plan_Constraints"]
    scale_cell(ws, find(ws, slack), "value", 1.5)


def _price_x10(b) -> None:
    ws = b["Plan_Constraints"]
    scale_cell(ws, find(ws, priced), "shadow_price", 10)


def _price_sign(b) -> None:
    ws = b["Plan_Constraints"]
    scale_cell(ws, find(ws, lambda r: priced(r) and r["lower"] != r["upper"]), "shadow_price", -1)


def _binding(b) -> None:
    ws = b["Plan_Constraints"]
    ws.cell(find(ws, priced), col(ws, "binding")).value = False


def _price_on_slack(b) -> None:
    ws = b["Plan_Constraints"]
    ws.cell(find(ws, slack), col(ws, "shadow_price")).value = 123.0


def _summary_objective(b) -> None:
    cell = key_cell(b["Plan_Summary"], "objective value")
    cell.value = float(cell.value) * 0.9


def _chart(b) -> None:
    cell = b["Plan_Charts"].cell(6, 2)
    cell.value = float(cell.value) + 50


def _run_status(b) -> None:
    key_cell(b["Plan_Run"], "status").value = "optimal (verified)"


def _sources(b) -> None:
    b["Sources"]["B2"] = 31000


def _gap(b) -> None:
    ws = b["Plan_Budget"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col(ws, "funding_gap")).value = 0.0


#: edit -> (family that must fail, text its failing rows must show)
CASES: dict[str, tuple[str, Callable, str, str]] = {
    "constraint value": ("plan", _value, "D:Plan_Constraints", "Plan_Constraints!C"),
    "price ×10 (only the ledger sees it)": ("plan", _price_x10, "LEDGER", "Plan_Constraints"),
    "price sign": ("plan", _price_sign, "D:Plan_Constraints", "wrong sign"),
    "binding flag": ("plan", _binding, "D:Plan_Constraints", "binding False"),
    "price on a slack row": ("plan", _price_on_slack, "D:Plan_Constraints", "complementary"),
    "Plan_Summary objective": ("plan", _summary_objective, "D:Plan_Summary", "Plan_Summary!B"),
    "Plan_Charts data": ("plan", _chart, "D:Plan_Charts", "Plan_Charts!B6"),
    "Plan_Run status": ("plan", _run_status, "STATUS", "optimal (verified)"),
    "Sources sheet": ("plan", _sources, "HASH", "Sources"),
    "deleted Plan_Summary": (
        "plan",
        lambda b: b.remove(b["Plan_Summary"]),
        "SHEETS",
        "Plan_Summary",
    ),
    "deleted Plan_Charts": ("plan", lambda b: b.remove(b["Plan_Charts"]), "SHEETS", "Plan_Charts"),
    "deleted Plan_Constraints": (
        "plan",
        lambda b: b.remove(b["Plan_Constraints"]),
        "SHEETS",
        "Plan_Constraints",
    ),
    "funding gap zeroed": ("short", _gap, "D:Plan_Budget", "funding_gap"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_tampered_plan_fails_naming_the_place(
    case: str, plan: Path, short_plan: Path, ledger: Path, tmp_path: Path
) -> None:
    which, edit, family, text = CASES[case]
    source = plan if which == "plan" else short_plan
    before = sha(source), sha(ledger)
    target = tampered(source, tmp_path / "tampered.plan.xlsx", edit)
    kept = sha(target)
    checked = audit_workbook(target, ledger=ledger)
    assert not checked.ok
    failed = {f.id: f for f in checked.report.failures}
    assert family in failed, checked.text()
    assert any(text in row for row in failed[family].failing_rows), failed[family].failing_rows
    assert (sha(source), sha(ledger)) == before  # nothing was written
    assert sha(target) == kept


def test_the_cli_exits_5_and_names_the_cell(plan: Path, ledger: Path, tmp_path: Path) -> None:
    target = tampered(plan, tmp_path / "t.plan.xlsx", _price_sign)
    result = forceplan("audit", str(target), "--ledger", str(ledger), home=tmp_path)
    assert result.returncode == ExitCode.AUDIT_FAILED
    assert "wrong sign" in result.stdout and "Plan_Constraints!" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_edited_strength_is_named_as_the_likely_edit(plan: Path, tmp_path: Path) -> None:
    def edit(b) -> None:
        ws = b["Plan_Personnel"]
        r = find(ws, lambda x: x["grade"] == "officer" and x["year"] == 2027)
        scale_cell(ws, r, "strength", 1.1)

    target = tampered(plan, tmp_path / "s.plan.xlsx", edit)
    checked = audit_workbook(target, use_ledger=False)
    likely = [n for n in checked.report.notes if n.startswith("most likely edited")]
    assert likely and "Plan_Personnel!D" in likely[0] and "(strength, " in likely[0]
    assert checked.text().splitlines()[2].startswith("most likely edited")


def test_a_clean_plan_passes_every_sheet_check(plan: Path, ledger: Path, tmp_path: Path) -> None:
    result = forceplan("audit", str(plan), "--ledger", str(ledger), "--json", home=tmp_path)
    assert result.returncode == 0, result.stdout
    families = {f["family"]: f for f in json.loads(result.stdout)["plan"]["families"]}
    for fid in (
        "D:Plan_Constraints",
        "D:Plan_Budget",
        "SHEETS",
        "STATUS",
        "D:Plan_Summary",
        "D:Plan_Charts",
        "D:Plan_Run",
        "HASH",
        "LEDGER",
    ):
        assert families[fid]["ok"] and families[fid]["rows_checked"] > 0, fid


def test_an_elastic_plan_with_shortfalls_is_never_a_clean_optimum(short_plan: Path) -> None:
    checked = audit_workbook(short_plan, use_ledger=False)
    assert checked.ok, checked.text()
    assert checked.derived_status == "optimal with shortfalls"
    assert "optimal with shortfalls" in checked.text().splitlines()[0]
    assert checked.to_dict()["derived_status"] == "optimal with shortfalls"


HARMLESS: dict[str, Callable] = {
    "load and save": lambda b: None,
    "styles and widths": lambda b: (
        setattr(b["Plan_Personnel"].column_dimensions["A"], "width", 40),
        setattr(b["Plan_Budget"]["C2"], "number_format", "0.00"),
        setattr(b["Plan_Units"]["A2"], "font", openpyxl.styles.Font(bold=True)),
    ),
    "a notes sheet": lambda b: b.create_sheet("Notes").append(["checked by the office"]),
    "a comment column": lambda b: b["Plan_Personnel"].cell(1, 40, "comment"),
}


@pytest.mark.parametrize("case", list(HARMLESS))
def test_harmless_edits_pass(case: str, plan: Path, ledger: Path, tmp_path: Path) -> None:
    target = tampered(plan, tmp_path / "h.plan.xlsx", HARMLESS[case])
    checked = audit_workbook(target, ledger=ledger)
    assert checked.ok, checked.text()
