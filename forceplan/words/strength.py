"""End strength and ratios (P7, P8) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/strength.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "P7": Title(
        "End strength",
        "min_total_y ≤ Σ_{p in the component} S[p,y] ≤ max_total_y (active unless told)",
    ),
    "P8": Title(
        "Ratios",
        "min_ratio·Σ_den S ≤ Σ_num S ≤ max_ratio·Σ_den S (active classes)",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("P7", "minimum"): Kind(
        "Total strength of all classes is at least EndStrength.min_total (the glide path).",
        "requiring one more person in total strength in {year}",
    ),
    ("P7", "maximum"): Kind(
        "Total strength of all classes is at most EndStrength.max_total.",
        "allowing one more person in total strength in {year}",
    ),
    ("P8", "minimum"): Kind(
        "A ratio's numerator strength is at least min_ratio × its denominator strength "
        "(grade pyramid, officer share, trade mix).",
        "requiring one more person in the numerator of ratio {subject} in {year} "
        "beyond its minimum",
    ),
    ("P8", "maximum"): Kind(
        "A ratio's numerator strength is at most max_ratio × its denominator strength.",
        "allowing one more person in the numerator of ratio {subject} in {year} beyond its maximum",
    ),
}
