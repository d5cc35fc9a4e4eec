"""Benchmark: the v2 example as a MIP against its LP, side by side in one process (issue 20e).

    .venv/bin/python bench/mip_example.py            # every case, prints a Markdown table
    .venv/bin/python bench/mip_example.py --only units --objectives max_capability

Three variants of the bundled example are built from data/build_examples.py with its
switches set in memory (the data file is not changed): `units` (integer_units only),
`whole` (integer_units and Equipment.integer on the major items, INTEGER = True) and
`items` (the major items whole, unit counts fractional; `--only items`). Each is solved through
the real pipeline (`run_solve`, nothing written) with every option set below, after the
LP (the bundled workbook) for the same objective. A MIP run is given 10x the LP's solve
time of its objective, the issue's target, so a run that is not proven within the target
says where it stands (status, gap) instead of running on. HiGHS's own seconds per stage
come from each `HighsLP.run`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "data"))

#: option set -> SolveRequest fields
OPTION_SETS: dict[str, dict[str, Any]] = {
    "default, priority stage not started": {"priority_start": False},
    "default": {},
    "--hold-whole": {"hold_whole_decisions": True},
    "--hold-whole --mip-start": {"hold_whole_decisions": True, "mip_start": True},
}
TARGET = 10.0  # a MIP's solve time over its LP's (issue 20 item 4)


def variants(folder: Path) -> dict[str, Path]:
    """The LP example and its two integer variants, built in memory from build_examples."""
    import build_examples as be

    out = {}
    saved = be.INTEGER, be.WHOLE_ITEMS
    try:
        for name, integer, items in (
            ("LP", False, ()),
            ("units", True, ()),
            ("whole", True, be.WHOLE_ITEMS_IF_INTEGER),
            ("items", False, be.WHOLE_ITEMS_IF_INTEGER),
        ):
            be.INTEGER, be.WHOLE_ITEMS = integer, items
            path = folder / f"{name}.xlsx"
            path.write_bytes(be.workbook_bytes(be.workbook_sheets(austere=False)))
            out[name] = path
    finally:
        be.INTEGER, be.WHOLE_ITEMS = saved
    return out


class Stages:
    """HiGHS seconds of each run of one solve, in order (wraps HighsLP.run)."""

    def __init__(self) -> None:
        from forceplan.model import highs_lp

        self.runs: list[tuple[bool, str, float]] = []
        original = highs_lp.HighsLP.run

        def run(lp, options, time_limit=None):
            info = original(lp, options, time_limit)
            self.runs.append((lp.is_mip, info.status, info.highs_seconds))
            return info

        highs_lp.HighsLP.run = run


def solve(path: Path, objective: str, limit: float | None, stages: Stages, **fields: Any):
    from forceplan.model import priority
    from forceplan.pipeline import SolveRequest, run_solve

    stages.runs.clear()
    start_from = priority._start_from
    if not fields.pop("priority_start", True):  # the stage as before issue 20e: no start
        priority._start_from = lambda h, values: None
    started = time.perf_counter()
    try:
        run = run_solve(
            SolveRequest(path, write=False, objective=objective, time_limit=limit, **fields)
        )
    finally:
        priority._start_from = start_from
    wall = time.perf_counter() - started
    o = run.outcome
    return o, wall, list(stages.runs)


def _runs(runs: list[tuple[bool, str, float]]) -> str:
    return " + ".join(f"{'MIP' if mip else 'LP'} {s:.1f}" for mip, _status, s in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=["units", "whole"])
    ap.add_argument("--objectives", nargs="*", default=["min_cost", "max_capability"])
    ap.add_argument("--sets", nargs="*", default=list(OPTION_SETS))
    args = ap.parse_args()
    stages = Stages()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        books = variants(Path(tmp))
        for objective in args.objectives:
            o, lp_wall, runs = solve(books["LP"], objective, None, stages)
            rows.append(
                f"| LP | {objective} | | {o.status} {o.objective:,.10g} | {_runs(runs)} | "
                f"{o.highs_seconds:.1f} | {lp_wall:.1f} | 1.0 |"
            )
            print(rows[-1], flush=True)
            for variant in args.only:
                for name in args.sets:
                    fields = dict(OPTION_SETS[name])
                    if objective == "max_capability" and "priority_start" in fields:
                        continue  # stage 1 is not proven within the target: no priority stage
                    o, wall, runs = solve(
                        books[variant], objective, TARGET * lp_wall, stages, **fields
                    )
                    value = "no plan" if o.objective is None else f"{o.objective:,.10g}"
                    gap = "" if o.gap is None else f", gap {o.gap:.2g}"
                    rows.append(
                        f"| {variant} | {objective} | `{name}` | {o.status} {value}{gap} | "
                        f"{_runs(runs)} | {o.highs_seconds:.1f} | {wall:.1f} | "
                        f"{wall / lp_wall:.1f} |"
                    )
                    print(rows[-1], flush=True)
    print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| variant | objective | options | outcome | HiGHS runs, s | HiGHS s | solve s | vs LP |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
