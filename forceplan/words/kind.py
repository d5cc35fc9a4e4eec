"""The shapes of a family's words (forceplan.words.<family>.TITLES and KINDS)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Title:
    """A constraint ID's title and its algebra in one line."""

    title: str
    algebra: str


@dataclass(frozen=True)
class Kind:
    """What the rows of one (ID, kind) say.

    `more` phrases "one more unit of the row's right-hand side" for shadow-price sentences:
    `{subject}` is the row's index without its year (a class, course, source ...), `{year}`
    its year, `{cur}` the currency. A dict gives one phrase per binding side ("min",
    "max", "fixed" when both bounds are equal).
    """

    meaning: str  # what the rows say, in words
    more: str | dict[str, str]  # "one more unit of the right-hand side"
    definition: bool = False  # True: an accounting identity, not a limit from the inputs
