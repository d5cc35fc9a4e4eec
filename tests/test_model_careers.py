"""One tiny, hand-solved workbook per careers rule (MODEL.md §8.1, §8.4, §8.5).

P9 time in grade, P9_moves, limited-duty minimums (bound and P6_share), components and
EndStrength.component, P11 accession smoothing (class and total), terminal = steady (P12,
E3). Each optimum is derived in the comments; the tests pin it, the decisions that matter,
the new Plan_Constraints rows with their source cells, and the shadow price of a binding
new row twice: by hand and by a finite difference (moving the row's limit in HiGHS and
re-solving, MODEL.md §8.8). Conventions as in test_model_families.py.
"""

from __future__ import annotations

import math

import pytest

from forceplan.audit import audit_plan
from forceplan.model.persistent import PersistentLP

STEP = 0.01  # small enough to stay inside every price's range in these cases


def finite_difference(run, component, index, step: float = STEP) -> float:
    """(objective(limit + step) − objective) / step for the binding side of one row; the
    row's bounds are restored afterwards (a negative step moves the limit down)."""
    con = component[index]
    lp = PersistentLP(run.outcome)
    r = lp.row(con)
    assert r is not None
    lower, upper = lp.row_bounds(r)
    base = lp.run(strategy="cold").objective
    if math.isfinite(upper) and math.isfinite(lower) and lower == upper:
        lp.set_row_bounds([r], [lower + step], [upper + step])
    elif math.isfinite(upper):
        lp.set_row_bounds([r], [lower], [upper + step])
    else:
        lp.set_row_bounds([r], [lower + step], [upper])
    moved = lp.run(strategy="cold")
    lp.set_row_bounds([r], [lower], [upper])
    lp.run(strategy="cold")
    assert moved.status == "optimal"
    return (moved.objective - base) / step


def check_price(model, run, fid, kind, index, component, key, expected) -> None:
    row = model.constraint(run, fid, kind, index)
    assert bool(row["binding"]), row
    assert row["shadow_price"] == pytest.approx(expected, rel=1e-7, abs=1e-7)
    assert finite_difference(run, component, key) == pytest.approx(expected, rel=1e-6)


def audited(model, run) -> None:
    report = audit_plan(
        run.inputs, run.tables.tables, run.outcome.objective, run.data.objective, False
    )
    assert report.ok, report.text()


# --- P9: no same-year chains -------------------------------------------------------------


def chain_case(model, **personnel_extra):
    """inf/G1 and inf/G2 both empty; G2 needs 100 posts in 2026 and 2027, G1 none. Recruits
    cost 1 into G1 and 50 straight into G2; promotion G1 → G2 is free; pay 10 a head-year."""
    extra_cols = " ".join(personnel_extra)
    values = tuple(personnel_extra.values())
    return {
        "Settings": model.settings(2026, 2027),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_cost separation_max " + extra_cols,
            ("inf", "G1", 0, 10, 1, 0, *values),
            ("inf", "G2", 0, 10, 50, 0, *values),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement", ("inf", "G2", 2026, 100), ("inf", "G2", 2027, 100)
        ),
        "Transitions": model.sheet(
            "from_trade from_grade to_trade to_grade", ("inf", "G1", "inf", "G2")
        ),
    }


def test_p9_no_recruit_crosses_two_grades_in_one_year(model):
    run = model.solve(chain_case(model))
    assert run.outcome.status == "optimal"
    # v1 would recruit 100 into G1 in 2026 and promote them to G2 the same year: cost
    # 100·1 + 10·100·2 = 2100. Under P9 G1 has no start-of-2026 stock to promote, so G2's
    # 100 posts are recruited directly: 100·50 + pay 10·100 in 2026 and 2027 = 7000.
    assert run.outcome.objective == model.approx(7000.0)
    assert model.total(run, "Plan_Transitions", "moved") == model.approx(0.0)
    assert model.value(run, "Plan_Personnel", "accessions", grade="G2", year=2026) == (
        model.approx(100.0)
    )
    # One more G1 person free to leave in 2026 (the row's limit 0 + 1) would let one recruit
    # at 1 be promoted instead of one at 50 being recruited into G2: price −49.
    g1 = run.built.class_ids[("inf", "G1")]
    check_price(
        model,
        run,
        "P9",
        "leavers ≤ start-of-year stock",
        "inf/G1 2026",
        run.built.model.P9_time_in_grade,
        (g1, 2026),
        -49.0,
    )
    row = model.constraint(run, "P9", "leavers ≤ start-of-year stock", "inf/G1 2026")
    assert row["source_cells"] == "Personnel!C2"  # initial_strength (no attrition column)
    audited(model, run)


