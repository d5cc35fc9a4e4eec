"""Tiny, hand-solved workbooks for service limits (P10 cohorts, MODEL.md §8.2) and courses
that take years (C2, §8.3). Each optimum is derived in the comments; the tests pin it, the
decisions that matter, Plan_Cohorts, the new Plan_Constraints rows with their source cells
and a shadow price by hand and by a finite difference. Conventions as in
test_model_careers.py.
"""

from __future__ import annotations

from test_model_careers import audited, check_price


def mobilised(model, k: int, last: int = 2028, extra: str = "", *values):
    """mob/E: 100 at the base state, no attrition, pay 10, recruit 5, separate 1, service
    limit k years; 100 posts every year 2026..last."""
    years = range(2026, last + 1)
    return {
        "Settings": model.settings(2026, last),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_cost separation_cost "
            "max_service_years " + extra,
            ("mob", "E", 100, 10, 5, 1, k, *values),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement", *(("mob", "E", y, 100) for y in years)
        ),
    }


def test_k1_everyone_leaves_after_one_year(model):
    run = model.solve(mobilised(model, 1, last=2027))
    assert run.outcome.status == "optimal"
    # K = 1: the base stock is the leaving cohort and goes in 2026 (100 separations at 1);
    # 100 recruits (at 5) fill the posts and go in 2027, replaced by 100 more. Pay 10·100
    # each year. Per year 100 + 500 + 1000 = 1600; total 3200 (without the limit: 2000).
    assert run.outcome.objective == model.approx(3200.0)
    for y in (2026, 2027):
        assert model.value(run, "Plan_Personnel", "separations", year=y) == model.approx(100)
        assert model.value(run, "Plan_Cohorts", "leaving", year=y) == model.approx(100)
    audited(model, run)


def test_k2_even_split_and_price_of_the_exit_row(model):
    run = model.solve(mobilised(model, 2))
    assert run.outcome.status == "optimal"
    # K = 2, base stock split 50/50. 2026: cohort 1 (50) leaves, cohort 0 (50) ages to 1,
    # 50 recruits. 2027: those 50 leave, the 2026 recruits age, 50 recruits. 2028 likewise.
    # 150 separations (150), 150 recruits (750), pay 3·1000: 3900.
    assert run.outcome.objective == model.approx(3900.0)
    cohorts = model.table(run, "Plan_Cohorts")
    assert list(cohorts.columns[:6]) == [
        "trade",
        "grade",
        "years_served",
        "year",
        "strength",
        "leaving",
    ]
    assert model.value(run, "Plan_Cohorts", "strength", years_served=1, year=2026) == (
        model.approx(50)
    )
    # The exit row's limit 50 + 1: one more person must leave in 2026 than the cohorts
    # release, while his place stays in the cohort records (the row books a departure, not
    # a cohort): one more separation (1) and recruit (5) in 2026 keep the 100 posts; the
    # recruit's cohort then holds 51 and reaches the limit in 2028, one more separation and
    # recruit again (6). Price 12.
    i = run.built.class_ids[("mob", "E")]
    check_price(
        model,
        run,
        "P10",
        "leaving cohort goes",
        "mob/E 2026",
        run.built.model.P10_exit,
        (i, 2026),
        12.0,
    )
    row = model.constraint(run, "P10", "leaving cohort goes", "mob/E 2026")
    assert "Personnel!G2" in row["source_cells"]  # max_service_years
    audited(model, run)


def test_k2_personnel_cohorts_split(model):
    sheets = mobilised(model, 2)
    sheets["PersonnelCohorts"] = model.sheet(
        "trade grade years_served strength", ("mob", "E", 0, 100), ("mob", "E", 1, 0)
    )
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # All 100 joined last year: nobody leaves in 2026; they leave in 2027 (100 separations)
    # and 100 recruits replace them, who serve 2027 and 2028. Separations 100, recruits
    # 500, pay 3000: 3600.
    assert run.outcome.objective == model.approx(3600.0)
    assert model.value(run, "Plan_Personnel", "separations", year=2026) == model.approx(0)
    assert model.value(run, "Plan_Personnel", "separations", year=2027) == model.approx(100)
    row = model.constraint(run, "P10", "leaving cohort goes", "mob/E 2027")
    assert "PersonnelCohorts!D2" in row["source_cells"]
    audited(model, run)


