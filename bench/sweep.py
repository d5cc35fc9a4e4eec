"""Benchmark: a 1,000-scenario budget sweep, persistent re-solve against rebuilding.

    .venv/bin/python bench/sweep.py                   # 1000 scenarios, 2 workers, 20 rebuilt
    .venv/bin/python bench/sweep.py --scenarios 200 --baseline 10

1. The persistent sweep runs as a user runs it: `forceplan sweep WORKBOOK --vary
   'Funding.amount[source=national_budget]=*0.6:1.4:N' --workers W --json` in a child
   process; its wall time includes Python start-up, reading, every worker's build and base
   solve, all scenarios and the summary workbook.
2. The baseline rebuilds every scenario: the workbook with the scenario's Funding cells
   changed (written beforehand, not timed), then a full `run_solve(write=False,
   diagnose=False)` (read, validate, build, solve, results). It is measured on an evenly
   spaced sample of scenarios in one process and extrapolated to all of them, for one
   core and for W cores (perfect parallel speed-up assumed, which flatters the baseline).
   The sampled scenarios' objectives are compared with the sweep's rows.

Appends a section to bench/SWEEP.md with both numbers and the machine. Timings are
measured here and reported, never asserted by tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import machine  # one machine description for both benchmarks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "ukraine-2026-2035.xlsx"
SPEC = "Funding.amount[source=national_budget]=*0.6:1.4:{n}"


def workbook(folder: Path) -> tuple[Path, str, str]:
    """The Ukraine example, or a generated size-S workbook if it is missing."""
    if EXAMPLE.exists():
        return EXAMPLE, SPEC, "data/ukraine-2026-2035.xlsx"
    from forceplan.generate import SIZES, generate_workbook

    path = folder / "generated-S.xlsx"
    generate_workbook(path, SIZES["S"], 0, overwrite=True)
    return path, SPEC.replace("national_budget", "national*"), "generated size S (seed 0)"


def persistent(path: Path, spec: str, workers: int, out: Path) -> tuple[float, dict]:
    cmd = [
        sys.executable,
        "-m",
        "forceplan",
        "sweep",
        str(path),
        "--vary",
        spec,
        "--workers",
        str(workers),
        "-o",
        str(out),
        "--force",
        "--json",
    ]
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"sweep failed ({result.returncode}):\n{result.stderr}")
    return wall, json.loads(result.stdout)


def strategy_counts(rows: list[dict]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        key = f"{row['status']} by {row.get('strategy') or '—'}"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def baseline(path: Path, spec: str, n: int, sample: int, folder: Path) -> dict:
    from forceplan.pipeline import SolveRequest, run_solve
    from forceplan.sweep.engine import SweepOptions, prepare
    from forceplan.sweep.scenarios import build_scenarios, cell_values, write_scenario_workbook

    prep = prepare(path, [spec], SweepOptions())
    scenarios = build_scenarios(prep.specs, None, 0)
    step = max(1, n // sample)
    picked = scenarios[step // 2 :: step][:sample]
    files = []
    for s in picked:  # edited workbooks, written before the clock starts
        target = folder / f"scenario-{s.id}.xlsx"
        write_scenario_workbook(path, target, cell_values(prep.specs, prep.matched, s))
        files.append((s, target))
    times, results = [], {}
    for s, target in files:
        started = time.perf_counter()
        run = run_solve(SolveRequest(target, write=False, diagnose=False))
        times.append(time.perf_counter() - started)
        results[s.id] = (run.outcome.status, run.outcome.objective)
    return {"times": times, "results": results, "ids": [s.id for s, _ in files]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=20, help="scenarios rebuilt (sample)")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "SWEEP.md")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, spec_t, described = workbook(folder)
        spec = spec_t.format(n=args.scenarios)
        print(f"persistent sweep: {args.scenarios} scenarios, {args.workers} workers …", flush=True)
        wall, payload = persistent(path, spec, args.workers, folder / "sweep.xlsx")
        print(f"  {wall:.1f} s wall; {payload['status_counts']}", flush=True)
        print(f"baseline: rebuilding {args.baseline} sampled scenarios …", flush=True)
        base = baseline(path, spec, args.scenarios, args.baseline, folder)

    rows = {r["scenario"]: r for r in payload["rows"]}
    agree, worst = 0, 0.0
    for sid, (status, objective) in base["results"].items():
        row = rows[sid]
        if row["status"] == status:
            agree += 1
        if objective is not None and row["objective"] is not None:
            worst = max(worst, abs(row["objective"] - objective) / max(1.0, abs(objective)))
    mean = sum(base["times"]) / len(base["times"])
    serial = mean * args.scenarios
    parallel = serial / args.workers
    t = payload["timings"]
    lines = [
        f"## Budget sweep, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"- Machine: {machine()}; load average before the run {load:.2f} (other work on the "
        "machine slows the sweep)",
        f"- Workbook: {described}; spec `{spec}`",
        f"- Scenarios: {args.scenarios} ({', '.join(f'{k} {v}' for k, v in payload['status_counts'].items())})",  # noqa: E501
        f"- Settled by HiGHS strategy: {strategy_counts(payload['rows'])}",
        "",
        "| | time |",
        "|---|---|",
        f"| **persistent sweep, {args.workers} workers** (`forceplan sweep`, wall, incl. start-up "
        f"and summary workbook) | **{wall:.1f} s** |",
        f"| of which: prepare (main process) | {t.get('prepare', 0):.2f} s |",
        f"| of which: slowest worker's build + base solve | {t.get('worker_setup', 0):.2f} s |",
        f"| of which: scenarios (workers' start included) | {t.get('scenarios', 0):.1f} s |",
        f"| of which: summary workbook | {t.get('write', 0):.2f} s |",
        f"| rebuild per scenario: measured mean of {len(base['times'])} sampled scenarios "
        f"(full `run_solve`, no write, no diagnosis) | {mean:.2f} s / scenario |",
        f"| rebuild per scenario, extrapolated to {args.scenarios}, 1 core | {serial:.0f} s |",
        f"| rebuild per scenario, extrapolated to {args.scenarios}, {args.workers} cores "
        f"(ideal) | {parallel:.0f} s |",
        f"| **speed-up of the persistent sweep** (vs {args.workers} ideal cores) "
        f"| **{parallel / wall:.1f}×** (vs 1 core: {serial / wall:.1f}×) |",
        "",
        f"The baseline is extrapolated from {len(base['times'])} evenly spaced scenarios "
        f"(ids {base['ids'][0]} … {base['ids'][-1]}), not run 1,000 times. Statuses agree on "
        f"{agree} of {len(base['results'])} sampled scenarios; largest relative objective "
        f"difference {worst:.1e}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    report = args.report
    header = (
        "# forceplan sweep benchmark\n\nWritten by `bench/sweep.py` (one section per run, "
        "newest last).\n\n"
    )
    old = report.read_text() if report.exists() else header
    report.write_text(old.rstrip("\n") + "\n\n" + text)
    print(f"appended to {report}")


if __name__ == "__main__":
    main()
