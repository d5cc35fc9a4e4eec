"""MODEL.md §8.6-8.7 on tiny workbooks whose optimum is derived by hand in each comment:
per-year cost and rate overrides, the price index, currencies, fixed spending, expiring
money (vintages), the funding priority stage and payment profiles."""

from __future__ import annotations

import pandas as pd
import pytest

from forceplan.audit import audit_plan


def _one_person(model, cost: float = 40.0, years: tuple[int, int] = (2026, 2028), **settings):
    """One class of exactly one person every year (no flows needed): personnel spend is
    `cost` per year at base-year prices."""
    s = model.sheet
    return {
        "Settings": model.settings(*years, **settings),
        "Personnel": s("trade grade initial_strength annual_cost", ("a", "g", 1, cost)),
        "EndStrength": s(
            "year min_total max_total", *[(y, 1, 1) for y in range(years[0], years[1] + 1)]
        ),
    }


def _audited(run) -> None:
    report = audit_plan(
        run.inputs,
        run.tables.tables,
        run.outcome.objective,
        run.data.objective,
        run.data.elastic,
    )
    assert report.ok, report.text()


def test_per_year_overrides(model):
    """Personnel 100 heads, kept at 100 (EndStrength); 2027 overrides pay 10→20, attrition
    0.1→0.2, accession cost 1→3. The first-year rate is blank, so it follows the year's rate:
    2026: A = 10/0.9 = 11.11 → 100·10 + 11.11·1 = 1011.11; 2027: A = 20/0.8 = 25 →
    100·20 + 25·3 = 2075. Units: 2 units, O&M 5 then 7 (UnitYears) → 24. Equipment: stock
    10 must stay 10, attrition 0.1 then 0.5, O&M 1 then 2, price 100: 2026 orders 1, 2027
    orders 5 → 600 + 10 + 20 = 630. Total 3086.11 + 24 + 630."""
    s = model.sheet
    sheets = {
        "Settings": model.settings(2026, 2027),
        "Personnel": s(
            "trade grade initial_strength attrition_rate annual_cost accession_cost",
            ("a", "g", 100, 0.1, 10, 1),
        ),
        "PersonnelYears": s(
            "trade grade year annual_cost attrition_rate accession_cost",
            ("a", "g", 2027, 20, 0.2, 3),
        ),
        "EndStrength": s("year min_total max_total", (2026, 100, 100), (2027, 100, 100)),
        "UnitTypes": s("unit_type initial_units om_cost min_units max_units", ("bn", 2, 5, 2, 2)),
        "UnitYears": s("unit_type year om_cost", ("bn", 2027, 7)),
        "Equipment": s(
            "equipment initial_stock unit_price om_cost attrition_rate", ("tank", 10, 100, 1, 0.1)
        ),
        "EquipmentYears": s(
            "equipment year requirement om_cost attrition_rate",
            ("tank", 2026, 10, None, None),
            ("tank", 2027, 10, 2, 0.5),
        ),
    }
    run = model.solve(sheets)
    personnel = 100 * 10 + 10 / 0.9 + 100 * 20 + 25 * 3
    assert run.outcome.objective == model.approx(personnel + 24 + 630)
    assert model.value(run, "Plan_Personnel", "accessions", year=2027) == model.approx(25)
    assert model.value(run, "Plan_Personnel", "attrition", year=2027) == model.approx(25)
    assert model.value(run, "Plan_Equipment", "orders", year=2027) == model.approx(5)
    _audited(run)
    # a given first-year rate stays fixed: 0.5 both years → A = 20 then 40
    sheets["Personnel"] = s(
        "trade grade initial_strength attrition_rate first_year_attrition_rate annual_cost "
        "accession_cost",
        ("a", "g", 100, 0.1, 0.5, 10, 1),
    )
    run = model.solve(sheets)
    assert run.outcome.objective == model.approx(1000 + 20 + 2000 + 40 * 3 + 24 + 630)
    _audited(run)


