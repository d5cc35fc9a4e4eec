"""Benchmark: HiGHS's strategy per solve stage, side by side in one process.

    .venv/bin/python bench/stages.py                          # every case
    .venv/bin/python bench/stages.py --cases example M-money --repeat 2

Two tables, each case in one process, the variants one after the other (alternating
when repeated, best run kept):

1. Later stages (max_capability's cost tie-break, the funding priority stage): the whole
   `forceplan.model.solve.solve` of a built model, run by the code before this change
   (`forceplan/model/solve.py` of the git commit `--before`, loaded beside the current
   one), by the current code with the later stages' strategy set to the dual simplex,
   and by the current code as it is (`LATER_STAGE`: primal simplex). HiGHS's own
   seconds and simplex iterations per stage.
2. Stage 1: the compiled LP given to a fresh HiGHS per option set (dual simplex as
   forceplan runs it; interior point with crossover, presolve on and off).

Results go to the `issue20d` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sections import replace_section  # noqa: E402


def _generated(size: str, money: bool) -> Callable[[Path], Path]:
    """A generated workbook (seed 1) with v2 careers and P10 cohorts; `money`: a third
    funding source that pays any line, spent after the others (Funding.priority), so the
    funding priority stage has a choice to make."""

    def make(folder: Path) -> Path:
        from dataclasses import replace

        from forceplan.generate import (
            NATIONAL_LINES,
            SIZES,
            Size,
            generate_sheets,
            write_sheets,
        )

        path = folder / f"{size}{'-money' if money else ''}.xlsx"
        shape = SIZES.get(size) or Size(40, 6, 12, 20, 50)  # S2: between S and M
        sheets = generate_sheets(replace(shape, careers=True, cohorts=8), seed=1)
        if money:
            funding = sheets["Funding"]
            funding[0].append("priority")
            reserve = []
            for row in funding[1:]:
                row += [None] * (len(funding[0]) - 1 - len(row)) + [1]
                if row[0] == "national":
                    extra = dict(zip(funding[0], row, strict=True))
                    extra |= {"source": "reserve", "amount": round(0.2 * row[2], -6)}
                    extra |= {"priority": 2, "currency": None}
                    extra["lines"] = ",".join([*NATIONAL_LINES, "procurement_partner"])
                    reserve.append([extra[c] for c in funding[0]])
            funding += reserve
        write_sheets(path, sheets, overwrite=True)
        return path

    return make


def _data(name: str) -> Callable[[Path], Path]:
    return lambda folder: ROOT / "data" / name


#: name -> (workbook, objective, elastic)
CASES: dict[str, tuple[Callable[[Path], Path], str | None, bool | None]] = {
    "example": (_data("ukraine-2026-2035.xlsx"), "min_cost", None),
    "example max_capability": (_data("ukraine-2026-2035.xlsx"), "max_capability", None),
    "austere elastic": (_data("ukraine-austere.xlsx"), None, True),
    "S": (_generated("S", False), "min_cost", None),
    "S2-money": (_generated("S2", True), "min_cost", None),
    "M-money": (_generated("M", True), "min_cost", None),
    "M max_capability": (_generated("M", False), "max_capability", None),
    "L max_capability": (_generated("L", False), "max_capability", None),
}

#: later-stage variant -> LATER_STAGE options of the current code (None: the code before)
LATER_VARIANTS: dict[str, dict[str, Any] | None] = {
    "before": None,
    "dual": {},
    "primal (adopted)": {"solver": "simplex", "simplex_strategy": 4},
}
BEFORE = "b68ad20"  # issue-18's head when issue 20d started

#: stage-1 option sets, on top of forceplan's stage-1 options (random seed 0, presolve off
#: from LARGE_LP_COLUMNS)
FIRST_VARIANTS: dict[str, dict[str, Any]] = {
    "dual simplex (forceplan)": {},
    "IPM + crossover, presolve on": {"solver": "ipm", "presolve": "on"},
    "IPM + crossover, presolve off": {"solver": "ipm", "presolve": "off"},
}


class _Recorder:
    """HiGHS runs of one solve, by stage: (stage, seconds, simplex iterations, status)."""

    def __init__(self) -> None:
        self.stage = "stage 1"
        self.runs: list[tuple[str, float, int, str]] = []


_RECORDER: list[_Recorder] = []


def _recorder() -> _Recorder:
    """The recorder of HiGHS's runs (HighsLP.run and the stages instrumented once)."""
    if not _RECORDER:
        _RECORDER.append(_Recorder())
        _instrument(_RECORDER[0])
    return _RECORDER[0]


