"""Benchmark: HiGHS options on one generated workbook, side by side in one process.

    .venv/bin/python bench/options.py --size M                # every option set
    .venv/bin/python bench/options.py --size L --only default "presolve off"

The workbook is generated as bench/run.py does (seed 1) and compiled into HiGHS once by
the real pipeline; each option set then solves a fresh copy of that LP (passModel), so
every run starts cold with the same model, in the same process, one after the other.
The default run also reports what HiGHS's presolve removes (the reformulations a modeller
would do by hand: variables fixed by equalities, redundant and singleton rows turned into
bounds) and how long presolve takes. Results go to the `options-SIZE` section of
bench/RESULTS.md.
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

from bench.sections import replace_section  # noqa: E402

#: name -> HiGHS options (on top of forceplan's: random_seed 0, the defaults otherwise).
OPTION_SETS: dict[str, dict[str, Any]] = {
    "default (dual simplex, presolve on)": {},
    "presolve off": {"presolve": "off"},
    "primal simplex": {"solver": "simplex", "simplex_strategy": 4},
    "dual simplex, PAMI parallel, 2 threads": {
        "solver": "simplex",
        "simplex_strategy": 2,
        "parallel": "on",
        "threads": 2,
    },
    "crash (LTSSF)": {"simplex_crash_strategy": 1},
    "no scaling": {"simplex_scale_strategy": 0},
    "max-value scaling": {"simplex_scale_strategy": 4},
    "interior point (IPM) + crossover": {"solver": "ipm"},
}


def _model(size: str, folder: Path) -> Any:
    from forceplan.generate import SIZES, generate_workbook
    from forceplan.model.build import build_model
    from forceplan.model.data import build_data
    from forceplan.model.highs_lp import HighsLP
    from forceplan.workbook.load import load_workbook

    path = folder / f"{size}.xlsx"
    generate_workbook(path, SIZES[size], seed=1, overwrite=True)
    inputs, _ = load_workbook(path)
    built = build_model(build_data(inputs, None, None, None))
    return HighsLP(built.model).highs.getLp()


def run(lp: Any, options: dict[str, Any], limit: float) -> dict[str, Any]:
    from forceplan.model.highs_lp import new_highs

    h = new_highs()
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", limit)
    for key, value in options.items():
        h.setOptionValue(key, value)
    h.passModel(lp)
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    return {
        "seconds": seconds,
        "status": h.modelStatusToString(h.getModelStatus()),
        "objective": float(info.objective_function_value),
        "iterations": int(info.simplex_iteration_count),
        "ipm_iterations": int(info.ipm_iteration_count),
        "basis": bool(h.getBasis().valid),
    }


def presolve_effect(lp: Any) -> dict[str, Any]:
    from forceplan.model.highs_lp import new_highs

    h = new_highs()
    h.passModel(lp)
    started = time.perf_counter()
    h.presolve()
    seconds = time.perf_counter() - started
    reduced = h.getPresolvedLp()
    return {
        "seconds": seconds,
        "rows": (lp.num_row_, reduced.num_row_),
        "cols": (lp.num_col_, reduced.num_col_),
        "nonzeros": (len(lp.a_matrix_.value_), len(reduced.a_matrix_.value_)),
    }


def report(size: str, results: dict[str, dict], effect: dict[str, Any], load: str) -> str:
    base = next(iter(results.values()))
    lines = [
        f"## HiGHS options at {size}, side by side",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/options.py "
        f"--size {size}` (load average before: {load}): one process, the same compiled LP "
        "given to a fresh HiGHS per option set, one after the other.",
        "",
        "| options | HiGHS s | × default | status | simplex iterations | objective rel. diff |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        rel = abs(r["objective"] - base["objective"]) / max(1.0, abs(base["objective"]))
        its = f"{r['iterations']:,}" + (
            f" (+{r['ipm_iterations']} IPM)" if r["ipm_iterations"] else ""
        )
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['seconds'] / base['seconds']:.2f} | "
            f"{r['status']} | {its} | {rel:.1e} |"
        )
    (r0, r1), (c0, c1), (n0, n1) = effect["rows"], effect["cols"], effect["nonzeros"]
    lines += [
        "",
        f"HiGHS presolve alone: {effect['seconds']:.2f} s; rows {r0:,} → {r1:,}, columns "
        f"{c0:,} → {c1:,}, nonzeros {n0:,} → {n1:,}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--only", nargs="*", help="option sets whose name starts with these")
    parser.add_argument("--time-limit", type=float, default=900.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="forceplan-bench-options-") as tmp:
        lp = _model(args.size, Path(tmp))
    sets = {
        name: opts
        for name, opts in OPTION_SETS.items()
        if not args.only or any(name.startswith(o) for o in args.only) or not opts
    }
    results = {}
    for name, opts in sets.items():
        results[name] = run(lp, opts, args.time_limit)
        r = results[name]
        print(f"{name}: {r['seconds']:.2f} s, {r['status']}, {r['iterations']} it", flush=True)
    effect = presolve_effect(lp)
    print(f"presolve: {effect}", flush=True)
    replace_section(args.out, f"options{args.size}", report(args.size, results, effect, load))
    print(f"updated {args.out}")


if __name__ == "__main__":
    main()
