"""Validation of the §8.6-8.7 money inputs: each mistake is reported at its sheet and cell."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter
from wb import Sheets, add_row, minimal_sheets, set_value, write_workbook

from forceplan.workbook.validate import validate_workbook


def _where(sheets: Sheets, sheet: str, row: int, column: str) -> str:
    return f"{sheet}!{get_column_letter(sheets[sheet][0].index(column) + 1)}{row}"


def _issues(tmp_path, sheets: Sheets):
    _inputs, issues = validate_workbook(write_workbook(tmp_path / "money.xlsx", sheets))
    return issues


def _found(issues, where: str, severity: str, says: str) -> bool:
    return any(i.where == where and i.severity == severity and says in i.message for i in issues)


def _rates(sheets: Sheets, currency: str, years=(2026, 2027, 2028), rate=40.0) -> None:
    sheets["ExchangeRates"] = [["currency", "year", "rate"]]
    for y in years:
        add_row(sheets, "ExchangeRates", currency=currency, year=y, rate=rate)


def test_money_inputs_that_are_fine(tmp_path):
    s = minimal_sheets()
    for row in (2, 3, 4):
        set_value(s, "Funding", row, "currency", "USD")
        set_value(s, "Funding", row, "priority", 2)
    set_value(s, "Equipment", 2, "payment_profile", "0.3,0.5,0.2")
    set_value(s, "Equipment", 3, "currency", "UAH")  # the base currency: rate 1
    _rates(s, "USD")
    s["PriceIndex"] = [["line", "year", "index"], ["personnel", 2027, 1.05]]
    s["FixedSpending"] = [["line", "year", "amount"], ["procurement", 2026, 1000]]
    assert [i for i in _issues(tmp_path, s) if i.severity == "error"] == []


def test_currency_without_rate_in_a_horizon_year(tmp_path):
    s = minimal_sheets()
    set_value(s, "Equipment", 2, "currency", "USD")
    _rates(s, "USD", years=(2026, 2028))
    issues = _issues(tmp_path, s)
    assert _found(
        issues, _where(s, "Equipment", 2, "currency"), "error", "no exchange rate for 2027"
    )


def test_foreign_source_without_rates(tmp_path):
    s = minimal_sheets()
    for row in (5, 6):
        set_value(s, "Funding", row, "currency", "EUR")
    issues = _issues(tmp_path, s)
    assert _found(issues, _where(s, "Funding", 5, "currency"), "error", "'EUR'")


@pytest.mark.parametrize(
    ("profile", "says"),
    [("0.5,0.4", "add up to 0.9"), ("0.5,x", "not a number"), ("1.5,-0.5", "negative")],
)
def test_payment_profile_shares(tmp_path, profile, says):
    s = minimal_sheets()
    set_value(s, "Equipment", 3, "payment_profile", profile)
    issues = _issues(tmp_path, s)
    assert _found(issues, _where(s, "Equipment", 3, "payment_profile"), "error", says)


def test_priority_below_one(tmp_path):
    s = minimal_sheets()
    for row in (2, 3, 4):
        set_value(s, "Funding", row, "priority", 0)
    issues = _issues(tmp_path, s)
    assert _found(issues, _where(s, "Funding", 2, "priority"), "error", "≥ 1")


@pytest.mark.parametrize(
    ("column", "first", "other"),
    [
        ("currency", "USD", "EUR"),
        ("expires_after", 2, 3),
        ("priority", 1, 2),
    ],
)
def test_rows_of_one_source_disagree(tmp_path, column, first, other):
    s = minimal_sheets()
    set_value(s, "Funding", 5, column, first)
    set_value(s, "Funding", 6, column, other)
    _rates(s, "USD")
    add_row(s, "ExchangeRates", currency="EUR", year=2026, rate=45)
    add_row(s, "ExchangeRates", currency="EUR", year=2027, rate=45)
    add_row(s, "ExchangeRates", currency="EUR", year=2028, rate=45)
    issues = _issues(tmp_path, s)
    assert _found(issues, _where(s, "Funding", 6, column), "error", "applies to the whole source")


def test_expires_after_without_carryover_is_a_warning(tmp_path):
    s = minimal_sheets()
    for row in (2, 3, 4):
        set_value(s, "Funding", row, "expires_after", 1)
    issues = _issues(tmp_path, s)
    assert _found(issues, _where(s, "Funding", 2, "expires_after"), "warning", "changes nothing")


def test_base_currency_rate_must_be_one(tmp_path):
    s = minimal_sheets()
    s["ExchangeRates"] = [["currency", "year", "rate"], ["UAH", 2026, 2]]
    issues = _issues(tmp_path, s)
    assert _found(issues, "ExchangeRates!C2", "error", "base currency")


def test_new_sheets_check_names_and_years(tmp_path):
    s = minimal_sheets()
    s["PriceIndex"] = [["line", "year", "index"], ["personel", 2027, 1.1], ["personnel", 2031, 1.2]]
    s["FixedSpending"] = [
        ["line", "year", "amount"],
        ["procurement", 2026, 5],
        ["procurement", 2026, 6],
    ]
    issues = _issues(tmp_path, s)
    assert _found(issues, "PriceIndex!A2", "error", "Did you mean 'personnel'")
    assert _found(issues, "PriceIndex!B3", "error", "outside the planning horizon")
    assert _found(issues, "FixedSpending!A3", "error", "duplicate record")
