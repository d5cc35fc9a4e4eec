"""One tiny, hand-solved workbook per constraint family of MODEL.md §3 (P1 ... B3).

Every case is small enough that its optimum follows by reasoning; the derivation is in the
comments and the test pins the objective and the variables that matter, read from the
Plan_ tables, to a relative 1e-9. Conventions used throughout:

- one class `inf/E` (sometimes `inf/O` too), attrition 0 unless stated;
- `separation_max 0` / `accession_max 0` switch off flows a case does not need (a class
  without requirement would otherwise be separated at no cost by min_cost);
- requirements come from PersonnelYears.requirement; P2 then reads S - O = R, so S ≥ R.
"""

from __future__ import annotations

import pytest

# --- P1 balance --------------------------------------------------------------------------


def test_p1_base_state_attrition_and_first_year_attrition(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet(
                "trade grade initial_strength attrition_rate first_year_attrition_rate "
                "annual_cost accession_cost separation_max",
                ("inf", "E", 100, 0.1, 0.25, 10, 1, 0),
            ),
            "PersonnelYears": model.sheet(
                "trade grade year requirement", ("inf", "E", 2026, 120), ("inf", "E", 2027, 120)
            ),
        }
    )
    assert run.outcome.status == "optimal"
    # 2026: S = (1-0.1)·100 + (1-0.25)·A = 120  =>  A = 30/0.75 = 40; attrition 10 + 10 = 20
    # 2027: S = 0.9·120 + 0.75·A = 120          =>  A = 12/0.75 = 16; attrition 12 + 4 = 16
    # (holding more than 120 in 2026 costs 10 + 1/0.75 per head and saves only 1.2 in 2027)
    # cost = 10·(120 + 120) + 1·(40 + 16) = 2456
    assert run.outcome.objective == model.approx(2456.0)
    for year, acc, attr in ((2026, 40.0, 20.0), (2027, 16.0, 16.0)):
        row = model.row(run, "Plan_Personnel", grade="E", year=year)
        assert row["strength"] == model.approx(120.0)
        assert row["accessions"] == model.approx(acc)
        assert row["attrition"] == model.approx(attr)


def test_p1_arc_loss(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_max separation_max",
                ("inf", "E", 100, 1, 0, 0),
                ("inf", "O", 0, 2, 0, 0),
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "O", 2026, 8)),
            "Transitions": model.sheet(
                "from_trade from_grade to_trade to_grade cost loss_rate",
                ("inf", "E", "inf", "O", 3, 0.2),
            ),
        }
    )
    # O can only be filled by moves, of which 20% leave: 0.8·M = 8  =>  M = 10
    # S_E = 100 - 10 = 90; cost = 1·90 + 2·8 + 3·10 = 136
    assert run.outcome.objective == model.approx(136.0)
    arc = model.row(run, "Plan_Transitions", from_grade="E", to_grade="O", year=2026)
    assert arc["moved"] == model.approx(10.0)
    assert arc["lost"] == model.approx(2.0)
    assert model.value(run, "Plan_Personnel", "moves_out", grade="E") == model.approx(10.0)
    assert model.value(run, "Plan_Personnel", "moves_in", grade="O") == model.approx(8.0)
    assert model.value(run, "Plan_Personnel", "strength", grade="E") == model.approx(90.0)


# --- P2 manning --------------------------------------------------------------------------


def test_p2_unit_posts_with_fill_rate_and_direct_requirement(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, unit_fill_rate=0.8),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_cost", ("inf", "E", 0, 10, 1)
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "E", 2026, 6)),
            "UnitTypes": model.sheet(
                "unit_type initial_units min_units max_units", ("bn", 3, 3, 3)
            ),
            "Manning": model.sheet("unit_type trade grade personnel", ("bn", "inf", "E", 10)),
        }
    )
    # R = 0.8 · 10 posts · 3 units + 6 direct posts = 30  =>  A = S = 30
    # cost = 10·30 + 1·30 = 330
    assert run.outcome.objective == model.approx(330.0)
    row = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert row["requirement"] == model.approx(30.0)
    assert row["strength"] == model.approx(30.0)
    assert row["overstrength"] == model.approx(0.0)


