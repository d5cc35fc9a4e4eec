"""Equipment (E1, E2) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/equipment.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "E1": Title(
        "Equipment balance",
        "Q = (1−attr)·Q[y−1] + ORD[y−lead] + scheduled + DON − DSP; DON, ORD capped",
    ),
    "E2": Title(
        "Equipment requirement",
        "Q[e,y] (+ SH) ≥ equipment_fill_rate·Σ_u Equipping·N + requirement",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
    ("E1", "balance"): Kind(
        "Stock at the end of the year is last year's stock after attrition, plus orders "
        "arriving after their lead time, scheduled deliveries and donations, minus disposals.",
        "one extra {subject} delivered in {year}, at no cost,",
        definition=True,
    ),
    ("E1", "order cap"): Kind(
        "Orders of an item in a year stay within procurement_max.",
        "allowing one more {subject} order in {year}",
    ),
    ("E1", "donations on offer"): Kind(
        "Donations taken stay within what partners offer (EquipmentYears.donations_max).",
        "one more {subject} donation on offer in {year}",
    ),
    ("E2", "stock ≥ requirement"): Kind(
        "Stock covers the equipment of the units fielded (× equipment_fill_rate) plus the "
        "requirement outside units (EquipmentYears.requirement).",
        "requiring one more {subject} outside units in {year}",
    ),
}
