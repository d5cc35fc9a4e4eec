"""The plans pinned by tests/test_plan_golden.py: every Plan_ sheet value-identical to the
stored copy (tests/golden/*.json.gz), so a refactor that should not change behaviour is shown
not to. Regenerate with `PYTHONPATH=tests python tests/golden_cases.py [CASE ...]` and say
in the commit why values moved.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clirun import forceplan
from randomwb import CAREERS, random_workbook

from forceplan import run_record
from forceplan.plan_reader import read_plan

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parent.parent

#: Plan_Run keys that differ between two runs of the same plan (time, place, versions):
#: declared in forceplan.run_record (tests/test_run_record.py pins which they are).
VOLATILE_RUN_KEYS = {k.name for k in run_record.KEYS if k.volatile and not k.many}


def _example(tmp: Path) -> Path:
    return ROOT / "data" / "ukraine-2026-2035.xlsx"


def _austere(tmp: Path) -> Path:
    return ROOT / "data" / "ukraine-austere.xlsx"


def _v2(tmp: Path) -> Path:
    return random_workbook(tmp / "v2.xlsx", 5, 3, 2, 4, careers=CAREERS, money=True, cohorts=True)


def _v2_tight(tmp: Path) -> Path:
    return random_workbook(
        tmp / "v2t.xlsx",
        11,
        3,
        2,
        4,
        careers=("move_eligible_share", "reserve"),
        money=True,
        tight=("end_strength",),
        penalties=True,
    )


#: name -> (workbook maker, extra solve arguments)
CASES: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "example-min_cost": (_example, ()),
    "example-max_capability": (_example, ("--objective", "max_capability")),
    "austere-elastic": (_austere, ("--elastic",)),
    "v2-min_cost": (_v2, ()),
    "v2-max_capability": (_v2, ("--objective", "max_capability")),
    "v2-elastic": (_v2_tight, ("--elastic",)),
}


def plan_values(name: str, tmp: Path) -> dict[str, Any]:
    """Solve one case through the CLI and return its Plan_ sheets as plain JSON values."""
    make, args = CASES[name]
    workbook = make(tmp)
    out = tmp / f"{name}-plan.xlsx"
    done = forceplan("solve", str(workbook), "-o", str(out), "--force", *args)
    assert done.returncode in (0, 3), done.stdout + done.stderr
    plan = read_plan(out)
    sheets: dict[str, Any] = {}
    for title, frame in sorted(plan.tables.items()):
        rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False)]
        sheets[title] = {"columns": [str(c) for c in frame.columns], "rows": rows}
    sheets["Plan_Run"] = {
        k: _plain(v) for k, v in sorted(plan.run.items()) if not run_record.is_volatile(k)
    }
    return sheets


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return None if math.isnan(number) else number


def stored(name: str) -> dict[str, Any]:
    with gzip.open(GOLDEN / f"{name}.json.gz", "rt", encoding="utf-8") as f:
        values = json.load(f)
    run = values["Plan_Run"]  # keys marked volatile after the copy was made are left out
    values["Plan_Run"] = {k: v for k, v in run.items() if not run_record.is_volatile(k)}
    return values


def main(names: list[str]) -> None:
    import tempfile

    for name in names or list(CASES):
        with tempfile.TemporaryDirectory() as tmp:
            values = plan_values(name, Path(tmp))
        text = json.dumps(values, ensure_ascii=False, sort_keys=True)
        # mtime 0: the same plan gives the same bytes (no spurious diffs)
        with gzip.GzipFile(GOLDEN / f"{name}.json.gz", "wb", mtime=0) as f:
            f.write(text.encode("utf-8"))
        print(name, {k: len(v.get("rows", v)) for k, v in values.items()})


if __name__ == "__main__":
    main(sys.argv[1:])