def test_p2_instructor_posts_and_training_load_of_accessions(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_courses",
                ("inf", "E", 0, 10, "basic"),
                ("inf", "I", 0, 20, None),
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "E", 2026, 20)),
            "Courses": model.sheet(
                "course duration_years instructor_trade instructor_grade trainees_per_instructor",
                ("basic", 0.5, "inf", "I", 5),
            ),
        }
    )
    # E: S - TL = 20 with S = A and TL = 0.5·A  =>  A = 40, training load 20
    # trainees of basic = 40  =>  instructor posts in I = 40·0.5/5 = 4  =>  S_I = 4
    # cost = 10·40 + 20·4 = 480
    assert run.outcome.objective == model.approx(480.0)
    e = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert e["accessions"] == model.approx(40.0)
    assert e["training_load"] == model.approx(20.0)
    i = model.row(run, "Plan_Personnel", grade="I", year=2026)
    assert i["requirement"] == model.approx(4.0)
    assert i["strength"] == model.approx(4.0)
    assert model.value(run, "Plan_Training", "trainees", course="basic") == model.approx(40.0)


def test_p2_training_load_of_moves_and_gross_trainees(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_max separation_max",
                ("inf", "E", 100, 1, 0, 0),
                ("inf", "O", 0, 2, 0, 0),
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "O", 2026, 9)),
            "Transitions": model.sheet(
                "from_trade from_grade to_trade to_grade loss_rate course",
                ("inf", "E", "inf", "O", 0.25, "lead"),
            ),
            "Courses": model.sheet("course duration_years cost_per_trainee", ("lead", 0.5, 1)),
        }
    )
    # S_O = 0.75·M; training load on O = 0.5·M (gross, §7.4): 0.75·M - 0.5·M = 9  =>  M = 36
    # S_O = 27, S_E = 64; trainees = 36 (gross, before the arc's loss)
    # cost = 1·64 + 2·27 + 1·36 = 154
    assert run.outcome.objective == model.approx(154.0)
    o = model.row(run, "Plan_Personnel", grade="O", year=2026)
    assert o["strength"] == model.approx(27.0)
    assert o["training_load"] == model.approx(18.0)
    assert model.value(run, "Plan_Training", "trainees", course="lead") == model.approx(36.0)


def test_p2_limited_duty_counts_at_its_availability(model):
    # 100 people, none may leave or join, 80 posts: a surplus of 20 must sit in overstrength
    # (10 per head) or be absorbed by limited duty: one head on limited duty (1) removes
    # (1 - 0.5) = 0.5 from the manning balance, i.e. 2 per unit of surplus.
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength accession_max separation_max overstrength_cost "
                "limited_duty_max limited_duty_availability limited_duty_cost",
                ("inf", "E", 100, 0, 0, 10, 30, 0.5, 1),
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "E", 2026, 80)),
        }
    )
    # L = 30 (its cap) absorbs 15; O = 20 - 15 = 5;  cost = 1·30 + 10·5 = 80
    assert run.outcome.objective == model.approx(80.0)
    row = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert row["limited_duty"] == model.approx(30.0)
    assert row["overstrength"] == model.approx(5.0)


# --- P3 overstrength ---------------------------------------------------------------------


def _overstrength_case(model, overstrength_max=None, total=None):
    extra = {} if total is None else {"overstrength_max_total": total}
    return model.solve(
        {
            "Settings": model.settings(2026, **extra),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost overstrength_max",
                ("inf", "E", 0, 1, overstrength_max),
                ("inf", "O", 0, 5, None),
            ),
            "PersonnelYears": model.sheet(
                "trade grade year requirement", ("inf", "E", 2026, 40), ("inf", "O", 2026, 40)
            ),
            "EndStrength": model.sheet("year min_total", (2026, 100)),
        }
    )


def test_p3_class_overstrength_cap(model):
    # 100 heads for 80 posts: the surplus 20 goes to the cheap class E if it may
    free = _overstrength_case(model)
    # S_E = 60, S_O = 40: cost = 60 + 5·40 = 260
    assert free.outcome.objective == model.approx(260.0)
    assert model.value(free, "Plan_Personnel", "overstrength", grade="E") == model.approx(20.0)
    capped = _overstrength_case(model, overstrength_max=5)
    # E may hold 5 extra: S_E = 45, S_O = 55: cost = 45 + 5·55 = 320
    assert capped.outcome.objective == model.approx(320.0)
    assert model.value(capped, "Plan_Personnel", "overstrength", grade="E") == model.approx(5.0)
    assert model.value(capped, "Plan_Personnel", "overstrength", grade="O") == model.approx(15.0)


def test_p3_total_overstrength_cap(model):
    # the surplus of 20 is forced: a total cap of 20 still allows the plan, 19.5 does not
    assert _overstrength_case(model, total=20).outcome.objective == model.approx(260.0)
    assert _overstrength_case(model, total=19.5).outcome.status == "infeasible"


# --- P4 accessions -----------------------------------------------------------------------


