"""`forceplan sweep`: the --vary grammar, persistent re-solves against fresh solves, local
worker processes (with a worker that dies), a Dask LocalCluster, and the summary outputs."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from wb import minimal_sheets, write_workbook

from forceplan.errors import ExitCode
from forceplan.pipeline import SolveRequest, run_solve
from forceplan.sweep.engine import TEST_DIE_ENV, SweepEngine, SweepOptions, prepare
from forceplan.sweep.output import Checkpoint, read_checkpoint
from forceplan.sweep.runner import SweepJob, run_sweep
from forceplan.sweep.scenarios import (
    Scenario,
    build_scenarios,
    cell_values,
    write_scenario_workbook,
)
from forceplan.sweep.spec import SpecError, parse_spec

REL = 1e-7


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "army.xlsx", minimal_sheets())


def forceplan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "forceplan", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, COLUMNS="200"),
        timeout=300,
    )


# --- the grammar ---------------------------------------------------------------------------


def test_grid_scaling_spec() -> None:
    spec = parse_spec("Funding.amount[source=national]=*0.6:1.4:41")
    assert spec.scale and not spec.sampled
    assert len(spec.grid) == 41
    assert spec.grid[0] == 0.6 and spec.grid[20] == 1.0 and spec.grid[-1] == 1.4
    assert spec.filters == (("source", ("national",)),)


def test_grid_setting_list_and_distributions() -> None:
    assert parse_spec("Settings.accession_max_total=100000:300000:5").grid == (
        100000.0,
        150000.0,
        200000.0,
        250000.0,
        300000.0,
    )
    assert parse_spec("EndStrength.max_total[year=2027..2030]=1,2,inf").grid == (1, 2, math.inf)
    spec = parse_spec("funding.AMOUNT[source=partner|other*, year=2027]=*uniform(0.5,1.5)")
    assert spec.distribution == ("uniform", (0.5, 1.5))
    assert spec.filters == (("source", ("partner", "other*")), ("year", ("2027",)))
    assert parse_spec("Courses.capacity[course=basic]=*normal(1,0.1)").sampled
    assert parse_spec("LineLimits.max_amount=triangular(1,2,3)").distribution == (
        "triangular",
        (1.0, 2.0, 3.0),
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Funding.colour=1", "cannot vary Funding.colour"),
        ("Funding.amount[colour=red]=*1", "cannot be filtered by 'colour'"),
        ("Funding.amount=*0.6:1.4", "start:stop:steps"),
        ("Funding.amount=*lognormal(1,2)", "unknown distribution"),
        ("Funding.amount=*uniform(2,1)", "a ≤ b"),
        ("Funding.amount[year=soon]=*1", "not a year"),
        ("nonsense", "expected SHEET.column"),
    ],
)
def test_bad_specs_name_the_spec(text: str, words: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    assert words in str(caught.value)
    assert repr(text) in str(caught.value)


def test_grids_combine_as_a_product_and_samples_draw_jointly() -> None:
    specs = [
        parse_spec("Settings.accession_max_total=1,2,3"),
        parse_spec("Funding.amount=*uniform(0,1)"),
        parse_spec("EndStrength.min_total=10,20"),
    ]
    scenarios = build_scenarios(specs, samples=4, seed=7)
    assert len(scenarios) == 3 * 2 * 4
    assert [s.id for s in scenarios] == list(range(1, 25))
    assert {(s.values[0], s.values[2]) for s in scenarios} == {
        (a, b) for a in (1, 2, 3) for b in (10, 20)
    }
    draws = [s.values[1] for s in scenarios[:4]]
    assert draws == [s.values[1] for s in scenarios[4:8]]  # the same draws at each grid point
    assert draws == [s.values[1] for s in build_scenarios(specs, samples=4, seed=7)[:4]]
    assert draws != [s.values[1] for s in build_scenarios(specs, samples=4, seed=8)[:4]]
    with pytest.raises(SpecError, match="needs --samples"):
        build_scenarios(specs, samples=None, seed=0)
    with pytest.raises(SpecError, match="--samples needs"):
        build_scenarios(specs[:1], samples=3, seed=0)


def test_specs_must_match_records(book: Path) -> None:
    with pytest.raises(SpecError, match="no Funding record with source=nobody"):
        prepare(book, ["Funding.amount[source=nobody]=*2"], SweepOptions())
    prep = prepare(book, ["Funding.amount[source=nat*,year=2027..2028]=*2"], SweepOptions())
    assert [c.key for c in prep.matched[0]] == [("national", 2027), ("national", 2028)]


# --- persistent re-solve == fresh solve --------------------------------------------------------

SPECS = [
    "EndStrength.min_total[year=2028]=1500,1700",
    "Settings.accession_max_total=150,250",  # not on the Settings sheet: rows are added
    "Funding.amount[source=partner]=*0.5,1.5",  # a carry-over source
    "Funding.amount[source=national,year=2027]=*0.9",
    "Personnel.accession_max[trade=infantry,grade=enlisted]=*0.8",  # 2027 keeps its override
    "LineLimits.max_amount[line=personnel]=*1.2",
]


def test_persistent_resolve_equals_fresh_solve(book: Path, tmp_path: Path) -> None:
    engine = SweepEngine(book, SPECS, SweepOptions())
    scenarios = build_scenarios(engine.specs, None, 0)
    assert len(scenarios) == 8
    checked = 0
    for scenario in (scenarios[6], scenarios[0], scenarios[2], scenarios[7]):  # not in order
        row = engine.evaluate(scenario)
        values = cell_values(engine.specs, engine.prep.matched, scenario)
        write_scenario_workbook(book, tmp_path / f"s{scenario.id}.xlsx", values)
        request = SolveRequest(tmp_path / f"s{scenario.id}.xlsx", write=False, diagnose=False)
        fresh = run_solve(request)
        assert row["status"] == fresh.outcome.status
        if fresh.outcome.status != "optimal":
            continue
        assert row["objective"] == pytest.approx(fresh.outcome.objective, rel=REL)
        strength = fresh.tables.summary["strength"]
        for year, value in strength.items():
            assert row["strength"][year] == pytest.approx(value, rel=REL, abs=1e-6)
        checked += 1
    assert checked == 3
    # scenarios are absolute: the first one again gives the same answer
    first = engine.evaluate(scenarios[6])["objective"]
    engine.evaluate(scenarios[2])
    assert engine.evaluate(scenarios[6])["objective"] == pytest.approx(first, rel=REL)


def test_rows_the_base_model_lacks_are_added(tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["EndStrength"][2] = [2027, None, None]  # no P7 row for 2027 in the base model
    book = write_workbook(tmp_path / "army.xlsx", sheets)
    specs = ["EndStrength.min_total[year=2027]=1550", "EndStrength.max_total[year=2027]=1560"]
    engine = SweepEngine(book, specs, SweepOptions())
    [scenario] = build_scenarios(engine.specs, None, 0)
    row = engine.evaluate(scenario)
    values = cell_values(engine.specs, engine.prep.matched, scenario)
    write_scenario_workbook(book, tmp_path / "set.xlsx", values)
    fresh = run_solve(SolveRequest(tmp_path / "set.xlsx", write=False))
    assert row["status"] == fresh.outcome.status == "optimal"
    assert row["objective"] == pytest.approx(fresh.outcome.objective, rel=REL)
    assert 1550 - 1e-6 <= row["strength"][2027] <= 1560 + 1e-6
    assert row["objective"] > engine.base["objective"]


def test_infeasible_and_invalid_scenarios_are_rows(book: Path) -> None:
    engine = SweepEngine(
        book,
        ["Settings.accession_max_total=0,300", "EndStrength.min_total[year=2026]=1300,2000"],
        SweepOptions(),
    )
    rows = [engine.evaluate(s) for s in build_scenarios(engine.specs, None, 0)]
    statuses = [r["status"] for r in rows]
    assert statuses == ["infeasible", "invalid_input", "optimal", "invalid_input"]
    assert "min_total 2000 is above max_total 1600" in rows[1]["message"]
    assert rows[2]["objective"] == pytest.approx(engine.base["objective"], rel=REL)
    assert rows[2]["binding"]  # the most binding limits, labelled
    # after an infeasible scenario the next feasible one still solves
    assert engine.evaluate(Scenario(9, (300.0, 1300.0)))["status"] == "optimal"


def test_elastic_shortfalls(book: Path, tmp_path: Path) -> None:
    engine = SweepEngine(book, ["Settings.accession_max_total=300,0"], SweepOptions(elastic=True))
    low, high = (engine.evaluate(s) for s in build_scenarios(engine.specs, None, 0))
    assert low["shortfall_total"] == pytest.approx(0.0, abs=1e-6)
    assert high["status"] == "optimal"
    assert high["shortfall_total"] > 0
    assert high["objective"] > low["objective"]
    values = cell_values(engine.specs, engine.prep.matched, Scenario(2, (0.0,)))
    write_scenario_workbook(book, tmp_path / "zero.xlsx", values)
    fresh = run_solve(SolveRequest(tmp_path / "zero.xlsx", write=False, elastic=True))
    assert high["objective"] == pytest.approx(fresh.outcome.objective, rel=REL)
    shortfalls = fresh.tables["Plan_Shortfalls"]
    assert high["shortfall_total"] == pytest.approx(shortfalls["amount"].sum(), rel=1e-6)
    for kind, amount in shortfalls.groupby("kind")["amount"].sum().items():
        assert high["shortfalls"][kind] == pytest.approx(amount, rel=1e-6)


# --- runners ------------------------------------------------------------------------------------


def _job(book: Path, workers: int, scheduler: object = None) -> SweepJob:
    specs = ["Settings.accession_max_total=100:400:7"]
    prep = prepare(book, specs, SweepOptions())
    scenarios = build_scenarios(prep.specs, None, 0)
    return SweepJob(book, specs, SweepOptions(), scenarios, workers, scheduler)


def _objectives(rows: list[dict]) -> list[float | None]:
    return [r["objective"] for r in rows]


def test_local_workers_match_in_process(book: Path) -> None:
    inline = run_sweep(_job(book, 1))
    local = run_sweep(_job(book, 2))
    assert [r["scenario"] for r in local.rows] == list(range(1, 8))
    assert [r["status"] for r in local.rows] == [r["status"] for r in inline.rows]
    for a, b in zip(_objectives(local.rows), _objectives(inline.rows), strict=True):
        assert (a is None and b is None) or a == pytest.approx(b, rel=REL)
    assert all(r["worker"] for r in local.rows)  # solved in worker processes
    assert local.base["status"] == "optimal"


def test_a_dying_worker_loses_no_finished_row(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TEST_DIE_ENV, "3")  # test-only hook: os._exit before scenario 3
    checkpoint = Checkpoint(tmp_path / "sweep.xlsx.partial.jsonl", {"test": True})
    result = run_sweep(_job(book, 2), on_row=checkpoint.add)
    checkpoint.close(remove=False)
    statuses = {r["scenario"]: r["status"] for r in result.rows}
    assert sorted(statuses) == list(range(1, 8))
    assert statuses[3] == "worker_died"
    assert all(s in ("optimal", "infeasible") for i, s in statuses.items() if i != 3)
    # it was retried once and killed that worker too ("worker_died" needs two deaths); the
    # retry may go to the surviving worker rather than the replacement, so >= 1 restart
    assert result.restarts >= 1
    saved = read_checkpoint(checkpoint.path)
    assert sorted(r["scenario"] for r in saved) == list(range(1, 8))


def test_dask_local_cluster(book: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        result = run_sweep(_job(book, 1, scheduler=cluster.scheduler_address))
    inline = run_sweep(_job(book, 1))
    assert [r["scenario"] for r in result.rows] == list(range(1, 8))
    assert [r["status"] for r in result.rows] == [r["status"] for r in inline.rows]
    for a, b in zip(_objectives(result.rows), _objectives(inline.rows), strict=True):
        assert (a is None and b is None) or a == pytest.approx(b, rel=REL)
    assert result.base["status"] == "optimal"


# --- command line and outputs -------------------------------------------------------------------


def test_cli_sweep_writes_summary_and_json(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep.xlsx"
    result = forceplan(
        "sweep",
        str(book),
        "--vary",
        "Funding.amount[source=national]=*0.2:1:5",
        "--vary",
        "EndStrength.min_total[year=2028]=*uniform(0.9,1.1)",
        "--samples",
        "2",
        "--seed",
        "3",
        "--workers",
        "1",
        "-o",
        str(out),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["scenarios"] == 10 and len(payload["rows"]) == 10
    assert payload["status_counts"].get("optimal", 0) >= 6
    assert "scenarios" in payload["timings"]
    assert set(payload["rows"][0]["inputs"]) == {
        "Funding.amount[source=national] ×",
        "EndStrength.min_total[year=2028] ×",
    }
    assert not (tmp_path / "sweep.xlsx.partial.jsonl").exists()  # removed once written
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Sweep", "Sweep_Chart", "Sweep_Inputs", "Sweep_Specs"]
    ws = wb["Sweep"]
    header = [c.value for c in ws[1]]
    assert header[:8] == [
        "scenario",
        "Funding.amount[source=national] ×",
        "EndStrength.min_total[year=2028] ×",
        "status",
        "objective",
        "cost",
        "end_strength",
        "shortfall_total",
    ]
    assert ws.max_row == 11
    assert len(wb["Sweep_Chart"]._charts) == 1
    keys = [r[0] for r in wb["Sweep_Inputs"].iter_rows(min_row=2, values_only=True)]
    assert "base objective" in keys


def test_cli_sweep_bad_spec_exits_2(book: Path, tmp_path: Path) -> None:
    result = forceplan(
        "sweep",
        str(book),
        "--vary",
        "Funding.amount[colour=red]=*2",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert result.returncode == ExitCode.INPUT
    assert "Funding.amount[colour=red]=*2" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_dask_worker_death_marks_only_its_scenario(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    import dask

    monkeypatch.setenv(TEST_DIE_ENV, "5")  # inherited by the cluster's worker processes
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        result = run_sweep(_job(book, 1, scheduler=cluster.scheduler_address))
    statuses = {r["scenario"]: r["status"] for r in result.rows}
    assert sorted(statuses) == list(range(1, 8))
    assert statuses[5] == "worker_died"
    assert all(s in ("optimal", "infeasible") for i, s in statuses.items() if i != 5)


def test_a_minimum_above_its_maximum_is_an_invalid_row(book: Path) -> None:
    spec = "Personnel.accession_min[trade=infantry,grade=officer]=10,30"  # accession_max is 20
    engine = SweepEngine(book, [spec], SweepOptions())
    ok, bad = (engine.evaluate(s) for s in build_scenarios(engine.specs, None, 0))
    assert ok["status"] == "optimal"
    assert bad["status"] == "invalid_input"
    assert "acc_min infantry/officer" in bad["message"]


@pytest.mark.parametrize("elastic", [False, True])
def test_max_capability_sweep_equals_fresh_two_stage_solves(
    book: Path, tmp_path: Path, elastic: bool
) -> None:
    # budgets from starved to generous: capability, then cost at that capability, per scenario
    options = SweepOptions(objective="max_capability", elastic=elastic)
    engine = SweepEngine(book, ["Funding.amount=*0.2,0.6,1,1.5,3"], options)
    assert engine.base["objective"] is not None
    scenarios = build_scenarios(engine.specs, None, 0)
    solved = 0
    for scenario in (scenarios[2], scenarios[0], scenarios[4], scenarios[1], scenarios[3]):
        row = engine.evaluate(scenario)
        values = cell_values(engine.specs, engine.prep.matched, scenario)
        path = write_scenario_workbook(book, tmp_path / f"s{scenario.id}.xlsx", values)
        fresh = run_solve(
            SolveRequest(
                tmp_path / f"s{scenario.id}.xlsx",
                write=False,
                diagnose=False,
                objective="max_capability",
                elastic=elastic,
            )
        )
        assert row["status"] == fresh.outcome.status, (path, row["message"])
        if fresh.outcome.status != "optimal":
            continue
        assert " then " in row["strategy"]  # both stages ran
        assert row["objective"] == pytest.approx(fresh.outcome.objective, rel=REL, abs=1e-6)
        summary = fresh.tables.summary
        assert row["cost"] == pytest.approx(summary["cost"], rel=1e-6)
        for year, value in summary["strength"].items():
            assert row["strength"][year] == pytest.approx(value, rel=1e-6, abs=1e-6)
        solved += 1
    assert solved >= 3