def _before(ref: str) -> Any:
    """forceplan/model/solve.py as it was at `ref`, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:forceplan/model/solve.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("forceplan.model._solve_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    exec(compile(source, f"{ref}:forceplan/model/solve.py", "exec"), module.__dict__)
    return module


_MODULES: list[Any] = []  # [the current solve module, the one before]


def _instrument(recorder: _Recorder) -> None:
    from forceplan.model import priority, solve
    from forceplan.model.highs_lp import HighsLP

    run = HighsLP.run

    def recorded(self: Any, options: dict[str, Any], time_limit: float | None = None) -> Any:
        result = run(self, options, time_limit)
        its = int(self.highs.getInfo().simplex_iteration_count)
        recorder.runs.append((recorder.stage, result.highs_seconds, its, result.status))
        return result

    HighsLP.run = recorded  # type: ignore[method-assign]
    for module, name, label in (
        (solve, "_cost_stage", "cost tie-break"),
        (_MODULES[1], "_cost_stage", "cost tie-break"),
        (priority, "run_priority_stage", "funding priority"),
    ):
        original = getattr(module, name)

        def staged(*args: Any, _original: Any = original, _label: str = label) -> Any:
            recorder.stage = _label
            try:
                return _original(*args)
            finally:
                recorder.stage = "after"

        setattr(module, name, staged)


def later_stages(built: Any, variant: dict[str, Any] | None, recorder: _Recorder) -> dict[str, Any]:
    current, before = _MODULES
    solve_module = before if variant is None else current
    if variant is not None:
        current.LATER_STAGE = variant
    recorder.stage, recorder.runs = "stage 1", []
    outcome = solve_module.solve(built, solve_module.SolveOptions())
    residual = outcome.lp.row_residual() if outcome.lp is not None else float("nan")
    current.LATER_STAGE = LATER_VARIANTS["primal (adopted)"]
    by_stage: dict[str, list[float]] = {}
    for stage, seconds, its, _status in recorder.runs:
        s = by_stage.setdefault(stage, [0.0, 0, 0])
        s[0] += seconds
        s[1] += its
        s[2] += 1
    return {
        "status": outcome.status,
        "objective": outcome.objective,
        "stages": outcome.stages,
        "by_stage": by_stage,
        "highs": outcome.highs_seconds,
        "residual": residual,
    }


def first_stage(lp: Any, options: dict[str, Any], large: bool) -> dict[str, Any]:
    from bench.options import run

    base = {"presolve": "off" if large else "choose"}
    r = run(lp, base | options, math.inf)
    r["ipm"] = r.pop("ipm_iterations")
    return r


def _rel(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "—"
    return f"{abs(a - b) / max(1.0, abs(b)):.1e}"


def _best(
    variants: dict[str, Any],
    run: Callable[[Any], dict[str, Any]],
    key: str,
    repeat: int,
    label: str,
) -> dict[str, dict[str, Any]]:
    """Each variant's fastest run (by `key`) of `repeat`, the order reversed every other
    round so that no variant always runs first."""
    best: dict[str, dict[str, Any]] = {}
    for k in range(repeat):
        order = list(variants) if k % 2 == 0 else list(reversed(variants))
        for variant in order:
            r = run(variants[variant])
            print(f"{label} / {variant}: {r}", flush=True)
            if variant not in best or r[key] < best[variant][key]:
                best[variant] = r
    return best


def measure(name: str, folder: Path, repeat: int) -> tuple[dict, dict, tuple[int, int]]:
    from forceplan.load import ModelOptions, load_checked
    from forceplan.model.highs_lp import HighsLP
    from forceplan.model.solve import LARGE_LP_COLUMNS

    make, objective, elastic = CASES[name]
    loaded = load_checked(make(folder), ModelOptions(objective, elastic), build_model=True)
    built = loaded.built
    recorder = _recorder()
    later = _best(
        LATER_VARIANTS,
        lambda opts: later_stages(built, opts, recorder),
        "highs",
        repeat,
        name,
    )
    compiled = HighsLP(built.model)
    lp = compiled.highs.getLp()
    shape = (int(lp.num_row_), int(lp.num_col_))
    large = not compiled.is_mip and shape[1] >= LARGE_LP_COLUMNS
    del compiled
    first = _best(
        FIRST_VARIANTS,
        lambda opts: first_stage(lp, opts, large),
        "seconds",
        repeat,
        f"{name} / stage 1",
    )
    return later, first, shape


def report(
    results: dict[str, tuple[dict, dict, tuple[int, int]]], load: str, repeat: int, before: str
) -> str:
    lines = [
        "## HiGHS strategy per solve stage (issue 20d)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/stages.py "
        f"--cases {' '.join(repr(n) if ' ' in n else n for n in results)} --repeat {repeat}` "
        f"(load average before: {load}). Each case in one process, the variants one after "
        "the other (order alternating when repeated, best kept). HiGHS's own seconds / "
        "simplex iterations; M and S are generated (seed 1) with `--careers --cohorts 8`, "
        "M-money with a third funding source of priority 2 that pays any line.",
        "",
        "### Later stages: the code before, the dual and the primal simplex (adopted)",
        "",
        f"Before: `forceplan/model/solve.py` of commit {before}, every later stage run by the "
        "dual simplex from where the previous run stopped. Dual: the current code with the "
        "dual simplex (each hold started from the previous stage's optimal basis). Primal: "
        "the current code as it is. Seconds / simplex iterations (number of HiGHS runs).",
        "",
        "| case | rows × columns | stage | before | dual | primal (adopted) "
        "| primal / before | whole solve before → primal | objective rel. diff |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (later, _first, (rows, cols)) in results.items():
        old, new = later["before"], later["primal (adopted)"]
        stages = [s for s in old["by_stage"] if s not in ("stage 1", "after")]
        for i, stage in enumerate(["stage 1", *stages]):
            cells = []
            for variant in LATER_VARIANTS:
                s = later[variant]["by_stage"].get(stage)
                cells.append("—" if s is None else f"{s[0]:.2f} / {s[1]:,} ({s[2]})")
            o, p = old["by_stage"].get(stage), new["by_stage"].get(stage)
            ratio = f"{p[0] / o[0]:.2f}" if o and p and o[0] > 0 else "—"
            head = f"{name} | {rows:,} × {cols:,}" if i == 0 else " | "
            whole = f"{old['highs']:.2f} → {new['highs']:.2f}" if i == 0 else ""
            diff = _rel(new["objective"], old["objective"]) if i == 0 else ""
            lines.append(f"| {head} | {stage} | {' | '.join(cells)} | {ratio} | {whole} | {diff} |")
        held = [
            f"{variant}: {'; '.join(h)}"
            for variant in LATER_VARIANTS
            if (h := [s for s in later[variant]["stages"][1:] if "held" in s])
        ]
        if held:
            lines.append(f"| | | holds: {', '.join(held)} | | | | | | |")
    lines += [
        "",
        "### Stage 1: dual simplex against interior point with crossover",
        "",
        "| case | rows × columns | option set | HiGHS s | × dual simplex | status "
        "| iterations | basis | objective rel. diff |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (_later, first, (rows, cols)) in results.items():
        base = first["dual simplex (forceplan)"]
        for i, (variant, r) in enumerate(first.items()):
            head = f"{name} | {rows:,} × {cols:,}" if i == 0 else " | "
            its = f"{r['iterations']:,}" + (f" (+{r['ipm']} IPM)" if r["ipm"] else "")
            lines.append(
                f"| {head} | {variant} | {r['seconds']:.2f} | "
                f"{r['seconds'] / base['seconds']:.2f} | {r['status']} | {its} | "
                f"{'yes' if r['basis'] else 'no'} | {_rel(r['objective'], base['objective'])} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--section", default="issue20d")
    parser.add_argument("--before", default=BEFORE, help="git commit of the code before")
    args = parser.parse_args()
    from forceplan.model import solve

    _MODULES[:] = [solve, _before(args.before)]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    results = {}
    with tempfile.TemporaryDirectory(prefix="forceplan-bench-stages-") as tmp:
        for name in args.cases:
            results[name] = measure(name, Path(tmp), args.repeat)
    replace_section(args.out, args.section, report(results, load, args.repeat, args.before))
    print(f"updated {args.out}")


if __name__ == "__main__":
    main()
