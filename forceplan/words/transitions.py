"""Moves between classes (T1) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/transitions.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "T1": Title(
        "Transitions",
        "M[a,y] ≤ max_per_year; M[a,y] ≤ max_share_of_destination·S[to,y]",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("T1", "per-year cap"): Kind(
        "Moves on a promotion or cross-training arc stay within Transitions.max_per_year.",
        "allowing one more move {subject} in {year}",
    ),
    ("T1", "share of destination"): Kind(
        "Moves on an arc stay within max_share_of_destination × the destination class's "
        "end-of-year strength.",
        "one more place in the share-of-destination limit of {subject} in {year}",
    ),
}