def test_reenlistment_move_is_the_way_out(model):
    sheets = mobilised(model, 1, last=2027)
    # A contract class without a limit; re-enlisting (mob → con) costs 2; contract pay 10.
    sheets["Personnel"].append(["con", "E", 0, 10, 5, 1, None])
    sheets["Transitions"] = model.sheet(
        "from_trade from_grade to_trade to_grade cost", ("mob", "E", "con", "E", 2)
    )
    sheets["PersonnelYears"] = model.sheet(
        "trade grade year requirement", ("con", "E", 2026, 100), ("con", "E", 2027, 100)
    )
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # The 100 mobilised must leave mob in 2026: re-enlisting them (2 each) fills the 100
    # contract posts (200) instead of separating (1) and recruiting (5). Pay 1000 a year:
    # 200 + 2000 = 2200. The contract class has no limit, so nothing more happens in 2027.
    assert run.outcome.objective == model.approx(2200.0)
    assert model.value(run, "Plan_Transitions", "moved", year=2026) == model.approx(100)
    audited(model, run)


def test_share_limits_younger_cohorts_not_the_leaving_one(model):
    # K = 2, base stock 100 in cohort 1 (leaving) and 100 in cohort 0; move_eligible_share
    # 0.1. mob has no posts; con needs 150 in 2026 (and nothing after). Moves cost 0,
    # contract recruits 50, pay 10 everywhere, mob separation 1.
    sheets = {
        "Settings": model.settings(2026, 2026),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_cost separation_cost "
            "max_service_years move_eligible_share",
            ("mob", "E", 200, 10, 5, 1, 2, 0.1),
            ("con", "E", 0, 10, 50, 0, None, 1),
        ),
        "PersonnelCohorts": model.sheet(
            "trade grade years_served strength", ("mob", "E", 0, 100), ("mob", "E", 1, 100)
        ),
        "PersonnelYears": model.sheet("trade grade year requirement", ("con", "E", 2026, 150)),
        "Transitions": model.sheet(
            "from_trade from_grade to_trade to_grade", ("mob", "E", "con", "E")
        ),
    }
    run = model.solve(sheets)
    assert run.outcome.status == "optimal"
    # The leaving cohort (100) may all move (exempt from the share); of cohort 0 only 10 %
    # (10) may. 110 move, 40 contract recruits at 50 (2000). mob keeps 90 (cohort 0 less
    # the movers) at pay 900 (no separations: they have not reached the limit and cost 1
    # with no gain... separating them saves 10 pay for 1: all 90 are separated: 90).
    # con: 150 × 10 = 1500. Total 2000 + 90 + 1500 = 3590.
    assert run.outcome.objective == model.approx(3590.0)
    assert model.value(run, "Plan_Transitions", "moved", year=2026) == model.approx(110)
    audited(model, run)


def test_p9_class_row_replaced_by_cohort_rows(model):
    run = model.solve(mobilised(model, 3))
    rows = model.table(run, "Plan_Constraints")
    p9 = rows[rows["id"] == "P9"]
    assert set(p9["kind"]) == {"cohort ≤ its survivors"}
    assert "mob/E k=1 2026" in set(p9["index"])


# --- C2: courses that take years ---------------------------------------------------------