def _accession_case(model, acc_max=None, total=None, years_rows=()):
    extra = {} if total is None else {"accession_max_total": total}
    sheets = {
        "Settings": model.settings(2026, 2027, **extra),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_max separation_max",
            ("inf", "E", 50, 1, acc_max, 0),
            ("inf", "O", 50, 1, acc_max, 0),
        ),
        "EndStrength": model.sheet("year min_total", (2027, 120)),
    }
    if years_rows:
        sheets["PersonnelYears"] = model.sheet("trade grade year accession_min", *years_rows)
    return model.solve(sheets)


def test_p4_accessions_come_as_late_as_possible(model):
    # 20 more heads needed in 2027; recruiting in 2026 would pay a year of salary early
    run = _accession_case(model)
    # cost = 100 (2026) + 120 (2027) = 220
    assert run.outcome.objective == model.approx(220.0)
    assert model.total(run, "Plan_Personnel", "accessions", year=2026) == model.approx(0.0)
    assert model.total(run, "Plan_Personnel", "accessions", year=2027) == model.approx(20.0)


def test_p4_class_accession_max(model):
    run = _accession_case(model, acc_max=7)
    # 2027 takes at most 7 + 7 = 14, the other 6 join in 2026: cost = 106 + 120 = 226
    assert run.outcome.objective == model.approx(226.0)
    assert model.total(run, "Plan_Personnel", "accessions", year=2026) == model.approx(6.0)


def test_p4_accession_max_total(model):
    run = _accession_case(model, total=15)
    # 15 in 2027, 5 in 2026: cost = 105 + 120 = 225
    assert run.outcome.objective == model.approx(225.0)
    assert model.total(run, "Plan_Personnel", "accessions", year=2026) == model.approx(5.0)
    assert model.total(run, "Plan_Personnel", "accessions", year=2027) == model.approx(15.0)


def test_p4_accession_min_override_for_one_year(model):
    run = _accession_case(model, years_rows=[("inf", "E", 2026, 8)])
    # E must take 8 in 2026 (they stay: no attrition), so 2027 needs 12: cost = 108 + 120
    assert run.outcome.objective == model.approx(228.0)
    assert model.value(run, "Plan_Personnel", "accessions", grade="E", year=2026) == model.approx(
        8.0
    )
    assert model.total(run, "Plan_Personnel", "accessions", year=2027) == model.approx(12.0)


# --- P5 separations ----------------------------------------------------------------------


def test_p5_separation_min(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_cost separation_cost "
                "separation_min",
                ("inf", "E", 100, 1, 2, 3, 10),
            ),
            "EndStrength": model.sheet("year min_total", (2026, 100)),
        }
    )
    # 10 must leave and 100 must stay: 10 accessions; cost = 100 + 2·10 + 3·10 = 150
    assert run.outcome.objective == model.approx(150.0)
    row = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert (row["separations"], row["accessions"]) == (model.approx(10.0), model.approx(10.0))


@pytest.mark.parametrize(
    ("sep_max", "total", "status", "objective"),
    [
        # 2 × 100 heads, at most 150 may stay: 50 leave (a separation costs 20 > a year's
        # pay of 10, so no more than that): cost = 10·150 + 20·50 = 2500
        (None, None, "optimal", 2500.0),
        (25, None, "optimal", 2500.0),  # 25 + 25 fits the class caps exactly
        (24, None, "infeasible", None),
        (None, 50, "optimal", 2500.0),
        (None, 49, "infeasible", None),
    ],
)
def test_p5_separation_max_and_total(model, sep_max, total, status, objective):
    extra = {} if total is None else {"separation_max_total": total}
    run = model.solve(
        {
            "Settings": model.settings(2026, **extra),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost separation_cost separation_max",
                ("inf", "E", 100, 10, 20, sep_max),
                ("inf", "O", 100, 10, 20, sep_max),
            ),
            "EndStrength": model.sheet("year max_total", (2026, 150)),
        }
    )
    assert run.outcome.status == status
    if objective is not None:
        assert run.outcome.objective == model.approx(objective)
        assert model.total(run, "Plan_Personnel", "separations") == model.approx(50.0)


# --- P6 limited duty, strength bounds ----------------------------------------------------


def test_p6_limited_duty_at_most_strength(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength accession_max separation_max overstrength_cost "
                "limited_duty_max limited_duty_availability limited_duty_cost",
                ("inf", "E", 10, 0, 0, 10, 100, 0.5, 1),
            ),
        }
    )
    # surplus 10 (no posts); L ≤ S = 10 absorbs 5, O = 5: cost = 1·10 + 10·5 = 60
    assert run.outcome.objective == model.approx(60.0)
    row = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert row["limited_duty"] == model.approx(10.0)
    assert row["overstrength"] == model.approx(5.0)


