"""Adversarial corpus, inputs: workbooks that must be refused by cell or read correctly.

Each case builds its workbook by code, runs one command in a child process and asserts the
exit code, the message (sheet and cell named), that no bug wording or traceback leaks out,
and that no file in the folder changed. See tests/corpus.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from corpus import (
    add_far_cell,
    assert_clean,
    assert_unchanged,
    book,
    forceplan,
    mentions,
    patch_xml,
    rename_sheet,
    set_cell_xml,
    snapshot,
)
from wb import Sheets, set_value


@dataclass
class Case:
    name: str
    build: Callable[[Path], Path]  # folder -> the workbook
    code: int
    words: tuple[str, ...] = ()  # must all appear in the output
    command: tuple[str, ...] = ("validate",)
    absent: tuple[str, ...] = ()  # must not appear in the output
    new_files: set[str] = field(default_factory=set)


def edit(fn: Callable[[Sheets], None]) -> Callable[[Path], Path]:
    return lambda folder: book(folder / "in.xlsx", fn)


def cell(sheet: str, row: int, column: str, value) -> Callable[[Path], Path]:
    return edit(lambda s: set_value(s, sheet, row, column, value))


def xml_cell(sheet: str, ref: str, cell_xml: str) -> Callable[[Path], Path]:
    return lambda folder: patch_xml(
        book(folder / "in.xlsx"), sheet, lambda x: set_cell_xml(x, ref, cell_xml)
    )


def far(sheet: str, ref: str, dimension: str | None = "keep", extra: str = "") -> Callable:
    def build(folder: Path) -> Path:
        def add(s: Sheets) -> None:
            if extra:
                s[extra] = [["note"], ["written by the budget office"]]

        return patch_xml(
            book(folder / "in.xlsx", add), sheet, lambda x: add_far_cell(x, ref, dimension)
        )

    return build


def renamed(old: str, new: str, keep_old_copy: bool = False) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        def add(s: Sheets) -> None:
            if keep_old_copy:
                s["Scratch"] = [list(r) for r in s[old]]

        path = book(folder / "in.xlsx", add)
        return rename_sheet(path, "Scratch" if keep_old_copy else old, new)

    return build


def header(sheet: str, old: str, new: str) -> Callable[[Path], Path]:
    def fn(s: Sheets) -> None:
        s[sheet][0] = [new if h == old else h for h in s[sheet][0]]

    return edit(fn)


def extra_sheets(*names: str) -> Callable[[Path], Path]:
    def fn(s: Sheets) -> None:
        for n in names:
            s[n] = [["text"], ["kept as it is"]]

    return edit(fn)


CASES = [
    # --- bounded reading: a used range no contract sheet can need --------------------------
    Case("far-cell-personnel", far("Personnel", "XFD1048576"), 2, ("Personnel!XFD1048576",)),
    Case(
        "far-cell-personnel-solve",
        far("Personnel", "XFD1048576"),
        2,
        ("Personnel!XFD1048576",),
        ("solve",),
    ),
    Case("far-cell-no-dimension", far("Funding", "XFD1048576", None), 2, ("Funding!XFD1048576",)),
    Case("far-cell-lying-dimension", far("Ratios", "CV1048576", "A1:B2"), 2, ("Ratios!CV1048576",)),
    Case("far-row-personnel", far("Personnel", "A1048576"), 2, ("Personnel!A1048576", "rows")),
    Case("far-column-settings", far("Settings", "ZZ3"), 2, ("Settings!ZZ3", "column")),
    # an unrelated notes sheet is never read: the workbook stays valid and solvable
    Case("far-cell-notes-validate", far("Notes", "XFD1048576", extra="Notes"), 0, ("valid",)),
    Case(
        "far-cell-notes-solve",
        far("Notes", "XFD1048576", extra="Notes"),
        0,
        ("optimal",),
        ("solve", "-o", "{dir}/out.xlsx"),
        new_files={"out.xlsx"},
    ),
    # --- sheet names (MODEL.md §8.9) --------------------------------------------------------
    Case(
        "sheet-End Strength",
        renamed("EndStrength", "End Strength"),
        2,
        ("did you mean EndStrength?", "End Strength"),
    ),
    Case(
        "sheet-end_strength",
        renamed("EndStrength", "end_strength"),
        2,
        ("did you mean EndStrength?",),
    ),
    Case("sheet-Fundng", renamed("Funding", "Fundng"), 2, ("did you mean Funding?", "Fundng")),
    Case(
        "sheet-Fundng-solve",
        renamed("Funding", "Fundng"),
        2,
        ("did you mean Funding?",),
        ("solve",),
    ),
    Case(
        "sheet-Equipmnt-years",
        renamed("EquipmentYears", "Equipment-Years"),
        2,
        ("did you mean EquipmentYears?",),
    ),
    Case(
        "sheet-near-name-while-present",
        renamed("Funding", "Fundng", keep_old_copy=True),
        0,
        ("warning", "Fundng"),
    ),
    Case("sheet-unknown-warned", extra_sheets("Scratchpad"), 0, ("warning", "Scratchpad")),
    Case(
        "sheet-known-extras-silent",
        extra_sheets("About", "Sources", "Notes"),
        0,
        ("is valid",),
        absent=("warning",),
    ),
    # --- column names -----------------------------------------------------------------------
    Case(
        "column-spaces",
        header("Personnel", "attrition_rate", "Attrition Rate"),
        2,
        ("Personnel!D1", "did you mean attrition_rate?"),
    ),
    Case(
        "column-typo",
        header("Personnel", "accession_max", "acession_max"),
        2,
        ("Personnel!H1", "did you mean accession_max?"),
    ),
    Case(
        "column-unit-in-name",
        header("Personnel", "annual_cost", "annual_cost (UAH)"),
        2,
        ("Personnel!E1", "did you mean annual_cost?"),
    ),
    Case(
        "column-required-typo",
        header("Personnel", "initial_strength", "initial_strenght"),
        2,
        ("Personnel!C1", "did you mean initial_strength?"),
    ),
    Case(
        "column-unknown-warned",
        header("Personnel", "separation_max", "my_remarks"),
        0,
        ("warning", "Personnel!K1", "my_remarks"),
    ),
    # --- decimal commas and percent text ------------------------------------------------------
    Case(
        "thousands-ambiguous",
        cell("Personnel", 2, "annual_cost", "30,000"),
        2,
        ("Personnel!E2", "ambiguous"),
    ),
    Case("percent-text-in-money", cell("Personnel", 2, "annual_cost", "8%"), 2, ("Personnel!E2",)),
    Case("comma-garbage", cell("Personnel", 2, "annual_cost", "1,2,3"), 2, ("Personnel!E2",)),
    # --- non-finite and absurd magnitudes -------------------------------------------------------
    Case("nan-text", cell("Personnel", 2, "annual_cost", "nan"), 2, ("Personnel!E2",), ("solve",)),
    Case("nan-text-validate", cell("Personnel", 2, "annual_cost", "NaN"), 2, ("Personnel!E2",)),
    Case(
        "1e308-money",
        cell("Personnel", 2, "annual_cost", 1e308),
        2,
        ("Personnel!E2", "1e+15"),
        ("solve",),
    ),
    Case(
        "1e30-cap",
        cell("Personnel", 2, "accession_max", 1e30),
        2,
        ("Personnel!H2", "inf"),
        ("solve",),
    ),
    Case(
        "1e30-funding", cell("Funding", 2, "amount", 1e30), 2, ("Funding!C2", "1e+15"), ("solve",)
    ),
    Case("minus-inf-text", cell("Personnel", 2, "accession_min", "-inf"), 2, ("Personnel!G2",)),
    Case(
        "1e309-xml",
        xml_cell("Personnel", "E2", '<c r="E2" t="n"><v>1e309</v></c>'),
        2,
        ("Personnel!E2",),
        ("solve",),
    ),
    Case(
        "div0-required",
        xml_cell("Personnel", "C2", '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
        2,
        ("Personnel!C2", "#DIV/0!"),
        absent=("empty",),
    ),
    Case(
        "na-optional",
        xml_cell("Personnel", "H3", '<c r="H3" t="e"><v>#N/A</v></c>'),
        2,
        ("Personnel!H3", "#N/A"),
        ("solve",),
        absent=("empty",),
    ),
    Case(
        "error-in-text-column",
        xml_cell("Personnel", "I2", '<c r="I2" t="e"><v>#REF!</v></c>'),
        2,
        ("Personnel!I2", "#REF!"),
    ),
    Case(
        "error-in-settings",
        xml_cell("Settings", "B3", '<c r="B3" t="e"><v>#VALUE!</v></c>'),
        2,
        ("Settings!B3", "#VALUE!"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_corpus_input(case: Case, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    before = snapshot(tmp_path)
    args = [a.replace("{dir}", str(tmp_path)) for a in case.command]
    result = forceplan(args[0], path, *args[1:], cwd=tmp_path)
    assert_clean(result)
    assert result.code == case.code, result.text[-3000:]
    for word in case.words:
        assert mentions(result.text, word), f"{word!r} not in:\n{result.text[-3000:]}"
    for word in case.absent:
        assert word not in result.text, f"{word!r} in:\n{result.text[-3000:]}"
    assert_unchanged(before, snapshot(tmp_path), case.new_files)


# --- values read correctly: the same plan as the plain number --------------------------------


def _objective(folder: Path, name: str, sheet: str, row: int, column: str, value) -> float:
    path = book(folder / name, lambda s: set_value(s, sheet, row, column, value))
    before = snapshot(folder)
    result = forceplan("solve", path, "--json", "-o", folder / f"{name}.plan.xlsx")
    assert_clean(result)
    assert result.code == 0, result.text[-3000:]
    assert_unchanged(before, snapshot(folder), {f"{name}.plan.xlsx"})
    return json.loads(result.out)["objective"]


@pytest.mark.parametrize(
    ("sheet", "column", "text", "number"),
    [
        ("Personnel", "annual_cost", "30000,5", 30000.5),  # a decimal comma, not x10
        ("Personnel", "annual_cost", "30 000,5", 30000.5),  # Ukrainian thousands space
        ("Personnel", "annual_cost", "30.000,5", 30000.5),  # dot thousands, comma decimal
        ("Personnel", "annual_cost", "30,000.5", 30000.5),  # comma thousands, dot decimal
        ("Funding", "amount", "200,000,000", 2e8),  # two comma groups: thousands
        ("Personnel", "attrition_rate", "0,08", 0.08),  # not "8 is out of range"
        ("Personnel", "attrition_rate", "8%", 0.08),  # percent text in a rate column
        ("Personnel", "attrition_rate", "8,5 %", 0.085),
    ],
)
def test_corpus_number_text_reads_as_the_number(tmp_path, sheet, column, text, number):
    as_text = _objective(tmp_path, "text.xlsx", sheet, 2, column, text)
    as_number = _objective(tmp_path, "number.xlsx", sheet, 2, column, number)
    assert math.isclose(as_text, as_number, rel_tol=1e-12), (as_text, as_number)


# --- plan workbooks read back by audit, report and compare --------------------------------


@pytest.fixture(scope="module")
def plan_book(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("plan")
    path = book(folder / "in.xlsx", lambda s: s.update(Notes=[["note"], ["mine"]]))
    result = forceplan("solve", path, "-o", folder / "plan.xlsx", cwd=folder)
    assert result.code == 0, result.text
    return folder / "plan.xlsx"


@pytest.mark.parametrize("command", ["audit", "report"])
@pytest.mark.parametrize(
    ("sheet", "code", "words"),
    [
        ("Plan_Budget", 2, ("Plan_Budget!XFD1048576",)),
        ("Personnel", 2, ("Personnel!XFD1048576",)),
        ("Notes", 0, ()),  # never read: harmless
    ],
)
def test_corpus_far_cell_in_a_plan(plan_book, tmp_path, command, sheet, code, words) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_book.read_bytes())
    patch_xml(path, sheet, lambda x: add_far_cell(x, "XFD1048576"))
    before = snapshot(tmp_path)
    result = forceplan(command, path, cwd=tmp_path)
    assert_clean(result)
    assert result.code == code, result.text[-3000:]
    for word in words:
        assert mentions(result.text, word), result.text[-3000:]
    assert_unchanged(before, snapshot(tmp_path), {"plan.report.html"})
