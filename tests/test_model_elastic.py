"""Infeasibility and elastic mode (MODEL.md §5, §7.7): a strict workbook that has no plan is
explained (status, exit code, IIS in constraint IDs and cells) and re-solved elastically;
every kind of shortfall is priced at the default penalty, derived by hand here."""

from __future__ import annotations

import pytest

from forceplan.errors import ExitCode


def short_of_end_strength(model, **settings):
    """100 soldiers, at most 10 recruits, and 150 wanted at the end of 2026.

    The unused arc (cost 7) and course (cost 3) only raise the default penalty."""
    return {
        "Settings": model.settings(2026, **settings),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_cost accession_max separation_max",
            ("inf", "E", 100, 10, 5, 10, None),
            ("inf", "O", 0, 2, 0, 0, 0),
        ),
        "Transitions": model.sheet(
            "from_trade from_grade to_trade to_grade cost max_per_year",
            ("inf", "E", "inf", "O", 7, 0),
        ),
        "Courses": model.sheet("course cost_per_trainee", ("spare", 3)),
        "EndStrength": model.sheet("year min_total max_total", (2026, 150, None)),
    }


# default end_strength penalty (§7.7): 1000 × max(1, c_person),
# c_person = max over classes of the per-head costs (E: 10 + 5 = 15, O: 2)
#          + the largest transition cost (7) + the largest cost_per_trainee (3) = 25
END_STRENGTH_PENALTY = 1000 * max(1, max(10 + 5, 2) + 7 + 3)


def test_strict_infeasible_is_explained(model):
    run = model.solve(short_of_end_strength(model))
    assert run.outcome.status == "infeasible"
    assert run.exit_code == ExitCode.INFEASIBLE == 3
    assert run.tables is None
    assert run.conflicts
    ids = {c.id for c in run.conflicts}
    # the glide path (P7) and the recruiting caps (P4) are in conflict (through P1); the
    # exact set is pinned by test_conflicts_are_irreducible
    assert {"P1", "P4", "P7"} <= ids
    p7 = next(c for c in run.conflicts if c.id == "P7")
    assert p7.index == "total 2026"
    assert "EndStrength!B2" in p7.cells
    assert p7.side == "lower"
    p4 = next(c for c in run.conflicts if c.id == "P4")
    assert p4.index == "inf/E 2026"
    assert any(cell.startswith("Personnel!") and cell.endswith("2") for cell in p4.cells)


def test_strict_infeasible_elastic_re_solve(model):
    run = model.solve(short_of_end_strength(model))
    elastic = run.elastic_run
    assert elastic is not None and elastic.outcome.status == "optimal"
    assert elastic.data.penalties["end_strength"] == END_STRENGTH_PENALTY == 25_000
    # recruit the 10 allowed (15 each is far below the penalty): S = 110, 40 short
    # objective = 10·110 + 5·10 + 25000·40
    assert elastic.outcome.objective == model.approx(1150.0 + END_STRENGTH_PENALTY * 40)
    shortfall = model.row(elastic, "Plan_Shortfalls", kind="end_strength")
    assert shortfall["constraint"] == "P7"
    assert shortfall["year"] == 2026
    assert shortfall["amount"] == model.approx(40.0)
    assert shortfall["penalty"] == model.approx(40.0 * END_STRENGTH_PENALTY)
    assert model.value(elastic, "Plan_Personnel", "strength", grade="E") == model.approx(110.0)


def test_no_diagnosis_when_not_asked(model):
    run = model.solve(short_of_end_strength(model), diagnose=False)
    assert run.outcome.status == "infeasible"
    assert run.conflicts is None and run.elastic_run is None


def test_conflict_names_the_limit_cell(model):
    run = model.solve(short_of_end_strength(model))
    p4 = next(c for c in run.conflicts if c.id == "P4")
    # header: trade grade initial_strength annual_cost accession_cost accession_max ...
    assert "Personnel!F2" in p4.cells


def test_conflicts_are_irreducible(model):
    run = model.solve(short_of_end_strength(model))
    # minimal reason: total = 100 + A_E + A_O ≥ 150 with A_E ≤ 10 and A_O ≤ 0.
    # neither separations (they only lower strength) nor the E→O arc (no loss: a move does
    # not change the total) take part
    assert {c.id for c in run.conflicts} == {"P1", "P4", "P7"}
    assert {c.side for c in run.conflicts if c.id == "P4"} == {"upper"}


def test_elastic_setting_uses_penalties_sheet(model):
    sheets = short_of_end_strength(model, elastic=True)
    sheets["Penalties"] = model.sheet("kind penalty", ("end_strength", 12))
    run = model.solve(sheets)
    assert run.outcome.status == "optimal" and run.data.elastic
    # a recruit costs 10 + 5 = 15 > 12 per head short: nobody is recruited, 50 short
    # objective = 10·100 + 12·50 = 1600
    assert run.outcome.objective == model.approx(1600.0)
    assert model.value(run, "Plan_Shortfalls", "amount", kind="end_strength") == model.approx(50.0)