@pytest.mark.parametrize(
    ("column", "bound", "objective", "accessions", "separations"),
    [
        # 100 heads: keeping one costs 1, a separation 3, an accession 2
        ("min_strength", 110, 110 + 2 * 10, 10.0, 0.0),
        ("max_strength", 90, 90 + 3 * 10, 0.0, 10.0),
    ],
)
def test_p6_min_and_max_strength(model, column, bound, objective, accessions, separations):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_cost separation_cost",
                ("inf", "E", 100, 1, 2, 3),
            ),
            "PersonnelYears": model.sheet(f"trade grade year {column}", ("inf", "E", 2026, bound)),
        }
    )
    # 2026 is bounded; in 2027 keeping the 2026 strength is cheapest (a separation costs 3
    # and saves 1, an accession is never needed): cost = objective(2026) + bound
    assert run.outcome.objective == model.approx(objective + bound)
    row = model.row(run, "Plan_Personnel", grade="E", year=2026)
    assert row["strength"] == model.approx(float(bound))
    assert row["accessions"] == model.approx(accessions)
    assert row["separations"] == model.approx(separations)


# --- P7 end strength ---------------------------------------------------------------------


def test_p7_end_strength_band(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet(
                "trade grade initial_strength attrition_rate annual_cost accession_cost "
                "separation_cost",
                ("inf", "E", 100, 0.1, 10, 5, 30),
            ),
            "EndStrength": model.sheet(
                "year min_total max_total", (2026, 120, None), (2027, 50, 60)
            ),
        }
    )
    # 2026: 0.9·100 + 0.9·A = 120  =>  A = 100/3;  cost 10·120 + 5·100/3
    # 2027: 0.9·120 = 108 - X = 60 => X = 48 (cheaper than keeping? no: forced by max 60);
    #       more separations would cost 30 to save 10: S = 60; cost 10·60 + 30·48
    expected = 1200 + 500 / 3 + 600 + 1440
    assert run.outcome.objective == model.approx(expected)
    assert model.value(run, "Plan_Personnel", "accessions", year=2026) == model.approx(100 / 3)
    assert model.value(run, "Plan_Personnel", "separations", year=2027) == model.approx(48.0)
    assert model.value(run, "Plan_Personnel", "strength", year=2027) == model.approx(60.0)


# --- P8 ratios ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "years", "s_o", "objective"),
    [
        # officers ≥ 20% of all: S_O = 20, S_E = 80: 80 + 5·20 = 180 per year
        (("officer_share", "*", "O", "*", "*", 0.2, None), None, 20.0, 360.0),
        # enlisted ≤ 3 × officers: S_E = 75, S_O = 25: 75 + 5·25 = 200 per year
        (("pyramid", "*", "E", "*", "O", None, 3), None, 25.0, 400.0),
        # only in 2027: 2026 is all enlisted (100) and 2027 costs 180
        (("officer_share", "*", "O", "*", "*", 0.2, None), "2027", 20.0, 280.0),
    ],
)
def test_p8_ratios(model, ratio, years, s_o, objective):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost", ("inf", "E", 0, 1), ("inf", "O", 0, 5)
            ),
            "EndStrength": model.sheet("year min_total", (2026, 100), (2027, 100)),
            "Ratios": model.sheet(
                "name numerator_trades numerator_grades denominator_trades denominator_grades "
                "min_ratio max_ratio years",
                (*ratio, years),
            ),
        }
    )
    assert run.outcome.objective == model.approx(objective)
    assert model.value(run, "Plan_Personnel", "strength", grade="O", year=2027) == model.approx(s_o)


# --- T1 transitions ----------------------------------------------------------------------


def test_t1_max_per_year(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_max separation_max",
                ("inf", "E", 100, 1, 0, 0),
                ("inf", "O", 0, 5, 0, 0),
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "O", 2027, 30)),
            "Transitions": model.sheet(
                "from_trade from_grade to_trade to_grade max_per_year", ("inf", "E", "inf", "O", 20)
            ),
        }
    )
    # 30 officers by 2027, at most 20 moves a year; an early move costs 5 - 1 = 4 more that
    # year: M_2026 = 10, M_2027 = 20. cost = (90 + 5·10) + (70 + 5·30) = 360
    assert run.outcome.objective == model.approx(360.0)
    moved = model.table(run, "Plan_Transitions").set_index("year")["moved"]
    assert moved[2026] == model.approx(10.0)
    assert moved[2027] == model.approx(20.0)