def test_p9_moves_limited_by_move_eligible_share(model):
    sheets = chain_case(model, move_eligible_share=0.5)
    sheets["Personnel"][1][2] = 100  # G1 starts with 100
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # G1 now starts with 100. Without the share all 100 could be promoted in 2026 to fill
    # G2's 100 posts: pay 10·100·2 = 2000. With move_eligible_share 0.5
    # only 50 may move in 2026 (P9_moves: M ≤ 0.5·100); the other 50 G2 posts are recruited
    # at 50 (2500). 2027: 50 more G1 could be promoted, but G2 is full and nobody may be
    # separated, so the force stays G1 50 + G2 100 = 150 heads both years: pay 3000.
    # Total 2500 + 3000 = 5500.
    assert run.outcome.objective == model.approx(5500.0)
    assert model.value(run, "Plan_Transitions", "moved", year=2026) == model.approx(50.0)
    # One more eligible G1 person in 2026 saves a G2 recruit (50) and one head of pay in
    # both years (10 + 10): price −70.
    g1 = run.built.class_ids[("inf", "G1")]
    check_price(
        model,
        run,
        "P9",
        "moves ≤ eligible stock",
        "inf/G1 2026",
        run.built.model.P9_moves,
        (g1, 2026),
        -70.0,
    )
    row = model.constraint(run, "P9", "moves ≤ eligible stock", "inf/G1 2026")
    assert "Personnel!G2" in row["source_cells"]  # the move_eligible_share cell
    audited(model, run)


# --- limited duty is a fact ---------------------------------------------------------------


def limited_duty_case(model):
    """army/A: 100 heads, 100 posts, up to 20 on limited duty (half available, 2 a
    head-year), overstrength 10 a head-year; at least 10 on limited duty in 2026.
    army/B: 200 heads, 200 posts, at least 10 % of its strength on limited duty (≤ 50).
    Pay 10, recruits 1, no attrition, no separations; two years."""
    return {
        "Settings": model.settings(2026, 2027),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_cost separation_max "
            "overstrength_cost limited_duty_max limited_duty_availability limited_duty_cost "
            "limited_duty_share_min",
            ("army", "A", 100, 10, 1, 0, 10, 20, 0.5, 2, None),
            ("army", "B", 200, 10, 1, 0, 0, 50, 0.5, 2, 0.1),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement limited_duty_min",
            ("army", "A", 2026, 100, 10),
            ("army", "A", 2027, 100, None),
            ("army", "B", 2026, 200, None),
            ("army", "B", 2027, 200, None),
        ),
    }


def test_limited_duty_minimum_and_share(model):
    run = model.solve(limited_duty_case(model))
    assert run.outcome.status == "optimal"
    # A 2026: S − 0.5·L − O = 100 with L ≥ 10  =>  S = 105: 5 recruits (5), pay 1050, L cost
    #   20. 2027: S stays 105 (no separations): 0.5·L + O = 5; L at 2 a head beats O at 10
    #   (L = 10: 20 vs O = 5: 50): pay 1050 + 20. A total 5 + 1070 + 1070 = 2145.
    # B: L ≥ 0.1·S and S − 0.5·L = 200  =>  S = 200/0.95 = 4000/19, L = 400/19, recruits
    #   200/19 (once); pay 10·S and L cost 2·L in both years:
    #   200/19 + 2·(40000/19 + 800/19) = 81800/19.
    assert run.outcome.objective == model.approx(2145.0 + 81800.0 / 19.0)
    a26 = model.row(run, "Plan_Personnel", grade="A", year=2026)
    assert (a26["strength"], a26["limited_duty"]) == (model.approx(105.0), model.approx(10.0))
    b27 = model.row(run, "Plan_Personnel", grade="B", year=2027)
    assert b27["strength"] == model.approx(4000.0 / 19.0)
    assert b27["limited_duty"] == model.approx(400.0 / 19.0)
    # the minimum is a bound of L: its row names the limited_duty_min cell
    row = model.constraint(run, "P6", "limited-duty cap", "army/A 2026")
    assert row["lower"] == 10.0 and "PersonnelYears!E2" in row["source_cells"]
    share = model.constraint(run, "P6", "limited-duty share", "army/B 2027")
    assert bool(share["binding"]) and share["source_cells"] == "Personnel!K3"
    # The share row of 2027 sits at a kink (B's strength is fixed from 2026 on, since nobody
    # may be separated): one more person on limited duty beyond the share (L − 0.1·S ≥ 1)
    # needs 0.5 more head present: dS = 0.5/0.95 recruited at 1 and paid 10, and
    # dL = 1 + 0.1·dS at 2: 11·dS + 2·dL = 7.89 a person. One fewer (≥ −1) only saves the
    # limited-duty cost 2: the freed half head becomes free overstrength. HiGHS reports the
    # price of the relaxing side, 2; both one-sided slopes are checked.
    b = run.built.class_ids[("army", "B")]
    ds = 0.5 / 0.95
    share_price = model.constraint(run, "P6", "limited-duty share", "army/B 2027")
    assert share_price["shadow_price"] == pytest.approx(2.0, rel=1e-7)
    down = finite_difference(run, run.built.model.P6_share, (b, 2027), -STEP)
    up = finite_difference(run, run.built.model.P6_share, (b, 2027), STEP)
    assert down == pytest.approx(2.0, rel=1e-6)
    assert up == pytest.approx(11.0 * ds + 2.0 * (1.0 + 0.1 * ds), rel=1e-6)
    # in 2026 the row has one price: dS = 0.5/0.95 heads recruited at 1 and paid 10 in both
    # years, dL = 1 + 0.1·dS at 2, plus 0.1·dS more on limited duty in 2027 at 2 (the extra
    # 2027 availability 0.5 is free overstrength): 21·dS + 2·(1 + 0.1·dS) + 0.2·dS
    check_price(
        model,
        run,
        "P6",
        "limited-duty share",
        "army/B 2026",
        run.built.model.P6_share,
        (b, 2026),
        21.0 * ds + 2.0 * (1.0 + 0.1 * ds) + 0.2 * ds,
    )
    audited(model, run)


