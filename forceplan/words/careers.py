"""Careers and the end of the horizon (P9, P11, P12, E3; P6's limited-duty share) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/careers.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "P9": Title(
        "Time in grade",
        "Σ_out M[a,y] + X[p,y] ≤ (1−attr)·S[p,y−1]; Σ_out M ≤ elig·(1−attr)·S[p,y−1]",
    ),
    "P11": Title(
        "Accession smoothing",
        "|A[p,y] − A[p,y−1]| ≤ accession_step_max; |Σ_p A[p,y] − Σ_p A[p,y−1]| ≤ total",
    ),
    "P12": Title(
        "Steady last year (personnel)",
        "(1−fyattr)·A[p,T] + Σ(1−loss)·M_in − Σ M_out − X = attr·S[p,T]",
    ),
    "E3": Title(
        "Steady last year (equipment)",
        "ORD[e,T] + DON[e,T] + scheduled[e,T] ≥ attr_e·Q[e,T]",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("P6", "limited-duty share"): Kind(
        "At least Personnel.limited_duty_share_min of a class's strength is on limited duty: "
        "limited duty is a fact of the force, not a place the plan may choose to park people.",
        "one more person of {subject} on limited duty in {year} beyond the share",
    ),
    ("P9", "leavers ≤ start-of-year stock"): Kind(
        "People who join or move into a class during a year cannot leave it in the same year: "
        "moves out and managed separations draw only on last year's strength after "
        "attrition (no recruit crosses two grades in twelve months).",
        "one more person of {subject} free to leave (by a move or a separation) in {year}",
    ),
    ("P9", "moves ≤ eligible stock"): Kind(
        "Moves out of a class (promotion, cross-training) draw only on the share of last "
        "year's surviving strength that has served long enough (Personnel.move_eligible_share).",
        "one more person of {subject} eligible to be moved on in {year}",
    ),
    ("P9", "cohort ≤ its survivors"): Kind(
        "In a class with a service limit, a cohort (those with the same years served) can only "
        "shrink as it ages: its survivors of last year, less those who leave early. Nobody "
        "leaves in the year he joins.",
        "one more person of {subject} free to leave early in {year}",
    ),
    ("P9", "cohort moves ≤ eligible"): Kind(
        "Moves out of a cohort draw only on its eligible share (Personnel.move_eligible_share); "
        "the cohort at its service limit is exempt.",
        "one more person of {subject} eligible to be moved on in {year}",
    ),
    ("P9", "cohort moves ≤ its leavers"): Kind(
        "Moves out of a cohort are some of the people who leave it.",
        "one more person of {subject} leaving by a move in {year}",
    ),
    ("P9", "moves ≤ eligible + leaving cohort"): Kind(
        "Moves out of a class with a service limit are its cohorts' eligible movers plus anyone "
        "of the cohort at the limit (re-enlistment).",
        "one more move out of {subject} in {year}",
    ),
    ("P11", "rise cap"): Kind(
        "Accessions into a class rise by at most Personnel.accession_step_max from one year to "
        "the next: recruiting offices and training bases cannot swing year to year.",
        "letting accessions into {subject} rise by one more recruit into {year}",
    ),
    ("P11", "fall cap"): Kind(
        "Accessions into a class fall by at most Personnel.accession_step_max from one year to "
        "the next.",
        "letting accessions into {subject} fall by one more recruit into {year}",
    ),
    ("P11", "total rise cap"): Kind(
        "All accessions together rise by at most Settings.accession_step_max_total from one "
        "year to the next.",
        "letting all accessions rise by one more recruit into {year}",
    ),
    ("P11", "total fall cap"): Kind(
        "All accessions together fall by at most Settings.accession_step_max_total from one "
        "year to the next.",
        "letting all accessions fall by one more recruit into {year}",
    ),
    ("P12", "steady last year"): Kind(
        "With Settings.terminal = steady, the last year's accessions, moves and separations "
        "would keep that year's strength constant if repeated: they replace its attrition, "
        "so the force at the end of the horizon can be sustained.",
        "one extra {subject} person a year in the steady flows of {year}, at no cost,",
    ),
    ("E3", "renewal ≥ wear-out"): Kind(
        "With Settings.terminal = steady, what the last year orders (whatever the lead time), "
        "takes as donations and has delivered on schedule is at least that year's wear-out "
        "of the stock: the equipment at the end of the horizon is being renewed.",
        "one more {subject} to be renewed in {year}",
    ),
}