def test_t1_max_share_of_destination(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_cost accession_max "
                "separation_max",
                ("inf", "E", 100, 1, 0, 0, 0),
                ("inf", "O", 10, 1, 10, None, 0),
            ),
            "PersonnelYears": model.sheet("trade grade year requirement", ("inf", "O", 2026, 30)),
            "Transitions": model.sheet(
                "from_trade from_grade to_trade to_grade max_share_of_destination",
                ("inf", "E", "inf", "O", 0.5),
            ),
        }
    )
    # free moves are limited to half of the end-of-year S_O = 30: M = 15, A_O = 5
    # cost = (85 + 30) pay + 10·5 recruiting = 165
    assert run.outcome.objective == model.approx(165.0)
    assert model.value(run, "Plan_Transitions", "moved") == model.approx(15.0)
    assert model.value(run, "Plan_Personnel", "accessions", grade="O") == model.approx(5.0)


# --- C1 courses --------------------------------------------------------------------------


def test_c1_capacity_and_permanent_cumulative_expansion(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2028, discount_rate=0.1),
            "Personnel": model.sheet(
                "trade grade initial_strength separation_max accession_courses",
                ("inf", "E", 100, 0, "basic"),
            ),
            "Courses": model.sheet(
                "course capacity expansion_cost expansion_max", ("basic", 10, 50, 5)
            ),
            "EndStrength": model.sheet(
                "year min_total max_total", (2026, 114, 114), (2027, 126, 126), (2028, 146, 146)
            ),
        }
    )
    # accessions are fixed by the glide path: 14, 12, 20 (no attrition, no separations).
    # seats: 2026 needs 4 added (they count the year they are added), 2027 none (the 4
    # stay), 2028 needs 10 added in all but at most 5 a year: EXP = 4, 1, 5 (late is cheaper
    # when discounted). cost = 50·(4 + 1/1.1 + 5/1.1²)
    assert run.outcome.objective == model.approx(50 * (4 + 1 / 1.1 + 5 / 1.1**2))
    training = model.table(run, "Plan_Training").set_index("year")
    assert list(training["expansion"]) == [model.approx(v) for v in (4.0, 1.0, 5.0)]
    assert list(training["capacity"]) == [model.approx(v) for v in (14.0, 15.0, 20.0)]
    assert list(training["trainees"]) == [model.approx(v) for v in (14.0, 12.0, 20.0)]


def test_c1_course_year_capacity_override(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost separation_max accession_courses",
                ("inf", "E", 0, 1, 0, "basic"),
            ),
            "Courses": model.sheet("course capacity", ("basic", None)),
            "CourseYears": model.sheet("course year capacity", ("basic", 2027, 0)),
            "EndStrength": model.sheet("year min_total", (2027, 30)),
        }
    )
    # no seats in 2027: all 30 must join in 2026 and be paid two years: cost 60
    assert run.outcome.objective == model.approx(60.0)
    assert model.value(run, "Plan_Personnel", "accessions", year=2026) == model.approx(30.0)


# --- U1 units ----------------------------------------------------------------------------


def test_u1_activation_max_and_year_minimum(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "UnitTypes": model.sheet(
                "unit_type initial_units om_cost activation_cost activation_max",
                ("bn", 1, 10, 5, 1),
            ),
            "UnitYears": model.sheet("unit_type year min_units", ("bn", 2027, 3)),
        }
    )
    # 3 units in 2027 with one activation a year: N_2026 = 2, N_2027 = 3
    # cost = (10·2 + 5) + (10·3 + 5) = 60
    assert run.outcome.objective == model.approx(60.0)
    units = model.table(run, "Plan_Units").set_index("year")
    assert list(units["units"]) == [model.approx(2.0), model.approx(3.0)]
    assert list(units["activations"]) == [model.approx(1.0), model.approx(1.0)]


def test_u1_max_units_forces_disbandment(model):
    run = model.solve(
        {
            "Settings": model.settings(2026),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "UnitTypes": model.sheet(
                "unit_type initial_units om_cost disbandment_cost min_units max_units",
                ("bn", 5, 10, 7, 3, 3),
            ),
        }
    )
    # 5 → 3: two disbandments; cost = 7·2 + 10·3 = 44
    assert run.outcome.objective == model.approx(44.0)
    assert model.value(run, "Plan_Units", "disbandments") == model.approx(2.0)


# --- E1 equipment balance ----------------------------------------------------------------