# --- components ----------------------------------------------------------------------------


def test_reserve_component_end_strength_and_ratios(model):
    sheets = {
        "Settings": model.settings(2026, 2027),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost separation_cost accession_max component",
            ("army", "E", 100, 10, 5, 0, "active"),
            ("reserve", "E", 0, 1, 3, 0, "reserve"),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement", ("army", "E", 2026, 80), ("army", "E", 2027, 80)
        ),
        "Transitions": model.sheet(
            "from_trade from_grade to_trade to_grade", ("army", "E", "reserve", "E")
        ),
        "EndStrength": model.sheet(
            "year min_total max_total component",
            (2026, 0, 80, "active"),
            (2027, 15, None, "reserve"),
            (2027, 0, 95, "all"),
        ),
        # counts active classes only: army / everyone active = 1; with the reserve in the
        # denominator it would force the reserve to 0, against its minimum of 15
        "Ratios": model.sheet(
            "name numerator_trades denominator_trades min_ratio", ("regulars", "army", "*", 1.0)
        ),
    }
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # army must be 80 in 2026 (active band) and keeps 80 posts. The 20 who leave in 2026:
    # a separation costs 5, a discharge into the reserve 1 a year there. All components
    # ≤ 95 in 2027 leaves room for 15 reservists, the reserve minimum. Cheapest: move all 20
    # to the reserve in 2026 (pay 20), separate 5 of them in 2027 (P9: the reserve's start
    # stock is 20; 3 each = 15), keep 15 (pay 15). Moving 15 and separating 5 from the army
    # in 2026 costs 25 + 30 = 55 > 50. Army pay 10·80·2 = 1600. Total 1650.
    assert run.outcome.objective == model.approx(1650.0)
    assert model.value(run, "Plan_Transitions", "moved", year=2026) == model.approx(20.0)
    reserve27 = model.row(run, "Plan_Personnel", trade="reserve", year=2027)
    assert reserve27["strength"] == model.approx(15.0)
    assert reserve27["separations"] == model.approx(5.0)
    rows = model.table(run, "Plan_Constraints").query("id == 'P7'")
    assert set(rows["index"]) == {"total 2026", "reserve total 2027", "all components total 2027"}
    allrow = model.constraint(run, "P7", "maximum", "all components total 2027")
    assert allrow["source_cells"] == "EndStrength!B4, EndStrength!C4, EndStrength!D4"
    # allowing one more person in all components in 2027 keeps one more reservist instead of
    # separating him: saves 3, costs 1 a year: price −2
    check_price(
        model,
        run,
        "P7",
        "maximum",
        "all components total 2027",
        run.built.model.P7_max_component,
        ("all", 2027),
        -2.0,
    )
    audited(model, run)


# --- P11: accession smoothing --------------------------------------------------------------


