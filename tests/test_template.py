"""The blank input workbook is generated from the registry and reads back cleanly."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from forceplan import schema
from forceplan.errors import ForceplanError
from forceplan.workbook import template
from forceplan.workbook.cells import column_letter
from forceplan.workbook.load import load_workbook
from forceplan.workbook.template import LAST_ROW, write_example, write_template

TABLE_SHEETS = [s for s in schema.SHEETS if s is not schema.SETTINGS]


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "input.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def book(template_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template_path)


def _validations(ws) -> dict[str, object]:
    """Cell range text (e.g. 'C2:C1000') -> its data validation."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            found[rng.coord] = dv
    return found


def test_about_first_then_every_registry_sheet(book):
    assert book.sheetnames == ["About", *(s.name for s in schema.SHEETS)]
    about = [c for row in book["About"].iter_rows(values_only=True) for c in row if c]
    for sheet in schema.SHEETS:
        assert sheet.name in about
        assert sheet.help.replace("`", "") in about
    text = " ".join(str(c) for c in about)
    for phrase in ("header", "inf", "fractions", "comma-separated", "Plan_"):
        assert phrase in text


def test_headers_match_registry_in_order(book):
    for sheet in TABLE_SHEETS:
        ws = book[sheet.name]
        header = [c.value for c in ws[1]]
        assert header == list(sheet.column_names), sheet.name
        assert ws.max_row == 1, f"{sheet.name} should hold no data rows"
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{column_letter(len(sheet.columns) - 1)}1"
        assert all(c.font.bold for c in ws[1])


def test_header_comments_give_meaning_unit_default_range_line(book):
    for sheet in TABLE_SHEETS:
        ws = book[sheet.name]
        for index, col in enumerate(sheet.columns):
            comment = ws.cell(1, index + 1).comment
            assert comment is not None, f"{sheet.name}.{col.name}"
            text = comment.text
            assert col.help in text
            assert "Default: " in text
            if col.unit:
                assert f"Unit: {col.unit}" in text
            if col.required:
                assert "Default: required" in text
            elif isinstance(col.default, float) and math.isinf(col.default):
                assert "blank = unbounded" in text
            if col.range_text():
                assert col.range_text() in text
            if col.line:
                assert f"Budget line: {col.line}" in text


def test_settings_sheet_is_key_value_with_defaults(book):
    ws = book["Settings"]
    assert [c.value for c in ws[1]] == ["key", "value"]
    assert ws.max_column == 2
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c.name for c in schema.SETTINGS_KEYS]
    values = dict(rows)
    assert values["first_year"] is None and values["last_year"] is None
    assert values["objective"] == "min_cost"
    assert values["elastic"] is False
    assert values["accession_max_total"] == "inf"
    assert values["unit_fill_rate"] == 1
    assert values["classification"] == "UNCLASSIFIED"
    for row, col in enumerate(schema.SETTINGS_KEYS, 2):
        comment = ws.cell(row, 1).comment
        assert comment is not None and col.help in comment.text


def test_settings_dropdowns_for_enum_and_bool(book):
    ws = book["Settings"]
    validations = _validations(ws)
    for row, col in enumerate(schema.SETTINGS_KEYS, 2):
        dv = validations.get(f"B{row}")
        if col.kind == "enum":
            assert dv is not None and dv.formula1 == '"' + ",".join(col.choices) + '"'
        elif col.kind == "bool":
            assert dv is not None and dv.formula1 == '"TRUE,FALSE"'
        else:
            assert dv is None, col.name


def test_enum_bool_and_reference_dropdowns(book):
    for sheet in TABLE_SHEETS:
        ws = book[sheet.name]
        validations = _validations(ws)
        for index, col in enumerate(sheet.columns):
            letter = column_letter(index)
            dv = validations.get(f"{letter}2:{letter}{LAST_ROW}")
            where = f"{sheet.name}.{col.name}"
            if col.kind == "enum":
                assert dv is not None and dv.type == "list", where
                assert dv.formula1 == '"' + ",".join(col.choices) + '"'
                assert dv.showErrorMessage
            elif col.kind == "bool":
                assert dv is not None and dv.formula1 == '"TRUE,FALSE"', where
            elif col.kind == "list":
                assert dv is None, f"{where} holds comma lists and must not be a dropdown"
            elif col.kind == "text" and col.ref in ("trade", "grade"):
                source = "A" if col.ref == "trade" else "B"
                assert dv is not None, where
                assert dv.formula1 == f"'Personnel'!${source}$2:${source}${LAST_ROW}"
                assert not dv.showErrorMessage, f"{where}: pasting other names must work"
            elif col.kind == "text" and col.ref in ("course", "unit_type", "equipment"):
                defining = {"course": "Courses", "unit_type": "UnitTypes"}
                assert dv is not None, where
                assert dv.formula1.startswith(f"'{defining.get(col.ref, 'Equipment')}'!$A$2")
                assert not dv.showErrorMessage
            elif col.ref is None:
                assert dv is None, where