def test_price_index_and_fixed_spending(model):
    """Personnel 40/year at base-year prices, index 1.5 in 2027 → spend 40, 60, 40.
    FixedSpending 300 on procurement in 2027 (nominal, not indexed). One source with
    exactly 40, 360, 40 pays for everything; the objective is 40 + 360 + 40 = 440."""
    s = model.sheet
    sheets = _one_person(model)
    sheets["PriceIndex"] = s("line year index", ("personnel", 2027, 1.5), ("procurement", 2027, 9))
    sheets["FixedSpending"] = s("line year amount", ("procurement", 2027, 300))
    sheets["Funding"] = s(
        "source year amount", ("nat", 2026, 40), ("nat", 2027, 360), ("nat", 2028, 40)
    )
    run = model.solve(sheets)
    assert run.outcome.objective == model.approx(440)
    assert model.value(run, "Plan_Budget", "spend", line="personnel", year=2027) == model.approx(60)
    assert model.value(run, "Plan_Budget", "spend", line="procurement", year=2027) == 300
    _audited(run)
    # fixed spending counts against funding: one unit less money and there is no plan
    sheets["Funding"][2][2] = 359.9
    assert model.solve(sheets).outcome.status == "infeasible"


def test_foreign_prices_and_sources(model):
    """A drone costs 10 USD; USD is 40 UAH in 2026 and 50 in 2027. One drone is needed by
    2026, two by 2027: orders 1 + 1 → 400 + 500 = 900 UAH. The procurement index (2 in 2027)
    does not apply to a USD price. A USD source (10 USD a year) pays: Plan_Funding shows
    400 UAH / 10 USD available in 2026, 500 / 10 in 2027."""
    s = model.sheet
    sheets = {
        "Settings": model.settings(2026, 2027),
        "Personnel": s("trade grade initial_strength", ("a", "g", 0)),
        "Equipment": s("equipment unit_price currency", ("drone", 10, "USD")),
        "EquipmentYears": s("equipment year requirement", ("drone", 2026, 1), ("drone", 2027, 2)),
        "ExchangeRates": s("currency year rate", ("USD", 2026, 40), ("USD", 2027, 50)),
        "PriceIndex": s("line year index", ("procurement", 2027, 2)),
        "Funding": s(
            "source year amount currency", ("purl", 2026, 10, "USD"), ("purl", 2027, 10, "USD")
        ),
    }
    run = model.solve(sheets)
    assert run.outcome.objective == model.approx(900)
    row = model.row(run, "Plan_Funding", source="purl", year=2026)
    assert (row["available"], row["available_own"], row["rate"]) == (400, 10, 40)
    assert row["spent"] == model.approx(400) and row["currency"] == "USD"
    assert model.value(
        run, "Plan_Allocation", "amount", source="purl", line="procurement", year=2027
    ) == model.approx(500)
    _audited(run)
    # 9 USD in 2027 = 450 UAH < 500: the purchase cannot be paid
    sheets["Funding"][2][2] = 9
    assert model.solve(sheets).outcome.status == "infeasible"


def _two_sources(model, expires, priorities=(1, 2)):
    """Personnel 40 a year for 3 years. `eu` gives 100 in 2026 (carried over, expiring after
    `expires` years); `nat` gives 100 every year (no carry)."""
    s = model.sheet
    sheets = _one_person(model)
    sheets["Funding"] = s(
        "source year amount carryover expires_after priority",
        ("eu", 2026, 100, True, expires, priorities[0]),
        ("nat", 2026, 100, False, None, priorities[1]),
        ("nat", 2027, 100, False, None, priorities[1]),
        ("nat", 2028, 100, False, None, priorities[1]),
    )
    return sheets


