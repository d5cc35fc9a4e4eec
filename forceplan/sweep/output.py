"""The sweep's results: a summary workbook (one row per scenario, a native chart, the base
case and the specs), the JSON payload, and the checkpoint file rows are appended to."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

from forceplan.sweep.scenarios import Cell
from forceplan.sweep.spec import VarySpec
from forceplan.workbook.styles import FMT_COUNT, FMT_MONEY

SUMMARY_SHEET = "Sweep"
CHART_SHEET = "Sweep_Chart"
INPUTS_SHEET = "Sweep_Inputs"

FMT_FACTOR = "0.000"


def checkpoint_path(output: Path) -> Path:
    """`sweep.xlsx` -> `sweep.xlsx.partial.jsonl`: finished rows, one JSON object a line."""
    return output.with_name(output.name + ".partial.jsonl")


class Checkpoint:
    """Appends every finished row at once, so a crash keeps what was done."""

    def __init__(
        self, path: Path, meta: dict[str, Any], force: bool = False, resume: bool = False
    ) -> None:
        self.path = path
        if resume:  # `sweep --resume`: keep what is there and go on appending
            self.fh = path.open("a", encoding="utf-8")
            return
        try:  # never truncate the finished rows of an earlier sweep (output policy)
            self.fh = path.open("w" if force else "x", encoding="utf-8")
        except FileExistsError:
            from forceplan.errors import ForceplanError

            raise ForceplanError(
                f"{path} holds the finished rows of an earlier sweep that did not complete: "
                "move it away to keep them, or use --force to start over"
            ) from None
        self._write({"kind": "meta", **meta})

    def _write(self, obj: dict[str, Any]) -> None:
        self.fh.write(json.dumps(_jsonable(obj), allow_nan=False) + "\n")
        self.fh.flush()

    def add(self, row: dict[str, Any]) -> None:
        self._write({"kind": "row", **row})

    closed_once = False

    def close(self, remove: bool) -> None:
        if self.closed_once:
            return
        self.closed_once = True
        self.fh.close()
        if remove:
            self.path.unlink(missing_ok=True)


def read_checkpoint_meta(path: Path) -> dict[str, Any]:
    """The first (meta) line of a checkpoint file ({} if there is none)."""
    with path.open(encoding="utf-8") as fh:
        try:
            obj = json.loads(fh.readline())
        except json.JSONDecodeError:
            return {}
    return obj if obj.get("kind") == "meta" else {}


def read_checkpoint(path: Path) -> list[dict[str, Any]]:
    """The rows of a checkpoint file (a half-written last line is ignored)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if obj.get("kind") == "row":
            rows.append(obj)
    return rows


def summary_frame(specs: list[VarySpec], rows: list[dict[str, Any]], years: list[int]) -> Any:
    """One row per scenario: id, varied inputs, status, objective, cost, end strength,
    shortfall, binding limits, then strength per year and solver details."""
    import pandas as pd

    labels = _labels(specs)
    records = []
    for r in rows:
        rec: dict[str, Any] = {"scenario": r["scenario"]}
        for label, value in zip(labels, r["inputs"], strict=True):
            rec[label] = value
        rec.update(
            status=r["status"],
            objective=r["objective"],
            cost=r["cost"],
            end_strength=r["end_strength"],
            shortfall_total=r["shortfall_total"],
            binding=r["binding"],
            message=r["message"],
        )
        strength = {int(k): v for k, v in (r.get("strength") or {}).items()}
        for y in years:
            rec[f"strength_{y}"] = strength.get(y)
        for kind, v in (r.get("shortfalls") or {}).items():
            rec[f"shortfall_{kind}"] = v
        rec.update(
            strategy=r["strategy"],
            iterations=r["iterations"],
            solve_seconds=r["solve_seconds"],
            seconds=r.get("seconds", 0.0),
        )
        records.append(rec)
    frame = pd.DataFrame(records)
    if not len(frame):
        frame = pd.DataFrame(columns=["scenario", *labels, "status", "objective"])
    return frame


def _labels(specs: list[VarySpec]) -> list[str]:
    labels: list[str] = []
    for spec in specs:
        label = spec.column_label
        while label in labels:
            label += "'"
        labels.append(label)
    return labels


def write_summary(
    path: Path,
    specs: list[VarySpec],
    matched: list[list[Cell]],
    rows: list[dict[str, Any]],
    base: dict[str, Any],
    meta: dict[str, Any],
    years: list[int],
    classification: str,
    overwrite: bool,
) -> None:
    """The summary workbook, written atomically."""
    import openpyxl

    from forceplan.workbook.atomic import atomic_write
    from forceplan.workbook.tables import table_sheet

    frame = summary_frame(specs, rows, years)
    labels = _labels(specs)
    book = openpyxl.Workbook()
    book.remove(book.active)
    formats = {
        label: (FMT_FACTOR if spec.scale else FMT_COUNT)
        for label, spec in zip(labels, specs, strict=True)
    }
    formats |= {"objective": FMT_MONEY, "cost": FMT_MONEY, "end_strength": FMT_COUNT}
    formats |= {
        c: FMT_COUNT for c in frame.columns if str(c).startswith(("strength_", "shortfall"))
    }
    formats |= {"solve_seconds": "0.000", "seconds": "0.000", "scenario": "0", "iterations": "0"}
    taken: set[str] = set()
    ws = table_sheet(book, SUMMARY_SHEET, frame, classification, taken, formats)
    _chart_sheet(book, ws, frame, labels, specs, classification)
    _inputs_sheet(book, specs, matched, base, meta, classification, taken)
    book.active = 0
    atomic_write(path, book.save, overwrite)


