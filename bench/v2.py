"""The v2 features at benchmark sizes: the same generated force with and without them.

    .venv/bin/python bench/v2.py                  # M, every variant, best of 2, into RESULTS.md
    .venv/bin/python bench/v2.py --sizes M L --variants v1 v2 --repeat 1

For each size (forceplan.generate.SIZES, seed 1 as bench/run.py), one workbook per
variant: `v1` as `forceplan generate` writes it by default, one per v2 flag alone
(`careers`, `cohorts` = `--cohorts 3`, `money`, `steady`, `limited_duty`) and `v2` with
`--v2` (all of them but `--limited-duty`). Each solve runs in a fresh process through the
real pipeline (`bench.run.child`, min_cost, the plan written), the variants taking turns;
the best of the repeats is kept.
Reported side by side: HiGHS rows, columns and nonzeros, HiGHS's own time over all solve
stages, end-to-end time and peak memory, and each variant's ratios to `v1`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import child
from bench.sections import replace_section
from forceplan.generate import SIZES, generate_workbook

ROOT = Path(__file__).resolve().parent.parent


#: variant -> the generate flags it sets (`v1`: none; `v2`: all, as `generate --v2`)
VARIANTS = {
    "v1": {},
    "careers": {"careers": True},
    "cohorts": {"cohorts": 3},
    "money": {"money": True},
    "steady": {"steady": True},
    "limited_duty": {"limited_duty": True},  # not part of --v2
    "v2": {"careers": True, "cohorts": 3, "money": True, "steady": True},
}


def measure(sizes: list[str], names: list[str], repeat: int) -> dict[tuple[str, str], dict]:
    best: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory(prefix="forceplan-bench-v2-") as tmp:
        for name in sizes:
            books = {}
            for label in names:
                books[label] = Path(tmp) / f"{name}-{label}.xlsx"
                size = replace(SIZES[name], **VARIANTS[label])
                generate_workbook(books[label], size, seed=1, overwrite=True)
            for _ in range(repeat):
                for label, book in books.items():
                    r = child(book, Path(tmp) / "plan.xlsx", compare=False)
                    print(
                        f"{name} {label}: {r['status']}, end-to-end {r['total']:.2f} s, HiGHS "
                        f"{r['highs']:.2f} s, peak {r['peak_rss_mib']:,.0f} MiB",
                        flush=True,
                    )
                    key = (name, label)
                    if key not in best or r["total"] < best[key]["total"]:
                        best[key] = r
    return best


DESCRIPTION = (
    "`v1` is `forceplan generate` at the size's preset (seed 1), the flag variants the same "
    "force with one flag, `v2` with `--v2`: careers (promotion shares, intake steps, "
    "a reserve class per trade with its EndStrength rows, a total intake step), service "
    "limits of 3 years on the entry grades, money (euro and dollar prices and sources with "
    "rate paths, expiring partner money, three spending priorities, so a funding priority "
    "stage after min_cost, payment profiles, fixed payments, costs by year) and terminal = "
    "steady; `limited_duty` (`--limited-duty`, not part of `--v2`) puts 0.5 % of every "
    "class with limited-duty places on limited duty (limited_duty_share_min, P6_share)."
)


def report(best: dict[tuple[str, str], dict], repeat: int, load: str) -> str:
    lines = [
        "## The v2 features at M and L (issue 18)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/v2.py "
        f"{' '.join(sys.argv[1:])}` (each solve in a fresh process, the variants taking "
        f"turns, best of {repeat}; load average before: {load}). " + DESCRIPTION,
        "",
        "| size | variant | columns | rows | nonzeros | status | HiGHS | end-to-end | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (name, label), r in best.items():
        lines.append(
            f"| {name} | {label} | {r['variables']:,} | {r['constraints']:,} | "
            f"{r['nonzeros']:,} | {r['status']} | {r['highs']:.2f} | {r['total']:.2f} | "
            f"{r['peak_rss_mib']:,.0f} MiB |"
        )
    lines += [
        "",
        "| size | variant | HiGHS / v1 | end-to-end / v1 | peak RSS / v1 |",
        "|---|---|---|---|---|",
    ]
    for (name, label), two in best.items():
        one = best.get((name, "v1"))
        if one and label != "v1":
            lines.append(
                f"| {name} | {label} | {two['highs'] / one['highs']:.2f}× | "
                f"{two['total'] / one['total']:.2f}× | "
                f"{two['peak_rss_mib'] / one['peak_rss_mib']:.2f}× |"
            )
    lines += ["", "Times in seconds (HiGHS = HiGHS's own run time over all stages)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["M"], choices=["S", "M", "L"])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    best = measure(args.sizes, args.variants, args.repeat)
    text = report(best, args.repeat, load)
    print(text)
    if not args.no_write:
        replace_section(args.out, "v2", text)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
