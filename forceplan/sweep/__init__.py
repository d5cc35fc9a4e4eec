"""`forceplan sweep`: many scenarios of one workbook, built once and re-solved persistently.

spec.py       the --vary grammar
scenarios.py  the cells each spec edits; grids and samples; scenario values
engine.py     build + solve once, then set bounds and re-solve per scenario
runner.py     in-process, local worker processes, or a Dask cluster
output.py     summary workbook with chart, JSON payload, checkpoint file
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forceplan.errors import ForceplanError, Interrupted
from forceplan.sweep.spec import GRAMMAR_HELP, SpecError, parse_spec

__all__ = ["GRAMMAR_HELP", "SpecError", "SweepRequest", "parse_spec", "run_sweep_command"]


@dataclass
class SweepRequest:
    workbook: Path
    vary: list[str]
    output: Path | None = None
    samples: int | None = None
    seed: int = 0
    workers: int | None = None  # None: one per core (at most the number of scenarios)
    scheduler: Any = None
    objective: str | None = None
    elastic: bool | None = None
    time_limit: float | None = None
    force: bool = False
    resume: bool = False  # continue from OUTPUT.partial.jsonl
    fractional_units: bool = False  # solve the LP relaxation of a MIP workbook


def default_output(workbook: Path) -> Path:
    name = workbook.name
    stem = name[: -len(".xlsx")] if name.lower().endswith(".xlsx") else name
    return workbook.with_name(stem + ".sweep.xlsx")


def run_sweep_command(request: SweepRequest, ui: Any, json: bool) -> int:
    """The `forceplan sweep` command: returns the exit code."""
    from forceplan import __version__
    from forceplan.errors import ExitCode
    from forceplan.provenance import file_sha256
    from forceplan.sweep.engine import SweepOptions, prepare
    from forceplan.sweep.interval import line_anchor, outward
    from forceplan.sweep.output import (
        Checkpoint,
        checkpoint_path,
        payload,
        write_summary,
    )
    from forceplan.sweep.runner import SweepJob, run_sweep
    from forceplan.sweep.scenarios import build_scenarios
    from forceplan.workbook.atomic import OutputTarget

    started = time.perf_counter()
    planned = request.output or default_output(request.workbook)
    partial = checkpoint_path(planned)
    if partial.exists() and not (request.resume or request.force):
        raise ForceplanError(
            f"{partial} holds the finished rows of an earlier sweep that did not complete: "
            "--resume continues it, --force starts over"
        )
    if request.resume and not partial.exists():
        raise ForceplanError(f"nothing to resume: there is no {partial}")
    output = OutputTarget(
        planned,
        force=request.force,
        explicit=request.output is not None,
        inputs=(request.workbook,),
    ).check()
    if not request.resume:
        partial = checkpoint_path(output)  # a taken default name moved to a free one
    options = SweepOptions(
        request.objective,
        request.elastic,
        None,
        request.time_limit,
        fractional_units=request.fractional_units,
    )
    try:
        prep = prepare(request.workbook, request.vary, options)
        # outward from the workbook's own values: see forceplan.sweep.interval
        scenarios = outward(
            build_scenarios(prep.specs, request.samples, request.seed),
            line_anchor(prep.specs, prep.matched),
        )
    except SpecError as exc:  # specs hold [..]: print them as they are, not as rich markup
        from rich.text import Text

        ui.err.print(Text.assemble(("error:", "bold red"), f" {exc}"))
        return int(ExitCode.INPUT)
    prepared = time.perf_counter()
    workers = request.workers or min(os.cpu_count() or 1, len(scenarios))
    workers = max(1, min(workers, len(scenarios)))
    meta: dict[str, Any] = {
        "workbook": str(request.workbook),
        "sha256": file_sha256(request.workbook),
        "output": str(output),
        "scenarios": len(scenarios),
        "samples": request.samples,
        "seed": request.seed,
        "workers": workers if request.scheduler is None else "dask",
        "scheduler": str(request.scheduler) if request.scheduler is not None else "",
        "specs": [s.text for s in prep.specs],
        "options": {
            "objective": request.objective,
            "elastic": request.elastic,
            "time_limit": request.time_limit,
            # only when asked: checkpoints of earlier sweeps stay resumable
            **({"fractional_units": True} if request.fractional_units else {}),
        },
        "tool": f"forceplan {__version__}",
    }
    done: list[dict[str, Any]] = []
    if request.resume:
        done = _resumable(partial, meta)
        finished = {r["scenario"] for r in done}
        scenarios = [s for s in scenarios if s.id not in finished]
        meta["resumed_rows"] = len(done)
    checkpoint = Checkpoint(partial, meta, request.force, resume=request.resume)
    show = not json and not ui.quiet
    ok = False
    try:
        with _progress(ui, len(scenarios), show) as advance:

            def on_row(row: dict[str, Any]) -> None:
                checkpoint.add(row)
                advance(row)

            job = SweepJob(
                request.workbook,
                request.vary,
                options,
                scenarios,
                workers,
                request.scheduler,
            )
            result = run_sweep(job, on_row)
        result.rows = sorted([*done, *result.rows], key=lambda r: r["scenario"])
        meta["worker_deaths"] = result.deaths
        meta["workers"] = result.workers if request.scheduler is None else meta["workers"]
        meta["timings"] = {"prepare": prepared - started, **result.timings}
        meta["restarts"] = result.restarts
        classification = str(prep.inputs.settings.get("classification", "UNCLASSIFIED"))
        written = time.perf_counter()
        write_summary(
            output,
            prep.specs,
            prep.matched,
            result.rows,
            result.base,
            meta,
            list(prep.data.years),
            classification,
            request.force,
        )
        meta["timings"]["write"] = time.perf_counter() - written
        ok = True
    except (KeyboardInterrupt, Interrupted):
        checkpoint.close(remove=False)
        raise Interrupted(
            f"interrupted: the finished rows are kept in {checkpoint.path}; the same command "
            "with --resume goes on from there"
        ) from None
    finally:
        checkpoint.close(remove=ok)
        if not ok and not checkpoint.closed_once:
            ui.err.print(
                f"finished rows are kept in {checkpoint.path}: run the same command with "
                "--resume to go on from there",
                markup=False,
            )
    meta["timings"]["total"] = time.perf_counter() - started
    if json:
        ui.print_json(payload(prep.specs, result.rows, result.base, meta))
    elif not ui.quiet:
        _show(ui, result, meta, output)
    return int(ExitCode.OK)


#: Checkpoint meta entries that must match for `--resume` (the same sweep of the same file).
RESUME_KEYS = ("sha256", "specs", "scenarios", "samples", "seed", "options")


def _resumable(partial: Path, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The finished rows of a checkpoint that belongs to this very sweep (exit 2 if not).
    Rows of scenarios whose worker died are solved again."""
    from forceplan.sweep.output import read_checkpoint, read_checkpoint_meta

    saved = read_checkpoint_meta(partial)
    for key in RESUME_KEYS:
        if key in saved and saved[key] != json_like(meta[key]):
            raise ForceplanError(
                f"{partial} belongs to another sweep (not the same {key}): --force starts over"
            )
    if not saved:
        raise ForceplanError(f"{partial} is not a sweep checkpoint: --force starts over")
    rows = {r["scenario"]: r for r in read_checkpoint(partial) if r.get("status") != "worker_died"}
    for row in rows.values():
        row.pop("kind", None)
    return list(rows.values())


