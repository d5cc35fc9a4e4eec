"""Unit tests of the reading rules behind the corpus: numbers typed as text, near-miss
names (MODEL.md §8.9) and the used-range scan of a sheet's XML."""

from __future__ import annotations

import io
import zipfile

import pytest

from forceplan.errors import InputError
from forceplan.schema import PERSONNEL
from forceplan.workbook.bounds import INPUT_LIMITS, scan_sheet
from forceplan.workbook.coerce import CellError, ErrorValue, coerce, parse_number_text
from forceplan.workbook.names import near_name, normalize, within_one_edit


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("406,5", 406.5, False),
        ("0,08", 0.08, False),
        ("0,125", 0.125, False),  # a leading 0 cannot be a thousands group
        ("1234,567", 1234.567, False),  # four digits before the comma: not grouped
        ("1 234,5", 1234.5, False),
        ("1\u00a0234\u00a0567", 1234567.0, False),
        ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False),
        ("1,234,567", 1234567.0, False),
        ("1.234.567", 1234567.0, False),
        ("406.5", 406.5, False),
        ("\u22125", -5.0, False),
        ("8%", 8.0, True),
        ("8,5 %", 8.5, True),
        ("1,5e3", 1500.0, False),
    ],
)
def test_number_text(text: str, value: float, percent: bool) -> None:
    assert parse_number_text(text) == pytest.approx((value, percent))


@pytest.mark.parametrize("text", ["1,234", "30,000", "999,999"])
def test_one_comma_before_three_digits_is_ambiguous(text: str) -> None:
    with pytest.raises(CellError, match="ambiguous"):
        parse_number_text(text)


@pytest.mark.parametrize("text", ["1,2,3", "1,23.5", "1.2.3", "12,34,567", "abc", "e5", "1,,5"])
def test_malformed_number_text_is_refused(text: str) -> None:
    with pytest.raises(CellError):
        parse_number_text(text)


def _column(name: str):
    return next(c for c in PERSONNEL.columns if c.name == name)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("annual_cost", "nan", "NaN"),
        ("annual_cost", float("nan"), "NaN"),
        ("annual_cost", float("inf"), "not a finite number"),
        ("annual_cost", "-inf", "not a finite number"),
        ("annual_cost", 1e308, "1e+15"),
        ("accession_max", 1e30, "type inf"),
        ("annual_cost", "8%", "percentage"),
        ("annual_cost", ErrorValue("#DIV/0!"), "division by zero"),
        ("trade", ErrorValue("#N/A"), "#N/A"),
    ],
)
def test_coerce_refuses(column: str, value, words: str) -> None:
    with pytest.raises(CellError, match=words.replace("+", r"\+")):
        coerce(_column(column), value)


def test_coerce_reads_numeric_inf_as_unbounded_where_allowed() -> None:
    assert coerce(_column("accession_max"), float("inf")) == float("inf")
    assert coerce(_column("attrition_rate"), "8%") == pytest.approx(0.08)


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("fundng", "funding", True),
        ("funding", "fundign", True),  # swapped neighbours
        ("fundings", "funding", True),
        ("funds", "funding", False),
        ("endstrength", "endstrength", True),
    ],
)
def test_within_one_edit(a: str, b: str, near: bool) -> None:
    assert within_one_edit(a, b) is near


def test_near_names() -> None:
    sheets = ["EndStrength", "Funding", "Equipment", "EquipmentYears", "Ratios"]
    assert normalize("End Strength") == "endstrength"
    assert near_name("end_strength", sheets) == "EndStrength"
    assert near_name("Fundng", sheets) == "Funding"
    assert near_name("Scratchpad", sheets) is None
    columns = ["annual_cost", "key", "value", "year"]
    assert near_name("annual_cost (UAH)", columns, units_suffix=True) == "annual_cost"
    assert near_name("key2", columns) is None  # short names only match exactly


def _sheet_zip(sheet_data: str) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("s.xml", f"<worksheet><sheetData>{sheet_data}</sheetData></worksheet>")
    return zipfile.ZipFile(buffer)


def test_scan_finds_the_used_range_and_error_cells() -> None:
    zf = _sheet_zip(
        '<row r="1"><c r="A1"><v>1</v></c><c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
        '<row r="7"><c r="B7"><v>2</v></c></row>'
    )
    scan = scan_sheet(zf, "s.xml", "S", INPUT_LIMITS)
    assert (scan.rows, scan.columns) == (7, 3)
    assert scan.errors == {(0, 2): "#DIV/0!"}
    assert scan.has_formulas


def test_scan_counts_cells_without_addresses() -> None:
    cells = "<c><v>1</v></c>" * 250
    with pytest.raises(InputError) as caught:
        scan_sheet(_sheet_zip(f"<row>{cells}</row>"), "s.xml", "S", INPUT_LIMITS)
    assert caught.value.issues[0].cell == "GS1"  # column 201, past the limit


@pytest.mark.parametrize("ref", ["XFD1048576", "GS1", "A250001"])
def test_scan_refuses_a_far_cell_by_address(ref: str) -> None:
    zf = _sheet_zip(f'<row r="1"><c r="{ref}"><v>1</v></c></row>')
    with pytest.raises(InputError) as caught:
        scan_sheet(zf, "s.xml", "S", INPUT_LIMITS)
    issue = caught.value.issues[0]
    assert (issue.sheet, issue.cell) == ("S", ref)
    assert "250,000" in issue.message and "GR" in issue.message


def test_scan_refuses_too_many_cells_within_the_limits() -> None:
    zf = _sheet_zip(
        '<row r="1"><c r="GR1"><v>1</v></c></row><row r="200000"><c r="A200000"/></row>'
    )
    with pytest.raises(InputError, match="40,000,000 cells"):
        scan_sheet(zf, "s.xml", "S", INPUT_LIMITS)
