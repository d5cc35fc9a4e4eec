"""Training load and instructor posts of courses that take years (MODEL.md §8.3, C2).

A course of duration d keeps a trainee out of duty for min(max(d − j, 0), 1) of the j-th
year after entry; d ≤ 1 gives the one v1 term (d in the year of entry), so a v1 workbook
builds exactly the v1 rows. Used by the model (P2) and by the results (Plan_Personnel).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from forceplan.model.data import Class, ModelData


def profile(d: ModelData, courses: Iterable[str]) -> tuple[float, ...]:
    """Load per year after entry of one person taking `courses` (each spread on its own)."""
    loads = [d.courses[c].load for c in courses]
    width = max((len(x) for x in loads), default=1)
    return tuple(sum(x[j] for x in loads if j < len(x)) for j in range(width))


def instructor_terms(d: ModelData) -> dict[Class, list[tuple[str, int, float]]]:
    """Instructor class -> (course, years after entry j, posts per entrant of year y − j)."""
    out: dict[Class, list[tuple[str, int, float]]] = {p: [] for p in d.classes}
    for c, course in d.courses.items():
        if not course.instructor_ratio:
            continue
        tpi = course.trainees_per_instructor
        for j, share in enumerate(course.load):
            if share:
                coef = course.instructor_ratio if len(course.load) == 1 else share / tpi
                out[course.instructor].append((c, j, coef))
    return out


def multi_year(d: ModelData) -> bool:
    """True when some course takes more than a year (C2 rows differ from v1)."""
    return any(c.duration > 1 and not math.isinf(c.duration) for c in d.courses.values())
