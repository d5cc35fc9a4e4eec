"""Shadow prices that can be trusted (MODEL.md §8.8): every binding, priced row of
Plan_Constraints passes the finite-difference check (tests/fdcheck.py) on random
workbooks (LP, elastic, max_capability) and on the bundled example; sides, ranges and
notes follow the contract; the sentences say what the prices say."""

from __future__ import annotations

from pathlib import Path

import pytest
from fdcheck import check_prices
from randomwb import random_workbook

from forceplan.pipeline import SolveRequest, run_solve
from forceplan.prices import (
    NOTE_DEGENERATE_NONE,
    NOTE_DEGENERATE_UP,
    NOTE_NO_OFFER,
    NOTE_PENALTY,
    NOTE_SIGN,
    is_printed_limit,
    priced_limits,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "ukraine-2026-2035.xlsx"
TIGHT = ("end_strength", "funding", "units", "equipment", "ratio", "manning")


def _solve(path: Path, **options) -> object:
    run = run_solve(SolveRequest(path, write=False, diagnose=False, **options))
    assert run.outcome.status == "optimal", run.outcome.message
    return run


def _assert_checked(run, sample: int | None = None) -> None:
    result = check_prices(run, sample=sample)
    assert not result.failures, "\n".join(result.failures[:20])
    assert result.checked > 0
    # every (id, kind) with a binding priced row (other than "holds for no change") is hit
    frame = run.tables.tables["Plan_Constraints"]
    priced = frame[
        frame["binding"]
        & (frame["shadow_price"].abs() > 1e-9)
        & ~frame["price_note"].str.contains("holds for no change", regex=False)
    ]
    assert set(zip(priced["id"], priced["kind"], strict=True)) <= result.families


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_lp_prices_pass_finite_differences(tmp_path: Path, seed: int) -> None:
    path = random_workbook(tmp_path / "r.xlsx", seed, 3, 2, 3)
    _assert_checked(_solve(path))


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_random_elastic_prices_pass_finite_differences(tmp_path: Path, seed: int) -> None:
    tight = ("end_strength", *TIGHT[1 : 1 + seed])
    path = random_workbook(tmp_path / "t.xlsx", seed, 3, 2, 3, tight=tight)
    run = _solve(path, elastic=True)
    assert len(run.tables.tables["Plan_Shortfalls"])
    _assert_checked(run)
    notes = run.tables.tables["Plan_Constraints"]["price_note"]
    assert notes.str.contains(NOTE_PENALTY, regex=False).any()


@pytest.mark.parametrize("seed", [0, 1])
def test_random_max_capability_prices_refer_to_stage_one(tmp_path: Path, seed: int) -> None:
    """Prices are those of capability (stage 1), not of the cost tie-break stage."""
    path = random_workbook(tmp_path / "c.xlsx", seed, 3, 2, 3, objective="max_capability")
    _assert_checked(_solve(path))


def test_example_prices_pass_finite_differences() -> None:
    """The bundled example: a stratified sample (every constraint family kept)."""
    _assert_checked(_solve(EXAMPLE), sample=250)


@pytest.fixture(scope="module")
def example_frame():
    return _solve(EXAMPLE).tables.tables["Plan_Constraints"]


def test_no_positive_price_on_a_maximum_when_minimising(example_frame) -> None:
    """The old bug: 0 ≤ x ≤ 0 reported the reduced cost of x ≥ 0 as the maximum's price."""
    f = example_frame
    assert not len(f[(f["side"] == "max") & (f["shadow_price"] > 1e-9)])
    assert not len(f[(f["side"] == "min") & (f["shadow_price"] < -1e-9)])
    # a limit whose sides coincide reports the side whose relaxation lowers cost
    row = f[(f["id"] == "U1") & (f["kind"] == "unit limits")]
    row = row[row["index"] == "mech_brigade_wartime 2035"].iloc[0]
    assert row["upper"] == 0 and row["lower"] == 0
    assert row["side"] == "min" and row["shadow_price"] > 0
    assert NOTE_SIGN in row["price_note"]
    assert not is_printed_limit(row.to_dict())


def test_donations_nobody_offers_are_not_binding_limits(example_frame) -> None:
    f = example_frame
    donations = f[f["kind"] == "donations on offer"]
    none_offered = donations[donations["upper"] == 0]
    assert len(none_offered) and none_offered["price_note"].str.contains(NOTE_NO_OFFER).all()
    printed = {(r["id"], r["kind"], r["index"]) for r in priced_limits(f, "min_cost", "UAH")}
    assert not {("E1", "donations on offer", i) for i in none_offered["index"]} & printed
    offered = donations[(donations["upper"] > 0) & (donations["shadow_price"] < 0)]
    assert not offered["price_note"].str.contains(NOTE_NO_OFFER).any()


def test_sentences_state_side_price_and_range(example_frame) -> None:
    limits = priced_limits(example_frame, "min_cost", "UAH")
    assert limits
    for limit in limits:
        text = limit["sentence"]
        assert "e+" not in text and "limit limit" not in text
        assert "UAH" in text and "holds while" in text
        assert NOTE_DEGENERATE_NONE not in limit["price_note"]
    keys = [(r["index"], round(r["shadow_price"], 6)) for r in limits]
    assert len(keys) == len(set(keys)), "one limit printed twice"


def test_old_style_sign_restriction_rows_get_no_price(model) -> None:
    """x ≥ 0 with an upper limit above the value: not binding, no price."""
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_max",
                ("inf", "E", 10, 5, 3),
            ),
        }
    )
    row = model.constraint(run, "P4", "class limits", "inf/E 2026")
    assert row["value"] == 0 and not row["binding"] and row["shadow_price"] == 0
    assert row["side"] == "max" and row["valid_from"] == 0


def test_mip_prices_are_given_the_integers(tmp_path: Path) -> None:
    path = random_workbook(tmp_path / "i.xlsx", 3, 3, 2, 3, integer_orders=True)
    run = _solve(path, integer_units=True)
    f = run.tables.tables["Plan_Constraints"]
    priced = f[f["binding"] & (f["shadow_price"].abs() > 1e-9)]
    assert len(priced)
    assert priced["price_note"].str.startswith("given the whole units and items chosen").all()
    assert f["valid_from"].isna().all() and f["valid_to"].isna().all()


def test_a_price_that_holds_for_a_millionth_of_a_person_is_degenerate() -> None:
    """HiGHS's ranging puts noise of its feasibility tolerance on a range's ends: a price
    "valid from -0.000004" at a limit of 0 holds for no decrease in practice (the v2
    example's P10 cohort rows; a warm re-solve of the same LP priced them differently)."""
    from forceplan.results import _degenerate

    assert _degenerate(0.0, -4e-6, 69.87, None) == [NOTE_DEGENERATE_UP]
    assert _degenerate(0.0, -4e-6, 3e-6, None) == [NOTE_DEGENERATE_NONE]
    assert _degenerate(0.0, -0.5, 69.87, None) == []
    # a large limit keeps the relative rule: 1e-7 of 1e9 UAH is 100 UAH
    assert _degenerate(1e9, 1e9 - 50.0, 2e9, None) == [NOTE_DEGENERATE_UP]
