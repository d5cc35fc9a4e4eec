"""ModelData's tables and cells are keyed by typed keys (forceplan.model.keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from wb import add_row, minimal_sheets, write_workbook

from forceplan.load import load_checked
from forceplan.model.keys import CY, EY, CellKey, ClassYear, EquipmentYear, Src


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    sheets = minimal_sheets()
    add_row(
        sheets,
        "PersonnelYears",
        trade="signals",
        grade="officer",
        year=2027,
        accession_max=7,
        requirement=30,
    )
    path = write_workbook(tmp_path_factory.mktemp("keys") / "plan.xlsx", sheets)
    return load_checked(path).data


def test_every_parameter_table_is_keyed_by_its_enum(data) -> None:
    assert list(data.class_years) == list(ClassYear)
    assert list(data.equipment_years) == list(EquipmentYear)
    p = ("signals", "officer")
    assert data.class_years[CY.ACC_MAX][(p, 2027)] == 7.0  # the PersonnelYears override
    assert data.class_years[CY.ACC_MAX][(p, 2026)] == 10.0  # Personnel's value
    assert data.class_years["acc_max"] is data.class_years[CY.ACC_MAX]  # a StrEnum: same key
    e = next(iter(data.equipment))
    assert (e, data.years[0]) in data.equipment_years[EY.PRICE]


def test_cells_are_typed_and_one_key_shape(data) -> None:
    assert data.cells and all(isinstance(k, CellKey) and isinstance(k.src, Src) for k in data.cells)
    p = ("signals", "officer")
    row = data.source(Src.CLASS, p, "trade")
    assert row and row[0].startswith("Personnel!A")
    assert data.source(Src.CLASS, p, "accession_max")[0].startswith("Personnel!H")
    override = data.source(Src.CLASS_YEAR, (p, 2027), CY.ACC_MAX)
    assert override and override[0].startswith("PersonnelYears!")
    assert data.source(Src.CLASS_YEAR, (p, 2026), CY.ACC_MAX) == []  # no override that year
    years = {k.index for k in data.cells if k.src is Src.END_STRENGTH}
    assert years and all(
        k.part in ("active", "reserve", "all") for k in data.cells if k.src is Src.END_STRENGTH
    )


def test_a_misspelt_key_fails_where_it_is_written() -> None:
    with pytest.raises(AttributeError):
        _ = CY.ACC_MAXIMUM  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        Src("class_year:acc_min")  # the old mixed-separator kinds are gone


def test_source_of_an_entity_without_cells_is_empty(tmp_path: Path) -> None:
    """`source` of an entity without cells is an empty list, never a KeyError."""
    data = load_checked(write_workbook(tmp_path / "plan.xlsx", minimal_sheets())).data
    assert data.source(Src.FUNDING, ("nobody", 2026)) == []
