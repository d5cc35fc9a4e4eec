"""Property tests of service limits and courses that take years (MODEL.md §8.2, §8.3) on
random workbooks.

`randomwb` with `cohorts=True` gives one or two classes a `max_service_years` (with a
random PersonnelCohorts split for some) and puts a course of 1.2-2.5 years on an arc,
around its feasible reference plan. Each workbook must solve to an optimum the independent
audit accepts (P10 and P9 per cohort re-derived from Plan_Cohorts), and every binding,
priced row — the new ones among them — must pass issue 12's finite-difference check
(tests/fdcheck.py, MODEL.md §8.8).
"""

from __future__ import annotations

import pytest
from fdcheck import check_prices
from randomwb import CAREERS, random_workbook

from forceplan.audit import audit_plan
from forceplan.pipeline import SolveRequest, run_solve

NEW_KINDS = {
    ("P10", "cohort 0 = arrivals"),
    ("P10", "leaving cohort goes"),
    ("P9", "cohort ≤ its survivors"),
    ("P9", "cohort moves ≤ eligible"),
    ("P9", "cohort moves ≤ its leavers"),
    ("P9", "moves ≤ eligible + leaving cohort"),
}


def solve(path):
    run = run_solve(SolveRequest(path, write=False, diagnose=False))
    assert run.outcome.status == "optimal", run.outcome.message
    return run


def audited(run) -> None:
    report = audit_plan(
        run.inputs, run.tables.tables, run.outcome.objective, run.data.objective, False
    )
    assert report.ok, report.text()
    assert report["P10"].rows_checked > 0
    assert report["D:Plan_Cohorts"].rows_checked > 0


@pytest.mark.parametrize("seed", range(6))
def test_cohort_workbooks_solve_and_pass_the_audit(tmp_path, seed: int) -> None:
    run = solve(random_workbook(tmp_path / "c.xlsx", seed, 3, 2, 4, cohorts=True))
    audited(run)
    assert "Plan_Cohorts" in run.tables.tables
    assert "long" in run.data.courses and run.data.courses["long"].duration > 1


@pytest.mark.parametrize("seed", range(3))
def test_cohorts_with_careers_and_money(tmp_path, seed: int) -> None:
    path = random_workbook(
        tmp_path / "c.xlsx", seed, 3, 2, 3, careers=CAREERS, money=True, cohorts=True
    )
    audited(solve(path))


@pytest.mark.parametrize("seed", range(6))
def test_cohort_prices_pass_the_finite_difference_check(tmp_path, seed: int) -> None:
    run = solve(random_workbook(tmp_path / "c.xlsx", seed, 3, 2, 4, cohorts=True))
    result = check_prices(run)
    assert not result.failures, "\n".join(result.failures[:20])
    frame = run.tables["Plan_Constraints"]
    priced = frame[
        frame["binding"]
        & (frame["shadow_price"].abs() > 1e-9)
        & ~frame["price_note"].str.contains("holds for no change", regex=False)
    ]
    assert set(zip(priced["id"], priced["kind"], strict=True)) <= result.families


def test_the_new_rows_are_priced_somewhere(tmp_path) -> None:
    """Across seeds the finite-difference check covers the P10 rows and the C2 seats."""
    hit: set[tuple[str, str]] = set()
    for seed in range(6):
        run = solve(random_workbook(tmp_path / f"c{seed}.xlsx", seed, 3, 2, 4, cohorts=True))
        hit |= check_prices(run).families
    assert ("P10", "leaving cohort goes") in hit, hit
    assert hit & NEW_KINDS - {("P10", "leaving cohort goes")}, hit
