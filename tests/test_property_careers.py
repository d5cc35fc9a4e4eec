"""Property tests of the careers rows (MODEL.md §8.1, §8.4, §8.5) on random workbooks.

`randomwb` with `careers=...` adds move_eligible_share, limited-duty minimums, accession
steps, a reserve class with its bands and terminal = steady around its feasible reference
plan. Each workbook must solve to an optimum that the independent audit accepts, with rows
checked in P9, P11, P12 and E3; and the price of every binding careers row must be a
subgradient of the optimal cost in that row's limit (MODEL.md §8.8): moving the limit up by a
small step raises the cost by at least price × step, moving it down lowers it by at most
that (equality when the row is not degenerate).
"""

from __future__ import annotations

import math

import pytest
from fdcheck import check_prices
from randomwb import CAREERS, random_workbook

from forceplan.audit import audit_plan
from forceplan.model.persistent import PersistentLP
from forceplan.pipeline import SolveRequest, run_solve

SEEDS = range(8)
NEW_ROWS = {  # Pyomo component -> (id, kind) of its Plan_Constraints rows
    "P9_time_in_grade": ("P9", "leavers ≤ start-of-year stock"),
    "P9_moves": ("P9", "moves ≤ eligible stock"),
    "P6_share": ("P6", "limited-duty share"),
    "P11_rise": ("P11", "rise cap"),
    "P11_fall": ("P11", "fall cap"),
    "P11_total_rise": ("P11", "total rise cap"),
    "P11_total_fall": ("P11", "total fall cap"),
    "P12_steady": ("P12", "steady last year"),
    "E3_steady": ("E3", "renewal ≥ wear-out"),
    "P7_min_component": ("P7", "minimum"),
    "P7_max_component": ("P7", "maximum"),
}
STEP = 1e-3


def solve(path):
    run = run_solve(SolveRequest(path, write=False))
    assert run.outcome.status == "optimal", run.outcome.message
    return run


@pytest.mark.parametrize("seed", SEEDS)
def test_careers_workbooks_solve_and_pass_the_audit(tmp_path, seed: int) -> None:
    path = random_workbook(tmp_path / "c.xlsx", seed, 3, 2, 3, careers=CAREERS)
    run = solve(path)
    report = audit_plan(
        run.inputs, run.tables.tables, run.outcome.objective, run.data.objective, False
    )
    assert report.ok, report.text()
    for fid in ("P9", "P11", "P12", "E3"):
        assert report[fid].rows_checked > 0, fid
    kinds = set(
        zip(
            run.tables["Plan_Constraints"]["id"],
            run.tables["Plan_Constraints"]["kind"],
            strict=False,
        )
    )
    assert ("P9", "moves ≤ eligible stock") in kinds
    assert ("P6", "limited-duty share") in kinds
    assert ("P12", "steady last year") in kinds


def _slope(lp: PersistentLP, r: int, step: float, base: float) -> float:
    lower, upper = lp.row_bounds(r)
    new_lower = lower + step if math.isfinite(lower) else lower
    new_upper = (
        upper + step
        if math.isfinite(upper) and (lower == upper or not math.isfinite(lower))
        else upper
    )
    if math.isfinite(lower) and math.isfinite(upper) and lower != upper:
        raise AssertionError("ranged careers rows do not exist")
    lp.set_row_bounds([r], [new_lower], [new_upper])
    moved = lp.run(strategy="cold")
    lp.set_row_bounds([r], [lower], [upper])
    assert moved.status == "optimal"
    return (moved.objective - base) / step


@pytest.mark.parametrize("seed", SEEDS)
def test_prices_of_binding_careers_rows_are_subgradients(tmp_path, seed: int) -> None:
    path = random_workbook(tmp_path / "c.xlsx", seed, 3, 2, 3, careers=CAREERS)
    run = solve(path)
    built, k = run.built, run.data.money_scale
    table = run.tables["Plan_Constraints"].set_index(["id", "kind", "index"])
    lp = PersistentLP(run.outcome)
    base = lp.run(strategy="cold").objective
    checked = 0
    for name, (fid, kind) in NEW_ROWS.items():
        component = getattr(built.model, name, None)
        if component is None:
            continue
        family = next(f for f in built.families if f.component is component)
        for index, con in component.items():
            label, _cells = family.describe(index)
            row = table.loc[(fid, kind, label)]
            if not row["binding"]:
                continue
            r = lp.row(con)
            price = float(row["shadow_price"])
            up = _slope(lp, r, STEP, base) * k
            down = _slope(lp, r, -STEP, base) * k
            tol = 1e-6 * max(1.0, abs(price), abs(up), abs(down)) + 1e-9 * abs(base * k) / STEP
            assert down - tol <= price <= up + tol, (name, label, down, price, up)
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_careers_prices_pass_the_finite_difference_check(tmp_path, seed: int) -> None:
    """MODEL.md §8.8 with issue 12's check (tests/fdcheck.py, generic over the registered
    families): every binding, priced row — the careers rows among them — moved by its step
    inside [valid_from, valid_to] changes the objective by price × step."""
    path = random_workbook(tmp_path / "c.xlsx", seed, 3, 2, 3, careers=CAREERS)
    run = run_solve(SolveRequest(path, write=False, diagnose=False))
    assert run.outcome.status == "optimal"
    result = check_prices(run)
    assert not result.failures, "\n".join(result.failures[:20])
    frame = run.tables["Plan_Constraints"]
    priced = frame[
        frame["binding"]
        & (frame["shadow_price"].abs() > 1e-9)
        & ~frame["price_note"].str.contains("holds for no change", regex=False)
    ]
    assert set(zip(priced["id"], priced["kind"], strict=True)) <= result.families
    careers = {(fid, kind) for fid, kind in NEW_ROWS.values()}
    assert result.families & careers, result.families


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_careers_with_money_by_year(tmp_path, seed: int) -> None:
    """The careers columns beside the §8.6-8.7 money inputs (per-year attrition among them):
    still optimal, still audited clean."""
    path = random_workbook(tmp_path / "m.xlsx", seed, 3, 2, 3, careers=CAREERS, money=True)
    run = solve(path)
    report = audit_plan(
        run.inputs, run.tables.tables, run.outcome.objective, run.data.objective, False
    )
    assert report.ok, report.text()
    assert report["P12"].rows_checked > 0
