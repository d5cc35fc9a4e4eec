"""Benchmark: phase timings, HiGHS's own time, overhead ratio and peak memory by size.

    .venv/bin/python bench/run.py                 # sizes S M L, writes bench/RESULTS.md
    .venv/bin/python bench/run.py --sizes S M     # a subset
    .venv/bin/python bench/run.py --repeat 3      # best of 3 per size

Each size runs in a fresh child process (so peak memory is that size's own) on a
generated workbook (forceplan.generate.SIZES; S also on the bundled Ukraine example).
Overhead ratio = (end-to-end − HiGHS's own run time) / HiGHS's own run time, where
end-to-end = read + validate + build + solve + results + write.
Timings are measured here and reported, never asserted by tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("read", "validate", "build", "solve", "results", "write")


def measure(workbook: str, output: str) -> dict:
    """Run in the child: one solve through the real pipeline, with timings."""
    from forceplan.pipeline import SolveRequest, run_solve

    started = time.perf_counter()
    run = run_solve(SolveRequest(Path(workbook), output=Path(output), force=True))
    total = time.perf_counter() - started
    model = run.built.model
    return {
        "status": run.outcome.status,
        "objective": run.outcome.objective,
        "timings": run.timings,
        "total": total,
        "highs": run.outcome.highs_seconds,
        "solver_wall": run.outcome.solver_seconds,
        "variables": model.nvariables(),
        "constraints": model.nconstraints(),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child(workbook: Path, output: Path) -> dict:
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench.run import measure; "
        "print('RESULT ' + json.dumps(measure(sys.argv[1], sys.argv[2])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(workbook), str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"benchmark child failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    import highspy
    import pyomo

    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; Pyomo "
        f"{pyomo.version.version}; HiGHS {highspy.HIGHS_VERSION_MAJOR}."
        f"{highspy.HIGHS_VERSION_MINOR}.{highspy.HIGHS_VERSION_PATCH}"
    )


def cases(sizes: list[str], folder: Path) -> list[tuple[str, Path]]:
    from forceplan.generate import SIZES, generate_workbook

    out = []
    for name in sizes:
        if name == "S":
            example = ROOT / "data" / "ukraine-2026-2035.xlsx"
            if example.exists():
                out.append(("S (Ukraine example)", example))
        path = folder / f"{name}.xlsx"
        started = time.perf_counter()
        generate_workbook(path, SIZES[name], seed=1, overwrite=True)
        print(f"generated {name} in {time.perf_counter() - started:.1f} s", flush=True)
        out.append((f"{name} (generated)", path))
    return out


def report(rows: list[tuple[str, dict]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/run.py`"
        " (each size in a fresh process; best of the repeats).",
        "",
        "| size | vars | rows | status | " + " | ".join(PHASES) + " | end-to-end | HiGHS "
        "| overhead ratio | peak RSS |",
        "|---" * (len(PHASES) + 8) + "|",
    ]
    for name, r in rows:
        t = r["timings"]
        overhead = (r["total"] - r["highs"]) / r["highs"] if r["highs"] > 0 else float("nan")
        lines.append(
            f"| {name} | {r['variables']:,} | {r['constraints']:,} | {r['status']} | "
            + " | ".join(f"{t.get(p, 0):.2f}" for p in PHASES)
            + f" | {r['total']:.2f} | {r['highs']:.2f} | {overhead:.2f} | "
            f"{r['peak_rss_mib']:,.0f} MiB |"
        )
    lines += [
        "",
        "Times in seconds. `solve` is the wall time of the solve phase: Pyomo's hand-over",
        "of the model to HiGHS plus HiGHS's run; `HiGHS` is HiGHS's own run time.",
        "Overhead ratio = (end-to-end − HiGHS) / HiGHS.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=["S", "M", "L"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="forceplan-bench-") as tmp:
        for name, workbook in cases(args.sizes, Path(tmp)):
            runs = [child(workbook, Path(tmp) / "plan.xlsx") for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["total"])
            rows.append((name, best))
            print(
                f"{name}: {best['status']}, end-to-end {best['total']:.2f} s, HiGHS "
                f"{best['highs']:.2f} s, "
                + ", ".join(f"{k} {v:.2f}" for k, v in best["timings"].items()),
                flush=True,
            )
    args.out.write_text(report(rows))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