def test_vintages_and_priority(model):
    """Priority eu (1) before nat (2). With expires_after 1 the 2026 money is spendable in
    2026-27: eu pays 40 + 40, its last 20 lapse at the end of 2027, nat pays 40 in 2028;
    the priority objective is 1·80 + 2·40 = 160. Never expiring: eu pays all its 100 (in
    which years is the solver's choice) and nat the other 20. The cost (120) is the same
    either way."""
    run = model.solve(_two_sources(model, 1))
    assert run.outcome.objective == model.approx(120)
    assert run.outcome.stages[-1] == "funding priority"
    eu = {y: model.row(run, "Plan_Funding", source="eu", year=y) for y in (2026, 2027, 2028)}
    assert [eu[y]["spent"] for y in eu] == [model.approx(40), model.approx(40), 0]
    assert eu[2026]["carried_out"] == model.approx(60) and eu[2026]["lapsed"] == 0
    assert eu[2027]["available"] == model.approx(60)
    assert eu[2027]["lapsed"] == model.approx(20) and eu[2027]["carried_out"] == 0
    nat = model.row(run, "Plan_Funding", source="nat", year=2026)
    assert nat["spent"] == 0 and nat["lapsed"] == 100  # money without carry-over lapses
    assert any("funding priority" in line for line in run.outcome.stage_report)
    _audited(run)

    run = model.solve(_two_sources(model, None))
    assert model.total(run, "Plan_Funding", "spent", source="eu") == model.approx(100)
    assert model.total(run, "Plan_Funding", "spent", source="nat") == model.approx(20)
    assert model.total(run, "Plan_Funding", "lapsed", source="eu") == model.approx(0)
    _audited(run)

    # reversed priorities: nat first, eu only what nat cannot pay (nothing)
    run = model.solve(_two_sources(model, 1, (3, 1)))
    assert model.total(run, "Plan_Funding", "spent", source="eu") == 0
    _audited(run)


def test_expired_money_cannot_pay(model):
    """eu's 100 of 2026 expire after 0 years (no carry) and nat has nothing in 2028: the
    2028 salary (40) has no money. With expires_after 2 the 2026 money pays it."""
    s = model.sheet
    sheets = _one_person(model)
    sheets["Funding"] = s(
        "source year amount carryover expires_after",
        ("eu", 2026, 200, True, 0),
        ("nat", 2027, 40, False, None),
    )
    assert model.solve(sheets).outcome.status == "infeasible"
    sheets["Funding"][1][4] = 2
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    assert model.value(run, "Plan_Funding", "spent", source="eu", year=2028) == model.approx(40)
    _audited(run)


def test_payment_profile(model):
    """A tank costs 100, paid 50 % in the order year and 50 % the next; one is needed at the
    end of 2027 (years 2026-27, discount 10 %). Ordered in 2027 it costs 50/1.1 + 50/1.1
    (the payment after the horizon at df_T) = 90.91, and 50 is committed_after_horizon;
    ordered in 2026 it would cost 50 + 50/1.1 = 95.45. With a procurement index of 1.2 in
    2027 (also the value of payments after T) the 2027 order costs 120/1.1 = 109.09 and
    the 2026 order 50 + 60/1.1 = 104.55: the plan orders in 2026."""
    s = model.sheet
    sheets = {
        "Settings": model.settings(2026, 2027, discount_rate=0.1),
        "Personnel": s("trade grade initial_strength", ("a", "g", 0)),
        "Equipment": s("equipment unit_price payment_profile", ("tank", 100, "0.5,0.5")),
        "EquipmentYears": s("equipment year requirement", ("tank", 2027, 1)),
    }
    run = model.solve(sheets)
    assert run.outcome.objective == model.approx(100 / 1.1)
    row = model.row(run, "Plan_Budget", line="procurement", year=2027)
    assert row["spend"] == model.approx(50) and row["committed_after_horizon"] == model.approx(50)
    _audited(run)
    sheets["PriceIndex"] = s("line year index", ("procurement", 2027, 1.2))
    run = model.solve(sheets)
    assert run.outcome.objective == model.approx(50 + 60 / 1.1)
    assert model.value(run, "Plan_Equipment", "orders", year=2026) == model.approx(1)
    assert model.total(run, "Plan_Budget", "committed_after_horizon") == 0
    _audited(run)


def test_v1_workbook_has_no_new_rows(model):
    """Without the §8 money inputs the LP has no vintage, commitment or stage rows."""
    run = model.solve(_one_person(model))
    m = run.built.model
    assert not hasattr(m, "COMMIT") and not hasattr(m, "U")
    assert run.outcome.stages == ["min_cost"]


