"""Benchmark: warm re-solve (MODEL.md §8.9) against a cold solve, HiGHS's own time.

    .venv/bin/python bench/warm.py                # sizes M L, updates bench/RESULTS.md
    .venv/bin/python bench/warm.py --sizes M      # a subset

Per size, in one fresh child process: the generated workbook (as bench/run.py makes it)
is solved cold and its plan workbook written; the plan workbook is read back (its stored
basis included, as `forceplan solve PLAN.xlsx` does); then for each edit (one funding
cell −3 %, one end-strength requirement +1 %) the edited model is solved cold and warm,
alternating which goes first, side by side in the same process. The edit is made on the
typed inputs in memory (editing a 30 MiB plan in openpyxl would dominate the run); the
CLI path with the edit saved in the workbook is what tests/test_warm_start.py checks.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sections import replace_section  # noqa: E402


def _edits(inputs) -> list[tuple[str, object, str, float]]:
    funding = max(inputs.tables["Funding"], key=lambda r: r["amount"] or 0)
    years = list(inputs.tables["EndStrength"])
    strength = years[len(years) // 2]
    return [
        ("funding cell −3 %", funding, "amount", 0.97),
        ("end-strength requirement +1 %", strength, "min_total", 1.01),
    ]


def measure(plan_source: str, folder: str) -> dict:
    """In the child: cold solve → plan; edit; cold and warm re-solves side by side."""
    from forceplan.model.build import build_model
    from forceplan.model.data import build_data
    from forceplan.model.solve import SolveOptions, solve
    from forceplan.pipeline import SolveRequest, run_solve
    from forceplan.workbook.basis_sheet import read_basis
    from forceplan.workbook.load import load_workbook

    plan = Path(folder) / "plan.xlsx"
    first = run_solve(SolveRequest(Path(plan_source), output=plan, force=True))
    out: dict = {"first_highs": first.outcome.highs_seconds, "edits": []}
    del first
    started = time.perf_counter()
    inputs, _ = load_workbook(plan)
    basis, problem = read_basis(plan)
    out["read_plan"] = time.perf_counter() - started
    assert basis is not None, problem
    for k, (name, record, column, factor) in enumerate(_edits(inputs)):
        old = record[column]
        record[column] = old * factor
        runs = {}
        for mode in ("cold", "warm") if k % 2 == 0 else ("warm", "cold"):
            built = build_model(build_data(inputs, None, None, None))
            outcome = solve(built, SolveOptions(warm_start=basis if mode == "warm" else None))
            runs[mode] = {
                "highs": outcome.highs_seconds,
                "objective": outcome.objective,
                "status": outcome.status,
                "start": outcome.start,
                "iterations": outcome.simplex_iterations,  # every HiGHS run of the solve
            }
            del built, outcome
        record[column] = old
        rel = abs(runs["warm"]["objective"] - runs["cold"]["objective"]) / max(
            1.0, abs(runs["cold"]["objective"])
        )
        out["edits"].append({"edit": name, **runs, "objective_rel_diff": rel})
    return out


def child(size: str, folder: Path) -> dict:
    from forceplan.generate import SIZES, generate_workbook

    workbook = folder / f"{size}.xlsx"
    generate_workbook(workbook, SIZES[size], seed=1, overwrite=True)
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench.warm import measure; "
        "print('RESULT ' + json.dumps(measure(sys.argv[1], sys.argv[2])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(workbook), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"warm benchmark child failed:\n{done.stderr[-4000:]}")


def report(rows: list[tuple[str, dict]], load: str) -> str:
    lines = [
        "## Warm re-solve (MODEL.md §8.9), HiGHS's own time",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/warm.py` "
        f"(load average before: {load}). Per size one process: the plan of a cold solve is "
        "read back with its stored basis, one cell is edited, and the edited model is solved "
        "cold and warm side by side (alternating order). Iterations: simplex iterations "
        "summed over every HiGHS run of the solve (retries and clean-up included).",
        "",
        "| size | edit | cold HiGHS s | warm HiGHS s | warm / cold | cold iterations | "
        "warm iterations | objective rel. diff |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, r in rows:
        for e in r["edits"]:
            c, w = e["cold"], e["warm"]
            lines.append(
                f"| {size} | {e['edit']} | {c['highs']:.2f} | {w['highs']:.2f} | "
                f"{w['highs'] / c['highs']:.3f} | {c['iterations']:,} | {w['iterations']:,} | "
                f"{e['objective_rel_diff']:.1e} |"
            )
    lines += [
        "",
        "Target (issue 20): warm / cold ≤ 0.20 at M and L. Reading the plan workbook back "
        "(inputs and basis): "
        + ", ".join(f"{size} {r['read_plan']:.1f} s" for size, r in rows)
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"], choices=["S", "M", "L"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = []
    with tempfile.TemporaryDirectory(prefix="forceplan-bench-warm-") as tmp:
        for size in args.sizes:
            r = child(size, Path(tmp))
            rows.append((size, r))
            for e in r["edits"]:
                print(
                    f"{size} {e['edit']}: cold {e['cold']['highs']:.2f} s "
                    f"({e['cold']['iterations']} it), warm {e['warm']['highs']:.2f} s "
                    f"({e['warm']['iterations']} it, {e['warm']['start']}), "
                    f"ratio {e['warm']['highs'] / e['cold']['highs']:.3f}, "
                    f"objective rel diff {e['objective_rel_diff']:.1e}",
                    flush=True,
                )
    replace_section(args.out, "warm", report(rows, load))
    print(f"updated {args.out}")


if __name__ == "__main__":
    main()
