"""Validation of input workbooks: every rule names the exact sheet and cell.

Each broken workbook is `minimal_sheets()` with one mistake, registered with `@case(where,
severity)`; `test_rule_reports_cell` checks the issue, `test_broken_workbook_never_raises`
that reading it never ends in a traceback. File-level problems (not a workbook at all) raise
InputError with one message and are tested at the end.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from wb import Sheets, add_row, drop_column, minimal_sheets, set_value, write_workbook

from forceplan.errors import InputError, Issue
from forceplan.workbook import safety
from forceplan.workbook.load import load_workbook, tables_from_raw
from forceplan.workbook.read import RawSheet, read_raw_workbook
from forceplan.workbook.validate import check_inputs, sort_issues, validate_workbook

Mutation = Callable[[Sheets], None]
CASES: list = []


def case(where: str, severity: str = "error", says: str = ""):
    """Register a mutation of minimal_sheets() that must be reported at `where`."""

    def register(mutate: Mutation) -> Mutation:
        CASES.append(pytest.param(mutate, where, severity, says, id=mutate.__name__))
        return mutate

    return register


def validate(tmp_path: Path, sheets: Sheets) -> list[Issue]:
    return validate_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))[1]


def show(issues: list[Issue]) -> str:
    return "\n".join(str(i) for i in issues) or "(no issues)"


# --- what load_workbook reports (one cell at a time) ------------------------------------


@case("Settings")
def missing_settings_sheet(s):
    del s["Settings"]


@case("Personnel")
def missing_personnel_sheet(s):
    del s["Personnel"]


@case("Settings", says="first_year")
def missing_first_year_setting(s):
    del s["Settings"][1]


@case("Personnel!K1", says="initial_strength")
def missing_required_column(s):
    drop_column(s, "Personnel", "initial_strength")


@case("Personnel!C2", says="text")
def text_in_number_column(s):
    set_value(s, "Personnel", 2, "initial_strength", "lots")


@case("EndStrength!A3", says="whole number")
def non_integer_year(s):
    set_value(s, "EndStrength", 3, "year", 2027.5)


@case("Personnel!C2", says="negative")
def negative_strength(s):
    set_value(s, "Personnel", 2, "initial_strength", -5)


@case("Personnel!D2", says="0.08")
def rate_above_one(s):
    set_value(s, "Personnel", 2, "attrition_rate", 8)


@case("Personnel!C3", says="no calculated value")
def formula_without_stored_value(s):
    set_value(s, "Personnel", 3, "initial_strength", "=50*2")


@case("Personnel!L1", "warning", says="ignored")
def unknown_column(s):
    set_value(s, "Personnel", 2, "notes", "check with J1")


@case("Settings!A6", "warning", says="unknown setting")
def unknown_setting(s):
    add_row(s, "Settings", key="colour", value="green")


@case("Settings!B5", says="min_cost")
def unknown_objective(s):
    set_value(s, "Settings", 5, "value", "cheapest")


# --- Settings ---------------------------------------------------------------------------


@case("Settings!B3", says="before first_year")
def last_year_before_first_year(s):
    set_value(s, "Settings", 3, "value", 2025)


@case("Settings!B3", says="at most 100 years")
def horizon_longer_than_100_years(s):
    set_value(s, "Settings", 3, "value", 2200)


@case("Settings!B5", says="Objective sheet")
def custom_objective_without_weights(s):
    set_value(s, "Settings", 5, "value", "custom")


# --- duplicates (Sheet.key) -------------------------------------------------------------


@case("Personnel!A6", says="row 2 (A2)")
def duplicate_class(s):
    add_row(s, "Personnel", trade="infantry", grade="enlisted", initial_strength=5)


@case("EndStrength!A5", says="row 3 (A3)")
def duplicate_end_strength_year(s):
    add_row(s, "EndStrength", year=2027, min_total=1300, max_total=1700)


@case("Funding!A7", says="row 3 (A3)")
def duplicate_funding_source_year(s):
    add_row(s, "Funding", source="national", year=2027, amount=1, lines="*", carryover=False)


@case("Manning!A6", says="row 2")
def duplicate_manning_pair(s):
    add_row(s, "Manning", unit_type="battalion", trade="infantry", grade="enlisted", personnel=1)


@case("Transitions!A3", says="row 2")
def duplicate_transition_arc(s):
    s["Transitions"].append(list(s["Transitions"][1]))


@case("Courses!A4", says="row 2")
def duplicate_course(s):
    add_row(s, "Courses", course="basic")


@case("Objective!A3", says="metric 'cost'")
def duplicate_objective_metric(s):
    s["Objective"] = [["metric", "weight"], ["cost", 1], ["Cost", 2]]


# --- references (Column.ref) -------------------------------------------------------------


@case("Manning!B2", says="Did you mean 'infantry'")
def unknown_trade(s):
    set_value(s, "Manning", 2, "trade", "infantri")


@case("PersonnelYears!B2", says="case-sensitive")
def unknown_grade_wrong_case(s):
    set_value(s, "PersonnelYears", 2, "grade", "Enlisted")


def _add_medics(s):
    """A trade with only an enlisted class: medic/officer is then two known names, no class."""
    add_row(s, "Personnel", trade="medic", grade="enlisted", initial_strength=10)


@case("Manning!B6", says="no personnel class")
def manning_pair_not_a_class(s):
    _add_medics(s)
    add_row(s, "Manning", unit_type="battalion", trade="medic", grade="officer", personnel=1)


@case("PersonnelYears!A3", says="no personnel class")
def personnel_years_pair_not_a_class(s):
    _add_medics(s)
    add_row(s, "PersonnelYears", trade="medic", grade="officer", year=2027, requirement=1)


@case("Transitions!A2", says="no personnel class")
def transition_from_not_a_class(s):
    _add_medics(s)
    set_value(s, "Transitions", 2, "from_trade", "medic")
    set_value(s, "Transitions", 2, "from_grade", "officer")


@case("Transitions!C2", says="no personnel class")
def transition_to_not_a_class(s):
    _add_medics(s)
    set_value(s, "Transitions", 2, "to_trade", "medic")


@case("Courses!E2", says="no personnel class")
def instructor_class_not_a_class(s):
    _add_medics(s)
    set_value(s, "Courses", 2, "instructor_trade", "medic")


@case("Personnel!I2", says="'advanced'")
def unknown_accession_course(s):
    set_value(s, "Personnel", 2, "accession_courses", "basic, advanced")


@case("Personnel!I2", says="'*' (all) is not allowed")
def star_in_course_list(s):
    set_value(s, "Personnel", 2, "accession_courses", "*")


@case("Transitions!G2", says="Did you mean 'leadership'")
def unknown_transition_course(s):
    set_value(s, "Transitions", 2, "course", "leadrship")


@case("CourseYears!A2", says="Courses.course")
def unknown_course_on_course_years(s):
    set_value(s, "CourseYears", 2, "course", "Basic")


@case("Manning!A3", says="UnitTypes.unit_type")
def unknown_unit_type_on_manning(s):
    set_value(s, "Manning", 3, "unit_type", "brigade")


@case("UnitYears!A2", says="UnitTypes.unit_type")
def unknown_unit_type_on_unit_years(s):
    set_value(s, "UnitYears", 2, "unit_type", "Battalion")


@case("Equipping!B2", says="Equipment.equipment")
def unknown_equipment_on_equipping(s):
    set_value(s, "Equipping", 2, "equipment", "rifles")


@case("EquipmentYears!A2", says="Equipment.equipment")
def unknown_equipment_on_equipment_years(s):
    set_value(s, "EquipmentYears", 2, "equipment", "tank")


@case("Funding!D5", says="'procurment'")
def unknown_line_on_funding(s):
    set_value(s, "Funding", 5, "lines", "procurment,training")
    set_value(s, "Funding", 6, "lines", "procurment,training")


@case("LineLimits!A2", says="budget line 'salaries'")
def unknown_line_on_line_limits(s):
    set_value(s, "LineLimits", 2, "line", "salaries")


@case("Ratios!C2", says="grade 'officers'")
def unknown_grade_on_ratios(s):
    set_value(s, "Ratios", 2, "numerator_grades", "officers")


@case("Ratios!D3", says="trade 'signal'")
def unknown_trade_on_ratios(s):
    set_value(s, "Ratios", 3, "denominator_trades", "infantry, signal")


@case("Ratios!H3", says="year 2031")
def ratio_year_outside_horizon(s):
    set_value(s, "Ratios", 3, "years", "2027, 2031")


@case("Ratios!H3", says="not a year")
def ratio_year_not_a_year(s):
    set_value(s, "Ratios", 3, "years", "2027-2028")


# --- years within the horizon (every `year` column) -------------------------------------

YEAR_CELLS = {
    "PersonnelYears": "C2",
    "CourseYears": "B2",
    "UnitYears": "B2",
    "EquipmentYears": "B2",
    "EndStrength": "A4",
    "Funding": "B2",
    "LineLimits": "B2",
}


def _year_outside(sheet: str, cell: str) -> None:
    row = int(cell[1:])

    def mutate(s):
        set_value(s, sheet, row, "year", 2030 if sheet != "Funding" else 2025)

    mutate.__name__ = f"year_outside_horizon_on_{sheet}"
    case(f"{sheet}!{cell}", says="outside the planning horizon 2026–2028")(mutate)


for _sheet, _cell in YEAR_CELLS.items():
    _year_outside(_sheet, _cell)


# --- min above max (Sheet.min_max), also after per-year overrides ------------------------


@case("Personnel!G2", says="accession_max 500 (H2)")
def accession_min_above_max(s):
    set_value(s, "Personnel", 2, "accession_min", 600)


@case("Personnel!J3", says="separation_max")
def separation_min_above_max(s):
    set_value(s, "Personnel", 3, "separation_min", 11)


@case("PersonnelYears!G2", says="max_strength")
def min_strength_above_max_strength(s):
    set_value(s, "PersonnelYears", 2, "min_strength", 500)
    set_value(s, "PersonnelYears", 2, "max_strength", 400)


@case("UnitTypes!G2", says="max_units 4")
def min_units_above_max_units(s):
    set_value(s, "UnitTypes", 2, "min_units", 5)


@case("EndStrength!B2", says="max_total 1,600")
def min_total_above_max_total(s):
    set_value(s, "EndStrength", 2, "min_total", 1700)


@case("Ratios!F2", says="max_ratio")
def min_ratio_above_max_ratio(s):
    set_value(s, "Ratios", 2, "min_ratio", 0.2)


@case("LineLimits!C2", says="max_amount")
def min_amount_above_max_amount(s):
    set_value(s, "LineLimits", 2, "min_amount", 200_000_000)


@case("PersonnelYears!F3", says="Personnel!G3")
def override_accession_max_below_class_min(s):
    set_value(s, "Personnel", 3, "accession_min", 5)
    add_row(s, "PersonnelYears", trade="infantry", grade="officer", year=2026, accession_max=3)


@case("PersonnelYears!G3", says="Personnel!K4")
def override_separation_min_above_class_max(s):
    add_row(s, "PersonnelYears", trade="signals", grade="enlisted", year=2028, separation_min=40)


@case("UnitYears!C2", says="UnitTypes!H2")
def override_min_units_above_type_max(s):
    set_value(s, "UnitYears", 2, "min_units", 5)


@case("UnitYears!D3", says="UnitTypes!G2")
def override_max_units_below_type_min(s):
    add_row(s, "UnitYears", unit_type="battalion", year=2028, max_units=0)


# --- other consistency rules ------------------------------------------------------------


@case("Transitions!C2", says="its own class")
def transition_to_own_class(s):
    set_value(s, "Transitions", 2, "to_grade", "enlisted")


@case("Courses!F2", says="give both")
def instructor_trade_without_grade(s):
    set_value(s, "Courses", 2, "instructor_grade", None)


@case("Courses!E3", says="give both")
def instructor_grade_without_trade(s):
    set_value(s, "Courses", 3, "instructor_grade", "officer")


@case("Funding!D6", says="row 5 (D5)")
def funding_source_lines_disagree(s):
    set_value(s, "Funding", 6, "lines", "procurement")


@case("Funding!E3", says="row 2 (E2)")
def funding_source_carryover_disagrees(s):
    set_value(s, "Funding", 3, "carryover", True)


# --- warnings ---------------------------------------------------------------------------


@case("Ratios!F3", "warning", says="limits nothing")
def ratio_without_bounds(s):
    set_value(s, "Ratios", 3, "min_ratio", None)


@case("EndStrength!C3", "warning", says="need 1,940 personnel")
def minimum_units_exceed_end_strength(s):
    set_value(s, "UnitYears", 2, "min_units", 4)


@case("EndStrength!C2", "warning", says="nothing can reduce it")
def start_too_big_and_cannot_shrink(s):
    for row in range(2, 6):
        set_value(s, "Personnel", row, "attrition_rate", 0)
    add_row(s, "Settings", key="separation_max_total", value=0)
    s["EndStrength"][1] = [2026, 1000, 1200]


@case("EndStrength!B2", "warning", says="nothing can increase it")
def start_too_small_and_cannot_grow(s):
    for row in range(2, 6):
        set_value(s, "Personnel", row, "accession_max", 0)
    s["EndStrength"][1] = [2026, 1700, 2000]


@case("Equipment!H3", "warning", says="Did you mean 'procurement'")
def new_budget_line_looks_like_typo(s):
    set_value(s, "Equipment", 3, "budget_line", "procurment")


# --- the tests --------------------------------------------------------------------------


@pytest.mark.parametrize(("mutate", "where", "severity", "says"), CASES)
def test_rule_reports_cell(tmp_path, mutate, where, severity, says):
    sheets = minimal_sheets()
    mutate(sheets)
    issues = validate(tmp_path, sheets)
    found = [i for i in issues if i.where == where and i.severity == severity]
    assert found, f"expected a {severity} at {where}, got:\n{show(issues)}"
    assert any(says in i.message for i in found), show(found)


@pytest.mark.parametrize(("mutate", "where", "severity", "says"), CASES)
def test_broken_workbook_never_raises(tmp_path, mutate, where, severity, says):
    sheets = minimal_sheets()
    mutate(sheets)
    inputs, issues = validate_workbook(write_workbook(tmp_path / "plan.xlsx", sheets))
    assert all(isinstance(i, Issue) and i.message and i.sheet for i in issues)
    assert check_inputs(inputs) is not None  # running the checks twice is harmless too


def test_enough_distinct_broken_workbooks():
    assert len(CASES) >= 30
    assert len({p.id for p in CASES}) == len(CASES)


def test_minimal_workbook_is_clean(tmp_path):
    issues = validate(tmp_path, minimal_sheets())
    assert issues == [], show(issues)


def test_names_are_trimmed_but_case_sensitive(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Manning", 2, "trade", "  infantry ")
    set_value(sheets, "Manning", 3, "trade", "Infantry")
    wheres = [i.where for i in validate(tmp_path, sheets)]
    assert wheres == ["Manning!B3"]


def test_new_budget_line_named_on_line_limits_is_not_a_warning(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Equipment", 3, "budget_line", "drones")
    add_row(sheets, "LineLimits", line="drones", year=2027, min_amount=0, max_amount=1e6)
    issues = validate(tmp_path, sheets)
    assert issues == [], show(issues)


def test_gap_at_start_that_flows_can_close_is_not_a_warning(tmp_path):
    sheets = minimal_sheets()
    sheets["EndStrength"][1] = [2026, 1000, 1200]  # 1440 at start: attrition can shrink it
    issues = validate(tmp_path, sheets)
    assert issues == [], show(issues)


def test_broken_horizon_skips_year_checks(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Settings", 3, "value", 2020)
    issues = validate(tmp_path, sheets)
    assert [i.where for i in issues] == ["Settings!B3"], show(issues)


def test_unreadable_horizon_skips_year_checks(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Settings", 2, "value", "next year")
    issues = validate(tmp_path, sheets)
    assert [i.where for i in issues] == ["Settings!B2"], show(issues)


def test_issues_sorted_errors_first_then_sheet_and_row(tmp_path):
    sheets = minimal_sheets()
    set_value(sheets, "Ratios", 3, "min_ratio", None)  # warning on Ratios
    set_value(sheets, "Funding", 3, "carryover", True)  # error, late sheet
    set_value(sheets, "Manning", 5, "trade", "x")  # error, row 5
    set_value(sheets, "Manning", 2, "grade", "y")  # error, row 2
    set_value(sheets, "Personnel", 3, "attrition_rate", 2)  # error, early sheet
    issues = validate(tmp_path, sheets)
    assert [i.where for i in issues] == [
        "Personnel!D3",
        "Manning!C2",
        "Manning!B5",
        "Funding!E3",
        "Ratios!F3",
    ], show(issues)


FUZZ_VALUES = [None, "", " ", "abc", -1, 0, 0.5, 3, 1e12, 2026, 2027, 2031, "inf", "*", True]
FUZZ_VALUES += ["infantry", "officer", "basic", "battalion", "rifle", "procurement", "2026,x"]


def test_random_damage_never_raises():
    """Hundreds of random cell edits (headers included) are reported, never a traceback."""
    rng = random.Random(20260101)
    for _ in range(300):
        sheets = minimal_sheets()
        for _ in range(rng.randint(1, 4)):
            name = rng.choice(list(sheets))
            rows = sheets[name]
            row = rng.randrange(len(rows) + 1)
            while len(rows) <= row:
                rows.append([])
            cells = rows[row]
            col = rng.randrange(len(rows[0]) + 1)
            cells.extend([""] * (col + 1 - len(cells)))
            cells[col] = rng.choice(FUZZ_VALUES)
        raw = [
            RawSheet(name, [["" if v is None else v for v in r] for r in rows])
            for name, rows in sheets.items()
        ]
        inputs, issues = tables_from_raw(raw)
        issues = sort_issues(issues + check_inputs(inputs), inputs)
        assert all(isinstance(i, Issue) and i.message for i in issues)


# --- file-level problems: InputError with one clear message -----------------------------


def _valid_bytes(tmp_path: Path) -> bytes:
    return write_workbook(tmp_path / "valid.xlsx", minimal_sheets()).read_bytes()


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _missing(tmp_path):
    return tmp_path / "nowhere.xlsx"


def _directory(tmp_path):
    path = tmp_path / "folder.xlsx"
    path.mkdir()
    return path


def _owner_file(tmp_path):
    path = tmp_path / "~$plan.xlsx"
    path.write_bytes(b"\x05owner" + b"\0" * 100)
    return path


def _csv(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("trade,grade,initial_strength\ninfantry,enlisted,1000\n")
    return path


def _empty(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"")
    return path


def _random_bytes(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"\x13\x37" + os.urandom(4094))
    return path


def _ole(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096)
    return path


def _zip_without_workbook(tmp_path):
    return _zip(tmp_path / "plan.xlsx", {"content.xml": b"<office/>", "mimetype": b"x"})


def _zip_with_junk_workbook(tmp_path):
    parts = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml at all"}
    return _zip(tmp_path / "plan.xlsx", parts)


def _truncated(tmp_path):
    data = _valid_bytes(tmp_path)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _corrupt_part(tmp_path):
    """Central directory intact, but the bytes of every part scrambled."""
    data = bytearray(_valid_bytes(tmp_path))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        infos = zf.infolist()
    for info in infos:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 2, start + min(info.compress_size, 40)):
            data[i] ^= 0x5A
    path = tmp_path / "plan.xlsx"
    path.write_bytes(bytes(data))
    return path


def _xml_entities(tmp_path):
    """A formula sheet with an entity declaration (billion-laughs style); Excel never writes one."""
    sheets = minimal_sheets()
    set_value(sheets, "Personnel", 3, "initial_strength", "=50*2")
    source = write_workbook(tmp_path / "source.xlsx", sheets)
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name.startswith("xl/worksheets/"):
                data = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>' + data
            zout.writestr(name, data)
    return path


FILE_CASES = {
    "missing": (_missing, "file not found"),
    "directory": (_directory, "folder"),
    "owner_file": (_owner_file, "lock file"),
    "csv_renamed": (_csv, "CSV"),
    "empty": (_empty, "empty file"),
    "random_bytes": (_random_bytes, "not an Excel .xlsx file"),
    "ole_or_xls": (_ole, ".xls"),
    "zip_without_workbook": (_zip_without_workbook, "no xl/workbook.xml"),
    "zip_with_junk_workbook": (_zip_with_junk_workbook, "damaged"),
    "truncated": (_truncated, "damaged"),
    "corrupt_part": (_corrupt_part, "damaged"),
    "xml_entities": (_xml_entities, "refused for safety"),
}


@pytest.mark.parametrize("reader", [read_raw_workbook, load_workbook, validate_workbook])
@pytest.mark.parametrize("name", list(FILE_CASES))
def test_unreadable_file_raises_input_error(tmp_path, name, reader):
    make, says = FILE_CASES[name]
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        reader(path)
    message = str(info.value)
    assert says in message
    assert "\n" not in message
    assert len(info.value.issues) == 1


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "plan.xlsx", minimal_sheets())
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 1024)
    with pytest.raises(InputError, match="unpacks to"):
        load_workbook(path)


def test_highly_compressed_part_is_refused(tmp_path):
    parts = {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (11 << 20)}
    path = _zip(tmp_path / "plan.xlsx", parts)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    if info.file_size / info.compress_size <= safety.MAX_COMPRESSION_RATIO:
        pytest.skip("zlib did not reach the refusal ratio on this platform")
    with pytest.raises(InputError, match="zip bomb"):
        read_raw_workbook(path)


def test_personnel_without_classes_is_an_error(tmp_path):
    sheets = minimal_sheets()
    sheets["Personnel"] = sheets["Personnel"][:1]
    for name in ("PersonnelYears", "Transitions", "Manning", "Ratios"):
        sheets.pop(name, None)
    issues = validate(tmp_path, sheets)
    assert any(i.where == "Personnel!A2" and i.severity == "error" for i in issues)
