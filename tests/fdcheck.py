"""The finite-difference check of MODEL.md §8.8 on a solved run, generic over every
registered constraint family.

For each row of Plan_Constraints that binds with a non-zero price, the limit it names is
found through the model's own family registry (`built.families`: the Pyomo constraint or
variable behind (id, kind, index)), moved in a fresh HiGHS copy of the stage-1 LP by
step = max(1e-3·|limit|, 1) (in the limit's units, inside [valid_from, valid_to]), and
the change of the objective is compared with price × step to within
1e-4·|price × step| + 1e-9·|objective|. Families added later are covered automatically.

Works on tables without the §8.8 columns too (then the side is inferred from the value
and the range taken as unlimited): that is how the check shows today's code wrong on
yesterday's tables.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from forceplan.model.highs_lp import HighsLP
from forceplan.pipeline import SolveRun

REL = 1e-4
OBJ_REL = 1e-9


@dataclass
class Checked:
    checked: int = 0
    families: set[tuple[str, str]] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    skipped_degenerate: int = 0


def _blank(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _handles(built) -> dict[tuple[str, str, str], tuple[Any, bool, float]]:
    """(id, kind, index label) -> (Pyomo constraint or var data, is_bound, value factor)."""
    out = {}
    k = built.data.money_scale
    for fam in built.families:
        factor = k if fam.money else 1.0
        for index, comp in fam.component.items():
            label = fam.describe(index)[0]
            out.setdefault((fam.id, fam.kind, label), (comp, fam.is_bound, factor))
    return out


def _infer_side(row: dict[str, Any]) -> str:
    lo = None if _blank(row["lower"]) else float(row["lower"])
    hi = None if _blank(row["upper"]) else float(row["upper"])
    if lo is not None and hi is not None:
        if abs(hi - lo) <= 1e-7 * max(1.0, abs(hi)):
            return "equal"
        return "max" if abs(hi - row["value"]) <= abs(row["value"] - lo) else "min"
    return "max" if hi is not None else "min"


def check_prices(run: SolveRun, sample: int | None = None, seed: int = 0) -> Checked:
    """Finite-difference check of every binding, priced row (or a sample stratified so
    that every (id, kind) with such rows keeps at least one)."""
    built = run.built
    table = run.tables.tables["Plan_Constraints"]
    priced = [
        r
        for r in table.to_dict("records")
        if bool(r["binding"]) and not _blank(r["shadow_price"]) and abs(r["shadow_price"]) > 1e-9
    ]
    # a price that holds for no change of its limit has nothing to check: set those rows
    # aside before sampling, so that the row kept for each family is one that is checked
    rows = [r for r in priced if "holds for no change" not in _note(r)]
    out = Checked(skipped_degenerate=len(priced) - len(rows))
    if sample is not None and len(rows) > sample:
        rng = random.Random(seed)
        by_kind: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in rows:
            by_kind.setdefault((r["id"], r["kind"]), []).append(r)
        keep = [rng.choice(group) for group in by_kind.values()]
        rest = [r for r in rows if all(r is not k for k in keep)]
        rows = keep + rng.sample(rest, max(0, sample - len(keep)))
    handles = _handles(built)
    lp = HighsLP(built.model)  # the stage-1 LP, as built (later stages live only in HiGHS)
    options = {"random_seed": 0, "output_flag": False, "log_to_console": False}
    first = lp.run(options)
    assert first.status == "optimal", first.status
    h = lp.highs
    scale = 1.0 if built.sense == "max" else built.data.money_scale
    base = first.objective * scale
    assert base == _approx(run.outcome.objective), (base, run.outcome.objective)
    for row in rows:
        comp, is_bound, unit = handles[(row["id"], row["kind"], str(row["index"]))]
        side = row.get("side") if not _blank(row.get("side")) else _infer_side(row)
        limit = row["upper"] if side == "max" else row["lower"]
        if side == "equal":
            limit = row["upper"] if not _blank(row["upper"]) else row["lower"]
        limit = float(limit)
        step = max(1e-3 * abs(limit), 1.0)
        lo = -math.inf if _blank(row.get("valid_from")) else float(row["valid_from"])
        hi = math.inf if _blank(row.get("valid_to")) else float(row["valid_to"])
        if hi - limit >= step:
            delta = step
        elif limit - lo >= step:
            delta = -step
        else:  # a range narrower than the step: the largest move inside it
            delta = (hi - limit) if hi - limit >= limit - lo else -(limit - lo)
            if abs(delta) <= 1e-12 * max(1.0, abs(limit)):
                out.failures.append(f"{_name(row)}: a price with an empty range but no note")
                continue
        if is_bound:
            j = lp.col_of[id(comp)]
            lp_ = h.getLp()
            old = (lp_.col_lower_[j], lp_.col_upper_[j])
        else:
            j = lp.row_of[comp]
            lp_ = h.getLp()
            old = (lp_.row_lower_[j], lp_.row_upper_[j])
        moved = delta / unit
        new_lo, new_hi = old
        if side in ("min", "equal"):
            new_lo = old[0] + moved
        if side in ("max", "equal"):
            new_hi = old[1] + moved
        if new_lo > new_hi:  # moving one side of a limit whose sides coincide past the other
            out.failures.append(f"{_name(row)}: side {side} cannot move by {delta:g}")
            continue
        (h.changeColBounds if is_bound else h.changeRowBounds)(j, new_lo, new_hi)
        again = lp.run(options)
        (h.changeColBounds if is_bound else h.changeRowBounds)(j, *old)
        out.checked += 1
        out.families.add((row["id"], row["kind"]))
        if again.status != "optimal":
            out.failures.append(f"{_name(row)}: moved by {delta:g}, HiGHS says {again.status}")
            continue
        change = again.objective * scale - base
        expected = float(row["shadow_price"]) * delta
        tol = REL * abs(expected) + OBJ_REL * abs(base)
        if not abs(change - expected) <= tol:
            out.failures.append(
                f"{_name(row)} side {side}: limit {limit:g} moved by {delta:g}: objective "
                f"changed by {change:.6g}, price × step = {expected:.6g}"
            )
    return out


def _note(row: dict[str, Any]) -> str:
    return "" if _blank(row.get("price_note")) else str(row.get("price_note"))


def _name(row: dict[str, Any]) -> str:
    return f"{row['id']} {row['kind']} {row['index']}"


def _approx(x: float):
    import pytest

    return pytest.approx(x, rel=1e-6, abs=1e-6)
