"""Personnel classes (P1-P6) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/personnel.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "P1": Title(
        "Personnel balance",
        "S[p,y] = (1−attr)·S[p,y−1] + (1−fyattr)·A + Σ(1−loss)·M_in − Σ M_out − X",
    ),
    "P2": Title(
        "Manning",
        "S − (1−avail)·L − TL − O (+ SH) = unit posts + direct posts + instructor posts",
    ),
    "P3": Title(
        "Overstrength",
        "O[p,y] ≤ overstrength_max; Σ_p O ≤ total",
    ),
    "P4": Title(
        "Accessions",
        "accession_min ≤ A[p,y] ≤ accession_max; Σ_p A ≤ total",
    ),
    "P5": Title(
        "Separations",
        "separation_min ≤ X[p,y] ≤ separation_max; Σ_p X ≤ total",
    ),
    "P6": Title(
        "Strength and limited duty",
        "min_strength ≤ S ≤ max_strength; limited_duty_min ≤ L ≤ limited_duty_max; L ≤ S; "
        "L ≥ limited_duty_share_min·S",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("P1", "balance"): Kind(
        "Each class's strength at the end of the year is last year's strength after "
        "attrition, plus accessions after first-year attrition, plus arrivals by promotion or "
        "cross-training (less their loss), minus departures and separations.",
        "one extra {subject} person in {year}, at no cost,",
        definition=True,
    ),
    ("P2", "manning"): Kind(
        "Each class's strength, less the unavailable part of limited duty, the training load "
        "and overstrength, equals its requirement: unit posts (Manning × units × "
        "unit_fill_rate), direct posts (PersonnelYears.requirement) and instructor posts.",
        "one more direct post (PersonnelYears.requirement) for {subject} in {year}",
    ),
    ("P3", "class cap"): Kind(
        "Overstrength of a class stays within Personnel.overstrength_max.",
        "allowing one more head of overstrength in {subject} in {year}",
    ),
    ("P3", "total cap"): Kind(
        "Overstrength of all classes together stays within Settings.overstrength_max_total.",
        "allowing one more head of overstrength across all classes in {year}",
    ),
    ("P4", "class limits"): Kind(
        "Accessions into a class lie between accession_min and accession_max "
        "(Personnel, with PersonnelYears overrides).",
        {
            "max": "raising the accession maximum of {subject} in {year} by one recruit",
            "min": "raising the accession minimum of {subject} in {year} by one recruit",
            "fixed": "one more required accession into {subject} in {year}",
        },
    ),
    ("P4", "total cap"): Kind(
        "All accessions in a year stay within the recruiting pool (Settings.accession_max_total).",
        "one more recruit in the recruiting pool of {year}",
    ),
    ("P5", "class limits"): Kind(
        "Managed separations from a class lie between separation_min and separation_max "
        "(e.g. the legal discharge of mobilised personnel).",
        {
            "max": "allowing one more separation from {subject} in {year}",
            "min": "requiring one more separation from {subject} in {year}",
            "fixed": "one more required separation from {subject} in {year}",
        },
    ),
    ("P5", "total cap"): Kind(
        "All separations in a year stay within the demobilisation capacity "
        "(Settings.separation_max_total).",
        "one more place of demobilisation capacity in {year}",
    ),
    ("P6", "strength limits"): Kind(
        "A class's strength lies between PersonnelYears.min_strength and max_strength.",
        {
            "max": "raising the maximum strength of {subject} in {year} by one person",
            "min": "raising the minimum strength of {subject} in {year} by one person",
            "fixed": "one more person in the fixed strength of {subject} in {year}",
        },
    ),
    ("P6", "limited-duty cap"): Kind(
        "Limited-duty headcount stays within Personnel.limited_duty_max and, where given, "
        "is at least PersonnelYears.limited_duty_min (people who are on limited duty "
        "whatever the plan: wounded, recovering).",
        {
            "max": "one more limited-duty place for {subject} in {year}",
            "min": "one more person of {subject} on limited duty in {year} whatever the plan",
            "fixed": "one more person of {subject} on limited duty in {year} (minimum = places)",
        },
    ),
    ("P6", "limited duty ≤ strength"): Kind(
        "Limited-duty personnel are part of the class's strength.",
        "one more person of room between limited duty and strength of {subject} in {year}",
        definition=True,
    ),
}