def test_template_loads_with_only_the_horizon_missing(template_path):
    _inputs, issues = load_workbook(template_path)
    assert [(i.severity, i.where) for i in issues] == [
        ("error", "Settings!B2"),
        ("error", "Settings!B3"),
    ]
    assert "first_year" in issues[0].message
    assert "last_year" in issues[1].message


def test_template_with_horizon_typed_in_loads_clean(tmp_path):
    path = tmp_path / "filled.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    wb["Settings"]["B2"] = 2026
    wb["Settings"]["B3"] = 2035
    wb.save(path)
    inputs, issues = load_workbook(path)
    assert issues == []
    assert list(inputs.years) == list(range(2026, 2036))
    for col in schema.SETTINGS_KEYS:
        if not col.required:
            assert inputs.settings[col.name] == col.default, col.name


def test_template_is_small(template_path):
    assert template_path.stat().st_size < 200 * 1024


def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "input.xlsx"
    path.write_bytes(b"precious")
    with pytest.raises(ForceplanError, match="already exists"):
        write_template(path)
    assert path.read_bytes() == b"precious"
    write_template(path, overwrite=True)
    assert path.read_bytes().startswith(b"PK")
    # the output policy keeps what --force replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.bak.xlsx", "input.xlsx"]
    assert (tmp_path / "input.bak.xlsx").read_bytes() == b"precious"


def test_refuses_bad_targets(tmp_path):
    with pytest.raises(ForceplanError, match=r"\.xlsx"):
        write_template(tmp_path / "input.csv")
    with pytest.raises(ForceplanError, match="does not exist"):
        write_template(tmp_path / "no" / "such" / "input.xlsx")


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    write_template(tmp_path / "a.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    class Broken:
        def save(self, fh):
            fh.write(b"PK half a workbook")
            raise OSError("disk full")

    monkeypatch.setattr(template, "build_template", Broken)
    with pytest.raises(OSError, match="disk full"):
        write_template(tmp_path / "a.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_overwrite_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"old")

    class Broken:
        def save(self, fh):
            raise OSError("disk full")

    monkeypatch.setattr(template, "build_template", Broken)
    with pytest.raises(OSError):
        write_template(path, overwrite=True)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


@pytest.fixture
def fake_examples(tmp_path, monkeypatch):
    """Pretend the package bundles two example workbooks."""
    package = tmp_path / "pkg"
    (package / "examples").mkdir(parents=True)
    (package / "examples" / "ukraine.xlsx").write_bytes(b"PK ukraine")
    (package / "examples" / "tiny.xlsx").write_bytes(b"PK tiny")
    monkeypatch.setattr(template, "resources", SimpleNamespace(files=lambda _pkg: package))
    return package


def test_write_example_unknown_name_lists_the_examples(tmp_path, fake_examples):
    assert template.available_examples() == ["tiny", "ukraine"]
    with pytest.raises(ForceplanError, match=r"unknown example 'nope'.*tiny, ukraine"):
        write_example("nope", tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_write_example_copies_the_bundled_file(tmp_path, fake_examples):
    out = tmp_path / "out.xlsx"
    write_example("ukraine", out)
    assert out.read_bytes() == b"PK ukraine"
    with pytest.raises(ForceplanError, match="already exists"):
        write_example("tiny", out)
    write_example("tiny.xlsx", out, overwrite=True)
    assert out.read_bytes() == b"PK tiny"


def test_write_example_unknown_name_without_bundled_examples(tmp_path):
    names = template.available_examples()
    with pytest.raises(ForceplanError, match="available examples") as excinfo:
        write_example("../../etc/passwd", tmp_path / "out.xlsx")
    for name in names:
        assert name in str(excinfo.value)