def _equipment_case(model, years, equipment: list, equipment_years: list, **sheets):
    return model.solve(
        {
            "Settings": model.settings(*years),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "Equipment": equipment,
            "EquipmentYears": equipment_years,
            **sheets,
        }
    )


def test_e1_attrition_applies_to_previous_stock_only(model):
    run = _equipment_case(
        model,
        (2026,),
        model.sheet("equipment initial_stock unit_price attrition_rate", ("rifle", 100, 10, 0.1)),
        model.sheet("equipment year requirement", ("rifle", 2026, 95)),
    )
    # Q = 0.9·100 + ORD ≥ 95  =>  ORD = 5 (no attrition on this year's arrivals): cost 50
    assert run.outcome.objective == model.approx(50.0)
    row = model.row(run, "Plan_Equipment", equipment="rifle", year=2026)
    assert row["orders"] == model.approx(5.0)
    assert row["stock"] == model.approx(95.0)


def test_e1_lead_time(model):
    run = _equipment_case(
        model,
        (2026, 2027),
        model.sheet("equipment unit_price om_cost lead_time_years", ("rifle", 10, 1, 1)),
        model.sheet("equipment year requirement", ("rifle", 2027, 10)),
    )
    # ordered in 2026, delivered in 2027: cost = 10·10 + upkeep 1·10 in 2027 = 110
    assert run.outcome.objective == model.approx(110.0)
    eq = model.table(run, "Plan_Equipment").set_index("year")
    assert eq.loc[2026, "orders"] == model.approx(10.0)
    assert eq.loc[2026, "stock"] == model.approx(0.0)
    assert eq.loc[2027, "deliveries"] == model.approx(10.0)
    assert eq.loc[2027, "stock"] == model.approx(10.0)


def test_e1_orders_before_first_year_do_not_exist(model):
    run = _equipment_case(
        model,
        (2026, 2027),
        model.sheet("equipment unit_price lead_time_years", ("rifle", 10, 1)),
        model.sheet("equipment year requirement", ("rifle", 2026, 10)),
        # nothing can arrive in 2026: no stock, no scheduled deliveries, no donations
    )
    assert run.outcome.status == "infeasible"


def test_e1_arrivals_after_last_year_still_cost(model):
    run = _equipment_case(
        model,
        (2026, 2027),
        model.sheet("equipment unit_price lead_time_years", ("rifle", 10, 1)),
        model.sheet("equipment year unit_price", ("rifle", 2027, 15)),
        LineLimits=model.sheet("line year min_amount", ("procurement", 2027, 30)),
    )
    # 30 must be spent on procurement in 2027: 2 orders at the 2027 price of 15, arriving in
    # 2028 (after the horizon): paid, in the pipeline, not in stock. cost = 30
    assert run.outcome.objective == model.approx(30.0)
    row = model.row(run, "Plan_Equipment", equipment="rifle", year=2027)
    assert row["orders"] == model.approx(2.0)
    assert row["stock"] == model.approx(0.0)
    assert run.tables.summary["pipeline_orders"] == model.approx(2.0)


def test_e1_donations_are_free(model):
    run = _equipment_case(
        model,
        (2026,),
        model.sheet("equipment unit_price", ("rifle", 100)),
        model.sheet("equipment year donations_max requirement", ("rifle", 2026, 4, 10)),
    )
    # 4 donated, 6 bought: cost 600
    assert run.outcome.objective == model.approx(600.0)
    row = model.row(run, "Plan_Equipment", equipment="rifle", year=2026)
    assert (row["donations"], row["orders"]) == (model.approx(4.0), model.approx(6.0))


def test_e1_scheduled_deliveries_are_compulsory_and_disposals_free(model):
    run = _equipment_case(
        model,
        (2026,),
        model.sheet("equipment initial_stock unit_price om_cost", ("rifle", 50, 100, 1)),
        model.sheet("equipment year scheduled_deliveries requirement", ("rifle", 2026, 20, 10)),
    )
    # 50 + 20 (delivered whether wanted or not, and free) = 70; only 10 are needed and each
    # kept item costs 1 a year: 60 are disposed of for free. cost = 1·10
    assert run.outcome.objective == model.approx(10.0)
    row = model.row(run, "Plan_Equipment", equipment="rifle", year=2026)
    assert row["deliveries"] == model.approx(20.0)
    assert row["disposals"] == model.approx(60.0)
    assert row["stock"] == model.approx(10.0)


# --- E2 equipment requirement ------------------------------------------------------------