def long_course(model, capacity_2026=None):
    """trn/E: 100 at the base state, no attrition, pay 10, no recruiting cost; recruits take
    `long` (1.5 years, 3 per trainee; instructors from ins/E, 10 trainees each). 100 posts in
    2026 and 2027, 150 in 2028. ins/E: 10 heads, free, no posts but instructors."""
    sheets = {
        "Settings": model.settings(2026, 2028),
        "Personnel": model.sheet(
            "trade grade initial_strength annual_cost accession_courses separation_max",
            ("trn", "E", 100, 10, "long", 0),
            ("ins", "E", 10, 0, "", 0),
        ),
        "PersonnelYears": model.sheet(
            "trade grade year requirement",
            ("trn", "E", 2026, 100),
            ("trn", "E", 2027, 100),
            ("trn", "E", 2028, 150),
        ),
        "Courses": model.sheet(
            "course duration_years cost_per_trainee instructor_trade instructor_grade "
            "trainees_per_instructor",
            ("long", 1.5, 3, "ins", "E", 10),
        ),
    }
    if capacity_2026 is not None:
        sheets["CourseYears"] = model.sheet("course year capacity", ("long", 2026, capacity_2026))
    return sheets


def test_long_course_spreads_the_load(model):
    run = model.solve(long_course(model))
    assert run.outcome.status == "optimal"
    # A recruit of year y is away all of y and half of y + 1. 2028 needs 50 more on duty:
    # a recruit of 2026 gives 1 in 2028 for pay 30 + course 3 = 33; one of 2027 gives 0.5
    # for 20 + 3 (46 per head on duty). So 50 recruits in 2026: 4650 including the base
    # pay 3·1000. (In v1 a 2027 recruit on a course ≤ 1 year would be on duty in 2028.)
    assert run.outcome.objective == model.approx(4650.0)
    assert model.value(run, "Plan_Personnel", "accessions", trade="trn", year=2026) == (
        model.approx(50)
    )
    load = model.value(run, "Plan_Personnel", "training_load", trade="trn", year=2027)
    assert load == model.approx(25)
    # instructor posts follow the load: 50/10 in 2026, 0.5·50/10 in 2027
    for y, posts in ((2026, 5.0), (2027, 2.5), (2028, 0.0)):
        req = model.value(run, "Plan_Personnel", "requirement", trade="ins", year=y)
        assert req == model.approx(posts)
    audited(model, run)


def test_long_course_seats_count_every_year_on_the_course(model):
    run = model.solve(long_course(model, capacity_2026=40))
    assert run.outcome.status == "optimal"
    # 2026 seats 40: a = 40 recruits in 2026, then b = 20 in 2027 (0.5·20 = 10 on duty in
    # 2028). 2027 holds 40 + 20 = 60 trainees (capacity unlimited that year). Cost
    # 40·33 + 20·23 + 3000 = 4780. One more 2026 seat: a + 1, b − 2: 33 − 46 = −13.
    assert run.outcome.objective == model.approx(4780.0)
    check_price(
        model,
        run,
        "C1",
        "capacity",
        "long 2026",
        run.built.model.C1_capacity,
        ("long", 2026),
        -13.0,
    )
    audited(model, run)


def test_long_course_capacity_counts_both_years(model):
    sheets = long_course(model)
    sheets["Courses"][0].append("capacity")
    sheets["Courses"][1].append(55)
    run = model.solve(sheets)
    # Seats 55 a year: 2027 holds the 2026 entrants and the 2027 entrants. a = 50 fits.
    assert run.outcome.objective == model.approx(4650.0)
    sheets["Courses"][1][-1] = 45  # a ≤ 45 then b = 2(50 − a) ≥ 10 but a + b ≤ 45: none
    run = model.solve(sheets)
    assert run.outcome.status == "infeasible"