# --- every kind of shortfall, at its default penalty ---------------------------------------


def _manning(model):
    sheets = {
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max separation_max",
            ("inf", "E", 10, 1, 0, 0),
        ),
        "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "E", 2026, 15)),
    }
    # 5 short; manning penalty 1000·max(1, 1) = 1000: 10 + 1000·5
    return sheets, "manning", "P2", 5.0, 10 + 1000 * 5


def _units(model):
    sheets = {
        "Personnel": model.sheet("trade grade initial_strength annual_cost", ("inf", "E", 0, 4)),
        "UnitTypes": model.sheet("unit_type om_cost activation_max min_units", ("bn", 3, 1, 2)),
        "Manning": model.sheet("unit_type trade grade personnel", ("bn", "inf", "E", 2)),
        "Equipping": model.sheet("unit_type equipment quantity", ("bn", "radio", 1)),
        "Equipment": model.sheet("equipment unit_price om_cost", ("radio", 20, 1)),
        "EquipmentYears": model.sheet("equipment year unit_price", ("radio", 2026, 30)),
    }
    # units penalty: 1000 × (om 3 + activation 0 + disbandment 0 + 2 soldiers × 4
    #                         + 1 radio × (highest price 30 + om 1)) = 42000
    # one unit can be stood up (1 short): its O&M 3, 2 soldiers 2·4, a radio 30 + upkeep 1
    penalty = 1000 * (3 + 2 * 4 + 1 * (30 + 1))
    return sheets, "units", "U1", 1.0, 3 + 8 + 31 + penalty


def _equipment(model):
    sheets = {
        "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
        "Equipment": model.sheet("equipment unit_price procurement_max", ("rifle", 10, 4)),
        "EquipmentYears": model.sheet("equipment year requirement", ("rifle", 2026, 10)),
    }
    # 4 bought, 6 short; equipment penalty 1000·max(1, 10 + 0) = 10000
    return sheets, "equipment", "E2", 6.0, 40 + 10_000 * 6


def _funding(model):
    sheets = {
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max separation_max",
            ("inf", "E", 10, 1, 0, 0),
        ),
        "Funding": model.sheet("source year amount", ("national", 2026, 5)),
    }
    # pay of 10 against 5 of money: a gap of 5 at 100 per currency unit
    return sheets, "funding", "B2", 5.0, 10 + 100 * 5


def _ratio(model):
    sheets = {
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max",
            ("inf", "E", 0, 1, None),
            ("inf", "O", 0, 1, 0),
        ),
        "EndStrength": model.sheet("year min_total", (2026, 100)),
        "Ratios": model.sheet(
            "name numerator_grades denominator_grades min_ratio", ("officers", "O", "*", 0.2)
        ),
    }
    # no officers can be had: 100 enlisted, 0.2·100 = 20 short; ratio penalty 1000
    # (shrinking below 100 would cost the same 1000 per head in end strength)
    return sheets, "ratio", "P8", 20.0, 100 + 1000 * 20


def _over_end_strength(model):
    sheets = {
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost separation_max", ("inf", "E", 100, 1, 10)
        ),
        "EndStrength": model.sheet("year max_total", (2026, 80)),
    }
    # only 10 may leave: 90 against a maximum of 80, 10 over at 1000
    return sheets, "end_strength", "P7", 10.0, 90 + 1000 * 10


@pytest.mark.parametrize(
    "case", [_manning, _units, _equipment, _funding, _ratio, _over_end_strength]
)
def test_elastic_shortfall_at_default_penalty(model, case):
    sheets, kind, constraint, amount, objective = case(model)
    run = model.solve({"Settings": model.settings(2026), **sheets}, elastic=True)
    assert run.outcome.status == "optimal"
    assert run.outcome.objective == model.approx(objective)
    shortfall = model.row(run, "Plan_Shortfalls", kind=kind)
    assert shortfall["constraint"] == constraint
    assert shortfall["amount"] == model.approx(amount)
    assert len(model.table(run, "Plan_Shortfalls")) == 1


def test_elastic_max_capability_subtracts_penalties(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, objective="max_capability", elastic=True),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "UnitTypes": model.sheet(
                "unit_type capability_score activation_max min_units", ("bn", 10, 1, 2)
            ),
        }
    )
    # one unit (10 points), one short of the minimum at 1000·max(1, 0) = 1000: 10 - 1000
    assert run.outcome.objective == pytest.approx(10.0 - 1000.0, rel=1e-9)
    assert model.value(run, "Plan_Units", "shortfall") == model.approx(1.0)


def test_custom_shortfall_metric_adds_to_penalties(model):
    sheets, *_ = _equipment(model)
    run = model.solve(
        {
            "Settings": model.settings(2026, objective="custom", elastic=True),
            "Objective": model.sheet("metric weight", ("shortfall", 1)),
            **sheets,
        }
    )
    # cost is not in this objective: 6 short, each counted once raw and once at 10000
    assert run.outcome.objective == model.approx(6 * (1 + 10_000))