def test_e2_requirement_with_equipment_fill_rate(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, equipment_fill_rate=0.5),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "UnitTypes": model.sheet(
                "unit_type initial_units min_units max_units", ("bn", 2, 2, 2)
            ),
            "Equipping": model.sheet("unit_type equipment quantity", ("bn", "rifle", 10)),
            "Equipment": model.sheet("equipment unit_price", ("rifle", 10)),
            "EquipmentYears": model.sheet("equipment year requirement", ("rifle", 2026, 3)),
        }
    )
    # need = 0.5 · 10 · 2 units + 3 outside units = 13: cost 130
    assert run.outcome.objective == model.approx(130.0)
    row = model.row(run, "Plan_Equipment", equipment="rifle", year=2026)
    assert row["requirement"] == model.approx(13.0)
    assert row["stock"] == model.approx(13.0)


# --- B1 spending and discounting ---------------------------------------------------------


def test_b1_discounting(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027, discount_rate=0.1),
            "Personnel": model.sheet(
                "trade grade initial_strength annual_cost accession_max separation_max",
                ("inf", "E", 100, 10, 0, 0),
            ),
            "Equipment": model.sheet("equipment unit_price budget_line", ("shell", 100, "ammo")),
            "EquipmentYears": model.sheet("equipment year requirement", ("shell", 2027, 10)),
        }
    )
    # pay 1000 a year: 1000 + 1000/1.1; shells bought in 2027 (1000/1.1 < 1000 in 2026)
    expected = 1000 + 1000 / 1.1 + 1000 / 1.1
    assert run.outcome.objective == model.approx(expected)
    budget = model.table(run, "Plan_Budget")
    ammo = budget[budget["line"] == "ammo"].set_index("year")
    assert ammo.loc[2026, "spend"] == model.approx(0.0)
    assert ammo.loc[2027, "spend"] == model.approx(1000.0)
    assert ammo.loc[2027, "discounted_spend"] == model.approx(1000 / 1.1)
    pay = budget[budget["line"] == "personnel"].set_index("year")
    assert pay.loc[2027, "discounted_spend"] == model.approx(1000 / 1.1)


# --- B2 funding --------------------------------------------------------------------------


def _funding_case(model, funding, years=(2026, 2027), need_year=2027):
    # 10 rifles needed in `need_year`, 100 each, upkeep 5 per rifle-year, no lead time
    return model.solve(
        {
            "Settings": model.settings(*years),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "Equipment": model.sheet("equipment unit_price om_cost", ("rifle", 100, 5)),
            "EquipmentYears": model.sheet("equipment year requirement", ("rifle", need_year, 10)),
            "Funding": model.sheet("source year amount lines carryover", *funding),
        }
    )


def test_b2_restricted_lines(model):
    run = _funding_case(
        model,
        [
            ("partner", 2026, 1000, "procurement", False),
            ("national", 2026, 50, "*", False),
            ("national", 2027, 50, "*", False),
        ],
    )
    # the partner pays procurement in 2026 only (no 2027 row: 0 that year), so the rifles
    # are bought in 2026 and kept two years; national pays the upkeep 50 + 50
    # cost = 1000 + 50 + 50 = 1100 (unfunded, buying in 2027 would cost 1050)
    assert run.outcome.objective == model.approx(1100.0)
    alloc = model.table(run, "Plan_Allocation").set_index(["source", "line", "year"])["amount"]
    assert alloc[("partner", "procurement", 2026)] == model.approx(1000.0)
    assert alloc[("national", "sustainment", 2026)] == model.approx(50.0)
    assert alloc[("national", "sustainment", 2027)] == model.approx(50.0)
    assert ("partner", "sustainment", 2026) not in alloc.index


@pytest.mark.parametrize(
    ("partner_lines", "status"), [("procurement", "infeasible"), ("*", "optimal")]
)
def test_b2_restricted_source_cannot_pay_other_lines(model, partner_lines, status):
    run = _funding_case(
        model,
        [
            ("partner", 2026, 1010, partner_lines, False),
            ("national", 2026, 40, "*", False),
            ("national", 2027, 50, "*", False),
        ],
    )
    # 2026 needs 1000 + 50 upkeep = 1050 = 1010 + 40 in all, but national has only 40 for
    # the upkeep: a partner restricted to procurement cannot pay the other 10, one allowed
    # on every line (*) can
    assert run.outcome.status == status
    if status == "optimal":
        assert run.outcome.objective == model.approx(1100.0)


