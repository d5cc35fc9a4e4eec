"""Sheet and column names that are almost a contract name (MODEL.md §8.9).

A misspelled optional sheet silently drops its limits (`End Strength` or `Fundng` would be
"no records": no end-strength band, unconstrained spending). So a name that equals a
contract name after dropping case, spaces, `_` and `-`, or is one edit away from it (an
inserted, deleted, replaced or swapped letter), while the contract name itself is absent,
is an input error that says "did you mean ...?". Columns likewise; a column whose header
is a contract name followed by a unit (`annual_cost (UAH)`) is one too: units belong in the
number format or the header's comment, never in the name.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Sheets a workbook may carry without a warning (MODEL.md §1 and §8.9).
KNOWN_EXTRA_SHEETS = ("About", "Sources", "Notes")


def normalize(name: str) -> str:
    """'End Strength', 'end_strength', 'END-STRENGTH' -> 'endstrength'."""
    return "".join(ch for ch in name.lower() if ch not in " _-\u00a0\t")


def within_one_edit(a: str, b: str) -> bool:
    """True if `a` and `b` differ by at most one insertion, deletion, substitution or
    swap of two neighbouring characters."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def near_name(name: str, candidates: Iterable[str], *, units_suffix: bool = False) -> str | None:
    """The contract name `name` is a variant or a near miss of, if exactly one fits.

    Very short names (3 letters or fewer once normalized) only match exactly, so that e.g.
    a user's `key2` column is not taken for `key`."""
    wanted = normalize(name)
    if not wanted:
        return None
    hits = []
    for candidate in candidates:
        target = normalize(candidate)
        if wanted == target:
            return candidate
        near = len(target) > 3 and within_one_edit(wanted, target)
        if near or (units_suffix and _with_unit(name, candidate)):
            hits.append(candidate)
    return hits[0] if len(hits) == 1 else None


def _with_unit(header: str, column: str) -> bool:
    """'annual_cost (UAH)', 'annual cost, UAH', 'amount [bn]' -> a unit in the name."""
    text = header.strip().lower()
    for sep in ("(", "[", ",", "in "):
        head, found, _tail = text.partition(sep)
        if found and head.strip() and normalize(head) == normalize(column):
            return True
    return False


def is_known_extra(title: str) -> bool:
    return normalize(title) in {normalize(n) for n in KNOWN_EXTRA_SHEETS}
