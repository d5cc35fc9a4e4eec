"""Courses (C1) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/training.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "C1": Title(
        "Courses",
        "TR = accessions and moves taking the course ≤ capacity + Σ EXP; EXP ≤ expansion_max",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("C1", "trainees"): Kind(
        "Trainees of a course are every accession and move that takes it (gross, before "
        "attrition or loss).",
        "one extra {subject} trainee in {year} beyond those the flows send",
        definition=True,
    ),
    ("C1", "capacity"): Kind(
        "Trainees of a course stay within its capacity (CourseYears, else Courses) plus every "
        "seat added so far.",
        "one more {subject} training seat in {year}",
    ),
    ("C1", "expansion cap"): Kind(
        "Seats added to a course in a year stay within Courses.expansion_max.",
        "allowing one more {subject} seat to be added in {year}",
    ),
}