def smoothing_case(model, class_step=None, total_step=None):
    """Two empty classes; each needs 50 posts in 2028 only. Recruits cost 1, pay 10 a
    head-year, no attrition, no separations, overstrength free."""
    settings = {} if total_step is None else {"accession_step_max_total": total_step}
    return {
        "Settings": model.settings(2026, 2028, **settings),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_cost separation_max "
            "accession_step_max",
            ("inf", "E", 0, 10, 1, 0, class_step),
            ("sig", "E", 0, 10, 1, 0, None),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement", ("inf", "E", 2028, 50), ("sig", "E", 2028, 50)
        ),
    }


def test_p11_class_step(model):
    run = model.solve(smoothing_case(model, class_step=20))
    assert run.outcome.status == "optimal"
    # sig recruits its 50 in 2028: 50 + pay 500 = 550.
    # inf: a + b + c = 50 recruits in 2026..2028, rises ≤ 20: b ≤ a + 20, c ≤ b + 20.
    # Pay 10·(a + (a + b) + 50); minimise 2a + b subject to c = 50 − a − b ≤ b + 20, i.e.
    # a + 2b ≥ 30: a = 0, b = 15, c = 35 (2a + b = 15; b ≤ a + 20 holds).
    # inf: 50 + 10·(0 + 15 + 50) = 700. Total 1250.
    assert run.outcome.objective == model.approx(1250.0)
    intake = [
        model.value(run, "Plan_Personnel", "accessions", trade="inf", year=y)
        for y in (2026, 2027, 2028)
    ]
    assert intake == [model.approx(0.0), model.approx(15.0), model.approx(35.0)]
    # one more recruit of rise into 2028: a + 2b ≥ 29, b = 14.5: pay −5
    i = run.built.class_ids[("inf", "E")]
    check_price(
        model, run, "P11", "rise cap", "inf/E 2028", run.built.model.P11_rise, (i, 2028), -5.0
    )
    assert model.constraint(run, "P11", "rise cap", "inf/E 2028")["source_cells"] == (
        "Personnel!G2"
    )
    audited(model, run)


def test_p11_total_step(model):
    run = model.solve(smoothing_case(model, total_step=40))
    assert run.outcome.status == "optimal"
    # the same algebra for the total of 100: a + 2b ≥ 100 − 40 = 60 with b ≤ a + 40:
    # a = 0, b = 30, c = 70; cost 100 + 10·(0 + 30 + 100) = 1400.
    assert run.outcome.objective == model.approx(1400.0)
    totals = model.table(run, "Plan_Personnel").groupby("year")["accessions"].sum()
    assert list(totals) == [model.approx(0.0), model.approx(30.0), model.approx(70.0)]
    check_price(
        model,
        run,
        "P11",
        "total rise cap",
        "all classes 2028",
        run.built.model.P11_total_rise,
        2028,
        -5.0,
    )
    audited(model, run)


# --- terminal = steady: P12, E3 ------------------------------------------------------------


def steady_case(model, terminal: str):
    """inf/E: 100 heads, attrition 10 % (recruits too), 100 posts in 2026 and 120 in 2027;
    pay 10, recruits 1, overstrength free. rifle: 100 in stock, 20 % wear-out a year,
    price 5, lead time 0; 80 needed in 2026 and 60 in 2027; disposals are free."""
    return {
        "Settings": model.settings(2026, 2027, terminal=terminal),
        "Personnel": model.sheet(
            "trade grade initial_strength attrition_rate annual_cost accession_cost separation_max",
            ("inf", "E", 100, 0.1, 10, 1, 0),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement", ("inf", "E", 2026, 100), ("inf", "E", 2027, 120)
        ),
        "Equipment": model.sheet(
            "equipment initial_stock unit_price attrition_rate", ("rifle", 100, 5, 0.2)
        ),
        "EquipmentYears": model.sheet(
            "equipment year requirement", ("rifle", 2026, 80), ("rifle", 2027, 60)
        ),
    }


def test_terminal_none_lets_the_last_year_collapse(model):
    run = model.solve(steady_case(model, "none"))
    # 2026: 90 + 0.9·A = 100 → A = 100/9; 2027: 90 + 0.9·A = 120 → A = 100/3. Rifles: 80 and
    # 64 on hand cover 80 and 60 without orders. Cost 10·(100 + 120) + 400/9 = 2244.44…
    assert run.outcome.objective == model.approx(2200.0 + 400.0 / 9.0)


