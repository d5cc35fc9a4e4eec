"""The `--vary` grammar: which input to change, in which records, and to which values.

    SPEC    = TARGET [ "[" FILTER { "," FILTER } "]" ] "=" [ "*" ] VALUES
    TARGET  = Sheet "." column                 e.g. Funding.amount, Settings.accession_max_total
    FILTER  = key "=" value { "|" value }      e.g. source=national_budget, year=2027..2030
    VALUES  = start ":" stop ":" steps         a grid of `steps` evenly spaced values, both ends in
            | v1 "," v2 { "," v }              a list of values
            | v                                one value
            | uniform(a,b) | normal(mean,sd) | triangular(low,mode,high)
                                               a distribution: needs --samples N (and --seed S)

A leading `*` scales the workbook's value (`*0.6:1.4:41` = 60 % to 140 % of each matched
cell); without it the values are set. Names in filters may use `*` and `?` wildcards;
years take single years, `2027..2030` ranges and `|` alternatives. Values may be written
`inf` (no limit). Every spec is an edit of input cells: a scenario is the workbook with
those cells changed, solved as `forceplan solve` would solve it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from forceplan.errors import ForceplanError


class SpecError(ForceplanError):
    """A --vary spec that cannot be used (exit 2); the message names the spec."""


@dataclass(frozen=True)
class Target:
    sheet: str
    column: str
    filters: tuple[str, ...]  # allowed filter keys
    help: str
    money: bool = False
    positive: bool = False  # a value must be > 0 (a rate or an index), not only ≥ 0


#: What a sweep can vary: "Sheet.column" -> its definition.
TARGETS: dict[str, Target] = {
    t.sheet + "." + t.column: t
    for t in (
        Target("Funding", "amount", ("source", "year"), "money of a source in a year", True),
        Target("Settings", "accession_max_total", (), "all accessions in a year"),
        Target("Settings", "separation_max_total", (), "all separations in a year"),
        Target("Settings", "overstrength_max_total", (), "total overstrength in a year"),
        Target("EndStrength", "min_total", ("year",), "minimum total strength"),
        Target("EndStrength", "max_total", ("year",), "maximum total strength"),
        Target("Courses", "capacity", ("course",), "course seats (years without CourseYears)"),
        Target("CourseYears", "capacity", ("course", "year"), "course seats in a year"),
        Target("Personnel", "accession_max", ("trade", "grade"), "accessions per year"),
        Target("Personnel", "accession_min", ("trade", "grade"), "accessions per year"),
        Target("Personnel", "separation_max", ("trade", "grade"), "separations per year"),
        Target("Personnel", "separation_min", ("trade", "grade"), "separations per year"),
        Target("LineLimits", "max_amount", ("line", "year"), "spending cap of a line", True),
        Target("LineLimits", "min_amount", ("line", "year"), "spending floor of a line", True),
        Target(
            "ExchangeRates",
            "rate",
            ("currency", "year"),
            "base units per unit of a currency",
            positive=True,
        ),
        Target(
            "PriceIndex", "index", ("line", "year"), "price index of a budget line", positive=True
        ),
        Target("FixedSpending", "amount", ("line", "year"), "money already committed", True),
    )
}

DISTRIBUTIONS = {"uniform": 2, "normal": 2, "triangular": 3}


@dataclass(frozen=True)
class VarySpec:
    text: str  # as the user wrote it
    target: Target
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (key, alternatives)
    scale: bool  # True: multiply the workbook's value; False: set it
    grid: tuple[float, ...] = ()  # grid or list values (empty for a distribution)
    distribution: tuple[str, tuple[float, ...]] | None = None
    filter_text: str = field(default="", compare=False)

    @property
    def name(self) -> str:
        """Short label for tables: `Funding.amount[source=national]`."""
        base = f"{self.target.sheet}.{self.target.column}"
        return f"{base}[{self.filter_text}]" if self.filter_text else base

    @property
    def column_label(self) -> str:
        """Column header of the varied input in the summary (`×` for a scale factor)."""
        return f"{self.name} {'×' if self.scale else '='}"

    @property
    def sampled(self) -> bool:
        return self.distribution is not None

    def describe(self) -> str:
        how = "scale by" if self.scale else "set to"
        if self.distribution:
            name, args = self.distribution
            vals = f"{name}({', '.join(_fmt(a) for a in args)})"
        elif len(self.grid) > 6:
            vals = f"{len(self.grid)} values from {_fmt(self.grid[0])} to {_fmt(self.grid[-1])}"
        else:
            vals = ", ".join(_fmt(v) for v in self.grid)
        return f"{how} {vals}"


_SPEC = re.compile(
    r"^\s*(?P<sheet>[A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(?P<column>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\[(?P<filters>[^\]]*)\])?\s*=\s*(?P<star>\*)?\s*(?P<values>.+?)\s*$"
)
_DIST = re.compile(r"^(?P<name>[a-z]+)\s*\((?P<args>[^)]*)\)$")


def parse_spec(text: str) -> VarySpec:
    """Parse one --vary spec; raises SpecError naming it."""
    m = _SPEC.match(text or "")
    if not m:
        raise SpecError(
            f"--vary {text!r}: expected SHEET.column[filter=value,...]=VALUES, "
            "e.g. Funding.amount[source=national]=*0.6:1.4:41"
        )
    key = f"{m['sheet']}.{m['column']}".lower()
    target = next((t for name, t in TARGETS.items() if name.lower() == key), None)
    if target is None:
        known = ", ".join(TARGETS)
        raise SpecError(
            f"--vary {text!r}: cannot vary {m['sheet']}.{m['column']}; use one of {known}"
        )
    filters = _parse_filters(text, target, m["filters"])
    scale = m["star"] is not None
    values = m["values"]
    dist = _DIST.match(values.replace(" ", ""))
    if dist:
        name = dist["name"]
        if name not in DISTRIBUTIONS:
            raise SpecError(
                f"--vary {text!r}: unknown distribution {name!r}; "
                "use uniform(a,b), normal(mean,sd) or triangular(low,mode,high)"
            )
        args = tuple(_number(text, a) for a in dist["args"].split(",") if a.strip())
        if len(args) != DISTRIBUTIONS[name]:
            raise SpecError(f"--vary {text!r}: {name} takes {DISTRIBUTIONS[name]} numbers")
        _check_distribution(text, name, args)
        return VarySpec(
            text, target, filters, scale, distribution=(name, args), filter_text=_ftext(filters)
        )
    grid = _parse_values(text, values)
    return VarySpec(text, target, filters, scale, grid=grid, filter_text=_ftext(filters))


def _ftext(filters: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return ",".join(f"{k}={'|'.join(v)}" for k, v in filters)


def _parse_filters(text: str, target: Target, raw: str | None):
    if raw is None or not raw.strip():
        return ()
    out: list[tuple[str, tuple[str, ...]]] = []
    for part in raw.split(","):
        if "=" not in part:
            raise SpecError(f"--vary {text!r}: filter {part.strip()!r} is not key=value")
        key, value = (s.strip() for s in part.split("=", 1))
        key = key.lower()
        if key not in target.filters:
            allowed = ", ".join(target.filters) or "none"
            raise SpecError(
                f"--vary {text!r}: {target.sheet}.{target.column} cannot be filtered by "
                f"{key!r} (filters: {allowed})"
            )
        alternatives = tuple(v.strip() for v in value.split("|") if v.strip())
        if not alternatives:
            raise SpecError(f"--vary {text!r}: filter {key!r} has no value")
        if key == "year":
            for alt in alternatives:
                year_range(text, alt)
        if any(k == key for k, _ in out):
            raise SpecError(f"--vary {text!r}: filter {key!r} given twice (use a|b)")
        out.append((key, alternatives))
    return tuple(out)


def year_range(text: str, alt: str) -> tuple[int, int]:
    """`2027` -> (2027, 2027); `2027..2030` -> (2027, 2030)."""
    parts = alt.split("..")
    try:
        if len(parts) == 1:
            y = int(parts[0])
            return y, y
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise SpecError(f"--vary {text!r}: year {alt!r} is not a year or a range like 2027..2030")


def _number(text: str, s: str) -> float:
    s = s.strip()
    try:
        value = float(s)
    except ValueError:
        raise SpecError(f"--vary {text!r}: {s!r} is not a number") from None
    if math.isnan(value):
        raise SpecError(f"--vary {text!r}: nan is not a value")
    return value


def _parse_values(text: str, values: str) -> tuple[float, ...]:
    if ":" in values:
        parts = values.split(":")
        if len(parts) != 3:
            raise SpecError(f"--vary {text!r}: a grid is start:stop:steps, e.g. 0.6:1.4:41")
        start, stop = _number(text, parts[0]), _number(text, parts[1])
        try:
            steps = int(parts[2])
        except ValueError:
            raise SpecError(f"--vary {text!r}: steps {parts[2]!r} is not a whole number") from None
        if steps < 1:
            raise SpecError(f"--vary {text!r}: a grid needs at least 1 step")
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise SpecError(f"--vary {text!r}: grid ends must be finite")
        if steps == 1:
            return (start,)
        step = (stop - start) / (steps - 1)
        return tuple(float(f"{start + step * i:.12g}") for i in range(steps))
    return tuple(_number(text, v) for v in values.split(",") if v.strip())


def _check_distribution(text: str, name: str, args: tuple[float, ...]) -> None:
    if not all(math.isfinite(a) for a in args):
        raise SpecError(f"--vary {text!r}: distribution parameters must be finite")
    if name == "uniform" and args[0] > args[1]:
        raise SpecError(f"--vary {text!r}: uniform(a,b) needs a ≤ b")
    if name == "normal" and args[1] < 0:
        raise SpecError(f"--vary {text!r}: normal(mean,sd) needs sd ≥ 0")
    if name == "triangular" and not args[0] <= args[1] <= args[2]:
        raise SpecError(f"--vary {text!r}: triangular(low,mode,high) needs low ≤ mode ≤ high")


def _fmt(x: float) -> str:
    return f"{x:g}"


GRAMMAR_HELP = "\n".join(
    (
        "SPEC = SHEET.column[filter=value,...]=VALUES, one per --vary.",
        "VALUES: start:stop:steps (a grid, both ends included) | v1,v2,... | v | "
        "uniform(a,b) | normal(mean,sd) | triangular(low,mode,high) (with --samples N --seed S).",
        "A leading * scales the workbook's values (*0.6:1.4:41 = 60 % to 140 %); "
        "without it the values are set; inf = no limit.",
        "Filters: key=value, names may use * and ? wildcards, a|b alternatives, "
        "years 2027 or 2027..2030.",
        "Several --vary: grids combine as a product; distributions are drawn jointly, "
        "N times per grid point.",
        "Targets: Funding.amount[source,year]; Settings.accession_max_total, "
        "separation_max_total, overstrength_max_total; EndStrength.min_total, "
        "max_total[year]; Courses.capacity[course]; CourseYears.capacity[course,year]; "
        "Personnel.accession_max, accession_min, separation_max, separation_min[trade,grade]; "
        "LineLimits.max_amount, min_amount[line,year]; ExchangeRates.rate[currency,year]; "
        "PriceIndex.index[line,year]; FixedSpending.amount[line,year].",
        "Examples: --vary 'Funding.amount[source=national_budget]=*0.6:1.4:41' | "
        "--vary 'Settings.accession_max_total=100000:300000:5' | "
        "--vary 'Funding.amount[source=purl|other_partners]=*uniform(0.5,1.5)' --samples 200 | "
        "--vary 'ExchangeRates.rate[currency=USD]=*1.0:1.25:6' (the hryvnia falls up to 20 %).",
        "Output: one row per scenario (inputs, status, objective, end strength, shortfall, "
        "binding limits), a chart, the base case and the specs; finished rows are appended to "
        "OUTPUT.partial.jsonl while the sweep runs.",
    )
)
