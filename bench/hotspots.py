"""Profile one solve with cProfile: where the time beside HiGHS goes, function by function.

    .venv/bin/python bench/hotspots.py M            # a generated size (S, M or L)
    .venv/bin/python bench/hotspots.py path.xlsx    # any workbook
    .venv/bin/python bench/hotspots.py M --top 40 --out bench/PROFILE-M.txt

Runs the real pipeline (read … write) under cProfile and prints the functions with the
most time of their own and the most cumulative time. cProfile slows Python code about 2×
and leaves HiGHS's C++ untouched, so read the ranking, not the absolute numbers (those
are in bench/RESULTS.md). For a sampling view without that distortion, py-spy works on
the same command: `py-spy record -o profile.svg -- .venv/bin/python bench/hotspots.py M`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def workbook(name: str, folder: Path) -> Path:
    from forceplan.generate import SIZES, generate_workbook

    if name in SIZES:
        path = folder / f"{name}.xlsx"
        generate_workbook(path, SIZES[name], seed=1, overwrite=True)
        return path
    return Path(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workbook", help="S, M, L (generated) or a workbook path")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from forceplan.pipeline import SolveRequest, run_solve

    with tempfile.TemporaryDirectory(prefix="forceplan-profile-") as tmp:
        path = workbook(args.workbook, Path(tmp))
        profiler = cProfile.Profile()
        profiler.enable()
        run = run_solve(SolveRequest(path, output=Path(tmp) / "plan.xlsx", force=True))
        profiler.disable()
    text = io.StringIO()
    text.write(f"# cProfile of `forceplan solve` on {args.workbook}\n\n")
    text.write("phases (under cProfile): ")
    text.write(", ".join(f"{k} {v:.2f} s" for k, v in run.timings.items()))
    text.write(f"; HiGHS {run.outcome.highs_seconds:.2f} s\n")
    for order in ("tottime", "cumulative"):
        text.write(f"\n## top {args.top} by {order}\n\n")
        stats = pstats.Stats(profiler, stream=text)
        stats.strip_dirs().sort_stats(order).print_stats(args.top)
    print(text.getvalue())
    if args.out:
        args.out.write_text(text.getvalue())


if __name__ == "__main__":
    main()
