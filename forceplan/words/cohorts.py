"""Cohorts by years served (P10; P9 per cohort) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/cohorts.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "P10": Title(
        "Service limits (cohorts)",
        "SC[p,0,y] = arrivals; SC[p,k,y] ≤ (1−attr)·SC[p,k−1,y−1]; X + Σ_out M = "
        "(1−attr)·SC[p,K−1,y−1] + Σ_k≥1 ((1−attr)·SC[p,k−1,y−1] − SC[p,k,y])",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("P10", "cohort 0 = arrivals"): Kind(
        "In a class with a service limit (Personnel.max_service_years), those who join or move "
        "in during a year form its youngest cohort.",
        "one more person in the youngest cohort of {subject} in {year} beyond its arrivals",
    ),
    ("P10", "leaving cohort goes"): Kind(
        "Those who reach the service limit leave the class the next year, by a managed "
        "separation (discharge, demobilisation) or by a move (re-enlistment); together with the "
        "early leavers of the younger cohorts they are the year's separations and moves out.",
        "one more person made to leave {subject} in {year} beyond those at the limit",
    ),
}