def json_like(value: Any) -> Any:
    """`value` as it reads back from the checkpoint's JSON."""
    import json

    return json.loads(json.dumps(value, default=str))


def _progress(ui: Any, total: int, enabled: bool):
    import contextlib

    @contextlib.contextmanager
    def manager():
        if not enabled:
            yield lambda _row: None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with Progress(
            TextColumn("[bold]sweep[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=ui.err,
            transient=False,
        ) as bar:
            task = bar.add_task("sweep", total=total, note="starting workers")
            counts: dict[str, int] = {}

            def advance(row: dict[str, Any]) -> None:
                counts[row["status"]] = counts.get(row["status"], 0) + 1
                note = " ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                bar.update(task, advance=1, note=note)

            yield advance

    return manager()


def _show(ui: Any, result: Any, meta: dict[str, Any], output: Path) -> None:
    from collections import Counter

    from rich.table import Table

    from forceplan.sweep.interval import STRATEGY as INTERVAL_RULE

    counts = Counter(r["status"] for r in result.rows)
    table = Table(title=f"Sweep: {len(result.rows)} scenarios", header_style="bold")
    table.add_column("status")
    table.add_column("scenarios", justify="right")
    for status, n in counts.most_common():
        table.add_row(status, str(n))
    ui.out.print(table)
    implied = sum(r.get("strategy") == INTERVAL_RULE for r in result.rows)
    if implied:
        ui.out.print(
            f"{implied} infeasible scenario(s) not solved: implied by a proven one "
            "(along one varied input the values with a plan form an interval)"
        )
    for death in meta.get("worker_deaths", []):
        after = (
            "it was restarted and the scenario solved again"
            if death["retried"]
            else "the scenario is marked worker_died"
        )
        ui.out.print(
            f"a worker process died (exit code {death['exit_code']}) while solving scenario "
            f"{death['scenario']}: {after}",
            style="yellow",
            markup=False,
        )
    if meta.get("resumed_rows"):
        ui.out.print(f"{meta['resumed_rows']} scenario(s) taken from the checkpoint (--resume)")
    solved = [r["objective"] for r in result.rows if r["objective"] is not None]
    if solved:
        ui.out.print(f"objective from {min(solved):,.0f} to {max(solved):,.0f}")
    t = meta["timings"]
    ui.out.print(
        f"{t.get('total', 0):.1f} s in all, {t.get('scenarios', 0):.1f} s of it for the "
        f"scenarios on {meta['workers']} worker(s), their start-up included; "
        f"summary written to {output}"
    )
