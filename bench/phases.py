"""Where the example `forceplan solve` spends its wall time, phase by phase, for one or
more checkouts of forceplan side by side (issue 20, item 2; bench/RESULTS.md "issue20x").

    .venv/bin/python bench/phases.py --checkout /path/to/a --checkout /path/to/b -n 5

Each run is a fresh process (`python bench/phases.py --child ...` with PYTHONPATH set to
the checkout) that times the functions below around a normal `forceplan -q solve` of the
workbook; the checkouts take turns (a b a b ...), so a drift of the machine's speed hits
both alike. Printed: the median over the runs of each phase's seconds, and of the whole
process (start-up and imports included). A function a checkout does not have is left out.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "ukraine-2026-2035.xlsx"

#: (module, attribute, label): what is timed; nested labels are parts of their parent.
TIMED = (
    ("forceplan.load", "load_checked", "read + validate + build"),
    ("forceplan.model.highs_lp", "HighsLP._compile", "compile into HiGHS"),
    ("forceplan.model.highs_lp", "HighsLP.run", "HiGHS runs (all stages)"),
    ("forceplan.model.sensitivity", "_ranging", "HiGHS ranging (getRanging)"),
    ("forceplan.model.priority", "run_priority_stage", "funding priority stage"),
    ("forceplan.results", "build_tables", "results (tables)"),
    ("forceplan.results", "constraints_table", "  of which Plan_Constraints"),
    ("forceplan.pipeline", "_write", "write (plan workbook)"),
    ("forceplan.workbook.write", "_load_for_copy", "  load the input (openpyxl)"),
    ("forceplan.workbook.write", "save_book", "  save (openpyxl + streamed rows)"),
    ("forceplan.workbook.write", "_streamed_hashes", "  ledger hashes from memory"),
    ("forceplan.ledger", "record_solve_safely", "run ledger (hashes, append)"),
)


def _child(argv: list[str], out: Path) -> None:
    import importlib

    started = time.perf_counter()
    spent: dict[str, float] = {}
    import forceplan.cli as cli

    spent["imports"] = time.perf_counter() - started
    for module_name, attr, label in TIMED:
        module = importlib.import_module(module_name)
        owner, name = module, attr
        if "." in attr:
            owner_name, name = attr.split(".")
            owner = getattr(module, owner_name)
        if not hasattr(owner, name):
            continue
        orig = getattr(owner, name)

        def timed(*a, _orig=orig, _label=label, **k):
            t = time.perf_counter()
            try:
                return _orig(*a, **k)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - t

        setattr(owner, name, timed)
    # code before issue 20x ranged inside _capture (with the prices, ~0.01 s): time that
    if not hasattr(importlib.import_module("forceplan.model.sensitivity"), "_ranging"):
        sens = importlib.import_module("forceplan.model.sensitivity")
        orig_capture = sens._capture

        def capture(*a, **k):
            t = time.perf_counter()
            try:
                return orig_capture(*a, **k)
            finally:
                label = "HiGHS ranging (getRanging)"
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t

        sens._capture = capture
    sys.argv = ["forceplan", "-q", "solve", *argv]
    with contextlib.suppress(SystemExit):
        cli.main()
    spent["in process"] = time.perf_counter() - started
    out.write_text(json.dumps(spent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", action="append", required=True, type=Path)
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--workbook", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    runs: dict[Path, list[dict[str, float]]] = {c: [] for c in args.checkout}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            for j, checkout in enumerate(args.checkout):
                out = Path(tmp) / f"{i}-{j}.json"
                plan = Path(tmp) / f"plan-{j}.xlsx"
                plan.unlink(missing_ok=True)
                env = os.environ | {
                    "PYTHONPATH": str(checkout),
                    "FORCEPLAN_HOME": str(Path(tmp) / f"home-{j}"),
                }
                t = time.perf_counter()
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        str(out),
                        str(args.workbook),
                        "-o",
                        str(plan),
                    ],
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                found = json.loads(out.read_text())
                found["whole process"] = time.perf_counter() - t
                runs[checkout].append(found)
    labels = ["whole process", "in process", "imports"] + [t[2] for t in TIMED]
    head = "| phase | " + " | ".join(str(c) for c in args.checkout) + " |"
    print(head)
    print("|---" * (len(args.checkout) + 1) + "|")
    for label in labels:
        cells = []
        for checkout in args.checkout:
            values = [r[label] for r in runs[checkout] if label in r]
            cells.append(f"{statistics.median(values):.3f}" if values else "—")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[3:], Path(sys.argv[2]))
    else:
        main()