def test_plan_workbook_report_and_audit_show_the_cohorts(model, tmp_path):
    """The written plan has Plan_Cohorts with the contract's columns, `forceplan audit`
    re-derives P10 from it, and the report draws the cohort chart."""
    from forceplan.audit import audit_workbook
    from forceplan.pipeline import SolveRequest, run_solve
    from forceplan.plan_reader import read_plan
    from forceplan.report import write_report

    book = model.write(mobilised(model, 2))
    out = tmp_path / "mob.plan.xlsx"
    run = run_solve(SolveRequest(book, output=out))
    assert run.outcome.status == "optimal"
    tables = read_plan(out).tables
    cohorts = tables["Plan_Cohorts"]
    assert list(cohorts.columns) == [
        "trade",
        "grade",
        "years_served",
        "year",
        "strength",
        "leaving",
    ]
    assert len(cohorts) == 2 * 3
    audit = audit_workbook(out)
    assert audit.ok
    assert audit.report["P10"].rows_checked == 9  # 3 years × (sum, enter, exit)
    import openpyxl

    ws = openpyxl.load_workbook(out)["Plan_Cohorts"]
    assert ws.freeze_panes == "A2"
    assert ws["C1"].comment is not None and "years of service" in ws["C1"].comment.text
    assert ws["D2"].number_format == "0" and ws["E2"].number_format == "#,##0"
    html = write_report(out).html.read_text(encoding="utf-8")
    assert "Service-limited classes by years served" in html
    assert "mob/E" in html


def test_generate_with_cohorts_is_feasible_and_audited(tmp_path):
    """`forceplan generate --cohorts K` (bench sizes with P10) gives a feasible workbook."""
    from forceplan.generate import Size, generate_workbook
    from forceplan.pipeline import SolveRequest, run_solve

    path = tmp_path / "g.xlsx"
    generate_workbook(path, Size(4, 3, 4, 3, 4, cohorts=2))
    run = run_solve(SolveRequest(path, write=False, diagnose=False))
    assert run.outcome.status == "optimal"
    limited = [p for p, c in run.data.classes.items() if c.max_service == 2]
    assert len(limited) == 8  # G0 and G1 of 4 trades
    audited(None, run)


def test_audit_catches_a_wrong_cohort_table(model):
    """The audit re-derives P10 from Plan_Cohorts: a cohort moved between years served, a
    wrong `leaving` and a missing row each fail."""
    from forceplan.audit import audit_plan

    run = model.solve(mobilised(model, 2))

    def audit(tables):
        return audit_plan(run.inputs, tables, run.outcome.objective, run.data.objective, False)

    good = run.tables.tables
    assert audit(good).ok
    moved = dict(good)
    frame = good["Plan_Cohorts"].copy()
    first = frame.index[(frame["years_served"] == 0) & (frame["year"] == 2027)][0]
    second = frame.index[(frame["years_served"] == 1) & (frame["year"] == 2027)][0]
    frame.loc[first, "strength"] += 10
    frame.loc[second, "strength"] -= 10  # same class total: only the cohort rows see it
    moved["Plan_Cohorts"] = frame
    report = audit(moved)
    assert not report.ok and report["P10"].failed > 0
    wrong = dict(good)
    frame = good["Plan_Cohorts"].copy()
    frame.loc[frame.index[0], "leaving"] = 5.0
    wrong["Plan_Cohorts"] = frame
    assert audit(wrong)["D:Plan_Cohorts"].failed > 0
    missing = dict(good)
    missing["Plan_Cohorts"] = good["Plan_Cohorts"].iloc[1:]
    assert audit(missing)["ROWS"].failed > 0
    gone = {k: v for k, v in good.items() if k != "Plan_Cohorts"}
    assert audit(gone)["ROWS"].failed > 0


def test_audit_catches_a_training_load_of_one_year(model):
    """C2: a plan that counts a 1.5-year course's load in the year of entry only fails."""
    from forceplan.audit import audit_plan

    run = model.solve(long_course(model))
    tables = dict(run.tables.tables)
    pp = tables["Plan_Personnel"].copy()
    row = pp.index[(pp["trade"] == "trn") & (pp["year"] == 2027)][0]
    pp.loc[row, "training_load"] = 0.0  # v1 reading: nobody on the course in 2027
    tables["Plan_Personnel"] = pp
    report = audit_plan(run.inputs, tables, run.outcome.objective, run.data.objective, False)
    assert not report.ok
    assert report["D:Plan_Personnel"].failed > 0