def test_default_penalties_use_highest_override_and_rate(model):
    """§8.6: the manning default is 1000 × (highest annual_cost over the years + ...), and
    the equipment default uses the price at the highest rate of the horizon (no index)."""
    from forceplan.model.data import build_data

    s = model.sheet
    sheets = _one_person(model, 10.0, (2026, 2027))
    sheets["PersonnelYears"] = s("trade grade year annual_cost", ("a", "g", 2027, 25))
    sheets["Equipment"] = s("equipment unit_price currency om_cost", ("drone", 10, "USD", 3))
    sheets["ExchangeRates"] = s("currency year rate", ("USD", 2026, 40), ("USD", 2027, 50))
    sheets["PriceIndex"] = s("line year index", ("procurement", 2027, 5))
    run = model.solve(sheets)
    data = build_data(run.inputs)
    assert data.penalties["manning"] == 1000 * 25
    assert data.penalties["equipment"] == 1000 * (10 * 50 + 3)


@pytest.mark.parametrize("objective", ["max_capability", "min_cost"])
def test_priority_keeps_stage_one_prices(model, objective):
    """The priority stage changes the allocation only: the reported objective and the
    stage-1 prices are those without the stage."""
    s = model.sheet
    sheets = _two_sources(model, 1)
    sheets["UnitTypes"] = s("unit_type capability_score om_cost max_units", ("bn", 1, 10, 3))
    with_stage = model.solve(sheets, objective=objective)
    sheets["Funding"] = [row[:-1] for row in sheets["Funding"]]  # no priority column
    without = model.solve(sheets, objective=objective)
    assert with_stage.outcome.objective == model.approx(without.outcome.objective)
    prices = model.table(with_stage, "Plan_Constraints")["shadow_price"].fillna(0).tolist()
    assert prices == pytest.approx(
        model.table(without, "Plan_Constraints")["shadow_price"].fillna(0).tolist()
    )
    _audited(with_stage)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("objective", ["min_cost", "max_capability"])
def test_random_money_workbooks_solve_and_pass_the_audit(tmp_path, seed, objective):
    """randomwb's money=True workbooks (indices, a USD item and partner, a payment profile,
    fixed spending, per-year overrides, an expiring loan, priorities) are feasible by
    construction; the plan passes every audit family and the priority stage runs."""
    from randomwb import random_workbook

    from forceplan.pipeline import SolveRequest, run_solve

    path = random_workbook(tmp_path / "r.xlsx", seed, 3, 2, 3, money=True)
    run = run_solve(SolveRequest(path, write=False, objective=objective))
    assert run.outcome.status == "optimal", run.outcome.message
    assert run.outcome.stages[-1] == "funding priority"
    _audited(run)


def test_random_workbooks_without_money_are_unchanged():
    """The money option is off by default: no §8 sheet or column appears."""
    from randomwb import random_sheets

    sheets = random_sheets(3)
    assert not {"PriceIndex", "ExchangeRates", "FixedSpending"} & set(sheets)
    assert "currency" not in sheets["Funding"][0] and "currency" not in sheets["Equipment"][0]


def test_audit_catches_spending_of_lapsed_money(model):
    """The vintages case (eu's 2026 money lapses after 2027): a plan that pays 2028's
    salary from eu instead of nat fails B2 (money paid from no live vintage)."""
    run = model.solve(_two_sources(model, 1))
    tables = {k: v.copy() for k, v in run.tables.tables.items()}
    alloc = tables["Plan_Allocation"]
    assert not ((alloc["source"] == "eu") & (alloc["year"] == 2028)).any()  # no such variable
    nat28 = (alloc["source"] == "nat") & (alloc["line"] == "personnel") & (alloc["year"] == 2028)
    alloc.loc[nat28, "amount"] = 0.0
    extra = {"source": "eu", "line": "personnel", "year": 2028, "amount": 40.0}
    tables["Plan_Allocation"] = pd.concat([alloc, pd.DataFrame([extra])], ignore_index=True)
    report = audit_plan(run.inputs, tables, run.outcome.objective, "min_cost", False)
    assert not report["B2"].ok
    assert any("paid from live vintages" in label for label in report["B2"].failing_rows)


