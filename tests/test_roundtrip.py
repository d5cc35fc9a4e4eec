"""The budget-office round trip, with a real spreadsheet program.

solve → the plan is opened and saved by LibreOffice Calc (`soffice --headless
--convert-to xlsx`, each run with its own user profile) → solved again. LibreOffice is
installed by .ci/run (Debian package libreoffice-calc-nogui); without it these tests are
skipped with that reason.

What LibreOffice does on `--convert-to xlsx` (LibreOffice 7.4, checked here):
- it calculates formulas that have no stored result (a file written by openpyxl);
- it keeps stored results as they are, even stale ones, unless its profile says
  "recalculate on load: always" (Calc/Formula/Load/OOXMLRecalcMode = 0), which
  `libreoffice_resave(recalc=True)` sets;
- it keeps the plan's native charts (xl/charts/chart*.xml) and its tables.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from test_write import (
    INJECTION,
    assert_text_everywhere,
    injection_sheets,
    rich_workbook,
    store_formula_result,
    text_workbook,
)
from wb import minimal_sheets, set_value, write_workbook

from forceplan import schema
from forceplan.errors import InputError
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.provenance import content_hash, file_sha256
from forceplan.workbook.load import load_workbook as load_inputs
from forceplan.workbook.write import lost_features

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (soffice not on PATH); .ci/run installs "
    "libreoffice-calc-nogui so CI runs these tests",
)
REL = 1e-9

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice_resave(src: Path, workdir: Path, recalc: bool = False) -> Path:
    """Open `src` in LibreOffice Calc and save it as .xlsx in a new folder; return the copy.

    Every call gets a private user profile in `workdir`, so parallel runs do not collide.
    """
    assert SOFFICE is not None
    workdir.mkdir(parents=True, exist_ok=True)
    n = len(list(workdir.glob("profile-*")))
    profile = workdir / f"profile-{n}"
    outdir = workdir / f"saved-{n}"
    outdir.mkdir()
    if recalc:
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS)
    env = dict(os.environ, HOME=str(workdir))  # LibreOffice writes under $HOME too
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--calc",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(outdir),
        str(src),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    out = outdir / (src.stem + ".xlsx")
    assert result.returncode == 0 and out.exists(), result.stdout + result.stderr
    return out


def solve(path: Path, out: Path | None = None, **options: Any):
    if out is None:
        return run_solve(SolveRequest(path, write=False, **options))
    return run_solve(SolveRequest(path, output=out, **options))


def plan_tables(path: Path) -> dict[str, pd.DataFrame]:
    """The Plan_ tables of a plan workbook, read the way other tools read them."""
    with pd.ExcelFile(path, engine="calamine") as book:
        names = [n for n in book.sheet_names if n in schema.PLAN_COLUMNS or n == "Plan_Shortfalls"]
        return pd.read_excel(book, sheet_name=[n for n in names if n != "Plan_Run"])


def assert_same_plan(a: Path, b: Path) -> None:
    """Plan_ values identical to REL (relative); text and flags exactly."""
    ta, tb = plan_tables(a), plan_tables(b)
    assert sorted(ta) == sorted(tb)
    for name, fa in ta.items():
        fb = tb[name]
        assert list(fa.columns) == list(fb.columns), name
        assert fa.shape == fb.shape, name
        for col in fa.columns:
            x, y = fa[col], fb[col]
            if pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
                assert pd.api.types.is_numeric_dtype(y), f"{name}.{col}"
                pd.testing.assert_series_equal(
                    x.astype(float), y.astype(float), rtol=REL, atol=1e-9, check_names=False
                )
            else:
                assert x.fillna("").astype(str).tolist() == y.fillna("").astype(str).tolist(), (
                    f"{name}.{col}"
                )


def run_values(path: Path) -> dict[str, Any]:
    rows = openpyxl.load_workbook(path, read_only=True)["Plan_Run"].iter_rows(values_only=True)
    return {k: v for k, v in list(rows)[1:]}


def chart_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))


@pytest.fixture(scope="module")
def base_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("base")
    book = write_workbook(folder / "army.xlsx", minimal_sheets())
    out = folder / "army.plan.xlsx"
    assert solve(book, out).exit_code == 0
    return out


# --- without a spreadsheet program -------------------------------------------------------


def test_plan_fed_back_unchanged_gives_the_same_plan(base_plan: Path, tmp_path: Path) -> None:
    again = tmp_path / "plan2.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "forceplan", "solve", str(base_plan), "-o", str(again), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same_plan(base_plan, again)
    names = openpyxl.load_workbook(again, read_only=True).sheetnames
    assert names.count("Plan_Summary") == 1 and names.count("Plan_Run") == 1
    assert run_values(again)["input_content_hash"] == run_values(base_plan)["input_content_hash"]


def test_edited_input_cell_changes_the_plan(base_plan: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(base_plan)
    book["EndStrength"]["B4"] = 1500  # 2028 min_total: 1400 -> 1500
    book.save(edited)
    out = tmp_path / "edited.plan.xlsx"
    run = solve(edited, out)
    strength = run.tables.tables["Plan_Personnel"].groupby("year")["strength"].sum()
    assert strength[2028] == pytest.approx(1500, rel=REL)
    before = plan_tables(base_plan)["Plan_Personnel"].groupby("year")["strength"].sum()
    assert before[2028] == pytest.approx(1400, rel=REL)
    assert run_values(out)["input_content_hash"] != run_values(base_plan)["input_content_hash"]


# --- with LibreOffice ----------------------------------------------------------------------


@needs_libreoffice
def test_libreoffice_saved_plan_reads_back_to_the_same_plan(
    base_plan: Path, tmp_path: Path
) -> None:
    saved = libreoffice_resave(base_plan, tmp_path / "lo")
    assert file_sha256(saved) != file_sha256(base_plan)
    # LibreOffice carries the native charts
    assert len(chart_parts(saved)) == len(chart_parts(base_plan)) == 6
    assert lost_features(saved) == []  # nothing of the inputs is at risk on the next write
    again = tmp_path / "again.xlsx"
    run = solve(saved, again)
    assert run.exit_code == 0
    assert not [i for i in run.issues if i.severity == "warning"]
    assert_same_plan(base_plan, again)
    first, second = run_values(base_plan), run_values(again)
    assert second["input_content_hash"] == first["input_content_hash"]
    assert second["input_sha256"] != first["input_sha256"]
    assert second["objective_value"] == pytest.approx(first["objective_value"], rel=REL)


@needs_libreoffice
def test_solve_edit_in_libreoffice_resolve(base_plan: Path, tmp_path: Path) -> None:
    """The budget office's loop: plan → edit a funding line → save in Calc → new plan."""
    edited = tmp_path / "edited.xlsx"
    book = openpyxl.load_workbook(base_plan)
    book["EndStrength"]["B4"] = 1500  # 2028 min_total
    book.save(edited)
    saved = libreoffice_resave(edited, tmp_path / "lo")  # last saved by LibreOffice
    out = tmp_path / "new.plan.xlsx"
    run = solve(saved, out)
    assert run.exit_code == 0
    strength = plan_tables(out)["Plan_Personnel"].groupby("year")["strength"].sum()
    assert strength[2028] == pytest.approx(1500, rel=REL)
    from forceplan.compare import compare_plans

    diff = compare_plans(base_plan, out)
    assert not diff.identical
    changed = diff.sections["strength"]
    assert changed.loc[changed["changed"], "year"].tolist() == [2028]