def _chart_sheet(book: Any, data_ws: Any, frame: Any, labels: list[str], specs, classification):
    from openpyxl.chart import Reference, ScatterChart, Series

    from forceplan.workbook.styles import banner, output_sheet

    ws = output_sheet(book, CHART_SHEET, classification)
    banner(ws, classification, 12)
    n = len(frame)
    if not n or not labels:
        return
    columns = list(frame.columns)
    x_col = columns.index(labels[0]) + 1
    chart = ScatterChart()
    chart.title = f"Objective against {specs[0].name}"
    chart.style = 13
    chart.x_axis.title = labels[0]
    chart.y_axis.title = "objective"
    chart.height, chart.width = 12, 24
    xs = Reference(data_ws, min_col=x_col, min_row=2, max_row=n + 1)
    one_line = len(specs) == 1 and not specs[0].sampled
    for name in ("objective", "cost"):
        if name not in columns:
            continue
        col = columns.index(name) + 1
        ys = Reference(data_ws, min_col=col, min_row=1, max_row=n + 1)
        series = Series(ys, xs, title_from_data=True)
        series.marker.symbol = "circle"
        series.marker.size = 5
        if not one_line:
            series.graphicalProperties.line.noFill = True
        chart.series.append(series)
        if name == "objective" and frame["cost"].equals(frame["objective"]):
            break  # min_cost without penalties: one line says it all
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    ws.add_chart(chart, "A3")


def _inputs_sheet(book, specs, matched, base, meta, classification, taken) -> None:
    import pandas as pd

    from forceplan.workbook.tables import table_sheet

    base_rows = [("workbook", meta.get("workbook")), ("input_sha256", meta.get("sha256"))]
    for key in ("scenarios", "samples", "seed", "workers", "scheduler", "tool"):
        base_rows.append((key, meta.get(key)))
    for key in ("status", "objective", "cost", "end_strength", "shortfall_total", "binding"):
        base_rows.append((f"base {key}", base.get(key)))
    for year, v in (base.get("strength") or {}).items():
        base_rows.append((f"base strength {year}", v))
    base_rows += [
        ("objective_name", base.get("objective_name")),
        ("elastic", base.get("elastic")),
        ("mip", base.get("mip")),  # whole units; False also under --fractional-units
        ("money_scale", base.get("money_scale")),
        ("model rows", base.get("rows")),
        ("model columns", base.get("columns")),
    ]
    for key, v in (meta.get("timings") or {}).items():
        base_rows.append((f"time_{key}_s", round(v, 4) if isinstance(v, float) else v))
    frame = pd.DataFrame(
        {"key": [k for k, _ in base_rows], "value": [_text(v) for _, v in base_rows]}
    ).astype(object)
    table_sheet(book, INPUTS_SHEET, frame, classification, taken, {"value": "General"})
    spec_frame = pd.DataFrame(
        [
            {
                "column": label,
                "spec": spec.text,
                "target": f"{spec.target.sheet}.{spec.target.column}",
                "filters": spec.filter_text,
                "how": spec.describe(),
                "cells": len(cells),
                "cell_addresses": ", ".join(c.address for c in cells[:50])
                + (" …" if len(cells) > 50 else ""),
            }
            for label, spec, cells in zip(_labels(specs), specs, matched, strict=True)
        ]
    )
    table_sheet(book, "Sweep_Specs", spec_frame, classification, taken)


def _text(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict | list | tuple):
        return json.dumps(_jsonable(v))
    return v


def payload(
    specs: list[VarySpec], rows: list[dict[str, Any]], base: dict[str, Any], meta: dict[str, Any]
) -> dict[str, Any]:
    """The --json object: the rows' summary, the base case and timings."""
    labels = _labels(specs)
    counts = Counter(r["status"] for r in rows)
    solved = [r["objective"] for r in rows if r["objective"] is not None]
    return {
        **{k: meta[k] for k in ("workbook", "output", "scenarios", "workers", "seed", "samples")},
        "specs": [{"column": lab, "spec": s.text} for lab, s in zip(labels, specs, strict=True)],
        "status_counts": dict(counts),
        "worker_deaths": meta.get("worker_deaths", []),
        "resumed_rows": meta.get("resumed_rows", 0),
        "objective_min": min(solved) if solved else None,
        "objective_max": max(solved) if solved else None,
        "base": {k: v for k, v in base.items() if k != "timings"},
        "timings": meta.get("timings", {}),
        "rows": [
            {
                "scenario": r["scenario"],
                "inputs": dict(zip(labels, r["inputs"], strict=True)),
                "status": r["status"],
                "objective": r["objective"],
                "cost": r["cost"],
                "end_strength": r["end_strength"],
                "shortfall_total": r["shortfall_total"],
                "binding": r["binding"],
                "message": r["message"],
                "strategy": r["strategy"],  # the HiGHS strategies run, in order
                "solve_seconds": r["solve_seconds"],
            }
            for r in rows
        ],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value
