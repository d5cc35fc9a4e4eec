"""Units (U1) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/units.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "U1": Title(
        "Units",
        "N[u,y] = N[u,y−1] + ACT − DIS; min_units ≤ N ≤ max_units; ACT ≤ activation_max",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("U1", "balance"): Kind(
        "Units of a type at the end of the year are last year's units plus activations minus "
        "disbandments.",
        "one extra {subject} unit in service in {year}, at no cost,",
        definition=True,
    ),
    ("U1", "unit limits"): Kind(
        "Units of a type lie between min_units and max_units (UnitTypes, with UnitYears "
        "overrides).",
        {
            "max": "allowing one more {subject} unit in {year}",
            "min": "requiring one more {subject} unit in {year}",
            "fixed": "one more {subject} unit (minimum = maximum) in {year}",
        },
    ),
    ("U1", "activation cap"): Kind(
        "Units stood up in a year stay within UnitTypes.activation_max.",
        "allowing one more {subject} activation in {year}",
    ),
    ("U1", "minimum (elastic)"): Kind(
        "Units plus a priced shortfall are at least min_units (elastic mode).",
        "requiring one more {subject} unit in {year}",
    ),
}