def test_audit_catches_a_wrong_commitment(model):
    """Plan_Budget.committed_after_horizon is re-derived from the orders (B1) and enters
    the objective (OBJ): halving it fails both."""
    sheets = {
        "Settings": model.settings(2026, 2027, discount_rate=0.1),
        "Personnel": model.sheet("trade grade initial_strength", ("a", "g", 0)),
        "Equipment": model.sheet("equipment unit_price payment_profile", ("tank", 100, "0.5,0.5")),
        "EquipmentYears": model.sheet("equipment year requirement", ("tank", 2027, 1)),
    }
    run = model.solve(sheets)
    tables = {k: v.copy() for k, v in run.tables.tables.items()}
    tables["Plan_Budget"]["committed_after_horizon"] *= 0.5
    report = audit_plan(run.inputs, tables, run.outcome.objective, "min_cost", False)
    assert not report["B1"].ok and not report["OBJ"].ok


@pytest.mark.parametrize(
    ("seed", "objective"), [(0, "min_cost"), (1, "min_cost"), (2, "max_capability")]
)
def test_random_money_prices_pass_finite_differences(tmp_path, seed, objective):
    """Issue 12's finite-difference check (MODEL.md §8.8) on randomwb money=True workbooks:
    the §8.6-8.7 rows (vintages, fixed spending in B1, committed payments, foreign
    sources) are priced like every other row, and the priority stage leaves the stage-1
    prices alone."""
    from fdcheck import check_prices
    from randomwb import random_workbook

    from forceplan.pipeline import SolveRequest, run_solve

    path = random_workbook(tmp_path / "m.xlsx", seed, 3, 2, 3, money=True)
    run = run_solve(SolveRequest(path, write=False, diagnose=False, objective=objective))
    assert run.outcome.status == "optimal"
    result = check_prices(run)
    assert not result.failures, "\n".join(result.failures[:20])
    assert result.checked > 0


def test_vintage_price_passes_finite_differences(model):
    """Elastic: 40 a year for 3 years, eu gives 70 in 2026 (expiring after 1 year), nat 40
    in 2028: 10 of 2027 is a funding gap at 100 per UAH, so one more UAH of eu's 2026 money
    saves 100 (B2 vintage price −100), checked by finite differences."""
    from fdcheck import check_prices

    s = model.sheet
    sheets = _one_person(model)
    sheets["Funding"] = s(
        "source year amount carryover expires_after",
        ("eu", 2026, 70, True, 1),
        ("nat", 2028, 40, False, None),
    )
    run = model.solve(sheets, elastic=True, diagnose=False)
    assert run.outcome.objective == model.approx(120 + 100 * 10)
    row = model.constraint(run, "B2", "vintage", "eu 2026")
    assert row["shadow_price"] == model.approx(-100)
    result = check_prices(run)
    assert not result.failures and ("B2", "vintage") in result.families
    _audited(run)


def test_a_failed_priority_stage_keeps_the_previous_plan(model):
    """If HiGHS cannot prove the priority stage optimal at any hold, the previous stage's
    plan and HiGHS model come back and the outcome says so."""
    import numpy as np

    from forceplan.model.build import build_model
    from forceplan.model.data import build_data
    from forceplan.model.highs_lp import RunInfo
    from forceplan.model.priority import FALLBACK_HOLDS, run_priority_stage
    from forceplan.model.solve import SolveOptions, solve

    run = model.solve(_two_sources(model, 1))
    built = build_model(build_data(run.inputs))
    outcome = solve(built, SolveOptions(priority_stage=False))
    lp = outcome.lp
    cost_before = np.asarray(lp.highs.getLp().col_cost_).copy()
    rows_before = lp.highs.getNumRow()
    values = [v.value for v in built.model.F.values()]
    calls = []

    def run_once(retry: bool):
        calls.append(retry)
        if len(calls) <= len(FALLBACK_HOLDS):
            return RunInfo("not_optimal", False, None, None, None, 0.0)
        return lp.run({"random_seed": 0})

    outcome = run_priority_stage(built, lp, run_once, outcome)
    assert "funding priority stage failed" in outcome.message
    assert "funding priority: failed" in outcome.stage_report[-1]
    assert calls == [False, False, True, True]  # each hold, the last with retries; restore
    assert [v.value for v in built.model.F.values()] == values
    assert lp.highs.getNumRow() == rows_before
    assert np.array_equal(np.asarray(lp.highs.getLp().col_cost_), cost_before)
