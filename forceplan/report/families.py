"""The constraint families in plain words, gathered from the families' words modules.

Each family of schema.FAMILIES says what its rows mean in its words module
(forceplan/words/<family>.py: TITLES and KINDS, keyed by the `id` and `kind` columns of
`Plan_Constraints`). This module joins them for the report and the price sentences. A test
checks that every (id, kind) a solved plan contains is described and that every ID is one
of FORMULATION.md's.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from types import ModuleType

from forceplan import schema
from forceplan.words.kind import Kind

__all__ = ["FAMILIES", "KINDS", "Kind", "describe", "family_words"]

#: The order IDs are listed in (as models/FORMULATION.md lists them): personnel P by
#: number, then transitions, courses, units, equipment, money; other letters after them.
_LETTERS = "PTCUEB"


def _order(fid: str) -> tuple[int, str, int]:
    found = re.fullmatch(r"([A-Z]+)(\d+)", fid)
    letter, number = (found.group(1), int(found.group(2))) if found else (fid, 0)
    rank = _LETTERS.find(letter) if len(letter) == 1 and letter in _LETTERS else len(_LETTERS)
    return rank, letter, number


Words = tuple[dict[str, tuple[str, str, str]], dict[tuple[str, str], Kind]]


def family_words() -> Words:
    """(ID -> (title, model file, algebra), (ID, kind) -> Kind) of every family in
    schema.FAMILIES as it is now (a family added to the list is included)."""
    return _gather(tuple(schema.FAMILIES))


@lru_cache(maxsize=4)
def _gather(specs: tuple[schema.FamilySpec, ...]) -> Words:
    titles: dict[str, tuple[str, str, str]] = {}
    kinds: dict[tuple[str, str], Kind] = {}
    for spec in specs:
        where = spec.model_path.rsplit(".", 1)[-1] + ".py"
        words = _words(spec)
        if words is None:  # no words module: the family's title, the rows' plain fallback
            titles.update({fid: (spec.title, where, "") for fid in spec.ids})
            continue
        for fid, title in words.TITLES.items():
            titles[fid] = (title.title, where, title.algebra)
        kinds.update(words.KINDS)
    ordered = {fid: titles[fid] for fid in sorted(titles, key=_order)}
    rank = {fid: i for i, fid in enumerate(ordered)}
    by_id = sorted(kinds, key=lambda k: rank.get(k[0], len(rank)))  # stable: the family's order
    return ordered, {k: kinds[k] for k in by_id}


def _words(spec: schema.FamilySpec) -> ModuleType | None:
    try:
        return importlib.import_module(spec.words_path)
    except ModuleNotFoundError as exc:
        if exc.name is None or not spec.words_path.startswith(exc.name):
            raise  # the module exists but something it imports does not
        return None


#: Family ID -> (title, where it is built, the algebra in one line).
FAMILIES: dict[str, tuple[str, str, str]]
#: (family ID, kind as in Plan_Constraints) -> description.
KINDS: dict[tuple[str, str], Kind]
FAMILIES, KINDS = family_words()


def describe(family: str, kind: str) -> Kind:
    """The description of (family, kind); a plain fallback for a kind not registered."""
    titles, kinds = family_words()
    found = kinds.get((family, kind))
    if found is not None:
        return found
    return Kind(
        f"{titles.get(family, (family,))[0]}: {kind}.", "one more unit of {subject} in {year}"
    )