@needs_libreoffice
def test_formula_without_result_is_refused_then_libreoffice_calculates_it(
    tmp_path: Path,
) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "annual_cost", "=12*2500")  # openpyxl: no stored value
    book = write_workbook(tmp_path / "formulas.xlsx", sheets)
    with pytest.raises(InputError) as refused:
        solve(book)
    (issue,) = [i for i in refused.value.issues if i.severity == "error"]
    assert (issue.sheet, issue.cell) == ("Personnel", "E2")
    assert "=12*2500" in issue.message and "no calculated value" in issue.message

    saved = libreoffice_resave(book, tmp_path / "lo")
    inputs, issues = load_inputs(saved)
    assert not [i for i in issues if i.severity == "error"]
    assert inputs["Personnel"].records[0]["annual_cost"] == 30000
    plan = tmp_path / "formulas.plan.xlsx"
    run = solve(saved, plan)
    assert run.exit_code == 0
    expected = solve(write_workbook(tmp_path / "literal.xlsx", minimal_sheets()))  # 30000 typed
    assert run.outcome.objective == pytest.approx(expected.outcome.objective, rel=REL)
    # the plan keeps the formula and its result, so it can be fed back as it is
    assert openpyxl.load_workbook(plan)["Personnel"]["E2"].value == "=12*2500"
    assert openpyxl.load_workbook(plan, data_only=True)["Personnel"]["E2"].value == 30000
    again = tmp_path / "again.xlsx"
    assert solve(plan, again).exit_code == 0
    assert_same_plan(plan, again)


@needs_libreoffice
def test_libreoffice_recalculates_stale_results_when_told_to(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 2, "annual_cost", "=12*30000")
    book = write_workbook(tmp_path / "stale.xlsx", sheets)
    store_formula_result(book, "Personnel", "E2", "1")  # a result that is out of date
    assert load_inputs(book)[0]["Personnel"].records[0]["annual_cost"] == 1
    saved = libreoffice_resave(book, tmp_path / "lo", recalc=True)
    assert load_inputs(saved)[0]["Personnel"].records[0]["annual_cost"] == 360000


@needs_libreoffice
def test_content_hash_survives_a_libreoffice_resave(tmp_path: Path) -> None:
    for name, book in (
        ("plain", write_workbook(tmp_path / "plain.xlsx", minimal_sheets())),
        ("dressed", rich_workbook(tmp_path / "dressed.xlsx")),
    ):
        saved = libreoffice_resave(book, tmp_path / f"lo-{name}")
        assert file_sha256(saved) != file_sha256(book), name
        assert content_hash(load_inputs(saved)[0]) == content_hash(load_inputs(book)[0]), name


@needs_libreoffice
def test_formula_injection_stays_text_through_libreoffice(tmp_path: Path) -> None:
    book = text_workbook(tmp_path / "in.xlsx", injection_sheets())
    plan = tmp_path / "plan.xlsx"
    solve(book, plan)
    saved = libreoffice_resave(plan, tmp_path / "lo")
    again = tmp_path / "again.xlsx"
    run = solve(saved, again)
    assert INJECTION in set(run.tables.tables["Plan_Personnel"]["trade"])
    counts = assert_text_everywhere(again, (INJECTION, "=1+1"))
    assert counts.get("Personnel") and counts.get("Plan_Personnel")


@needs_libreoffice
def test_plan_prints_to_pdf_in_libreoffice(base_plan: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(base_plan),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, HOME=str(tmp_path)),
    )
    pdf = tmp_path / (base_plan.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) > 10
