"""The constraint families in plain words: one registry for the report (and anyone else).

Keyed by the `id` and `kind` columns of `Plan_Constraints` (the names the model registers
its families under, `forceplan/model/*.py`), worded after `models/FORMULATION.md`. A test
checks that every (id, kind) a solved plan contains is described here and that every ID
is one of FORMULATION.md's.

`more` phrases "one more unit of the row's right-hand side" for shadow-price sentences:
`{subject}` is the row's index without its year (a class, course, source ...), `{year}`
its year, `{cur}` the currency. A dict gives one phrase per binding side ("min", "max",
"fixed" when both bounds are equal).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Family ID -> (title, where it is built, the algebra in one line).
FAMILIES: dict[str, tuple[str, str, str]] = {
    "P1": (
        "Personnel balance",
        "personnel.py",
        "S[p,y] = (1−attr)·S[p,y−1] + (1−fyattr)·A + Σ(1−loss)·M_in − Σ M_out − X",
    ),
    "P2": (
        "Manning",
        "personnel.py",
        "S − (1−avail)·L − TL − O (+ SH) = unit posts + direct posts + instructor posts",
    ),
    "P3": ("Overstrength", "personnel.py", "O[p,y] ≤ overstrength_max; Σ_p O ≤ total"),
    "P4": ("Accessions", "personnel.py", "accession_min ≤ A[p,y] ≤ accession_max; Σ_p A ≤ total"),
    "P5": (
        "Separations",
        "personnel.py",
        "separation_min ≤ X[p,y] ≤ separation_max; Σ_p X ≤ total",
    ),
    "P6": (
        "Strength and limited duty",
        "personnel.py",
        "min_strength ≤ S ≤ max_strength; limited_duty_min ≤ L ≤ limited_duty_max; L ≤ S; "
        "L ≥ limited_duty_share_min·S",
    ),
    "P7": (
        "End strength",
        "strength.py",
        "min_total_y ≤ Σ_{p in the component} S[p,y] ≤ max_total_y (active unless told)",
    ),
    "P8": (
        "Ratios",
        "strength.py",
        "min_ratio·Σ_den S ≤ Σ_num S ≤ max_ratio·Σ_den S (active classes)",
    ),
    "P9": (
        "Time in grade",
        "careers.py",
        "Σ_out M[a,y] + X[p,y] ≤ (1−attr)·S[p,y−1]; Σ_out M ≤ elig·(1−attr)·S[p,y−1]",
    ),
    "P10": (
        "Service limits (cohorts)",
        "cohorts.py",
        "SC[p,0,y] = arrivals; SC[p,k,y] ≤ (1−attr)·SC[p,k−1,y−1]; X + Σ_out M = "
        "(1−attr)·SC[p,K−1,y−1] + Σ_k≥1 ((1−attr)·SC[p,k−1,y−1] − SC[p,k,y])",
    ),
    "P11": (
        "Accession smoothing",
        "careers.py",
        "|A[p,y] − A[p,y−1]| ≤ accession_step_max; |Σ_p A[p,y] − Σ_p A[p,y−1]| ≤ total",
    ),
    "P12": (
        "Steady last year (personnel)",
        "careers.py",
        "(1−fyattr)·A[p,T] + Σ(1−loss)·M_in − Σ M_out − X = attr·S[p,T]",
    ),
    "T1": (
        "Transitions",
        "transitions.py",
        "M[a,y] ≤ max_per_year; M[a,y] ≤ max_share_of_destination·S[to,y]",
    ),
    "C1": (
        "Courses",
        "training.py",
        "TR = accessions and moves taking the course ≤ capacity + Σ EXP; EXP ≤ expansion_max",
    ),
    "U1": (
        "Units",
        "units.py",
        "N[u,y] = N[u,y−1] + ACT − DIS; min_units ≤ N ≤ max_units; ACT ≤ activation_max",
    ),
    "E1": (
        "Equipment balance",
        "equipment.py",
        "Q = (1−attr)·Q[y−1] + ORD[y−lead] + scheduled + DON − DSP; DON, ORD capped",
    ),
    "E2": (
        "Equipment requirement",
        "equipment.py",
        "Q[e,y] (+ SH) ≥ equipment_fill_rate·Σ_u Equipping·N + requirement",
    ),
    "E3": (
        "Steady last year (equipment)",
        "careers.py",
        "ORD[e,T] + DON[e,T] + scheduled[e,T] ≥ attr_e·Q[e,T]",
    ),
    "B1": (
        "Spending (the cost ledger)",
        "budget.py",
        "spend[b,y] = index·Σ base-year cost terms + rate·Σ foreign prices + fixed; "
        "COMMIT = payments after the horizon",
    ),
    "B2": (
        "Funding",
        "budget.py",
        "Σ_s rate·F[s,b,y] (+ GAP) = spend[b,y]; Σ_b F[s,b,y] ≤ amount + carry-over "
        "(by vintage if money expires)",
    ),
    "B3": ("Line limits", "budget.py", "min_amount ≤ spend[b,y] ≤ max_amount"),
}


@dataclass(frozen=True)
class Kind:
    meaning: str  # what the rows say, in words
    more: str | dict[str, str]  # "one more unit of the right-hand side", see the module doc
    definition: bool = False  # True: an accounting identity, not a limit from the inputs


#: (family ID, kind as in Plan_Constraints) -> description.
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
    ("P6", "limited-duty share"): Kind(
        "At least Personnel.limited_duty_share_min of a class's strength is on limited duty: "
        "limited duty is a fact of the force, not a place the plan may choose to park people.",
        "one more person of {subject} on limited duty in {year} beyond the share",
    ),
    ("P6", "limited duty ≤ strength"): Kind(
        "Limited-duty personnel are part of the class's strength.",
        "one more person of room between limited duty and strength of {subject} in {year}",
        definition=True,
    ),
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
    ("T1", "per-year cap"): Kind(
        "Moves on a promotion or cross-training arc stay within Transitions.max_per_year.",
        "allowing one more move {subject} in {year}",
    ),
    ("T1", "share of destination"): Kind(
        "Moves on an arc stay within max_share_of_destination × the destination class's "
        "end-of-year strength.",
        "one more place in the share-of-destination limit of {subject} in {year}",
    ),
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
    ("E3", "renewal ≥ wear-out"): Kind(
        "With Settings.terminal = steady, what the last year orders (whatever the lead time), "
        "takes as donations and has delivered on schedule is at least that year's wear-out "
        "of the stock: the equipment at the end of the horizon is being renewed.",
        "one more {subject} to be renewed in {year}",
    ),
    ("B1", "spending"): Kind(
        "Spending of a budget line in a year is the sum of its cost terms: the cost ledger.",
        "one more {cur} of {subject} spending in {year}",
        definition=True,
    ),
    ("B1", "committed after horizon"): Kind(
        "Payments due after the last year on orders placed in the year (Equipment."
        "payment_profile), valued at the last year's price index or exchange rate; they "
        "count in the cost at the last year's discount factor but against no Funding.",
        "one more {cur} committed after the horizon for {subject} orders of {year}",
        definition=True,
    ),
    ("B2", "vintage"): Kind(
        "Money a source gives in a year is spent in that year or in the expires_after years "
        "after it, then lapses (Funding.expires_after).",
        "one more {cur} (in the source's currency) of {subject} money given in {year}",
    ),
    ("B2", "spending covered"): Kind(
        "Money from the sources allowed to pay a line covers that line's spending "
        "(a priced funding gap in elastic mode).",
        "one more {cur} of {subject} spending in {year} to be paid from the sources",
        definition=True,
    ),
    ("B2", "source money"): Kind(
        "Money spent from a source stays within its amount for the year, plus what it "
        "carried over if it may (a foreign source in its own currency; with expiring money, "
        "what it spends comes from its live vintages).",
        "one more {cur} of {subject} funding in {year}",
    ),
    ("B3", "line limits"): Kind(
        "Spending of a line lies between LineLimits.min_amount and max_amount (undiscounted).",
        {
            "max": "raising the {subject} spending ceiling of {year} by one {cur}",
            "min": "raising the {subject} spending floor of {year} by one {cur}",
            "fixed": "one more {cur} of fixed {subject} spending in {year}",
        },
    ),
}


def describe(family: str, kind: str) -> Kind:
    """The description of (family, kind); a plain fallback for a kind not registered."""
    found = KINDS.get((family, kind))
    if found is not None:
        return found
    return Kind(
        f"{FAMILIES.get(family, (family,))[0]}: {kind}.", "one more unit of {subject} in {year}"
    )
