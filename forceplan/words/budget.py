"""Money (B1-B3) in words.

The report's titles, algebra and row meanings, worded after models/FORMULATION.md and
keyed by the `id` and `kind` that forceplan/model/budget.py registers its rows under.
"""

from __future__ import annotations

from forceplan.words.kind import Kind, Title

#: Constraint ID -> title and the algebra in one line.
TITLES: dict[str, Title] = {
    "B1": Title(
        "Spending (the cost ledger)",
        "spend[b,y] = index·Σ base-year cost terms + rate·Σ foreign prices + fixed; "
        "COMMIT = payments after the horizon",
    ),
    "B2": Title(
        "Funding",
        "Σ_s rate·F[s,b,y] (+ GAP) = spend[b,y]; Σ_b F[s,b,y] ≤ amount + carry-over "
        "(by vintage if money expires)",
    ),
    "B3": Title(
        "Line limits",
        "min_amount ≤ spend[b,y] ≤ max_amount",
    ),
}

#: (ID, kind as in Plan_Constraints) -> what the rows say.
KINDS: dict[tuple[str, str], Kind] = {
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
