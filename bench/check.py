"""Benchmark ratios, recorded and checked: `make bench` records them, `make bench-check`
compares a fresh run with the recorded ones and fails when one is more than 15 % worse.

    .venv/bin/python bench/check.py --record     # measure, write the ratios to RESULTS.md
    .venv/bin/python bench/check.py              # measure, compare, exit 1 if worse

This machine's speed drifts (up to 2x over a day, other work on its cores), so only
ratios of two things measured side by side in the same run are recorded, each lower is
better:

- example / import floor: `forceplan solve` on the bundled example against
  `python -c "import pyomo.core, highspy, pandas, openpyxl, numpy, typer, rich"`, run in
  turn (A B A B ...), the median of the pairwise ratios; wall clock, fresh interpreters.
- sweep / example: the 1,000-scenario budget sweep (`forceplan sweep`, 2 workers, wall)
  against the median example solve measured just before and after it.
- warm / cold at M: HiGHS's own time of a warm re-solve after a one-cell edit against a
  cold solve of the same edited model (bench/warm.py), the worse of its two edits.
- overhead at M: (end to end − HiGHS) / HiGHS (bench/run.py).

This is a benchmark, not a test: it is never run by the test suite. Runs use a temporary
FORCEPLAN_HOME, so they are not recorded in the user's run ledger.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sections import replace_section, sections  # noqa: E402

EXAMPLE = ROOT / "data" / "ukraine-2026-2035.xlsx"
FLOOR = "import pyomo.core, highspy, pandas, openpyxl, numpy, typer, rich"
SWEEP_SPEC = "Funding.amount[source=national_budget]=*0.6:1.4:1000"
#: A fresh ratio this much above the recorded one fails the check.
TOLERANCE = 0.15


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    return time.perf_counter() - started


def measure(sizes: list[str], pairs: int) -> dict[str, float]:
    from bench.run import child as run_child
    from bench.run import overhead
    from bench.warm import child as warm_child

    ratios: dict[str, float] = {}
    exe = str(Path(sys.executable).with_name("forceplan"))
    with tempfile.TemporaryDirectory(prefix="forceplan-bench-check-") as tmp:
        env = dict(os.environ, FORCEPLAN_HOME=tmp)  # not the user's run ledger
        solve = [exe, "-q", "solve", str(EXAMPLE), "-o", f"{tmp}/u.xlsx", "--force"]
        floor = [sys.executable, "-c", FLOOR]
        _wall(solve, env), _wall(floor, env)  # warm the file cache
        solves, floors = [], []
        for _ in range(pairs):
            solves.append(_wall(solve, env))
            floors.append(_wall(floor, env))
        ratios["example solve / import floor"] = statistics.median(
            s / f for s, f in zip(solves, floors, strict=True)
        )
        print(
            f"example solve {statistics.median(solves):.2f} s, import floor "
            f"{statistics.median(floors):.2f} s",
            flush=True,
        )
        sweep = [
            exe, "sweep", str(EXAMPLE), "--vary", SWEEP_SPEC, "--workers", "2",
            "-o", f"{tmp}/sweep.xlsx", "--force", "--json",
        ]  # fmt: skip
        before = statistics.median(_wall(solve, env) for _ in range(3))
        swept = _wall(sweep, env)
        after = statistics.median(_wall(solve, env) for _ in range(3))
        ratios["1,000-scenario sweep / example solve"] = swept / ((before + after) / 2)
        print(f"sweep {swept:.1f} s, example solve {before:.2f} / {after:.2f} s", flush=True)
        for size in sizes:
            warm = warm_child(size, Path(tmp))
            ratios[f"warm / cold re-solve, HiGHS, {size}"] = max(
                e["warm"]["highs"] / e["cold"]["highs"] for e in warm["edits"]
            )
            workbook = Path(tmp) / f"{size}.xlsx"  # written by warm_child
            r = run_child(workbook, Path(tmp) / "plan.xlsx", False)
            ratios[f"overhead, {size}"] = overhead(r)
            print(f"{size}: warm/cold and overhead measured", flush=True)
    return ratios


def table(ratios: dict[str, float]) -> str:
    lines = [
        "## Ratios checked by `make bench-check`",
        "",
        f"Recorded {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/check.py "
        f"--record` (load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}). "
        "Lower is better; `make bench-check` fails when a fresh ratio is more than "
        f"{TOLERANCE:.0%} above the one recorded here.",
        "",
        "| ratio | recorded |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value:.4f} |" for name, value in ratios.items()]
    return "\n".join(lines) + "\n"


def recorded(path: Path) -> dict[str, float]:
    block = sections(path.read_text()).get("ratios", "")
    return {
        m.group(1).strip(): float(m.group(2))
        for m in re.finditer(r"^\| ([^|]+) \| ([0-9.]+) \|$", block, flags=re.M)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="write the ratios to RESULTS.md")
    parser.add_argument("--sizes", nargs="*", default=["M"], choices=["S", "M", "L"])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    fresh = measure(args.sizes, args.pairs)
    if args.record:
        replace_section(args.results, "ratios", table(fresh))
        print(f"recorded {len(fresh)} ratios in {args.results}")
        return 0
    old = recorded(args.results)
    worse = []
    for name, value in fresh.items():
        base = old.get(name)
        if base is None:
            print(f"{name}: {value:.4f} (nothing recorded)")
            continue
        change = value / base - 1 if base > 0 else 0.0
        verdict = "WORSE" if change > TOLERANCE else "ok"
        print(f"{name}: {value:.4f} against {base:.4f} recorded ({change:+.0%}) {verdict}")
        if change > TOLERANCE:
            worse.append(name)
    if worse:
        print(f"bench-check: {len(worse)} ratio(s) more than {TOLERANCE:.0%} worse")
        return 1
    print("bench-check: no ratio more than 15 % worse")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