def test_terminal_steady_p12_and_e3(model):
    run = model.solve(steady_case(model, "steady"))
    assert run.outcome.status == "optimal"
    # P12 with P1 of 2027 gives S[2027] = S[2026] (see FORMULATION.md): 120 in both years.
    #   2026: 90 + 0.9·A = 120 → A = 100/3 (20 over strength, free); 2027: the flows replace
    #   attrition, 0.9·A = 0.1·120 → A = 40/3. Pay 2400, recruits 140/3.
    # E3: orders of 2027 ≥ 0.2·Q[2027]; Q[2027] ≥ 60 = 0.8·80 + ORD − DSP: ORD = 12 (60),
    #   DSP = 16 — the cheapest renewal disposes of what it replaces (FORMULATION.md, E3).
    # Total 2400 + 140/3 + 60 = 2506.67.
    assert run.outcome.objective == model.approx(2460.0 + 140.0 / 3.0)
    strength = model.table(run, "Plan_Personnel")["strength"].tolist()
    assert strength == [model.approx(120.0), model.approx(120.0)]
    assert model.value(run, "Plan_Equipment", "orders", year=2027) == model.approx(12.0)
    p12 = model.constraint(run, "P12", "steady last year", "inf/E 2027")
    assert "Settings!B4" in p12["source_cells"]
    e3 = model.constraint(run, "E3", "renewal ≥ wear-out", "rifle 2027")
    assert bool(e3["binding"])
    # one more rifle to renew in 2027 (the row's limit 0 + 1) is one more order at 5
    check_price(
        model,
        run,
        "E3",
        "renewal ≥ wear-out",
        "rifle 2027",
        run.built.model.E3_steady,
        "rifle",
        5.0,
    )
    p12_price = p12["shadow_price"]
    i = run.built.class_ids[("inf", "E")]
    assert finite_difference(run, run.built.model.P12_steady, i) == pytest.approx(
        p12_price, rel=1e-6
    )
    audited(model, run)
    report = audit_plan(run.inputs, run.tables.tables, run.outcome.objective, "min_cost", False)
    for fid in ("P9", "P12", "E3"):
        assert report[fid].rows_checked > 0, fid


def test_reserve_band_in_elastic_mode_is_a_priced_shortfall(model):
    sheets = {
        "Settings": model.settings(2026, elastic=True),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max separation_max component",
            ("army", "E", 100, 10, 0, 0, "active"),
            ("reserve", "E", 0, 1, 0, 0, "reserve"),
        ),
        "Transitions": model.sheet(
            "from_trade from_grade to_trade to_grade max_per_year", ("army", "E", "reserve", "E", 5)
        ),
        "EndStrength": model.sheet("year min_total component", (2026, 12, "reserve")),
        "Penalties": model.sheet("kind penalty", ("end_strength", 1000)),
    }
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # at most 5 can be discharged into the reserve: 7 short of its band at 1000 each; the 5
    # move (army pay 10 → reserve pay 1): cost 95·10 + 5·1 + 7000 = 7955
    assert run.outcome.objective == model.approx(7955.0)
    short = model.row(run, "Plan_Shortfalls", kind="end_strength")
    assert short["amount"] == model.approx(7.0) and short["constraint"] == "P7"
    assert short["where"] == "reserve strength below EndStrength.min_total"
    report = audit_plan(run.inputs, run.tables.tables, run.outcome.objective, "min_cost", True)
    assert report.ok, report.text()


def test_summary_report_and_charts_count_the_active_force_against_the_band(model):
    from types import SimpleNamespace

    from forceplan.report.build import _strength_section
    from forceplan.workbook.charts import _strength_block

    sheets = {
        "Settings": model.settings(2026),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max separation_max component",
            ("army", "E", 100, 10, 0, 0, "active"),
            ("reserve", "E", 40, 1, 0, 0, "reserve"),
        ),
        "EndStrength": model.sheet(
            "year min_total max_total component", (2026, 100, 100, None), (2026, 0, 50, "reserve")
        ),
    }
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # the active band (100) is met by the army alone; the 40 reservists are not in it
    assert run.tables.summary["strength"] == {2026: 100.0}
    assert run.tables.summary["reserve_strength"] == {2026: 40.0}
    plan = SimpleNamespace(tables=run.tables.tables)
    (row,) = _strength_section(plan, run.inputs, [2026])["rows"]
    assert (row["strength"], row["min"], row["max"], row["inside"]) == (100.0, 100.0, 100.0, True)
    block = _strength_block(run.tables.tables, {2026: (100.0, 100.0)}, {("reserve", "E")})
    assert block.rows[0][:2] == [2026, 100.0]