@pytest.mark.parametrize(("carryover", "objective"), [(False, 1100.0), (True, 1050.0)])
def test_b2_carryover(model, carryover, objective):
    run = _funding_case(
        model,
        [("national", 2026, 1050, "*", carryover), ("national", 2027, 50, "*", carryover)],
    )
    # without carry-over the rifles must be bought with 2026 money and kept two years (1100);
    # with it the 2026 money waits and they are bought in 2027 (1000 + 50 upkeep)
    assert run.outcome.objective == model.approx(objective)
    funding = model.table(run, "Plan_Funding").set_index("year")
    if carryover:
        assert funding.loc[2026, "carried_out"] == model.approx(1050.0)
        assert funding.loc[2027, "available"] == model.approx(1100.0)
        assert funding.loc[2027, "spent"] == model.approx(1050.0)
        assert model.value(run, "Plan_Equipment", "orders", year=2027) == model.approx(10.0)
    else:
        assert model.value(run, "Plan_Equipment", "orders", year=2026) == model.approx(10.0)


def test_b2_carryover_starts_at_the_first_row(model):
    run = _funding_case(
        model, [("national", 2027, 1050, "*", True)], years=(2026, 2028), need_year=2028
    )
    # nothing available in 2026; the 2027 money is carried into 2028 (no 2028 row)
    # and buys the rifles there: cost = 1000 + 50
    assert run.outcome.objective == model.approx(1050.0)
    funding = model.table(run, "Plan_Funding").set_index("year")
    assert funding.loc[2026, "available"] == model.approx(0.0)
    assert funding.loc[2027, "carried_out"] == model.approx(1050.0)
    assert funding.loc[2028, "spent"] == model.approx(1050.0)


def test_b2_spending_no_source_may_cover_is_infeasible(model):
    run = _funding_case(model, [("national", 2026, 5000, "*", False)])
    # the rifles can be bought in 2026, but their 2027 upkeep has no money
    assert run.outcome.status == "infeasible"


# --- B3 line limits ----------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "objective"), [(None, 1000.0), (500, 1500.0)])
def test_b3_line_max_and_order_year_price(model, limit, objective):
    sheets = {
        "Settings": model.settings(2026, 2027),
        "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
        "Equipment": model.sheet("equipment unit_price", ("rifle", 100)),
        "EquipmentYears": model.sheet(
            "equipment year unit_price requirement", ("rifle", 2027, 200, 10)
        ),
    }
    if limit is not None:
        sheets["LineLimits"] = model.sheet("line year max_amount", ("procurement", 2026, limit))
    run = model.solve(sheets)
    # orders pay the price of their order year: 100 in 2026, 200 in 2027.
    # unlimited: all 10 in 2026 (1000); procurement 2026 ≤ 500: 5 + 5 → 500 + 1000 = 1500
    assert run.outcome.objective == model.approx(objective)
    spend = model.table(run, "Plan_Budget").set_index(["line", "year"])["spend"]
    assert spend[("procurement", 2026)] == model.approx(limit or 1000.0)


def test_b3_limits_bound_undiscounted_spend(model):
    run = model.solve(
        {
            "Settings": model.settings(2026, 2027, discount_rate=1.0),
            "Personnel": model.sheet("trade grade initial_strength", ("inf", "E", 0)),
            "Equipment": model.sheet("equipment unit_price", ("rifle", 100)),
            "EquipmentYears": model.sheet("equipment year requirement", ("rifle", 2027, 10)),
            "LineLimits": model.sheet("line year max_amount", ("procurement", 2027, 600)),
        }
    )
    # df_2027 = 1/2: buying in 2027 costs 50 per rifle in today's money, but only 600 of
    # (undiscounted) 2027 money may be spent: 6 in 2027, 4 in 2026.
    # cost = 4·100 + 6·100/2 = 700 (a limit on discounted spend would allow all 10: 500)
    assert run.outcome.objective == model.approx(700.0)
    orders = model.table(run, "Plan_Equipment").set_index("year")["orders"]
    assert orders[2026] == model.approx(4.0)
    assert orders[2027] == model.approx(6.0)


# --- results without equipment -----------------------------------------------------------


def test_workbook_without_equipment_solves(tmp_path):
    from wb import write_workbook

    from forceplan.pipeline import SolveRequest, run_solve

    path = write_workbook(
        tmp_path / "no_equipment.xlsx",
        {
            "Settings": [["key", "value"], ["first_year", 2026], ["last_year", 2026]],
            "Personnel": [
                ["trade", "grade", "initial_strength", "annual_cost"],
                ["inf", "E", 10, 1],
            ],
            "EndStrength": [["year", "min_total"], [2026, 10]],
        },
    )
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal"
    assert run.outcome.objective == pytest.approx(10.0, rel=1e-9)
